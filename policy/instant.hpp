// Instants in microseconds since the Unix epoch (UTC): adding to them without overflow, and
// printing them as a person in the district reads a clock. Pure: no clock, no time zone database
// (Indonesia's three zones are fixed offsets without daylight saving time).
#pragma once

#include "policy/policy.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace brankas::policy {

// a + b, held at the ends of the range instead of wrapping: a deadline far in the future stays
// far in the future.
[[nodiscard]] constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    if (b > 0 && a > hi - b) return hi;
    if (b < 0 && a < lo - b) return lo;
    return a + b;
}

// "2029-12-31 23:59 WIB": the minute the instant falls in, in the zone's local time.
[[nodiscard]] std::string format_local_time(std::int64_t us, const TimeZone& zone);

} // namespace brankas::policy
