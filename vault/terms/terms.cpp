// Terms as a person changes them: checked with the terms' rules under the write lock at one
// instant; a term under way brings its units' deactivated accounts back in the same change.
#include "vault/terms/terms.hpp"

#include "vault/enforcement/enforcement.hpp"
#include "vault/field_rules.hpp"
#include "vault/session.hpp"
#include "vault/terms/term_events.hpp"

namespace brankas {

namespace {

// Ending a term before its first day would leave one whose last day comes before it. Refused
// here, where a person decides, and not by check_term_ending, which the replay calls too: a log
// written before this refusal, holding such an ending, must still verify.
Status check_term_started(const TermBounds& term, std::string_view name, std::int64_t now_us) {
    if (now_us >= term.start_us) return {};
    return fail_phrased(ErrorCode::conflict, i18n::tr_noop("term '%s' has not started yet: it cannot end before its first day"),
                        {std::string(name)},
                        i18n::tr_noop("end it once it has started; brankas has no command to remove or move a term"));
}

} // namespace

Result<std::vector<policy::ReactivatedUnit>> add_term(Session& session, std::string_view name, std::int64_t start_us,
                                                     std::int64_t end_us, const std::vector<std::string>& units) {
    // A name that prints as another is refused where a person gives one (live only: the rule the
    // replay shares stays as it was). extend and end name a term that exists, as it was written.
    BRANKAS_TRY(check_no_hidden_mark(name, i18n::tr_noop("the term's name")));
    TermAdded term{std::string(name), start_us, end_us, units};
    return session.write([&](Change& change) -> Result<std::vector<policy::ReactivatedUnit>> {
        BRANKAS_TRY(check_term_units(change.db(), units));
        BRANKAS_TRY(change.permit(policy::Action::manage_terms, name));
        BRANKAS_TRY(check_new_term(change.db(), term, change.now()));
        BRANKAS_TRY(change.append(term));
        // A term already under way brings its units' deactivated accounts back now; a future one,
        // when it starts (the enforcer's next run).
        return reactivate_now(change);
    });
}

Result<std::vector<policy::ReactivatedUnit>> extend_term(Session& session, std::string_view name, std::int64_t end_us,
                                                        const std::vector<std::string>& units) {
    TermExtended extension{std::string(name), end_us, units};
    return session.write([&](Change& change) -> Result<std::vector<policy::ReactivatedUnit>> {
        BRANKAS_TRY(check_term_units(change.db(), units));
        BRANKAS_TRY(change.permit(policy::Action::manage_terms, name));
        BRANKAS_TRY(check_term_extension(change.db(), extension, change.now()));
        BRANKAS_TRY(change.append(extension));
        return reactivate_now(change);
    });
}

Status end_term(Session& session, std::string_view name, const std::vector<std::string>& units) {
    TermEnded ending{std::string(name), units, std::nullopt};
    return session.write([&](Change& change) -> Status {
        BRANKAS_TRY(check_term_units(change.db(), units));
        BRANKAS_TRY(change.permit(policy::Action::manage_terms, name));
        const TermBounds term = BRANKAS_TRY(check_term_ending(change.db(), ending, change.now()));
        BRANKAS_TRY(check_term_started(term, name, change.now()));
        BRANKAS_TRY(change.append(ending));
        return {};
    });
}

Result<std::vector<TermInfo>> list_terms(Session& session) {
    std::vector<TermInfo> out;
    BRANKAS_TRY(for_each_term(session, [&](const TermInfo& t) -> Status {
        out.push_back(t);
        return {};
    }));
    return out;
}

Status for_each_term(Session& session, const std::function<Status(const TermInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "terms"));
    Database& db = session.db();
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT name, start_us, end_us, all_units, (SELECT time_us FROM events WHERE seq = created_seq) FROM terms ORDER BY start_us, name"));
    Statement u = BRANKAS_TRY(db.prepare("SELECT unit, end_us FROM term_units WHERE term = ? ORDER BY unit"));
    while (BRANKAS_TRY(s.step())) {
        TermInfo t{s.column_text(0), s.column_int(1), s.column_int(2), s.column_int(3) != 0, {}, s.column_int(4)};
        u.reset();
        u.bind(1, t.name);
        while (BRANKAS_TRY(u.step()))
            t.units.push_back({u.column_text(0), u.column_is_null(1) ? std::nullopt : std::optional<std::int64_t>(u.column_int(1))});
        BRANKAS_TRY(row(t));
    }
    return {};
}

} // namespace brankas
