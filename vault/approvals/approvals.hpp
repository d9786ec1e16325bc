// Dual control: the actions a district's policy names ([dual_control] actions) run only once a
// second person approved a request that describes them exactly. The request is recorded by the
// action itself when it finds none (a break-glass check-out: vault/checkouts/); here a second
// person grants or rejects it, and anyone may list what waits. Each request is used once, by
// its requester, before it expires; the replay decides every step again.
#pragma once

#include "policy/engine.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/decisions.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Change;
class Session;

enum class ApprovalVerdict { grant, reject };
[[nodiscard]] std::string_view approval_verdict_name(ApprovalVerdict v) noexcept; // "grant", "reject"

struct ApprovalVote {
    std::string approver;
    ApprovalVerdict verdict = ApprovalVerdict::grant;
    std::string reason;
    std::int64_t at_us = 0;
};

// A request as people read it.
struct ApprovalInfo {
    ApprovalRow row;
    std::string ref;  // the account's "platform/handle"
    std::string unit;
    std::int64_t requested_us = 0;
    std::optional<std::int64_t> used_at_us; // the action that used it, when it did
    std::vector<ApprovalVote> votes;
    int needed = 1; // approvals the policy in force asks for
    [[nodiscard]] bool expired(std::int64_t now_us) const noexcept { return now_us >= row.expires_us; }
    // "pending", "approved" (enough grants, unused, unexpired), "expired", "rejected", "used".
    [[nodiscard]] std::string_view standing(std::int64_t now_us) const noexcept;
};

enum class WhichApprovals { waiting, all }; // waiting: pending and unexpired

[[nodiscard]] Result<std::vector<ApprovalInfo>> list_approvals(Session& session, WhichApprovals which);
// The requests of list_approvals, in its order, each handed to `row` as it is read and not kept.
// The first error `row` returns stops it. Only those the person is shown: a request naming an
// account where they see its sub-district; one naming none where they see the people it names
// (a re-key's person, a custodian requester, a custodian who granted or rejected it), as `user
// list` shows them (UnitSight::sees_person) and as the audit log shows the request's events.
[[nodiscard]] Status for_each_approval(Session& session, WhichApprovals which, const std::function<Status(const ApprovalInfo&)>& row);
// One request; one the list leaves out is refused (access.denied) as reading its sub-district is.
[[nodiscard]] Result<ApprovalInfo> approval_info(Session& session, std::int64_t id);
// A second person grants or rejects request `id`, with a reason; returns it as it stands after.
[[nodiscard]] Result<ApprovalInfo> decide_request(Session& session, std::int64_t id, ApprovalVerdict verdict, std::string_view reason);

// ---- the rules the live path and the replay share ----

// A reason a person gives: not blank (else a usage error saying `when_blank`, a catalogue
// phrase), printable, at most max_reason bytes.
[[nodiscard]] Status check_stated_reason(std::string_view reason, const char* when_blank);
// A grant or a rejection says why: printable text, not blank, within bounds.
[[nodiscard]] Status check_approval_reason(std::string_view reason);
// The engine's decision on `actor` granting or rejecting the request at `now_us`.
[[nodiscard]] Result<policy::Decision> decide_approval(Database& db, const Actor& actor, std::int64_t now_us, const ApprovalRow& row);
// The reason of a request for a re-key or a recovery split: not blank, printable, within bounds.
[[nodiscard]] Status check_request_reason(std::string_view reason);
// The engine's decision on `actor` taking a step of managing people that the policy may put under
// dual control (`step`: rekey or recovery_split) at `now_us`, naming `approval` (the request it
// uses, as approval_facts() reads it) if any.
[[nodiscard]] Result<policy::Decision> decide_people_step(Database& db, const Actor& actor, std::int64_t now_us, policy::DualAction step,
                                                          std::optional<policy::ApprovalFacts> approval);
// The replay's side of such a step (event `e`): decided again for its actor at its instant, with
// the request it names if any, which must be one the decision used, for exactly `acting`; it is
// then used up. The reason of `acting` is checked when it has one.
[[nodiscard]] Status decide_people_step_again(Database& db, const Event& e, const ApprovalRequested& acting, std::optional<std::int64_t> request);

// ---- the live side of such a step (a re-key, a recovery split) ----

// What the step may go on with: the approved request its event names, and the reason (typed, or
// the request's); or, when dual control alone held it back and no request was named, the request
// recorded instead (the step must then change nothing else).
struct HeldStep {
    std::optional<std::int64_t> used;
    std::string reason;
    std::optional<AwaitingApproval> awaiting;
};
// Decides `acting` (its target, reason and options as the step would be done) for the session's
// user inside `change`, with `request` if one is named; a denial is recorded (access.denied on
// `target`) and returned.
[[nodiscard]] Result<HeldStep> hold_people_step(Change& change, ApprovalRequested acting, std::optional<std::int64_t> request,
                                                std::string_view target);
// What hold_people_step will refuse of the reason typed for the step, asked before it (a face that
// asks for a confirmation first asks this, so that the confirming click is not what brings the
// refusal): one line of visible text; within bounds when given; and given when the step would be
// recorded as a request (no request named, and the engine holds the step for a second person now).
// Records nothing; the engine's refusal of the step itself is the step's to make.
[[nodiscard]] Status check_people_step_reason(Session& session, policy::DualAction step, std::string_view reason,
                                              std::optional<std::int64_t> request);

} // namespace brankas
