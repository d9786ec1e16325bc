// The appliers of recovery: each decodes its event, checks it with the rules of recovery.hpp (as
// the live command did) and changes the tables; the principal's standing and signing key follow
// the signer rule (principal_after), which the walk from a checkpoint follows too.
#include "vault/approvals/approvals.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/people_tables.hpp"
#include "vault/recovery/recovery.hpp"
#include "vault/recovery/recovery_events.hpp"

namespace brankas {

namespace {

// An admin creates the recovery principal, or replaces its keys (a new split: the old shares
// open a slot that is gone, and the unit keys sealed to the old box key are dropped).
Status apply_recovery_split(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    RecoveryKeySplit split = BRANKAS_TRY(RecoveryKeySplit::decode(e));
    if (auto allowed = check_split(db, split.shares, split.threshold); !allowed) return event_refused(e, allowed.error());
    // Dual control over the split, decided again under the policy in force before this event.
    BRANKAS_TRY(decide_people_step_again(
        db, e, {policy::DualAction::recovery_split, recovery_split_target(split.threshold, split.shares), split.reason.value_or(""), 0}, split.request));
    const bool existed = BRANKAS_TRY(find_principal(db, e.target)).has_value();
    Signer after = BRANKAS_TRY(changed_principal(db, e));
    if (existed) return replace_keys(db, e, principal_status_name(after.status), split.signing_key, split.box_key, KeptUnitKeys::drop);
    return insert_principal(db, e, e.target, after, split.box_key);
}

// The quorum resets an admin (new keys, waiting for the admin to enroll with a new code), or adds
// one, who enrolls with a code like anyone added by `user add`.
Status apply_recovered_admin(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::recover));
    RecoveredAdmin admin = BRANKAS_TRY(RecoveredAdmin::decode(e));
    const RecoveryAction action = admin.enrolled ? RecoveryAction::enroll_admin : RecoveryAction::reset_passphrase;
    if (auto allowed = check_recovered_admin(db, action, admin.name); !allowed) return event_refused(e, allowed.error());
    Signer after = BRANKAS_TRY(changed_principal(db, e));
    if (admin.enrolled) return insert_principal(db, e, e.target, after, admin.box_key);
    return replace_keys(db, e, principal_status_name(after.status), admin.signing_key, admin.box_key, KeptUnitKeys::drop);
}

} // namespace

std::span<const ActionApplier> recovery_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::recovery_split, apply_recovery_split},
        {actions::recovery_reset, apply_recovered_admin},
        {actions::recovery_enroll, apply_recovered_admin},
    };
    return appliers;
}

} // namespace brankas
