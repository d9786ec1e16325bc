// The principals of a vault as every domain asks about them: their role, their standing and
// their public keys, and whether a custodian holds a sub-district. Read from the tables the
// people (and recovery) appliers keep; kept during a replay (replay_cache.hpp).
#pragma once

#include "policy/role.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

// The recovery principal's one name: `recovery split` creates it, `recovery unlock` acts as it.
inline constexpr std::string_view recovery_principal = "recovery";

struct PrincipalKeys {
    policy::Role role = policy::Role::auditor;
    PrincipalStatus status = PrincipalStatus::pending;
    PublicKey signing_key{};
    PublicKey box_key{};
};
[[nodiscard]] Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name);
// Whether `principal` holds a current (not revoked) grant of `unit`.
[[nodiscard]] Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit);
// The sub-districts `principal` holds a current grant of, in order of their code.
[[nodiscard]] Result<std::vector<std::string>> granted_units(Database& db, std::string_view principal);

// What the event makes of its subject by the signer rule (signer_after, signer_rule.hpp), with
// the subject as the tables have it before the event: refused as the rule refuses it. The people
// and recovery appliers set a principal's role, standing and signing key from it.
[[nodiscard]] Result<std::optional<Signer>> principal_after(Database& db, const Event& event);

// Genesis: the event that creates a vault and introduces its first admin (vault.create).
[[nodiscard]] Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin,
                                  const PublicKey& signing_key, const PublicKey& box_key);

// The principal as the signer rule (signer_rule.hpp) sees them.
[[nodiscard]] std::optional<Signer> signer_of(const std::optional<PrincipalKeys>& principal);

} // namespace brankas
