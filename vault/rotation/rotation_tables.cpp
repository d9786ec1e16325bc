#include "vault/rotation/rotation_tables.hpp"

#include "policy/document.hpp"
#include "vault/decisions.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

// The version a pending rotation will make current, if one is pending.
Result<std::optional<std::int64_t>> pending_version(Database& db, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT version FROM pending_secrets WHERE account = ?"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

} // namespace brankas
