// Big-endian, length-prefixed binary encoding used for everything Brankas hashes, signs or
// encrypts (docs/formats.md, "Primitive encodings"). The reader never trusts a length: each
// read is checked against the bytes that are actually left.
#pragma once

#include "vault/crypto/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

class ByteWriter {
public:
    ByteWriter& u8(std::uint8_t v);
    ByteWriter& u16(std::uint16_t v);
    ByteWriter& u32(std::uint32_t v);
    ByteWriter& u64(std::uint64_t v);
    ByteWriter& i64(std::int64_t v);
    ByteWriter& raw(ByteView bytes);
    // u8 length + bytes (at most 255); u16 length + bytes; u32 length + bytes.
    ByteWriter& str8(std::string_view s);
    ByteWriter& str16(std::string_view s);
    ByteWriter& bytes32(ByteView bytes);

    [[nodiscard]] const Bytes& bytes() const& noexcept { return out_; }
    [[nodiscard]] Bytes take() && noexcept { return std::move(out_); }

private:
    Bytes out_;
};

class ByteReader {
public:
    explicit ByteReader(ByteView in) : in_(in) {}

    [[nodiscard]] std::optional<std::uint8_t> u8();
    [[nodiscard]] std::optional<std::uint16_t> u16();
    [[nodiscard]] std::optional<std::uint32_t> u32();
    [[nodiscard]] std::optional<std::uint64_t> u64();
    [[nodiscard]] std::optional<std::int64_t> i64();
    // Views into the input (valid as long as the input is); false when fewer bytes are left.
    [[nodiscard]] bool raw(std::size_t n, ByteView& out);
    [[nodiscard]] bool raw_into(std::span<std::uint8_t> out);
    [[nodiscard]] std::optional<std::string> str8(std::size_t max_len = 255);
    [[nodiscard]] std::optional<std::string> str16(std::size_t max_len = 0xffff);
    [[nodiscard]] bool bytes32(std::size_t max_len, ByteView& out);

    [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }
    [[nodiscard]] bool at_end() const noexcept { return pos_ == in_.size(); }

private:
    ByteView in_;
    std::size_t pos_ = 0;
};

// True when `s` is well-formed UTF-8 without control characters (C0, DEL, C1): names,
// institutions and targets are printed to terminals, so they must not carry escapes.
[[nodiscard]] bool is_printable_utf8(std::string_view s);
// The byte length of the well-formed UTF-8 code point that starts `s`, or 0 if none does; its
// value in `cp`.
[[nodiscard]] std::size_t code_point_length(std::string_view s, std::uint32_t& cp);
// The byte length of the printable code point that starts `s`, or 0 if none does.
[[nodiscard]] std::size_t printable_code_point_length(std::string_view s);
// True when `s` is well-formed UTF-8, control characters allowed: text that JSON can carry.
[[nodiscard]] bool is_utf8(std::string_view s);
// `bytes` without a UTF-8 byte order mark (EF BB BF, U+FEFF) at the start: the mark Windows
// Notepad and spreadsheets write at the head of a file, which no one typed.
[[nodiscard]] ByteView without_bom(ByteView bytes);
// Length in code points (what a person counts as characters); stray bytes count as one each.
[[nodiscard]] std::size_t utf8_length(std::string_view s);
// `text` as one word of a shell command a person copies from a hint: as it is when the shell
// takes every character literally (letters, digits and . _ - / @ + , : = %), else in single
// quotes, a quote inside written '\'' ("brankas rotate 'facebook/panwascam jenangan'"); a word
// holding a byte a terminal must not be sent (a control character, a byte that is not UTF-8, a
// character that reorders or hides text: field_rules' hidden_mark_at) in $'...', each such byte as
// \xNN, so that the word still prints as plain ASCII and, copied, names the same bytes
// ("shred -u $'akun\xe2\x80\xaevsc.csv'").
[[nodiscard]] std::string shell_word(std::string_view text);

} // namespace brankas
