// The policy document in the vault: stored by an event, in force from that event on (for
// commands and for the replay alike), explained on request.
#include "policy/document.hpp"
#include "vault/decisions.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

namespace brankas {

Result<PolicyState> Session::policy_state() {
    PolicyState out;
    out.policy = BRANKAS_TRY(stored_policy(db_));
    if (auto stored = BRANKAS_TRY(stored_policy_document(db_))) {
        out.document = stored->text;
        Statement s = BRANKAS_TRY(db_.prepare("SELECT time_us, actor FROM events WHERE seq = ?"));
        s.bind(1, stored->set_seq);
        if (BRANKAS_TRY(s.step())) {
            out.set_us = s.column_int(0);
            out.set_by = s.column_text(1);
        }
    }
    return out;
}

Status Session::set_policy(std::string_view document) {
    if (document.size() > policy::max_document_size)
        return fail(ErrorCode::usage, "the policy document is larger than " + std::to_string(policy::max_document_size / 1024) + " KiB");
    auto parsed = policy::parse_policy_document(document);
    if (!parsed) {
        const auto& first = parsed.error().front();
        return fail(ErrorCode::usage,
                    "the policy document is not valid: " + (first.line > 0 ? "line " + std::to_string(first.line) + ": " : "") +
                        first.message,
                    "`brankas policy check FILE` lists every error");
    }
    BRANKAS_TRY(permit(policy::Action::set_policy, "policy"));
    Event e;
    e.action = std::string(actions::policy_set);
    e.target = "policy";
    // Bytes, not text: a document has line breaks, which event text fields refuse.
    e.details.bytes("document", Bytes(document.begin(), document.end()));
    BRANKAS_TRY(record(std::move(e)));
    return {};
}

Result<Explanation> Session::explain(const ExplainQuestion& q) {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "policy"));
    auto who = BRANKAS_TRY(find_principal(db_, q.user));
    if (!who) return fail(ErrorCode::no_such_user, "no user '" + q.user + "' in this vault");
    auto role = policy::parse_role(who->role);
    if (!role) return fail(ErrorCode::store_corrupt, "user '" + q.user + "' has an unknown role");
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    Explanation out;
    out.user = q.user;
    out.role = who->role;
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
        AccountInfo a = BRANKAS_TRY(account_by_id(db_, *q.account));
        out.facts = BRANKAS_TRY(unit_facts(db_, q.user, a.unit, pol, q.at_us));
        if (auto open = BRANKAS_TRY(open_checkout(db_, a.id)); open && open->until_us > q.at_us)
            out.facts.holder = policy::Holder{open->holder, open->until_us};
        out.account = std::move(a);
    }
    if (q.handover) {
        HandoverRow row = BRANKAS_TRY(existing_handover(db_, *q.handover));
        out.facts.handover = BRANKAS_TRY(handover_facts(db_, row));
        out.handover = row.id;
        out.handover_unit = row.unit;
    }
    // A person asking about a check-out or a reveal means one with a reason; explain that one
    // unless told.
    if (request.reason.empty() && (q.action == policy::Action::checkout || q.action == policy::Action::read_secret))
        request.reason = "(a reason)";
    out.decision = policy::decide(request, out.facts, pol, q.at_us);
    return out;
}

} // namespace brankas
