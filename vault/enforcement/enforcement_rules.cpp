// The rules of enforcement, written once: what the engine plans from, which key a deactivated
// unit moves to, and when a checklist step may be ticked. The live path and the replay both
// call them.
#include "vault/enforcement/enforcement.hpp"

#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/rotation/rotation_tables.hpp"

#include <map>

namespace brankas {

Result<policy::EnforcementFacts> enforcement_facts(Database& db) {
    EnforcementReads reads = BRANKAS_TRY(enforcement_reads(db));
    return std::move(reads.facts);
}

Result<EnforcementReads> enforcement_reads(Database& db) {
    EnforcementReads reads;
    policy::EnforcementFacts& facts = reads.facts;
    struct TermRow {
        std::string name;
        std::int64_t start_us, end_us;
        bool all_units;
    };
    std::vector<TermRow> terms;
    Statement t = BRANKAS_TRY(db.prepare("SELECT name, start_us, end_us, all_units FROM terms ORDER BY start_us, name"));
    while (BRANKAS_TRY(t.step())) terms.push_back({t.column_text(0), t.column_int(1), t.column_int(2), t.column_int(3) != 0});
    // (term, unit) -> the unit's own end, if it has one; presence alone means the term names it.
    std::map<std::pair<std::string, std::string>, std::optional<std::int64_t>> named;
    Statement tu = BRANKAS_TRY(db.prepare("SELECT term, unit, end_us FROM term_units"));
    while (BRANKAS_TRY(tu.step()))
        named[{tu.column_text(0), tu.column_text(1)}] = tu.column_is_null(2) ? std::nullopt : std::optional(tu.column_int(2));
    Statement u = BRANKAS_TRY(db.prepare("SELECT code FROM units ORDER BY code"));
    while (BRANKAS_TRY(u.step())) {
        policy::UnitFacts unit{u.column_text(0), {}};
        for (const auto& term : terms) {
            auto it = named.find({term.name, unit.code});
            if (it == named.end() && !term.all_units) continue;
            std::int64_t end = it != named.end() && it->second ? *it->second : term.end_us;
            unit.windows.push_back({term.name, term.start_us, end});
        }
        facts.units.push_back(std::move(unit));
    }
    Statement a = BRANKAS_TRY(db.prepare(
        "SELECT a.id, a.unit, a.status = 'active', a.rotation_due, ifnull(v.set_us, 0), a.version FROM accounts a "
        "LEFT JOIN secret_versions v INDEXED BY secret_versions_set ON v.account = a.id AND v.version = a.version "
        "WHERE a.status <> 'archived' ORDER BY a.id"));
    while (BRANKAS_TRY(a.step())) {
        facts.accounts.push_back({a.column_int(0), a.column_text(1), a.column_int(2) != 0, a.column_int(3) != 0, a.column_int(4)});
        reads.versions.push_back(a.column_int(5));
    }
    Statement g = BRANKAS_TRY(db.prepare(
        "SELECT g.principal, g.unit FROM grants g JOIN principals p ON p.name = g.principal "
        "WHERE g.revoked_seq IS NULL AND p.role = 'custodian' ORDER BY g.unit, g.principal"));
    while (BRANKAS_TRY(g.step())) facts.grants.push_back({g.column_text(0), g.column_text(1)});
    Statement c = BRANKAS_TRY(db.prepare("SELECT account, holder, until_us FROM checkouts WHERE ended_seq IS NULL ORDER BY account"));
    while (BRANKAS_TRY(c.step())) facts.checkouts.push_back({c.column_int(0), c.column_text(1), c.column_int(2)});
    return reads;
}

std::optional<std::int64_t> deactivation_key_version(std::string_view custodians, std::optional<std::int64_t> standby) {
    if (custodians.empty()) return std::nullopt;
    return standby;
}

Result<std::int64_t> keep_checklist_list(Database& db, const policy::Policy& pol) {
    const std::int64_t list = BRANKAS_TRY(db.query_int("SELECT ifnull((SELECT set_seq FROM policy), 0)"));
    Statement kept = BRANKAS_TRY(db.prepare("SELECT count(*) FROM checklist_step_lists WHERE list = ?"));
    kept.bind(1, list);
    BRANKAS_TRY(kept.step());
    if (kept.column_int(0) != 0) return list;
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO checklist_step_lists (list, position, step, text, waits) VALUES (?, ?, ?, ?, ?)"));
    std::int64_t position = 0;
    for (const auto& step : pol.checklist) {
        s.reset();
        BRANKAS_TRY(s.bind(1, list).bind(2, ++position).bind(3, step.id).bind(4, step.text).bind(5, step.waits ? 1 : 0).run());
    }
    return list;
}

Result<ChecklistStepRow> check_checklist_tick(Database& db, std::int64_t account, std::string_view account_name, std::string_view step,
                                              std::string_view note, std::int64_t now_us) {
    if (note.size() > max_reason || !is_printable_utf8(note))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the note must be at most %s bytes of printable text"), {std::to_string(max_reason)});
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT l.step, c.opened_seq, l.position, l.waits, d.wait_until_us, d.done_seq, d.account IS NOT NULL "
        "FROM checklists c JOIN checklist_step_lists l ON l.list = c.list "
        "LEFT JOIN checklist_steps d ON d.account = c.account AND d.opened_seq = c.opened_seq AND d.position = l.position "
        "WHERE c.account = ? AND c.closed_seq IS NULL ORDER BY c.opened_seq, l.position"));
    s.bind(1, account);
    std::string ids;
    std::optional<ChecklistStepRow> found;
    while (BRANKAS_TRY(s.step())) {
        std::string id = s.column_text(0);
        if (found) { // the row after the step: does the next step of its checklist wait?
            found->next_waits = s.column_int(1) == found->opened_seq && s.column_int(3) != 0;
            return *found;
        }
        ids += (ids.empty() ? "" : ", ") + id;
        if (id != step) continue;
        const std::string name(step);
        if (!s.column_is_null(5)) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("step '%1$s' of %2$s is already done"),
                                                      {std::string(name), std::string(account_name)});
        if (s.column_int(3) != 0 && s.column_is_null(4))
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the waiting period starts when the step before it is done"), {});
        if (s.column_int(3) != 0 && s.column_int(4) > now_us)
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the platform's waiting period has not passed yet"), {},
                                i18n::tr_noop("tick it once it has"));
        found = ChecklistStepRow{s.column_int(1), s.column_int(2), s.column_int(6) != 0, false};
    }
    if (found) return *found;
    if (ids.empty()) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s has no open deactivation checklist"), {std::string(account_name)});
    return fail_phrased(ErrorCode::not_found, i18n::tr_noop("the checklist of %1$s has no step '%2$s'"),
                        {std::string(account_name), std::string(step), std::string(ids)}, i18n::tr_noop("its steps: %3$s"));
}

std::optional<std::int64_t> version_for_tick(std::int64_t current, std::string_view step) {
    if (step != new_password_step) return std::nullopt;
    return current;
}

Status check_ticked_version(Database& db, std::int64_t account, std::int64_t current, std::string_view step,
                            std::optional<std::int64_t> version) {
    if (!version) return {};
    if (step != new_password_step) return fail_phrased(ErrorCode::usage, i18n::tr_noop("has a version where none belongs"), {});
    if (BRANKAS_TRY(pending_version(db, account)))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the new password is still pending: set it on the platform and confirm the rotation first"),
                            {}, i18n::tr_noop("`brankas rotate REF --confirm`, then tick the step"));
    if (*version != current) return fail_phrased(ErrorCode::usage, i18n::tr_noop("names a version that is not the account's current password"), {});
    return {};
}

} // namespace brankas
