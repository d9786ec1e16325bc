// How many columns of a terminal a text takes: what lines a table's columns up when a name
// carries a combining accent ("Jose" and U+0301) or is written in a wide script (Chinese,
// Japanese, Korean, most emoji).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace brankas::cli {

// The columns a terminal gives one code point: 0 for a combining mark or an invisible format
// character, 2 for an East Asian wide or fullwidth character, 1 for any other.
[[nodiscard]] std::size_t code_point_columns(std::uint32_t cp);

// The columns of `text`, the sum of its code points'; a byte that starts no well-formed code
// point counts as one column. Text shown to a person is measured after for_terminal, which writes
// such a byte as \xNN and an invisible mark (U+202E) as \u202e: their escapes take their columns.
[[nodiscard]] std::size_t display_width(std::string_view text);

} // namespace brankas::cli
