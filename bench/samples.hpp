// Repeated timings of one operation and the figures the report prints from them.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace brankas::bench {

// Wall time on the monotonic clock: the vault's own Clock is about event times, not durations.
class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    [[nodiscard]] double milliseconds() const {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
    }
    [[nodiscard]] double seconds() const { return milliseconds() / 1000.0; }

private:
    std::chrono::steady_clock::time_point start_;
};

struct Figures {
    std::size_t runs = 0;
    double median_ms = 0, p90_ms = 0, min_ms = 0, max_ms = 0;
};

// Median (the middle sample, or the mean of the two middle ones) and p90 by nearest rank.
[[nodiscard]] Figures figures_of(std::vector<double> samples_ms);

} // namespace brankas::bench
