#include "cli/output.hpp"

#include "cli/display_width.hpp"
#include "i18n/translate.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <ostream>
#include <unistd.h>

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
        char buf[16];
        std::size_t len = printable_code_point_length(text);
        if (len == 0) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[0]));
            out += buf;
            len = 1;
        } else if (const auto mark = hidden_mark_at(text)) {
            // Printed, it would reorder or hide the text around it: shown as what it is, the one
            // set the rules for typed text refuse (field_rules' hidden_mark_at).
            std::snprintf(buf, sizeof buf, *mark <= 0xffff ? "\\u%04x" : "\\U%08x", static_cast<unsigned>(*mark));
            out += buf;
        } else {
            out.append(text.substr(0, len));
        }
        text.remove_prefix(len);
    }
    return out;
}

namespace {

// The descriptor behind `out` when it is the process's standard output or error; -1 otherwise.
int standard_descriptor_of(const std::ostream& out) {
    if (&out == &std::cout) return STDOUT_FILENO;
    if (&out == &std::cerr || &out == &std::clog) return STDERR_FILENO;
    return -1;
}

void write_secret_bytes(std::ostream& out, ByteView bytes) {
    const int fd = standard_descriptor_of(out);
    if (fd < 0) {
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return;
    }
    // What the stream holds goes first, so the output keeps its order.
    out.flush();
    std::fflush(fd == STDOUT_FILENO ? stdout : stderr);
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            out.setstate(std::ios::badbit);
            return;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
}

} // namespace

void write_secret(std::ostream& out, const SecretBytes& secret) { write_secret_bytes(out, secret.view()); }

void write_json_secret(std::ostream& out, const SecretBytes& secret) {
    // The escapes of write_json_string; at most six bytes for one ("\u001f"), and the quotes.
    SecretBytes literal(secret.size() * 6 + 2);
    std::uint8_t* p = literal.data();
    *p++ = '"';
    for (std::uint8_t c : secret.view()) {
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = c;
        } else if (c < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            for (char e : {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]}) *p++ = static_cast<std::uint8_t>(e);
        } else {
            *p++ = c;
        }
    }
    *p++ = '"';
    write_secret_bytes(out, literal.view().first(static_cast<std::size_t>(p - literal.data())));
}

Status check_json_password(const SecretBytes& password, std::string_view account, JsonRefusal after) {
    if (is_utf8(password.text())) return {};
    return fail(ErrorCode::usage, i18n::fill(i18n::tr("the password of %s is not UTF-8 text, which JSON cannot carry"), {account}),
                after == JsonRefusal::check_out_held
                    ? i18n::fill(i18n::tr("the check-out is recorded and yours: `brankas checkin %s`, then check it out without --json, which shows it as it is"), {shell_word(account)})
                    : i18n::tr("the read is recorded; run it again without --json, which shows it as it is"));
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

std::string thousands(std::uint64_t n) {
    // TRANSLATORS: the mark between groups of three digits in a number a person reads
    // (1,234,567 bytes). Indonesian writes 1.234.567: its comma is the decimal mark.
    const std::string_view separator = i18n::tr(",");
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

std::string mebibytes(std::uint64_t bytes) {
    if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes >> 10) + " KiB";
}

std::string joined(const std::vector<std::string>& items, std::string_view none) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? std::string(none) : out;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths = column_widths(header);
    for (const auto& row : rows) widen(widths, row);
    if (!header.empty()) print_row(out, header, widths); // no header: a key-value listing
    for (const auto& row : rows) print_row(out, row, widths);
}

Result<std::size_t> print_table_in_two_passes(std::ostream& out, const std::vector<std::string>& header,
                                              const std::function<Status(const RowSink&)>& walk) {
    std::vector<std::size_t> widths = column_widths(header);
    std::size_t count = 0;
    BRANKAS_TRY(walk([&](const std::vector<std::string>& row) {
        widen(widths, row);
        ++count;
    }));
    if (count == 0) return count;
    if (!header.empty()) print_row(out, header, widths);
    BRANKAS_TRY(walk([&](const std::vector<std::string>& row) { print_row(out, row, widths); }));
    return count;
}

std::vector<std::size_t> column_widths(const std::vector<std::string>& header) {
    std::vector<std::size_t> widths;
    widen(widths, header);
    return widths;
}

namespace {

// Most cells are plain printable ASCII, which for_terminal leaves as it is and whose length is
// its size: a long listing skips the copy and the decoding for them.
bool plain_ascii(std::string_view text) {
    for (char c : text)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

} // namespace

void widen(std::vector<std::size_t>& widths, const std::vector<std::string>& row) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i)
        widths[i] = std::max(widths[i], plain_ascii(row[i]) ? row[i].size() : display_width(for_terminal(row[i])));
}

void print_cells(std::ostream& out, std::span<const std::string_view> cells, const std::vector<std::size_t>& widths, std::string& line) {
    line.clear(); // one write per line
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::size_t length = 0;
        if (plain_ascii(cells[i])) {
            line += cells[i];
            length = cells[i].size();
        } else {
            const std::string cell = for_terminal(cells[i]);
            line += cell;
            length = display_width(cell);
        }
        if (i + 1 < cells.size()) {
            const std::size_t width = i < widths.size() ? widths[i] : 0;
            line.append(width > length ? width - length + 2 : 2, ' ');
        }
    }
    line += '\n';
    out << line;
}

void print_row(std::ostream& out, const std::vector<std::string>& row, const std::vector<std::size_t>& widths) {
    std::vector<std::string_view> cells(row.begin(), row.end());
    std::string line;
    print_cells(out, cells, widths, line);
}

namespace {

// Every line after the first indented `depth` levels (two spaces each) further.
std::string indented(const std::string& text, int depth) {
    const std::string margin(static_cast<std::size_t>(2 * depth), ' ');
    std::string out;
    out.reserve(text.size() + 64);
    for (char c : text) {
        out += c;
        if (c == '\n') out += margin;
    }
    return out;
}

template <class Json>
Status write_members(std::ostream& out, const Json& object, const StreamedMembers& streamed) {
    bool first = true;
    for (const auto& [name, value] : object.items()) {
        // The member's name as the whole object's text has it (escaped as json_text escapes).
        out << (first ? "{\n  " : ",\n  ") << Json(name).dump(-1, ' ', false, Json::error_handler_t::replace) << ": ";
        first = false;
        auto stream = std::find_if(streamed.begin(), streamed.end(), [&](const auto& s) { return s.first == name; });
        if (stream == streamed.end()) {
            out << indented(value.dump(2, ' ', false, Json::error_handler_t::replace), 1);
            continue;
        }
        JsonArrayStream array(out, 1);
        BRANKAS_TRY(stream->second(array));
        array.finish();
    }
    out << (first ? "{}\n" : "\n}\n");
    return {};
}

} // namespace

void JsonArrayStream::element(const nlohmann::json& j) { element_text(json_text(j)); }

void JsonArrayStream::element_in_order(const nlohmann::ordered_json& j) {
    element_text(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

void JsonArrayStream::element_text(const std::string& text) {
    // Inside the array every line of the element is indented one level further than the array.
    out_ << (empty_ ? "[\n" : ",\n") << std::string(static_cast<std::size_t>(2 * (depth_ + 1)), ' ') << indented(text, depth_ + 1);
    empty_ = false;
}

void JsonArrayStream::finish() {
    if (empty_) out_ << "[]";
    else out_ << "\n" << std::string(static_cast<std::size_t>(2 * depth_), ' ') << "]";
    if (depth_ == 0) out_ << "\n";
}

Status write_json_object(std::ostream& out, const nlohmann::json& object, const StreamedMembers& streamed) {
    return write_members(out, object, streamed);
}

Status write_json_object(std::ostream& out, const nlohmann::ordered_json& object, const StreamedMembers& streamed) {
    return write_members(out, object, streamed);
}

std::string block_label(const char* english, std::size_t width) {
    std::string text = i18n::tr(english);
    std::size_t length = display_width(text);
    text.append(length < width ? width - length : 1, ' ');
    return text;
}

BlockLabels::BlockLabels(std::initializer_list<const char*> english, std::size_t minimum) : width_(minimum) {
    for (const char* label : english) width_ = std::max(width_, display_width(i18n::tr(label)) + 1);
}

std::string BlockLabels::lines(std::string_view value) const {
    std::string text;
    for (std::size_t at = 0; at <= value.size();) {
        std::size_t end = std::min(value.find('\n', at), value.size());
        std::string_view line = value.substr(at, end - at);
        if (at != 0) {
            text.append("\n").append(width_, ' ');
            line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
        }
        text.append(line);
        at = end + 1;
    }
    return text;
}

} // namespace brankas::cli
