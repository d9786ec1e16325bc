// The keyring: one file beside the store, one slot per principal. A slot wraps, under a key
// derived from that principal's passphrase (or read from their key file), everything the
// principal needs: K_db (opens the store), their Ed25519 signing seed and their X25519 box
// secret. When the store is re-keyed, the new K_db reaches every slot as an envelope sealed to
// the slot owner's box key, because nobody else knows their passphrase. Format: docs/formats.md.
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <optional>
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
    key_file = 2,   // KEK = the 32 random bytes of a key file (no salt, no limits)
};

inline constexpr std::size_t store_key_size = 32; // K_db, the raw SQLCipher key
inline constexpr std::size_t slot_key_size = 32;  // a key file's contents
inline constexpr std::size_t slot_id_size = 16;
using SlotId = std::array<std::uint8_t, slot_id_size>;

// A slot is found by an id derived from the vault id and the user name, so the keyring does
// not list who can unlock the vault in plain text (a guessed name can still be confirmed).
[[nodiscard]] SlotId slot_id_for(const VaultId& vault_id, std::string_view principal);

// What a slot protects, all in secure memory. The generation says which K_db it is: the store
// starts at generation 1 and every re-key adds one.
struct SlotSecrets {
    SecretBytes store_key;    // K_db
    SecretBytes signing_seed; // Ed25519 seed
    SecretBytes box_secret;   // X25519 secret key
    std::uint32_t store_generation = 1;
};

struct Slot {
    SlotId id{};
    SlotKind kind = SlotKind::passphrase;
    std::int64_t created_us = 0; // Unix time, microseconds, UTC
    std::int64_t expires_us = 0; // 0: never
    std::uint32_t store_generation = 1; // of the K_db inside
    SlotKdf kdf = SlotKdf::argon2id13;
    KdfLimits limits;
    std::array<std::uint8_t, kdf_salt_size> salt{};
    AeadNonce nonce{};
    Bytes ciphertext;
};

// What the log records of a K_db it announces: BLAKE2b-256("brankas-store-key-check-v1" ‖
// vault_id ‖ u32 generation ‖ K_db). An envelope's key is used only if it matches.
[[nodiscard]] Hash store_key_check(const VaultId& vault_id, std::uint32_t generation, const SecretBytes& store_key);

// A newer K_db for one slot, sealed (crypto_box_seal) to the box key of the slot's owner.
struct StoreKeyEnvelope {
    SlotId slot{};
    std::uint32_t generation = 0;
    Bytes sealed;
};

class Keyring {
public:
    static constexpr std::size_t max_file_size = 4 << 20;
    static constexpr std::size_t max_slots = 4096;
    static constexpr std::size_t max_envelopes = 2 * max_slots; // the current and a pending K_db

    explicit Keyring(const VaultId& vault_id) : vault_id_(vault_id) {}

    // Reads and parses the file; every length is bounded and nothing is decrypted here.
    [[nodiscard]] static Result<Keyring> load(const std::filesystem::path& path);
    [[nodiscard]] static Result<Keyring> parse(ByteView file);
    [[nodiscard]] Bytes serialize() const;
    // Atomically (file_io.hpp), after removing the temporary files an earlier writer left if
    // it died before its rename: call it only under the store's write lock.
    [[nodiscard]] Status save(const std::filesystem::path& path) const;

    [[nodiscard]] const VaultId& vault_id() const noexcept { return vault_id_; }
    [[nodiscard]] const std::vector<Slot>& slots() const noexcept { return slots_; }
    [[nodiscard]] const Slot* find(std::string_view principal) const;
    // The key-derivation limits that most slots of `kind` have (of limits as common, the costlier),
    // or nullopt when no slot of that kind derives a key: what a refusal that found no slot to try
    // derives with, so that it takes as long as a wrong passphrase does here.
    [[nodiscard]] std::optional<KdfLimits> usual_limits(SlotKind kind) const;
    // Adds the slot, replacing any slot with the same id; the slot's envelopes that are not
    // newer than the K_db it now holds go.
    void put(Slot slot);
    // Removes the slot and its envelopes.
    bool remove(std::string_view principal);

    [[nodiscard]] const std::vector<StoreKeyEnvelope>& envelopes() const noexcept { return envelopes_; }
    // The envelopes for one slot, newest generation first.
    [[nodiscard]] std::vector<const StoreKeyEnvelope*> envelopes_for(const SlotId& slot) const;
    // Adds the envelope, replacing one for the same slot and generation.
    void put_envelope(StoreKeyEnvelope envelope);
    // Drops every envelope older than `generation` (the store no longer opens with them).
    void drop_envelopes_before(std::uint32_t generation);
    // Drops every envelope of one slot (its owner's box key changed: none of them opens).
    void drop_envelopes_of(const SlotId& slot);
    // Seals K_db of `generation` for `slot`, whose owner's box key is `box_key`.
    [[nodiscard]] StoreKeyEnvelope seal_store_key(const SlotId& slot, std::uint32_t generation, const SecretBytes& store_key,
                                                  const PublicKey& box_key) const;
    // Opens an envelope with the owner's box key and checks that it names this vault, its slot
    // and its generation.
    [[nodiscard]] Result<SecretBytes> open_store_key(const StoreKeyEnvelope& envelope, const BoxKeyPair& owner) const;

    // Seals `secrets` into a new slot for `principal` under a key derived from `passphrase`.
    [[nodiscard]] Result<Slot> seal_with_passphrase(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                                    std::int64_t expires_us, std::string_view passphrase,
                                                    const KdfLimits& limits, const SlotSecrets& secrets) const;
    // Seals into a new key-file slot (SlotKdf::key_file) opened by the 32-byte `key`.
    [[nodiscard]] Result<Slot> seal_with_key(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                             const SecretBytes& key, const SlotSecrets& secrets) const;
    // Seals into `header` (all fields but the ciphertext already set, salt and nonce included;
    // the store generation is taken from `secrets`). `unlock` is the passphrase or the key,
    // as header.kdf says. Deterministic; the two above draw the salt and nonce. Test vectors use this.
    [[nodiscard]] Result<Slot> seal(Slot header, ByteView unlock, const SlotSecrets& secrets) const;
    // Opens `principal`'s slot with a passphrase or a key file's bytes, as the slot's kdf says;
    // ErrorCode::no_such_user without a slot, ErrorCode::wrong_passphrase when the tag does not verify.
    [[nodiscard]] Result<SlotSecrets> open(std::string_view principal, ByteView unlock) const;
    [[nodiscard]] Result<SlotSecrets> open_with_passphrase(std::string_view principal, std::string_view passphrase) const {
        return open(principal, as_bytes(passphrase));
    }

    // The associated data that binds a slot to this keyring and to its own header fields.
    [[nodiscard]] Bytes associated_data(const Slot& slot) const;

private:
    VaultId vault_id_;
    std::vector<Slot> slots_;
    std::vector<StoreKeyEnvelope> envelopes_;
};

} // namespace brankas
