#include "vault/keyring.hpp"

#include "vault/encoding.hpp"
#include "vault/file_io.hpp"
#include "vault/names.hpp"

#include <algorithm>

namespace brankas {

namespace {

constexpr std::string_view magic = "BRNKKEYS";
constexpr std::uint16_t format_version = 1;
constexpr std::uint8_t payload_version = 1;
// version byte + K_db + signing seed + box secret
constexpr std::size_t payload_size = 1 + store_key_size + signing_seed_size + box_secret_key_size;
constexpr std::size_t ciphertext_size = payload_size + aead_tag_size;

bool known_kind(std::uint8_t k) { return k >= 1 && k <= 4; }

// The slot fields that precede the ciphertext, exactly as stored; they are also the
// slot's share of the associated data, so changing any of them breaks the tag.
void write_slot_header(ByteWriter& w, const Slot& s) {
    w.raw(s.id)
        .u8(static_cast<std::uint8_t>(s.kind))
        .i64(s.created_us)
        .i64(s.expires_us)
        .u8(static_cast<std::uint8_t>(s.kdf))
        .u64(s.limits.opslimit)
        .u64(s.limits.memlimit)
        .raw(s.salt)
        .raw(s.nonce);
}

std::unexpected<Error> unreadable(std::string why) {
    return fail(ErrorCode::keyring_unreadable, "the keyring is unreadable: " + why,
                "restore the keyring file from a backup of this vault");
}

} // namespace

SlotId slot_id_for(const VaultId& vault_id, std::string_view principal) {
    ByteWriter w;
    w.raw(as_bytes(std::string_view("brankas-slot-id-v1"))).raw(vault_id).str8(principal);
    Hash h = blake2b_256(w.bytes());
    SlotId id{};
    std::copy_n(h.begin(), id.size(), id.begin());
    return id;
}

const Slot* Keyring::find(std::string_view principal) const {
    if (!is_valid_principal_name(principal)) return nullptr;
    SlotId id = slot_id_for(vault_id_, principal);
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.id == id; });
    return it == slots_.end() ? nullptr : &*it;
}

void Keyring::put(Slot slot) {
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.id == slot.id; });
    if (it != slots_.end()) *it = std::move(slot);
    else slots_.push_back(std::move(slot));
}

bool Keyring::remove(std::string_view principal) {
    const Slot* slot = find(principal);
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return &s == slot; });
    if (it == slots_.end()) return false;
    slots_.erase(it);
    return true;
}

Bytes Keyring::associated_data(const Slot& slot) const {
    ByteWriter w;
    w.raw(as_bytes(magic)).u16(format_version).raw(vault_id_);
    write_slot_header(w, slot);
    return std::move(w).take();
}

Bytes Keyring::serialize() const {
    ByteWriter w;
    w.raw(as_bytes(magic)).u16(format_version).raw(vault_id_).u16(static_cast<std::uint16_t>(slots_.size()));
    for (const Slot& s : slots_) {
        ByteWriter body;
        write_slot_header(body, s);
        body.u16(static_cast<std::uint16_t>(s.ciphertext.size())).raw(s.ciphertext);
        w.u16(static_cast<std::uint16_t>(body.bytes().size())).raw(body.bytes());
    }
    return std::move(w).take();
}

Result<Keyring> Keyring::parse(ByteView file) {
    ByteReader r(file);
    ByteView m;
    if (!r.raw(magic.size(), m) || !std::equal(m.begin(), m.end(), magic.begin()))
        return unreadable("it does not start with the keyring magic (not a Brankas keyring, or truncated)");
    auto version = r.u16();
    if (!version) return unreadable("truncated header");
    if (*version != format_version)
        return fail(ErrorCode::unsupported, "the keyring has format version " + std::to_string(*version) +
                                                ", which this brankas does not know",
                    "use the brankas release that created this vault");
    VaultId id{};
    if (!r.raw_into(id)) return unreadable("truncated header");
    auto count = r.u16();
    if (!count) return unreadable("truncated header");
    if (*count > max_slots) return unreadable("it claims more slots than any vault has");

    Keyring k(id);
    for (std::uint16_t i = 0; i < *count; ++i) {
        auto len = r.u16();
        ByteView body_bytes;
        if (!len || !r.raw(*len, body_bytes)) return unreadable("slot " + std::to_string(i + 1) + " is truncated");
        ByteReader b(body_bytes);
        Slot s;
        bool id_ok = b.raw_into(s.id);
        auto kind = b.u8();
        auto created = b.i64();
        auto expires = b.i64();
        auto kdf = b.u8();
        auto ops = b.u64();
        auto mem = b.u64();
        bool fixed_ok = b.raw_into(s.salt) && b.raw_into(s.nonce);
        auto ct_len = fixed_ok ? b.u16() : std::nullopt;
        ByteView ct;
        bool ct_ok = ct_len && b.raw(*ct_len, ct);
        if (!id_ok || !kind || !created || !expires || !kdf || !ops || !mem || !ct_ok || !b.at_end())
            return unreadable("slot " + std::to_string(i + 1) + " is malformed");
        std::string which = "slot " + std::to_string(i + 1);
        if (!known_kind(*kind) || *kdf != static_cast<std::uint8_t>(SlotKdf::argon2id13))
            return unreadable(which + " has an unknown kind or key derivation");
        s.kind = static_cast<SlotKind>(*kind);
        s.created_us = *created;
        s.expires_us = *expires;
        s.kdf = SlotKdf::argon2id13;
        s.limits = {*ops, *mem};
        if (!kdf_limits_acceptable(s.limits))
            return unreadable(which + " asks for key-derivation limits outside the accepted range");
        if (ct.size() != ciphertext_size) return unreadable(which + " has a ciphertext of the wrong size");
        s.ciphertext.assign(ct.begin(), ct.end());
        if (std::any_of(k.slots_.begin(), k.slots_.end(), [&](const Slot& o) { return o.id == s.id; }))
            return unreadable(which + " has the same id as an earlier slot");
        k.slots_.push_back(std::move(s));
    }
    if (!r.at_end()) return unreadable("trailing bytes after the last slot");
    return k;
}

Result<Keyring> Keyring::load(const std::filesystem::path& path) {
    auto bytes = read_file_bounded(path, max_file_size);
    if (!bytes) {
        if (bytes.error().missing) return unreadable("the file " + path.string() + " is missing");
        return unreadable("cannot read " + path.string() + ": " + bytes.error().what);
    }
    return parse(*bytes);
}

Status Keyring::save(const std::filesystem::path& path) const {
    return write_file_atomic(path, serialize());
}

Result<Slot> Keyring::seal_with_passphrase(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                           std::int64_t expires_us, std::string_view passphrase,
                                           const KdfLimits& limits, const SlotSecrets& secrets) const {
    if (!is_valid_principal_name(principal))
        return fail(ErrorCode::usage, "'" + std::string(principal) + "' is not a valid user name");
    Slot s;
    s.id = slot_id_for(vault_id_, principal);
    s.kind = kind;
    s.created_us = created_us;
    s.expires_us = expires_us;
    s.kdf = SlotKdf::argon2id13;
    s.limits = limits;
    // A fresh random salt per slot (and per passphrase change) so equal passphrases give
    // unrelated keys; a fresh random 192-bit nonce is safe for XChaCha20 without a counter.
    random_fill(s.salt);
    random_fill(s.nonce);
    return seal(std::move(s), passphrase, secrets);
}

Result<Slot> Keyring::seal(Slot s, std::string_view passphrase, const SlotSecrets& secrets) const {
    if (!kdf_limits_acceptable(s.limits)) return fail(ErrorCode::usage, "the key-derivation limits are out of range");
    if (secrets.store_key.size() != store_key_size || secrets.signing_seed.size() != signing_seed_size ||
        secrets.box_secret.size() != box_secret_key_size)
        return fail(ErrorCode::internal, "slot secrets have the wrong sizes");
    SecretBytes kek = BRANKAS_TRY(derive_key(passphrase, s.salt, s.limits));
    SecretBytes plain(payload_size);
    auto* p = plain.data();
    p[0] = payload_version;
    std::copy_n(secrets.store_key.data(), store_key_size, p + 1);
    std::copy_n(secrets.signing_seed.data(), signing_seed_size, p + 1 + store_key_size);
    std::copy_n(secrets.box_secret.data(), box_secret_key_size, p + 1 + store_key_size + signing_seed_size);
    s.ciphertext = aead_encrypt(kek, s.nonce, plain.view(), associated_data(s));
    return s;
}

Result<SlotSecrets> Keyring::open_with_passphrase(std::string_view principal, std::string_view passphrase) const {
    const Slot* found = find(principal);
    if (found == nullptr) return fail(ErrorCode::no_such_user, "no user '" + std::string(principal) + "' in this vault");
    const Slot& slot = *found;
    SecretBytes kek = BRANKAS_TRY(derive_key(passphrase, slot.salt, slot.limits));
    auto plain = aead_decrypt(kek, slot.nonce, slot.ciphertext, associated_data(slot));
    // A failed tag cannot tell a wrong passphrase from an altered slot; the passphrase is
    // by far the likelier cause, and the message says so without claiming certainty.
    if (!plain) return fail(ErrorCode::wrong_passphrase, "wrong passphrase for user '" + std::string(principal) + "'");
    if (plain->size() != payload_size || plain->data()[0] != payload_version)
        return unreadable("the slot of '" + std::string(principal) + "' holds an unknown payload version");
    const auto* p = plain->data();
    return SlotSecrets{SecretBytes::copy_of({p + 1, store_key_size}),
                       SecretBytes::copy_of({p + 1 + store_key_size, signing_seed_size}),
                       SecretBytes::copy_of({p + 1 + store_key_size + signing_seed_size, box_secret_key_size})};
}

} // namespace brankas
