#!/usr/bin/env bash
# Builds the optimized configuration in its own directory (warnings are errors, as in CI) and
# runs the import bench (a 30,000-account spreadsheet, in-process and as a whole `brankas import
# csv`), then the lifecycle bench: a 7,300-sub-district, 30,000-account vault against a
# 10-account one, timing end-of-term enforcement and a whole `brankas checkout`. They print
# figures and PASS/MISS; they fail only when something errors, never on a timing. Takes a few
# minutes.
#   scripts/bench.sh                    both benches
#   scripts/bench.sh --runs 51 ...      arguments go to the lifecycle bench (see bench/lifecycle_bench.cpp)
#   scripts/bench.sh import [ARGS]      the import bench only (see bench/import_bench.cpp)
# BRANKAS_BENCH_BUILD_DIR overrides the build directory (default build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${BRANKAS_BENCH_BUILD_DIR:-build-bench}
# RelWithDebInfo (-O2) is what CI builds with -Werror; GCC 12 at -O3 (Release) reports a
# false -Wrestrict inside libstdc++'s std::string.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANKAS_WERROR=ON -DBRANKAS_TESTS=OFF -DBRANKAS_BENCH=ON >/dev/null
cmake --build "$dir" -j "$(nproc)" --target brankas brankas_lifecycle_bench brankas_import_bench

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
# The benches time the brankas binary of their own build (--brankas PATH picks another).
# `scripts/bench.sh import [ARGS]` runs only the import bench (30,000 accounts from a CSV).
if [ "${1:-}" = import ]; then
  shift
  exec "$dir/bench/brankas_import_bench" "$@"
fi
"$dir/bench/brankas_import_bench"
"$dir/bench/brankas_lifecycle_bench" "$@"
