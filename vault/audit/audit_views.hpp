// What auditors read: the log filtered, and the reports built from the log and the projection
// (access, exposure, status). All of it is reading: no event is written unless a request is
// refused, and nothing here holds or shows a password. Rows are handed to a callback one at
// a time, read through one SQL cursor, so a long log is never held in memory.
#pragma once

#include "vault/log/event.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

// Which events `audit log` lists; every criterion given must hold.
struct AuditFilter {
    // A unit's events: those whose target is the unit itself, or an account of the unit, and
    // those whose details name the unit (a `unit` field, or a `units` list that includes it:
    // grants, revocations, terms for some units). A term for every unit names none.
    std::optional<std::string> unit;
    // An account's events: those whose target is the account, the grants and rejections of the
    // requests that name it, and the end of its unit's term that carried its fresh password
    // (a unit.deactivate with its field `fresh.<id>`).
    std::optional<std::int64_t> account;
    std::optional<std::string> actor;
    std::vector<std::string> actions;    // any of these; empty: all
    std::optional<std::int64_t> since_us; // at or after
    std::optional<std::int64_t> until_us; // before
};

struct AuditEntry {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string actor, action, target;
    std::vector<std::string> units; // the units it concerns (see AuditFilter::unit)
    std::string account;            // "platform/handle" as it is now, when the target is an account (or, in
                                    // an account's log, for the end of term that carried its fresh password)
    std::string reason;             // its `reason` field, if any
    EventDetails details;           // every field but `reason`, as signed
};

// ---- report access: who revealed or checked out each account ----

struct AccessFilter {
    std::optional<std::string> unit;
    std::optional<std::int64_t> since_us, until_us;
};

enum class AccessKind { password, totp, checkout, rotation };
[[nodiscard]] std::string_view access_kind_name(AccessKind kind) noexcept; // "password", "totp", "checkout", "rotation"

struct AccessEntry {
    std::int64_t account = 0;
    std::string ref, unit;
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string who;
    AccessKind kind = AccessKind::password;
    std::int64_t version = 0;
    std::string reason;
    bool break_glass = false;
    std::optional<std::int64_t> until_us; // a check-out's end
    std::optional<std::int64_t> request;  // dual control: the approved request a check-out used
    std::vector<std::string> approved_by; // who granted that request
};

// ---- report exposure: which current passwords a person saw or could have opened ----

struct ExposureSight {
    AccessKind kind = AccessKind::password; // password read, check-out, or the rotation they started
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string reason;
};

struct ExposureEntry {
    std::int64_t account = 0;
    std::string ref, unit, status;
    std::int64_t version = 0;
    bool pending = false;               // the pending version of a rotation (otherwise the current one)
    std::vector<ExposureSight> seen;    // when it was shown to them
    bool set_by_them = false;           // they stored this version themselves
    std::vector<std::int64_t> key_versions; // the unit keys they held that this version was sealed to
    [[nodiscard]] bool could_open() const noexcept { return !key_versions.empty(); }
};

struct ExposureReport {
    std::string person, role, status;
    std::vector<ExposureEntry> entries; // by account, then version
};

// ---- report status ----

struct StatusCount {
    std::string unit, status;
    std::int64_t accounts = 0;
};

struct DueRotation {
    std::int64_t account = 0;
    std::string ref, unit, status;
    std::int64_t version = 0;
};

struct OverdueCheckout {
    std::int64_t account = 0;
    std::string ref, unit, holder, reason;
    std::int64_t start_us = 0, until_us = 0;
    bool break_glass = false;
};

struct TermEnding {
    std::string term;
    std::string unit; // empty: the term's own end, for every unit it covers without an end of its own
    std::int64_t end_us = 0;
};

// What the status report counts before it lists anything (the headings of a face's sections).
struct StatusSummary {
    std::int64_t at_us = 0, window_us = 0;
    std::map<std::string, std::int64_t> accounts; // per status, each of the three statuses present
    std::int64_t rotation_due = 0, overdue = 0, terms_ending = 0;
};

struct StatusReport {
    std::int64_t at_us = 0;
    std::vector<StatusCount> counts; // per unit and status
    std::vector<DueRotation> rotation_due;
    std::vector<OverdueCheckout> overdue;
    std::vector<TermEnding> terms_ending; // within the window, soonest first
    std::int64_t window_us = 0;
};

} // namespace brankas
