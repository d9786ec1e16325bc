#include "vault/projection.hpp"

#include "policy/role.hpp"

namespace brankas {

namespace {

std::unexpected<Error> does_not_apply(const Event& e, std::string why) {
    return fail(ErrorCode::verification_failed, "event " + std::to_string(e.seq) + " (" + e.action + ") " + why);
}

Status apply_vault_create(Database& db, const Event& e) {
    if (e.seq != 1) return does_not_apply(e, "creates a vault but is not the first event");
    auto institution = e.details.get_text("institution");
    auto vault_id = e.details.get_array<vault_id_size>("vault_id");
    auto role = e.details.get_text("role");
    auto signing_key = e.details.get_array<public_key_size>("signing_key");
    auto box_key = e.details.get_array<public_key_size>("box_key");
    if (!institution || !vault_id || !signing_key || !box_key || role != "admin")
        return does_not_apply(e, "lacks the institution, vault id or the first admin's keys");
    Statement v = BRANKAS_TRY(db.prepare("INSERT INTO vault (singleton, vault_id, institution, created_seq) VALUES (1, ?, ?, ?)"));
    BRANKAS_TRY(v.bind(1, *vault_id).bind(2, *institution).bind(3, static_cast<std::int64_t>(e.seq)).run());
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) "
        "VALUES (?, 'admin', 'active', ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.actor)
                    .bind(2, *signing_key)
                    .bind(3, *box_key)
                    .bind(4, static_cast<std::int64_t>(e.seq))
                    .bind(5, static_cast<std::int64_t>(e.seq))
                    .run());
    return {};
}

Status apply_audit_checkpoint(Database& db, const Event& e) {
    if (!e.details.fields().empty() || !e.target.empty()) return does_not_apply(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO checkpoints (seq, signer) VALUES (?, ?)"));
    BRANKAS_TRY(s.bind(1, static_cast<std::int64_t>(e.seq)).bind(2, e.actor).run());
    return {};
}

} // namespace

Status apply_event(Database& db, const Event& e) {
    if (e.seq > 1 && BRANKAS_TRY(db.query_int("SELECT count(*) FROM vault")) != 1)
        return does_not_apply(e, "comes before the vault was created");
    if (e.action == actions::vault_create) return apply_vault_create(db, e);
    if (e.action == actions::audit_checkpoint) return apply_audit_checkpoint(db, e);
    return does_not_apply(e, "has an action this brankas does not know");
}

Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT role, status, signing_key, box_key FROM principals WHERE name = ?"));
    s.bind(1, name);
    if (!BRANKAS_TRY(s.step())) return std::optional<PrincipalKeys>{};
    PrincipalKeys k{s.column_text(0), s.column_text(1), {}, {}};
    auto sk = s.column_raw(2);
    auto bk = s.column_raw(3);
    if (sk.size() != public_key_size || bk.size() != public_key_size)
        return fail(ErrorCode::store_corrupt, "a principal's public key has the wrong length");
    std::copy(sk.begin(), sk.end(), k.signing_key.begin());
    std::copy(bk.begin(), bk.end(), k.box_key.begin());
    return std::optional<PrincipalKeys>(std::move(k));
}

Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin,
                    const PublicKey& signing_key, const PublicKey& box_key) {
    Event e;
    e.seq = 1;
    e.actor = std::string(admin);
    e.action = std::string(actions::vault_create);
    e.details.text("institution", std::string(institution))
        .bytes("vault_id", Bytes(vault_id.begin(), vault_id.end()))
        .text("role", std::string(policy::role_name(policy::Role::admin)))
        .bytes("signing_key", Bytes(signing_key.begin(), signing_key.end()))
        .bytes("box_key", Bytes(box_key.begin(), box_key.end()));
    return e;
}

Result<std::optional<PublicKey>> expected_signer_key(Database& db, const Event& e) {
    if (e.action == actions::vault_create) return e.details.get_array<public_key_size>("signing_key");
    auto principal = BRANKAS_TRY(find_principal(db, e.actor));
    if (!principal || principal->status != "active") return std::optional<PublicKey>{};
    return std::optional<PublicKey>(principal->signing_key);
}

} // namespace brankas
