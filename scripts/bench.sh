#!/usr/bin/env bash
# Builds the optimized configuration in its own directory (warnings are errors, as in CI) and
# runs the lifecycle bench: a 7,300-sub-district, 30,000-account vault against a 10-account one,
# timing end-of-term enforcement and a whole `brankas checkout`. It prints figures and PASS/MISS;
# it fails only when something errors, never on a timing. Takes a few minutes.
#   scripts/bench.sh                    the full bench
#   scripts/bench.sh --runs 51 ...      arguments go to the bench (see bench/lifecycle_bench.cpp)
# BRANKAS_BENCH_BUILD_DIR overrides the build directory (default build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${BRANKAS_BENCH_BUILD_DIR:-build-bench}
# RelWithDebInfo (-O2) is what CI builds with -Werror; GCC 12 at -O3 (Release) reports a
# false -Wrestrict inside libstdc++'s std::string.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANKAS_WERROR=ON -DBRANKAS_TESTS=OFF -DBRANKAS_BENCH=ON >/dev/null
cmake --build "$dir" -j "$(nproc)" --target brankas brankas_lifecycle_bench

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
# The bench times the brankas binary of its own build (--brankas PATH picks another).
"$dir/bench/brankas_lifecycle_bench" "$@"
