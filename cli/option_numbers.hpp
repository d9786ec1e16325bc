// Counts given to options (--length, --threads). Boost.Program_options reads "-8" into an
// unsigned type as its wrap-around (2^64 - 8), so a count is taken as text and read here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace brankas::cli {

// The number `text` writes in decimal digits alone (no sign, no space), if it fits in 64 bits.
[[nodiscard]] std::optional<std::uint64_t> parse_count(std::string_view text) noexcept;

} // namespace brankas::cli
