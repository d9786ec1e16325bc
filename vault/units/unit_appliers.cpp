// The appliers of units: each decodes its event, checks it with the rules of units.hpp (as the
// live command did) and changes the tables. The same code runs for a live write and the replay.
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/units/unit_events.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/units/units.hpp"

namespace brankas {

namespace {

Status record_unit_public_key(Database& db, const Event& e, std::int64_t version, const PublicKey& key) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO unit_public_keys (unit, key_version, public_key, introduced_seq, introduced_by) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, version).bind(3, key).bind(4, seq_of(e)).bind(5, e.actor).run();
}

Status apply_unit_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    UnitAdded added = BRANKAS_TRY(UnitAdded::decode(e));
    if (!check_unit_fields(added.unit, added.name)) return event_refused(e, i18n::tr_noop("has a malformed code or name"));
    if (BRANKAS_TRY(unit_exists(db, added.unit))) return event_refused(e, i18n::tr_noop("adds sub-district %s a second time"), {added.unit});
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO units (code, name, public_key, key_version, created_seq, updated_seq) VALUES (?, ?, ?, 1, ?, ?)"));
    BRANKAS_TRY(s.bind(1, added.unit).bind(2, added.name).bind(3, added.public_key).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return record_unit_public_key(db, e, 1, added.public_key);
}

// An admin publishes the unit's next key ahead of need; its secret half goes to admins only.
Status apply_unit_standby(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    UnitStandbyPublished standby = BRANKAS_TRY(UnitStandbyPublished::decode(e));
    if (BRANKAS_TRY(standby_version(db, e, standby.unit))) return event_refused(e, i18n::tr_noop("adds a second standby key"));
    if (standby.key_version != BRANKAS_TRY(newest_key_version(db, standby.unit)) + 1) return event_refused(e, i18n::tr_noop("skips a key version"));
    return record_unit_public_key(db, e, standby.key_version, standby.public_key);
}

// A unit's secret key sealed to one principal, by whoever check_unit_key_seal lets seal it.
Status apply_unit_key(Database& db, const Event& e) {
    UnitKeySealed sealed = BRANKAS_TRY(UnitKeySealed::decode(e));
    Actor sealer = BRANKAS_TRY(active_actor(db, e));
    if (auto allowed = check_unit_key_seal(db, sealer, {sealed.unit, sealed.key_version, sealed.principal}); !allowed)
        return event_refused(e, allowed.error());
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT OR REPLACE INTO unit_keys (unit, principal, key_version, sealed, sealed_seq) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, sealed.unit).bind(2, sealed.principal).bind(3, sealed.key_version).bind(4, ByteView(sealed.sealed)).bind(5, seq_of(e)).run();
}

// An admin moves the unit to a new key: either the standby (no public key in the event) or a
// fresh pair introduced here. (The enforcer's only way to a new key is unit.deactivate, which
// can only switch to the standby.) The new key reaches its holders by unit.key events; every
// account of the unit must get a new password. Copies of the old key stay with their holders
// for the versions still sealed to it (an admin's rotation re-seals them all; the enforcer's cannot).
Status apply_unit_rotate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    UnitRotated rotated = BRANKAS_TRY(UnitRotated::decode(e));
    if (rotated.public_key) {
        if (rotated.key_version != BRANKAS_TRY(newest_key_version(db, rotated.unit)) + 1) return event_refused(e, i18n::tr_noop("skips a key version"));
        BRANKAS_TRY(record_unit_public_key(db, e, rotated.key_version, *rotated.public_key));
        return set_unit_key(db, e, rotated.unit, rotated.key_version, *rotated.public_key);
    }
    auto standby = BRANKAS_TRY(standby_version(db, e, rotated.unit));
    if (!standby || *standby != rotated.key_version) return event_refused(e, i18n::tr_noop("switches to a standby key the sub-district does not have"));
    return switch_unit_key(db, e, rotated.unit, rotated.key_version);
}

} // namespace

std::span<const ActionApplier> unit_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::unit_add, apply_unit_add},
        {actions::unit_key, apply_unit_key},
        {actions::unit_rotate, apply_unit_rotate},
        {actions::unit_standby, apply_unit_standby},
    };
    return appliers;
}

} // namespace brankas
