// The end-of-term job. The plan is the policy engine's (a pure function of the facts read here,
// the policy and the time); carrying it out is a series of ordinary events in one transaction,
// each checked by the projection as any other. The enforcer holds no unit key: it seals fresh
// passwords to a unit's public key and can never open them again, and it rotates a unit's key
// only to the standby key an admin published ahead.
#include "policy/document.hpp"
#include "vault/encoding.hpp"
#include "vault/decisions.hpp"
#include "vault/field_rules.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/vault.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace brankas {

Result<policy::EnforcementFacts> Session::enforcement_facts() {
    policy::EnforcementFacts facts;
    struct TermRow {
        std::string name;
        std::int64_t start_us, end_us;
        bool all_units;
    };
    std::vector<TermRow> terms;
    Statement t = BRANKAS_TRY(db_.prepare("SELECT name, start_us, end_us, all_units FROM terms ORDER BY start_us, name"));
    while (BRANKAS_TRY(t.step())) terms.push_back({t.column_text(0), t.column_int(1), t.column_int(2), t.column_int(3) != 0});
    // (term, unit) -> the unit's own end, if it has one; presence alone means the term names it.
    std::map<std::pair<std::string, std::string>, std::optional<std::int64_t>> named;
    Statement tu = BRANKAS_TRY(db_.prepare("SELECT term, unit, end_us FROM term_units"));
    while (BRANKAS_TRY(tu.step()))
        named[{tu.column_text(0), tu.column_text(1)}] = tu.column_is_null(2) ? std::nullopt : std::optional(tu.column_int(2));
    Statement u = BRANKAS_TRY(db_.prepare("SELECT code FROM units ORDER BY code"));
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
    Statement a = BRANKAS_TRY(db_.prepare(
        "SELECT a.id, a.unit, a.status = 'active', a.rotation_due, ifnull(v.set_us, 0) FROM accounts a "
        "LEFT JOIN secret_versions v ON v.account = a.id AND v.version = a.version "
        "WHERE a.status IN ('active', 'deactivated') ORDER BY a.id"));
    while (BRANKAS_TRY(a.step()))
        facts.accounts.push_back({a.column_int(0), a.column_text(1), a.column_int(2) != 0, a.column_int(3) != 0, a.column_int(4)});
    Statement g = BRANKAS_TRY(db_.prepare(
        "SELECT g.principal, g.unit FROM grants g JOIN principals p ON p.name = g.principal "
        "WHERE g.revoked_seq IS NULL AND p.role = 'custodian' ORDER BY g.unit, g.principal"));
    while (BRANKAS_TRY(g.step())) facts.grants.push_back({g.column_text(0), g.column_text(1)});
    Statement c = BRANKAS_TRY(db_.prepare("SELECT account, holder, until_us FROM checkouts WHERE ended_seq IS NULL ORDER BY account"));
    while (BRANKAS_TRY(c.step())) facts.checkouts.push_back({c.column_int(0), c.column_text(1), c.column_int(2)});
    return facts;
}

Result<policy::EnforcementPlan> Session::enforcement_plan(std::int64_t at_us) {
    BRANKAS_TRY(permit(policy::Action::enforce, "enforce"));
    Transaction tx = BRANKAS_TRY(Transaction::begin_read(db_));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    return policy::plan_enforcement(BRANKAS_TRY(enforcement_facts()), pol, at_us);
}

Result<EnforcementReport> Session::enforce() {
    BRANKAS_TRY(permit(policy::Action::enforce, "enforce"));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    const std::int64_t now = clock_->now_us();
    EnforcementReport report;
    report.plan = policy::plan_enforcement(BRANKAS_TRY(enforcement_facts()), pol, now);
    const policy::EnforcementPlan& plan = report.plan;
    auto emit = [&](Event e) -> Status {
        BRANKAS_TRY(append(std::move(e)));
        ++report.events;
        return {};
    };
    auto account_event = [](std::string_view action, std::int64_t id) {
        Event e;
        e.action = std::string(action);
        e.target = account_target(id);
        return e;
    };

    std::unordered_map<std::string, const policy::EndedUnit*> ended;
    for (const auto& unit : plan.ended_units) ended[unit.code] = &unit;
    std::map<std::string, std::vector<std::int64_t>> deactivate_by_unit;
    std::set<std::int64_t> expired;
    {
        Statement unit_of = BRANKAS_TRY(db_.prepare("SELECT unit FROM accounts WHERE id = ?"));
        for (std::int64_t id : plan.deactivate) {
            unit_of.reset();
            unit_of.bind(1, id);
            if (!BRANKAS_TRY(unit_of.step())) return fail(ErrorCode::internal, "a planned account is missing");
            deactivate_by_unit[unit_of.column_text(0)].push_back(id);
        }
    }
    // plan.revoke is sorted by unit, then principal: the names come out sorted, as the event wants them.
    std::unordered_map<std::string, std::string> custodians_of;
    for (const auto& grant : plan.revoke) {
        std::string& names = custodians_of[grant.unit];
        names += (names.empty() ? "" : ", ") + grant.principal;
    }
    for (const auto& unit : plan.ended_units) {
        const auto& ids = deactivate_by_unit[unit.code];
        const std::string& custodians = custodians_of[unit.code];
        if (ids.empty() && custodians.empty()) continue; // ended before, nothing left
        // One event ends the unit: its accounts deactivated (each with a checklist), its
        // custodians' grants ended and, when it has one, the unit moved to its standby key, which
        // the revoked custodians never held and whose secret half only the admins hold: the
        // enforcer switches keys without ever seeing one. The versions sealed to the old key stay
        // readable by those who hold it (and are flagged for rotation). Without a standby (an
        // admin's rotation is owed), the grants still end and `status` names the unit.
        Event e;
        e.action = std::string(actions::unit_deactivate);
        e.target = unit.code;
        e.details.text("term", unit.last_term).integer("accounts", static_cast<std::int64_t>(ids.size())).text("custodians", custodians);
        if (!custodians.empty()) {
            if (auto standby = BRANKAS_TRY(standby_key_version(unit.code))) {
                e.details.integer("key_version", *standby);
                ++report.rotated_units;
            } else {
                report.rotation_owed.push_back(unit.code);
            }
        }
        BRANKAS_TRY(emit(std::move(e)));
        for (std::int64_t id : ids) {
            // A check-out of an account that is no longer usable ends with it.
            if (BRANKAS_TRY(open_checkout(db_, id))) {
                BRANKAS_TRY(emit(account_event(actions::checkout_expire, id)));
                expired.insert(id);
            }
        }
        // A fresh password for every account taken out of use, sealed to the unit's current key.
        // (Timed apart: generating and sealing dominate a large run, and are the enforcer's
        // only use of randomness and public-key encryption.)
        const auto sealing_started = std::chrono::steady_clock::now();
        for (std::int64_t id : ids) {
            if (BRANKAS_TRY(pending_version(db_, id))) continue; // a person's rotation is already waiting
            AccountInfo a = BRANKAS_TRY(account_by_id(db_, id));
            SecretPayload payload{static_cast<std::uint64_t>(id), static_cast<std::uint32_t>(a.version + 1),
                                  BRANKAS_TRY(generate_password(PasswordRules{})), std::nullopt, SecretBytes{}, SecretBytes{}};
            BRANKAS_TRY(append_pending(a, payload, "end of term '" + unit.last_term + "'"));
            ++report.events;
            ++report.sealed;
        }
        report.sealing_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - sealing_started).count();
    }
    BRANKAS_TRY(reactivate_units(plan.reactivate, report.events));
    for (const auto& c : plan.expire) {
        if (expired.contains(c.account)) continue;
        BRANKAS_TRY(emit(account_event(actions::checkout_expire, c.account)));
    }
    for (std::int64_t id : plan.flag_rotation) {
        BRANKAS_TRY(emit(AccountFlagged{id, "the password is older than " + policy::format_duration(pol.max_password_age_us)}.encode()));
    }
    if (report.events > 0) BRANKAS_TRY(tx.commit());
    return report;
}

Status Session::reactivate_units(const std::vector<policy::ReactivatedUnit>& units, std::size_t& events) {
    for (const auto& unit : units) {
        Event e;
        e.action = std::string(actions::unit_reactivate);
        e.target = unit.code;
        e.details.text("term", unit.term)
            .integer("accounts", static_cast<std::int64_t>(unit.accounts.size()))
            .integer("unfinished_checklists", BRANKAS_TRY(unfinished_checklists(db_, unit.code)));
        BRANKAS_TRY(append(std::move(e)));
        ++events;
    }
    return {};
}

Result<std::vector<policy::ReactivatedUnit>> Session::reactivate_now() {
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    auto plan = policy::plan_enforcement(BRANKAS_TRY(enforcement_facts()), pol, clock_->now_us());
    std::size_t events = 0;
    BRANKAS_TRY(reactivate_units(plan.reactivate, events));
    return plan.reactivate;
}

// ---- deactivation checklists ----

bool ChecklistInfo::complete() const noexcept {
    return std::all_of(steps.begin(), steps.end(), [](const ChecklistStepInfo& s) { return s.done; });
}

namespace {

constexpr const char* checklist_columns =
    "SELECT s.opened_seq, (SELECT time_us FROM events WHERE seq = s.opened_seq), s.step, s.text, s.waits, s.wait_until_us, "
    "s.done_seq, ifnull((SELECT time_us FROM events WHERE seq = s.done_seq), 0), ifnull(s.done_by, ''), ifnull(s.note, ''), "
    "s.account FROM checklist_steps s";

} // namespace

namespace {

// The open checklists among the rows `s` returns (ordered by account, then step), with their accounts.
Result<std::vector<ChecklistInfo>> read_checklists(Statement& s, const std::function<Result<AccountInfo>(std::int64_t)>& account_of) {
    std::vector<ChecklistInfo> out;
    while (BRANKAS_TRY(s.step())) {
        std::int64_t account = s.column_int(10);
        if (out.empty() || out.back().account.id != account) out.push_back(ChecklistInfo{BRANKAS_TRY(account_of(account)), s.column_int(1), {}});
        out.back().steps.push_back({s.column_text(2), s.column_text(3), s.column_int(4) != 0,
                                    s.column_is_null(5) ? std::nullopt : std::optional(s.column_int(5)), !s.column_is_null(6),
                                    s.column_int(7), s.column_text(8), s.column_text(9)});
    }
    return out;
}

} // namespace

Result<std::optional<ChecklistInfo>> Session::checklist(std::int64_t account) {
    BRANKAS_TRY(account_by_id(db_, account));
    BRANKAS_TRY(permit(policy::Action::read_metadata, account_target(account)));
    Statement s = BRANKAS_TRY(db_.prepare(std::string(checklist_columns) +
                                          " WHERE s.account = ? AND s.closed_seq IS NULL ORDER BY s.opened_seq, s.position"));
    s.bind(1, account);
    auto lists = BRANKAS_TRY(read_checklists(s, [this](std::int64_t id) { return account_by_id(db_, id); }));
    if (lists.empty()) return std::optional<ChecklistInfo>{};
    return std::optional<ChecklistInfo>(std::move(lists.front()));
}

Status Session::tick_checklist(std::int64_t account, std::string_view step, std::string_view note) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    if (note.size() > max_reason || !is_printable_utf8(note))
        return fail(ErrorCode::usage, "the note must be at most " + std::to_string(max_reason) + " bytes of printable text");
    auto list = BRANKAS_TRY(checklist(account));
    if (!list) return fail(ErrorCode::usage, a.ref() + " has no open deactivation checklist");
    auto it = std::find_if(list->steps.begin(), list->steps.end(), [&](const ChecklistStepInfo& s) { return s.id == step; });
    if (it == list->steps.end()) {
        std::string ids;
        for (const auto& s : list->steps) ids += (ids.empty() ? "" : ", ") + s.id;
        return fail(ErrorCode::usage, "the checklist of " + a.ref() + " has no step '" + std::string(step) + "'", "its steps: " + ids);
    }
    if (it->done) return fail(ErrorCode::usage, "step '" + std::string(step) + "' of " + a.ref() + " is already done");
    if (it->waits && !it->wait_until_us)
        return fail(ErrorCode::usage, "the waiting period starts when the step before it is done");
    if (it->waits && *it->wait_until_us > clock_->now_us())
        return fail(ErrorCode::usage, "the platform's waiting period has not passed yet", "tick it once it has");
    BRANKAS_TRY(checklist_step_may_be_ticked(db_, account, step));
    BRANKAS_TRY(permit(policy::Action::tick_checklist, account_target(account), a.unit));
    Event e;
    e.action = std::string(actions::checklist_tick);
    e.target = account_target(account);
    e.details.text("step", std::string(step)).text("note", std::string(note));
    // The password the platform now has: the replay checks it is current and none is pending.
    if (step == new_password_step) e.details.integer("version", a.version);
    BRANKAS_TRY(record(std::move(e)));
    return {};
}

Result<std::vector<ChecklistInfo>> Session::incomplete_checklists() {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "checklists"));
    Statement s = BRANKAS_TRY(db_.prepare(
        std::string(checklist_columns) +
        " WHERE s.closed_seq IS NULL AND s.account IN (SELECT account FROM checklist_steps WHERE closed_seq IS NULL AND done_seq IS NULL)"
        " ORDER BY s.account, s.opened_seq, s.position"));
    return read_checklists(s, [this](std::int64_t id) { return account_by_id(db_, id); });
}

} // namespace brankas
