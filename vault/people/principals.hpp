// The principals of a vault as every domain asks about them: their role, their standing and
// their public keys, and whether a custodian holds a sub-district. Read from the tables the
// people (and recovery) appliers keep; kept during a replay (replay_cache.hpp).
#pragma once

#include "policy/role.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string_view>

namespace brankas {

struct PrincipalKeys {
    policy::Role role = policy::Role::auditor;
    PrincipalStatus status = PrincipalStatus::pending;
    PublicKey signing_key{};
    PublicKey box_key{};
};
[[nodiscard]] Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name);
// Whether `principal` holds a current (not revoked) grant of `unit`.
[[nodiscard]] Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit);

// The principal as the signer rule (signer_rule.hpp) sees them.
[[nodiscard]] std::optional<Signer> signer_of(const std::optional<PrincipalKeys>& principal);

} // namespace brankas
