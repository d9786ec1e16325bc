#include "policy/document_syntax.hpp"

#include <cstdio>
#include <string>

namespace brankas::policy {

namespace {

// The messages are phrases of the catalogue (i18n::Phrase), as in document.cpp, so that a face
// says them in its reader's language.
using i18n::Phrase;
using i18n::tr_noop;

// ---- characters ----

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

// Never in a policy, quoted or not: control characters (tab and line ends aside), DEL, C1
// controls, line and paragraph separators, and the marks that reorder text on a terminal or
// on paper.
bool refused_anywhere(char32_t c) {
    bool control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
    bool separator = c == 0x2028 || c == 0x2029;
    bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F;
    return control || separator || bidi;
}

std::string code_point_name(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

// The whole document, character by character, before its shape is looked at.
std::optional<DocumentError> check_characters(std::string_view text) {
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        CodePoint cp = decode_at(text, i);
        if (cp.length == 0) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
            return error_of(line, Phrase(tr_noop("not UTF-8: the byte %s does not begin a character"), {Phrase::plain(byte)}));
        }
        if (cp.value == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))
            return error_of(line, Phrase(tr_noop("a carriage return that does not end a line")));
        if (refused_anywhere(cp.value))
            return error_of(line, Phrase(tr_noop("the character %s (a control character, a line separator or a direction mark) has no place "
                                                 "in a policy"),
                                         {Phrase::plain(code_point_name(cp.value))}));
        if (cp.value == '\n') ++line;
        i += cp.length;
    }
    return std::nullopt;
}

// ---- shape ----

constexpr int max_nesting = 16;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A recursive-descent recognizer: it builds nothing, it only walks the text and stops at the
// first place that leaves the grammar (document_syntax.hpp), which it names with its line.
class Recognizer {
public:
    explicit Recognizer(std::string_view text) : s_(text) {}

    std::optional<DocumentError> run() {
        if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3; // a byte order mark, which toml++ skips too
        while (!at_end()) {
            skip_blanks();
            if (newline()) continue;
            if (at_end()) break;
            if (peek() == '#') {
                skip_comment();
                continue;
            }
            if (!(peek() == '[' ? table_header() : key_value(0)) || !line_end()) break;
        }
        return error_;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
    int line_ = 1;
    std::optional<DocumentError> error_;

    // -- moving through the text --
    bool at_end() const { return i_ >= s_.size(); }
    char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
    bool starts(std::string_view s) const { return s_.substr(i_).starts_with(s); }
    bool at_line_end() const { return at_end() || peek() == '\n' || (peek() == '\r' && peek(1) == '\n'); }
    void skip_blanks() {
        while (peek() == ' ' || peek() == '\t') ++i_;
    }
    bool newline() {
        std::size_t length = peek() == '\n' ? 1 : (peek() == '\r' && peek(1) == '\n') ? 2 : 0;
        if (length == 0) return false;
        i_ += length;
        ++line_;
        return true;
    }
    void skip_comment() { // at '#'; its characters were checked with the rest
        while (!at_line_end()) ++i_;
    }
    std::size_t run_of(char quote) const {
        std::size_t n = 0;
        while (peek(n) == quote) ++n;
        return n;
    }

    // What stands at the current place, for a message.
    Phrase here() const {
        if (at_end()) return Phrase(tr_noop("the end of the document"));
        if (at_line_end()) return Phrase(tr_noop("the end of the line"));
        auto b = static_cast<unsigned char>(peek());
        if (b >= 0x80) return Phrase(tr_noop("the character %s"), {Phrase::plain(code_point_name(decode_at(s_, i_).value))});
        if (b == '\t') return Phrase(tr_noop("a tab"));
        return Phrase::plain(std::string("'") + static_cast<char>(b) + "'");
    }
    // What was expected, and what stands here instead: "expected ..., not %s".
    bool expected(const char* message) { return fail(Phrase(message, {here()})); }
    bool fail(Phrase message) { return fail_at(line_, std::move(message)); }
    bool fail_at(int line, Phrase message) {
        if (!error_) error_ = error_of(line, Phrase(tr_noop("not valid TOML: %s"), {std::move(message)}));
        return false;
    }

    // -- lines --
    bool line_end() {
        skip_blanks();
        if (peek() == '#') skip_comment();
        if (at_end() || newline()) return true;
        return expected(tr_noop("expected the end of the line or a comment, not %s"));
    }

    bool table_header() {
        ++i_; // '['
        bool array = peek() == '[';
        if (array) ++i_;
        skip_blanks();
        if (!key()) return false;
        skip_blanks();
        if (peek() != ']') return expected(tr_noop("expected ']' to close the table header, not %s"));
        ++i_;
        if (array && peek() != ']') return expected(tr_noop("expected ']]' to close the header of an array of tables, not %s"));
        if (array) ++i_;
        return true;
    }

    bool key_value(int depth) {
        if (!key()) return false;
        skip_blanks();
        if (peek() != '=') return expected(tr_noop("expected '=' after the key, not %s"));
        ++i_;
        skip_blanks();
        return value(depth);
    }

    // -- keys --
    bool key() {
        for (;;) {
            if (!simple_key()) return false;
            skip_blanks();
            if (peek() != '.') return true;
            ++i_;
            skip_blanks();
        }
    }

    bool simple_key() {
        char c = peek();
        if (is_bare_key_character(c)) {
            while (is_bare_key_character(peek())) ++i_;
            return true;
        }
        if ((c == '"' || c == '\'') && run_of(c) >= 3) return fail(Phrase(tr_noop("a key cannot be a multi-line string")));
        if (c == '"') return basic_string();
        if (c == '\'') return literal_string();
        return expected(tr_noop("expected a key (letters, digits, '_' and '-', or a quoted key), not %s"));
    }

    // -- values --
    bool value(int depth) {
        char c = peek();
        if (c == '"') return (run_of('"') >= 3 ? multi_line_basic_string() : basic_string()) && ends_value();
        if (c == '\'') return (run_of('\'') >= 3 ? multi_line_literal_string() : literal_string()) && ends_value();
        if (c == 't') return word("true");
        if (c == 'f') return word("false");
        if (c == '[') return list(depth + 1);
        if (c == '{') return inline_table(depth + 1);
        if (c == '+' || c == '-' || is_digit(c)) return number();
        return expected_value();
    }

    bool expected_value() {
        return expected(tr_noop("expected a value (a quoted string, true, false, a number, a list in [ ] or a table in { }), not %s"));
    }

    // After a value: blanks, a separator, a closing bracket, a comment or the end of the line.
    bool ends_value() {
        char c = peek();
        if (at_line_end() || c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}' || c == '#') return true;
        return expected(tr_noop("expected the end of the value, not %s"));
    }

    bool word(std::string_view w) {
        if (!starts(w)) return expected_value();
        i_ += w.size();
        return ends_value();
    }

    // Decimal digits with single '_' between them; at least one digit.
    bool digits() {
        if (!is_digit(peek())) return false;
        ++i_;
        for (;;) {
            if (is_digit(peek())) ++i_;
            else if (peek() == '_' && is_digit(peek(1))) i_ += 2;
            else return true;
        }
    }

    // A decimal integer or float. No date or time (a policy has none: a duration is a string,
    // and toml++'s date and time readers fail assertions on malformed ones), and no hexadecimal,
    // octal, binary, inf or nan.
    bool number() {
        // What is wrong with the number, in a sentence that says what a number in a policy is.
        auto refuse = [&](Phrase what) {
            return fail(Phrase(tr_noop("a number in a policy is a decimal integer or fraction (a policy holds no date or time, and a "
                                       "duration is a string such as \"7d\"), not %s"),
                               {std::move(what)}));
        };
        if (peek() == '+' || peek() == '-') ++i_;
        if (peek() == '0') {
            ++i_;
            if (is_digit(peek()) || peek() == '_') return refuse(Phrase(tr_noop("a number with a leading zero")));
        } else if (!digits()) {
            return refuse(here());
        }
        if (peek() == '.') {
            ++i_;
            if (!digits()) return refuse(Phrase(tr_noop("%s after its '.'"), {here()}));
        }
        if (peek() == 'e' || peek() == 'E') {
            ++i_;
            if (peek() == '+' || peek() == '-') ++i_;
            if (!digits()) return refuse(Phrase(tr_noop("%s in its exponent"), {here()}));
        }
        char c = peek();
        if (at_line_end() || c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}' || c == '#') return true;
        return refuse(Phrase(tr_noop("%s after its digits"), {here()}));
    }

    bool list(int depth) {
        if (depth > max_nesting) return fail(Phrase(tr_noop("lists and inline tables nest more than %s deep"), {Phrase::plain(std::to_string(max_nesting))}));
        ++i_; // '['
        for (;;) {
            skip_list_space();
            if (peek() == ']') break;
            if (!value(depth)) return false;
            skip_list_space();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() == ']') break;
            return expected(tr_noop("expected ',' or ']' in the list, not %s"));
        }
        ++i_; // ']'
        return ends_value();
    }

    // Between a list's values: blanks, comments and line ends.
    void skip_list_space() {
        for (;;) {
            skip_blanks();
            if (peek() == '#') skip_comment();
            if (!newline()) return;
        }
    }

    bool inline_table(int depth) {
        if (depth > max_nesting) return fail(Phrase(tr_noop("lists and inline tables nest more than %s deep"), {Phrase::plain(std::to_string(max_nesting))}));
        ++i_; // '{'
        skip_blanks();
        if (peek() != '}') {
            for (;;) {
                if (!key_value(depth)) return false;
                skip_blanks();
                if (peek() == '}') break;
                if (peek() != ',') return expected(tr_noop("expected ',' or '}' in the inline table, not %s"));
                ++i_;
                skip_blanks();
            }
        }
        ++i_; // '}'
        return ends_value();
    }

    // -- strings --
    bool escape() { // at '\'
        ++i_;
        char c = peek();
        if (c == 'b' || c == 't' || c == 'n' || c == 'f' || c == 'r' || c == '"' || c == '\\') {
            ++i_;
            return true;
        }
        if (c == 'u' || c == 'U') {
            std::size_t count = c == 'u' ? 4 : 8;
            ++i_;
            char32_t value = 0;
            for (std::size_t k = 0; k < count; ++k) {
                char h = peek();
                if (!is_hex_digit(h))
                    return fail(Phrase(tr_noop("\\%1$s takes %2$s hexadecimal digits"), {Phrase::plain(std::string(1, c)), Phrase::plain(std::to_string(count))}));
                value = value * 16 + static_cast<char32_t>(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
                ++i_;
            }
            if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
                return fail(Phrase(tr_noop("the escape %s is not a Unicode character"), {Phrase::plain(code_point_name(value))}));
            return true;
        }
        return expected(tr_noop("a backslash in a string begins \\b, \\t, \\n, \\f, \\r, \\\", \\\\, \\uXXXX or \\UXXXXXXXX, not %s"));
    }

    bool basic_string() {
        ++i_; // '"'
        for (;;) {
            if (at_line_end()) return fail(Phrase(tr_noop("the string is not closed on its line")));
            if (peek() == '"') {
                ++i_;
                return true;
            }
            if (peek() == '\\') {
                if (!escape()) return false;
            } else {
                ++i_;
            }
        }
    }

    bool literal_string() {
        ++i_; // '\''
        for (;;) {
            if (at_line_end()) return fail(Phrase(tr_noop("the string is not closed on its line")));
            if (peek() == '\'') {
                ++i_;
                return true;
            }
            ++i_;
        }
    }

    // The closing delimiter of a multi-line string may follow up to two quotes of its content.
    bool closes(char quote, int opened_on) {
        std::size_t n = run_of(quote);
        if (n > 5) return fail(Phrase(tr_noop("more quotes than close the multi-line string opened on line %s"), {Phrase::plain(std::to_string(opened_on))}));
        i_ += n;
        return true;
    }

    // After a backslash that ends a line, toml++ skips blanks and line ends and asks of the
    // first other character whether it is a blank, from its table of Unicode blanks: for every
    // character of U+00A1..U+0499, U+2C5E..U+2FFF, U+3001..U+3057 and U+FB26..U+FEFE that table
    // reaches __builtin_unreachable. So the text must go on with an ASCII character there; a
    // letter beyond ASCII can be written as a \u escape.
    bool joined_line_goes_on() {
        for (;;) {
            skip_blanks();
            if (!newline()) break;
        }
        if (static_cast<unsigned char>(peek()) < 0x80) return true;
        return fail(Phrase(tr_noop("after a backslash that ends a line, the string must go on with an ASCII character (write %s as a "
                                   "\\u escape)"),
                           {here()}));
    }

    bool multi_line_basic_string() {
        const int opened_on = line_;
        i_ += 3;
        for (;;) {
            if (at_end()) return fail_at(opened_on, Phrase(tr_noop("the multi-line string opened here is never closed")));
            char c = peek();
            if (c == '"' && run_of('"') >= 3) return closes('"', opened_on);
            if (newline()) continue;
            if (c == '\\') {
                // A backslash at the end of a line joins it to the next.
                std::size_t after = i_ + 1;
                while (after < s_.size() && (s_[after] == ' ' || s_[after] == '\t')) ++after;
                if (after < s_.size() && (s_[after] == '\n' || (s_[after] == '\r' && after + 1 < s_.size() && s_[after + 1] == '\n'))) {
                    i_ = after;
                    if (!joined_line_goes_on()) return false;
                    continue;
                }
                if (!escape()) return false;
                continue;
            }
            ++i_;
        }
    }

    bool multi_line_literal_string() {
        const int opened_on = line_;
        i_ += 3;
        for (;;) {
            if (at_end()) return fail_at(opened_on, Phrase(tr_noop("the multi-line string opened here is never closed")));
            if (peek() == '\'' && run_of('\'') >= 3) return closes('\'', opened_on);
            if (!newline()) ++i_;
        }
    }
};

} // namespace

bool is_bare_key_character(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-';
}

std::optional<DocumentError> check_document_syntax(std::string_view text) {
    if (auto bad = check_characters(text)) return bad;
    return Recognizer(text).run();
}

} // namespace brankas::policy
