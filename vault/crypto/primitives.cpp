#include "vault/crypto/primitives.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace brankas {

Status initialize_crypto() {
    if (sodium_init() < 0) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the cryptographic library could not be initialised"), {});
    return {};
}

void random_fill(std::span<std::uint8_t> out) {
    randombytes_buf(out.data(), out.size());
}

// ---- hashing ----

static_assert(sizeof(crypto_generichash_state) <= 384, "Hasher::state_ too small");
static_assert(crypto_generichash_BYTES == hash_size);

Hasher::Hasher() {
    crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr, 0, hash_size);
}

Hasher& Hasher::update(ByteView bytes) {
    crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_), bytes.data(), bytes.size());
    return *this;
}

Hash Hasher::finish() {
    Hash out{};
    crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_), out.data(), out.size());
    return out;
}

Hash blake2b_256(ByteView bytes) {
    return Hasher().update(bytes).finish();
}

// ---- Argon2id ----

static_assert(crypto_pwhash_SALTBYTES == kdf_salt_size);

namespace {
// The test profile exists only so the test suite can create hundreds of slots quickly.
// Argon2id's minimum cost (1 pass, 8 KiB) protects nothing; it is refused outside tests.
constexpr KdfLimits test_limits{crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
// The most any slot may ask for: libsodium's SENSITIVE is 4 passes and 1 GiB; allow some headroom.
constexpr std::uint64_t max_opslimit = 16;
constexpr std::uint64_t max_memlimit = 2ull << 30;
} // namespace

KdfLimits kdf_limits(KdfProfile profile) {
    switch (profile) {
    case KdfProfile::interactive:
        return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
    case KdfProfile::moderate:
        return {crypto_pwhash_argon2id_OPSLIMIT_MODERATE, crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
    case KdfProfile::sensitive:
        return {crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE, crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE};
    case KdfProfile::test:
        return test_limits;
    }
    return test_limits; // unreachable: every enumerator is handled above
}

std::optional<KdfProfile> kdf_profile_of(const KdfLimits& limits) {
    for (auto p : {KdfProfile::interactive, KdfProfile::moderate, KdfProfile::sensitive, KdfProfile::test})
        if (kdf_limits(p) == limits) return p;
    return std::nullopt;
}

std::string_view kdf_profile_name(KdfProfile profile) {
    switch (profile) {
    case KdfProfile::interactive: return "interactive";
    case KdfProfile::moderate: return "moderate";
    case KdfProfile::sensitive: return "sensitive";
    case KdfProfile::test: return "test";
    }
    return "?";
}

std::optional<KdfProfile> parse_kdf_profile(std::string_view name) {
    for (auto p : {KdfProfile::interactive, KdfProfile::moderate, KdfProfile::sensitive, KdfProfile::test})
        if (kdf_profile_name(p) == name) return p;
    return std::nullopt;
}

bool kdf_limits_acceptable(const KdfLimits& limits) {
    return limits.opslimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN && limits.opslimit <= max_opslimit &&
           limits.memlimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN && limits.memlimit <= max_memlimit;
}

Result<SecretBytes> derive_key(std::string_view passphrase, ByteView salt, const KdfLimits& limits) {
    if (salt.size() != kdf_salt_size || !kdf_limits_acceptable(limits))
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("key derivation called with invalid parameters"), {});
    SecretBytes key(aead_key_size);
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(), limits.opslimit,
                      static_cast<std::size_t>(limits.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("not enough memory to derive the key (Argon2id needs %s MiB)"),
                            {std::to_string(limits.memlimit >> 20)});
    return key;
}

// ---- XChaCha20-Poly1305 ----

static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == aead_nonce_size);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == aead_tag_size);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == aead_key_size);

Bytes aead_encrypt(const SecretBytes& key, const AeadNonce& nonce, ByteView plaintext, ByteView associated_data) {
    Bytes out(plaintext.size() + aead_tag_size);
    unsigned long long out_len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(),
                                               associated_data.data(), associated_data.size(), nullptr, nonce.data(),
                                               key.data());
    out.resize(static_cast<std::size_t>(out_len));
    return out;
}

std::optional<SecretBytes> aead_decrypt(const SecretBytes& key, const AeadNonce& nonce, ByteView ciphertext,
                                        ByteView associated_data) {
    if (key.size() != aead_key_size || ciphertext.size() < aead_tag_size) return std::nullopt;
    SecretBytes plain(ciphertext.size() - aead_tag_size);
    unsigned long long plain_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_len, nullptr, ciphertext.data(),
                                                   ciphertext.size(), associated_data.data(), associated_data.size(),
                                                   nonce.data(), key.data()) != 0)
        return std::nullopt;
    return plain;
}

// ---- Ed25519 ----

static_assert(crypto_sign_SEEDBYTES == signing_seed_size);
static_assert(crypto_sign_PUBLICKEYBYTES == public_key_size);
static_assert(crypto_sign_BYTES == signature_size);

SigningKey SigningKey::from_seed(const SecretBytes& seed) {
    SecretBytes secret(crypto_sign_SECRETKEYBYTES);
    PublicKey pub{};
    crypto_sign_seed_keypair(pub.data(), secret.data(), seed.data());
    return SigningKey(SecretBytes::copy_of(seed.view()), std::move(secret), pub);
}

SigningKey SigningKey::generate() {
    SecretBytes seed(signing_seed_size);
    random_fill(seed.span());
    return from_seed(seed);
}

Signature SigningKey::sign(ByteView message) const {
    Signature sig{};
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
    return sig;
}

bool verify_signature(const PublicKey& key, ByteView message, const Signature& signature) {
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

// ---- X25519 ----

static_assert(crypto_box_SECRETKEYBYTES == box_secret_key_size);
static_assert(crypto_box_PUBLICKEYBYTES == public_key_size);

BoxKeyPair BoxKeyPair::from_secret(const SecretBytes& secret) {
    PublicKey pub{};
    crypto_scalarmult_base(pub.data(), secret.data());
    return BoxKeyPair(SecretBytes::copy_of(secret.view()), pub);
}

BoxKeyPair BoxKeyPair::generate() {
    SecretBytes secret(box_secret_key_size);
    PublicKey pub{};
    crypto_box_keypair(pub.data(), secret.data());
    return BoxKeyPair(std::move(secret), pub);
}

} // namespace brankas

namespace brankas {

// ---- sealed boxes: X25519 + XSalsa20-Poly1305 with an ephemeral sender key ----

static_assert(crypto_box_SEALBYTES == sealed_box_overhead);

Bytes seal_to(const PublicKey& recipient, ByteView plaintext) {
    Bytes out(plaintext.size() + sealed_box_overhead);
    if (crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), recipient.data()) != 0)
        throw std::runtime_error("crypto_box_seal failed");
    return out;
}

std::optional<SecretBytes> open_sealed(const BoxKeyPair& recipient, ByteView sealed) {
    if (sealed.size() < sealed_box_overhead) return std::nullopt;
    SecretBytes out(sealed.size() - sealed_box_overhead);
    if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), recipient.public_key().data(),
                             recipient.secret_key().data()) != 0)
        return std::nullopt;
    return out;
}

} // namespace brankas
