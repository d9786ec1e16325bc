// The appliers of terms: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

// "35.02.01,35.02.02" -> the codes, each an existing unit, none twice; "" -> none.
Result<std::vector<std::string>> unit_list(Database& db, const Event& e) {
    std::string text = BRANKAS_TRY(required_text(e, "units"));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string code = text.substr(start, comma - start);
        BRANKAS_TRY(unit_key_version(db, e, code));
        if (std::find(out.begin(), out.end(), code) != out.end()) return event_refused(e, "names " + code + " twice");
        out.push_back(std::move(code));
        start = comma + 1;
        if (comma + 1 == text.size()) return event_refused(e, "has a malformed unit list");
    }
    return out;
}

Result<TermBounds> term_of(Database& db, const Event& e) {
    auto bounds = BRANKAS_TRY(find_term(db, e.target));
    if (!bounds) return event_refused(e, "names term '" + e.target + "', which does not exist");
    return *bounds;
}

Status apply_term_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    std::int64_t start = BRANKAS_TRY(required_integer(e, "start_us"));
    std::int64_t end = BRANKAS_TRY(required_integer(e, "end_us"));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    if (!is_valid_term_name(e.target)) return event_refused(e, "has a malformed term name");
    if (end <= start) return event_refused(e, "ends before it starts");
    if (end <= e.time_us) return event_refused(e, "adds a term that has already ended");
    Statement exists = BRANKAS_TRY(db.prepare("SELECT count(*) FROM terms WHERE name = ?"));
    exists.bind(1, e.target);
    BRANKAS_TRY(exists.step());
    if (exists.column_int(0) != 0) return event_refused(e, "adds term '" + e.target + "' a second time");
    Statement t = BRANKAS_TRY(db.prepare(
        "INSERT INTO terms (name, start_us, end_us, all_units, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(t.bind(1, e.target).bind(2, start).bind(3, end).bind(4, units.empty() ? 1 : 0).bind(5, seq_of(e)).bind(6, seq_of(e)).run());
    Statement u = BRANKAS_TRY(db.prepare("INSERT INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, NULL, ?)"));
    for (const auto& code : units) {
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, seq_of(e)).run());
    }
    return {};
}

// Moves the end of the whole term, or of some of its units, later. (Deactivated accounts come back
// by unit.reactivate, once the units are inside a term again.)
Status apply_term_extend(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermBounds term = BRANKAS_TRY(term_of(db, e));
    std::int64_t end = BRANKAS_TRY(required_integer(e, "end_us"));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    if (end <= e.time_us) return event_refused(e, "extends a term to a moment already past");
    if (units.empty()) {
        if (end <= term.end_us) return event_refused(e, "does not move the term's end later");
        Statement t = BRANKAS_TRY(db.prepare("UPDATE OR FAIL terms SET end_us = ?, updated_seq = ? WHERE name = ?"));
        BRANKAS_TRY(t.bind(1, end).bind(2, seq_of(e)).bind(3, e.target).run());
        return {};
    }
    Statement u = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, ?, ?)"));
    for (const auto& code : units) {
        auto current = BRANKAS_TRY(unit_end_in_term(db, e.target, term, code));
        if (!current) return event_refused(e, "extends the term for " + code + ", which it does not cover");
        if (end <= *current) return event_refused(e, "does not move " + code + "'s end later");
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, end).bind(4, seq_of(e)).run());
    }
    return {};
}

// Ends the term (or some of its units) now, ahead of its date. Nothing is reactivated.
Status apply_term_end(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermBounds term = BRANKAS_TRY(term_of(db, e));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    for (const auto& [key, value] : e.details.fields())
        if (key != "units" && key != "reason") return event_refused(e, "has an unexpected field '" + key + "'");
    // An end never moves later and never before the start.
    std::int64_t now = std::max(e.time_us, term.start_us);
    if (units.empty()) {
        if (term.end_us <= now) return event_refused(e, "ends a term that has already ended");
        Statement t = BRANKAS_TRY(db.prepare("UPDATE OR FAIL terms SET end_us = ?, updated_seq = ? WHERE name = ?"));
        BRANKAS_TRY(t.bind(1, now).bind(2, seq_of(e)).bind(3, e.target).run());
        Statement o = BRANKAS_TRY(db.prepare("UPDATE OR FAIL term_units SET end_us = ?, updated_seq = ? WHERE term = ? AND end_us > ?"));
        return o.bind(1, now).bind(2, seq_of(e)).bind(3, e.target).bind(4, now).run();
    }
    Statement u = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, ?, ?)"));
    for (const auto& code : units) {
        auto current = BRANKAS_TRY(unit_end_in_term(db, e.target, term, code));
        if (!current) return event_refused(e, "ends the term for " + code + ", which it does not cover");
        if (*current <= now) return event_refused(e, "ends the term for " + code + ", where it has already ended");
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, now).bind(4, seq_of(e)).run());
    }
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::term_add, apply_term_add},
    {actions::term_extend, apply_term_extend},
    {actions::term_end, apply_term_end},
};

} // namespace

std::span<const ActionApplier> term_appliers() { return appliers; }

} // namespace brankas
