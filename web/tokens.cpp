#include "web/tokens.hpp"

#include "vault/crypto/primitives.hpp"

#include <array>

namespace brankas::web {

std::string new_token() {
    auto bytes = random_array<token_bytes>();
    return to_hex(bytes);
}

bool same_token(std::string_view a, std::string_view b) noexcept {
    if (a.size() != token_chars || b.size() != token_chars) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < token_chars; ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

Hash token_key(std::string_view token) { return blake2b_256(as_bytes(token)); }

} // namespace brankas::web
