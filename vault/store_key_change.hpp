// Telling a store re-keyed under a running command from a damaged one (SECURITY.md, "Known
// limits": a re-key interrupts other processes).
#pragma once

#include "vault/error.hpp"

#include <cstdint>
#include <filesystem>

namespace brankas {

// Whether the keyring at `path` holds a K_db of a generation after `generation`, in a slot or
// an envelope: the store was re-keyed since a process that opened it at `generation` read the
// keyring. False when the file cannot be read (that is reported where it is needed).
[[nodiscard]] bool holds_store_key_after(const std::filesystem::path& path, std::uint32_t generation);

// What a command that finds the store re-keyed under it says: nothing is damaged, and running
// it again (it then opens with the new key) is the whole remedy.
[[nodiscard]] Error store_key_changed();

} // namespace brankas
