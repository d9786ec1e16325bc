// The appliers of the approvals domain: a request is decided again as the action it asks for
// (a break-glass check-out, a policy set, a re-key or a recovery split: it must be one that dual control holds back, and
// nothing else may stand in its way); a grant
// or a rejection is decided again for its approver.
#include "vault/accounts/account_tables.hpp"
#include "vault/approvals/approval_events.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/people.hpp"
#include "vault/policies/policies.hpp"
#include "vault/recovery/recovery.hpp"
#include "vault/recovery/recovery_events.hpp"

namespace brankas {

namespace {

// A break-glass check-out: the same decision as the check-out it stands for, at the request's instant.
Result<policy::Decision> decide_requested_checkout(Database& db, const Event& e, const ApprovalRequested& asked) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    if (auto possible = check_checkout(account, account.version, asked.reason); !possible)
        return event_refused(e, i18n::tr_noop("asks to check out an account that %s"), possible.error());
    Actor actor = BRANKAS_TRY(active_actor(db, e));
    auto open = BRANKAS_TRY(open_checkout(db, account.id));
    return decide_checkout(db, actor, e.time_us, account, {asked.reason, true, asked.duration_us, std::nullopt}, open);
}

// A policy set: the decision on setting a document under the policy in force, with a reason.
Result<policy::Decision> decide_requested_policy_set(Database& db, const Event& e, const ApprovalRequested& asked) {
    if (auto ok = check_policy_reason(asked.reason); !ok) return event_refused(e, i18n::tr_noop("has a reason that %s"), ok.error());
    Actor actor = BRANKAS_TRY(active_actor(db, e));
    return decide_policy_set(db, actor, e.time_us, std::nullopt);
}

// A re-key: someone the actor may disable; a recovery split: a shape a split may have. Then the
// decision on the step itself.
Result<policy::Decision> decide_requested_step(Database& db, const Event& e, const ApprovalRequested& asked) {
    if (auto ok = check_request_reason(asked.reason); !ok) return event_refused(e, i18n::tr_noop("has a reason that %s"), ok.error());
    if (asked.action == policy::DualAction::rekey) {
        if (auto ok = check_disable(db, e.actor, asked.target); !ok) return event_refused(e, i18n::tr_noop("asks to disable someone: %s"), ok.error());
    } else {
        auto shape = parse_recovery_split_target(asked.target);
        if (!shape) return event_refused(e, i18n::tr_noop("does not name a split's threshold and shares"));
        if (auto ok = check_split(db, shape->shares, shape->threshold); !ok) return event_refused(e, i18n::tr_noop("asks for a split that %s"), ok.error());
    }
    Actor actor = BRANKAS_TRY(active_actor(db, e));
    return decide_people_step(db, actor, e.time_us, asked.action, std::nullopt);
}

Status apply_approval_request(Database& db, const Event& e) {
    ApprovalRequested asked = BRANKAS_TRY(ApprovalRequested::decode(e));
    policy::Decision d;
    switch (asked.action) {
    case policy::DualAction::break_glass: d = BRANKAS_TRY(decide_requested_checkout(db, e, asked)); break;
    case policy::DualAction::policy_set: d = BRANKAS_TRY(decide_requested_policy_set(db, e, asked)); break;
    case policy::DualAction::rekey:
    case policy::DualAction::recovery_split: d = BRANKAS_TRY(decide_requested_step(db, e, asked)); break;
    }
    if (d.allowed()) return event_refused(e, i18n::tr_noop("asks for an approval the action does not need"));
    if (!d.awaits_approval) return event_refused(e, i18n::Phrase(i18n::tr_noop("asks for an approval of an action that is not allowed: %s"), {denial_phrase(d)}));
    policy::Policy in_force = BRANKAS_TRY(stored_policy(db));
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO approvals (id, action, target, reason, duration_us, requester, expires_us, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')"));
    return s.bind(1, seq_of(e)).bind(2, policy::dual_action_name(asked.action)).bind(3, asked.target).bind(4, asked.reason)
        .bind(5, asked.duration_us).bind(6, e.actor).bind(7, e.time_us + in_force.dual_control.window_us).run();
}

template <class Vote>
Status apply_vote(Database& db, const Event& e, ApprovalVerdict verdict) {
    Vote vote = BRANKAS_TRY(Vote::decode(e));
    if (auto ok = check_approval_reason(vote.reason); !ok) return event_refused(e, i18n::tr_noop("has a reason that %s"), ok.error());
    auto row = BRANKAS_TRY(find_approval(db, vote.request));
    if (!row) return event_refused(e, i18n::tr_noop("names a request that does not exist"));
    BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) { return decide_approval(db, actor, e.time_us, *row); }));
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO approval_votes (approval, approver, verdict, reason, seq) VALUES (?, ?, ?, ?, ?)"));
    BRANKAS_TRY(s.bind(1, vote.request).bind(2, e.actor).bind(3, approval_verdict_name(verdict)).bind(4, vote.reason).bind(5, seq_of(e)).run());
    if (verdict == ApprovalVerdict::reject) return end_approval(db, e, vote.request, policy::ApprovalState::rejected);
    return {};
}

Status apply_approval_grant(Database& db, const Event& e) { return apply_vote<ApprovalGranted>(db, e, ApprovalVerdict::grant); }
Status apply_approval_reject(Database& db, const Event& e) { return apply_vote<ApprovalRejected>(db, e, ApprovalVerdict::reject); }

} // namespace

std::span<const ActionApplier> approval_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::approval_request, apply_approval_request},
        {actions::approval_grant, apply_approval_grant},
        {actions::approval_reject, apply_approval_reject},
    };
    return appliers;
}

} // namespace brankas
