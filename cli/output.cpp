#include "cli/output.hpp"

#include <ctime>
#include <ostream>

namespace brankas::cli {

namespace {
std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
    return n;
}
std::time_t seconds_of(std::int64_t unix_us) {
    return static_cast<std::time_t>(unix_us >= 0 ? unix_us / 1'000'000 : (unix_us - 999'999) / 1'000'000);
}
} // namespace

std::string local_time(std::int64_t unix_us) {
    std::time_t t = seconds_of(unix_us);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm);
    return buf;
}

std::string iso_utc(std::int64_t unix_us) {
    std::time_t t = seconds_of(unix_us);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    auto micros = unix_us - static_cast<std::int64_t>(t) * 1'000'000;
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros));
    return std::string(buf) + frac;
}

std::string mebibytes(std::uint64_t bytes) {
    if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes >> 10) + " KiB";
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
    };
    measure(header);
    for (const auto& r : rows) measure(r);
    auto print = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out << row[i];
            if (i + 1 < row.size()) out << std::string(width[i] - display_width(row[i]) + 2, ' ');
        }
        out << '\n';
    };
    print(header);
    for (const auto& r : rows) print(r);
}

} // namespace brankas::cli
