// The people signed in to the browser face. Each holds an unlocked vault Session (their keys in
// secure memory) on the server, behind a 256-bit random cookie; the browser holds only the
// cookie. A session ends, and its Session with the keys in it is destroyed, at sign-out, after
// its idle timeout and at the end of its absolute lifetime, whichever comes first.
#pragma once

#include "vault/checkouts/checkouts.hpp"
#include "vault/clock.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/session.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas::web {

// A check-out that committed, kept until the page that shows its password is fetched once.
struct Reveal {
    std::int64_t account = 0;
    CheckoutReceipt receipt;
    std::optional<SecretBytes> totp_code;
};

// One signed-in person.
struct SignedIn {
    SignedIn(Session unlocked, std::string csrf_token) : vault(std::move(unlocked)), csrf(std::move(csrf_token)) {}
    Session vault;
    const std::string csrf;    // every form of this session carries it; every POST must
    std::mutex use;            // held by the Lease of the request using it

    // The check-outs whose password page has not been fetched yet: one per account (a later
    // check-out of it replaces the earlier), so that two check-outs in a row each show their
    // password once; at most `most_reveals`, past which the oldest is dropped (and wiped).
    static constexpr std::size_t most_reveals = 8;
    void keep_reveal(Reveal reveal);
    // The reveal kept for `account`, taken out of the session: a second visit finds nothing.
    [[nodiscard]] std::optional<Reveal> take_reveal(std::int64_t account);

private:
    std::vector<Reveal> reveals_; // oldest first
};

struct SessionLimits {
    std::int64_t idle_us = 0;     // ends this long after the last request
    std::int64_t lifetime_us = 0; // ends this long after sign-in, however busy
};

// A signed-in person, held for the length of one request: one request at a time uses a vault
// Session (two tabs wait for each other). Ending the session while a request holds it destroys
// it when that request is done.
class Lease {
public:
    Lease() = default;
    [[nodiscard]] explicit operator bool() const noexcept { return person_ != nullptr; }
    [[nodiscard]] SignedIn& operator*() const noexcept { return *person_; }
    [[nodiscard]] SignedIn* operator->() const noexcept { return person_.get(); }
    // For tests: whether the person is still alive, once every lease is gone.
    [[nodiscard]] std::weak_ptr<SignedIn> watch() const noexcept { return person_; }

private:
    friend class SessionTable;
    Lease(std::shared_ptr<SignedIn> person, std::unique_lock<std::mutex> lock)
        : person_(std::move(person)), lock_(std::move(lock)) {}
    std::shared_ptr<SignedIn> person_;
    std::unique_lock<std::mutex> lock_;
};

class SessionTable {
public:
    explicit SessionTable(const Clock& clock) : clock_(clock) {}

    // Keeps `vault` signed in; returns the cookie that names it (never stored here: the table
    // is keyed by its hash).
    [[nodiscard]] std::string open(Session vault, SessionLimits limits);
    // The session this cookie names, if it is within both limits; its idle time starts again.
    // An expired one is ended here.
    [[nodiscard]] Lease find(std::string_view cookie);
    // Ends the session (sign-out, a re-keyed store); a cookie that names nothing is ignored.
    void close(std::string_view cookie);
    // Ends every session of `user` but the one `keep` names (a changed passphrase: whoever
    // signed in with the old one is out); returns how many.
    std::size_t close_others(std::string_view user, std::string_view keep);
    // Ends every session past a limit; returns how many. The server runs it every second, so
    // that keys do not outlive their session for a person who never comes back.
    std::size_t sweep();
    [[nodiscard]] std::size_t size() const;

private:
    struct Entry {
        std::shared_ptr<SignedIn> person;
        std::int64_t opened_us = 0, last_seen_us = 0;
        SessionLimits limits;
        [[nodiscard]] bool expired(std::int64_t now_us) const noexcept;
    };
    const Clock& clock_;
    mutable std::mutex mutex_;
    std::map<Hash, Entry> entries_;
};

} // namespace brankas::web
