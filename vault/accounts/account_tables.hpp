// What the appliers of every domain read about the account an event names.
#pragma once

#include "policy/engine.hpp"
#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <string>

namespace brankas {

using policy::AccountStatus;

struct AccountRow {
    std::int64_t id = 0;
    std::string unit;
    AccountStatus status = AccountStatus::active;
    std::int64_t version = 0; // the current secret version; 0: none yet
};

// The account the event's target names; refused (naming the event) when there is none.
[[nodiscard]] Result<AccountRow> account_of(Database& db, const Event& event);

} // namespace brankas
