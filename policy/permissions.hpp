// Who may do what, in one function. Today it is the built-in role matrix; the policy engine
// (decide with a policy document, terms and obligations) will own this function later.
// Pure: no I/O, nothing from vault/.
#pragma once

#include "policy/role.hpp"

#include <string>
#include <string_view>

namespace brankas::policy {

enum class Action {
    read_metadata,    // units, accounts (no secrets), users, the log
    manage_units,     // unit add
    manage_accounts,  // account add, edit, archive
    manage_people,    // user add, grant, revoke, disable; enforcer add
    write_secret,     // secret set (a new version) for a unit
    read_secret,      // secret show, totp for a unit
    read_history,     // secret history (who, when, why; never the value)
    take_checkpoint,  // audit checkpoint
};

[[nodiscard]] std::string_view action_description(Action action) noexcept;

// Whether the request is about a unit the principal is granted (custodians are scoped).
enum class UnitScope { none, granted, not_granted };

struct Request {
    Role role;
    Action action;
    UnitScope scope = UnitScope::none;
};

enum class Verdict { allow, deny };

struct Decision {
    Verdict verdict = Verdict::deny;
    std::string reason; // one sentence for a person, when denied
    [[nodiscard]] bool allowed() const noexcept { return verdict == Verdict::allow; }
};

// Default deny. Admins manage everything; custodians read and write the secrets of their own
// units and read metadata; auditors read metadata and the log; the enforcer writes secrets
// (it seals without being able to read back) and reads metadata; recovery only recovers.
[[nodiscard]] Decision decide(const Request& request);

} // namespace brankas::policy
