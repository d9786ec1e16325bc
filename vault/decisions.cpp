#include "vault/decisions.hpp"

#include "policy/document.hpp"
#include "vault/replay_cache.hpp"
#include "policy/role.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation_tables.hpp"

namespace brankas {

Result<std::optional<StoredPolicyDocument>> stored_policy_document(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT document, set_seq FROM policy WHERE singleton = 1"));
    if (!BRANKAS_TRY(s.step())) return std::optional<StoredPolicyDocument>{};
    if (s.column_size(0) > policy::max_document_size) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the stored policy document is too large"),
                                                                          {});
    return std::optional<StoredPolicyDocument>(StoredPolicyDocument{s.column_text(0), s.column_int(1)});
}

namespace {

Result<policy::Policy> policy_from_store(Database& db) {
    auto stored = BRANKAS_TRY(stored_policy_document(db));
    if (!stored) return policy::Policy{};
    // Commands ask for the policy once per event: parse each document once.
    // (One cache per thread, so that none needs a lock.)
    thread_local std::string cached_text;
    thread_local std::optional<policy::Policy> cached;
    if (cached && cached_text == stored->text) return *cached;
    auto parsed = policy::parse_policy_document(stored->text);
    if (!parsed)
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the stored policy document does not parse (line %s)"),
                            {std::to_string(parsed.error().front().line)});
    cached_text = stored->text;
    cached = *parsed;
    return *parsed;
}

} // namespace

Result<policy::Policy> stored_policy(Database& db) {
    ReplayCache* kept = replay_cache(db);
    if (!kept) return policy_from_store(db);
    if (const policy::Policy* in_force = kept->policy.find(db, {})) return *in_force;
    policy::Policy read = BRANKAS_TRY(policy_from_store(db));
    kept->policy.keep(db, {}, read);
    return read;
}

Result<std::vector<policy::TermWindow>> term_windows(Database& db, std::string_view unit) {
    ReplayCache* kept = replay_cache(db);
    if (kept)
        if (const auto* windows = kept->term_windows.find(db, unit)) return *windows;
    // A term covers a unit when it is for all units or names it; a row in term_units may also
    // carry the unit's own end.
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT t.name, t.start_us, coalesce(tu.end_us, t.end_us) FROM terms t "
        "LEFT JOIN term_units tu ON tu.term = t.name AND tu.unit = ? "
        "WHERE t.all_units = 1 OR tu.unit IS NOT NULL ORDER BY t.start_us, t.name"));
    s.bind(1, unit);
    std::vector<policy::TermWindow> out;
    while (BRANKAS_TRY(s.step())) out.push_back({s.column_text(0), s.column_int(1), s.column_int(2)});
    if (kept) kept->term_windows.keep(db, unit, out);
    return out;
}

Result<std::optional<TermBounds>> find_term(Database& db, std::string_view name) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT start_us, end_us, all_units FROM terms WHERE name = ?"));
    s.bind(1, name);
    if (!BRANKAS_TRY(s.step())) return std::optional<TermBounds>{};
    return std::optional<TermBounds>(TermBounds{s.column_int(0), s.column_int(1), s.column_int(2) != 0});
}

Result<std::optional<std::int64_t>> unit_end_in_term(Database& db, std::string_view term, const TermBounds& bounds,
                                                     std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT end_us FROM term_units WHERE term = ? AND unit = ?"));
    s.bind(1, term).bind(2, unit);
    if (BRANKAS_TRY(s.step())) return std::optional<std::int64_t>(s.column_is_null(0) ? bounds.end_us : s.column_int(0));
    if (bounds.all_units) return std::optional<std::int64_t>(bounds.end_us);
    return std::optional<std::int64_t>{};
}

UnitTerm unit_term(const std::vector<policy::TermWindow>& windows, std::int64_t grace_us, std::int64_t now_us) {
    UnitTerm out;
    out.state = policy::term_state(windows, grace_us, now_us);
    // Name the term that decides: the one we are inside (or in the grace of), else the next to
    // start, else the last to end.
    const policy::TermWindow* pick = nullptr;
    for (const auto& w : windows) {
        bool matches = false;
        switch (out.state) {
        case policy::TermState::active: matches = w.start_us <= now_us && now_us < w.end_us; break;
        case policy::TermState::grace: matches = w.end_us <= now_us && now_us < w.end_us + grace_us; break;
        case policy::TermState::upcoming: matches = w.start_us > now_us && (!pick || w.start_us < pick->start_us); break;
        case policy::TermState::ended: matches = !pick || w.end_us > pick->end_us; break;
        case policy::TermState::none: break;
        }
        if (matches && (out.state == policy::TermState::upcoming || out.state == policy::TermState::ended || !pick ||
                        w.end_us > pick->end_us))
            pick = &w;
    }
    if (pick) {
        out.term = pick->term;
        out.end_us = pick->end_us;
    }
    return out;
}

Result<UnitTerm> unit_term(Database& db, std::string_view unit, const policy::Policy& policy, std::int64_t now_us) {
    return unit_term(BRANKAS_TRY(term_windows(db, unit)), policy.term_grace_us, now_us);
}

Result<policy::Facts> unit_facts(Database& db, std::string_view principal, std::string_view unit, const policy::Policy& policy,
                                 std::int64_t now_us) {
    policy::Facts facts;
    if (unit.empty()) return facts;
    facts.unit = std::string(unit);
    facts.scope = BRANKAS_TRY(holds_grant(db, principal, unit)) ? policy::UnitScope::granted : policy::UnitScope::not_granted;
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, policy, now_us));
    facts.term = t.state;
    facts.term_name = std::move(t.term);
    facts.term_end_us = t.end_us;
    return facts;
}

Result<std::int64_t> unfinished_checklists(Database& db, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT count(DISTINCT c.account) FROM checklists c JOIN accounts a ON a.id = c.account "
        "WHERE a.unit = ? AND a.status = 'deactivated' AND c.closed_seq IS NULL AND c.steps_left > 0"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    return s.column_int(0);
}

Result<policy::Decision> decide_as(Database& db, const Actor& actor, std::int64_t now_us, policy::Request request,
                                   std::string_view unit, policy::Facts extra, const policy::Policy& pol) {
    request.role = actor.role;
    request.actor = actor.name;
    policy::Facts facts = BRANKAS_TRY(unit_facts(db, actor.name, unit, pol, now_us));
    if (!unit.empty()) {
        extra.unit = std::move(facts.unit);
        extra.scope = facts.scope;
        extra.term = facts.term;
        extra.term_name = std::move(facts.term_name);
        extra.term_end_us = facts.term_end_us;
    }
    return policy::decide(request, extra, pol, now_us);
}

Result<policy::Decision> decide_as(Database& db, const Actor& actor, std::int64_t now_us, policy::Request request,
                                   std::string_view unit, policy::Facts extra) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    return decide_as(db, actor, now_us, std::move(request), unit, std::move(extra), pol);
}

Result<ActorStanding> actor_standing(Database& db, const Event& e) {
    auto p = BRANKAS_TRY(find_principal(db, e.actor));
    if (!p) return event_refused(e, i18n::tr_noop("is by '%s', who is not a user of this vault"), {e.actor});
    return ActorStanding{Actor{e.actor, p->role}, p->status};
}

i18n::Phrase denial_phrase(const policy::Decision& d) {
    const policy::Reason* r = d.denying_reason();
    return r ? r->phrase : i18n::Phrase::plain(d.denial());
}

std::unexpected<Error> refusal(const policy::Decision& d) {
    if (const policy::Reason* r = d.denying_reason()) return fail_phrase(ErrorCode::denied, r->phrase);
    // The engine gives every refusal a forbidding reason; this is for one that did not.
    return fail_phrased(ErrorCode::denied, i18n::tr_noop("the policy does not allow this"), {});
}

Result<Actor> active_actor(Database& db, const Event& e) {
    ActorStanding standing = BRANKAS_TRY(actor_standing(db, e));
    if (standing.status != PrincipalStatus::active) return event_refused(e, i18n::tr_noop("is by a user who is not active"));
    return std::move(standing.actor);
}

Result<policy::Decision> decide_event(Database& db, const Event& e, policy::Request request, std::string_view unit,
                                      policy::Facts extra) {
    Actor actor = BRANKAS_TRY(active_actor(db, e));
    policy::Decision d = BRANKAS_TRY(decide_as(db, actor, e.time_us, std::move(request), unit, std::move(extra)));
    if (!d.allowed()) return event_refused(e, i18n::Phrase(i18n::tr_noop("is not allowed: %s"), {denial_phrase(d)}));
    return d;
}

Status require(Database& db, const Event& e, policy::Action action, std::string_view unit) {
    policy::Request request;
    request.action = action;
    BRANKAS_TRY(decide_event(db, e, std::move(request), unit));
    return {};
}

} // namespace brankas
