// What other domains' appliers read from the people tables (and the people appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

[[nodiscard]] Status insert_signing_key(Database& db, const Event& e, std::string_view principal, const PublicKey& key);

// The event's target gets new keys and `status`: its old signing key signs nothing more. The unit
// keys sealed to its old box key go (KeptUnitKeys::drop: a recovery), or stay until their holder
// re-seals them to the new one (keep: enrollment).
enum class KeptUnitKeys { keep, drop };
[[nodiscard]] Status replace_keys(Database& db, const Event& e, std::string_view status, const PublicKey& signing, const PublicKey& box,
                                  KeptUnitKeys unit_keys);

} // namespace brankas
