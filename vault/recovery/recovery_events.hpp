// The recovery domain's events (docs/formats.md "Actions"): the split that creates (or re-keys)
// the recovery principal, and the one action a quorum takes as it.
#pragma once

#include "vault/log/event.hpp"
#include "vault/recovery/recovery_share.hpp"

#include <string>

namespace brankas {

// recovery.split: the recovery principal ("recovery", the target) with fresh keys; any
// `threshold` of `shares` share files recover its slot.
struct RecoveryKeySplit {
    PublicKey signing_key{}, box_key{};
    std::int64_t shares = 0, threshold = 0;
    SplitId split_id{};
    std::optional<Hash> slot_hash; // of the recovery slot (formats.md, "Slot hashes")
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<RecoveryKeySplit> decode(const Event& event);
};

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
