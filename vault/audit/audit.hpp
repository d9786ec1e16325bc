// The audit domain: the log as auditors read it (filtered listings and the reports of
// audit_views.hpp), checkpoints and `audit verify`. Reading records nothing unless a request is
// refused; a checkpoint is an event of its own.
#pragma once

#include "policy/policy.hpp"
#include "vault/audit/audit_views.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/event_log.hpp"
#include "vault/log/verifier.hpp"

#include "vault/store/database.hpp"

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace brankas {

class Session;

// Every event in order, as its columns list it; `visit` returns false to stop.
[[nodiscard]] Status for_each_event(Session& session, const std::function<bool(const EventSummary&)>& visit);
// Records the checkpoint in the log (who took it, when) and returns it signed; its sequence and
// head are those of that very event.
[[nodiscard]] Result<Checkpoint> take_checkpoint(Session& session);
[[nodiscard]] Result<VerifyReport> verify(Session& session, const std::optional<Checkpoint>& checkpoint);
// With threads, a progress callback, or only what came after a checkpoint (verifier.hpp).
[[nodiscard]] Result<VerifyReport> verify(Session& session, const VerifyOptions& options);

// What the access, exposure and status reports ask the engine (Session::permit) before they read
// anything: vault-wide for auditors and admins, one granted unit for its custodian (access).
inline constexpr policy::Action report_action = policy::Action::read_history;

// The events that pass the filter, in order, through one cursor; `visit` returns false to stop.
[[nodiscard]] Status audit_log(Session& session, const AuditFilter& filter, const std::function<bool(const AuditEntry&)>& visit);
// Every action this brankas records (what a filter may name).
[[nodiscard]] std::vector<std::string_view> audit_actions();
// Password reads, check-outs and rotations, by account, then in order.
[[nodiscard]] Status access_report(Session& session, const AccessFilter& filter, const std::function<bool(const AccessEntry&)>& visit);
// Of the sub-districts the person is granted, in order of code, those whose access report
// (access_report with that unit) the engine lets them run now: asked as the report asks
// (report_action, then read_unit), recording nothing. For a face that offers a custodian, who may
// not run the report vault-wide, the report of each of their own sub-districts.
[[nodiscard]] Result<std::vector<std::string>> own_access_report_units(Session& session);
// The current (and pending) passwords `person` was shown, stored, or held a unit key for.
[[nodiscard]] Result<ExposureReport> exposure_report(Session& session, std::string_view person);
// Accounts by status, rotations due, overdue check-outs, term ends within `window_us` from now.
[[nodiscard]] Result<StatusReport> status_report(Session& session, std::int64_t window_us);
// The same report read section by section, each row handed over as it is read and not kept
// (after a term, tens of thousands of accounts owe a new password): the summary is read at
// open, and every section from the same snapshot of the store, which lasts as long as the reader.
class StatusReportReader {
public:
    [[nodiscard]] static Result<StatusReportReader> open(Session& session, std::int64_t window_us);
    [[nodiscard]] const StatusSummary& summary() const noexcept { return summary_; }
    // Accounts per unit and status, in order of unit, then status.
    [[nodiscard]] Status for_each_count(const std::function<Status(const StatusCount&)>& row);
    // Not archived and owing a new password, in order of unit, then account.
    [[nodiscard]] Status for_each_rotation_due(const std::function<Status(const DueRotation&)>& row);
    // Past their end and not yet returned or expired by an event, soonest end first.
    [[nodiscard]] Status for_each_overdue(const std::function<Status(const OverdueCheckout&)>& row);
    // Within the window, soonest first.
    [[nodiscard]] Status for_each_term_ending(const std::function<Status(const TermEnding&)>& row);

private:
    StatusReportReader(Database& db, Transaction snapshot) : db_(&db), snapshot_(std::move(snapshot)) {}
    Database* db_;
    Transaction snapshot_;
    StatusSummary summary_;
};

} // namespace brankas
