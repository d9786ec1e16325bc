// The rules of people, for a person acting now and for the replay alike.
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/people/people.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

Status check_new_principal(Database& db, std::string_view name, policy::Role role) {
    if (!is_valid_principal_name(name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {i18n::echo(name)},
                            i18n::tr_noop("use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)"));
    if (name == recovery_principal) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the name 'recovery' is kept for the recovery principal"), {});
    if (role == policy::Role::recovery) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the recovery role is the recovery principal's alone"), {});
    if (BRANKAS_TRY(find_principal(db, name))) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' already exists"), {std::string(name)});
    return {};
}

Status check_grant_change(Database& db, std::string_view name, std::string_view unit, GrantChange change) {
    const std::string who_name(name), unit_code(unit);
    // Names that do not exist are not_found, for a grant and a revocation alike; only then is a
    // grant that is (or is not) held a conflict.
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {i18n::echo(who_name)});
    const bool held = BRANKAS_TRY(holds_grant(db, name, unit));
    // A grant that is held belongs to an enabled custodian of an existing unit (disabling ends it).
    if (change == GrantChange::revoke && !held) {
        if (!BRANKAS_TRY(unit_exists(db, unit))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit_code)});
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("'%1$s' does not hold sub-district %2$s"), {who_name, unit_code});
    }
    if (who->role != policy::Role::custodian)
        return fail_phrase(ErrorCode::conflict, i18n::Phrase(i18n::tr_noop("'%1$s' has the role %2$s; only custodians are granted sub-districts"),
                                                             {i18n::Phrase::plain(who_name), policy::role_word(who->role)}));
    if (who->status == PrincipalStatus::disabled) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' is disabled"), {who_name});
    if (!BRANKAS_TRY(unit_exists(db, unit))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit_code)});
    if (change == GrantChange::grant && held)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("'%1$s' already holds sub-district %2$s"), {who_name, unit_code});
    return {};
}

namespace {

bool all_digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

int number_of(std::string_view digits) {
    int n = 0;
    for (char c : digits) n = n * 10 + (c - '0');
    return n;
}

// The NIP's 18 digits, as typed either whole or in the four groups the civil service prints
// (8 + 6 + 1 + 3, one space between); nullopt for anything else. The groups mean something:
// a birth date (YYYYMMDD), the month of appointment (YYYYMM), 1 or 2, and a number from 001.
std::optional<std::string> nip_digits(std::string_view typed) {
    std::string digits;
    if (typed.size() == 18 && all_digits(typed)) {
        digits = std::string(typed);
    } else if (typed.size() == 21 && typed[8] == ' ' && typed[15] == ' ' && typed[17] == ' ') {
        digits = std::string(typed.substr(0, 8)) + std::string(typed.substr(9, 6)) + typed[16] + std::string(typed.substr(18, 3));
        if (!all_digits(digits)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    const int born_year = number_of(digits.substr(0, 4)), born_month = number_of(digits.substr(4, 2)), born_day = number_of(digits.substr(6, 2));
    const int since_year = number_of(digits.substr(8, 4)), since_month = number_of(digits.substr(12, 2));
    if (born_year < 1900 || born_month < 1 || born_month > 12 || born_day < 1 || born_day > 31) return std::nullopt;
    if (since_year < 1900 || since_month < 1 || since_month > 12 || since_year < born_year) return std::nullopt;
    if (digits[14] != '1' && digits[14] != '2') return std::nullopt;
    if (digits.substr(15) == "000") return std::nullopt;
    return digits;
}

// Text for an official record: printable UTF-8 within bounds, not blank, no space at either end.
bool is_record_text(std::string_view text, std::size_t max) {
    return !text.empty() && text.size() <= max && is_printable_utf8(text) && text.front() != ' ' && text.back() != ' ';
}

Status check_full_name(std::string_view name) {
    if (!is_record_text(name, max_full_name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the full name must be 1 to %s printable characters, without spaces at either end"),
                            {std::to_string(max_full_name)}, i18n::tr_noop("write it as on the decree of appointment, e.g. --full-name \"Siti Rahmawati, S.H.\""));
    return {};
}

Status check_position(std::string_view position) {
    if (!is_record_text(position, max_position))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the position must be 1 to %s printable characters, without spaces at either end"),
                            {std::to_string(max_position)}, i18n::tr_noop("e.g. --position \"Ketua Panwaslu Kecamatan\""));
    return {};
}

std::unexpected<Error> not_a_nip(std::string_view nip) {
    return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a NIP"), {std::string(nip)},
                        i18n::tr_noop("a NIP is 18 digits, whole or as 19800101 200501 1 001; use \"-\" for someone who is not a civil servant"));
}

} // namespace

Result<PersonRecord> normalized_person_record(const PersonRecord& typed) {
    PersonRecord out = typed;
    // What the minutes print must read as it is: no hidden marks, checked here, where a person
    // types it (check_person_record is the replay's too, and a log written before still replays).
    if (typed.full_name) {
        BRANKAS_TRY(check_full_name(*typed.full_name));
        BRANKAS_TRY(check_no_hidden_mark(*typed.full_name, i18n::tr_noop("the full name")));
    }
    if (typed.nip && *typed.nip != "-") {
        auto digits = nip_digits(*typed.nip);
        if (!digits) return not_a_nip(*typed.nip);
        out.nip = *digits;
    }
    if (typed.position) {
        BRANKAS_TRY(check_position(*typed.position));
        BRANKAS_TRY(check_no_hidden_mark(*typed.position, i18n::tr_noop("the position")));
    }
    return out;
}

Status check_person_record(const PersonRecord& record) {
    if (record.full_name) BRANKAS_TRY(check_full_name(*record.full_name));
    // Stored as the 18 digits alone: one spelling for one number.
    if (record.nip && *record.nip != "-" && (record.nip->size() != 18 || nip_digits(*record.nip) != *record.nip)) return not_a_nip(*record.nip);
    if (record.position) BRANKAS_TRY(check_position(*record.position));
    return {};
}

std::string nip_as_written(std::string_view nip) {
    if (nip.size() != 18) return std::string(nip);
    return std::string(nip.substr(0, 8)) + " " + std::string(nip.substr(8, 6)) + " " + nip[14] + " " + std::string(nip.substr(15));
}

Status check_edit(Database& db, std::string_view name, const PersonRecord& record) {
    if (record.empty())
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("nothing to change"), {}, i18n::tr_noop("give --full-name, --nip or --position"));
    if (name == recovery_principal) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the name 'recovery' is kept for the recovery principal"), {});
    if (!BRANKAS_TRY(find_principal(db, name))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {i18n::echo(name)});
    return check_person_record(record);
}

Result<PersonRecord> person_record(Database& db, std::string_view name) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT full_name, nip, position FROM principal_records WHERE principal = ?"));
    s.bind(1, name);
    PersonRecord r;
    if (!BRANKAS_TRY(s.step())) return r;
    // An empty column is a field nobody gave yet.
    auto field = [&](int c) { return s.column_text(c).empty() ? std::optional<std::string>() : std::optional<std::string>(s.column_text(c)); };
    r.full_name = field(0);
    r.nip = field(1);
    r.position = field(2);
    return r;
}

Status check_disable(Database& db, std::string_view actor, std::string_view name) {
    if (name == actor) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("you cannot disable yourself"), {}, i18n::tr_noop("ask another admin to do it"));
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {i18n::echo(name)});
    if (who->status == PrincipalStatus::disabled) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' is already disabled"), {std::string(name)});
    return {};
}

} // namespace brankas
