// The plaintext of a secret version, before it is sealed to its unit's public key:
// cereal-encoded through archives of our own (docs/formats.md "Secret payload"). The payload
// names its account and version; a sealed box has no associated data, so opening checks the
// names and a blob moved to another row or version is refused.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "vault/secrets/totp.hpp"

#include <cstdint>
#include <optional>

namespace brankas {

inline constexpr std::size_t max_secret_payload = 16 * 1024; // the whole encoded payload
inline constexpr std::size_t max_secret_password = 1024;

struct SecretPayload {
    std::uint64_t account_id = 0;
    std::uint32_t version = 0;
    SecretBytes password;
    std::optional<TotpSeed> totp;
    SecretBytes recovery_codes; // free text, one code per line; may be empty
    SecretBytes notes;          // free text; may be empty
};

// The fields of a payload that live elsewhere in secure memory (an import's rows), encoded
// without being copied into a SecretPayload first.
struct SecretPayloadView {
    std::uint64_t account_id = 0;
    std::uint32_t version = 0;
    ByteView password;
    const TotpSeed* totp = nullptr;
    ByteView recovery_codes, notes;
};

// Encodes into `out` (secure memory of at least max_secret_payload bytes, which the caller may
// reuse from one payload to the next) and returns how many bytes it wrote: exactly the bytes
// encode_secret_payload gives for the same fields. ErrorCode::usage as below; on any error
// `out` is wiped whole.
[[nodiscard]] Result<std::size_t> encode_secret_payload_into(const SecretPayloadView& payload, SecretBytes& out);

// Encodes into secure memory. ErrorCode::usage when a field is too large (password over
// max_secret_password bytes, a TOTP key over max_totp_key, or the whole over max_secret_payload).
[[nodiscard]] Result<SecretBytes> encode_secret_payload(const SecretPayload& payload);

// Decodes an opened payload: every size is checked against the bytes left before anything is
// allocated, enums and digits/period are validated, trailing bytes are refused, and the
// account and version must be the expected ones. Failures are ErrorCode::store_corrupt.
[[nodiscard]] Result<SecretPayload> decode_secret_payload(ByteView plaintext, std::uint64_t expected_account,
                                                          std::uint32_t expected_version);

} // namespace brankas
