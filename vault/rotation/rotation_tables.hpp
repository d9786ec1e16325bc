// What other domains read from the rotation tables (and the rotation domain shares).
#pragma once

#include "vault/store/database.hpp"

#include <optional>
#include <string>

namespace brankas {

// The version a pending rotation will make current, if one is pending.
[[nodiscard]] Result<std::optional<std::int64_t>> pending_version(Database& db, std::int64_t account);

// The pending version of an account: its number, whether it is sealed to its unit's current key
// (a rotation of the unit's key since may have let someone who left know it), who started the
// rotation and whether they broke the glass to start it.
struct PendingSecret {
    std::int64_t version = 0;
    bool sealed_to_current_key = false;
    std::string set_by;
    bool break_glass = false;
};
[[nodiscard]] Result<std::optional<PendingSecret>> pending_secret(Database& db, std::int64_t account);

} // namespace brankas
