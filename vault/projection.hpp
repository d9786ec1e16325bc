// The tables that answer queries are a projection of the log: apply(event) is the only code
// that changes them, for live writes and for the replay that `audit verify` runs alike.
#pragma once

#include "vault/events/event.hpp"
#include "vault/store/database.hpp"

#include <array>
#include <optional>

namespace brankas {

// The projection's tables, compared row by row between the store and a replay.
inline constexpr std::array<const char*, 3> projection_tables{"vault", "principals", "checkpoints"};

namespace actions {
inline constexpr std::string_view vault_create = "vault.create";
inline constexpr std::string_view audit_checkpoint = "audit.checkpoint";
} // namespace actions

// Applies one event. An event that does not fit the state it is applied to (a second genesis,
// an unknown action, a reference to nobody) is refused: replay reports it as a bad event.
[[nodiscard]] Status apply_event(Database& db, const Event& event);

struct PrincipalKeys {
    std::string role;
    std::string status;
    PublicKey signing_key{};
    PublicKey box_key{};
};
[[nodiscard]] Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name);

// Genesis: the event that creates a vault and introduces its first admin.
[[nodiscard]] Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin,
                                  const PublicKey& signing_key, const PublicKey& box_key);

// The signing key an event's signature must verify with: for the genesis event, the key it
// introduces itself (the vault's trust anchor); otherwise the actor's key in the projection
// as it stands before the event. nullopt when the actor is unknown or not allowed to sign.
[[nodiscard]] Result<std::optional<PublicKey>> expected_signer_key(Database& db, const Event& event);

} // namespace brankas
