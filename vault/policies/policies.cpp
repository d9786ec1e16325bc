// The policy document in the vault: stored by an event, in force from that event on (for
// commands and for the replay alike), explained on request.
#include "vault/policies/policies.hpp"

#include "policy/document.hpp"
#include "policy/role.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/handover/handover.hpp"
#include "vault/people/people.hpp"
#include "vault/policies/policy_events.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/session.hpp"

namespace brankas {

Status check_policy_document(std::string_view document) {
    if (document.size() > policy::max_document_size)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the policy document is larger than %s KiB"),
                            {std::to_string(policy::max_document_size / 1024)});
    auto parsed = policy::parse_policy_document(document);
    if (!parsed) {
        const auto& first = parsed.error().front();
        // The parser's own sentence as a phrase (plain English where it has none).
        i18n::Phrase said = first.phrase.id ? first.phrase : i18n::Phrase::plain(first.message);
        if (first.line > 0)
            return fail_phrase(ErrorCode::usage,
                               i18n::Phrase(i18n::tr_noop("the policy document is not valid: line %1$s: %2$s"),
                                            {i18n::Phrase::plain(std::to_string(first.line)), std::move(said)}),
                               i18n::tr_noop("`brankas policy check FILE` lists every error"));
        return fail_phrase(ErrorCode::usage, i18n::Phrase(i18n::tr_noop("the policy document is not valid: %1$s"), {std::move(said)}),
                           i18n::tr_noop("`brankas policy check FILE` lists every error"));
    }
    return {};
}

Result<PolicyState> policy_state(Session& session) {
    Database& db = session.db();
    PolicyState out;
    out.policy = BRANKAS_TRY(stored_policy(db));
    if (auto stored = BRANKAS_TRY(stored_policy_document(db))) {
        out.document = stored->text;
        Statement s = BRANKAS_TRY(db.prepare("SELECT time_us, actor FROM events WHERE seq = ?"));
        s.bind(1, stored->set_seq);
        if (BRANKAS_TRY(s.step())) {
            out.set_us = s.column_int(0);
            out.set_by = s.column_text(1);
        }
    }
    return out;
}

Result<std::vector<ForbidNameUnmatched>> unmatched_forbid_names(Session& session, const policy::Policy& policy) {
    Database& db = session.db();
    std::vector<ForbidNameUnmatched> out;
    Statement person = BRANKAS_TRY(db.prepare("SELECT role FROM principals WHERE name = ?"));
    Statement unit = BRANKAS_TRY(db.prepare("SELECT 1 FROM units WHERE code = ?"));
    for (const policy::ForbidRule& rule : policy.forbid) {
        for (const std::string& name : rule.people) {
            person.reset();
            person.bind(1, name);
            if (!BRANKAS_TRY(person.step())) {
                out.push_back({rule.line, ForbidNameUnmatched::Kind::no_user, name, std::nullopt});
                continue;
            }
            auto role = policy::parse_role(person.column_text(0));
            if (rule.role && role && *role != *rule.role) out.push_back({rule.line, ForbidNameUnmatched::Kind::other_role, name, role});
        }
        for (const std::string& code : rule.units) {
            unit.reset();
            unit.bind(1, code);
            if (!BRANKAS_TRY(unit.step())) out.push_back({rule.line, ForbidNameUnmatched::Kind::no_unit, code, std::nullopt});
        }
    }
    return out;
}

Status check_policy_reason(std::string_view reason) {
    return check_stated_reason(reason, i18n::tr_noop("setting the policy under dual control needs a reason"));
}

Result<policy::Decision> decide_policy_set(Database& db, const Actor& actor, std::int64_t now_us, std::optional<policy::ApprovalFacts> approval) {
    policy::Request request;
    request.action = policy::Action::set_policy;
    policy::Facts facts;
    facts.approval = std::move(approval);
    return decide_as(db, actor, now_us, std::move(request), {}, std::move(facts));
}

Result<PolicySetReceipt> set_policy(Session& session, std::string_view document, const PolicySetAsk& ask) {
    BRANKAS_TRY(check_policy_document(document));
    BRANKAS_TRY(check_typed_line(ask.reason, i18n::tr_noop("a reason")));
    if (!ask.reason.empty()) BRANKAS_TRY(check_policy_reason(ask.reason));
    const Actor actor{session.user(), session.role()};
    return session.write([&](Change& change) -> Result<PolicySetReceipt> {
        std::string reason = ask.reason;
        const std::string target = policy_document_target(document);
        std::optional<policy::ApprovalFacts> approval;
        if (ask.request) {
            // The request describes the action: its reason unless one is given, and the
            // document it names must be this one (the engine compares).
            auto named = BRANKAS_TRY(find_approval(change.db(), *ask.request));
            if (!named)
                return fail_phrased(ErrorCode::not_found, i18n::tr_noop("there is no request %s"), {std::to_string(*ask.request)},
                                    i18n::tr_noop("list them with `brankas approvals --all`"));
            if (reason.empty()) reason = named->asked.reason;
            approval = approval_facts(*named, {policy::DualAction::policy_set, target, reason, 0});
        }
        policy::Decision d = BRANKAS_TRY(decide_policy_set(change.db(), actor, change.now(), approval));
        if (!d.allowed() && d.awaits_approval) {
            // Dual control and no request named: the request for exactly this document is what
            // this records.
            BRANKAS_TRY(check_policy_reason(reason));
            policy::Policy in_force = BRANKAS_TRY(stored_policy(change.db()));
            SignedEvent recorded = BRANKAS_TRY(change.append(ApprovalRequested{policy::DualAction::policy_set, target, reason, 0}));
            PolicySetReceipt pending;
            pending.awaiting = AwaitingApproval{static_cast<std::int64_t>(recorded.seq), change.now() + in_force.dual_control.window_us};
            return pending;
        }
        if (!d.allowed()) return change.refuse(policy::Action::set_policy, "policy", d);
        PolicySet set{std::string(document)};
        if (!reason.empty()) set.reason = reason;
        if (d.obliges(policy::Obligation::use_approval)) set.request = ask.request;
        BRANKAS_TRY(change.append(set));
        return PolicySetReceipt{set.request, std::nullopt};
    });
}

Status set_policy(Session& session, std::string_view document) {
    PolicySetReceipt r = BRANKAS_TRY(set_policy(session, document, PolicySetAsk{}));
    if (r.awaiting)
        return fail_phrased(ErrorCode::awaiting_approval, i18n::tr_noop("setting the policy needs a second person's approval: request %s is recorded"),
                            {std::to_string(r.awaiting->request)});
    return {};
}

Result<Explanation> explain(Session& session, const ExplainQuestion& q) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "policy"));
    Database& db = session.db();
    auto who = BRANKAS_TRY(find_principal(db, q.user));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s' in this vault"), {i18n::echo(q.user)});
    // What the policy would say of a person, or of an account, the asker is not shown would show
    // them that person's sub-districts and the account's holder: refused (and recorded) as
    // `user show` and `account show` refuse them.
    BRANKAS_TRY(show_user(session, q.user));
    const std::optional<policy::Role> role = who->role;
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Explanation out;
    out.user = q.user;
    out.role = std::string(policy::role_name(who->role));
    out.action = q.action;
    out.at_us = q.at_us;
    policy::Request request;
    request.role = *role;
    request.actor = q.user;
    request.action = q.action;
    request.reason = q.reason;
    request.break_glass = q.break_glass;
    request.duration_us = q.duration_us;
    if (q.account) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db, *q.account));
        BRANKAS_TRY(session.permit(policy::Action::read_unit, account_target(a.id), a.unit));
        out.facts = BRANKAS_TRY(unit_facts(db, q.user, a.unit, pol, q.at_us));
        if (auto open = BRANKAS_TRY(open_checkout(db, a.id)); open && open->until_us > q.at_us)
            out.facts.holder = policy::Holder{open->holder, open->until_us};
        out.account = std::move(a);
    }
    if (q.handover) {
        HandoverRow row = BRANKAS_TRY(existing_handover(db, *q.handover));
        BRANKAS_TRY(show_handover(session, row.id)); // refused as `handover show` refuses it
        out.facts.handover = BRANKAS_TRY(handover_facts(db, row));
        out.handover = row.id;
        out.handover_unit = row.unit;
    }
    if (q.request) {
        auto row = BRANKAS_TRY(find_approval(db, *q.request));
        if (!row) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("there is no request %s"), {std::to_string(*q.request)});
        BRANKAS_TRY(approval_info(session, *q.request)); // refused as the request's page refuses it
        if (q.action == policy::Action::checkout) {
            // As `checkout --request` does: what the question leaves out comes from the request.
            if (!q.account) return fail_phrased(ErrorCode::usage, i18n::tr_noop("--request with checkout needs the --account it is about"), {});
            if (request.reason.empty()) request.reason = row->asked.reason;
            if (!request.duration_us) request.duration_us = row->asked.duration_us;
            request.break_glass = true;
            out.facts.approval = approval_facts(*row, {row->asked.action, account_target(*q.account), request.reason, *request.duration_us});
        } else {
            // A policy set, a re-key or a split as the request describes it: the question is where
            // the request stands. Managing people with one is the step it asks for.
            if (q.action == policy::Action::manage_people) {
                if (row->asked.action != policy::DualAction::rekey && row->asked.action != policy::DualAction::recovery_split)
                    return fail_phrased(ErrorCode::usage, i18n::tr_noop("request %s is not for a re-key or a recovery split"),
                                        {std::to_string(*q.request)});
                request.step = row->asked.action;
            }
            out.facts.approval = approval_facts(*row, row->asked);
        }
    }
    // `rotate` asked about is a rotation's start, the step that shows a password (and so the one
    // a term or the break-glass rule decides), unless the question is its finish: then the
    // account's pending rotation (who started it, and how) is a fact.
    if (q.action == policy::Action::rotate) request.rotation = q.finish ? policy::RotationStep::finish : policy::RotationStep::start;
    if (q.finish && out.account) {
        if (auto pending = BRANKAS_TRY(pending_secret(db, out.account->id)))
            out.facts.pending_rotation = policy::PendingRotationFacts{pending->set_by, pending->break_glass};
    }
    // A person asking about a check-out, a reveal or a rotation's start means one with a reason;
    // explain that one unless told.
    if (request.reason.empty() && (q.action == policy::Action::checkout || q.action == policy::Action::read_secret ||
                                   (q.action == policy::Action::rotate && !q.finish)))
        request.reason = "(a reason)";
    out.decision = policy::decide(request, out.facts, pol, q.at_us);
    return out;
}

} // namespace brankas
