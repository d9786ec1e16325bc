// Handovers: a unit's accounts move from its outgoing custodians to a receiver: started by an
// admin, accepted by the receiver with their own key, witnessed when the policy or the admin asks
// for it, completed (grant, revocations, unit key rotated, passwords due) or cancelled. Never a
// password. The operations, the types they take and return (the minutes' data among them), and
// the rules the live path and the replay both apply.
#pragma once

#include "policy/engine.hpp"
#include "policy/policy.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/decisions.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/log/verifier.hpp"
#include "vault/people/people.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;
struct HandoverStarted;

struct HandoverRequest {
    std::string unit, receiver, note;
    std::optional<std::vector<std::string>> outgoing; // none: the unit's custodians now
    std::optional<std::string> witness;               // a named witness (admin or auditor)
};

// One step that happened: who, when, and the event that recorded it (seq 0: not yet).
struct HandoverStep {
    std::string by;
    std::int64_t seq = 0, time_us = 0;
    Hash hash{};
};

struct HandoverAccount {
    std::int64_t id = 0;
    std::string unit, platform, handle, email, phone;
    AccountStatus status = AccountStatus::active;
    bool rotation_due = false;
    std::int64_t version = 0; // the version handed over
    Hash fingerprint{};
};

// A handover as it stands, with what its minutes (Berita Acara Serah Terima) print.
struct HandoverInfo {
    std::int64_t id = 0;
    std::string institution;
    policy::TimeZone time_zone;
    std::string unit, unit_name, receiver, note;
    policy::HandoverState state = policy::HandoverState::started;
    std::vector<std::string> outgoing;
    std::optional<std::string> witness; // named at start
    HandoverStep started, accepted, witnessed, ended; // ended: completed or cancelled
    std::vector<HandoverAccount> accounts;
    std::string number; // of the minutes, once completed: "001/BAST/2029" (sequential per year)
    std::string code;   // the verification code, once completed: "3F9A-C21D"
    // Whether the start asked the outgoing custodians to release it (older handovers did not),
    // and the releases given, in order.
    bool release_asked = false;
    std::vector<HandoverStep> releases;
    // Full name, NIP and position of everyone the minutes name (outgoing custodians, receiver,
    // witness, the admins who started and completed it); absent or empty fields: not recorded.
    std::map<std::string, PersonRecord, std::less<>> records;
    // The outgoing custodians who did not release it (empty unless release_asked).
    [[nodiscard]] std::vector<std::string> unreleased() const;
};

// `handover lookup CODE`: the handover whose completing event the code names, and whether the
// vault still verifies up to that event. A handover the person is not shown (show_handover) is
// refused as `handover show` refuses it, and the refusal recorded.
struct HandoverLookup {
    HandoverInfo handover;
    std::uint64_t event_seq = 0;
    VerifyReport report;
    bool verified_up_to_event = false;
};

[[nodiscard]] Result<HandoverInfo> start_handover(Session& session, const HandoverRequest& request);
[[nodiscard]] Result<HandoverInfo> accept_handover(Session& session, std::int64_t id);
// An admin's witness also completes the handover when nothing else is missing.
[[nodiscard]] Result<HandoverInfo> witness_handover(Session& session, std::int64_t id);
// In one change: the receiver granted, the outgoing custodians revoked, the unit key rotated to
// its standby, every account handed over flagged for a new password.
[[nodiscard]] Result<HandoverInfo> complete_handover(Session& session, std::int64_t id);
// The outgoing custodian's signature: they hand the sub-district over (handover.release).
[[nodiscard]] Result<HandoverInfo> release_handover(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> cancel_handover(Session& session, std::int64_t id, std::string_view reason);
[[nodiscard]] Result<HandoverInfo> show_handover(Session& session, std::int64_t id);
[[nodiscard]] Result<std::vector<HandoverInfo>> list_handovers(Session& session, const std::optional<std::string>& unit);
// The handovers of list_handovers, in its order, each handed to `row` as it is read and not
// kept. The first error `row` returns stops it.
[[nodiscard]] Status for_each_handover(Session& session, const std::optional<std::string>& unit,
                                       const std::function<Status(const HandoverInfo&)>& row);
[[nodiscard]] Result<HandoverLookup> lookup_handover(Session& session, std::string_view code);

// ---- the minutes' data (handover_minutes.cpp) ----

// The handover as it stands, with its steps, its accounts and, once completed, the minutes'
// number and verification code. Reads only; the caller checks the permission.
[[nodiscard]] Result<HandoverInfo> handover_info(Database& db, std::int64_t id);
// "3F9A-C21D": the first four bytes of the completing event's hash, in upper-case hex.
[[nodiscard]] std::string handover_verification_code(const Hash& completing_event_hash);
// "3f9a c21d" -> "3F9A-C21D"; nullopt unless it is eight hex digits (with '-' or ' ' anywhere).
[[nodiscard]] std::optional<std::string> normalize_verification_code(std::string_view code);

// ---- the rules a live handover step and its replay both apply ----

// A note (or a cancellation's reason) of printable text within bounds; a note is never empty.
enum class HandoverText { note, reason };
[[nodiscard]] Status check_handover_text(std::string_view text, HandoverText what);
// The start `started` by `starter` fits the vault: the next number, an existing unit with no
// open handover, an enabled custodian receiving it who does not hold it yet, outgoing custodians
// who hold it, a witness who is another enabled admin or auditor, and exactly the unit's
// accounts with a password at their current versions.
[[nodiscard]] Status check_handover_start(Database& db, const HandoverStarted& started, std::string_view starter);
// The engine's decision on starting a handover of `unit`.
[[nodiscard]] Result<policy::Decision> decide_handover_start(Database& db, const Actor& actor, std::int64_t now_us, std::string_view unit);
// The engine's decision on a step (accept, witness, cancel, complete) of the handover as it stands.
[[nodiscard]] Result<policy::Decision> decide_handover_step(Database& db, const Actor& actor, std::int64_t now_us, policy::Action action,
                                                            const HandoverRow& row);

} // namespace brankas
