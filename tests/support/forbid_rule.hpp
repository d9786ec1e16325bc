// A forbid rule as a policy document would give it, for the policy tests.
#pragma once

#include "policy/policy.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brankas::test {

// Line 0: a rule built in code.
inline policy::ForbidRule forbid_rule(std::optional<policy::Role> role, policy::Action action, int line,
                                      std::vector<std::string> units = {}, std::vector<std::string> people = {}) {
    policy::ForbidRule r;
    r.role = role;
    r.action = action;
    r.units = std::move(units);
    r.people = std::move(people);
    r.line = line;
    return r;
}

} // namespace brankas::test
