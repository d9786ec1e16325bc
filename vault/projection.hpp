// The tables that answer queries are a projection of the log: apply(event) is the only code
// that changes them, for live writes and for the replay that `audit verify` runs alike.
#pragma once

#include "vault/log/actions.hpp"
#include "vault/log/event.hpp"
#include "vault/log/projection.hpp"
#include "vault/store/database.hpp"

namespace brankas {

// This brankas's projection: every domain's appliers, one per action (log/projection.hpp).
[[nodiscard]] const Projection& vault_projection();

} // namespace brankas
