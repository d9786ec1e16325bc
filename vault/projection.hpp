// The tables that answer queries are a projection of the log: apply(event) is the only code
// that changes them, for live writes and for the replay that `audit verify` runs alike.
#pragma once

#include "vault/log/actions.hpp"
#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <array>
#include <optional>
#include <vector>

namespace brankas {

// The projection's tables, compared row by row between the store and a replay.
// Every table the log projects into, with the order that makes its rows comparable.
struct ProjectionTable {
    const char* name;
    const char* order_by;
};
inline constexpr std::array<ProjectionTable, 19> projection_tables{{
    {"vault", "singleton"},
    {"principals", "name"},
    {"checkpoints", "seq"},
    {"units", "code"},
    {"unit_keys", "unit, principal, key_version"},
    {"unit_public_keys", "unit, key_version"},
    {"grants", "principal, unit, granted_seq"},
    {"signing_keys", "principal, introduced_seq"},
    {"accounts", "id"},
    {"secret_versions", "account, version"},
    {"policy", "singleton"},
    {"terms", "name"},
    {"term_units", "term, unit"},
    {"checkouts", "seq"},
    {"pending_secrets", "account"},
    {"checklist_steps", "account, opened_seq, position"},
    {"handovers", "id"},
    {"handover_outgoing", "handover, principal"},
    {"handover_accounts", "handover, account"},
}};


// Every action apply_event knows, vault.create first.
[[nodiscard]] std::vector<std::string_view> known_actions();


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
// Whether `principal` holds a current (not revoked) grant of `unit`.
[[nodiscard]] Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit);

inline constexpr std::size_t unit_key_sealed_size = 32 + 48;     // an X25519 secret key in a sealed box
inline constexpr std::size_t max_sealed_secret = 16 * 1024 + 48; // a sealed secret payload

// Genesis: the event that creates a vault and introduces its first admin.
[[nodiscard]] Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin,
                                  const PublicKey& signing_key, const PublicKey& box_key);

// The signing key an event's signature must verify with: for the genesis event, the key it
// introduces itself (the vault's trust anchor); otherwise the actor's key in the projection
// as it stands before the event. nullopt when the actor is unknown or not allowed to sign.
[[nodiscard]] Result<std::optional<PublicKey>> expected_signer_key(Database& db, const Event& event);

} // namespace brankas
