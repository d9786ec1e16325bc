// Whether each keyring slot is the one the log says was written (docs/formats.md, "Slot
// hashes"). The keyring is not signed; the events that write a slot commit a hash of its bytes,
// so anyone who reads the log can check a slot without its passphrase, key file or shares:
// the recovery slot, above all, is found damaged before the quorum meets, not on that day.
#pragma once

#include "vault/keyring.hpp"
#include "vault/session.hpp"

#include <string>
#include <vector>

namespace brankas {

// BLAKE2b-256("brankas-slot-hash-v1" ‖ vault_id ‖ slot), the slot exactly as the keyring file
// holds it (u16 slot_length ‖ slot_body).
[[nodiscard]] Hash slot_hash(const Keyring& keyring, const Slot& slot);
// The same, as the bytes of an event field.
[[nodiscard]] Bytes slot_hash_field(const Keyring& keyring, const Slot& slot);

// When `principal` has no slot: a slot whose id is within 8 bits of theirs, and so theirs with
// a damaged id (the ids of two names differ in about 64 of their 128 bits). nullptr if none.
[[nodiscard]] const Slot* find_damaged_slot(const Keyring& keyring, std::string_view principal);

// False for header fields no writer produces (a time before 2020 or after 2200, an expiry
// before the creation): the slot was damaged. Checked before a key is derived, so a person
// hears that their slot is damaged rather than that their passphrase is wrong.
[[nodiscard]] bool slot_header_is_plausible(const Slot& slot);

// What the log says of one principal's slot.
enum class SlotState {
    intact,     // byte for byte the slot its latest recording event committed
    damaged,    // not that slot, impossible times, or an id a few bits off the name's
    missing,    // no slot at all (a disable or an add that a crash cut short, or one removed)
    unrecorded, // nothing to compare with (written before slot hashes, or after its last record)
};

struct SlotCheck {
    std::string principal;
    SlotState state = SlotState::unrecorded;
    std::uint64_t recorded_seq = 0; // the latest event that wrote this slot; 0 if none
};

// Every slot of a principal who is not disabled, in the keyring as it is on disk now, against
// the hash the log committed for it.
[[nodiscard]] Result<std::vector<SlotCheck>> check_slots(Session& session);

} // namespace brankas
