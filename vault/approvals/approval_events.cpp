#include "vault/approvals/approval_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/field_rules.hpp"
#include "vault/policies/policy_events.hpp"
#include "vault/recovery/recovery_events.hpp"

namespace brankas {

namespace {

Result<std::int64_t> request_of_target(const Event& e) {
    auto id = parse_numbered_target(e.target, "approval/");
    if (!id) return event_refused(e, i18n::tr_noop("does not name a request"));
    return *id;
}

template <class Decision>
Event decision_event(std::string_view action, const Decision& d) {
    Event e;
    e.action = std::string(action);
    e.target = approval_target(d.request);
    e.details.text("reason", d.reason);
    return e;
}

template <class Decision>
Result<Decision> decode_decision(const Event& e) {
    EventFields f(e);
    Decision d;
    d.request = BRANKAS_TRY(request_of_target(e));
    d.reason = BRANKAS_TRY(f.text("reason"));
    BRANKAS_TRY(f.finish());
    return d;
}

} // namespace

std::string approval_target(std::int64_t request) { return "approval/" + std::to_string(request); }

Event ApprovalRequested::encode() const {
    Event e;
    e.action = std::string(actions::approval_request);
    e.target = target;
    e.details.text("for", std::string(policy::dual_action_name(action))).text("reason", reason);
    // Only a check-out has a length.
    if (action == policy::DualAction::break_glass) e.details.integer("duration_us", duration_us);
    return e;
}

Result<ApprovalRequested> ApprovalRequested::decode(const Event& e) {
    EventFields f(e);
    ApprovalRequested r;
    std::string what = BRANKAS_TRY(f.text("for"));
    auto action = policy::parse_dual_action(what);
    if (!action) return f.refuse(i18n::tr_noop("asks for an action that dual control does not know"));
    r.action = *action;
    r.target = e.target;
    r.reason = BRANKAS_TRY(f.text("reason"));
    switch (r.action) {
    case policy::DualAction::break_glass:
        if (!parse_account_target(e.target)) return f.refuse(i18n::tr_noop("does not name an account"));
        r.duration_us = BRANKAS_TRY(f.integer("duration_us"));
        break;
    case policy::DualAction::policy_set:
        if (!is_policy_document_target(e.target)) return f.refuse(i18n::tr_noop("does not name a policy document by its hash"));
        break;
    case policy::DualAction::rekey:
        if (!is_valid_principal_name(e.target)) return f.refuse(i18n::tr_noop("does not name a person"));
        break;
    case policy::DualAction::recovery_split:
        if (!parse_recovery_split_target(e.target)) return f.refuse(i18n::tr_noop("does not name a split's threshold and shares"));
        break;
    }
    BRANKAS_TRY(f.finish());
    return r;
}

Event ApprovalGranted::encode() const { return decision_event(actions::approval_grant, *this); }
Result<ApprovalGranted> ApprovalGranted::decode(const Event& e) { return decode_decision<ApprovalGranted>(e); }

Event ApprovalRejected::encode() const { return decision_event(actions::approval_reject, *this); }
Result<ApprovalRejected> ApprovalRejected::decode(const Event& e) { return decode_decision<ApprovalRejected>(e); }

} // namespace brankas
