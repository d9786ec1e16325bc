// The appliers of units: what each of its events changes in the tables, after checking that it
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

Status record_unit_public_key(Database& db, const Event& e, std::int64_t version, const PublicKey& key) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO unit_public_keys (unit, key_version, public_key, introduced_seq, introduced_by) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, version).bind(3, key).bind(4, seq_of(e)).bind(5, e.actor).run();
}

Status apply_unit_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    std::string name = BRANKAS_TRY(required_text(e, "name"));
    PublicKey key = BRANKAS_TRY(required_key(e, "public_key"));
    if (!is_valid_unit_code(e.target) || !is_valid_unit_name(name)) return event_refused(e, "has a malformed code or name");
    Statement exists = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
    exists.bind(1, e.target);
    BRANKAS_TRY(exists.step());
    if (exists.column_int(0) != 0) return event_refused(e, "adds sub-district " + e.target + " a second time");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO units (code, name, public_key, key_version, created_seq, updated_seq) VALUES (?, ?, ?, 1, ?, ?)"));
    BRANKAS_TRY(s.bind(1, e.target).bind(2, name).bind(3, key).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return record_unit_public_key(db, e, 1, key);
}

// An admin publishes the unit's next key ahead of need; its secret half goes to admins only.
Status apply_unit_standby(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    PublicKey key = BRANKAS_TRY(required_key(e, "public_key"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    if (BRANKAS_TRY(standby_version(db, e, e.target))) return event_refused(e, "adds a second standby key");
    if (version != BRANKAS_TRY(newest_key_version(db, e.target)) + 1) return event_refused(e, "skips a key version");
    return record_unit_public_key(db, e, version, key);
}

// A unit's secret key sealed to one principal. An admin seals the current key to anyone who may
// hold it, and the standby and older keys to admins and the recovery principal only (a new admin
// receives the whole key history); a person re-seals to their own new key at enrollment; the
// recovery principal passes its keys to the admin it resets or enrolls. The enforcer seals none.
Status apply_unit_key(Database& db, const Event& e) {
    std::string principal = BRANKAS_TRY(required_text(e, "principal"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    auto sealed = e.details.get_bytes("sealed");
    if (!sealed || sealed->size() != unit_key_sealed_size) return event_refused(e, "lacks a sealed key of the right size");
    ActorStanding actor = BRANKAS_TRY(actor_standing(db, e));
    if (actor.status != "active") return event_refused(e, "is by a user who is not active");
    Statement existing = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
    existing.bind(1, e.target).bind(2, principal).bind(3, version);
    BRANKAS_TRY(existing.step());
    bool has_copy = existing.column_int(0) > 0;
    std::int64_t current = BRANKAS_TRY(unit_key_version(db, e, e.target));
    if (version < 1 || version > BRANKAS_TRY(newest_key_version(db, e.target))) return event_refused(e, "seals a key version that does not exist");
    auto holder = BRANKAS_TRY(find_principal(db, principal));
    if (!holder) return event_refused(e, "seals a key to '" + principal + "', who is not a user");
    auto role = policy::parse_role(holder->role);
    if (!role || !policy::role_holds_unit_keys(*role) || holder->status == "disabled")
        return event_refused(e, "seals a sub-district key to a " + holder->role + ", who may not hold one");
    if (actor.actor.role == policy::Role::admin) {
        if (version != current && *role == policy::Role::custodian)
            return event_refused(e, "seals a key version that is not current to a custodian");
    } else if (actor.actor.role == policy::Role::recovery && e.actor != principal) {
        // The quorum passes on what it holds, to the admin it has just reset or enrolled.
        if (*role != policy::Role::admin || holder->status != "pending")
            return event_refused(e, "seals a sub-district key from the recovery principal to someone not being recovered");
        Statement own = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
        own.bind(1, e.target).bind(2, e.actor).bind(3, version);
        BRANKAS_TRY(own.step());
        if (own.column_int(0) == 0) return event_refused(e, "passes on a sub-district key the recovery principal does not hold");
    } else if (e.actor == principal) {
        // A holder re-seals the copies it holds to its own new key (at enrollment).
        if (!has_copy) return event_refused(e, "re-seals a sub-district key its holder does not have");
    } else {
        return event_refused(e, "seals a sub-district key, which only an admin (or its holder, to itself) may do");
    }
    if (*role == policy::Role::custodian && !BRANKAS_TRY(holds_grant(db, principal, e.target)))
        return event_refused(e, "seals a key to a custodian not granted " + e.target);
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT OR REPLACE INTO unit_keys (unit, principal, key_version, sealed, sealed_seq) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, principal).bind(3, version).bind(4, ByteView(*sealed)).bind(5, seq_of(e)).run();
}

// An admin moves the unit to a new key: either the standby (no public key in the event) or a
// fresh pair introduced here. (The enforcer's only way to a new key is unit.deactivate, which
// can only switch to the standby.) The new key
// reaches its holders by unit.key events; every account of the unit must get a new password.
// Copies of the old key stay with their holders for the versions still sealed to it (an admin's
// rotation re-seals them all; the enforcer's cannot).
Status apply_unit_rotate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    BRANKAS_TRY(required_text(e, "reason"));
    PublicKey key{};
    if (e.details.fields().contains("public_key")) {
        key = BRANKAS_TRY(required_key(e, "public_key"));
        if (version != BRANKAS_TRY(newest_key_version(db, e.target)) + 1) return event_refused(e, "skips a key version");
        BRANKAS_TRY(record_unit_public_key(db, e, version, key));
    } else {
        auto standby = BRANKAS_TRY(standby_version(db, e, e.target));
        if (!standby || *standby != version) return event_refused(e, "switches to a standby key the sub-district does not have");
        return switch_unit_key(db, e, e.target, version);
    }
    return set_unit_key(db, e, e.target, version, key);
}

constexpr ActionApplier appliers[] = {
    {actions::unit_add, apply_unit_add},
    {actions::unit_key, apply_unit_key},
    {actions::unit_rotate, apply_unit_rotate},
    {actions::unit_standby, apply_unit_standby},
};

} // namespace

std::span<const ActionApplier> unit_appliers() { return appliers; }

} // namespace brankas
