#include "cli/listing.hpp"

#include "cli/display_width.hpp"
#include "cli/output.hpp"

#include <algorithm>
#include <ostream>

namespace brankas::cli {

namespace {
constexpr std::size_t rows_that_set_widths = 500;
}

bool pick_format(const FormatFlags& flags, ListingFormat& out) {
    int given = int{flags.json} + int{flags.jsonl} + int{flags.csv};
    if (given > 1) return false;
    out = flags.json ? ListingFormat::json : flags.jsonl ? ListingFormat::jsonl : flags.csv ? ListingFormat::csv : ListingFormat::table;
    return true;
}

TableStream::TableStream(std::ostream& out, std::vector<std::string> header) : out_(out), header_(std::move(header)) {}

void TableStream::row(std::vector<std::string> cells) {
    for (auto& c : cells) c = for_terminal(c);
    if (widths_fixed_) {
        print(cells);
        return;
    }
    buffer_.push_back(std::move(cells));
    if (buffer_.size() >= rows_that_set_widths) flush_buffer();
}

void TableStream::flush_buffer() {
    std::size_t columns = header_.size();
    for (const auto& r : buffer_) columns = std::max(columns, r.size());
    width_.assign(columns, 0);
    auto widen = [&](const std::vector<std::string>& r) {
        for (std::size_t i = 0; i < r.size(); ++i) width_[i] = std::max(width_[i], display_width(r[i]));
    };
    widen(header_);
    for (const auto& r : buffer_) widen(r);
    widths_fixed_ = true;
    print(header_);
    for (const auto& r : buffer_) print(r);
    buffer_.clear();
}

void TableStream::print(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out_ << cells[i];
        if (i + 1 < cells.size()) {
            std::size_t w = i < width_.size() ? width_[i] : 0;
            std::size_t len = display_width(cells[i]);
            out_ << std::string(w > len ? w - len + 2 : 2, ' ');
        }
    }
    out_ << '\n';
}

void TableStream::finish() {
    if (finished_) return;
    finished_ = true;
    if (!widths_fixed_) flush_buffer();
    out_.flush();
}

} // namespace brankas::cli
