// Listings that may be long (the audit log, the reports), written one row at a time: an
// aligned table for people, or JSON (one array), JSON Lines or CSV for programs. CSV follows
// RFC 4180 (libcsv quotes every field and doubles its quotes; rows end in CRLF) with one
// header row; a cell that a spreadsheet would run as a formula (starting with = + - @, a tab
// or a carriage return) gets a leading apostrophe.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace brankas::cli {

enum class ListingFormat { table, json, jsonl, csv };

// The format the flags ask for; ErrorCode::usage when more than one is given.
struct FormatFlags {
    bool json = false, jsonl = false, csv = false;
};
[[nodiscard]] bool pick_format(const FormatFlags& flags, ListingFormat& out);

// One CSV record: the cells quoted, then CRLF.
[[nodiscard]] std::string csv_record(const std::vector<std::string>& cells);
// A JSON value as a CSV cell: strings as they are, null as empty, everything else as JSON.
[[nodiscard]] std::string csv_cell(const nlohmann::ordered_json& value);

// Writes rows whose keys are `columns` (in that order) as JSON, JSON Lines or CSV.
class RecordWriter {
public:
    RecordWriter(std::ostream& out, ListingFormat format, std::vector<std::string> columns);
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;
    void write(const nlohmann::ordered_json& row);
    // Writes what is still due (the header, or the JSON array's end); called by the destructor.
    void finish();
    // After an error before the first row: nothing at all is written.
    void abandon() noexcept {
        if (first_) finished_ = true;
    }
    ~RecordWriter() { finish(); }

private:
    void begin();
    std::ostream& out_;
    ListingFormat format_;
    std::vector<std::string> columns_;
    bool first_ = true, finished_ = false;
};

// An aligned table that streams: the column widths are those of the first rows (up to a few
// hundred, buffered); later rows keep them, a wider cell only pushes its own line. Cells go
// through for_terminal.
class TableStream {
public:
    TableStream(std::ostream& out, std::vector<std::string> header);
    TableStream(const TableStream&) = delete;
    TableStream& operator=(const TableStream&) = delete;
    void row(std::vector<std::string> cells);
    void finish();
    // After an error: rows not yet printed are dropped (a table whose first error came before
    // any row prints nothing, not even its header).
    void abandon() noexcept { finished_ = true; }
    ~TableStream() { finish(); }

private:
    void print(const std::vector<std::string>& cells);
    void flush_buffer();

    std::ostream& out_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> buffer_;
    std::vector<std::size_t> width_;
    bool widths_fixed_ = false, finished_ = false;
};

} // namespace brankas::cli
