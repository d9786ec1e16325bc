// Terms: the windows in which a unit's accounts are usable. Dates become instants in the CLI
// (in the policy's time zone); here a term is a name, a start, an end and its units.
#include "vault/decisions.hpp"
#include "vault/field_rules.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <algorithm>

namespace brankas {

namespace {

Result<std::string> unit_list_text(Database& db, const std::vector<std::string>& units) {
    std::string out;
    std::vector<std::string> seen;
    for (const auto& code : units) {
        if (!is_valid_unit_code(code)) return fail(ErrorCode::usage, "'" + code + "' is not a kecamatan region code");
        if (std::find(seen.begin(), seen.end(), code) != seen.end()) return fail(ErrorCode::usage, "sub-district " + code + " is named twice");
        Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
        s.bind(1, code);
        BRANKAS_TRY(s.step());
        if (s.column_int(0) == 0) return fail(ErrorCode::usage, "no sub-district " + code, "list them with `brankas unit list`");
        seen.push_back(code);
        out += (out.empty() ? "" : ",") + code;
    }
    return out;
}

Status check_term_name(std::string_view name) {
    if (!is_valid_term_name(name))
        return fail(ErrorCode::usage, "a term's name is 1 to " + std::to_string(max_term_name) +
                                          " bytes of printable text without ',' or leading and trailing spaces");
    return {};
}

} // namespace

Result<std::vector<policy::ReactivatedUnit>> Session::add_term(std::string_view name, std::int64_t start_us, std::int64_t end_us,
                                                             const std::vector<std::string>& units) {
    BRANKAS_TRY(check_term_name(name));
    if (end_us <= start_us) return fail(ErrorCode::usage, "the term must end after it starts");
    if (end_us <= clock_->now_us()) return fail(ErrorCode::usage, "the term's end is already past");
    std::string list = BRANKAS_TRY(unit_list_text(db_, units));
    BRANKAS_TRY(permit(policy::Action::manage_terms, name));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    if (BRANKAS_TRY(find_term(db_, name))) return fail(ErrorCode::usage, "term '" + std::string(name) + "' already exists");
    Event e;
    e.action = std::string(actions::term_add);
    e.target = std::string(name);
    e.details.integer("start_us", start_us).integer("end_us", end_us).text("units", list);
    BRANKAS_TRY(append(std::move(e)));
    // A term already under way brings its units' deactivated accounts back now; a future one,
    // when it starts (the enforcer's next run).
    auto back = BRANKAS_TRY(reactivate_now());
    BRANKAS_TRY(tx.commit());
    return back;
}

namespace {

Result<TermBounds> existing_term(Database& db, std::string_view name) {
    auto bounds = BRANKAS_TRY(find_term(db, name));
    if (!bounds) return fail(ErrorCode::usage, "no term '" + std::string(name) + "'", "list them with `brankas term list`");
    return *bounds;
}

} // namespace

Result<std::vector<policy::ReactivatedUnit>> Session::extend_term(std::string_view name, std::int64_t end_us,
                                                                const std::vector<std::string>& units) {
    std::string list = BRANKAS_TRY(unit_list_text(db_, units));
    if (end_us <= clock_->now_us()) return fail(ErrorCode::usage, "the new end is already past");
    BRANKAS_TRY(permit(policy::Action::manage_terms, name));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    TermBounds t = BRANKAS_TRY(existing_term(db_, name));
    if (units.empty() && end_us <= t.end_us)
        return fail(ErrorCode::usage, "the new end is not later than the term's end", "to end a term early use `brankas term end`");
    for (const auto& code : units) {
        auto end = BRANKAS_TRY(unit_end_in_term(db_, name, t, code));
        if (!end) return fail(ErrorCode::usage, "term '" + std::string(name) + "' does not cover sub-district " + code);
        if (end_us <= *end)
            return fail(ErrorCode::usage, "the new end is not later than " + code + "'s end in this term",
                        "to end a term early use `brankas term end`");
    }
    Event e;
    e.action = std::string(actions::term_extend);
    e.target = std::string(name);
    e.details.integer("end_us", end_us).text("units", list);
    BRANKAS_TRY(append(std::move(e)));
    auto back = BRANKAS_TRY(reactivate_now());
    BRANKAS_TRY(tx.commit());
    return back;
}

Status Session::end_term(std::string_view name, const std::vector<std::string>& units) {
    std::string list = BRANKAS_TRY(unit_list_text(db_, units));
    BRANKAS_TRY(permit(policy::Action::manage_terms, name));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    TermBounds t = BRANKAS_TRY(existing_term(db_, name));
    std::int64_t now = std::max(clock_->now_us(), t.start_us);
    if (units.empty() && t.end_us <= now) return fail(ErrorCode::usage, "term '" + std::string(name) + "' has already ended");
    for (const auto& code : units) {
        auto end = BRANKAS_TRY(unit_end_in_term(db_, name, t, code));
        if (!end) return fail(ErrorCode::usage, "term '" + std::string(name) + "' does not cover sub-district " + code);
        if (*end <= now) return fail(ErrorCode::usage, "term '" + std::string(name) + "' has already ended for " + code);
    }
    Event e;
    e.action = std::string(actions::term_end);
    e.target = std::string(name);
    e.details.text("units", list);
    BRANKAS_TRY(append(std::move(e)));
    return tx.commit();
}

Result<std::vector<TermInfo>> Session::list_terms() {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "terms"));
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT name, start_us, end_us, all_units, (SELECT time_us FROM events WHERE seq = created_seq) FROM terms ORDER BY start_us, name"));
    std::vector<TermInfo> out;
    while (BRANKAS_TRY(s.step()))
        out.push_back({s.column_text(0), s.column_int(1), s.column_int(2), s.column_int(3) != 0, {}, s.column_int(4)});
    Statement u = BRANKAS_TRY(db_.prepare("SELECT unit, end_us FROM term_units WHERE term = ? ORDER BY unit"));
    for (auto& t : out) {
        u.reset();
        u.bind(1, t.name);
        while (BRANKAS_TRY(u.step()))
            t.units.push_back({u.column_text(0), u.column_is_null(1) ? std::nullopt : std::optional<std::int64_t>(u.column_int(1))});
    }
    return out;
}

} // namespace brankas
