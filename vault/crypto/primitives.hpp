// Thin wrappers over the libsodium primitives Brankas uses. Each choice is explained where
// it is made; the byte-level contracts are in docs/formats.md.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// Must run once before any other crypto call (and before sodium_malloc).
[[nodiscard]] Status initialize_crypto();

// ---- randomness ----
void random_fill(std::span<std::uint8_t> out);
template <std::size_t N>
std::array<std::uint8_t, N> random_array() {
    std::array<std::uint8_t, N> a{};
    random_fill(a);
    return a;
}

// ---- hashing: BLAKE2b-256, fed in parts ----
class Hasher {
public:
    Hasher();
    Hasher& update(ByteView bytes);
    [[nodiscard]] Hash finish();

private:
    alignas(64) std::uint8_t state_[384]; // >= sizeof(crypto_generichash_state), checked in the .cpp
};
[[nodiscard]] Hash blake2b_256(ByteView bytes);

// ---- password hashing: Argon2id v1.3 ----
enum class KdfProfile { interactive, moderate, sensitive, test };

struct KdfLimits {
    std::uint64_t opslimit = 0;
    std::uint64_t memlimit = 0; // bytes
    friend bool operator==(const KdfLimits&, const KdfLimits&) = default;
};

inline constexpr std::size_t kdf_salt_size = 16; // crypto_pwhash_SALTBYTES

[[nodiscard]] KdfLimits kdf_limits(KdfProfile profile);
// The profile whose limits these are, if any.
[[nodiscard]] std::optional<KdfProfile> kdf_profile_of(const KdfLimits& limits);
[[nodiscard]] std::string_view kdf_profile_name(KdfProfile profile);
[[nodiscard]] std::optional<KdfProfile> parse_kdf_profile(std::string_view name);
// Limits a slot may carry: at least libsodium's minimum, at most a bound that keeps an
// altered keyring from asking for terabytes of memory before its AEAD tag is checked.
[[nodiscard]] bool kdf_limits_acceptable(const KdfLimits& limits);

// Derives a 32-byte key from a passphrase.
[[nodiscard]] Result<SecretBytes> derive_key(std::string_view passphrase, ByteView salt, const KdfLimits& limits);

// ---- authenticated encryption: XChaCha20-Poly1305 (IETF) ----
inline constexpr std::size_t aead_key_size = 32;
inline constexpr std::size_t aead_nonce_size = 24;
inline constexpr std::size_t aead_tag_size = 16;
using AeadNonce = std::array<std::uint8_t, aead_nonce_size>;

[[nodiscard]] Bytes aead_encrypt(const SecretBytes& key, const AeadNonce& nonce, ByteView plaintext, ByteView associated_data);
// nullopt-like failure: the caller decides what a failed tag means to a person.
[[nodiscard]] std::optional<SecretBytes> aead_decrypt(const SecretBytes& key, const AeadNonce& nonce, ByteView ciphertext,
                                                      ByteView associated_data);

// ---- signatures: Ed25519 ----
inline constexpr std::size_t signing_seed_size = 32;

class SigningKey {
public:
    // From a 32-byte seed (what the keyring stores).
    static SigningKey from_seed(const SecretBytes& seed);
    static SigningKey generate();

    [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }
    [[nodiscard]] const SecretBytes& seed() const noexcept { return seed_; }
    [[nodiscard]] Signature sign(ByteView message) const;

private:
    SigningKey(SecretBytes seed, SecretBytes secret, PublicKey pub)
        : seed_(std::move(seed)), secret_(std::move(secret)), public_(pub) {}
    SecretBytes seed_;
    SecretBytes secret_; // libsodium's 64-byte expanded form
    PublicKey public_{};
};

[[nodiscard]] bool verify_signature(const PublicKey& key, ByteView message, const Signature& signature);

// ---- X25519 key pairs, for sealed boxes ----
inline constexpr std::size_t box_secret_key_size = 32;

class BoxKeyPair {
public:
    static BoxKeyPair from_secret(const SecretBytes& secret);
    static BoxKeyPair generate();
    [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }
    [[nodiscard]] const SecretBytes& secret_key() const noexcept { return secret_; }

private:
    BoxKeyPair(SecretBytes secret, PublicKey pub) : secret_(std::move(secret)), public_(pub) {}
    SecretBytes secret_;
    PublicKey public_{};
};

// ---- sealed boxes (crypto_box_seal): anyone with the public key can seal, only the holder
// of the secret key can open. No sender authentication: who sealed is proven by the signed
// event that carries the box, never by the box itself. ----
inline constexpr std::size_t sealed_box_overhead = 48; // ephemeral public key + MAC

[[nodiscard]] Bytes seal_to(const PublicKey& recipient, ByteView plaintext);
[[nodiscard]] std::optional<SecretBytes> open_sealed(const BoxKeyPair& recipient, ByteView sealed);

} // namespace brankas
