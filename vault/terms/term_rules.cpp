// The rules of terms, written once: the command checks a change with them before it appends the
// event, the replay checks the event with them before it changes the tables.
#include "vault/field_rules.hpp"
#include "vault/terms/term_events.hpp"
#include "vault/terms/terms.hpp"
#include "vault/units/unit_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

Status check_term_name(std::string_view name) {
    if (!is_valid_term_name(name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a term's name is 1 to %s bytes of printable text without ',' or leading and trailing spaces"),
                            {std::to_string(max_term_name)});
    return {};
}

Result<TermBounds> existing_term(Database& db, std::string_view name) {
    auto bounds = BRANKAS_TRY(find_term(db, name));
    if (!bounds) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no term '%s'"), {i18n::echo(name)},
                                     i18n::tr_noop("list them with `brankas term list`"));
    return *bounds;
}

Result<std::int64_t> unit_end(Database& db, std::string_view name, const TermBounds& term, const std::string& code) {
    auto end = BRANKAS_TRY(unit_end_in_term(db, name, term, code));
    if (!end) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("term '%1$s' does not cover sub-district %2$s"),
                                  {std::string(name), std::string(code)});
    return *end;
}

} // namespace

Status check_term_units(Database& db, const std::vector<std::string>& units) {
    for (auto it = units.begin(); it != units.end(); ++it) {
        if (!is_valid_unit_code(*it)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a kecamatan region code"), {i18n::echo(*it)});
        if (std::find(units.begin(), it, *it) != it) return fail_phrased(ErrorCode::usage, i18n::tr_noop("sub-district %s is named twice"),
                                                                         {std::string(*it)});
        if (!BRANKAS_TRY(unit_exists(db, *it))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(*it)},
                                                                    i18n::tr_noop("list them with `brankas unit list`"));
    }
    return {};
}

Status check_new_term(Database& db, const TermAdded& term, std::int64_t now_us) {
    BRANKAS_TRY(check_term_name(term.name));
    if (term.end_us <= term.start_us) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the term must end after it starts"), {});
    if (term.end_us <= now_us) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the term's end is already past"), {});
    BRANKAS_TRY(check_term_units(db, term.units));
    if (BRANKAS_TRY(find_term(db, term.name))) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("term '%s' already exists"), {term.name});
    return {};
}

Result<TermBounds> check_term_extension(Database& db, const TermExtended& extension, std::int64_t now_us) {
    BRANKAS_TRY(check_term_units(db, extension.units));
    if (extension.end_us <= now_us) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the new end is already past"), {});
    TermBounds term = BRANKAS_TRY(existing_term(db, extension.name));
    const char* hint = i18n::tr_noop("to end a term early use `brankas term end`");
    if (extension.units.empty() && extension.end_us <= term.end_us)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the new end is not later than the term's end"), {}, hint);
    for (const auto& code : extension.units)
        if (extension.end_us <= BRANKAS_TRY(unit_end(db, extension.name, term, code)))
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the new end is not later than %s's end in this term"), {code}, hint);
    return term;
}

Result<TermBounds> check_term_ending(Database& db, const TermEnded& ending, std::int64_t now_us) {
    BRANKAS_TRY(check_term_units(db, ending.units));
    TermBounds term = BRANKAS_TRY(existing_term(db, ending.name));
    const std::int64_t at = term_end_instant(term, now_us);
    if (ending.units.empty() && term.end_us <= at) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("term '%s' has already ended"),
                                                                       {std::string(ending.name)});
    for (const auto& code : ending.units)
        if (BRANKAS_TRY(unit_end(db, ending.name, term, code)) <= at)
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("term '%1$s' has already ended for %2$s"),
                                {std::string(ending.name), std::string(code)});
    return term;
}

std::int64_t term_end_instant(const TermBounds& term, std::int64_t now_us) noexcept { return std::max(now_us, term.start_us); }

} // namespace brankas
