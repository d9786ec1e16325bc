// What the policy engine is told, read from the tables, and what it decides: the policy in
// force, where a unit stands in its terms, whether the actor holds it. A live write (Change)
// and the replay of `audit verify` (the appliers) decide through the same functions here, so
// both decide alike: a rule that a domain adds goes into its facts or the engine, never into an
// `if` on one side only.
#pragma once

#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "vault/log/event.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

// The policy the log has set last (the defaults when none was set). Parsed once per document.
[[nodiscard]] Result<policy::Policy> stored_policy(Database& db);
// The stored document text, if one was set, and the event that set it.
struct StoredPolicyDocument {
    std::string text;
    std::int64_t set_seq = 0;
};
[[nodiscard]] Result<std::optional<StoredPolicyDocument>> stored_policy_document(Database& db);

// Every term window of the unit, with the end `term extend` and `term end` left for it.
[[nodiscard]] Result<std::vector<policy::TermWindow>> term_windows(Database& db, std::string_view unit);

// A term's own window and whether it covers every unit.
struct TermBounds {
    std::int64_t start_us = 0, end_us = 0;
    bool all_units = false;
};
[[nodiscard]] Result<std::optional<TermBounds>> find_term(Database& db, std::string_view name);
// The unit's end in the term (its own, or the term's); nullopt when the term does not cover it.
[[nodiscard]] Result<std::optional<std::int64_t>> unit_end_in_term(Database& db, std::string_view term, const TermBounds& bounds,
                                                                   std::string_view unit);

struct UnitTerm {
    policy::TermState state = policy::TermState::none;
    std::optional<std::string> term;       // the term that decides the state, if any
    std::optional<std::int64_t> end_us;    // that term's end for this unit
};
[[nodiscard]] UnitTerm unit_term(const std::vector<policy::TermWindow>& windows, std::int64_t grace_us, std::int64_t now_us);
[[nodiscard]] Result<UnitTerm> unit_term(Database& db, std::string_view unit, const policy::Policy& policy, std::int64_t now_us);

// What the engine is told about `principal` and `unit` at `now_us`: the grant and the term.
// Empty (scope none, no term) for a request about no unit.
[[nodiscard]] Result<policy::Facts> unit_facts(Database& db, std::string_view principal, std::string_view unit,
                                               const policy::Policy& policy, std::int64_t now_us);

// Who acts: the session's user for a live write, the event's actor on replay.
struct Actor {
    std::string name;
    policy::Role role = policy::Role::custodian;
};

// The engine's decision for `actor` at `now_us` about `unit` (empty: a request about no unit):
// role and name filled in, the unit's grant and term as facts plus `extra` (the account, the
// hold, a handover), under `policy`.
[[nodiscard]] Result<policy::Decision> decide_as(Database& db, const Actor& actor, std::int64_t now_us, policy::Request request,
                                                 std::string_view unit, policy::Facts extra, const policy::Policy& policy);
// The same under the policy in force.
[[nodiscard]] Result<policy::Decision> decide_as(Database& db, const Actor& actor, std::int64_t now_us, policy::Request request,
                                                 std::string_view unit, policy::Facts extra = {});

// The sentence of denial() as a phrase, for a face to say in its reader's language.
[[nodiscard]] i18n::Phrase denial_phrase(const policy::Decision& d);
// What a person reads when `d` refuses: its denying reason, as a phrase.
[[nodiscard]] std::unexpected<Error> refusal(const policy::Decision& d);

// ---- for the appliers: the event's actor, and whether they may do what the event did ----

// The event's actor, who must be an active user of this vault (else the event does not fit).
[[nodiscard]] Result<Actor> active_actor(Database& db, const Event& event);
// The actor's role and standing, whatever it is; refused if nobody by that name exists.
struct ActorStanding {
    Actor actor;
    PrincipalStatus status = PrincipalStatus::pending;
};
[[nodiscard]] Result<ActorStanding> actor_standing(Database& db, const Event& event);
// The decision for the event's actor at the event's time, refused (as a bad event) unless it
// allows: the replay's side of every permission check.
[[nodiscard]] Result<policy::Decision> decide_event(Database& db, const Event& event, policy::Request request, std::string_view unit,
                                                    policy::Facts extra = {});
[[nodiscard]] Status require(Database& db, const Event& event, policy::Action action, std::string_view unit = {});
// The same with the domain's own rule: `decide(actor)` is the function the live path calls too.
template <class Decide>
[[nodiscard]] Result<policy::Decision> decide_event_with(Database& db, const Event& event, Decide&& decide) {
    Actor actor = BRANKAS_TRY(active_actor(db, event));
    policy::Decision d = BRANKAS_TRY(decide(actor));
    if (!d.allowed()) return event_refused(event, i18n::Phrase(i18n::tr_noop("is not allowed: %s"), {denial_phrase(d)}));
    return d;
}


// How many of the unit's deactivated accounts have an open checklist with a step not done.
[[nodiscard]] Result<std::int64_t> unfinished_checklists(Database& db, std::string_view unit);

} // namespace brankas
