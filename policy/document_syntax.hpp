// What a policy document must look like before the TOML parser sees it. toml++ 3.3.0 (Debian's)
// trusts the shape of its input in dozens of places: its assertions (assumptions the compiler
// relies on, in Debian's build) fail on a non-ASCII letter where a key belongs (U+01D7 reaches
// __builtin_unreachable in its whitespace table), on a table header that does not begin with a
// key ("[`a]"), on a date followed by a letter, on a '}' where a list expects a value. A stored
// policy is parsed again by every auditor's `audit verify`, so the document is first recognized
// here against the part of TOML a policy is written in, and toml++ only ever reads text that
// is well formed in that part.
#pragma once

#include "policy/document.hpp"

#include <optional>
#include <string_view>

namespace brankas::policy {

// The grammar (TOML 1.0, less what no policy holds):
//   * UTF-8, without control characters (tab and line ends aside), DEL, C1 controls, line or
//     paragraph separators or bidirectional marks; a line ends in LF or CRLF; a byte order
//     mark may begin the document;
//   * lines that are blank, a comment, a table header ([a.b] or [[a.b]]) or key = value, each
//     optionally followed by a comment; keys bare (A-Z a-z 0-9 _ -) or quoted, dotted;
//   * values: the four kinds of string (escapes checked), true, false, decimal integers and
//     floats, lists (over several lines, with comments and a trailing comma) and inline tables,
//     nested at most 16 deep. No date, time, hexadecimal, octal, binary, inf or nan;
//   * in a multi-line basic string, the text after a backslash that ends a line (and the blanks
//     and line ends it joins) goes on with an ASCII character: toml++'s table of Unicode blanks
//     reaches __builtin_unreachable there for U+00A1..U+0499 and three other ranges.
// The first place the document leaves it, with its line (a message beginning "not valid
// TOML"), or nullopt. Keys defined twice and the like are toml++'s to find.
[[nodiscard]] std::optional<DocumentError> check_document_syntax(std::string_view text);

// A character of a bare key: A-Z a-z 0-9 _ -.
[[nodiscard]] bool is_bare_key_character(char c) noexcept;

} // namespace brankas::policy
