// What other domains read from the rotation tables (and the rotation domain shares).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

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

// A pending version as the event `e` adds it (set and sealed by `e`, its actor the one who set
// it): a person's or the enforcer's secret.pending, or a fresh password an end of term carries.
struct NewPendingSecret {
    std::int64_t account = 0, version = 0, key_version = 0;
    ByteView sealed;
    bool has_totp = false;
    std::string_view reason;
    bool break_glass = false;
};
[[nodiscard]] Status add_pending_secret(Database& db, const Event& e, const NewPendingSecret& pending);

} // namespace brankas
