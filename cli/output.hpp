// Output helpers: times for people (local) and machines (ISO 8601 UTC), aligned tables that
// fit a terminal.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brankas::cli {

// Times a person reads are in the policy's zone: faces/dates.hpp (format_zoned and the rest).
// "2026-11-23T07:05:09.123456Z"
[[nodiscard]] std::string iso_utc(std::int64_t unix_us);
[[nodiscard]] std::string mebibytes(std::uint64_t bytes);
// "1,234,567": digits grouped by three, as the CLI prints counts and sizes, with the reader's
// language's mark ("1.234.567" in Indonesian).
[[nodiscard]] std::string thousands(std::uint64_t n);

// Text from the vault is input from other people (anyone holding K_db can edit the store, and an
// older log may hold what the rules refuse now): control characters and invalid UTF-8 are shown as
// \xNN, never sent to the terminal, and a character that would print as nothing yet reorder or hide
// the text around it (field_rules' hidden_mark_at: U+202E, U+200B, U+2066 ...) as \u202e
// (\U000e0001 beyond U+FFFF). Machine output (--json, --jsonl, --csv) keeps the bytes as stored.
[[nodiscard]] std::string for_terminal(std::string_view text);
// JSON text; invalid UTF-8 in a value becomes U+FFFD instead of an exception.
[[nodiscard]] std::string json_text(const nlohmann::json& j, int indent = 2);

// Writes a secret's bytes straight from secure memory to `out` (never through a std::string).
// When `out` is the process's standard output or error, what the stream already holds is
// flushed first and the secret then goes to the file descriptor with write(2): the C library's
// stdio buffer, which keeps whatever passed through it until the process ends, never holds a
// copy. Any other stream (a test's string stream) is written to as it is.
void write_secret(std::ostream& out, const brankas::SecretBytes& secret);
// The same for a secret as a JSON string literal, escaped in secure memory.
void write_json_secret(std::ostream& out, const brankas::SecretBytes& secret);
// What was recorded before a password that JSON cannot carry was found: the hint says what to do.
enum class JsonRefusal { read_recorded, check_out_held };
// Refuses, before any of the output is written, a password of `account` that JSON cannot carry:
// one that is not UTF-8 (stored before brankas refused such a password). The plain output shows it.
[[nodiscard]] brankas::Status check_json_password(const brankas::SecretBytes& password, std::string_view account, JsonRefusal after);

// Writes `text` as a JSON string literal straight to `out`, character by character, so a
// secret on its way to stdout is never copied into a std::string.
void write_json_string(std::ostream& out, std::string_view text);

// "a, b, c", or `none` for none: "-" in a table, "" in machine output (--json, --csv).
[[nodiscard]] std::string joined(const std::vector<std::string>& items, std::string_view none = "-");

// Columns padded to their widest cell, in terminal columns (cli/display_width.hpp: an accent
// that combines takes none, a wide character two); the last column is not padded. Cells go through
// for_terminal.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// The label of a line in a block of "Label        value" lines (status, a backup's report),
// translated and padded to `width` columns so the values line up in every language.
[[nodiscard]] std::string block_label(const char* english, std::size_t width = 13);

// The labels of one block, all padded to one width: the longest label's, as translated, and a
// space, but never less than `minimum` (the English blocks' 13). A translation longer than the
// English ("Head" is "Kepala rantai") so moves every value of its block, not its own line only.
class BlockLabels {
public:
    BlockLabels(std::initializer_list<const char*> english, std::size_t minimum = 13);
    [[nodiscard]] std::string operator()(const char* english) const { return block_label(english, width_); }
    // A value of several lines, each line after the first moved to where the values start (the
    // spaces a message puts in front of it replaced).
    [[nodiscard]] std::string lines(std::string_view value) const;

private:
    std::size_t width_;
};

// The same table for rows too many to hold: measure every row first (column_widths, then widen
// with each), then print the header and each row with print_row. The bytes are print_table's.
[[nodiscard]] std::vector<std::size_t> column_widths(const std::vector<std::string>& header);
void widen(std::vector<std::size_t>& widths, const std::vector<std::string>& row);
void print_row(std::ostream& out, const std::vector<std::string>& row, const std::vector<std::size_t>& widths);
// print_row for cells that are views (a row of thousands printed without a string per cell),
// the line built in `line`, which a caller may keep from one row to the next.
void print_cells(std::ostream& out, std::span<const std::string_view> cells, const std::vector<std::size_t>& widths, std::string& line);

// print_table for a listing read twice instead of held: `walk` reads the rows and hands each to
// the sink it is given; it is called twice, first to measure the columns, then to print. Returns
// the number of rows of the first pass; with none, nothing is printed, not even the header. A
// row added between the passes prints in its place, pushing only its own line.
using RowSink = std::function<void(const std::vector<std::string>&)>;
[[nodiscard]] Result<std::size_t> print_table_in_two_passes(std::ostream& out, const std::vector<std::string>& header,
                                                            const std::function<Status(const RowSink&)>& walk);

// A JSON array written element by element, byte for byte what json_text(array) and a newline
// would print for the whole array at once; at `depth` 1, what write_json_object prints for it as
// the value of a member (no newline after it).
class JsonArrayStream {
public:
    explicit JsonArrayStream(std::ostream& out, int depth = 0) : out_(out), depth_(depth) {}
    JsonArrayStream(const JsonArrayStream&) = delete;
    JsonArrayStream& operator=(const JsonArrayStream&) = delete;
    void element(const nlohmann::json& j);
    // An object element whose members keep the order they were given in.
    void element_in_order(const nlohmann::ordered_json& j);
    // Closes the array. Not called after an error, so the text a failed listing leaves is
    // not a complete array.
    void finish();

private:
    void element_text(const std::string& text);
    std::ostream& out_;
    int depth_;
    bool empty_ = true;
};

// json_text(object) and a newline, written member by member, in the object's order: a member
// named in `streamed` (whose value in `object` only holds its place) is an array that its
// function writes element by element into the stream it is given, so that a list of any length
// is never held whole. The first error a function returns stops the writing (the text left is
// not a complete object).
using StreamedMembers = std::vector<std::pair<std::string_view, std::function<Status(JsonArrayStream&)>>>;
[[nodiscard]] Status write_json_object(std::ostream& out, const nlohmann::json& object, const StreamedMembers& streamed);
[[nodiscard]] Status write_json_object(std::ostream& out, const nlohmann::ordered_json& object, const StreamedMembers& streamed);

} // namespace brankas::cli
