#include "vault/people/people_tables.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

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
