#include "cli/commands/commands.hpp"

#include <array>

namespace brankas::cli {

std::span<const CommandEntry> command_table() {
    static constexpr std::array<CommandEntry, 26> table{{
        {"init", "create a new vault and its first admin", &make_init_command},
        {"status", "show the vault, its log head and its users", &make_status_command},
        {"unit add", "add a sub-district: CODE NAME", &make_unit_add_command},
        {"unit list", "list the sub-districts and who holds their keys", &make_unit_list_command},
        {"account add", "add a platform account to a sub-district", &make_account_add_command},
        {"account list", "list accounts (no passwords)", &make_account_list_command},
        {"account show", "show an account and its recovery channels (no password)", &make_account_show_command},
        {"account edit", "change an account's handle, e-mail, phone or URL", &make_account_edit_command},
        {"account archive", "archive an account (it is never deleted)", &make_account_archive_command},
        {"secret set", "store a new password version for an account", &make_secret_set_command},
        {"secret show", "print an account's current password (recorded, with a reason)", &make_secret_show_command},
        {"secret history", "list an account's password versions (who, when, why)", &make_secret_history_command},
        {"totp", "print an account's current TOTP code (recorded)", &make_totp_command},
        {"user add", "add a person; prints their one-time enrollment code", &make_user_add_command},
        {"user enroll", "turn your enrollment code into your own passphrase", &make_user_enroll_command},
        {"user list", "list people, roles and sub-districts", &make_user_list_command},
        {"user grant", "give a custodian a sub-district", &make_user_grant_command},
        {"user revoke", "take a sub-district from a custodian (rotates its key)", &make_user_revoke_command},
        {"user disable", "end a user: slot removed, their sub-districts' keys rotated (--rekey: new store key)", &make_user_disable_command},
        {"user passwd", "change your own passphrase", &make_user_passwd_command},
        {"enforcer add", "create the unattended enforcer and its key file (--keyfile PATH)", &make_enforcer_add_command},
        {"audit log", "list the events of the audit log", &make_audit_log_command},
        {"audit checkpoint", "write a signed checkpoint of the log head to keep outside the vault", &make_audit_checkpoint_command},
        {"audit verify", "verify the whole history (chain, signatures, replay, checkpoint)", &make_audit_verify_command},
    }};
    return table;
}

} // namespace brankas::cli
