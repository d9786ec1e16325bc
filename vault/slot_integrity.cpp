#include "vault/slot_integrity.hpp"

#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event.hpp"
#include "vault/store/schema.hpp"

#include <bit>
#include <map>

namespace brankas {

Hash slot_hash(const Keyring& keyring, const Slot& slot) {
    // The slot's record is taken from the keyring's own encoding (a file of this one slot), so
    // the hash covers exactly the bytes the file holds, by the one function that writes them.
    Keyring alone(keyring.vault_id());
    alone.put(slot);
    const Bytes file = alone.serialize();
    constexpr std::size_t file_header = 8 + 2 + vault_id_size + 2; // magic, version, vault id, slot count
    constexpr std::size_t envelope_count = 2;                     // the file's last field (0 here)
    ByteWriter w;
    // The label keeps this hash apart from every other BLAKE2b of the project; the vault id
    // ties it to this vault.
    w.raw(as_bytes(std::string_view("brankas-slot-hash-v1"))).raw(keyring.vault_id());
    w.raw(ByteView(file).subspan(file_header, file.size() - file_header - envelope_count));
    return blake2b_256(w.bytes());
}

Bytes slot_hash_field(const Keyring& keyring, const Slot& slot) {
    const Hash h = slot_hash(keyring, slot);
    return Bytes(h.begin(), h.end());
}

const Slot* find_damaged_slot(const Keyring& keyring, std::string_view principal) {
    if (!is_valid_principal_name(principal)) return nullptr;
    const SlotId id = slot_id_for(keyring.vault_id(), principal);
    constexpr int max_flipped_bits = 8; // far below the ~64 that separate two names' ids
    for (const Slot& s : keyring.slots()) {
        int flipped = 0;
        for (std::size_t i = 0; i < id.size(); ++i) flipped += std::popcount(static_cast<unsigned>(id[i] ^ s.id[i]));
        if (flipped > 0 && flipped <= max_flipped_bits) return &s;
    }
    return nullptr;
}

bool slot_header_is_plausible(const Slot& slot) {
    constexpr std::int64_t earliest_us = 1'577'836'800'000'000; // 2020-01-01T00:00:00Z
    constexpr std::int64_t latest_us = 7'258'118'400'000'000;   // 2200-01-01T00:00:00Z
    if (slot.created_us < earliest_us || slot.created_us > latest_us) return false;
    if (slot.expires_us != 0 && (slot.expires_us < slot.created_us || slot.expires_us > latest_us)) return false;
    return true;
}

namespace {

// The latest record of each principal's slot: the event, and the hash it committed (none in
// events written before slot hashes existed).
struct SlotRecord {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::optional<Hash> hash;
};

Result<std::map<std::string, SlotRecord>> slot_records(Database& db) {
    std::map<std::string, SlotRecord> out;
    // Through the index of these few events, not a scan of the whole log.
    Statement s = BRANKAS_TRY(db.prepare("SELECT seq, time_us, actor, action, target, body FROM events WHERE " +
                                         std::string(events_writing_slots) + " ORDER BY seq"));
    while (BRANKAS_TRY(s.step())) {
        // vault.create writes its actor's slot (its target is the institution); the others, their target's.
        const std::string owner = s.column_text(3) == actions::vault_create ? s.column_text(2) : s.column_text(4);
        SlotRecord r{static_cast<std::uint64_t>(s.column_int(0)), s.column_int(1), std::nullopt};
        const Bytes body = s.column_blob(5);
        if (auto e = decode_event(body))
            if (auto h = e->details.get_array<hash_size>("slot_hash")) r.hash = *h;
        out[owner] = r;
    }
    return out;
}

SlotState judge(const Keyring& keyring, const std::string& principal, const SlotRecord* record) {
    const Slot* slot = keyring.find(principal);
    if (slot == nullptr) return find_damaged_slot(keyring, principal) != nullptr ? SlotState::damaged : SlotState::missing;
    if (!slot_header_is_plausible(*slot)) return SlotState::damaged;
    if (record == nullptr || !record->hash) return SlotState::unrecorded;
    if (slot_hash(keyring, *slot) == *record->hash) return SlotState::intact;
    // Written after its last record: a change whose event never committed (a crash between
    // the keyring's rename and the commit), or a damaged creation time. No conclusion.
    if (slot->created_us > record->time_us) return SlotState::unrecorded;
    return SlotState::damaged;
}

} // namespace

Result<std::vector<SlotCheck>> check_slots(Session& session) {
    // The file as it is now, not as the session read it when it opened.
    Keyring current = BRANKAS_TRY(Keyring::load(session.paths().keyring()));
    if (current.vault_id() != session.keyring().vault_id())
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the keyring was replaced by another vault's while it was open"), {});
    const std::map<std::string, SlotRecord> records = BRANKAS_TRY(slot_records(session.db()));
    std::vector<SlotCheck> out;
    Statement p = BRANKAS_TRY(session.db().prepare("SELECT name FROM principals WHERE status <> 'disabled' ORDER BY name"));
    while (BRANKAS_TRY(p.step())) {
        SlotCheck c;
        c.principal = p.column_text(0);
        auto record = records.find(c.principal);
        const SlotRecord* r = record == records.end() ? nullptr : &record->second;
        if (r != nullptr) c.recorded_seq = r->seq;
        c.state = judge(current, c.principal, r);
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace brankas
