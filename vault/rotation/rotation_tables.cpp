#include "vault/rotation/rotation_tables.hpp"

#include "vault/log/event_fields.hpp"

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

Status add_pending_secret(Database& db, const Event& e, const NewPendingSecret& p) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO pending_secrets (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, break_glass) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, p.account).bind(2, p.version).bind(3, p.key_version).bind(4, p.sealed).bind(5, p.has_totp ? 1 : 0)
        .bind(6, p.reason).bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e)).bind(10, p.break_glass ? 1 : 0).run();
}

} // namespace brankas
