// What other domains' appliers read from the accounts tables (and the accounts appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

struct AccountFacts {
    std::int64_t id = 0;
    std::string unit, status;
    std::int64_t version = 0;
};

[[nodiscard]] Result<AccountFacts> account_of(Database& db, const Event& e);

} // namespace brankas
