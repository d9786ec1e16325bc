// What a policy document may hold before the TOML parser sees it. toml++ 3.3.0 (Debian's) has
// undefined behaviour on some characters where TOML syntax is expected: a non-ASCII letter
// such as U+01D7 reaches __builtin_unreachable in its whitespace table, and a backtick in a
// table header fails one of its assertions. A stored policy is parsed again by every auditor's
// `audit verify`, so those characters are refused here, with their line, and never reach it.
#pragma once

#include "policy/document.hpp"

#include <optional>
#include <string_view>

namespace brankas::policy {

// The first character the document may not hold, or nullopt. The document must be UTF-8
// without control characters (tab and line ends aside), DEL, C1 controls, line or paragraph
// separators or bidirectional overrides; outside quoted strings and comments, only the ASCII
// characters of TOML's syntax (letters, digits, space, tab and _ - . = [ ] { } , " ' # + :).
[[nodiscard]] std::optional<DocumentError> check_document_characters(std::string_view text);

} // namespace brankas::policy
