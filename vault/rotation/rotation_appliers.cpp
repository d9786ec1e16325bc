// The appliers of the rotation domain: each decodes its typed event, checks it with the same
// rules a live `rotate` (or the enforcer) checks, and changes the tables.
#include "vault/accounts/account_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/secrets/secrets.hpp"

namespace brankas {

namespace {

// A new password sealed to the unit's key, not yet current: by a person starting a rotation,
// or by the enforcer for an account it deactivated (it can seal, never read back).
Status apply_secret_pending(Database& db, const Event& e) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    ActorStanding writer = BRANKAS_TRY(actor_standing(db, e));
    const policy::Action action = rotation_action(writer.actor.role);
    SecretPending pending = BRANKAS_TRY(SecretPending::decode(e));
    if (action == policy::Action::enforce) {
        BRANKAS_TRY(require(db, e, action));
        if (account.status != AccountStatus::deactivated) return event_refused(e, i18n::tr_noop("is the enforcer's, for an account it did not deactivate"));
        if (pending.break_glass) return event_refused(e, i18n::tr_noop("is the enforcer's, which never breaks the glass"));
    } else {
        // A person's rotation shows them the new password: like every reveal, for a reason, and
        // decided as the live start was (break-glass outside every term, flagged).
        if (auto reason = check_read_reason(pending.reason); !reason) return event_refused(e, i18n::tr_noop("starts a rotation without a proper reason"));
        policy::Decision d = BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) {
            return decide_rotation_start(db, actor, e.time_us, account, pending.reason, pending.break_glass ? BreakGlass::yes : BreakGlass::no);
        }));
        if (pending.break_glass != d.obliges(policy::Obligation::flag_break_glass))
            return event_refused(e, i18n::tr_noop("does not record the break-glass flag its decision gave"));
    }
    if (auto blocked = rotation_may_start(db, account); !blocked)
        return event_refused(e, i18n::tr_noop("starts a rotation of an account that %s"), blocked.error());
    if (pending.version != next_version(account.version)) return event_refused(e, i18n::tr_noop("does not rotate to the next version"));
    BRANKAS_TRY(check_current_key(db, e, account.unit, pending.key_version));
    return add_pending_secret(db, e, {account.id, pending.version, pending.key_version, pending.sealed, pending.has_totp, pending.reason,
                                      pending.break_glass});
}

// The pending rotation a confirmation or an abort names, decided as the live step was: outside
// every term a custodian finishes only the rotation they started by break-glass, and the event
// carries `break_glass` exactly when that decision flagged it.
Result<PendingSecret> pending_named(Database& db, const Event& e, const AccountRow& account, std::int64_t version, bool flagged) {
    auto pending = BRANKAS_TRY(pending_secret(db, account.id));
    policy::Decision d = BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) {
        return decide_rotation_finish(db, actor, e.time_us, account, pending);
    }));
    if (flagged != d.obliges(policy::Obligation::flag_break_glass))
        return event_refused(e, i18n::tr_noop("does not record the break-glass flag its decision gave"));
    if (!pending || pending->version != version) return event_refused(e, i18n::tr_noop("names a rotation that is not pending"));
    return *pending;
}

// The pending version becomes current: it was set on the platform.
Status apply_secret_confirm(Database& db, const Event& e) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    SecretConfirmed confirm = BRANKAS_TRY(SecretConfirmed::decode(e));
    PendingSecret pending = BRANKAS_TRY(pending_named(db, e, account, confirm.version, confirm.break_glass));
    // Either the version alone, or the version completed with what the one before it carried
    // (its TOTP seed, recovery codes, notes), sealed again to the current key.
    if (confirm.completed) BRANKAS_TRY(check_current_key(db, e, account.unit, confirm.completed->key_version));
    if (auto stale = pending_may_confirm(pending); !stale) return event_refused(e, i18n::tr_noop("confirms a pending version sealed to an old sub-district key"));
    Statement m = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, set_us) "
        "SELECT account, version, key_version, sealed, has_totp, reason, set_by, ?, sealed_seq, ? FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(m.bind(1, seq_of(e)).bind(2, e.time_us).bind(3, account.id).run());
    if (confirm.completed) {
        Statement r = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL secret_versions SET sealed = ?, has_totp = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
        BRANKAS_TRY(r.bind(1, ByteView(confirm.completed->sealed)).bind(2, confirm.completed->has_totp ? 1 : 0).bind(3, seq_of(e))
                        .bind(4, account.id).bind(5, confirm.version).run());
    }
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(d.bind(1, account.id).run());
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, confirm.version).bind(2, seq_of(e)).bind(3, e.actor).bind(4, account.id).run();
}

Status apply_secret_abort(Database& db, const Event& e) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    SecretAborted abort = BRANKAS_TRY(SecretAborted::decode(e));
    BRANKAS_TRY(pending_named(db, e, account, abort.version, abort.break_glass));
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    return d.bind(1, account.id).run();
}

// The enforcer flags a password older than the policy's maximum age.
Status apply_account_flag(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(AccountFlagged::decode(e));
    if (account.status != AccountStatus::active || account.version < 1)
        return event_refused(e, i18n::tr_noop("flags an account that is not active or has no password"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement age = BRANKAS_TRY(db.prepare(
        "SELECT v.set_us, a.rotation_due FROM accounts a JOIN secret_versions v ON v.account = a.id AND v.version = a.version "
        "WHERE a.id = ?"));
    age.bind(1, account.id);
    if (!BRANKAS_TRY(age.step())) return event_refused(e, i18n::tr_noop("flags an account whose password has no history"));
    if (age.column_int(1) != 0) return event_refused(e, i18n::tr_noop("flags an account that is already due"));
    if (e.time_us - age.column_int(0) <= pol.max_password_age_us) return event_refused(e, i18n::tr_noop("flags a password younger than the maximum age"));
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, account.id).run();
}

} // namespace

std::span<const ActionApplier> rotation_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::secret_pending, apply_secret_pending},
        {actions::secret_confirm, apply_secret_confirm},
        {actions::secret_abort, apply_secret_abort},
        {actions::account_flag, apply_account_flag},
    };
    return appliers;
}

} // namespace brankas
