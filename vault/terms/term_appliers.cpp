// The appliers of the terms domain: each decodes its event and checks it with the rules of
// terms.hpp, as the live command did, before it changes the tables.
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/terms/term_events.hpp"
#include "vault/terms/terms.hpp"

namespace brankas {

namespace {

// A rule's refusal, as the replay names it.
template <class T>
Result<T> fits(const Event& e, Result<T> checked) {
    if (!checked) return event_refused(e, i18n::tr_noop("does not fit: %s"), checked.error());
    return checked;
}

Status apply_term_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermAdded term = BRANKAS_TRY(TermAdded::decode(e));
    BRANKAS_TRY(fits(e, check_new_term(db, term, e.time_us)));
    Statement t = BRANKAS_TRY(db.prepare(
        "INSERT INTO terms (name, start_us, end_us, all_units, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(t.bind(1, term.name).bind(2, term.start_us).bind(3, term.end_us).bind(4, term.units.empty() ? 1 : 0)
                    .bind(5, seq_of(e)).bind(6, seq_of(e)).run());
    Statement u = BRANKAS_TRY(db.prepare("INSERT INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, NULL, ?)"));
    for (const auto& code : term.units) {
        u.reset();
        BRANKAS_TRY(u.bind(1, term.name).bind(2, code).bind(3, seq_of(e)).run());
    }
    return {};
}

// Sets the end of the whole term (no units) or the units' own end. (Deactivated accounts come
// back by unit.reactivate, once the units are inside a term again.)
Status set_term_end(Database& db, const Event& e, const std::vector<std::string>& units, std::int64_t end) {
    if (units.empty()) {
        Statement t = BRANKAS_TRY(db.prepare("UPDATE OR FAIL terms SET end_us = ?, updated_seq = ? WHERE name = ?"));
        return t.bind(1, end).bind(2, seq_of(e)).bind(3, e.target).run();
    }
    Statement u = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, ?, ?)"));
    for (const auto& code : units) {
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, end).bind(4, seq_of(e)).run());
    }
    return {};
}

Status apply_term_extend(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermExtended extension = BRANKAS_TRY(TermExtended::decode(e));
    BRANKAS_TRY(fits(e, check_term_extension(db, extension, e.time_us)));
    return set_term_end(db, e, extension.units, extension.end_us);
}

// Ends the term (or some of its units) now, ahead of its date. Nothing is reactivated.
Status apply_term_end(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermEnded ending = BRANKAS_TRY(TermEnded::decode(e));
    TermBounds term = BRANKAS_TRY(fits(e, check_term_ending(db, ending, e.time_us)));
    const std::int64_t now = term_end_instant(term, e.time_us);
    BRANKAS_TRY(set_term_end(db, e, ending.units, now));
    if (!ending.units.empty()) return {};
    // The units' own ends never outlast the term's.
    Statement o = BRANKAS_TRY(db.prepare("UPDATE OR FAIL term_units SET end_us = ?, updated_seq = ? WHERE term = ? AND end_us > ?"));
    return o.bind(1, now).bind(2, seq_of(e)).bind(3, e.target).bind(4, now).run();
}

} // namespace

std::span<const ActionApplier> term_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::term_add, apply_term_add},
        {actions::term_extend, apply_term_extend},
        {actions::term_end, apply_term_end},
    };
    return appliers;
}

} // namespace brankas
