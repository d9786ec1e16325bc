// Listings for programs, written one row at a time: JSON (one array), JSON Lines or CSV. Both
// faces write them (the command line's `--csv`, the browser's downloads), so that the same
// listing is the same bytes wherever it is taken. CSV follows RFC 4180 (libcsv quotes every
// field and doubles its quotes; rows end in CRLF) with one header row; a cell that a
// spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a
// leading apostrophe.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace brankas {

enum class ListingFormat { table, json, jsonl, csv };

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

} // namespace brankas
