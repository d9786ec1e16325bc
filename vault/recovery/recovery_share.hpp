// Recovery shares: the 32-byte recovery key split k-of-n with Shamir's scheme in GF(2^8)
// (libgfshare), and each share as printable text a person can keep on paper and type back.
// The text format and the bytes behind it are in docs/formats.md.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

inline constexpr std::size_t recovery_key_size = 32;
inline constexpr std::size_t split_id_size = 8;
using SplitId = std::array<std::uint8_t, split_id_size>;
inline constexpr int min_recovery_shares = 2;
inline constexpr int max_recovery_shares = 16;

// One holder's share. `holder` is the share's x coordinate, 1..shares; `y` is the share itself.
struct RecoveryShare {
    VaultId vault_id{};
    SplitId split_id{};
    std::uint8_t threshold = 0;
    std::uint8_t shares = 0;
    std::uint8_t holder = 0;
    SecretBytes y; // recovery_key_size bytes
};

// Splits `key` into `shares` shares, any `threshold` of which give it back.
[[nodiscard]] Result<std::vector<RecoveryShare>> split_recovery_key(const SecretBytes& key, const VaultId& vault_id,
                                                                    const SplitId& split_id, int threshold, int shares);

// Combines shares into the key after checking that they belong together: all of `vault_id`,
// of one split, from different holders, at least the threshold. Shamir's scheme returns *some*
// key for any shares at all; only the slot's AEAD tag says whether it is the right one.
[[nodiscard]] Result<SecretBytes> combine_recovery_shares(const std::vector<RecoveryShare>& given, const VaultId& vault_id);

// The printable text of a share (at most a few hundred bytes, in secure memory).
[[nodiscard]] SecretBytes share_text(const RecoveryShare& share, std::string_view institution);

// Reads a share back from its text: the numbered share lines count, the rest is ignored. Each
// line's check symbol catches a typo in that line; the share's checksum catches the rest.
// `source` names the share in messages ("share file s1.txt").
[[nodiscard]] Result<RecoveryShare> parse_share_text(std::string_view text, std::string_view source);

// For typing a share at the terminal: whether one numbered line, as typed, is well formed and
// passes its check symbol (nullopt), or what is wrong with it (a phrase of the catalogue).
[[nodiscard]] std::optional<i18n::Phrase> check_share_line(std::string_view line, int expected_number);
inline constexpr int share_text_lines = 6;

} // namespace brankas
