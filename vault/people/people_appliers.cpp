// The appliers of people: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

Status apply_vault_create(Database& db, const Event& e) {
    if (e.seq != 1) return event_refused(e, "creates a vault but is not the first event");
    auto institution = e.details.get_text("institution");
    auto vault_id = e.details.get_array<vault_id_size>("vault_id");
    auto role = e.details.get_text("role");
    auto signing_key = e.details.get_array<public_key_size>("signing_key");
    auto box_key = e.details.get_array<public_key_size>("box_key");
    if (!institution || !vault_id || !signing_key || !box_key || role != "admin")
        return event_refused(e, "lacks the institution, vault id or the first admin's keys");
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
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.actor).bind(2, *signing_key).bind(3, static_cast<std::int64_t>(e.seq)).run();
}

Status apply_user_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    std::string role_text = BRANKAS_TRY(required_text(e, "role"));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    auto role = policy::parse_role(role_text);
    if (!is_valid_principal_name(e.target) || !role || *role == policy::Role::recovery)
        return event_refused(e, "adds a user with a malformed name or role");
    if (BRANKAS_TRY(find_principal(db, e.target))) return event_refused(e, "adds '" + e.target + "' a second time");
    // People enroll before they are active; the enforcer's key file is its own from the start.
    std::string_view status = *role == policy::Role::enforcer ? "active" : "pending";
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.target).bind(2, role_text).bind(3, status).bind(4, signing).bind(5, box)
                    .bind(6, seq_of(e)).bind(7, seq_of(e)).run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.target).bind(2, signing).bind(3, seq_of(e)).run();
}

// The person proves the enrollment code (the event is signed with the key it unlocked) and
// introduces keys of their own.
Status apply_user_enroll(Database& db, const Event& e) {
    ActorStanding actor = BRANKAS_TRY(actor_standing(db, e));
    if (actor.status != PrincipalStatus::pending || e.target != e.actor) return event_refused(e, "enrolls someone who is not pending, or someone else");
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    Statement p = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL principals SET status = 'active', signing_key = ?, box_key = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, signing).bind(2, box).bind(3, seq_of(e)).bind(4, e.actor).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, e.actor).run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.actor).bind(2, signing).bind(3, seq_of(e)).run();
}

Result<std::string> grant_subject(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    BRANKAS_TRY(unit_key_version(db, e, unit));
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    auto who = BRANKAS_TRY(find_principal(db, e.target));
    if (!who || who->status == PrincipalStatus::disabled) return event_refused(e, "names '" + e.target + "', who is not an enabled user");
    if (who->role != policy::Role::custodian)
        return event_refused(e, "grants a sub-district to a " + std::string(policy::role_name(who->role)) + " (only custodians are granted units)");
    return unit;
}

Status apply_user_grant(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(grant_subject(db, e));
    if (BRANKAS_TRY(holds_grant(db, e.target, unit))) return event_refused(e, "grants " + unit + " a second time");
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO grants (principal, unit, granted_seq) VALUES (?, ?, ?)"));
    return s.bind(1, e.target).bind(2, unit).bind(3, seq_of(e)).run();
}

Status apply_user_revoke(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(grant_subject(db, e));
    if (!BRANKAS_TRY(holds_grant(db, e.target, unit))) return event_refused(e, "revokes " + unit + ", which was not granted");
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, e.target).bind(3, unit).run());
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ? AND unit = ?"));
    return k.bind(1, e.target).bind(2, unit).run();
}

// The principal is ended: no signing, no grants, no unit keys. With `store_generation` the
// event also announces the K_db the store moves to (its pages are rewritten after the commit).
Status apply_user_disable(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    auto who = BRANKAS_TRY(find_principal(db, e.target));
    if (!who || who->status == PrincipalStatus::disabled) return event_refused(e, "disables '" + e.target + "', who is not an enabled user");
    if (e.target == e.actor) return event_refused(e, "disables its own actor");
    for (const auto& [key, value] : e.details.fields())
        if (key != "store_generation" && key != "store_key_check" && key != "reason")
            return event_refused(e, "has an unexpected field '" + key + "'");
    if (e.details.fields().contains("store_generation") || e.details.fields().contains("store_key_check")) {
        std::int64_t generation = BRANKAS_TRY(required_integer(e, "store_generation"));
        auto check = e.details.get_array<32>("store_key_check");
        if (!check) return event_refused(e, "lacks a 32-byte 'store_key_check'");
        if (generation != BRANKAS_TRY(db.query_int("SELECT store_generation FROM vault")) + 1)
            return event_refused(e, "announces a store key generation out of order");
        Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL vault SET store_generation = ?, store_key_check = ?"));
        BRANKAS_TRY(g.bind(1, generation).bind(2, ByteView(*check)).run());
    }
    if (e.details.fields().contains("reason")) BRANKAS_TRY(required_text(e, "reason"));
    Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL principals SET status = 'disabled', updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement k = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(k.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(g.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement u = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ?"));
    return u.bind(1, e.target).run();
}

// A person sealed their own slot under a new passphrase; no table changes, the event is the record.
Status apply_user_passwd(Database& db, const Event& e) {
    ActorStanding actor = BRANKAS_TRY(actor_standing(db, e));
    if (actor.status != PrincipalStatus::active || e.target != e.actor) return event_refused(e, "changes the passphrase of someone else");
    if (actor.actor.role == policy::Role::enforcer) return event_refused(e, "changes a passphrase the enforcer does not have");
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::vault_create, apply_vault_create},
    {actions::user_add, apply_user_add},
    {actions::user_enroll, apply_user_enroll},
    {actions::user_grant, apply_user_grant},
    {actions::user_revoke, apply_user_revoke},
    {actions::user_disable, apply_user_disable},
    {actions::user_passwd, apply_user_passwd},
};

} // namespace

std::span<const ActionApplier> people_appliers() { return appliers; }

} // namespace brankas
