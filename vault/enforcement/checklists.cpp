// The deactivation checklist: opened for every account a unit.deactivate takes out of use, its
// steps from the policy, each ticked by a person as an event (checklist.tick).
#include "vault/enforcement/enforcement.hpp"
#include "vault/field_rules.hpp"

#include "vault/accounts/account_tables.hpp"
#include "vault/log/actions.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/session.hpp"

#include <algorithm>
#include <functional>

namespace brankas {

bool ChecklistInfo::complete() const noexcept {
    return std::all_of(steps.begin(), steps.end(), [](const ChecklistStepInfo& s) { return s.done; });
}

namespace {

// Each step of a checklist: its list's row, and the step's own row once it was ticked or its
// waiting period started.
constexpr const char* checklist_columns =
    "SELECT c.opened_seq, (SELECT time_us FROM events WHERE seq = c.opened_seq), l.step, l.text, l.waits, s.wait_until_us, "
    "s.done_seq, ifnull((SELECT time_us FROM events WHERE seq = s.done_seq), 0), ifnull(s.done_by, ''), ifnull(s.note, ''), "
    "c.account FROM checklists c JOIN checklist_step_lists l ON l.list = c.list "
    "LEFT JOIN checklist_steps s ON s.account = c.account AND s.opened_seq = c.opened_seq AND s.position = l.position";

// The open checklists among the rows `s` returns (ordered by account, then step), with their accounts.
Result<std::vector<ChecklistInfo>> read_checklists(Statement& s, Database& db) {
    std::vector<ChecklistInfo> out;
    while (BRANKAS_TRY(s.step())) {
        std::int64_t account = s.column_int(10);
        if (out.empty() || out.back().account.id != account)
            out.push_back(ChecklistInfo{BRANKAS_TRY(account_by_id(db, account)), s.column_int(1), {}});
        out.back().steps.push_back({s.column_text(2), s.column_text(3), s.column_int(4) != 0,
                                    s.column_is_null(5) ? std::nullopt : std::optional(s.column_int(5)), !s.column_is_null(6),
                                    s.column_int(7), s.column_text(8), s.column_text(9)});
    }
    return out;
}

} // namespace

Result<std::optional<ChecklistInfo>> checklist(Session& session, std::int64_t account) {
    BRANKAS_TRY(account_by_id(session.db(), account));
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, account_target(account)));
    Statement s = BRANKAS_TRY(session.db().prepare(std::string(checklist_columns) +
                                                   " WHERE c.account = ? AND c.closed_seq IS NULL ORDER BY c.opened_seq, l.position"));
    s.bind(1, account);
    auto lists = BRANKAS_TRY(read_checklists(s, session.db()));
    if (lists.empty()) return std::optional<ChecklistInfo>{};
    return std::optional<ChecklistInfo>(std::move(lists.front()));
}

Status tick_checklist(Session& session, std::int64_t account, std::string_view step, std::string_view note) {
    BRANKAS_TRY(check_typed_line(note, i18n::tr_noop("a note")));
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), account));
    return session.write([&](Change& change) -> Status {
        BRANKAS_TRY(check_checklist_tick(change.db(), account, a.ref(), step, note, change.now()));
        a = BRANKAS_TRY(account_by_id(change.db(), account)); // its version as it is under the write lock
        // The password the platform now has: the replay checks it is current and none is pending.
        const std::optional<std::int64_t> version = version_for_tick(a.version, step);
        BRANKAS_TRY(check_ticked_version(change.db(), account, a.version, step, version));
        BRANKAS_TRY(change.permit(policy::Action::tick_checklist, account_target(account), a.unit));
        BRANKAS_TRY(change.append(ChecklistTicked{account, std::string(step), std::string(note), version}));
        return {};
    });
}

// Both repeat the condition of the index checklists_left word for word and read only its
// columns. An account has at most one open checklist: it opens when an active account is
// deactivated, and the reactivation of its unit closes it; an archived account is never
// deactivated again. So each row is an account, and neither needs DISTINCT or GROUP BY.
Result<std::int64_t> count_incomplete_checklists(Session& session) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "checklists"));
    return session.db().query_int("SELECT count(*) FROM checklists WHERE closed_seq IS NULL AND steps_left > 0");
}

// One statement: the open checklists with steps left in the index's order (no sort), and each
// account looked up by the statement itself, not by a statement of ours per row.
Status for_each_incomplete_checklist(Session& session, std::optional<std::size_t> first,
                                     const std::function<Status(std::string_view ref)>& each) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "checklists"));
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT (SELECT a.platform || '/' || a.handle FROM accounts a WHERE a.id = c.account) FROM checklists c "
        "WHERE c.closed_seq IS NULL AND c.steps_left > 0 ORDER BY c.account LIMIT ?"));
    s.bind(1, first ? static_cast<std::int64_t>(*first) : std::int64_t{-1}); // -1: no limit
    while (BRANKAS_TRY(s.step())) {
        if (s.column_is_null(0))
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a checklist names an account the store does not hold"), {});
        const ByteView text = s.column_raw(0);
        BRANKAS_TRY(each(std::string_view(reinterpret_cast<const char*>(text.data()), text.size())));
    }
    return {};
}

} // namespace brankas
