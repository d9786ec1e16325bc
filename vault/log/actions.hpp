// The action vocabulary of the log: every action an event may carry, and the targets that
// name numbered things. It lives with the log, not with the tables the actions change, so that
// anything that reads or filters events needs no knowledge of the projection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

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
inline constexpr std::string_view user_edit = "user.edit"; // a person's full name, NIP or position
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
inline constexpr std::string_view handover_release = "handover.release"; // an outgoing custodian signs the handover
inline constexpr std::string_view approval_request = "approval.request"; // dual control: leave asked for one action
inline constexpr std::string_view approval_grant = "approval.grant";     // a second person approves it
inline constexpr std::string_view approval_reject = "approval.reject";   // a second person turns it down
} // namespace actions

// The target of account and secret events: "account/<id>".
[[nodiscard]] std::string account_target(std::int64_t id);
[[nodiscard]] std::optional<std::int64_t> parse_account_target(std::string_view target);
// "<prefix><n>" with n a positive decimal number without leading zeros (at most 18 digits).
[[nodiscard]] std::optional<std::int64_t> parse_numbered_target(std::string_view target, std::string_view prefix);

} // namespace brankas
