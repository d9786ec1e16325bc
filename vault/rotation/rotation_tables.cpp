#include "vault/rotation/rotation_tables.hpp"

namespace brankas {

Result<std::optional<std::int64_t>> pending_version(Database& db, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT version FROM pending_secrets WHERE account = ?"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

Result<std::optional<PendingSecret>> pending_secret(Database& db, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT p.version, p.key_version = u.key_version, p.set_by, p.break_glass FROM pending_secrets p JOIN accounts a ON a.id = p.account "
        "JOIN units u ON u.code = a.unit WHERE p.account = ?"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<PendingSecret>{};
    return std::optional<PendingSecret>(PendingSecret{s.column_int(0), s.column_int(1) != 0, s.column_text(2), s.column_int(3) != 0});
}

} // namespace brankas
