#include "samples.hpp"

#include <algorithm>
#include <cmath>

namespace brankas::bench {

Figures figures_of(std::vector<double> samples_ms) {
    Figures f;
    f.runs = samples_ms.size();
    if (samples_ms.empty()) return f;
    std::sort(samples_ms.begin(), samples_ms.end());
    const std::size_t n = samples_ms.size();
    f.median_ms = n % 2 == 1 ? samples_ms[n / 2] : (samples_ms[n / 2 - 1] + samples_ms[n / 2]) / 2.0;
    auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
    f.p90_ms = samples_ms[std::max<std::size_t>(rank, 1) - 1];
    f.min_ms = samples_ms.front();
    f.max_ms = samples_ms.back();
    return f;
}

} // namespace brankas::bench
