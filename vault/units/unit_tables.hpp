// What other domains' appliers read from the units tables (and the units appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"
#include "vault/units/units.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {


// Whether the sub-district exists.
[[nodiscard]] Result<bool> unit_exists(Database& db, std::string_view code);

// The unit's current key version, or an error naming the event when there is no such unit.
[[nodiscard]] Result<std::int64_t> unit_key_version(Database& db, const Event& e, std::string_view code);

// The unit's standby key, if it has one (standby_key_version, units.hpp), or an error naming the
// event when there is no such unit.
[[nodiscard]] Result<std::optional<std::int64_t>> standby_version(Database& db, const Event& e, std::string_view unit);
// Both in one read (unit_key_versions, units.hpp), or an error naming the event when there is
// no such unit.
[[nodiscard]] Result<UnitKeyVersions> unit_key_versions(Database& db, const Event& e, std::string_view unit);

// The newest key version the unit ever had (0: none).
[[nodiscard]] Result<std::int64_t> newest_key_version(Database& db, std::string_view unit);

// The unit's key becomes `version`; every account of the unit not archived needs a new password.
[[nodiscard]] Status set_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version, const PublicKey& key);

// The unit moves to its standby key (published earlier: its public half is on record).
[[nodiscard]] Status switch_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version);
// switch_unit_key's change of the unit's row alone: the caller flags the unit's accounts for a
// new password itself, in the same statement as its own change of them (the end of a term).
[[nodiscard]] Status switch_unit_row_key(Database& db, const Event& e, std::string_view unit, std::int64_t version);

} // namespace brankas
