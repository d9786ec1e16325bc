// The rules of people, for a person acting now and for the replay alike.
#include "vault/field_rules.hpp"
#include "vault/people/people.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

Status check_new_principal(Database& db, std::string_view name, policy::Role role) {
    if (!is_valid_principal_name(name))
        return fail(ErrorCode::usage, "'" + std::string(name) + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (name == recovery_principal) return fail(ErrorCode::usage, "the name 'recovery' is kept for the recovery principal");
    if (role == policy::Role::recovery) return fail(ErrorCode::usage, "the recovery role is the recovery principal's alone");
    if (BRANKAS_TRY(find_principal(db, name))) return fail(ErrorCode::conflict, "user '" + std::string(name) + "' already exists");
    return {};
}

Status check_grant_change(Database& db, std::string_view name, std::string_view unit, GrantChange change) {
    const std::string who_name(name), unit_code(unit);
    const bool held = BRANKAS_TRY(holds_grant(db, name, unit));
    // A grant that is held belongs to an enabled custodian of an existing unit (disabling ends it).
    if (change == GrantChange::revoke && !held)
        return fail(ErrorCode::conflict, "'" + who_name + "' does not hold sub-district " + unit_code);
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {std::string(who_name)});
    if (who->role != policy::Role::custodian)
        return fail(ErrorCode::conflict,
                    "'" + who_name + "' is a " + std::string(policy::role_name(who->role)) + "; only custodians are granted sub-districts");
    if (who->status == PrincipalStatus::disabled) return fail(ErrorCode::conflict, "user '" + who_name + "' is disabled");
    if (!BRANKAS_TRY(unit_exists(db, unit))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {std::string(unit_code)});
    if (change == GrantChange::grant && held)
        return fail(ErrorCode::conflict, "'" + who_name + "' already holds sub-district " + unit_code);
    return {};
}

Status check_disable(Database& db, std::string_view actor, std::string_view name) {
    if (name == actor) return fail(ErrorCode::conflict, "you cannot disable yourself", "ask another admin to do it");
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {std::string(name)});
    if (who->status == PrincipalStatus::disabled) return fail(ErrorCode::conflict, "user '" + std::string(name) + "' is already disabled");
    return {};
}

} // namespace brankas
