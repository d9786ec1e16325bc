#include "cli/output.hpp"

#include "vault/encoding.hpp"

#include <cstdio>
#include <ctime>
#include <ostream>

namespace brankas::cli {

namespace {
// Floor division without overflow, for any stored (untrusted) time.
std::time_t seconds_of(std::int64_t unix_us) {
    std::int64_t s = unix_us / 1'000'000;
    if (unix_us % 1'000'000 < 0) --s;
    return static_cast<std::time_t>(s);
}
} // namespace

std::string for_terminal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        std::size_t len = printable_code_point_length(text);
        if (len == 0) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[0]));
            out += buf;
            len = 1;
        } else {
            out.append(text.substr(0, len));
        }
        text.remove_prefix(len);
    }
    return out;
}

void write_secret(std::ostream& out, const SecretBytes& secret) {
    out.write(secret.text().data(), static_cast<std::streamsize>(secret.size()));
}

void write_json_string(std::ostream& out, std::string_view text) {
    out << '"';
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') out << '\\' << c;
        else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out << buf;
        } else out << c;
    }
    out << '"';
}

std::string json_text(const nlohmann::json& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string iso_utc(std::int64_t unix_us) {
    std::time_t t = seconds_of(unix_us);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    auto micros = unix_us % 1'000'000;
    if (micros < 0) micros += 1'000'000;
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros));
    return std::string(buf) + frac;
}

std::string mebibytes(std::uint64_t bytes) {
    if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes >> 10) + " KiB";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? "-" : out;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::vector<std::string>> cells;
    cells.reserve(rows.size() + 1);
    if (!header.empty()) cells.push_back(header); // no header: a key-value listing
    for (const auto& row : rows) {
        std::vector<std::string> safe;
        for (const auto& cell : row) safe.push_back(for_terminal(cell));
        cells.push_back(std::move(safe));
    }
    std::size_t columns = header.size();
    for (const auto& row : rows) columns = std::max(columns, row.size());
    std::vector<std::size_t> width(columns, 0);
    for (const auto& row : cells)
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], utf8_length(row[i]));
    for (const auto& row : cells) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out << row[i];
            if (i + 1 < row.size()) out << std::string(width[i] - utf8_length(row[i]) + 2, ' ');
        }
        out << '\n';
    }
}

} // namespace brankas::cli
