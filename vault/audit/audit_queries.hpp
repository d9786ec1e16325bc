// Reads shared by the auditor's views (vault/ops/audit.cpp, vault/ops/reports.cpp): time
// bounds as sequence numbers, rows of the log checked against their signed bodies, the units
// an event concerns.
#pragma once

#include "policy/role.hpp"
#include "vault/log/event.hpp"
#include "vault/log/event_log.hpp"
#include "vault/store/database.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace brankas::audit_queries {

struct AccountRef {
    std::string unit, ref; // ref: "platform/handle"
};
// Every account's unit and name (a district has tens of thousands at most).
[[nodiscard]] Result<std::unordered_map<std::int64_t, AccountRef>> account_refs(Database& db);

// The first event at or after `time_us` (one past the last when there is none).
[[nodiscard]] Result<std::uint64_t> first_seq_at(Database& db, std::int64_t time_us);
struct SeqRange {
    std::uint64_t first = 1, last = 0; // inclusive; empty when last < first
};
[[nodiscard]] Result<SeqRange> seq_range(Database& db, std::optional<std::int64_t> since_us, std::optional<std::int64_t> until_us);

// The event of a row whose columns from `seq_col` on are seq, time_us, actor, action, target,
// body; ErrorCode::store_corrupt when the body does not decode or disagrees with the columns.
[[nodiscard]] Result<Event> event_of_row(const Statement& row, int seq_col = 0);

// The account of each request under dual control that names one (a break-glass check-out's):
// request id -> account id, so a grant or a rejection (target `approval/<id>`) is that account's.
[[nodiscard]] Result<std::unordered_map<std::int64_t, std::int64_t>> approval_accounts(Database& db);
// The account an event is about: its target's, or the account of the request it grants or rejects.
[[nodiscard]] std::optional<std::int64_t> account_of_event(const Event& e, const std::unordered_map<std::int64_t, std::int64_t>& approvals);

// The units an event concerns: its account's unit (`account`, from account_of_event) or its
// target when that is a unit, and the units its details name (`unit`, or the `units` list).
[[nodiscard]] std::vector<std::string> units_named(const Event& e, std::optional<std::int64_t> account,
                                                   const std::unordered_map<std::int64_t, AccountRef>& accounts);

// Every principal's role, by name (a district has a few hundred people at most).
using PrincipalRoles = std::map<std::string, policy::Role, std::less<>>;
[[nodiscard]] Result<PrincipalRoles> principal_roles(Database& db);
// The person each request under dual control names (a re-key's): request id -> name.
[[nodiscard]] Result<std::unordered_map<std::int64_t, std::string>> approval_people(Database& db);
// The people an event is about, when it names no unit (UnitSight::sees_event), from its action,
// target and actor: the person its target names (a person's own events: added, enrolled,
// granted, disabled, a new passphrase or record, reset or enrolled by the recovery quorum; a
// refusal about them, `user/<name>` or their name; a request naming them, and its grant or
// rejection), and the custodian who did it. Someone of a district-wide role (an admin, an
// auditor, the enforcer) acting on the district is the district's; a custodian's acts are theirs.
// The one rule for a person's sight of people: the list of requests under dual control shows a
// request where the log shows its approval.request and every grant and rejection of it
// (vault/approvals/approvals.cpp).
[[nodiscard]] std::vector<std::string> people_named(std::string_view action, std::string_view target, std::string_view actor,
                                                    const PrincipalRoles& roles,
                                                    const std::unordered_map<std::int64_t, std::string>& approvals);

// ErrorCode::not_found when the unit or the person does not exist (no_such_user is the user a
// command runs as: one the keyring has no slot for).
[[nodiscard]] Status require_unit(Database& db, std::string_view code);
[[nodiscard]] Status require_principal(Database& db, std::string_view name);

} // namespace brankas::audit_queries
