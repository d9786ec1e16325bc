// Which facts about a unit a decision can turn on, so that a question asked about many units (a
// listing's read_unit) is decided once per distinct answer instead of once per unit.
#pragma once

#include "policy/engine.hpp"

#include <string>
#include <vector>

namespace brankas::policy {

// What decide() can read about a unit for this request (its action, role and actor) under
// `policy`: whether the unit is granted to the person, its term, and which unit it is (a
// [[forbid]] rule that applies to them and names units). Two units that agree on those get the
// same decision. `every_fact`: the action has steps of its own (check-out, check-in, reveal,
// handover, approval, a new policy under dual control) that read more; decide each unit. Defined beside decide() (engine.cpp),
// which it follows step by step.
struct UnitDependence {
    bool every_fact = false;
    bool scope = false;
    bool term = false;
    std::vector<std::string> named_units; // units named by the forbid rules that apply
};
[[nodiscard]] UnitDependence unit_dependence(const Request& request, const Policy& policy);

} // namespace brankas::policy
