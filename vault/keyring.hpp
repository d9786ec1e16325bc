// The keyring: one file beside the store, one slot per principal. A slot wraps, under a key
// derived from that principal's passphrase, everything the principal needs: K_db (opens the
// store), their Ed25519 signing seed and their X25519 box secret. Format: docs/formats.md.
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace brankas {

enum class SlotKind : std::uint8_t {
    passphrase = 1, // a person's own passphrase
    keyfile = 2,    // the unattended enforcer's 32-byte key file
    recovery = 3,   // the key held as k-of-n shares
    enrollment = 4, // a one-time enrollment code, until the person chooses a passphrase
};

enum class SlotKdf : std::uint8_t {
    argon2id13 = 1, // KEK = Argon2id(passphrase, salt, opslimit, memlimit)
};

inline constexpr std::size_t store_key_size = 32; // K_db, the raw SQLCipher key
inline constexpr std::size_t slot_id_size = 16;
using SlotId = std::array<std::uint8_t, slot_id_size>;

// A slot is found by an id derived from the vault id and the user name, so the keyring does
// not list who can unlock the vault in plain text (a guessed name can still be confirmed).
[[nodiscard]] SlotId slot_id_for(const VaultId& vault_id, std::string_view principal);

// What a slot protects, all in secure memory.
struct SlotSecrets {
    SecretBytes store_key;    // K_db
    SecretBytes signing_seed; // Ed25519 seed
    SecretBytes box_secret;   // X25519 secret key
};

struct Slot {
    SlotId id{};
    SlotKind kind = SlotKind::passphrase;
    std::int64_t created_us = 0; // Unix time, microseconds, UTC
    std::int64_t expires_us = 0; // 0: never
    SlotKdf kdf = SlotKdf::argon2id13;
    KdfLimits limits;
    std::array<std::uint8_t, kdf_salt_size> salt{};
    AeadNonce nonce{};
    Bytes ciphertext;
};

class Keyring {
public:
    static constexpr std::size_t max_file_size = 1 << 20;
    static constexpr std::size_t max_slots = 4096;

    explicit Keyring(const VaultId& vault_id) : vault_id_(vault_id) {}

    // Reads and parses the file; every length is bounded and nothing is decrypted here.
    [[nodiscard]] static Result<Keyring> load(const std::filesystem::path& path);
    [[nodiscard]] static Result<Keyring> parse(ByteView file);
    [[nodiscard]] Bytes serialize() const;
    [[nodiscard]] Status save(const std::filesystem::path& path) const;

    [[nodiscard]] const VaultId& vault_id() const noexcept { return vault_id_; }
    [[nodiscard]] const std::vector<Slot>& slots() const noexcept { return slots_; }
    [[nodiscard]] const Slot* find(std::string_view principal) const;
    // Adds the slot, replacing any slot with the same id.
    void put(Slot slot);
    bool remove(std::string_view principal);

    // Seals `secrets` into a new slot for `principal` under a key derived from `passphrase`.
    [[nodiscard]] Result<Slot> seal_with_passphrase(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                                    std::int64_t expires_us, std::string_view passphrase,
                                                    const KdfLimits& limits, const SlotSecrets& secrets) const;
    // Seals into `header` (all fields but the ciphertext already set, salt and nonce included).
    // Deterministic; seal_with_passphrase draws the salt and nonce. Test vectors use this.
    [[nodiscard]] Result<Slot> seal(Slot header, std::string_view passphrase, const SlotSecrets& secrets) const;
    // Opens `principal`'s passphrase slot; ErrorCode::no_such_user without one,
    // ErrorCode::wrong_passphrase when the tag does not verify.
    [[nodiscard]] Result<SlotSecrets> open_with_passphrase(std::string_view principal, std::string_view passphrase) const;

    // The associated data that binds a slot to this keyring and to its own header fields.
    [[nodiscard]] Bytes associated_data(const Slot& slot) const;

private:
    VaultId vault_id_;
    std::vector<Slot> slots_;
};

} // namespace brankas
