// Granting, rejecting and listing requests under dual control.
#include "vault/approvals/approvals.hpp"

#include "vault/accounts/account_tables.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/audit/audit_queries.hpp"
#include "vault/change.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/people/principals.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"

namespace brankas {

std::string_view approval_verdict_name(ApprovalVerdict v) noexcept { return v == ApprovalVerdict::grant ? "grant" : "reject"; }

// English, as --json writes it; marked for the catalogue so a table can translate it.
std::string_view ApprovalInfo::standing(std::int64_t now_us) const noexcept {
    switch (row.state) {
    case policy::ApprovalState::rejected: return i18n::tr_noop("rejected");
    case policy::ApprovalState::used: return i18n::tr_noop("used");
    case policy::ApprovalState::pending: break;
    }
    if (expired(now_us)) return i18n::tr_noop("expired");
    return static_cast<int>(row.granted_by.size()) >= needed ? i18n::tr_noop("approved") : i18n::tr_noop("pending");
}

Status check_stated_reason(std::string_view reason, const char* when_blank) {
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail_phrased(ErrorCode::usage, when_blank, {}, i18n::tr_noop("say why with --reason \"...\""));
    BRANKAS_TRY(check_reason_length(reason));
    if (!is_printable_utf8(reason))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the reason must be at most %s bytes of printable text"), {std::to_string(max_reason)});
    return {};
}

Status check_approval_reason(std::string_view reason) {
    return check_stated_reason(reason, i18n::tr_noop("a grant or a rejection needs a reason"));
}

Result<policy::Decision> decide_approval(Database& db, const Actor& actor, std::int64_t now_us, const ApprovalRow& row) {
    policy::Request request;
    request.action = policy::Action::approve;
    policy::Facts facts;
    facts.approval = approval_facts(row, row.asked);
    return decide_as(db, actor, now_us, std::move(request), {}, std::move(facts));
}

Status check_request_reason(std::string_view reason) {
    return check_stated_reason(reason, i18n::tr_noop("an action under dual control needs a reason"));
}

Result<policy::Decision> decide_people_step(Database& db, const Actor& actor, std::int64_t now_us, policy::DualAction step,
                                            std::optional<policy::ApprovalFacts> approval) {
    policy::Request request;
    request.action = policy::Action::manage_people;
    request.step = step;
    policy::Facts facts;
    facts.approval = std::move(approval);
    return decide_as(db, actor, now_us, std::move(request), {}, std::move(facts));
}

Status decide_people_step_again(Database& db, const Event& e, const ApprovalRequested& acting, std::optional<std::int64_t> request) {
    if (!acting.reason.empty())
        if (auto ok = check_request_reason(acting.reason); !ok) return event_refused(e, i18n::tr_noop("has a reason that %s"), ok.error());
    std::optional<policy::ApprovalFacts> approval;
    if (request) {
        auto named = BRANKAS_TRY(find_approval(db, *request));
        if (!named) return event_refused(e, i18n::tr_noop("names a request that does not exist"));
        approval = approval_facts(*named, acting);
    }
    policy::Decision d = BRANKAS_TRY(
        decide_event_with(db, e, [&](const Actor& actor) { return decide_people_step(db, actor, e.time_us, acting.action, approval); }));
    if (request.has_value() != d.obliges(policy::Obligation::use_approval)) return event_refused(e, i18n::tr_noop("names a request its decision did not use"));
    if (request) BRANKAS_TRY(end_approval(db, e, *request, policy::ApprovalState::used));
    return {};
}

Result<HeldStep> hold_people_step(Change& change, ApprovalRequested acting, std::optional<std::int64_t> request, std::string_view target) {
    Database& db = change.db();
    const Actor actor{change.session().user(), change.session().role()};
    BRANKAS_TRY(check_typed_line(acting.reason, i18n::tr_noop("a reason"))); // as typed, before a request's is taken
    std::optional<policy::ApprovalFacts> approval;
    if (request) {
        // The request describes the step: its reason unless one is given; the engine compares the rest.
        auto named = BRANKAS_TRY(find_approval(db, *request));
        if (!named)
            return fail_phrased(ErrorCode::not_found, i18n::tr_noop("there is no request %s"), {std::to_string(*request)},
                                i18n::tr_noop("list them with `brankas approvals --all`"));
        if (acting.reason.empty()) acting.reason = named->asked.reason;
        approval = approval_facts(*named, acting);
    }
    policy::Decision d = BRANKAS_TRY(decide_people_step(db, actor, change.now(), acting.action, approval));
    HeldStep held;
    if (!d.allowed() && d.awaits_approval) {
        BRANKAS_TRY(check_request_reason(acting.reason));
        policy::Policy in_force = BRANKAS_TRY(stored_policy(db));
        SignedEvent recorded = BRANKAS_TRY(change.append(acting));
        held.awaiting = AwaitingApproval{static_cast<std::int64_t>(recorded.seq), change.now() + in_force.dual_control.window_us};
        return held;
    }
    if (!d.allowed()) return change.refuse(policy::Action::manage_people, target, d);
    if (!acting.reason.empty()) BRANKAS_TRY(check_request_reason(acting.reason));
    if (d.obliges(policy::Obligation::use_approval)) held.used = request;
    held.reason = std::move(acting.reason);
    return held;
}

Status check_people_step_reason(Session& session, policy::DualAction step, std::string_view reason, std::optional<std::int64_t> request) {
    BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    // hold_people_step checks a reason given whatever it decides (a refusal aside).
    if (!reason.empty()) return check_request_reason(reason);
    // None given: the named request's is used, or none is needed unless the step becomes a request.
    if (request) return {};
    const Actor actor{session.user(), session.role()};
    policy::Decision d = BRANKAS_TRY(decide_people_step(session.db(), actor, session.clock().now_us(), step, std::nullopt));
    if (!d.allowed() && d.awaits_approval) return check_request_reason(reason);
    return {};
}

namespace {

Actor approver(const Session& session) { return Actor{session.user(), session.role()}; }

Result<ApprovalInfo> info_of(Database& db, ApprovalRow row, int needed) {
    ApprovalInfo info;
    info.needed = needed;
    if (auto account = parse_account_target(row.asked.target)) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db, *account));
        info.ref = a.ref();
        info.unit = a.unit;
    }
    Statement t = BRANKAS_TRY(db.prepare(
        "SELECT r.time_us, (SELECT u.time_us FROM events u WHERE u.seq = a.ended_seq AND a.state = 'used') "
        "FROM approvals a JOIN events r ON r.seq = a.id WHERE a.id = ?"));
    t.bind(1, row.id);
    if (BRANKAS_TRY(t.step())) {
        info.requested_us = t.column_int(0);
        if (!t.column_is_null(1)) info.used_at_us = t.column_int(1);
    }
    Statement v = BRANKAS_TRY(db.prepare(
        "SELECT v.approver, v.verdict, v.reason, e.time_us FROM approval_votes v JOIN events e ON e.seq = v.seq "
        "WHERE v.approval = ? ORDER BY v.seq"));
    v.bind(1, row.id);
    while (BRANKAS_TRY(v.step()))
        info.votes.push_back({v.column_text(0), v.column_text(1) == "grant" ? ApprovalVerdict::grant : ApprovalVerdict::reject,
                              v.column_text(2), v.column_int(3)});
    info.row = std::move(row);
    return info;
}

// What people_named reads about everyone: each person's role, and the person each request names.
struct KnownPeople {
    audit_queries::PrincipalRoles roles;
    std::unordered_map<std::int64_t, std::string> requests;
    static Result<KnownPeople> of(Database& db) {
        return KnownPeople{BRANKAS_TRY(audit_queries::principal_roles(db)), BRANKAS_TRY(audit_queries::approval_people(db))};
    }
};

// The people a request names when it names no account, by the audit log's rule
// (audit_queries::people_named) for its approval.request event and for each grant and rejection
// of it: the person a re-key would disable, the requester when a custodian, and each custodian
// who decided on it (the list shows who did, and why). Returns the first one the person is not
// shown (UnitSight::sees_person, the rule of `user list`), if any: the request is shown where the
// log shows every event of it.
Result<std::optional<std::string>> unseen_person(UnitSight& sight, const ApprovalInfo& a, const KnownPeople& known) {
    auto first_unseen = [&](std::string_view action, std::string_view target, std::string_view actor) -> Result<std::optional<std::string>> {
        for (std::string& person : audit_queries::people_named(action, target, actor, known.roles, known.requests))
            if (!BRANKAS_TRY(sight.sees_person_named(person))) return std::optional<std::string>(std::move(person));
        return std::optional<std::string>();
    };
    if (auto unseen = BRANKAS_TRY(first_unseen(actions::approval_request, a.row.asked.target, a.row.requester))) return unseen;
    const std::string target = approval_target(a.row.id);
    for (const ApprovalVote& v : a.votes) {
        const std::string_view action = v.verdict == ApprovalVerdict::grant ? actions::approval_grant : actions::approval_reject;
        if (auto unseen = BRANKAS_TRY(first_unseen(action, target, v.approver))) return unseen;
    }
    return std::optional<std::string>();
}

// Whether the request is shown: one that names an account where its sub-district is
// (read_unit), as the account list leaves the rest out; one that names none (a re-key, a
// recovery split, a policy set) concerns the whole district and is shown when the people it
// names are.
Result<bool> shown(UnitSight& sight, const ApprovalInfo& a, const KnownPeople& known) {
    if (!a.unit.empty()) return sight.sees(a.unit);
    return !BRANKAS_TRY(unseen_person(sight, a, known)).has_value();
}

Result<ApprovalRow> existing(Database& db, std::int64_t id) {
    auto row = BRANKAS_TRY(find_approval(db, id));
    if (!row) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("there is no request %s"), {std::to_string(id)},
                                  i18n::tr_noop("list them with `brankas approvals --all`"));
    return std::move(*row);
}

} // namespace

Result<std::vector<ApprovalInfo>> list_approvals(Session& session, WhichApprovals which) {
    std::vector<ApprovalInfo> out;
    BRANKAS_TRY(for_each_approval(session, which, [&](const ApprovalInfo& a) -> Status {
        out.push_back(a);
        return {};
    }));
    return out;
}

Status for_each_approval(Session& session, WhichApprovals which, const std::function<Status(const ApprovalInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "approvals"));
    Database& db = session.db();
    int needed = BRANKAS_TRY(stored_policy(db)).dual_control.count;
    std::int64_t now = session.clock().now_us();
    // Only the requests the person is shown (shown()), as the account list, the people page and
    // the audit log leave the rest out.
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    const KnownPeople known = BRANKAS_TRY(KnownPeople::of(db));
    std::string sql = "SELECT id FROM approvals";
    if (which == WhichApprovals::waiting) sql += " WHERE state = 'pending' AND expires_us > ?";
    sql += " ORDER BY id";
    Statement s = BRANKAS_TRY(db.prepare(sql));
    if (which == WhichApprovals::waiting) s.bind(1, now);
    while (BRANKAS_TRY(s.step())) {
        ApprovalInfo a = BRANKAS_TRY(info_of(db, BRANKAS_TRY(existing(db, s.column_int(0))), needed));
        if (!BRANKAS_TRY(shown(sight, a, known))) continue;
        BRANKAS_TRY(row(a));
    }
    return {};
}

Result<ApprovalInfo> approval_info(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, approval_target(id)));
    Database& db = session.db();
    int needed = BRANKAS_TRY(stored_policy(db)).dual_control.count;
    ApprovalInfo a = BRANKAS_TRY(info_of(db, BRANKAS_TRY(existing(db, id)), needed));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    const KnownPeople known = BRANKAS_TRY(KnownPeople::of(db));
    if (!BRANKAS_TRY(shown(sight, a, known))) {
        // A request the list leaves out: refused as reading its sub-district (the account's, or
        // that of the person it names, as `user show` refuses them) is, and the refusal recorded.
        std::string unit = a.unit;
        if (unit.empty()) {
            const std::string person = BRANKAS_TRY(unseen_person(sight, a, known)).value_or(std::string());
            const std::vector<std::string> units = BRANKAS_TRY(granted_units(db, person));
            if (!units.empty()) unit = units.front();
        }
        BRANKAS_TRY(session.permit(policy::Action::read_unit, approval_target(id), unit));
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("the policy let a request be read that it would not list"), {});
    }
    return a;
}

Result<ApprovalInfo> decide_request(Session& session, std::int64_t id, ApprovalVerdict verdict, std::string_view reason) {
    BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    BRANKAS_TRY(check_approval_reason(reason));
    // A request the person is not shown is refused (and recorded) as reading it is, before the
    // policy decides whether they may approve: the policy may name custodians among the approvers.
    BRANKAS_TRY(approval_info(session, id));
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        ApprovalRow row = BRANKAS_TRY(existing(change.db(), id));
        policy::Decision d = BRANKAS_TRY(decide_approval(change.db(), approver(session), change.now(), row));
        if (!d.allowed()) return change.refuse(policy::Action::approve, approval_target(id), d);
        if (verdict == ApprovalVerdict::grant)
            BRANKAS_TRY(change.append(ApprovalGranted{id, std::string(reason)}));
        else
            BRANKAS_TRY(change.append(ApprovalRejected{id, std::string(reason)}));
        return {};
    }));
    // Shown to them, checked above: the request as the decision left it.
    Database& db = session.db();
    return info_of(db, BRANKAS_TRY(existing(db, id)), BRANKAS_TRY(stored_policy(db)).dual_control.count);
}

} // namespace brankas
