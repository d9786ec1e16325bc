#include "cli/option_numbers.hpp"

#include <charconv>

namespace brankas::cli {

std::optional<std::uint64_t> parse_count(std::string_view text) noexcept {
    // from_chars into an unsigned type takes no sign ('-' or '+') and no leading space.
    std::uint64_t n = 0;
    const char* end = text.data() + text.size();
    auto [at, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc{} || at != end) return std::nullopt;
    return n;
}

} // namespace brankas::cli
