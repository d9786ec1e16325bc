// A progress bar for long runs (`audit verify` of a large log). It is drawn on stderr only
// when stderr is a terminal, at most a few times a second, on one line that is cleared at
// the end; redirected to a file or a pipe, nothing is written.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace brankas::cli {

// "verifying [##########----------]  50%  500000/1000000 events  25000/s", fitted to `width`.
[[nodiscard]] std::string progress_line(std::string_view label, std::uint64_t done, std::uint64_t total, double per_second,
                                        std::size_t width);

class ProgressBar {
public:
    ProgressBar(std::ostream& out, bool on_terminal, std::string label);
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    ~ProgressBar() { clear(); }

    void update(std::uint64_t done, std::uint64_t total);
    // Removes the bar from the terminal (before the result is printed).
    void clear();

private:
    std::ostream& out_;
    bool enabled_;
    std::string label_;
    std::chrono::steady_clock::time_point start_, last_draw_{};
    bool drawn_ = false;
};

} // namespace brankas::cli
