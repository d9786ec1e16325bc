// The check-outs domain's events (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>

namespace brankas {

// checkout: the account's current version taken until `until_us`, for a reason.
struct CheckoutTaken {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::int64_t until_us = 0;
    bool break_glass = false;
    std::string reason;
    std::optional<std::int64_t> request = std::nullopt; // dual control: the approved request it used
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<CheckoutTaken> decode(const Event& event);
};

// checkin: the open check-out given back (by its holder, or an admin).
struct CheckoutReturned {
    std::int64_t account = 0;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<CheckoutReturned> decode(const Event& event);
};

// checkout.expire: the enforcer ends a check-out past its end (or of a deactivated account).
struct CheckoutExpired {
    std::int64_t account = 0;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<CheckoutExpired> decode(const Event& event);
};

} // namespace brankas
