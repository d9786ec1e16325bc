// How a slot's key-derivation limits are described to people.
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/keyring.hpp"

#include <string>

namespace brankas::cli {

// "moderate (Argon2id, 3 passes, 256 MiB)"; the test profile is flagged as insecure.
[[nodiscard]] std::string describe_kdf(const KdfLimits& limits);

// What a slot is unlocked with, as --json writes it in every language ("passphrase", "key file",
// "recovery shares", "enrollment code"); each is also a catalogue literal that a table or a
// sentence translates with tr().
[[nodiscard]] std::string_view slot_kind_name(SlotKind kind);

// The profile named by a --kdf option; the test profile only when the suite allows it.
[[nodiscard]] Result<KdfProfile> chosen_kdf(std::string_view name, bool allow_test);

} // namespace brankas::cli
