// What the secrets domain, and the domains that open or re-seal versions, read from the
// secret_versions and pending_secrets tables.
#pragma once

#include "vault/store/database.hpp"

#include <optional>

namespace brankas {

inline constexpr std::size_t max_sealed_secret = 16 * 1024 + 48; // a sealed secret payload

// A version as stored: its sealed bytes, the unit key they are sealed to, and the event that
// sealed them (the version's own, or the re-seal after a rotation of the unit's key).
struct StoredVersion {
    Bytes sealed;
    std::int64_t key_version = 0;
    std::int64_t sealed_seq = 0;
};
// The version `version` of the account: current or older (secret_versions), or the pending one
// of a rotation; nullopt when it has none by that number.
[[nodiscard]] Result<std::optional<StoredVersion>> stored_version(Database& db, std::int64_t account, std::int64_t version);

} // namespace brankas
