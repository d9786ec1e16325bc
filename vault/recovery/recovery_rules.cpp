// The rules of recovery, for a quorum (or an admin) acting now and for the replay alike.
#include "vault/field_rules.hpp"
#include "vault/recovery/recovery.hpp"

namespace brankas {

Status check_split(Database& db, std::int64_t shares, std::int64_t threshold) {
    if (shares < min_recovery_shares || shares > max_recovery_shares || threshold < min_recovery_shares || threshold > shares)
        return fail(ErrorCode::usage, "choose 2 to " + std::to_string(max_recovery_shares) +
                                          " shares (--shares) and a threshold (--threshold) from 2 to the number of shares");
    auto existing = BRANKAS_TRY(find_principal(db, recovery_principal));
    if (existing && existing->role != policy::Role::recovery)
        return fail(ErrorCode::conflict,
                    "a " + std::string(policy::role_name(existing->role)) + " is named 'recovery', the name the recovery principal needs",
                    "disable that user first");
    return {};
}

Status check_recovered_admin(Database& db, RecoveryAction action, std::string_view name) {
    const std::string who_name(name);
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (action == RecoveryAction::reset_passphrase) {
        if (!who) return fail(ErrorCode::not_found, "no user '" + who_name + "' in this vault", "to add an admin, use enroll-admin");
        if (who->role != policy::Role::admin)
            return fail(ErrorCode::conflict,
                        "'" + who_name + "' is a " + std::string(policy::role_name(who->role)) + "; the recovery shares reset admins only",
                        "enroll an admin, who can then help the others");
        if (who->status == PrincipalStatus::disabled)
            return fail(ErrorCode::conflict, "user '" + who_name + "' is disabled", "enroll a new admin instead");
        return {};
    }
    if (!is_valid_principal_name(name) || name == recovery_principal)
        return fail(ErrorCode::usage, "'" + who_name + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (who)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' already exists"), {who_name},
                            i18n::tr_noop("to give an existing admin a new code, use reset-passphrase"));
    return {};
}

} // namespace brankas
