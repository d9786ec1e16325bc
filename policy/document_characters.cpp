#include "policy/document_characters.hpp"

#include <cstdio>
#include <string>

namespace brankas::policy {

namespace {

// One UTF-8 sequence: its code point and byte length; length 0 when the bytes at `i` are not
// well-formed UTF-8 (a stray continuation byte, a truncated or overlong sequence, a surrogate,
// or a value past U+10FFFF).
struct CodePoint {
    char32_t value = 0;
    std::size_t length = 0;
};

CodePoint decode_at(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b = byte(i);
    char32_t cp;
    std::size_t len;
    if (b < 0x80) return {b, 1};
    if (b >= 0xC2 && b <= 0xDF) cp = b & 0x1Fu, len = 2;
    else if (b >= 0xE0 && b <= 0xEF) cp = b & 0x0Fu, len = 3;
    else if (b >= 0xF0 && b <= 0xF4) cp = b & 0x07u, len = 4;
    else return {};
    if (i + len > s.size()) return {};
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) return {};
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return {};
    return {cp, len};
}

// Never in a policy, quoted or not: control characters (tab and line ends are handled by the
// caller), DEL, C1 controls, line and paragraph separators, and the marks that reorder text
// on a terminal or on paper.
bool refused_anywhere(char32_t c) {
    bool control = (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    bool separator = c == 0x2028 || c == 0x2029;
    bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F;
    return control || separator || bidi;
}

// What TOML's syntax is made of, outside strings and comments: bare keys, numbers, booleans,
// dates, and the punctuation of tables, arrays and inline tables.
bool is_syntax_character(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::u32string_view(U" \t_-.=[]{},\"'#+:").find(c) != std::u32string_view::npos;
}

std::string code_point_name(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

// How many times `quote` repeats from `i` on.
std::size_t run_of(std::string_view s, std::size_t i, char quote) {
    std::size_t n = 0;
    while (i + n < s.size() && s[i + n] == quote) ++n;
    return n;
}

} // namespace

std::optional<DocumentError> check_document_characters(std::string_view text) {
    // Where the scan is: TOML syntax, a comment, or one of the four kinds of string. Only the
    // delimiters matter here; whether the strings are well formed is for toml++ to say.
    enum class In { syntax, comment, basic, literal, multi_basic, multi_literal };
    In in = In::syntax;
    bool escaped = false; // the previous character was a backslash inside a basic string
    int line = 1;
    std::size_t i = 0;
    if (text.starts_with("\xEF\xBB\xBF")) i = 3; // a byte order mark, which toml++ skips
    while (i < text.size()) {
        CodePoint cp = decode_at(text, i);
        if (cp.length == 0) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
            return DocumentError{line, std::string("not UTF-8: the byte ") + byte + " does not begin a character"};
        }
        const char32_t c = cp.value;
        if (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))
            return DocumentError{line, "a carriage return that does not end a line"};
        if (c == '\n') {
            ++line;
            escaped = false;
            // A single-line string that reaches the end of its line is an error toml++ reports.
            if (in == In::comment || in == In::basic || in == In::literal) in = In::syntax;
            ++i;
            continue;
        }
        if (c != '\r' && refused_anywhere(c))
            return DocumentError{line, "the character " + code_point_name(c) +
                                           " (a control character, a line separator or a direction mark) has no place in a policy"};
        switch (in) {
        case In::syntax:
            if (c == '\r') break;
            if (c > 0x7F)
                return DocumentError{line, "the character " + code_point_name(c) +
                                               " is outside a quoted string or a comment: keys and values other than strings are ASCII"};
            if (!is_syntax_character(c))
                return DocumentError{line, std::string("the character '") + static_cast<char>(c) +
                                               "' is outside a quoted string or a comment, where TOML has no use for it"};
            if (c == '#') {
                in = In::comment;
            } else if (c == '"' || c == '\'') {
                bool multi = run_of(text, i, static_cast<char>(c)) >= 3;
                if (multi) {
                    in = c == '"' ? In::multi_basic : In::multi_literal;
                    i += 3;
                    continue;
                }
                in = c == '"' ? In::basic : In::literal;
            }
            break;
        case In::comment:
            break;
        case In::basic:
        case In::multi_basic:
            if (escaped) {
                escaped = false; // the escaped character is the string's, a quote included
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                if (in == In::basic) {
                    in = In::syntax;
                } else if (std::size_t n = run_of(text, i, '"'); n >= 3) {
                    // Up to two quotes may end the content just before the closing three.
                    in = In::syntax;
                    i += n;
                    continue;
                }
            }
            break;
        case In::literal:
            if (c == '\'') in = In::syntax;
            break;
        case In::multi_literal:
            if (std::size_t n = c == '\'' ? run_of(text, i, '\'') : 0; n >= 3) {
                in = In::syntax;
                i += n;
                continue;
            }
            break;
        }
        i += cp.length;
    }
    return std::nullopt;
}

} // namespace brankas::policy
