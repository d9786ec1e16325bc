// The enforcer's plan: a pure function of the facts, the policy and the time. `enforce` carries
// it out; `enforce --dry-run --at DATE` prints it. Idempotent by construction: what was done
// is no longer in the facts, so it is no longer in the plan.
#pragma once

#include "policy/engine.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace brankas::policy {

struct UnitFacts {
    std::string code;
    std::vector<TermWindow> windows;
};

struct AccountFacts {
    std::int64_t id = 0;
    std::string unit;
    bool active = true;          // false: deactivated (archived accounts are not among the facts)
    bool rotation_due = false;
    std::int64_t version_set_us = 0; // when the current password was set; 0: no password yet
};

struct GrantFacts {
    std::string principal; // a custodian
    std::string unit;
};

struct CheckoutFacts {
    std::int64_t account = 0;
    std::string holder;
    std::int64_t until_us = 0;
};

struct EnforcementFacts {
    std::vector<UnitFacts> units;
    std::vector<AccountFacts> accounts;
    std::vector<GrantFacts> grants;
    std::vector<CheckoutFacts> checkouts; // current (not returned, not yet expired by enforce)
};

struct EndedUnit {
    std::string code;
    std::string last_term;        // the term whose end (with grace) was the last
    std::int64_t deadline_us = 0; // that end plus the grace period
};

// A unit with deactivated accounts whose new term has started: they serve the new cycle.
struct ReactivatedUnit {
    std::string code;
    std::string term;                  // the term the unit is in now
    std::vector<std::int64_t> accounts; // its deactivated accounts (ascending id)
};

struct EnforcementPlan {
    std::vector<EndedUnit> ended_units;            // units whose every term ended beyond grace
    std::vector<std::int64_t> deactivate;          // active accounts of those units (ascending id)
    std::vector<GrantFacts> revoke;                // custodians' grants of those units
    std::vector<CheckoutFacts> expire;             // check-outs past their end
    std::vector<std::int64_t> flag_rotation;       // active accounts whose password is older than the maximum age
                                                   // (and not already due, not being deactivated)
    std::vector<ReactivatedUnit> reactivate;       // units inside a term again, with deactivated accounts (by code)
    [[nodiscard]] bool empty() const noexcept;
};

[[nodiscard]] EnforcementPlan plan_enforcement(const EnforcementFacts& facts, const Policy& policy, std::int64_t now_us);

} // namespace brankas::policy
