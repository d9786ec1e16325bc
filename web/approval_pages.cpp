// Dual control in the browser (`approvals`, `approve`, `reject`): the requests a break-glass
// check-out recorded under [dual_control], who asked for what, why and until when; a second
// person grants or rejects one with a reason, signed with their own key; the requester then uses
// an approved request once, from its page or the account's. Every step is the approvals room's
// function, decided by the engine and refused (access.denied) exactly as at the command line.
#include "faces/dates.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/own_reasons.hpp"
#include "vault/log/actions.hpp"
#include "vault/recovery/recovery_events.hpp"
#include "web/admin_page.hpp"
#include "web/durations.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>

namespace brankas::web {

namespace {

const char* standing_label(std::string_view standing) {
    if (standing == "approved") return tr_noop("approved, not used yet");
    if (standing == "expired") return tr_noop("expired");
    if (standing == "rejected") return tr_noop("rejected");
    if (standing == "used") return tr_noop("used");
    return tr_noop("waiting for approval");
}

// "a break-glass check-out of instagram/panwascam.ponorogo for 2 hours", "setting the policy to
// document 3f2a9c0d1e4b5a69…" (a policy set's request names the document by its hash, as
// `approvals` shows it: "policy/<64 hex digits>").
std::string what_it_asks(const Translator& t, const ApprovalInfo& a) {
    switch (a.row.asked.action) {
    case policy::DualAction::break_glass:
        return fill(t.tr(tr_noop("a break-glass check-out of %1$s for %2$s")), {a.ref, duration_label(t, a.row.asked.duration_us)});
    case policy::DualAction::policy_set: {
        const std::string& target = a.row.asked.target;
        const std::size_t slash = target.find('/');
        const std::string hash = slash == std::string::npos ? target : target.substr(slash + 1);
        return fill(t.tr(tr_noop("setting the policy to document %s…")), {hash.substr(0, 16)});
    }
    case policy::DualAction::rekey: return fill(t.tr(tr_noop("disabling %s with a new store key")), {a.row.asked.target});
    case policy::DualAction::recovery_split:
        if (auto shape = parse_recovery_split_target(a.row.asked.target))
            return fill(t.tr(tr_noop("a new recovery split: any %1$s of %2$s shares")),
                        {std::to_string(shape->threshold), std::to_string(shape->shares)});
        break;
    }
    return std::string(policy::dual_action_name(a.row.asked.action));
}

// The visitor's role is one the policy lets approve: the page offers the forms (the engine decides
// again when one is sent, and records a refusal).
bool may_offer_decision(const Visit& visit, const policy::Policy& policy, const ApprovalInfo& a, std::int64_t now) {
    const Session& vault = visit.person->vault;
    const auto& roles = policy.dual_control.approvers;
    std::string_view standing = a.standing(now);
    return a.row.requester != vault.user() && (standing == "pending" || standing == "approved") &&
           std::find(roles.begin(), roles.end(), vault.role()) != roles.end() &&
           std::find(a.row.granted_by.begin(), a.row.granted_by.end(), vault.user()) == a.row.granted_by.end();
}

void describe(ctemplate::TemplateDictionary& row, const Visit& visit, const ApprovalInfo& a, const policy::TimeZone& zone, std::int64_t now) {
    row.SetIntValue("ID", static_cast<long>(a.row.id));
    row.SetValue("STANDING_CLASS", std::string(a.standing(now)));
    set_text(row, "STANDING", visit.t.tr(standing_label(a.standing(now))));
    row.SetValue("REQUESTER", a.row.requester);
    row.SetValue("WHAT", what_it_asks(visit.t, a));
    row.SetValue("UNIT", a.unit);
    row.SetValue("REASON", reason_for_reader(a.row.asked.reason, [&](const char* id) { return visit.t.tr(id); }));
    row.SetValue("COUNT", fill(visit.t.tr(tr_noop("%1$s of %2$s approval(s)")),
                               {std::to_string(a.row.granted_by.size()), std::to_string(a.needed)}));
    row.SetValue("UNTIL", format_zoned(a.row.expires_us, zone));
    row.SetValue("REQUESTED", format_zoned(a.requested_us, zone));
}

Result<Reply> approval_list_page(Site& site, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Approvals")},
        {"T_INTRO", tr_noop("Under dual control a break-glass check-out waits for a second person: each request says who asks, for "
                            "what, why and until when. Open one to approve or reject it with a reason.")},
        {"T_NONE", tr_noop("No request waits for approval.")},
        {"T_NONE_ALL", tr_noop("There are no requests.")},
        {"T_BY", tr_noop("Asked by")},
        {"T_REASON", tr_noop("Reason")},
        {"T_UNTIL", tr_noop("Until")},
        {"T_SHOW_ALL", tr_noop("Also the used, rejected and expired requests")},
        {"T_SHOW_WAITING", tr_noop("Only the requests that wait")},
    };
    Session& vault = visit.person->vault;
    bool all = visit.query("all") == "1";
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    // Only the requests of the sub-districts this person sees: the vault leaves out the rest.
    auto requests = BRANKAS_TRY(list_approvals(vault, all ? WhichApprovals::all : WhichApprovals::waiting));
    std::int64_t now = site.clock().now_us();
    Page page(visit.t, "approvals");
    page.words(words);
    auto& body = page.body();
    std::size_t shown = 0;
    for (const ApprovalInfo& a : requests) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("REQUEST");
        describe(*row, visit, a, policy.time_zone, now);
        ++shown;
    }
    if (shown == 0) body.ShowSection(all ? "EMPTY_ALL" : "EMPTY");
    body.ShowSection(all ? "ALL" : "WAITING");
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Approvals"))))));
}

// A decision's form as it was sent (its reason), shown again below the reason it was refused.
struct DecisionAgain {
    ApprovalVerdict verdict = ApprovalVerdict::grant;
    std::string reason;
    FieldsRefused refused;
};

Result<Reply> request_page_with(Site& site, Visit& visit, const DecisionAgain* again) {
    static constexpr Words words[] = {
        {"T_BACK", tr_noop("Back to the approvals")},
        {"T_BY", tr_noop("Asked by")},
        {"T_ASKED_AT", tr_noop("Asked at")},
        {"T_WHAT", tr_noop("Asks for")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_REASON", tr_noop("Reason")},
        {"T_STANDING", tr_noop("State")},
        {"T_APPROVALS", tr_noop("Approvals")},
        {"T_UNTIL", tr_noop("Valid until")},
        {"T_VOTES", tr_noop("Decisions")},
        {"T_DECIDE", tr_noop("Decide")},
        {"T_DECIDE_REASON", tr_noop("Your reason (kept in the audit log)")},
        {"T_APPROVE", tr_noop("Approve")},
        {"T_REJECT", tr_noop("Reject")},
        {"T_USE", tr_noop("Use the approval and show the password")},
        {"T_USE_HINT", tr_noop("The request is approved: you may use it once, for exactly what it asked.")},
    };
    Session& vault = visit.person->vault;
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "request"));
    ApprovalInfo a = BRANKAS_TRY(approval_info(vault, id));
    // The request's account, like its page: refused (access.denied) where the person may not see
    // its sub-district.
    std::optional<std::int64_t> account = parse_account_target(a.row.asked.target);
    if (account) BRANKAS_TRY(show_account(vault, std::to_string(*account)));
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    std::int64_t now = site.clock().now_us();
    Page page(visit.t, "approval");
    page.words(words);
    auto& body = page.body();
    describe(body, visit, a, policy.time_zone, now);
    body.SetValue("CSRF", visit.person->csrf);
    if (account) body.SetValueAndShowSection("ACCOUNT", std::to_string(*account), "HAS_ACCOUNT");
    for (const ApprovalVote& v : a.votes) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("VOTE");
        const char* verdict = v.verdict == ApprovalVerdict::grant ? tr_noop("%1$s approved it at %2$s: %3$s")
                                                                  : tr_noop("%1$s rejected it at %2$s: %3$s");
        row->SetValue("TEXT", fill(visit.t.tr(verdict), {v.approver, format_zoned(v.at_us, policy.time_zone), v.reason}));
    }
    if (!a.votes.empty()) body.ShowSection("HAS_VOTES");
    if (may_offer_decision(visit, policy, a, now)) {
        ctemplate::TemplateDictionary* decide = body.AddSectionDictionary("CAN_DECIDE");
        if (again) {
            const bool grant = again->verdict == ApprovalVerdict::grant;
            decide->SetValueAndShowSection("PROBLEM", again->refused.sentence, grant ? "APPROVE_PROBLEM" : "REJECT_PROBLEM");
            decide->SetValue(grant ? "APPROVE_REASON" : "REJECT_REASON", again->reason);
        }
    } else if (again) {
        // Decided meanwhile (by this person in another tab): the sentence alone.
        body.SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
    }
    const bool usable = a.row.requester == vault.user() && a.standing(now) == "approved";
    if (account && usable) {
        ctemplate::TemplateDictionary* use = body.AddSectionDictionary("CAN_USE");
        use->SetValue("ACCOUNT", std::to_string(*account));
    }
    // A re-key is used from here too: the same form as the people page's, naming the request.
    if (a.row.asked.action == policy::DualAction::rekey && usable) {
        ctemplate::TemplateDictionary* use = body.AddSectionDictionary("CAN_USE_REKEY");
        use->SetValue("PERSON", a.row.asked.target);
        use->SetValue("T_USE_REKEY", fill(visit.t.tr(tr_noop("Use the approval: disable %s and encrypt the store under a new key")), {a.row.asked.target}));
    }
    Frame frame = visit.frame(fill(visit.t.tr(tr_noop("Request %s")), {std::to_string(id)}));
    static constexpr Notice notices[] = {
        {"requested", tr_noop("Under dual control this break-glass check-out needs a second person's approval: the request is recorded, "
                              "and nothing was shown. Come back here once it is approved.")},
        {"requested-rekey", tr_noop("Under dual control disabling a person with a new store key needs a second person's approval: the "
                                    "request is recorded, and nobody was disabled. Once it is approved, come back here and use it.")},
        {"approved", tr_noop("Approved. The requester may now use it once.")},
        {"rejected", tr_noop("Rejected: the request can no longer be used.")},
    };
    notice_from_query(visit, frame, notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> request_page(Site& site, Visit& visit) { return request_page_with(site, visit, nullptr); }

// `approve ID --reason` / `reject ID --reason`: the approvals room's decide_request.
Result<Reply> decide(Site& site, Visit& visit, ApprovalVerdict verdict) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "request"));
    std::string reason = field(visit, "reason");
    auto decided = decide_request(visit.person->vault, id, verdict, reason);
    if (!decided) {
        // A reason missing or longer than the vault keeps is said above the same form, as typed;
        // a refusal by the engine (or of a request no longer open) is the refusal page.
        auto refused = refusal_of_fields(visit, decided.error());
        if (!refused) return std::unexpected(decided.error());
        DecisionAgain again{verdict, reason, std::move(*refused)};
        return request_page_with(site, visit, &again);
    }
    return Reply::redirect("/approvals/" + std::to_string(id) + (verdict == ApprovalVerdict::grant ? "?done=approved" : "?done=rejected"));
}

Result<Reply> approve(Site& site, Visit& visit) { return decide(site, visit, ApprovalVerdict::grant); }
Result<Reply> reject(Site& site, Visit& visit) { return decide(site, visit, ApprovalVerdict::reject); }

} // namespace

std::span<const Route> approval_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/approvals", Who::signed_in, &approval_list_page},
        Route{Method::get, R"(/approvals/(\d+))", Who::signed_in, &request_page},
        Route{Method::post, R"(/approvals/(\d+)/approve)", Who::signed_in, &approve},
        Route{Method::post, R"(/approvals/(\d+)/reject)", Who::signed_in, &reject},
    };
    return routes;
}

} // namespace brankas::web
