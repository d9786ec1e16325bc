// What the policy engine is told, read from the projection: the policy in force, where a unit
// stands in its terms, who holds an account's check-out. The same reads serve a live command
// and the replay of `audit verify`, so both decide alike.
#pragma once

#include "policy/document.hpp"
#include "policy/engine.hpp"
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

struct OpenCheckout {
    std::int64_t seq = 0;
    std::string holder, reason;
    std::int64_t until_us = 0;
    bool break_glass = false;
};
// The account's check-out that was neither returned nor expired by an event (it may be past
// its end: then it is no longer a hold, but it is still open until someone ends it).
[[nodiscard]] Result<std::optional<OpenCheckout>> open_checkout(Database& db, std::int64_t account);

// How many of the unit's deactivated accounts have an open checklist with a step not done.
[[nodiscard]] Result<std::int64_t> unfinished_checklists(Database& db, std::string_view unit);

} // namespace brankas
