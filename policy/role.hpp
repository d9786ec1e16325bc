// Roles. The policy engine (decide) grows here; this is the part every layer already needs.
// Pure: no I/O, nothing from vault/.
#pragma once

#include "i18n/translate.hpp"

#include <optional>
#include <string_view>

namespace brankas::policy {

enum class Role {
    admin,     // district admin: manages everything, holds every unit key
    custodian, // sub-district operator: their own units only
    auditor,   // reads metadata and the log, verifies; holds no unit key
    enforcer,  // unattended end-of-term job; holds no unit key
    recovery,  // the k-of-n recovery principal
};

[[nodiscard]] std::string_view role_name(Role role) noexcept;
[[nodiscard]] std::optional<Role> parse_role(std::string_view name) noexcept;

// The role's name as a word of the catalogue, for a sentence a person reads in their language
// ("'siti' is a custodian"); --json and the log keep role_name.
[[nodiscard]] i18n::Phrase role_word(Role role);

// Whether the role is given unit keys at all (auditors and the enforcer never are: they
// cannot read a password by construction, not by a check).
[[nodiscard]] bool role_holds_unit_keys(Role role) noexcept;

} // namespace brankas::policy
