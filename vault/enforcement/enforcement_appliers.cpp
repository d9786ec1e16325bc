// The appliers of the enforcement domain: each decodes its event and checks it against the
// state it applies to with the rules of enforcement.hpp, as the live path did.
#include "vault/accounts/account_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/units/units.hpp"

#include <algorithm>

namespace brankas {

namespace {

// The enforcer (or an admin running it) ends a unit whose every term ended beyond its grace
// period: every active account of the unit is deactivated and gets the policy's deactivation
// checklist, every custodian grant of the unit ends, and, when custodians were revoked and the
// unit has a standby key, the unit moves to it. The event names the term, how many accounts and
// which custodians, and the replay checks each against the state it applies to. It may carry
// the fresh passwords the enforcer sealed for the accounts it deactivates (to the key the unit
// has once it ended), which become their pending versions, as a secret.pending of each would.
Status apply_unit_deactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    UnitDeactivated ending = BRANKAS_TRY(UnitDeactivated::decode(e));
    const std::string& unit = ending.unit;
    const UnitKeyVersions keys = BRANKAS_TRY(unit_key_versions(db, e, unit)); // and the unit exists
    const std::int64_t key_before = keys.current;
    const std::int64_t accounts = ending.accounts;
    const std::string& custodians = ending.custodians;
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::ended) return event_refused(e, i18n::tr_noop("ends a sub-district whose term has not ended"));

    // The unit's active accounts, in order: the event counts them, and each gets a checklist.
    // Each one's version, and (only looked up when the event carries fresh passwords) whether a
    // rotation is pending.
    struct Active {
        std::int64_t id, version;
        bool pending;
    };
    std::vector<Active> active_accounts;
    Statement active = BRANKAS_TRY(db.prepare(
        "SELECT id, version, CASE WHEN ?2 THEN EXISTS (SELECT 1 FROM pending_secrets WHERE account = accounts.id) ELSE 0 END "
        "FROM accounts WHERE unit = ?1 AND status = 'active' ORDER BY id"));
    active.bind(1, unit).bind(2, ending.fresh.empty() ? 0 : 1);
    while (BRANKAS_TRY(active.step())) active_accounts.push_back({active.column_int(0), active.column_int(1), active.column_int(2) != 0});
    active.reset();
    if (static_cast<std::int64_t>(active_accounts.size()) != accounts) return event_refused(e, i18n::tr_noop("does not count the sub-district's active accounts"));
    // Its custodians, by name: the event names them, and their copies of the unit's key go.
    std::vector<std::string> principals;
    std::string granted;
    Statement g = BRANKAS_TRY(db.prepare("SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL ORDER BY principal"));
    g.bind(1, unit);
    while (BRANKAS_TRY(g.step())) {
        principals.push_back(g.column_text(0));
        granted += (granted.empty() ? "" : ", ") + principals.back();
    }
    if (granted != custodians) return event_refused(e, i18n::tr_noop("does not name the sub-district's custodians"));
    if (accounts == 0 && custodians.empty()) return event_refused(e, i18n::tr_noop("ends a sub-district with nothing left to end"));
    const auto key_version = ending.key_version;
    const auto expected = deactivation_key_version(custodians, keys.standby);
    if (key_version != expected)
        return event_refused(e, expected ? i18n::tr_noop("leaves the revoked custodians the key although a standby key exists")
                                         : i18n::tr_noop("switches to a standby key it may not use"));

    // Each fresh password is for an account this event deactivates, the next version, sealed to
    // the key the unit has once the event is done.
    if (!ending.fresh.empty()) {
        const std::int64_t key_after = key_version.value_or(key_before);
        for (const FreshPassword& fresh : ending.fresh) {
            auto it = std::lower_bound(active_accounts.begin(), active_accounts.end(), fresh.account,
                                       [](const Active& a, std::int64_t id) { return a.id < id; });
            const std::vector<std::string> account{std::to_string(fresh.account)};
            if (it == active_accounts.end() || it->id != fresh.account)
                return event_refused(e, i18n::tr_noop("carries a fresh password for account %s, which it does not deactivate"), account);
            if (it->pending) return event_refused(e, i18n::tr_noop("carries a fresh password for account %s, whose rotation is pending"), account);
            if (fresh.version != next_version(it->version))
                return event_refused(e, i18n::tr_noop("carries a fresh password for account %s that is not its next version"), account);
            if (fresh.key_version != key_after)
                return event_refused(e, i18n::tr_noop("carries a fresh password for account %s sealed to another key than the sub-district's"), account);
        }
    }

    // One checklist row per account, its steps those of the policy in force, kept once per policy
    // (the list named by the policy's set_seq, 0 for the built-in one). The rows one by one:
    // under SQLCipher an INSERT ... SELECT keeps an encrypted statement journal and runs about ten
    // times slower. A policy without steps opens no checklist.
    if (!active_accounts.empty() && !pol.checklist.empty()) {
        const std::int64_t list = BRANKAS_TRY(keep_checklist_list(db, pol));
        Statement c = BRANKAS_TRY(db.prepare(
            "INSERT INTO checklists (account, opened_seq, list, steps_left, closed_seq) VALUES (?, ?, ?, ?, NULL)"));
        for (const Active& a : active_accounts) {
            c.reset();
            BRANKAS_TRY(c.bind(1, a.id).bind(2, seq_of(e)).bind(3, list).bind(4, static_cast<std::int64_t>(pol.checklist.size())).run());
        }
    }
    if (key_version) {
        // The unit moves to its standby key, so every account of it not archived needs a new
        // password (switch_unit_key): flagged in the statement that deactivates the active ones,
        // one pass over the unit's rows instead of two.
        BRANKAS_TRY(switch_unit_row_key(db, e, unit, *key_version));
        Statement a = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL accounts SET status = CASE status WHEN 'active' THEN 'deactivated' ELSE status END, rotation_due = 1, "
            "updated_seq = ?, updated_by = ? WHERE unit = ? AND status != 'archived'"));
        BRANKAS_TRY(a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run());
    } else {
        Statement a = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL accounts SET status = 'deactivated', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'active'"));
        BRANKAS_TRY(a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run());
    }
    // The revoked custodians' copies of the unit's key, each by its key (unit, principal).
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE unit = ? AND principal = ?"));
    for (const std::string& principal : principals) {
        k.reset();
        BRANKAS_TRY(k.bind(1, unit).bind(2, principal).run());
    }
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, unit).run());
    if (ending.fresh.empty()) return {};

    // The fresh passwords, each pending as the enforcer's secret.pending would leave it.
    const std::string reason = fresh_password_reason(ending.term);
    for (const FreshPassword& fresh : ending.fresh)
        BRANKAS_TRY(add_pending_secret(db, e, {fresh.account, fresh.version, fresh.key_version, fresh.sealed, false, reason, false}));
    return {};
}

// A unit inside a term again (its new term started, or its term was extended): its deactivated
// accounts are active again and serve the new cycle. Their open deactivation checklists close;
// the event counts those left unfinished, so that it is not silent about them.
Status apply_unit_reactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    UnitReactivated back = BRANKAS_TRY(UnitReactivated::decode(e));
    const std::string& unit = back.unit;
    BRANKAS_TRY(unit_key_version(db, e, unit));
    const std::int64_t accounts = back.accounts;
    const std::int64_t unfinished = back.unfinished_checklists;
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::active && t.state != policy::TermState::grace)
        return event_refused(e, i18n::tr_noop("reactivates a sub-district that is not inside a term"));
    Statement n = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE unit = ? AND status = 'deactivated'"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    if (accounts == 0 || n.column_int(0) != accounts) return event_refused(e, i18n::tr_noop("does not count the sub-district's deactivated accounts"));
    n.reset();
    if (BRANKAS_TRY(unfinished_checklists(db, unit)) != unfinished) return event_refused(e, i18n::tr_noop("does not count the unfinished checklists"));
    Statement c = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklists SET closed_seq = ? WHERE closed_seq IS NULL AND account IN "
        "(SELECT id FROM accounts WHERE unit = ? AND status = 'deactivated')"));
    BRANKAS_TRY(c.bind(1, seq_of(e)).bind(2, unit).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET status = 'active', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'deactivated'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run();
}

Status apply_checklist_tick(Database& db, const Event& e) {
    ChecklistTicked tick = BRANKAS_TRY(ChecklistTicked::decode(e));
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::tick_checklist, facts.unit));
    auto step = check_checklist_tick(db, facts.id, e.target, tick.step, tick.note, e.time_us);
    if (!step) return event_refused(e, i18n::tr_noop("does not fit: %s"), step.error());
    if (auto named = check_ticked_version(db, facts.id, facts.version, tick.step, tick.version); !named) {
        if (named.error().code == ErrorCode::conflict) return event_refused(e, i18n::tr_noop("ticks the new password while it is still pending"));
        if (named.error().code == ErrorCode::usage) return event_refused(e, named.error());
        return std::unexpected(named.error());
    }
    // The step's row exists when its waiting period started; otherwise the tick writes it.
    if (step->kept) {
        Statement d = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL checklist_steps SET done_seq = ?, done_by = ?, note = ? WHERE account = ? AND opened_seq = ? AND position = ?"));
        BRANKAS_TRY(d.bind(1, seq_of(e)).bind(2, e.actor).bind(3, tick.note).bind(4, facts.id).bind(5, step->opened_seq)
                        .bind(6, step->position).run());
    } else {
        Statement d = BRANKAS_TRY(db.prepare(
            "INSERT INTO checklist_steps (account, opened_seq, position, done_seq, done_by, note) VALUES (?, ?, ?, ?, ?, ?)"));
        BRANKAS_TRY(d.bind(1, facts.id).bind(2, step->opened_seq).bind(3, step->position).bind(4, seq_of(e)).bind(5, e.actor)
                        .bind(6, tick.note).run());
    }
    Statement left = BRANKAS_TRY(db.prepare("UPDATE OR FAIL checklists SET steps_left = steps_left - 1 WHERE account = ? AND opened_seq = ?"));
    BRANKAS_TRY(left.bind(1, facts.id).bind(2, step->opened_seq).run());
    // The platform's waiting period starts when the step before it is done.
    if (!step->next_waits) return {};
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement w = BRANKAS_TRY(db.prepare("INSERT INTO checklist_steps (account, opened_seq, position, wait_until_us) VALUES (?, ?, ?, ?)"));
    return w.bind(1, facts.id).bind(2, step->opened_seq).bind(3, step->position + 1).bind(4, e.time_us + pol.platform_waiting_period_us).run();
}

} // namespace

std::span<const ActionApplier> enforcement_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::unit_deactivate, apply_unit_deactivate},
        {actions::unit_reactivate, apply_unit_reactivate},
        {actions::checklist_tick, apply_checklist_tick},
    };
    return appliers;
}

} // namespace brankas
