#include "policy/role.hpp"

#include <array>

namespace brankas::policy {

namespace {
constexpr std::array all_roles{Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery};
}

std::string_view role_name(Role role) noexcept {
    switch (role) {
    case Role::admin: return "admin";
    case Role::custodian: return "custodian";
    case Role::auditor: return "auditor";
    case Role::enforcer: return "enforcer";
    case Role::recovery: return "recovery";
    }
    return "unknown";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
    for (Role r : all_roles)
        if (role_name(r) == name) return r;
    return std::nullopt;
}

bool role_holds_unit_keys(Role role) noexcept {
    return role == Role::admin || role == Role::custodian || role == Role::recovery;
}

} // namespace brankas::policy
