// What the projection and the handover commands both read about a handover: its row, the
// facts the policy engine decides with, and the bytes a handover event carries
// (docs/formats.md, "Handovers").
#pragma once

#include "policy/engine.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

// The target of handover events: "handover/<id>".
[[nodiscard]] std::string handover_target(std::int64_t id);
[[nodiscard]] std::optional<std::int64_t> parse_handover_target(std::string_view target);

// One account handed over: the version that was current at start, by fingerprint.
struct HandedOverVersion {
    std::int64_t account = 0;
    std::int64_t version = 0;
    Hash fingerprint{};
    friend bool operator==(const HandedOverVersion&, const HandedOverVersion&) = default;
};

// Identifies a stored version without revealing it: BLAKE2b-256 of a label, the account, the
// version and the version's sealed blob as it stood when the handover started.
[[nodiscard]] Hash handover_fingerprint(std::int64_t account, std::int64_t version, ByteView sealed);

// The "accounts" field of handover.start, and its decoding (nullopt when malformed).
[[nodiscard]] Bytes encode_handed_over(const std::vector<HandedOverVersion>& accounts);
[[nodiscard]] std::optional<std::vector<HandedOverVersion>> decode_handed_over(ByteView bytes);

// What a handover of the unit would list now: every account not archived that has a password,
// at its current version, in ascending order of account.
[[nodiscard]] Result<std::vector<HandedOverVersion>> current_handed_over(Database& db, std::string_view unit);

[[nodiscard]] std::optional<policy::HandoverState> parse_handover_state(std::string_view name) noexcept;

struct HandoverRow {
    std::int64_t id = 0;
    std::string unit, started_by, receiver, note;
    std::optional<std::string> witness, witnessed_by;
    Hash accounts_digest{};
    policy::HandoverState state = policy::HandoverState::started;
    std::int64_t started_seq = 0, accepted_seq = 0, witnessed_seq = 0, ended_seq = 0; // 0: not yet
    std::vector<std::string> outgoing;
    std::vector<HandedOverVersion> accounts;
    bool release_asked = false;
    std::vector<std::pair<std::string, std::int64_t>> releases; // outgoing custodian, handover.release seq
};
[[nodiscard]] Result<std::optional<HandoverRow>> find_handover(Database& db, std::int64_t id);
// The handover as it stands, or an error naming the number (for a person who asked for it).
[[nodiscard]] Result<HandoverRow> existing_handover(Database& db, std::int64_t id);

// What the engine is told about a handover: its state, its parties, how many of its accounts
// still have the version handed over as their current password, and how many accounts of the
// unit got a password after the start.
[[nodiscard]] Result<policy::HandoverFacts> handover_facts(Database& db, const HandoverRow& row);

} // namespace brankas
