// What other domains read about an account's check-out.
#pragma once

#include "policy/engine.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>

namespace brankas {

struct OpenCheckout {
    std::int64_t seq = 0;
    std::string holder, reason;
    std::int64_t until_us = 0;
    bool break_glass = false;
};
// The account's check-out that was neither returned nor expired by an event (it may be past
// its end: then it is no longer a hold, but it is still open until someone ends it).
[[nodiscard]] Result<std::optional<OpenCheckout>> open_checkout(Database& db, std::int64_t account);

// The hold that counts at `now_us`: open and not past its end.
[[nodiscard]] std::optional<policy::Holder> current_holder(const std::optional<OpenCheckout>& open, std::int64_t now_us);

} // namespace brankas
