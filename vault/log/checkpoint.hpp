// A checkpoint: a signed statement "the log of vault V had N events with head hash H", kept
// outside the vault. A later log that does not extend it was rolled back, truncated or
// rewritten. Text file format and signed bytes: docs/formats.md "Checkpoint".
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/error.hpp"

#include <string>

namespace brankas {

struct Checkpoint {
    VaultId vault_id{};
    std::uint64_t seq = 0;
    Hash head{};
    std::int64_t time_us = 0;
    std::string signer;
    PublicKey signer_key{};
    Signature signature{};
};

inline constexpr std::size_t max_checkpoint_file = 4096;

// The bytes the signer signs.
[[nodiscard]] Bytes checkpoint_signing_message(const Checkpoint& c);
[[nodiscard]] Checkpoint sign_checkpoint(Checkpoint c, const SigningKey& key);
// True when the signature verifies with the key the checkpoint names (whether that key
// belongs to the signer is for the log to say).
[[nodiscard]] bool checkpoint_signature_valid(const Checkpoint& c);

[[nodiscard]] std::string format_checkpoint(const Checkpoint& c);
[[nodiscard]] Result<Checkpoint> parse_checkpoint(std::string_view text);

} // namespace brankas
