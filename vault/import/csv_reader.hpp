// Reading the CSV files people export from spreadsheets and from KeePassXC, with libcsv. The
// files hold passwords, so every buffer a field passes through is secure memory that is wiped:
// the file itself (the caller's SecretBytes), libcsv's own field buffer (allocated through
// sodium_malloc) and the record the callback sees.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/encoding.hpp" // without_bom, for the file read
#include "vault/error.hpp"

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace brankas {

// One record: its fields (views into secure memory, valid during the callback only) and the
// line of the file it starts on (1-based; a quoted field may span lines).
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string_view> fields;
};

// ',' or ';': whichever occurs more often outside quotes on the first line (a spreadsheet in
// an Indonesian locale saves with ';', because ',' is its decimal separator). ',' on a tie.
[[nodiscard]] char detect_delimiter(ByteView file);

// Calls `visit` for every record in order; a record whose every field is empty (a blank
// line, or a row of empty cells) is skipped. A quote left open at the end of the file is an
// error (ErrorCode::usage) naming the line where its record starts. Stops at the first
// error `visit` returns.
[[nodiscard]] Status read_csv(ByteView file, char delimiter, const std::function<Status(const CsvRecord&)>& visit);

// Bytes copied by growing field buffers in this thread so far. A cell of n bytes costs less than
// 2n, whatever its size: the reader's time is linear in the file (what the tests check, without
// a clock).
[[nodiscard]] std::uint64_t csv_growth_copies() noexcept;

} // namespace brankas
