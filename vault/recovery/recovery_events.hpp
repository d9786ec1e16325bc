// The recovery domain's events (docs/formats.md "Actions"): the split that creates (or re-keys)
// the recovery principal, and the one action a quorum takes as it.
#pragma once

#include "vault/log/event.hpp"
#include "vault/recovery/recovery_share.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// recovery.split: the recovery principal ("recovery", the target) with fresh keys; any
// `threshold` of `shares` share files recover its slot.
struct RecoveryKeySplit {
    PublicKey signing_key{}, box_key{};
    std::int64_t shares = 0, threshold = 0;
    SplitId split_id{};
    std::optional<Hash> slot_hash; // of the recovery slot (formats.md, "Slot hashes")
    // Both optional, and absent they change no byte of the event: why (`recovery split --reason`),
    // and under dual control the approved request it used (`--request ID`).
    std::optional<std::string> reason = std::nullopt;
    std::optional<std::int64_t> request = std::nullopt;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<RecoveryKeySplit> decode(const Event& event);
};

// What a request under dual control names when it asks for a split: "recovery/<threshold>-of-<shares>",
// so the approval holds for that shape and no other (where the share files go is not part of it).
[[nodiscard]] std::string recovery_split_target(std::int64_t threshold, std::int64_t shares);
struct SplitShape {
    std::int64_t threshold = 0, shares = 0;
};
// The shape a request's target names, if it is one written so (2 <= threshold <= shares <= 16).
[[nodiscard]] std::optional<SplitShape> parse_recovery_split_target(std::string_view target);

// recovery.reset and recovery.enroll: an admin (the target), reset or new, waits to enroll with
// fresh keys and a one-time code that expires at `expires_us`.
struct RecoveredAdmin {
    bool enrolled = false; // recovery.enroll (a new admin), else recovery.reset
    std::string name;
    PublicKey signing_key{}, box_key{};
    std::int64_t expires_us = 0;
    std::optional<Hash> slot_hash;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<RecoveredAdmin> decode(const Event& event);
};

} // namespace brankas
