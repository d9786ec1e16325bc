// Terms: the windows in which a unit's accounts are usable. Dates become instants in the CLI
// (in the policy's time zone); here a term is a name, a start, an end and its units.
#pragma once

#include "policy/enforcement.hpp"
#include "vault/decisions.hpp"
#include "vault/error.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;
struct TermAdded;
struct TermExtended;
struct TermEnded;

struct TermUnitEnd {
    std::string unit;
    std::optional<std::int64_t> end_us; // its own end, when `term extend`/`term end` gave it one
};

struct TermInfo {
    std::string name;
    std::int64_t start_us = 0, end_us = 0;
    bool all_units = false;
    std::vector<TermUnitEnd> units; // the units it names, and units with an end of their own
    std::int64_t created_us = 0;
};

// `units` empty: every unit, including those added later.
// Both return the units whose deactivated accounts came back at once (the term is under way
// for them); a future term brings them back when it starts, at the enforcer's next run.
[[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> add_term(Session& session, std::string_view name, std::int64_t start_us,
                                                                   std::int64_t end_us, const std::vector<std::string>& units);
[[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> extend_term(Session& session, std::string_view name, std::int64_t end_us,
                                                                      const std::vector<std::string>& units);
[[nodiscard]] Status end_term(Session& session, std::string_view name, const std::vector<std::string>& units);
[[nodiscard]] Result<std::vector<TermInfo>> list_terms(Session& session);
// The terms of list_terms, in its order, each handed to `row` as it is read and not kept. The
// first error `row` returns stops it.
[[nodiscard]] Status for_each_term(Session& session, const std::function<Status(const TermInfo&)>& row);

// ---- the rules a live term change and its replay both apply ----
// Errors: ErrorCode::usage for a malformed name, code or date, not_found for a term or unit
// that does not exist, conflict for what the term's state does not allow.

// Each code a sub-district of this vault, none twice.
[[nodiscard]] Status check_term_units(Database& db, const std::vector<std::string>& units);
// A well-formed name, an end after the start and after `now_us`, its units, and no term of that name yet.
[[nodiscard]] Status check_new_term(Database& db, const TermAdded& term, std::int64_t now_us);
// The term exists, the end is after `now_us` and later than the term's (or each unit's) end;
// returns the term as it stands.
[[nodiscard]] Result<TermBounds> check_term_extension(Database& db, const TermExtended& extension, std::int64_t now_us);
// The term exists and has not ended yet at `now_us` (for each unit named, which it covers).
[[nodiscard]] Result<TermBounds> check_term_ending(Database& db, const TermEnded& ending, std::int64_t now_us);
// When an ending at `now_us` takes effect: never before the term's start.
[[nodiscard]] std::int64_t term_end_instant(const TermBounds& term, std::int64_t now_us) noexcept;

} // namespace brankas
