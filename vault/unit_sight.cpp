#include "vault/unit_sight.hpp"

#include "vault/session.hpp"

namespace brankas {

Result<UnitSight> UnitSight::of(Session& session) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(session.db()));
    return UnitSight(session.db(), Actor{session.user(), session.role()}, session.clock().now_us(), std::move(pol));
}

Result<bool> UnitSight::sees(std::string_view unit) {
    if (auto known = decided_.find(unit); known != decided_.end()) return known->second;
    policy::Request request;
    request.action = policy::Action::read_unit;
    policy::Decision d = BRANKAS_TRY(decide_as(*db_, actor_, now_us_, std::move(request), unit, {}, policy_));
    decided_.emplace(std::string(unit), d.allowed());
    return d.allowed();
}

Result<bool> UnitSight::sees_event(const std::vector<std::string>& units) {
    if (units.empty()) return true;
    for (const std::string& u : units)
        if (BRANKAS_TRY(sees(u))) return true;
    return false;
}

} // namespace brankas
