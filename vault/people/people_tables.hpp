// What other domains' appliers read from the people tables (and the people appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

[[nodiscard]] Status insert_signing_key(Database& db, const Event& e, std::string_view principal, const PublicKey& key);

// The principal's keys are replaced: its old signing key signs nothing more and the unit keys
// sealed to its old box key go.
[[nodiscard]] Status replace_keys(Database& db, const Event& e, std::string_view status, const PublicKey& signing, const PublicKey& box);

} // namespace brankas
