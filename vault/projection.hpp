// The tables that answer queries are a projection of the log: apply(event) is the only code
// that changes them, for live writes and for the replay that `audit verify` runs alike.
#pragma once

#include "vault/events/event.hpp"
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

namespace actions {
inline constexpr std::string_view vault_create = "vault.create";
inline constexpr std::string_view audit_checkpoint = "audit.checkpoint";
inline constexpr std::string_view access_denied = "access.denied";
inline constexpr std::string_view unit_add = "unit.add";
inline constexpr std::string_view unit_key = "unit.key";
inline constexpr std::string_view unit_rotate = "unit.rotate";
inline constexpr std::string_view unit_standby = "unit.standby";
inline constexpr std::string_view account_add = "account.add";
inline constexpr std::string_view account_edit = "account.edit";
inline constexpr std::string_view account_archive = "account.archive";
inline constexpr std::string_view secret_set = "secret.set";
inline constexpr std::string_view secret_reseal = "secret.reseal";
inline constexpr std::string_view secret_read = "secret.read";
inline constexpr std::string_view user_add = "user.add";
inline constexpr std::string_view user_enroll = "user.enroll";
inline constexpr std::string_view user_grant = "user.grant";
inline constexpr std::string_view user_revoke = "user.revoke";
inline constexpr std::string_view user_disable = "user.disable";
inline constexpr std::string_view user_passwd = "user.passwd";
inline constexpr std::string_view policy_set = "policy.set";
inline constexpr std::string_view term_add = "term.add";
inline constexpr std::string_view term_extend = "term.extend";
inline constexpr std::string_view term_end = "term.end";
inline constexpr std::string_view checkout = "checkout";
inline constexpr std::string_view checkin = "checkin";
inline constexpr std::string_view checkout_expire = "checkout.expire";
inline constexpr std::string_view secret_pending = "secret.pending";
inline constexpr std::string_view secret_confirm = "secret.confirm";
inline constexpr std::string_view secret_abort = "secret.abort";
inline constexpr std::string_view unit_deactivate = "unit.deactivate";
inline constexpr std::string_view unit_reactivate = "unit.reactivate";
inline constexpr std::string_view account_flag = "account.flag";
inline constexpr std::string_view checklist_tick = "checklist.tick";
inline constexpr std::string_view backup_create = "backup.create";
inline constexpr std::string_view import_accounts = "import";
inline constexpr std::string_view recovery_split = "recovery.split";   // an admin creates or replaces the recovery principal
inline constexpr std::string_view recovery_reset = "recovery.reset";   // the quorum resets an admin's passphrase
inline constexpr std::string_view recovery_enroll = "recovery.enroll"; // the quorum adds an admin
inline constexpr std::string_view handover_start = "handover.start";
inline constexpr std::string_view handover_accept = "handover.accept";
inline constexpr std::string_view handover_witness = "handover.witness";
inline constexpr std::string_view handover_cancel = "handover.cancel";
inline constexpr std::string_view handover_complete = "handover.complete";
} // namespace actions

// Every action apply_event knows, vault.create first.
[[nodiscard]] std::vector<std::string_view> known_actions();

// The target of account and secret events: "account/<id>".
[[nodiscard]] std::string account_target(std::int64_t id);
[[nodiscard]] std::optional<std::int64_t> parse_account_target(std::string_view target);
// "<prefix><n>" with n a positive decimal number without leading zeros (at most 18 digits).
[[nodiscard]] std::optional<std::int64_t> parse_numbered_target(std::string_view target, std::string_view prefix);

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
