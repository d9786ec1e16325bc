#include "cli/progress.hpp"

#include "i18n/translate.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace brankas::cli {

namespace {

constexpr auto redraw_every = std::chrono::milliseconds(150);

std::size_t terminal_width() {
    winsize w{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 20) return w.ws_col;
    return 80;
}

} // namespace

std::string progress_line(std::string_view label, std::uint64_t done, std::uint64_t total, double per_second,
                          std::size_t width) {
    total = std::max(total, done);
    const unsigned percent = total == 0 ? 100u : static_cast<unsigned>(done * 100 / total);
    char percent_text[8];
    std::snprintf(percent_text, sizeof percent_text, "%3u%%", percent);
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f/s", per_second);
    std::string tail = " " + std::string(percent_text) + "  " +
                       i18n::fill(i18n::tr("%1$s/%2$s events"), {std::to_string(done), std::to_string(total)}) + "  " + rate;
    // The bar takes what the label and the figures leave (one column spare, so the cursor
    // never wraps), within 10..40 cells.
    std::size_t fixed = label.size() + 3 + tail.size() + 1;
    std::size_t cells = width > fixed + 10 ? std::min<std::size_t>(width - fixed, 40) : 10;
    std::size_t filled = total == 0 ? cells : static_cast<std::size_t>(done * cells / total);
    std::string line(label);
    line += " [";
    line.append(filled, '#');
    line.append(cells - filled, '-');
    line += "]";
    line += tail;
    if (line.size() >= width) line.resize(width - 1);
    return line;
}

ProgressBar::ProgressBar(std::ostream& out, bool on_terminal, std::string label)
    : out_(out), enabled_(on_terminal), label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < redraw_every && done < total) return;
    last_draw_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    // \r and erase-line redraw in place; nothing from the vault is in this line.
    out_ << '\r' << progress_line(label_, done, total, rate, terminal_width()) << "\033[K" << std::flush;
    drawn_ = true;
}

void ProgressBar::clear() {
    if (!drawn_) return;
    out_ << "\r\033[K" << std::flush;
    drawn_ = false;
}

} // namespace brankas::cli
