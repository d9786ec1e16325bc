#include "faces/dates.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace brankas {

namespace {

using namespace std::chrono;

std::int64_t offset_us(const policy::TimeZone& zone) { return std::int64_t{zone.utc_offset_minutes} * 60 * 1'000'000; }

// Floor division, so instants before 1970 still land on the right day.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

year_month_day civil_day(std::int64_t unix_us, const policy::TimeZone& zone) {
    std::int64_t local = unix_us + offset_us(zone);
    return year_month_day{sys_days{days{floor_div(local, policy::day_us)}}};
}

} // namespace

std::optional<std::int64_t> parse_date(std::string_view text, const policy::TimeZone& zone) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    std::size_t at[3][2] = {{0, 4}, {5, 2}, {8, 2}};
    for (int i = 0; i < 3; ++i)
        for (std::size_t k = 0; k < at[i][1]; ++k) {
            char c = text[at[i][0] + k];
            if (c < '0' || c > '9') return std::nullopt;
            parts[i] = parts[i] * 10 + (c - '0');
        }
    year_month_day ymd{year{parts[0]}, month{static_cast<unsigned>(parts[1])}, day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok() || parts[0] < first_year || parts[0] > last_year) return std::nullopt;
    std::int64_t days_since_epoch = sys_days{ymd}.time_since_epoch().count();
    return days_since_epoch * policy::day_us - offset_us(zone);
}

std::string format_date(std::int64_t unix_us, const policy::TimeZone& zone) {
    year_month_day ymd = civil_day(unix_us, zone);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string format_zoned(std::int64_t unix_us, const policy::TimeZone& zone) {
    std::int64_t local = unix_us + offset_us(zone);
    std::int64_t in_day = local - floor_div(local, policy::day_us) * policy::day_us;
    char buf[48];
    std::snprintf(buf, sizeof buf, " %02lld:%02lld ", static_cast<long long>(in_day / policy::hour_us),
                  static_cast<long long>(in_day % policy::hour_us / policy::minute_us));
    return format_date(unix_us, zone) + buf + zone.name;
}

std::string format_zoned_seconds(std::int64_t unix_us, const policy::TimeZone& zone) {
    std::int64_t local = unix_us + offset_us(zone);
    std::int64_t in_day = local - floor_div(local, policy::day_us) * policy::day_us;
    char buf[48];
    std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld ", static_cast<long long>(in_day / policy::hour_us),
                  static_cast<long long>(in_day % policy::hour_us / policy::minute_us),
                  static_cast<long long>(in_day % policy::minute_us / policy::second_us));
    return format_date(unix_us, zone) + buf + zone.name;
}

std::string format_iso(std::int64_t unix_us, const policy::TimeZone& zone) {
    std::int64_t local = unix_us + offset_us(zone);
    std::int64_t in_day = local - floor_div(local, policy::day_us) * policy::day_us;
    int offset = zone.utc_offset_minutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lld%c%02d:%02d", static_cast<long long>(in_day / policy::hour_us),
                  static_cast<long long>(in_day % policy::hour_us / policy::minute_us),
                  static_cast<long long>(in_day % policy::minute_us / policy::second_us), offset < 0 ? '-' : '+',
                  std::abs(offset) / 60, std::abs(offset) % 60);
    return format_date(unix_us, zone) + buf;
}

std::optional<GivenMoment> parse_moment(std::string_view text, const policy::TimeZone& zone) {
    auto day = parse_date(text.substr(0, 10), zone);
    if (!day) return std::nullopt;
    if (text.size() == 10) return GivenMoment{*day, *day + policy::day_us};
    // "T" or " ", then HH:MM, then optionally :SS.
    if ((text.size() != 16 && text.size() != 19) || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
        (text.size() == 19 && text[16] != ':'))
        return std::nullopt;
    auto two_digits = [&](std::size_t at, int most) -> std::optional<int> {
        char a = text[at], b = text[at + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
        int v = (a - '0') * 10 + (b - '0');
        return v <= most ? std::optional<int>(v) : std::nullopt;
    };
    auto hour = two_digits(11, 23), minute = two_digits(14, 59);
    auto second = text.size() == 19 ? two_digits(17, 59) : std::optional<int>(0);
    if (!hour || !minute || !second) return std::nullopt;
    std::int64_t start = *day + *hour * policy::hour_us + *minute * policy::minute_us + *second * policy::second_us;
    return GivenMoment{start, start + (text.size() == 19 ? policy::second_us : policy::minute_us)};
}

const policy::TimeZone& typed_zone(std::int64_t boundary_us, const policy::TimeZone& zone) {
    // Indonesia's three zones are whole hours apart, so their midnights fall on three different
    // hours of UTC (17:00, 16:00, 15:00): a day boundary typed in one of them is midnight in
    // that one only. Any other instant (a term ended "now") is read in the zone given.
    static const policy::TimeZone zones[] = {{"WIB", 7 * 60}, {"WITA", 8 * 60}, {"WIT", 9 * 60}};
    if ((boundary_us + offset_us(zone)) % policy::day_us == 0) return zone;
    for (const auto& z : zones)
        if ((boundary_us + offset_us(z)) % policy::day_us == 0) return z;
    return zone;
}

std::string format_first_day(std::int64_t start_us, const policy::TimeZone& zone) {
    return format_date(start_us, typed_zone(start_us, zone));
}

std::string format_last_day(std::int64_t end_us, const policy::TimeZone& zone) {
    return format_date(end_us - 1, typed_zone(end_us, zone));
}

} // namespace brankas
