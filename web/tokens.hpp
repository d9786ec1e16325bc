// The random tokens of the browser face: session ids (the cookie) and CSRF tokens. 256 bits
// from the vault's random source, written as 64 hex digits; compared in constant time.
#pragma once

#include "vault/crypto/bytes.hpp"

#include <string>
#include <string_view>

namespace brankas::web {

inline constexpr std::size_t token_bytes = 32;
inline constexpr std::size_t token_chars = 2 * token_bytes;

[[nodiscard]] std::string new_token();
// Whether `a` and `b` are the same token; the time taken does not depend on where they differ.
// An empty or malformed token matches nothing.
[[nodiscard]] bool same_token(std::string_view a, std::string_view b) noexcept;
// What the session table is keyed by: the BLAKE2b-256 of the token, so that neither a lookup's
// timing nor the table in memory gives away a cookie.
[[nodiscard]] Hash token_key(std::string_view token);

} // namespace brankas::web
