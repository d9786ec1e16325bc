// Which sub-districts a person is shown: the engine's read_unit, asked once per answer it can
// give (policy/unit_dependence.hpp): for an admin or an auditor once, for a custodian once for
// their granted units and once for the others, and once for each unit a forbid rule names. Every key
// opens the store (metadata and the log are readable to every role), so this is the policy's
// limit, not the keys': listings, `account show`, `audit log` and the reports leave out what
// the person may not see (SECURITY.md says what a person holding K_db can still read). People
// follow their sub-districts: `user list` shows a custodian themself and the people of the
// sub-districts they see; whoever may read the district without holding it sees everyone. The
// audit log shows the events about people by that same rule (sees_event).
#pragma once

#include "policy/unit_dependence.hpp"
#include "vault/decisions.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;

class UnitSight {
public:
    // What the session's user sees now, under the policy in force.
    [[nodiscard]] static Result<UnitSight> of(Session& session);

    // Whether the unit's accounts and events are shown.
    [[nodiscard]] Result<bool> sees(std::string_view unit);
    // Whether sees() gives every unit the same answer: it turns on nothing about the unit (no
    // grant, no term, no unit named by a forbid rule; an admin's or an auditor's usual sight),
    // so asking about one unit answers for all of them.
    [[nodiscard]] bool answers_every_unit_alike() const noexcept;
    // Whether an event about `units` (audit_queries::units_named) and `people`
    // (audit_queries::people_named) is shown: one that names a unit must name a unit that is
    // seen; one that names none concerns the whole district and is shown when every person it
    // names is (sees_person_named), as the people page would show them.
    [[nodiscard]] Result<bool> sees_event(const std::vector<std::string>& units, const std::vector<std::string>& people);
    // Whether the person may read the district as a whole: the engine's read_unit about no
    // sub-district in particular (an admin or an auditor, unless a forbid rule says otherwise;
    // never a custodian, whose reading goes with their grants).
    [[nodiscard]] Result<bool> sees_district();
    // Whether a person holding `units` (their live grants) is shown: themself, everyone to whom
    // sees_district(), else the people of a sub-district that is seen.
    [[nodiscard]] Result<bool> sees_person(std::string_view name, const std::vector<std::string>& units);
    // sees_person() of the person named, with their live grants as they stand (read once per name).
    [[nodiscard]] Result<bool> sees_person_named(std::string_view name);

private:
    UnitSight(Database& db, Actor actor, std::int64_t now_us, policy::Policy policy)
        : db_(&db), actor_(std::move(actor)), now_us_(now_us), policy_(std::move(policy)) {}
    [[nodiscard]] Result<bool> decide_unit(std::string_view unit);

    Database* db_;
    Actor actor_;
    std::int64_t now_us_;
    policy::Policy policy_;
    policy::UnitDependence depends_;
    std::set<std::string, std::less<>> granted_; // the person's live grants, when the answer turns on them
    std::map<std::string, bool, std::less<>> decided_;    // by unit, when each unit is decided
    std::map<std::pair<bool, std::string>, bool> shared_; // by (granted, named unit or "")
    std::optional<bool> district_;                         // sees_district(), once asked
    std::map<std::string, bool, std::less<>> people_;      // sees_person_named(), by name
};

} // namespace brankas
