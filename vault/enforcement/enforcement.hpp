// The end of a term: the enforcer (or an admin) carries out the engine's plan — units whose
// terms ended taken out of use, overdue check-outs expired, old passwords flagged, units inside a
// term again brought back — and the deactivation checklist a person works through afterwards.
#pragma once

#include "policy/enforcement.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/error.hpp"
#include "vault/store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Change;
class Session;

struct EnforcementReport {
    policy::EnforcementPlan plan;
    std::size_t sealed = 0;        // fresh pending passwords sealed
    std::size_t rotated_units = 0; // unit keys switched to their standby after their custodians were revoked
    std::vector<std::string> rotation_owed; // units whose custodians were revoked but that had no standby key
    std::size_t events = 0;
    // Of the time spent writing the events (after the plan and the reads that shape them), how
    // long the writer waited for fresh passwords to be generated and sealed (or did so itself):
    // the part of the sealing the other cores did not take.
    double writing_seconds = 0;
    double sealing_seconds = 0;
};

struct ChecklistStepInfo {
    std::string id, text;
    bool waits = false;
    std::optional<std::int64_t> wait_until_us;
    bool done = false;
    std::int64_t done_us = 0;
    std::string done_by, note;
};

struct ChecklistInfo {
    AccountInfo account;
    std::int64_t opened_us = 0;
    std::vector<ChecklistStepInfo> steps;
    [[nodiscard]] bool complete() const noexcept;
};

// The plan as of `at_us`, changing nothing (`enforce --dry-run [--at]`).
[[nodiscard]] Result<policy::EnforcementPlan> enforcement_plan(Session& session, std::int64_t at_us);
// Carries out the plan as of now, in one change; running it again changes nothing.
[[nodiscard]] Result<EnforcementReport> enforce(Session& session);
// The units the plan brings back at the change's instant (a term under way after `term add` or
// `term extend`), reactivated in that change (unit.reactivate, one event per unit).
[[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> reactivate_now(Change& change);

[[nodiscard]] Result<std::optional<ChecklistInfo>> checklist(Session& session, std::int64_t account);
[[nodiscard]] Status tick_checklist(Session& session, std::int64_t account, std::string_view step, std::string_view note);
// The accounts whose open checklist has a step not done: how many, and "platform/handle" of each
// in the order of the accounts' ids, or of the first `first` of them, handed to `each` (the
// view is valid during the call only). Read from the index of the steps left (migration 10), not
// from the checklists (after a term, six steps for each of tens of thousands of accounts).
[[nodiscard]] Result<std::int64_t> count_incomplete_checklists(Session& session);
[[nodiscard]] Status for_each_incomplete_checklist(Session& session, std::optional<std::size_t> first,
                                                   const std::function<Status(std::string_view ref)>& each);

// ---- the rules a live enforcement (or tick) and its replay both apply ----

// What the engine plans from: the terms, the units, the accounts, the grants, the open check-outs
// (read by a live run only: a replay checks the events the plan became, each against its tables).
[[nodiscard]] Result<policy::EnforcementFacts> enforcement_facts(Database& db);
// The same facts, and what carrying out a plan needs of each account beside them, from the
// same read of the accounts: its current secret version.
struct EnforcementReads {
    policy::EnforcementFacts facts;
    std::vector<std::int64_t> versions; // of facts.accounts[i] (which are in the order of their ids)
};
[[nodiscard]] Result<EnforcementReads> enforcement_reads(Database& db);
// The standby key a unit.deactivate moves the unit to: revoked custodians lose the key when a
// standby can replace it, and only then.
[[nodiscard]] std::optional<std::int64_t> deactivation_key_version(std::string_view custodians, std::optional<std::int64_t> standby);

// The list of checklist steps (checklist_step_lists) of `pol`, the policy in force: its number
// (the policy's set_seq, 0 for the built-in policy), its rows written by the first checklist
// that opens under it.
[[nodiscard]] Result<std::int64_t> keep_checklist_list(Database& db, const policy::Policy& pol);

// The step of the account's open checklist that a tick at `now_us` may mark done: a printable
// note within bounds (usage), a checklist open (conflict), the step in it (not_found), not done
// yet and past its waiting period (conflict). `account_name` names the account in messages.
struct ChecklistStepRow {
    std::int64_t opened_seq = 0, position = 0;
    bool kept = false;       // the step has its row in checklist_steps (its waiting period started)
    bool next_waits = false; // the step after it, in the same checklist, waits for the platform
};
[[nodiscard]] Result<ChecklistStepRow> check_checklist_tick(Database& db, std::int64_t account, std::string_view account_name,
                                                            std::string_view step, std::string_view note, std::int64_t now_us);

// The checklist step that says the platform has the new password from brankas. Its tick names
// the version set on the platform, which must be the account's current one, and it cannot be
// ticked while a new password is still pending (a rotation neither confirmed nor aborted): the
// platform may still have the old one (ErrorCode::conflict). Any other step names no version
// (ErrorCode::usage). A tick written before the field existed names none and is taken as it was
// (formats.md `checklist.tick`). The live tick passes the version it records (version_for_tick).
inline constexpr std::string_view new_password_step = "new-password";
// `current` is the account's current version.
[[nodiscard]] Status check_ticked_version(Database& db, std::int64_t account, std::int64_t current, std::string_view step,
                                          std::optional<std::int64_t> version);
// The version a live tick of `step` names: the account's current one for the new password.
[[nodiscard]] std::optional<std::int64_t> version_for_tick(std::int64_t current, std::string_view step);

} // namespace brankas
