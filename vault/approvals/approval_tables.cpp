#include "vault/approvals/approval_tables.hpp"

#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

std::optional<policy::ApprovalState> parse_state(std::string_view s) {
    for (auto state : {policy::ApprovalState::pending, policy::ApprovalState::rejected, policy::ApprovalState::used})
        if (policy::approval_state_name(state) == s) return state;
    return std::nullopt;
}

} // namespace

Result<std::optional<ApprovalRow>> find_approval(Database& db, std::int64_t id) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT action, target, reason, duration_us, requester, expires_us, state FROM approvals WHERE id = ?"));
    s.bind(1, id);
    if (!BRANKAS_TRY(s.step())) return std::optional<ApprovalRow>{};
    ApprovalRow row;
    row.id = id;
    auto action = policy::parse_dual_action(s.column_text(0));
    auto state = parse_state(s.column_text(6));
    if (!action || !state) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the approvals table holds a request it cannot read"), {});
    row.asked = ApprovalRequested{*action, s.column_text(1), s.column_text(2), s.column_int(3)};
    row.requester = s.column_text(4);
    row.expires_us = s.column_int(5);
    row.state = *state;
    Statement v = BRANKAS_TRY(db.prepare("SELECT approver FROM approval_votes WHERE approval = ? AND verdict = 'grant' ORDER BY seq"));
    v.bind(1, id);
    while (BRANKAS_TRY(v.step())) row.granted_by.push_back(v.column_text(0));
    return std::optional<ApprovalRow>(std::move(row));
}

policy::ApprovalFacts approval_facts(const ApprovalRow& row, const ApprovalRequested& acting) {
    policy::ApprovalFacts f;
    f.id = row.id;
    f.action = row.asked.action;
    f.requester = row.requester;
    f.state = row.state;
    f.granted_by = row.granted_by;
    f.expires_us = row.expires_us;
    // Exactly what was asked: the same action on the same target, for the same reason and as long.
    f.matches = acting.action == row.asked.action && acting.target == row.asked.target && acting.reason == row.asked.reason &&
                acting.duration_us == row.asked.duration_us;
    return f;
}

Status end_approval(Database& db, const Event& e, std::int64_t id, policy::ApprovalState state) {
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL approvals SET state = ?, ended_seq = ? WHERE id = ? AND state = 'pending'"));
    // The engine decided on a pending request (a used or rejected one is forbidden before this).
    return s.bind(1, policy::approval_state_name(state)).bind(2, seq_of(e)).bind(3, id).run();
}

} // namespace brankas
