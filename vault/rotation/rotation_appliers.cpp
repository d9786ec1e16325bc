// The appliers of rotation: what each of its events changes in the tables, after checking that it
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

// A new password sealed to the unit's key, not yet current: by a person starting a rotation,
// or by the enforcer for an account it deactivated (it can seal, never read back).
Status apply_secret_pending(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    ActorStanding actor = BRANKAS_TRY(actor_standing(db, e));
    if (actor.actor.role == policy::Role::enforcer) {
        BRANKAS_TRY(require(db, e, policy::Action::enforce));
        if (facts.status != AccountStatus::deactivated) return event_refused(e, "is the enforcer's, for an account it did not deactivate");
    } else {
        BRANKAS_TRY(require(db, e, policy::Action::rotate, facts.unit));
    }
    if (facts.status == AccountStatus::archived) return event_refused(e, "rotates an archived account");
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    std::int64_t has_totp = BRANKAS_TRY(required_integer(e, "totp"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (BRANKAS_TRY(pending_version(db, facts.id))) return event_refused(e, "starts a rotation while one is pending");
    if (version != facts.version + 1) return event_refused(e, "does not rotate to the next version");
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return event_refused(e, "is sealed to an old sub-district key");
    if (has_totp != 0 && has_totp != 1) return event_refused(e, "has a malformed 'totp' field");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO pending_secrets (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, facts.id).bind(2, version).bind(3, key_version).bind(4, ByteView(sealed)).bind(5, has_totp).bind(6, reason)
        .bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e)).run();
}

Result<std::int64_t> pending_for(Database& db, const Event& e, const AccountRow& facts) {
    BRANKAS_TRY(require(db, e, policy::Action::rotate, facts.unit));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    if (BRANKAS_TRY(pending_version(db, facts.id)) != version) return event_refused(e, "names a rotation that is not pending");
    return version;
}

// The pending version becomes current: it was set on the platform.
Status apply_secret_confirm(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(pending_for(db, e, facts));
    // Either the version alone, or the version completed with what the one before it carried
    // (its TOTP seed, recovery codes, notes), sealed again to the current key.
    std::optional<Bytes> completed;
    std::int64_t completed_totp = 0;
    if (e.details.fields().size() == 4) {
        completed = BRANKAS_TRY(required_sealed_secret(e));
        completed_totp = BRANKAS_TRY(required_integer(e, "totp"));
        if (completed_totp != 0 && completed_totp != 1) return event_refused(e, "has a malformed 'totp' field");
        if (BRANKAS_TRY(required_integer(e, "key_version")) != BRANKAS_TRY(unit_key_version(db, e, facts.unit)))
            return event_refused(e, "is sealed to an old sub-district key");
    } else if (e.details.fields().size() != 1) {
        return event_refused(e, "carries unexpected details");
    }
    // A pending version sealed to a key that was rotated away since (a revoked holder had it)
    // is not made current: the rotation starts again.
    Statement k = BRANKAS_TRY(db.prepare("SELECT key_version FROM pending_secrets WHERE account = ?"));
    k.bind(1, facts.id);
    if (!BRANKAS_TRY(k.step()) || k.column_int(0) != BRANKAS_TRY(unit_key_version(db, e, facts.unit)))
        return event_refused(e, "confirms a pending version sealed to an old sub-district key");
    Statement m = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, set_us) "
        "SELECT account, version, key_version, sealed, has_totp, reason, set_by, ?, sealed_seq, ? FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(m.bind(1, seq_of(e)).bind(2, e.time_us).bind(3, facts.id).run());
    if (completed) {
        Statement r = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL secret_versions SET sealed = ?, has_totp = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
        BRANKAS_TRY(r.bind(1, ByteView(*completed)).bind(2, completed_totp).bind(3, seq_of(e)).bind(4, facts.id).bind(5, version).run());
    }
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(d.bind(1, facts.id).run());
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, version).bind(2, seq_of(e)).bind(3, e.actor).bind(4, facts.id).run();
}

Status apply_secret_abort(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(pending_for(db, e, facts));
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    return d.bind(1, facts.id).run();
}

// The enforcer flags a password older than the policy's maximum age.
Status apply_account_flag(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(required_text(e, "reason"));
    if (facts.status != AccountStatus::active || facts.version < 1) return event_refused(e, "flags an account that is not active or has no password");
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement age = BRANKAS_TRY(db.prepare(
        "SELECT v.set_us, a.rotation_due FROM accounts a JOIN secret_versions v ON v.account = a.id AND v.version = a.version "
        "WHERE a.id = ?"));
    age.bind(1, facts.id);
    if (!BRANKAS_TRY(age.step())) return event_refused(e, "flags an account whose password has no history");
    if (age.column_int(1) != 0) return event_refused(e, "flags an account that is already due");
    if (e.time_us - age.column_int(0) <= pol.max_password_age_us) return event_refused(e, "flags a password younger than the maximum age");
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, facts.id).run();
}

constexpr ActionApplier appliers[] = {
    {actions::secret_pending, apply_secret_pending},
    {actions::secret_confirm, apply_secret_confirm},
    {actions::secret_abort, apply_secret_abort},
    {actions::account_flag, apply_account_flag},
};

} // namespace

std::span<const ActionApplier> rotation_appliers() { return appliers; }

} // namespace brankas
