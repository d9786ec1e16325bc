// Failed sign-ins slow the next try down, per user name and per address: a few free tries,
// then a wait that doubles with each further failure, up to a ceiling. Guessing a passphrase
// through the browser is then slower than through a copy of the keyring (which costs an Argon2id
// derivation per guess anyway), and one person's typos never lock out the rest of the office:
// a name's failures count toward its address only up to the name's free tries.
#pragma once

#include "vault/clock.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace brankas::web {

struct BackOff {
    int free_failures = 3;                          // failures before any wait
    std::int64_t first_wait_us = 2'000'000;         // after the first failure past them; then doubled
    std::int64_t longest_wait_us = 15 * 60'000'000LL;
    std::int64_t forget_after_us = 24 * 3600'000'000LL; // a quiet day wipes the count
};

struct SignInLimits {
    BackOff per_user{};
    // Behind a proxy, or in an office behind one NAT, many people share an address.
    BackOff per_address{20, 2'000'000, 15 * 60'000'000LL, 24 * 3600'000'000LL};
    std::size_t most_tracked = 10'000; // beyond it, the stalest entry is forgotten
};

class SignInLimiter {
public:
    explicit SignInLimiter(const Clock& clock, SignInLimits limits = {}) : clock_(clock), limits_(limits) {}

    // How long `user` from `address` must still wait before the next try (0: now).
    [[nodiscard]] std::int64_t wait_us(std::string_view user, std::string_view address);
    void failed(std::string_view user, std::string_view address);
    // A try, reserved before it is made: 0 when it may go ahead (and it is now in flight), else
    // how long to wait (and nothing is reserved). A try waits as if every try still in flight
    // had failed the moment it asked: tries sent at once are limited as tries sent one after
    // another are. Every reserved try ends in exactly one of wrong, succeeded and take_back.
    [[nodiscard]] std::int64_t reserve(std::string_view user, std::string_view address);
    // The reserved try was wrong: a failure, counted now.
    void wrong(std::string_view user, std::string_view address);
    // The reserved try was right: the user's count is cleared; the address keeps its failures
    // (one right passphrase must not reset the count of an address that is guessing other
    // people's), and its wait is not moved.
    void succeeded(std::string_view user, std::string_view address);
    // The reserved try tested nothing (the vault was busy, a new passphrase was refused after the
    // code): it counts for nothing.
    void take_back(std::string_view user, std::string_view address);

private:
    struct Record {
        int failures = 0;
        int in_flight = 0; // reserved tries not ended yet
        std::int64_t last_failure_us = 0;
        std::int64_t blocked_until_us = 0;
    };
    [[nodiscard]] std::int64_t wait_of(const std::string& key, std::int64_t now);
    void count(const std::string& key, const BackOff& rule, std::int64_t now);
    void count_failure(std::string_view user, std::string_view address, std::int64_t now);
    void land(const std::string& key); // one reserved try of `key` ended
    [[nodiscard]] const BackOff& rule_of(const std::string& key) const;
    void make_room();

    const Clock& clock_;
    SignInLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Record, std::less<>> records_; // "u:NAME", "a:ADDRESS"
};

} // namespace brankas::web
