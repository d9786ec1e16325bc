// The rules of recovery, for a quorum (or an admin) acting now and for the replay alike.
#include "vault/field_rules.hpp"
#include "vault/recovery/recovery.hpp"

namespace brankas {

Status check_split(Database& db, std::int64_t shares, std::int64_t threshold) {
    if (shares < min_recovery_shares || shares > max_recovery_shares || threshold < min_recovery_shares || threshold > shares)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("choose 2 to %s shares (--shares) and a threshold (--threshold) from 2 to the number of shares"),
                            {std::to_string(max_recovery_shares)});
    auto existing = BRANKAS_TRY(find_principal(db, recovery_principal));
    if (existing && existing->role != policy::Role::recovery)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("a %s is named 'recovery', the name the recovery principal needs"),
                            {std::string(policy::role_name(existing->role))}, i18n::tr_noop("disable that user first"));
    return {};
}

Status check_recovered_admin(Database& db, RecoveryAction action, std::string_view name) {
    const std::string who_name(name);
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (action == RecoveryAction::reset_passphrase) {
        if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s' in this vault"), {std::string(who_name)},
                                      i18n::tr_noop("to add an admin, use enroll-admin"));
        if (who->role != policy::Role::admin)
            return fail_phrase(ErrorCode::conflict,
                               i18n::Phrase(i18n::tr_noop("'%1$s' has the role %2$s; the recovery shares reset admins only"),
                                            {i18n::Phrase::plain(std::string(who_name)), policy::role_word(who->role)}),
                               i18n::tr_noop("enroll an admin, who can then help the others"));
        if (who->status == PrincipalStatus::disabled)
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' is disabled"), {std::string(who_name)},
                                i18n::tr_noop("enroll a new admin instead"));
        return {};
    }
    if (!is_valid_principal_name(name) || name == recovery_principal)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {std::string(who_name)},
                            i18n::tr_noop("use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)"));
    if (who)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' already exists"), {who_name},
                            i18n::tr_noop("to give an existing admin a new code, use reset-passphrase"));
    return {};
}

} // namespace brankas
