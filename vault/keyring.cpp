#include "vault/keyring.hpp"

#include "vault/encoding.hpp"
#include "vault/file_io.hpp"
#include "vault/field_rules.hpp"

#include <algorithm>

namespace brankas {

namespace {

constexpr std::string_view keyring_magic = "BRNKKEYS";
constexpr std::uint16_t keyring_version = 2;
constexpr std::uint8_t payload_version = 1;
// version byte + K_db + signing seed + box secret
constexpr std::size_t payload_size = 1 + store_key_size + signing_seed_size + box_secret_key_size;
constexpr std::size_t ciphertext_size = payload_size + aead_tag_size;
// A slot of format 2 is fixed-size: id, kind, created, expires, store generation, kdf, opslimit,
// memlimit, salt and nonce, then the ciphertext's length and the ciphertext.
constexpr std::size_t slot_header_size = slot_id_size + 1 + 8 + 8 + 4 + 1 + 8 + 8 + kdf_salt_size + aead_nonce_size;
constexpr std::size_t slot_body_size = slot_header_size + 2 + ciphertext_size;
static_assert(slot_body_size == 209, "docs/formats.md: every slot of keyring version 2 is 209 bytes");
constexpr std::uint8_t envelope_version = 1;
// version byte + vault id + slot id + generation + K_db
constexpr std::size_t envelope_payload_size = 1 + vault_id_size + slot_id_size + 4 + store_key_size;
constexpr std::size_t envelope_sealed_size = envelope_payload_size + sealed_box_overhead;

bool known_kind(std::uint8_t k) { return k >= 1 && k <= 4; }

// A key-file slot has no salt and no KDF limits: all zero, so nothing in it is left unchecked.
bool key_file_header_ok(const Slot& s) {
    return s.limits.opslimit == 0 && s.limits.memlimit == 0 &&
           std::all_of(s.salt.begin(), s.salt.end(), [](std::uint8_t b) { return b == 0; });
}

Result<SecretBytes> slot_kek(const Slot& s, ByteView unlock) {
    if (s.kdf == SlotKdf::key_file) {
        if (unlock.size() != slot_key_size) return fail_phrased(ErrorCode::usage, i18n::tr_noop("a key file holds exactly 32 bytes"), {});
        return SecretBytes::copy_of(unlock);
    }
    return derive_key(std::string_view(reinterpret_cast<const char*>(unlock.data()), unlock.size()), s.salt, s.limits);
}

// The slot fields that precede the ciphertext, exactly as stored; they are also the
// slot's share of the associated data, so changing any of them breaks the tag.
void write_slot_header(ByteWriter& w, const Slot& s) {
    w.raw(s.id)
        .u8(static_cast<std::uint8_t>(s.kind))
        .i64(s.created_us)
        .i64(s.expires_us)
        .u32(s.store_generation)
        .u8(static_cast<std::uint8_t>(s.kdf))
        .u64(s.limits.opslimit)
        .u64(s.limits.memlimit)
        .raw(s.salt)
        .raw(s.nonce);
}

std::unexpected<Error> unreadable(i18n::Phrase why) {
    return fail_phrase(ErrorCode::keyring_unreadable, i18n::Phrase(i18n::tr_noop("the keyring is unreadable: %s"), {std::move(why)}),
                       i18n::tr_noop("restore the keyring file from a backup of this vault"));
}

// What is wrong with the file, a literal of the catalogue with its values (a slot's number).
std::unexpected<Error> unreadable(const char* why, std::vector<std::string> values = {}) {
    return unreadable(i18n::Phrase::with_plain(why, std::move(values)));
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

std::optional<KdfLimits> Keyring::usual_limits(SlotKind kind) const {
    std::vector<std::pair<KdfLimits, std::size_t>> seen; // few distinct limits: the profiles
    for (const Slot& s : slots_) {
        if (s.kind != kind || s.kdf != SlotKdf::argon2id13) continue;
        auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& l) { return l.first == s.limits; });
        if (it == seen.end()) seen.emplace_back(s.limits, 1);
        else ++it->second;
    }
    auto costlier = [](const KdfLimits& a, const KdfLimits& b) {
        return a.memlimit != b.memlimit ? a.memlimit < b.memlimit : a.opslimit < b.opslimit;
    };
    auto usual = std::max_element(seen.begin(), seen.end(), [&](const auto& a, const auto& b) {
        return a.second != b.second ? a.second < b.second : costlier(a.first, b.first);
    });
    if (usual == seen.end()) return std::nullopt;
    return usual->first;
}

void Keyring::put(Slot slot) {
    std::erase_if(envelopes_, [&](const StoreKeyEnvelope& e) { return e.slot == slot.id && e.generation <= slot.store_generation; });
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.id == slot.id; });
    if (it != slots_.end()) *it = std::move(slot);
    else slots_.push_back(std::move(slot));
}

bool Keyring::remove(std::string_view principal) {
    const Slot* slot = find(principal);
    auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return &s == slot; });
    if (it == slots_.end()) return false;
    SlotId id = it->id;
    std::erase_if(envelopes_, [&](const StoreKeyEnvelope& e) { return e.slot == id; });
    slots_.erase(it);
    return true;
}

std::vector<const StoreKeyEnvelope*> Keyring::envelopes_for(const SlotId& slot) const {
    std::vector<const StoreKeyEnvelope*> out;
    for (const auto& e : envelopes_)
        if (e.slot == slot) out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->generation > b->generation; });
    return out;
}

void Keyring::put_envelope(StoreKeyEnvelope envelope) {
    auto it = std::find_if(envelopes_.begin(), envelopes_.end(), [&](const StoreKeyEnvelope& e) {
        return e.slot == envelope.slot && e.generation == envelope.generation;
    });
    if (it != envelopes_.end()) *it = std::move(envelope);
    else envelopes_.push_back(std::move(envelope));
}

void Keyring::drop_envelopes_of(const SlotId& slot) {
    std::erase_if(envelopes_, [&](const StoreKeyEnvelope& e) { return e.slot == slot; });
}

Hash store_key_check(const VaultId& vault_id, std::uint32_t generation, const SecretBytes& store_key) {
    ByteWriter w;
    w.raw(as_bytes(std::string_view("brankas-store-key-check-v1"))).raw(vault_id).u32(generation);
    SecretBytes message(w.bytes().size() + store_key.size());
    std::copy(w.bytes().begin(), w.bytes().end(), message.data());
    std::copy_n(store_key.data(), store_key.size(), message.data() + w.bytes().size());
    return blake2b_256(message.view());
}

void Keyring::drop_envelopes_before(std::uint32_t generation) {
    std::erase_if(envelopes_, [&](const StoreKeyEnvelope& e) { return e.generation < generation; });
}

namespace {

SecretBytes envelope_payload(const VaultId& vault_id, const SlotId& slot, std::uint32_t generation, const SecretBytes& key) {
    SecretBytes p(envelope_payload_size);
    ByteWriter header;
    header.u8(envelope_version).raw(vault_id).raw(slot).u32(generation);
    std::copy(header.bytes().begin(), header.bytes().end(), p.data());
    std::copy_n(key.data(), store_key_size, p.data() + header.bytes().size());
    return p;
}

} // namespace

StoreKeyEnvelope Keyring::seal_store_key(const SlotId& slot, std::uint32_t generation, const SecretBytes& store_key,
                                         const PublicKey& box_key) const {
    SecretBytes payload = envelope_payload(vault_id_, slot, generation, store_key);
    return StoreKeyEnvelope{slot, generation, seal_to(box_key, payload.view())};
}

Result<SecretBytes> Keyring::open_store_key(const StoreKeyEnvelope& envelope, const BoxKeyPair& owner) const {
    auto plain = open_sealed(owner, envelope.sealed);
    if (!plain || plain->size() != envelope_payload_size)
        return unreadable(i18n::tr_noop("an envelope holding a newer store key does not open with its owner's key"));
    ByteWriter header;
    header.u8(envelope_version).raw(vault_id_).raw(envelope.slot).u32(envelope.generation);
    if (!std::equal(header.bytes().begin(), header.bytes().end(), plain->data()))
        return unreadable(i18n::tr_noop("an envelope holding a newer store key names another vault, slot or generation"));
    return SecretBytes::copy_of({plain->data() + header.bytes().size(), store_key_size});
}

Bytes Keyring::associated_data(const Slot& slot) const {
    ByteWriter w;
    w.raw(as_bytes(keyring_magic)).u16(keyring_version).raw(vault_id_);
    write_slot_header(w, slot);
    return std::move(w).take();
}

Bytes Keyring::serialize() const {
    ByteWriter w;
    w.raw(as_bytes(keyring_magic)).u16(keyring_version).raw(vault_id_).u16(static_cast<std::uint16_t>(slots_.size()));
    for (const Slot& s : slots_) {
        ByteWriter body;
        write_slot_header(body, s);
        body.u16(static_cast<std::uint16_t>(s.ciphertext.size())).raw(s.ciphertext);
        w.u16(static_cast<std::uint16_t>(body.bytes().size())).raw(body.bytes());
    }
    w.u16(static_cast<std::uint16_t>(envelopes_.size()));
    for (const StoreKeyEnvelope& e : envelopes_)
        w.raw(e.slot).u32(e.generation).u16(static_cast<std::uint16_t>(e.sealed.size())).raw(e.sealed);
    return std::move(w).take();
}

Result<Keyring> Keyring::parse(ByteView file) {
    ByteReader r(file);
    ByteView m;
    if (!r.raw(keyring_magic.size(), m) || !std::equal(m.begin(), m.end(), keyring_magic.begin()))
        return unreadable(i18n::tr_noop("it does not start with the keyring magic (not a Brankas keyring, or truncated)"));
    auto version = r.u16();
    if (!version) return unreadable(i18n::tr_noop("truncated header"));
    if (*version != keyring_version)
        return fail_phrased(ErrorCode::unsupported, i18n::tr_noop("the keyring has format version %s, which this brankas does not know"),
                            {std::to_string(*version)}, i18n::tr_noop("use the brankas release that created this vault"));
    VaultId id{};
    if (!r.raw_into(id)) return unreadable(i18n::tr_noop("truncated header"));
    auto count = r.u16();
    if (!count) return unreadable(i18n::tr_noop("truncated header"));
    if (*count > max_slots) return unreadable(i18n::tr_noop("it claims more slots than any vault has"));

    Keyring k(id);
    for (std::uint16_t i = 0; i < *count; ++i) {
        const std::string number = std::to_string(i + 1);
        auto len = r.u16();
        if (!len) return unreadable(i18n::tr_noop("slot %s is truncated"), {number});
        // Known before the body is read: another length is damage or another format, never a
        // slot to skip.
        if (*len != slot_body_size)
            return unreadable(i18n::tr_noop("slot %1$s says it is %2$s bytes long; every slot of this keyring version is 209 bytes"),
                              {number, std::to_string(*len)});
        ByteView body_bytes;
        if (!r.raw(*len, body_bytes)) return unreadable(i18n::tr_noop("slot %s is truncated"), {number});
        ByteReader b(body_bytes);
        Slot s;
        bool id_ok = b.raw_into(s.id);
        auto kind = b.u8();
        auto created = b.i64();
        auto expires = b.i64();
        auto generation = b.u32();
        auto kdf = b.u8();
        auto ops = b.u64();
        auto mem = b.u64();
        bool fixed_ok = b.raw_into(s.salt) && b.raw_into(s.nonce);
        auto ct_len = fixed_ok ? b.u16() : std::nullopt;
        ByteView ct;
        bool ct_ok = ct_len && b.raw(*ct_len, ct);
        if (!id_ok || !kind || !created || !expires || !generation || !kdf || !ops || !mem || !ct_ok || !b.at_end())
            return unreadable(i18n::tr_noop("slot %s is malformed"), {number});
        if (!known_kind(*kind) || (*kdf != static_cast<std::uint8_t>(SlotKdf::argon2id13) &&
                                   *kdf != static_cast<std::uint8_t>(SlotKdf::key_file)))
            return unreadable(i18n::tr_noop("slot %s has an unknown kind or key derivation"), {number});
        s.kind = static_cast<SlotKind>(*kind);
        s.created_us = *created;
        s.expires_us = *expires;
        s.store_generation = *generation;
        s.kdf = static_cast<SlotKdf>(*kdf);
        s.limits = {*ops, *mem};
        if (s.store_generation == 0) return unreadable(i18n::tr_noop("slot %s names store generation 0"), {number});
        if (s.kdf == SlotKdf::argon2id13 && !kdf_limits_acceptable(s.limits))
            return unreadable(i18n::tr_noop("slot %s asks for key-derivation limits outside the accepted range"), {number});
        if (s.kdf == SlotKdf::key_file && !key_file_header_ok(s))
            return unreadable(i18n::tr_noop("slot %s opens with a key file but carries a salt or KDF limits"), {number});
        if (ct.size() != ciphertext_size) return unreadable(i18n::tr_noop("slot %s has a ciphertext of the wrong size"), {number});
        s.ciphertext.assign(ct.begin(), ct.end());
        if (std::any_of(k.slots_.begin(), k.slots_.end(), [&](const Slot& o) { return o.id == s.id; }))
            return unreadable(i18n::tr_noop("slot %s has the same id as an earlier slot"), {number});
        k.slots_.push_back(std::move(s));
    }
    auto envelopes = r.u16();
    if (!envelopes) return unreadable(i18n::tr_noop("the envelope count is missing"));
    if (*envelopes > max_envelopes) return unreadable(i18n::tr_noop("it claims more envelopes than any vault has"));
    for (std::uint16_t i = 0; i < *envelopes; ++i) {
        const std::string number = std::to_string(i + 1);
        StoreKeyEnvelope e;
        bool id_ok = r.raw_into(e.slot);
        auto generation = id_ok ? r.u32() : std::nullopt;
        auto len = generation ? r.u16() : std::nullopt;
        ByteView sealed;
        if (!len || !r.raw(*len, sealed)) return unreadable(i18n::tr_noop("envelope %s is truncated"), {number});
        if (sealed.size() != envelope_sealed_size) return unreadable(i18n::tr_noop("envelope %s has a sealed key of the wrong size"), {number});
        e.generation = *generation;
        e.sealed.assign(sealed.begin(), sealed.end());
        auto owner = std::find_if(k.slots_.begin(), k.slots_.end(), [&](const Slot& s) { return s.id == e.slot; });
        if (owner == k.slots_.end()) return unreadable(i18n::tr_noop("envelope %s is for a slot the keyring does not have"), {number});
        if (e.generation <= owner->store_generation) return unreadable(i18n::tr_noop("envelope %s is not newer than its slot's own key"), {number});
        if (std::any_of(k.envelopes_.begin(), k.envelopes_.end(),
                        [&](const StoreKeyEnvelope& o) { return o.slot == e.slot && o.generation == e.generation; }))
            return unreadable(i18n::tr_noop("envelope %s repeats an earlier one"), {number});
        k.envelopes_.push_back(std::move(e));
    }
    if (!r.at_end()) return unreadable(i18n::tr_noop("trailing bytes after the last envelope"));
    return k;
}

Result<Keyring> Keyring::load(const std::filesystem::path& path) {
    auto bytes = read_file_bounded(path, max_file_size);
    if (!bytes) {
        if (bytes.error().missing)
            return unreadable(i18n::Phrase(i18n::tr_noop("the file %s is missing"), {i18n::Phrase::plain(path.string())}));
        // A disk that failed says nothing about the keyring's bytes.
        if (bytes.error().failed)
            return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read the keyring %1$s: %2$s"), {path.string(), bytes.error().what});
        return unreadable(i18n::Phrase(i18n::tr_noop("cannot read %1$s: %2$s"),
                                       {i18n::Phrase::plain(path.string()), i18n::Phrase::plain(bytes.error().what)}));
    }
    return parse(*bytes);
}

Status Keyring::save(const std::filesystem::path& path) const {
    // Every writer of a vault's keyring holds the store's write lock (BEGIN IMMEDIATE) while it
    // saves, so a temporary file beside it was left by a writer that died before its rename
    // (its transaction never committed: the keyring in place is the right one). It goes now,
    // rather than collect in the vault directory.
    remove_abandoned_temporaries(path);
    return write_file_atomic(path, serialize());
}

namespace {

// A slot header for `principal` with a fresh random nonce: a 192-bit random nonce is safe for
// XChaCha20 without a counter.
Result<Slot> new_slot(const VaultId& vault_id, std::string_view principal, SlotKind kind, std::int64_t created_us) {
    if (!is_valid_principal_name(principal))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {i18n::echo(principal)});
    Slot s;
    s.id = slot_id_for(vault_id, principal);
    s.kind = kind;
    s.created_us = created_us;
    random_fill(s.nonce);
    return s;
}

} // namespace

Result<Slot> Keyring::seal_with_passphrase(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                           std::int64_t expires_us, std::string_view passphrase,
                                           const KdfLimits& limits, const SlotSecrets& secrets) const {
    Slot s = BRANKAS_TRY(new_slot(vault_id_, principal, kind, created_us));
    s.expires_us = expires_us;
    s.kdf = SlotKdf::argon2id13;
    s.limits = limits;
    // A fresh random salt per slot (and per passphrase change) so equal passphrases give
    // unrelated keys.
    random_fill(s.salt);
    return seal(std::move(s), as_bytes(passphrase), secrets);
}

Result<Slot> Keyring::seal_with_key(std::string_view principal, SlotKind kind, std::int64_t created_us,
                                    const SecretBytes& key, const SlotSecrets& secrets) const {
    // The key is random and used for nothing else; no salt, and the nonce is fresh per sealing.
    Slot s = BRANKAS_TRY(new_slot(vault_id_, principal, kind, created_us));
    s.kdf = SlotKdf::key_file;
    s.limits = {0, 0};
    return seal(std::move(s), key.view(), secrets);
}

Result<Slot> Keyring::seal(Slot s, ByteView unlock, const SlotSecrets& secrets) const {
    if (s.kdf == SlotKdf::argon2id13 && !kdf_limits_acceptable(s.limits))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"), {});
    if (s.kdf == SlotKdf::key_file && !key_file_header_ok(s))
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("a key-file slot carries no salt and no KDF limits"), {});
    if (secrets.store_key.size() != store_key_size || secrets.signing_seed.size() != signing_seed_size ||
        secrets.box_secret.size() != box_secret_key_size || secrets.store_generation == 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("slot secrets have the wrong sizes"), {});
    s.store_generation = secrets.store_generation;
    SecretBytes kek = BRANKAS_TRY(slot_kek(s, unlock));
    SecretBytes plain(payload_size);
    auto* p = plain.data();
    p[0] = payload_version;
    std::copy_n(secrets.store_key.data(), store_key_size, p + 1);
    std::copy_n(secrets.signing_seed.data(), signing_seed_size, p + 1 + store_key_size);
    std::copy_n(secrets.box_secret.data(), box_secret_key_size, p + 1 + store_key_size + signing_seed_size);
    s.ciphertext = aead_encrypt(kek, s.nonce, plain.view(), associated_data(s));
    return s;
}

Result<SlotSecrets> Keyring::open(std::string_view principal, ByteView unlock) const {
    const Slot* found = find(principal);
    if (found == nullptr) return fail_phrased(ErrorCode::no_such_user, i18n::tr_noop("no user '%s' in this vault"), {i18n::echo(principal)});
    const Slot& slot = *found;
    SecretBytes kek = BRANKAS_TRY(slot_kek(slot, unlock));
    auto plain = aead_decrypt(kek, slot.nonce, slot.ciphertext, associated_data(slot));
    // A failed tag cannot tell a wrong passphrase from an altered slot; the passphrase is
    // by far the likelier cause, and the message says so without claiming certainty.
    if (!plain) {
        if (slot.kdf == SlotKdf::key_file)
            return fail_phrased(ErrorCode::wrong_passphrase, i18n::tr_noop("the key file does not open the slot of '%s'"), {std::string(principal)});
        return fail_phrased(ErrorCode::wrong_passphrase, i18n::tr_noop("wrong passphrase for user '%s'"), {std::string(principal)});
    }
    if (plain->size() != payload_size || plain->data()[0] != payload_version)
        return unreadable(i18n::tr_noop("the slot of '%s' holds an unknown payload version"), {std::string(principal)});
    const auto* p = plain->data();
    return SlotSecrets{SecretBytes::copy_of({p + 1, store_key_size}),
                       SecretBytes::copy_of({p + 1 + store_key_size, signing_seed_size}),
                       SecretBytes::copy_of({p + 1 + store_key_size + signing_seed_size, box_secret_key_size}),
                       slot.store_generation};
}

} // namespace brankas
