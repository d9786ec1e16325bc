// The end-of-term job. The plan is the policy engine's (a pure function of the facts read here,
// the policy and the time); carrying it out is a series of ordinary events in one change, each
// checked by the projection as any other. The enforcer holds no unit key: it seals fresh
// passwords to a unit's public key and can never open them again, and it rotates a unit's key
// only to the standby key an admin published ahead.
#include "vault/enforcement/enforcement.hpp"

#include "policy/document.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

namespace brankas {

namespace {

// Brings back the deactivated accounts of units inside a term again (unit.reactivate, one event
// per unit).
Status reactivate_units(Change& change, const std::vector<policy::ReactivatedUnit>& units, std::size_t& events) {
    for (const auto& unit : units) {
        BRANKAS_TRY(change.append(UnitReactivated{unit.code, unit.term, static_cast<std::int64_t>(unit.accounts.size()),
                                                  BRANKAS_TRY(unfinished_checklists(change.db(), unit.code))}));
        ++events;
    }
    return {};
}

// The accounts the plan deactivates, by unit.
Result<std::map<std::string, std::vector<std::int64_t>>> deactivations_by_unit(Database& db, const policy::EnforcementPlan& plan) {
    std::map<std::string, std::vector<std::int64_t>> out;
    Statement unit_of = BRANKAS_TRY(db.prepare("SELECT unit FROM accounts WHERE id = ?"));
    for (std::int64_t id : plan.deactivate) {
        unit_of.reset();
        unit_of.bind(1, id);
        if (!BRANKAS_TRY(unit_of.step())) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a planned account is missing"), {});
        out[unit_of.column_text(0)].push_back(id);
    }
    return out;
}

} // namespace

Result<policy::EnforcementPlan> enforcement_plan(Session& session, std::int64_t at_us) {
    BRANKAS_TRY(session.permit(policy::Action::enforce, "enforce"));
    Transaction tx = BRANKAS_TRY(Transaction::begin_read(session.db()));
    policy::Policy pol = BRANKAS_TRY(stored_policy(session.db()));
    return policy::plan_enforcement(BRANKAS_TRY(enforcement_facts(session.db())), pol, at_us);
}

Result<EnforcementReport> enforce(Session& session) {
    return session.write([&](Change& change) -> Result<EnforcementReport> {
        BRANKAS_TRY(change.permit(policy::Action::enforce, "enforce"));
        Database& db = change.db();
        policy::Policy pol = BRANKAS_TRY(stored_policy(db));
        EnforcementReport report;
        report.plan = policy::plan_enforcement(BRANKAS_TRY(enforcement_facts(db)), pol, change.now());
        const policy::EnforcementPlan& plan = report.plan;
        auto emit = [&](const auto& typed) -> Status {
            BRANKAS_TRY(change.append(typed));
            ++report.events;
            return {};
        };

        auto deactivate_by_unit = BRANKAS_TRY(deactivations_by_unit(db, plan));
        std::set<std::int64_t> expired;
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
            // custodians' grants ended and, when it has one, the unit moved to its standby key,
            // which the revoked custodians never held and whose secret half only the admins hold:
            // the enforcer switches keys without ever seeing one. The versions sealed to the old
            // key stay readable by those who hold it (and are flagged for rotation). Without a
            // standby (an admin's rotation is owed), the grants still end and `status` names the unit.
            UnitDeactivated ending{unit.code, unit.last_term, static_cast<std::int64_t>(ids.size()), custodians, std::nullopt};
            if (!custodians.empty()) {
                ending.key_version = deactivation_key_version(custodians, BRANKAS_TRY(standby_key_version(db, unit.code)));
                if (ending.key_version) ++report.rotated_units;
                else report.rotation_owed.push_back(unit.code);
            }
            BRANKAS_TRY(emit(ending));
            for (std::int64_t id : ids) {
                // A check-out of an account that is no longer usable ends with it.
                if (BRANKAS_TRY(open_checkout(db, id))) {
                    BRANKAS_TRY(emit(CheckoutExpired{id}));
                    expired.insert(id);
                }
            }
            // A fresh password for every account taken out of use, sealed to the unit's current
            // key. (Timed apart: generating and sealing dominate a large run, and are the
            // enforcer's only use of randomness and public-key encryption.)
            const auto sealing_started = std::chrono::steady_clock::now();
            for (std::int64_t id : ids) {
                if (BRANKAS_TRY(pending_version(db, id))) continue; // a person's rotation is already waiting
                AccountInfo a = BRANKAS_TRY(account_by_id(db, id));
                SecretPayload payload{static_cast<std::uint64_t>(id), static_cast<std::uint32_t>(a.version + 1),
                                      BRANKAS_TRY(generate_password(PasswordRules{})), std::nullopt, SecretBytes{}, SecretBytes{}};
                BRANKAS_TRY(append_pending(change, a, payload, "end of term '" + unit.last_term + "'"));
                ++report.events;
                ++report.sealed;
            }
            report.sealing_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - sealing_started).count();
        }
        BRANKAS_TRY(reactivate_units(change, plan.reactivate, report.events));
        for (const auto& c : plan.expire) {
            if (expired.contains(c.account)) continue;
            BRANKAS_TRY(emit(CheckoutExpired{c.account}));
        }
        for (std::int64_t id : plan.flag_rotation) {
            BRANKAS_TRY(emit(AccountFlagged{id, "the password is older than " + policy::format_duration(pol.max_password_age_us)}));
        }
        return report;
    });
}

Result<std::vector<policy::ReactivatedUnit>> reactivate_now(Change& change) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(change.db()));
    auto plan = policy::plan_enforcement(BRANKAS_TRY(enforcement_facts(change.db())), pol, change.now());
    std::size_t events = 0;
    BRANKAS_TRY(reactivate_units(change, plan.reactivate, events));
    return plan.reactivate;
}

} // namespace brankas
