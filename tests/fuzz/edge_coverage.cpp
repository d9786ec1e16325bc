// Edge coverage for libFuzzer from code compiled by GCC.
//
// Debian 12's libFuzzer comes with clang-14, which cannot compile this code (libstdc++ 12's
// <expected> needs concepts support clang 14 lacks). GCC can instrument it with
// -fsanitize-coverage=trace-pc (a call to __sanitizer_cov_trace_pc in every basic block) and
// trace-cmp (the comparison hooks, which libFuzzer implements), but libFuzzer 14 no longer
// accepts trace-pc: its own __sanitizer_cov_trace_pc only prints that and exits. The build
// weakens that symbol in a copy of libFuzzer's archive (tests/fuzz/CMakeLists.txt), and this
// file defines it: each call hashes the block's address and the previous block's into one of
// 65,536 eight-bit counters (an edge, as AFL counts them), which libFuzzer reads through
// __sanitizer_cov_8bit_counters_init like the counters clang would emit.
//
// This file is compiled without sanitizers or coverage: it runs once per basic block.
#include <cstddef>
#include <cstdint>

// Weak: a program of the fuzz build that is not a fuzz target (the seed writer) runs without
// libFuzzer, and its counters then count for nobody.
extern "C" void __sanitizer_cov_8bit_counters_init(std::uint8_t* begin, std::uint8_t* end) __attribute__((weak));

namespace {

constexpr std::size_t counter_count = std::size_t{1} << 16;
alignas(64) std::uint8_t counters[counter_count];
thread_local std::uintptr_t previous_block = 0;

struct Registration {
    Registration() {
        if (__sanitizer_cov_8bit_counters_init != nullptr) __sanitizer_cov_8bit_counters_init(counters, counters + counter_count);
    }
};
Registration registration;

} // namespace

extern "C" void __sanitizer_cov_trace_pc() {
    auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
    // Fibonacci hashing spreads nearby addresses over the table; the shift keeps A->B and
    // B->A apart, and a block that jumps to itself distinct from its first entry.
    std::uintptr_t block = (pc * 0x9E3779B97F4A7C15u) >> 48;
    ++counters[(block ^ previous_block) & (counter_count - 1)];
    previous_block = block >> 1;
}

// GCC's trace-cmp also reports floating-point comparisons, which libFuzzer has no hook for.
extern "C" void __sanitizer_cov_trace_cmpf(float, float) {}
extern "C" void __sanitizer_cov_trace_cmpd(double, double) {}
