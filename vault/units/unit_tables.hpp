// What other domains' appliers read from the units tables (and the units appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

inline constexpr std::size_t unit_key_sealed_size = 32 + 48; // an X25519 secret key in a sealed box

// Whether the sub-district exists.
[[nodiscard]] Result<bool> unit_exists(Database& db, std::string_view code);

// The unit's current key version, or an error naming the event when there is no such unit.
[[nodiscard]] Result<std::int64_t> unit_key_version(Database& db, const Event& e, std::string_view code);

// The unit's standby key, if it has one: the next key version, published ahead and sealed to
// admins only, so that the enforcer can rotate to it without ever holding a private key.
[[nodiscard]] Result<std::optional<std::int64_t>> standby_version(Database& db, const Event& e, std::string_view unit);

[[nodiscard]] Result<std::int64_t> newest_key_version(Database& db, std::string_view unit);

// The unit's key becomes `version`; every account of the unit not archived needs a new password.
[[nodiscard]] Status set_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version, const PublicKey& key);

// The unit moves to its standby key (published earlier: its public half is on record).
[[nodiscard]] Status switch_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version);

} // namespace brankas
