// What other domains' appliers read from the secrets tables (and the secrets appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

inline constexpr std::size_t max_sealed_secret = 16 * 1024 + 48; // a sealed secret payload

[[nodiscard]] Result<Bytes> required_sealed_secret(const Event& e);

} // namespace brankas
