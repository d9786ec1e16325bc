#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace brankas {

ByteWriter& ByteWriter::u8(std::uint8_t v) {
    out_.push_back(v);
    return *this;
}
ByteWriter& ByteWriter::u16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v));
    return *this;
}
ByteWriter& ByteWriter::u32(std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(v >> shift));
    return *this;
}
ByteWriter& ByteWriter::u64(std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(v >> shift));
    return *this;
}
ByteWriter& ByteWriter::i64(std::int64_t v) {
    return u64(static_cast<std::uint64_t>(v)); // two's complement, as docs/formats.md says
}
ByteWriter& ByteWriter::raw(ByteView bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
}
ByteWriter& ByteWriter::str8(std::string_view s) {
    // Callers validate lengths first; truncating silently would change what is signed.
    if (s.size() > 0xff) throw std::length_error("str8 longer than 255 bytes");
    return u8(static_cast<std::uint8_t>(s.size())).raw(as_bytes(s));
}
ByteWriter& ByteWriter::str16(std::string_view s) {
    if (s.size() > 0xffff) throw std::length_error("str16 longer than 65535 bytes");
    return u16(static_cast<std::uint16_t>(s.size())).raw(as_bytes(s));
}
ByteWriter& ByteWriter::bytes32(ByteView bytes) {
    if (bytes.size() > 0xffffffffu) throw std::length_error("bytes32 longer than 4 GiB");
    return u32(static_cast<std::uint32_t>(bytes.size())).raw(bytes);
}

bool ByteReader::raw(std::size_t n, ByteView& out) {
    if (n > remaining()) return false;
    out = in_.subspan(pos_, n);
    pos_ += n;
    return true;
}

bool ByteReader::raw_into(std::span<std::uint8_t> out) {
    ByteView bytes;
    if (!raw(out.size(), bytes)) return false;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
}

namespace {
template <typename T>
std::optional<T> read_be(ByteReader& r, std::size_t n) {
    ByteView bytes;
    if (!r.raw(n, bytes)) return std::nullopt;
    T v = 0;
    for (std::uint8_t b : bytes) v = static_cast<T>(v << 8 | b);
    return v;
}
} // namespace

std::optional<std::uint8_t> ByteReader::u8() { return read_be<std::uint8_t>(*this, 1); }
std::optional<std::uint16_t> ByteReader::u16() { return read_be<std::uint16_t>(*this, 2); }
std::optional<std::uint32_t> ByteReader::u32() { return read_be<std::uint32_t>(*this, 4); }
std::optional<std::uint64_t> ByteReader::u64() { return read_be<std::uint64_t>(*this, 8); }
std::optional<std::int64_t> ByteReader::i64() {
    auto v = u64();
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
}

std::optional<std::string> ByteReader::str8(std::size_t max_len) {
    auto len = u8();
    if (!len || *len > max_len) return std::nullopt;
    ByteView bytes;
    if (!raw(*len, bytes)) return std::nullopt;
    return std::string(bytes.begin(), bytes.end());
}

std::optional<std::string> ByteReader::str16(std::size_t max_len) {
    auto len = u16();
    if (!len || *len > max_len) return std::nullopt;
    ByteView bytes;
    if (!raw(*len, bytes)) return std::nullopt;
    return std::string(bytes.begin(), bytes.end());
}

bool ByteReader::bytes32(std::size_t max_len, ByteView& out) {
    auto len = u32();
    if (!len || *len > max_len) return false;
    return raw(*len, out);
}

std::size_t code_point_length(std::string_view s, std::uint32_t& cp) {
    if (s.empty()) return 0;
    auto c = static_cast<unsigned char>(s[0]);
    cp = 0;
    std::size_t len = 0;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xe0) == 0xc0) { cp = c & 0x1f; len = 2; }
    else if ((c & 0xf0) == 0xe0) { cp = c & 0x0f; len = 3; }
    else if ((c & 0xf8) == 0xf0) { cp = c & 0x07; len = 4; }
    else return 0;
    if (len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        auto cc = static_cast<unsigned char>(s[k]);
        if ((cc & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (cc & 0x3f);
    }
    // Reject overlong forms, surrogates and out-of-range code points.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

std::size_t printable_code_point_length(std::string_view s) {
    std::uint32_t cp = 0;
    const std::size_t len = code_point_length(s, cp);
    if (len == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) return 0;
    return len;
}

bool is_utf8(std::string_view s) {
    while (!s.empty()) {
        std::uint32_t cp = 0;
        const std::size_t len = code_point_length(s, cp);
        if (len == 0) return false;
        s.remove_prefix(len);
    }
    return true;
}

bool is_printable_utf8(std::string_view s) {
    while (!s.empty()) {
        std::size_t len = printable_code_point_length(s);
        if (len == 0) return false;
        s.remove_prefix(len);
    }
    return true;
}

std::string shell_word(std::string_view text) {
    auto literal = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("._-/@+,:=%").find(c) != std::string_view::npos;
    };
    if (!text.empty() && std::all_of(text.begin(), text.end(), literal)) return std::string(text);
    // The length of the code point that starts `s` when a terminal shows it as it is; 0 for a
    // control byte, a byte that is not UTF-8, or a character that prints as nothing yet reorders
    // or hides the text around it (hidden_mark_at).
    auto shown_as_is = [](std::string_view s) -> std::size_t {
        const std::size_t len = printable_code_point_length(s);
        return len != 0 && hidden_mark_at(s) ? 0 : len;
    };
    // Such a character would reach the reader's terminal, or be shown escaped and copied as the
    // escape: a word that holds one goes in $'...', those bytes as \xNN, which the shell turns
    // back into the bytes themselves (a backslash or a quote there written \\ or \').
    std::string escaped = "$'";
    bool any_escaped = false;
    for (std::string_view rest = text; !rest.empty();) {
        if (const std::size_t len = shown_as_is(rest); len != 0) {
            for (char c : rest.substr(0, len)) {
                if (c == '\\' || c == '\'') escaped += '\\';
                escaped += c;
            }
            rest.remove_prefix(len);
            continue;
        }
        static constexpr char hex[] = "0123456789abcdef";
        const auto b = static_cast<unsigned char>(rest.front());
        escaped += {'\\', 'x', hex[b >> 4], hex[b & 0xf]};
        any_escaped = true;
        rest.remove_prefix(1);
    }
    if (any_escaped) return escaped + "'";
    std::string quoted = "'"; // a quote inside written '\''
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
    return n;
}

ByteView without_bom(ByteView bytes) {
    static constexpr std::uint8_t bom[] = {0xef, 0xbb, 0xbf};
    if (bytes.size() >= std::size(bom) && std::equal(std::begin(bom), std::end(bom), bytes.begin())) return bytes.subspan(std::size(bom));
    return bytes;
}

} // namespace brankas
