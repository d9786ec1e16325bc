// What the handover commands return (vault/ops/handover.cpp). A handover moves a unit's
// accounts from its outgoing custodians to a receiver: started by an admin, accepted by the
// receiver with their own key, witnessed when the policy or the admin asks for it, completed
// (grant, revocations, unit key rotated, passwords due) or cancelled. Never a password.
#pragma once

#include "vault/accounts/accounts.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/log/verifier.hpp"
#include "policy/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

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

struct HandoverInfo {
    std::int64_t id = 0;
    std::string institution;
    policy::TimeZone time_zone;
    std::string unit, unit_name, receiver, note, state;
    std::vector<std::string> outgoing;
    std::optional<std::string> witness; // named at start
    HandoverStep started, accepted, witnessed, ended; // ended: completed or cancelled
    std::vector<HandoverAccount> accounts;
    std::string number; // of the minutes, once completed: "001/BAST/2029" (sequential per year)
    std::string code;   // the verification code, once completed: "3F9A-C21D"
};

// `handover lookup CODE`: the handover whose completing event the code names, and whether the
// vault still verifies up to that event.
struct HandoverLookup {
    HandoverInfo handover;
    std::uint64_t event_seq = 0;
    VerifyReport report;
    bool verified_up_to_event = false;
};

// "3F9A-C21D": the first four bytes of the completing event's hash, in upper-case hex.
[[nodiscard]] std::string handover_verification_code(const Hash& completing_event_hash);

} // namespace brankas
