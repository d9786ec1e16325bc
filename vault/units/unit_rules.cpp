// The rules of units and their keys, for a person acting now and for the replay alike.
#include "vault/field_rules.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/units/units.hpp"

namespace brankas {

namespace {

Result<bool> holds_copy(Database& db, std::string_view unit, std::string_view principal, std::int64_t key_version) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
    s.bind(1, unit).bind(2, principal).bind(3, key_version);
    BRANKAS_TRY(s.step());
    return s.column_int(0) > 0;
}

// `why` is a literal of the catalogue with its values ("%s" where they go).
std::unexpected<Error> refused(std::string_view why, std::vector<std::string> values = {}) {
    return fail_phrased(ErrorCode::denied, why, std::move(values));
}

} // namespace

Status check_unit_fields(std::string_view code, std::string_view name) {
    if (!is_valid_unit_code(code))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a kecamatan region code"), {i18n::echo(code)},
                            i18n::tr_noop("use the official code NN.NN.NN, e.g. 35.02.01"));
    if (!is_valid_unit_name(name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the sub-district name must be 1 to %s bytes of printable text"),
                            {std::to_string(max_unit_name)});
    return {};
}

bool may_receive_unit_key(const PrincipalKeys& holder, KeyVersionKind which, policy::UnitScope scope) {
    if (!policy::role_holds_unit_keys(holder.role) || holder.status == PrincipalStatus::disabled) return false;
    if (holder.role != policy::Role::custodian) return true;
    return which == KeyVersionKind::current && scope == policy::UnitScope::granted;
}

Status check_unit_key_seal(Database& db, const Actor& sealer, const UnitKeySeal& seal) {
    const std::string unit(seal.unit), principal(seal.principal);
    auto current = BRANKAS_TRY(current_unit_key(db, unit));
    if (seal.key_version < 1 || seal.key_version > BRANKAS_TRY(newest_key_version(db, unit)))
        return refused(i18n::tr_noop("seals a key version that does not exist"));
    auto holder = BRANKAS_TRY(find_principal(db, principal));
    if (!holder) return refused(i18n::tr_noop("seals a key to '%s', who is not a user"), {principal});
    if (!policy::role_holds_unit_keys(holder->role) || holder->status == PrincipalStatus::disabled)
        return fail_phrase(ErrorCode::denied, i18n::Phrase(i18n::tr_noop("seals a sub-district key to a %s, who may not hold one"),
                                                           {policy::role_word(holder->role)}));
    const bool custodian = holder->role == policy::Role::custodian;
    const policy::UnitScope scope =
        custodian && BRANKAS_TRY(holds_grant(db, principal, unit)) ? policy::UnitScope::granted : policy::UnitScope::not_granted;
    if (custodian && scope != policy::UnitScope::granted) return refused(i18n::tr_noop("seals a key to a custodian not granted %s"), {unit});
    const KeyVersionKind which = seal.key_version == current.version ? KeyVersionKind::current : KeyVersionKind::other;
    if (sealer.role == policy::Role::admin) {
        // An admin seals to whoever may receive it: the recipients unit_keys.cpp chooses.
        if (!may_receive_unit_key(*holder, which, scope)) return refused(i18n::tr_noop("seals a key version that is not current to a custodian"));
    } else if (sealer.role == policy::Role::recovery && sealer.name != principal) {
        // The quorum passes on what it holds, to the admin it has just reset or enrolled.
        if (holder->role != policy::Role::admin || holder->status != PrincipalStatus::pending)
            return refused(i18n::tr_noop("seals a sub-district key from the recovery principal to someone not being recovered"));
        if (!BRANKAS_TRY(holds_copy(db, unit, sealer.name, seal.key_version)))
            return refused(i18n::tr_noop("passes on a sub-district key the recovery principal does not hold"));
    } else if (sealer.name == principal) {
        // A holder re-seals the copies it holds to its own new key (at enrollment).
        if (!BRANKAS_TRY(holds_copy(db, unit, principal, seal.key_version)))
            return refused(i18n::tr_noop("re-seals a sub-district key its holder does not have"));
    } else {
        return refused(i18n::tr_noop("seals a sub-district key, which only an admin (or its holder, to itself) may do"));
    }
    return {};
}

} // namespace brankas
