// The appliers of enforcement: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

// The enforcer (or an admin running it) ends a unit whose every term ended beyond its grace
// period: every active account of the unit is deactivated and gets the policy's deactivation
// checklist, every custodian grant of the unit ends, and, when custodians were revoked and the
// unit has a standby key, the unit moves to it. The event names the term, how many accounts and
// which custodians, and the replay checks each against the state it applies to.
Status apply_unit_deactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    const std::string& unit = e.target;
    BRANKAS_TRY(unit_key_version(db, e, unit)); // the unit exists
    BRANKAS_TRY(required_text(e, "term"));
    std::int64_t accounts = BRANKAS_TRY(required_integer(e, "accounts"));
    std::string custodians = BRANKAS_TRY(required_text(e, "custodians"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::ended) return event_refused(e, "ends a sub-district whose term has not ended");

    Statement n = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE unit = ? AND status = 'active'"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    if (n.column_int(0) != accounts) return event_refused(e, "does not count the sub-district's active accounts");
    std::string granted;
    Statement g = BRANKAS_TRY(db.prepare("SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL ORDER BY principal"));
    g.bind(1, unit);
    while (BRANKAS_TRY(g.step())) granted += (granted.empty() ? "" : ", ") + g.column_text(0);
    if (granted != custodians) return event_refused(e, "does not name the sub-district's custodians");
    if (accounts == 0 && custodians.empty()) return event_refused(e, "ends a sub-district with nothing left to end");
    auto standby = BRANKAS_TRY(standby_version(db, e, unit));
    auto key_version = e.details.get_integer("key_version");
    if (e.details.fields().contains("key_version") && !key_version) return event_refused(e, "has a malformed key version");
    // Revoked custodians must lose the key when a standby can replace it, and only then.
    bool switches = !custodians.empty() && standby.has_value();
    if (switches != key_version.has_value() || (key_version && *key_version != *standby))
        return event_refused(e, switches ? "leaves the revoked custodians the key although a standby key exists"
                                          : "switches to a standby key it may not use");

    // The checklist rows one by one: under SQLCipher an INSERT ... SELECT keeps an encrypted
    // statement journal and runs about ten times slower.
    std::vector<std::int64_t> ids;
    Statement active = BRANKAS_TRY(db.prepare("SELECT id FROM accounts WHERE unit = ? AND status = 'active' ORDER BY id"));
    active.bind(1, unit);
    while (BRANKAS_TRY(active.step())) ids.push_back(active.column_int(0));
    active.reset();
    Statement c = BRANKAS_TRY(db.prepare(
        "INSERT INTO checklist_steps (account, opened_seq, position, step, text, waits) VALUES (?, ?, ?, ?, ?, ?)"));
    for (std::int64_t id : ids) {
        std::int64_t position = 0;
        for (const auto& step : pol.checklist) {
            c.reset();
            BRANKAS_TRY(c.bind(1, id).bind(2, seq_of(e)).bind(3, ++position).bind(4, step.id).bind(5, step.text)
                            .bind(6, step.waits ? 1 : 0).run());
        }
    }
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET status = 'deactivated', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'active'"));
    BRANKAS_TRY(a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run());
    Statement k = BRANKAS_TRY(db.prepare(
        "DELETE FROM unit_keys WHERE unit = ?1 AND principal IN (SELECT principal FROM grants WHERE unit = ?1 AND revoked_seq IS NULL)"));
    BRANKAS_TRY(k.bind(1, unit).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, unit).run());
    if (!key_version) return {};
    return switch_unit_key(db, e, unit, *key_version);
}

// A unit inside a term again (its new term started, or its term was extended): its deactivated
// accounts are active again and serve the new cycle. Their open deactivation checklists close;
// the event counts those left unfinished, so that it is not silent about them.
Status apply_unit_reactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    const std::string& unit = e.target;
    BRANKAS_TRY(unit_key_version(db, e, unit));
    BRANKAS_TRY(required_text(e, "term"));
    std::int64_t accounts = BRANKAS_TRY(required_integer(e, "accounts"));
    std::int64_t unfinished = BRANKAS_TRY(required_integer(e, "unfinished_checklists"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::active && t.state != policy::TermState::grace)
        return event_refused(e, "reactivates a sub-district that is not inside a term");
    Statement n = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE unit = ? AND status = 'deactivated'"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    if (accounts == 0 || n.column_int(0) != accounts) return event_refused(e, "does not count the sub-district's deactivated accounts");
    n.reset();
    if (BRANKAS_TRY(unfinished_checklists(db, unit)) != unfinished) return event_refused(e, "does not count the unfinished checklists");
    Statement c = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET closed_seq = ? WHERE closed_seq IS NULL AND account IN "
        "(SELECT id FROM accounts WHERE unit = ? AND status = 'deactivated')"));
    BRANKAS_TRY(c.bind(1, seq_of(e)).bind(2, unit).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET status = 'active', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'deactivated'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run();
}

Status apply_checklist_tick(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::tick_checklist, facts.unit));
    std::string step = BRANKAS_TRY(required_text(e, "step"));
    std::string note = BRANKAS_TRY(required_text(e, "note"));
    if (note.size() > max_reason || !is_printable_utf8(note)) return event_refused(e, "has a malformed note");
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT opened_seq, position, waits, wait_until_us, done_seq FROM checklist_steps WHERE account = ? AND closed_seq IS NULL AND step = ?"));
    s.bind(1, facts.id).bind(2, step);
    if (!BRANKAS_TRY(s.step())) return event_refused(e, "ticks a step the account's open checklist does not have");
    std::int64_t opened = s.column_int(0), position = s.column_int(1);
    if (!s.column_is_null(4)) return event_refused(e, "ticks a step that is done");
    if (s.column_int(2) != 0 && (s.column_is_null(3) || s.column_int(3) > e.time_us))
        return event_refused(e, "ticks a waiting period before it has passed");
    // A tick of the new password names the version set on the platform (ticks written before
    // that field existed name none, and are taken as they were).
    if (e.details.fields().contains("version")) {
        auto version = e.details.get_integer("version");
        if (!version || step != new_password_step) return event_refused(e, "has a version where none belongs");
        if (auto ticked = checklist_step_may_be_ticked(db, facts.id, step); !ticked) {
            if (ticked.error().code != ErrorCode::conflict) return std::unexpected(ticked.error());
            return event_refused(e, "ticks the new password while it is still pending");
        }
        if (*version != facts.version) return event_refused(e, "names a version that is not the account's current password");
    }
    Statement d = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET done_seq = ?, done_by = ?, note = ? WHERE account = ? AND opened_seq = ? AND position = ?"));
    BRANKAS_TRY(d.bind(1, seq_of(e)).bind(2, e.actor).bind(3, note).bind(4, facts.id).bind(5, opened).bind(6, position).run());
    // The platform's waiting period starts when the step before it is done.
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement w = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET wait_until_us = ? WHERE account = ? AND opened_seq = ? AND position = ? AND waits = 1"));
    return w.bind(1, e.time_us + pol.platform_waiting_period_us).bind(2, facts.id).bind(3, opened).bind(4, position + 1).run();
}

constexpr ActionApplier appliers[] = {
    {actions::unit_deactivate, apply_unit_deactivate},
    {actions::unit_reactivate, apply_unit_reactivate},
    {actions::checklist_tick, apply_checklist_tick},
};

} // namespace

std::span<const ActionApplier> enforcement_appliers() { return appliers; }

} // namespace brankas
