#include "faces/records.hpp"

#include <csv.h>

#include <ostream>

namespace brankas {

std::string csv_record(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string cell = cells[i];
        // A spreadsheet runs a cell starting with these as a formula (CSV injection).
        if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) cell.insert(0, 1, '\'');
        // Quoted, every quote doubled: at most twice the length plus the two quotes.
        std::string quoted(2 * cell.size() + 2, '\0');
        quoted.resize(csv_write2(quoted.data(), quoted.size(), cell.data(), cell.size(), '"'));
        if (i > 0) out += ',';
        out += quoted;
    }
    out += "\r\n";
    return out;
}

std::string csv_cell(const nlohmann::ordered_json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RecordWriter::RecordWriter(std::ostream& out, ListingFormat format, std::vector<std::string> columns)
    : out_(out), format_(format), columns_(std::move(columns)) {}

// The header (or the array's start) waits for the first row or the end: a listing refused
// before its first row writes nothing.
void RecordWriter::begin() {
    if (!first_) return;
    if (format_ == ListingFormat::csv) out_ << csv_record(columns_);
    if (format_ == ListingFormat::json) out_ << "[";
}

void RecordWriter::write(const nlohmann::ordered_json& row) {
    begin();
    switch (format_) {
    case ListingFormat::csv: {
        std::vector<std::string> cells;
        for (const auto& c : columns_) cells.push_back(row.contains(c) ? csv_cell(row.at(c)) : std::string());
        out_ << csv_record(cells);
        break;
    }
    case ListingFormat::json:
        // One object per line inside the array, so a long listing is never held whole.
        out_ << (first_ ? "\n  " : ",\n  ") << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        break;
    case ListingFormat::jsonl:
        out_ << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        break;
    case ListingFormat::table:
        break;
    }
    first_ = false;
}

void RecordWriter::finish() {
    if (finished_) return;
    finished_ = true;
    bool empty = first_;
    begin();
    if (format_ == ListingFormat::json) out_ << (empty ? "]\n" : "\n]\n");
    out_.flush();
}

} // namespace brankas
