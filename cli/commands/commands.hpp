// The command table: `brankas <name> ...` picks an entry by its one- or two-word name.
#pragma once

#include "cli/context.hpp"
#include "cli/vault_command.hpp"

#include <memory>
#include <span>
#include <string_view>

namespace brankas::cli {

struct CommandEntry {
    std::string_view name;    // "init", "audit verify"
    std::string_view summary; // one line for `brankas --help`: a literal marked with tr_noop, shown through tr()
    std::unique_ptr<Command> (*make)();
};

[[nodiscard]] std::span<const CommandEntry> command_table();

std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_status_command();
std::unique_ptr<Command> make_unit_add_command();
std::unique_ptr<Command> make_unit_list_command();
std::unique_ptr<Command> make_unit_rotate_command();
std::unique_ptr<Command> make_account_add_command();
std::unique_ptr<Command> make_account_list_command();
std::unique_ptr<Command> make_account_show_command();
std::unique_ptr<Command> make_account_edit_command();
std::unique_ptr<Command> make_account_archive_command();
std::unique_ptr<Command> make_secret_set_command();
std::unique_ptr<Command> make_secret_show_command();
std::unique_ptr<Command> make_secret_history_command();
std::unique_ptr<Command> make_totp_command();
std::unique_ptr<Command> make_user_add_command();
std::unique_ptr<Command> make_user_enroll_command();
std::unique_ptr<Command> make_user_list_command();
std::unique_ptr<Command> make_user_grant_command();
std::unique_ptr<Command> make_user_revoke_command();
std::unique_ptr<Command> make_user_disable_command();
std::unique_ptr<Command> make_user_passwd_command();
std::unique_ptr<Command> make_user_edit_command();
std::unique_ptr<Command> make_user_show_command();
std::unique_ptr<Command> make_enforcer_add_command();
std::unique_ptr<Command> make_account_checklist_command();
std::unique_ptr<Command> make_term_add_command();
std::unique_ptr<Command> make_term_list_command();
std::unique_ptr<Command> make_term_extend_command();
std::unique_ptr<Command> make_term_end_command();
std::unique_ptr<Command> make_checkout_command();
std::unique_ptr<Command> make_checkin_command();
std::unique_ptr<Command> make_checkouts_command();
std::unique_ptr<Command> make_approvals_command();
std::unique_ptr<Command> make_approve_command();
std::unique_ptr<Command> make_reject_command();
std::unique_ptr<Command> make_rotate_command();
std::unique_ptr<Command> make_enforce_command();
std::unique_ptr<Command> make_policy_show_command();
std::unique_ptr<Command> make_policy_check_command();
std::unique_ptr<Command> make_policy_set_command();
std::unique_ptr<Command> make_policy_explain_command();
std::unique_ptr<Command> make_audit_log_command();
std::unique_ptr<Command> make_audit_checkpoint_command();
std::unique_ptr<Command> make_audit_verify_command();
std::unique_ptr<Command> make_report_access_command();
std::unique_ptr<Command> make_report_exposure_command();
std::unique_ptr<Command> make_report_status_command();
std::unique_ptr<Command> make_backup_create_command();
std::unique_ptr<Command> make_backup_verify_command();
std::unique_ptr<Command> make_backup_restore_command();
std::unique_ptr<Command> make_import_csv_command();
std::unique_ptr<Command> make_import_keepassxc_command();
std::unique_ptr<Command> make_recovery_split_command();
std::unique_ptr<Command> make_recovery_unlock_command();
std::unique_ptr<Command> make_report_handovers_command();
std::unique_ptr<Command> make_handover_start_command();
std::unique_ptr<Command> make_handover_accept_command();
std::unique_ptr<Command> make_handover_witness_command();
std::unique_ptr<Command> make_handover_complete_command();
std::unique_ptr<Command> make_handover_release_command();
std::unique_ptr<Command> make_handover_cancel_command();
std::unique_ptr<Command> make_handover_show_command();
std::unique_ptr<Command> make_handover_list_command();
std::unique_ptr<Command> make_handover_minutes_command();
std::unique_ptr<Command> make_handover_lookup_command();

} // namespace brankas::cli
