// Listings that may be long (the audit log, the reports), written one row at a time: an
// aligned table for people, or JSON (one array), JSON Lines or CSV for programs
// (faces/records.hpp, which the browser's downloads share).
#pragma once

#include "faces/records.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace brankas::cli {

// The format the flags ask for; ErrorCode::usage when more than one is given.
struct FormatFlags {
    bool json = false, jsonl = false, csv = false;
};
[[nodiscard]] bool pick_format(const FormatFlags& flags, ListingFormat& out);

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
