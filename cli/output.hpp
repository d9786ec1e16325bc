// Output helpers: times for people (local) and machines (ISO 8601 UTC), aligned tables that
// fit a terminal.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace brankas::cli {

// "2026-11-23 14:05:09 +0700": local time with its offset.
[[nodiscard]] std::string local_time(std::int64_t unix_us);
// "2026-11-23T07:05:09.123456Z"
[[nodiscard]] std::string iso_utc(std::int64_t unix_us);
[[nodiscard]] std::string mebibytes(std::uint64_t bytes);

// Columns padded to their widest cell; the last column is not padded.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

} // namespace brankas::cli
