// Generated passwords: uniform choices from the system's CSPRNG (random words fetched in bulk
// with randombytes_buf; a word is rejected rather than reduced modulo when it would make one
// character likelier than another, as randombytes_uniform does).
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace brankas {

enum class CharClass : std::uint8_t {
    lower = 1 << 0,
    upper = 1 << 1,
    digits = 1 << 2,
    symbols = 1 << 3,
};
inline constexpr std::uint8_t all_char_classes = 0x0f;

struct PasswordRules {
    std::size_t length = 20;
    std::uint8_t classes = all_char_classes; // a set of CharClass bits
};

inline constexpr std::size_t min_generated_length = 8;
inline constexpr std::size_t max_generated_length = 128;

// The characters of one class. Symbols avoid quotes, backslash and space, which platforms and
// shells handle badly.
[[nodiscard]] std::string_view char_class_alphabet(CharClass c) noexcept;

// A password of rules.length characters, each drawn uniformly from the union of the chosen
// classes, with at least one character of every chosen class (whole passwords that miss a
// class are drawn again, so no position is biased). ErrorCode::usage for a length outside
// [min_generated_length, max_generated_length], no class, or fewer characters than classes.
[[nodiscard]] Result<SecretBytes> generate_password(const PasswordRules& rules);
// The same into `out` (secure memory of at least rules.length bytes, which the caller may reuse
// from one password to the next: a sodium_malloc per password costs more than drawing it);
// returns the password's length.
[[nodiscard]] Result<std::size_t> generate_password_into(const PasswordRules& rules, SecretBytes& out);

} // namespace brankas
