#include "cli/commands/commands.hpp"

#include <array>

namespace brankas::cli {

// The summaries are marked for the catalogue and translated where `brankas --help` shows them.

std::span<const CommandEntry> command_table() {
    static constexpr std::array<CommandEntry, 62> table{{
        {"init", tr_noop("create a new vault and its first admin"), &make_init_command},
        {"status", tr_noop("show the vault, its log head and its users"), &make_status_command},
        {"unit add", tr_noop("add a sub-district: CODE NAME"), &make_unit_add_command},
        {"unit list", tr_noop("list the sub-districts and who holds their keys"), &make_unit_list_command},
        {"unit rotate", tr_noop("give a sub-district a fresh key pair: CODE --reason TEXT"), &make_unit_rotate_command},
        {"account add", tr_noop("add a platform account to a sub-district"), &make_account_add_command},
        {"account list", tr_noop("list accounts (no passwords)"), &make_account_list_command},
        {"account show", tr_noop("show an account and its recovery channels (no password)"), &make_account_show_command},
        {"account edit", tr_noop("change an account's handle, e-mail, phone or URL"), &make_account_edit_command},
        {"account archive", tr_noop("archive an account (it is never deleted)"), &make_account_archive_command},
        {"account checklist", tr_noop("show or tick the deactivation checklist of an account (--done STEP)"), &make_account_checklist_command},
        {"secret set", tr_noop("store a new password version for an account"), &make_secret_set_command},
        {"secret show", tr_noop("print an account's current password (recorded, with a reason)"), &make_secret_show_command},
        {"secret history", tr_noop("list an account's password versions (who, when, why)"), &make_secret_history_command},
        {"totp", tr_noop("print an account's current TOTP code (recorded)"), &make_totp_command},
        {"user add", tr_noop("add a person; prints their one-time enrollment code"), &make_user_add_command},
        {"user enroll", tr_noop("turn your enrollment code into your own passphrase"), &make_user_enroll_command},
        {"user list", tr_noop("list people, roles and sub-districts"), &make_user_list_command},
        {"user grant", tr_noop("give a custodian a sub-district"), &make_user_grant_command},
        {"user revoke", tr_noop("take a sub-district from a custodian (rotates its key)"), &make_user_revoke_command},
        {"user disable", tr_noop("end a user: slot removed, their sub-districts' keys rotated (--rekey: new store key)"), &make_user_disable_command},
        {"user passwd", tr_noop("change your own passphrase"), &make_user_passwd_command},
        {"enforcer add", tr_noop("create the unattended enforcer and its key file (--keyfile PATH)"), &make_enforcer_add_command},
        {"term add", tr_noop("add a term: NAME --start DATE --end DATE [--unit CODE]..."), &make_term_add_command},
        {"term list", tr_noop("list terms, their dates and the sub-districts with an end of their own"), &make_term_list_command},
        {"term extend", tr_noop("move a term's end later, for all or some sub-districts"), &make_term_extend_command},
        {"term end", tr_noop("end a term now, for all or some sub-districts"), &make_term_end_command},
        {"checkout", tr_noop("take an account's password for a reason and a limited time (exclusive)"), &make_checkout_command},
        {"checkin", tr_noop("give a checked-out account back"), &make_checkin_command},
        {"checkouts", tr_noop("list who holds which account until when (--all: also past ones)"), &make_checkouts_command},
        {"approvals", tr_noop("requests under dual control waiting for a second person (--all: every request)"), &make_approvals_command},
        {"approve", tr_noop("approve another person's request under dual control: ID --reason TEXT"), &make_approve_command},
        {"reject", tr_noop("reject another person's request under dual control: ID --reason TEXT"), &make_reject_command},
        {"rotate", tr_noop("start a password rotation (--confirm once set on the platform, or --abort)"), &make_rotate_command},
        {"enforce", tr_noop("the end-of-term job: deactivate, revoke, expire, flag (--dry-run [--at DATE])"), &make_enforce_command},
        {"policy show", tr_noop("print the policy in force, every default filled in"), &make_policy_show_command},
        {"policy check", tr_noop("validate a policy document (TOML): FILE"), &make_policy_check_command},
        {"policy set", tr_noop("store a policy document in the vault: FILE"), &make_policy_set_command},
        {"policy explain", tr_noop("show the decision for a user, action and account, and every rule behind it"), &make_policy_explain_command},
        {"audit log", tr_noop("list the events of the audit log (--unit --account --actor --action --since --until; --jsonl, --csv)"), &make_audit_log_command},
        {"audit checkpoint", tr_noop("write a signed checkpoint of the log head to keep outside the vault"), &make_audit_checkpoint_command},
        {"audit verify", tr_noop("verify the whole history (chain, signatures, replay, checkpoint; --since CHECKPOINT: what came after it)"), &make_audit_verify_command},
        {"report access", tr_noop("who read or checked out each account's password, when and why [--since --until --unit]"), &make_report_access_command},
        {"report exposure", tr_noop("the current passwords a person saw or could open: rotate those (--user NAME)"), &make_report_exposure_command},
        {"report status", tr_noop("accounts by status, rotations due, overdue check-outs, terms ending soon"), &make_report_status_command},
        {"backup create", tr_noop("write a signed backup of the whole vault to FILE"), &make_backup_create_command},
        {"backup verify", tr_noop("check a backup: its signature, its parts and the whole history inside it"), &make_backup_verify_command},
        {"backup restore", tr_noop("restore a backup into a new directory: FILE --to DIR"), &make_backup_restore_command},
        {"import csv", tr_noop("import accounts from a spreadsheet saved as CSV: FILE (all rows or none)"), &make_import_csv_command},
        {"import keepassxc", tr_noop("import accounts from a KeePassXC CSV export: FILE (all rows or none)"), &make_import_keepassxc_command},
        {"recovery split", tr_noop("split a new recovery key into share files: --shares N --threshold K --out-dir DIR"), &make_recovery_split_command},
        {"recovery unlock", tr_noop("with K shares, reset an admin's passphrase or enroll an admin (one action)"), &make_recovery_unlock_command},
        {"report handovers", tr_noop("every handover: unit, parties, state, dates, accounts, verification code [--unit]"), &make_report_handovers_command},
        {"handover start", tr_noop("hand a sub-district to a custodian: --unit CODE --to USER [--from USER]... [--witness USER] --note TEXT"), &make_handover_start_command},
        {"handover accept", tr_noop("accept a handover made to you, signed with your own key: ID"), &make_handover_accept_command},
        {"handover witness", tr_noop("witness an accepted handover (an admin's witness also completes it): ID"), &make_handover_witness_command},
        {"handover complete", tr_noop("grant the receiver, revoke the outgoing custodians, rotate the unit key: ID"), &make_handover_complete_command},
        {"handover cancel", tr_noop("cancel a handover before it completes: ID [--reason TEXT]"), &make_handover_cancel_command},
        {"handover show", tr_noop("show a handover, its steps and its accounts (no password): ID"), &make_handover_show_command},
        {"handover list", tr_noop("list handovers [--unit CODE]"), &make_handover_list_command},
        {"handover minutes", tr_noop("the handover minutes (Berita Acara): ID --format md|html [--out FILE]"), &make_handover_minutes_command},
        {"handover lookup", tr_noop("find the handover of a minutes' verification code and verify the log up to it: CODE"), &make_handover_lookup_command},
    }};
    return table;
}

} // namespace brankas::cli
