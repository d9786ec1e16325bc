// Failed sign-ins slow the next try down, per user name and per address: a few free tries,
// then a wait that doubles with each further failure, up to a ceiling. Guessing a passphrase
// through the browser is then slower than through a copy of the keyring (which costs an Argon2id
// derivation per guess anyway), and one person's typos never lock out the rest of the office.
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
    // A success clears the user's count; the address keeps its own (one right passphrase must
    // not reset the count of an address that is guessing other people's).
    void succeeded(std::string_view user);

private:
    struct Record {
        int failures = 0;
        std::int64_t last_failure_us = 0;
        std::int64_t blocked_until_us = 0;
    };
    [[nodiscard]] std::int64_t wait_of(const std::string& key, std::int64_t now);
    void count(const std::string& key, const BackOff& rule, std::int64_t now);
    void make_room();

    const Clock& clock_;
    SignInLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Record, std::less<>> records_; // "u:NAME", "a:ADDRESS"
};

} // namespace brankas::web
