#include "vault/unit_sight.hpp"

#include "vault/people/principals.hpp"
#include "vault/session.hpp"

#include <algorithm>

namespace brankas {

namespace {

policy::Request read_unit_request(const Actor& actor) {
    policy::Request request;
    request.action = policy::Action::read_unit;
    request.role = actor.role;
    request.actor = actor.name;
    return request;
}

} // namespace

Result<UnitSight> UnitSight::of(Session& session) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(session.db()));
    UnitSight sight(session.db(), Actor{session.user(), session.role()}, session.clock().now_us(), std::move(pol));
    sight.depends_ = policy::unit_dependence(read_unit_request(sight.actor_), sight.policy_);
    if (sight.depends_.scope && !sight.depends_.term && !sight.depends_.every_fact) {
        // The same condition as holds_grant's, for every unit at once.
        Statement s = BRANKAS_TRY(session.db().prepare("SELECT DISTINCT unit FROM grants WHERE principal = ? AND revoked_seq IS NULL"));
        s.bind(1, sight.actor_.name);
        while (BRANKAS_TRY(s.step())) sight.granted_.insert(s.column_text(0));
    }
    return sight;
}

Result<bool> UnitSight::sees(std::string_view unit) {
    if (depends_.every_fact || depends_.term) {
        if (auto known = decided_.find(unit); known != decided_.end()) return known->second;
        bool allowed = BRANKAS_TRY(decide_unit(unit));
        decided_.emplace(std::string(unit), allowed);
        return allowed;
    }
    // The answer turns on the grant (if at all) and on the unit only where a forbid rule names it.
    const bool granted = depends_.scope && granted_.contains(unit);
    const bool named = std::find(depends_.named_units.begin(), depends_.named_units.end(), unit) != depends_.named_units.end();
    std::pair<bool, std::string> key{granted, named ? std::string(unit) : std::string()};
    if (auto known = shared_.find(key); known != shared_.end()) return known->second;
    bool allowed = BRANKAS_TRY(decide_unit(unit));
    shared_.emplace(std::move(key), allowed);
    return allowed;
}

bool UnitSight::answers_every_unit_alike() const noexcept {
    return !depends_.every_fact && !depends_.term && !depends_.scope && depends_.named_units.empty();
}

// The one way to ask: decide_as gathers the unit's facts as every other decision does.
Result<bool> UnitSight::decide_unit(std::string_view unit) {
    policy::Request request;
    request.action = policy::Action::read_unit;
    policy::Decision d = BRANKAS_TRY(decide_as(*db_, actor_, now_us_, std::move(request), unit, {}, policy_));
    return d.allowed();
}

Result<bool> UnitSight::sees_district() {
    if (!district_) district_ = BRANKAS_TRY(decide_unit(""));
    return *district_;
}

Result<bool> UnitSight::sees_person(std::string_view name, const std::vector<std::string>& units) {
    if (name == actor_.name || BRANKAS_TRY(sees_district())) return true;
    for (const std::string& u : units)
        if (BRANKAS_TRY(sees(u))) return true;
    return false;
}

Result<bool> UnitSight::sees_person_named(std::string_view name) {
    if (auto known = people_.find(name); known != people_.end()) return known->second;
    const bool seen = BRANKAS_TRY(sees_person(name, BRANKAS_TRY(granted_units(*db_, name))));
    people_.emplace(std::string(name), seen);
    return seen;
}

Result<bool> UnitSight::sees_event(const std::vector<std::string>& units, const std::vector<std::string>& people) {
    if (units.empty()) {
        for (const std::string& p : people)
            if (!BRANKAS_TRY(sees_person_named(p))) return false;
        return true;
    }
    for (const std::string& u : units)
        if (BRANKAS_TRY(sees(u))) return true;
    return false;
}

} // namespace brankas
