#include "policy/instant.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace brankas::policy {

namespace {

// Division that rounds toward minus infinity, so instants before 1970 land in the right minute.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

std::string format_local_time(std::int64_t us, const TimeZone& zone) {
    std::int64_t local_us = saturating_add(us, std::int64_t{zone.utc_offset_minutes} * minute_us);
    // Held inside years 0000..9999, where the four-digit form is defined; a saturated
    // "forever" prints as the last minute of 9999 instead of a wrapped date.
    constexpr std::int64_t first_minute = -719528LL * 24 * 60;   // 0000-01-01 00:00
    constexpr std::int64_t last_minute = 2932897LL * 24 * 60 - 1; // 9999-12-31 23:59
    std::int64_t minutes = std::clamp(floor_div(local_us, minute_us), first_minute, last_minute);
    std::int64_t days = floor_div(minutes, 24 * 60);
    std::int64_t minute_of_day = minutes - days * 24 * 60;
    std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(minute_of_day / 60), static_cast<int>(minute_of_day % 60));
    return std::string(text) + " " + zone.name;
}

} // namespace brankas::policy
