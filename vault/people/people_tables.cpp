#include "vault/people/people_tables.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/principals.hpp"

namespace brankas {

Result<Signer> changed_principal(Database& db, const Event& e) {
    auto after = BRANKAS_TRY(principal_after(db, e));
    if (!after) return event_refused(e, i18n::tr_noop("changes no principal"));
    return *after;
}

Status insert_principal(Database& db, const Event& e, std::string_view name, const Signer& p, const PublicKey& box) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(s.bind(1, name).bind(2, p.role).bind(3, principal_status_name(p.status)).bind(4, p.signing_key).bind(5, box)
                    .bind(6, seq_of(e)).bind(7, seq_of(e)).run());
    return insert_signing_key(db, e, name, p.signing_key);
}

Status insert_signing_key(Database& db, const Event& e, std::string_view principal, const PublicKey& key) {
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, principal).bind(2, key).bind(3, seq_of(e)).run();
}

Status replace_keys(Database& db, const Event& e, std::string_view status, const PublicKey& signing, const PublicKey& box,
                    KeptUnitKeys unit_keys) {
    Statement p = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL principals SET status = ?, signing_key = ?, box_key = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, status).bind(2, signing).bind(3, box).bind(4, seq_of(e)).bind(5, e.target).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, e.target).run());
    if (unit_keys == KeptUnitKeys::drop) {
        Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ?"));
        BRANKAS_TRY(k.bind(1, e.target).run());
    }
    return insert_signing_key(db, e, e.target, signing);
}

} // namespace brankas
