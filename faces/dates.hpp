// Dates as people write them, in the institution's time zone (the policy's: WIB, WITA or WIT;
// Indonesia keeps no daylight saving time, so a zone is a fixed offset). Both faces show them:
// the command line and the browser.
#pragma once

#include "policy/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// The years a date may name; messages that refuse a date say them (first_day, last_day).
inline constexpr int first_year = 2000;
inline constexpr int last_year = 2199;
inline constexpr const char* first_day = "2000-01-01";
inline constexpr const char* last_day = "2199-12-31";

// "2029-12-31" -> the first instant of that day in `zone` (Unix microseconds); nullopt when
// it is not a real calendar date from first_year to last_year.
[[nodiscard]] std::optional<std::int64_t> parse_date(std::string_view text, const policy::TimeZone& zone);
// The date of an instant in `zone`: "2029-12-31".
[[nodiscard]] std::string format_date(std::int64_t unix_us, const policy::TimeZone& zone);
// "2029-12-31 17:00 WIB"
[[nodiscard]] std::string format_zoned(std::int64_t unix_us, const policy::TimeZone& zone);
// "2029-12-31 17:00:05 WIB": to the second, for listings of events.
[[nodiscard]] std::string format_zoned_seconds(std::int64_t unix_us, const policy::TimeZone& zone);
// ISO 8601 with the zone's offset, to the second: "2029-12-31T17:00:05+07:00".
[[nodiscard]] std::string format_iso(std::int64_t unix_us, const policy::TimeZone& zone);

// A moment as a person gives it for --since/--until: a day, "2029-03-01", or a day and a time
// in `zone`, "2029-03-01T10:00", "2029-03-01 10:00" or with ":SS". nullopt when malformed.
struct GivenMoment {
    std::int64_t start_us = 0; // the first instant it names
    std::int64_t end_us = 0;   // the first instant after it: the next day, minute or second
};
[[nodiscard]] std::optional<GivenMoment> parse_moment(std::string_view text, const policy::TimeZone& zone);

// A term's days are the days that were typed, whatever zone the policy names later. A typed day
// became the instant of its midnight in the zone in force then (parse_date), and that instant
// names its zone: midnight in WIB, WITA and WIT falls on different hours of UTC. typed_zone()
// is that zone (`zone` itself when the instant is midnight there, or is no day boundary at all).
[[nodiscard]] const policy::TimeZone& typed_zone(std::int64_t boundary_us, const policy::TimeZone& zone);
// A term's first day: the day its start was typed as.
[[nodiscard]] std::string format_first_day(std::int64_t start_us, const policy::TimeZone& zone);
// A term's end is exclusive (the first instant after its last day); people read the last day,
// as it was typed.
[[nodiscard]] std::string format_last_day(std::int64_t end_us, const policy::TimeZone& zone);

} // namespace brankas
