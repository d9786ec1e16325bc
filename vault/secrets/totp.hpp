// TOTP (RFC 6238) for accounts protected by two-factor login. The seed comes from a file
// (an otpauth:// URI or a bare base32 seed), never from the command line; codes come from
// liboath, so they match `oathtool --totp`.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <cstdint>

namespace brankas {

enum class TotpAlgorithm : std::uint8_t { sha1 = 1, sha256 = 2, sha512 = 3 };

struct TotpSeed {
    SecretBytes key; // the raw shared secret (base32-decoded)
    TotpAlgorithm algorithm = TotpAlgorithm::sha1;
    std::uint8_t digits = 6;    // 6, 7 or 8
    std::uint32_t period = 30;  // seconds, 1..300
};

inline constexpr std::size_t max_totp_key = 128; // bytes of raw key
// The shortest seed stored: 80 bits (10 bytes, 16 base32 letters). RFC 4226 (section 4, R6)
// asks for 128 bits and recommends 160, but 80-bit seeds are what many services hand out (the
// key-URI format's own example, JBSWY3DPEHPK3PXP, is one): a floor above them would refuse real
// accounts, while a seed shorter still is a cut-off copy or a toy. Only parse_totp_seed, which
// reads a seed to store, refuses one; a seed stored before still gives its codes.
inline constexpr std::size_t min_totp_key = 10;

// Accepts an otpauth://totp/LABEL?secret=BASE32[&digits=N][&period=S][&algorithm=SHA1|SHA256|SHA512]
// URI (other parameters such as issuer are ignored; hotp is refused) or a bare base32 seed
// (case-insensitive, spaces and '=' padding allowed), of min_totp_key to max_totp_key bytes.
// Surrounding whitespace and a trailing newline are ignored. Errors are ErrorCode::usage and never quote the seed.
[[nodiscard]] Result<TotpSeed> parse_totp_seed(ByteView text);

// The code at `unix_seconds`, zero-padded to seed.digits, in secure memory.
[[nodiscard]] Result<SecretBytes> totp_code(const TotpSeed& seed, std::int64_t unix_seconds);
// Seconds until the code at `unix_seconds` changes (1..period).
[[nodiscard]] std::int64_t totp_seconds_left(const TotpSeed& seed, std::int64_t unix_seconds);

} // namespace brankas
