#include "policy/role.hpp"

#include <array>

namespace brankas::policy {

namespace {
constexpr std::array all_roles{Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery};
}

// Each a literal of the catalogue too, for role_word.
std::string_view role_name(Role role) noexcept {
    switch (role) {
    case Role::admin: return i18n::tr_noop("admin");
    case Role::custodian: return i18n::tr_noop("custodian");
    case Role::auditor: return i18n::tr_noop("auditor");
    case Role::enforcer: return i18n::tr_noop("enforcer");
    case Role::recovery: return i18n::tr_noop("recovery");
    }
    return "unknown";
}

i18n::Phrase role_word(Role role) { return i18n::Phrase(role_name(role).data()); }

std::optional<Role> parse_role(std::string_view name) noexcept {
    for (Role r : all_roles)
        if (role_name(r) == name) return r;
    return std::nullopt;
}

bool role_holds_unit_keys(Role role) noexcept {
    return role == Role::admin || role == Role::custodian || role == Role::recovery;
}

} // namespace brankas::policy
