#include "policy/enforcement.hpp"

#include "policy/instant.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <string_view>
#include <tuple>
#include <unordered_set>

namespace brankas::policy {

bool EnforcementPlan::empty() const noexcept {
    // ended_units explain the plan; they are not work. A unit stays ended for good, but once its
    // accounts are deactivated and its grants revoked there is nothing left to do for it.
    return deactivate.empty() && revoke.empty() && expire.empty() && flag_rotation.empty() && reactivate.empty();
}

namespace {

// The window that ended last: its term is the one the unit was closed under.
const TermWindow& last_window(const std::vector<TermWindow>& windows) {
    return *std::max_element(windows.begin(), windows.end(),
                             [](const TermWindow& a, const TermWindow& b) { return a.end_us < b.end_us; });
}

} // namespace

EnforcementPlan plan_enforcement(const EnforcementFacts& facts, const Policy& policy, std::int64_t now_us) {
    EnforcementPlan plan;

    // Hash sets, not scans: a district has thousands of units and tens of thousands of accounts.
    std::unordered_set<std::string_view> ended;
    std::unordered_map<std::string_view, std::string_view> serving; // unit -> the term it is in now
    for (const UnitFacts& u : facts.units) {
        if (u.windows.empty()) continue;
        TermState state = term_state(u.windows, policy.term_grace_us, now_us);
        if (state == TermState::active || state == TermState::grace) {
            for (const TermWindow& w : u.windows)
                if (w.start_us <= now_us && now_us < saturating_add(w.end_us, policy.term_grace_us)) serving.emplace(u.code, w.term);
            continue;
        }
        if (state != TermState::ended) continue;
        if (!ended.insert(u.code).second) continue; // listed twice: once is enough
        const TermWindow& last = last_window(u.windows);
        plan.ended_units.push_back({u.code, last.term, saturating_add(last.end_us, policy.term_grace_us)});
    }
    std::sort(plan.ended_units.begin(), plan.ended_units.end(),
              [](const EndedUnit& a, const EndedUnit& b) { return a.code < b.code; });

    std::unordered_set<std::int64_t> deactivating;
    for (const AccountFacts& a : facts.accounts) {
        if (!a.active) continue; // deactivated and archived accounts were dealt with before
        if (ended.contains(a.unit)) {
            plan.deactivate.push_back(a.id);
            deactivating.insert(a.id);
        }
    }
    std::sort(plan.deactivate.begin(), plan.deactivate.end());

    for (const GrantFacts& g : facts.grants)
        if (ended.contains(g.unit)) plan.revoke.push_back(g);
    std::sort(plan.revoke.begin(), plan.revoke.end(), [](const GrantFacts& a, const GrantFacts& b) {
        return std::tie(a.unit, a.principal) < std::tie(b.unit, b.principal);
    });

    // A check-out ending exactly now has ended: its window is [start, until).
    for (const CheckoutFacts& c : facts.checkouts)
        if (c.until_us <= now_us) plan.expire.push_back(c);
    std::sort(plan.expire.begin(), plan.expire.end(), [](const CheckoutFacts& a, const CheckoutFacts& b) {
        return std::tie(a.account, a.until_us, a.holder) < std::tie(b.account, b.until_us, b.holder);
    });

    for (const AccountFacts& a : facts.accounts) {
        if (!a.active || a.rotation_due || a.version_set_us <= 0 || deactivating.contains(a.id)) continue;
        // Subtraction cannot overflow the other way: version_set_us is positive here.
        if (now_us - a.version_set_us > policy.max_password_age_us) plan.flag_rotation.push_back(a.id);
    }
    std::sort(plan.flag_rotation.begin(), plan.flag_rotation.end());

    // A deactivated account whose unit is inside a term again serves the new cycle; this happens
    // when the term starts, not when it is added.
    std::map<std::string_view, ReactivatedUnit> back;
    for (const AccountFacts& a : facts.accounts) {
        if (a.active) continue;
        auto it = serving.find(a.unit);
        if (it == serving.end()) continue;
        ReactivatedUnit& r = back[a.unit];
        r.code = a.unit;
        r.term = it->second;
        r.accounts.push_back(a.id);
    }
    for (auto& [code, r] : back) {
        std::sort(r.accounts.begin(), r.accounts.end());
        plan.reactivate.push_back(std::move(r));
    }
    return plan;
}

} // namespace brankas::policy
