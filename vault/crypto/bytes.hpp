// Plain (non-secret) byte types shared by the core. Anything secret is a SecretBytes instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::size_t hash_size = 32;       // BLAKE2b-256
inline constexpr std::size_t public_key_size = 32; // Ed25519 and X25519 public keys
inline constexpr std::size_t signature_size = 64;  // Ed25519
inline constexpr std::size_t vault_id_size = 16;

using Hash = std::array<std::uint8_t, hash_size>;
using PublicKey = std::array<std::uint8_t, public_key_size>;
using Signature = std::array<std::uint8_t, signature_size>;
using VaultId = std::array<std::uint8_t, vault_id_size>;

inline ByteView as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <std::size_t N>
ByteView as_bytes(const std::array<std::uint8_t, N>& a) {
    return {a.data(), a.size()};
}

// Lower-case hex of public data (hashes, public keys, ids). Secrets use SecretBytes::to_hex.
std::string to_hex(ByteView bytes);

// Parses exactly 2*N hex digits; false on any other input.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out);

} // namespace brankas
