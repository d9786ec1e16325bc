#!/usr/bin/env bash
# Builds the optimized configuration in its own directory (warnings are errors, as in CI) and
# runs a bench. It prints figures and PASS/MISS; it fails only when something errors, never on
# a timing.
#   scripts/bench.sh                    the import bench (a 30,000-account spreadsheet, in-process
#                                       and as a whole `brankas import csv`), then the lifecycle
#                                       bench: a 7,300-sub-district, 30,000-account vault against a
#                                       10-account one, timing end-of-term enforcement and a whole
#                                       `brankas checkout` (a few minutes)
#   scripts/bench.sh --runs 51 ...      arguments go to the lifecycle bench (see bench/lifecycle_bench.cpp)
#   scripts/bench.sh import [...]       the import bench only (see bench/import_bench.cpp)
#   scripts/bench.sh daily [...]        the daily commands (status, the listings, secret show,
#                                       checkout, checkin) whole on the large vault against a
#                                       10-account one, each beside its floor from the same run,
#                                       with peak memory (see bench/daily_bench.cpp)
#   scripts/bench.sh verify [...]       the verification bench: builds a 1,000,000-event log
#                                       (about a minute), times `brankas audit verify` on it against
#                                       bare Ed25519 verification on the same threads (see
#                                       bench/verify_bench.cpp; --runs 3 for a steadier ratio)
#   scripts/bench.sh web [...]          the browser bench: 20 signed-in custodians on a 30,000-account
#                                       vault, driven by wrk (see bench/web_bench.py: --duration S,
#                                       --rounds N)
# BRANKAS_BENCH_BUILD_DIR overrides the build directory (default build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${BRANKAS_BENCH_BUILD_DIR:-build-bench}
# Built as scripts/test.sh builds the binary CI tests and packages: RelWithDebInfo at -O2 with
# line tables only, warnings as errors, each target's files in batches of 64 (BRANKAS_UNITY). The
# figures are that binary's; a build without batches inlines less across files and runs the
# password commands' own work 1-2 ms slower. GCC 12 at -O3 (Release) reports a false
# -Wrestrict inside libstdc++'s std::string.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DBRANKAS_WERROR=ON \
  -DBRANKAS_UNITY=ON -DBRANKAS_UNITY_BATCH_SIZE=64 -DBRANKAS_TESTS=OFF -DBRANKAS_BENCH=ON >/dev/null
case "${1:-}" in
  verify) shift; benches=(brankas_verify_bench) ;;
  import) shift; benches=(brankas_import_bench) ;;
  daily) shift; benches=(brankas_daily_bench) ;;
  web)
    shift
    cmake --build "$dir" -j "$(nproc)" --target brankas brankas_web_bench_vault
    echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
    exec python3 bench/web_bench.py --brankas "$dir/cli/brankas" --builder "$dir/bench/brankas_web_bench_vault" "$@" ;;
  *) benches=(brankas_import_bench brankas_lifecycle_bench) ;;
esac
cmake --build "$dir" -j "$(nproc)" --target brankas "${benches[@]}"

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), load:$(uptime | sed 's/.*load average://')"
# The benches time the brankas binary of their own build (--brankas PATH picks another); the
# arguments go to the last one.
last=$(( ${#benches[@]} - 1 ))
for i in "${!benches[@]}"; do
  if [ "$i" -eq "$last" ]; then "$dir/bench/${benches[$i]}" "$@"; else "$dir/bench/${benches[$i]}"; fi
done
