// Threshold recovery. An admin splits a random recovery key into k-of-n shares; the key opens
// the recovery principal's slot, which holds K_db and the principal's own keys, and the
// principal holds every key of every unit. A quorum of holders brings back one admin at a time:
// a forgotten passphrase becomes a new enrollment code, or a new admin is enrolled.
#pragma once

#include "vault/approvals/approval_tables.hpp"

#include "vault/clock.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/error.hpp"
#include "vault/people/people.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/store/database.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

class Session;

// The latest `recovery split`, as the log records it.
struct RecoverySetup {
    int shares = 0, threshold = 0;
    std::int64_t split_us = 0;
    std::string split_by;
    std::string status; // of the recovery principal: "active", or "disabled"
};

// A recovery action (recovery.reset, recovery.enroll), as the log records it.
struct RecoveryActionRecord {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string action, target;
};

// What `recovery split` made: one share file per holder.
struct RecoverySplit {
    std::vector<std::filesystem::path> files;
    bool replaced = false;                  // an earlier split existed: its shares open nothing now
    std::vector<std::string> rotated_units; // on replacing: the units moved to fresh keys
    std::optional<std::int64_t> request;      // under dual control: the approved request it used
    std::optional<AwaitingApproval> awaiting; // set instead when nothing was split: the request recorded
};

// `recovery split` under dual control ([dual_control] actions names "recovery_split"): why, and
// the approved request to use (`--reason`, `--request ID`).
struct SplitAsk {
    std::string reason;                  // empty: none (with a request: the request's)
    std::optional<std::int64_t> request;
};

enum class RecoveryAction {
    reset_passphrase, // an admin's slot becomes an enrollment slot with a new one-time code
    enroll_admin,     // a new admin, who enrolls with a one-time code
};

struct RecoveryRequest {
    RecoveryAction action = RecoveryAction::reset_passphrase;
    std::string name;   // the admin
    KdfLimits code_kdf; // of the enrollment code's slot
};

// Creates (or replaces) the recovery principal: a fresh random key opens its slot and is split
// into `shares` files in `out_dir` (mode 0600, never over an existing file), any `threshold` of
// which recover it. It receives every key of every unit, as an admin does. Replacing moves every
// unit to a fresh key, so the old key opens nothing written from now on.
// Under dual control without a request it records a request for exactly this threshold and number
// of shares instead (RecoverySplit::awaiting) and writes no file.
[[nodiscard]] Result<RecoverySplit> split_recovery(Session& session, int shares, int threshold, const std::filesystem::path& out_dir,
                                                   const SplitAsk& ask = {});
// Combines the shares, opens the recovery slot and performs exactly one action as the recovery
// principal; returns the enrollment code it issued. It is open_for_recovery, then recovery_act.
[[nodiscard]] Result<EnrollmentCode> recover(const std::filesystem::path& dir, const std::vector<RecoveryShare>& shares,
                                             const RecoveryRequest& request, const Clock& clock);
Result<EnrollmentCode> recover(const std::filesystem::path&, const std::vector<RecoveryShare>&, const RecoveryRequest&,
                               const Clock&&) = delete;
// The quorum's door: checks the request (a valid name, acceptable limits), then combines the
// shares and opens the recovery slot, as the recovery principal.
[[nodiscard]] Result<Session> open_for_recovery(const std::filesystem::path& dir, const std::vector<RecoveryShare>& shares,
                                                const RecoveryRequest& request, const Clock& clock);
Result<Session> open_for_recovery(const std::filesystem::path&, const std::vector<RecoveryShare>&, const RecoveryRequest&,
                                  const Clock&&) = delete;
// The quorum's one action, in a session opened by open_for_recovery: the admin's new enrollment
// slot, its event, and every unit key the recovery principal holds sealed to it.
[[nodiscard]] Result<EnrollmentCode> recovery_act(Session& session, const RecoveryRequest& request);

// The latest split and the latest recovery action since the first split, for `status`.
struct RecoveryStatus {
    std::optional<RecoverySetup> setup;
    std::optional<RecoveryActionRecord> last_action;
};
[[nodiscard]] Result<RecoveryStatus> recovery_status(Database& db);

// ---- the rules a live change and its replay both apply (recovery_rules.cpp) ----

// A split's shape: 2 to 16 shares, a threshold from 2 to the number of shares; and the name
// 'recovery' free, or the recovery principal's already.
[[nodiscard]] Status check_split(Database& db, std::int64_t shares, std::int64_t threshold);
// Whom a quorum may bring back: for a reset, an enabled admin; for an enrollment, a new admin
// with a valid name that is not taken.
[[nodiscard]] Status check_recovered_admin(Database& db, RecoveryAction action, std::string_view name);

} // namespace brankas
