// What other domains' appliers read from the rotation tables (and the rotation appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// The version a pending rotation will make current, if one is pending.
[[nodiscard]] Result<std::optional<std::int64_t>> pending_version(Database& db, std::int64_t account);

} // namespace brankas
