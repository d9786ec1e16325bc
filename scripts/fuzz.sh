#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz, in build-fuzz) and runs each one for a bounded time under
# AddressSanitizer and UndefinedBehaviorSanitizer, starting from the committed corpus.
#   scripts/fuzz.sh                       every target for 15 s (what scripts/test.sh runs)
#   scripts/fuzz.sh 600                   every target for 10 minutes
#   scripts/fuzz.sh 600 policy import     those targets only
#   scripts/fuzz.sh --build-only          build them and stop (scripts/test.sh, early and aside)
# A target's dictionary (tests/fuzz/TARGET.dict: tokens of its format) is used when it exists.
# Targets run side by side, one per core (FUZZ_JOBS=N to change that; a long run by hand is
# kinder at `nice -n 19`). Inputs that found new paths go to build-fuzz/work/TARGET/corpus,
# kept from one run to the next, never into tests/fuzz/corpus. A finding (a crash, a sanitizer
# report, a leak, an input slower than 10 s or larger than 2 GiB of memory) is saved in
# build-fuzz/work/TARGET/ beside the target's log, and the script exits 1. Reproduce one with
#   build-fuzz/tests/fuzz/fuzz_TARGET build-fuzz/work/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

build_only=0
if [ "${1:-}" = "--build-only" ]; then
  build_only=1
  shift
fi
seconds=${1:-15}
shift || true
all_targets=(keyring event checkpoint backup recovery_share import policy secret_payload)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
jobs=${FUZZ_JOBS:-$(nproc)}

echo "== build the fuzz targets (GCC, ASan + UBSan, coverage for libFuzzer)"
# As scripts/test.sh builds (it says why): the parsers in one batch of 64 files, Ninja for a new
# tree, line tables only (-g1: a finding's stack still names file and line; 111 CPU-s to build
# instead of 159 with full debug information).
generator=()
[ -f build-fuzz/CMakeCache.txt ] || generator=(-G Ninja)
cmake -S . -B build-fuzz "${generator[@]}" -DBRANKAS_WERROR=ON -DBRANKAS_FUZZ=ON -DBRANKAS_UNITY=ON \
  -DBRANKAS_UNITY_BATCH_SIZE=64 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 >/dev/null
cmake --build build-fuzz -j "$(nproc)"
[ "$build_only" -eq 1 ] && exit 0

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_target() { # name
  local name=$1 work=build-fuzz/work/$1
  mkdir -p "$work/corpus"
  local status=0 dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "tests/fuzz/corpus/$name" \
    >"$work/log" 2>&1 || status=$?
  local last runs
  last=$(grep -E '^#[0-9]+' "$work/log" | tail -1 | sed -E 's/^#[0-9]+\s+[A-Z]+\s+//; s/ lim: [0-9]+//; s/ rss: .*//')
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$work/log")
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$name: FINDING (exit $status) after ${runs:-?} runs; log $work/log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: property failed|.*runtime error)' "$work/log" | head -5 >&2 || true
    ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sed "s|^|  $work/|" >&2 || true
    return 1
  fi
  printf 'fuzz_%-15s %9s runs in %ss  %s\n' "$name" "${runs:-?}" "$seconds" "$last"
}

echo "== fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
failed=0
running=0
for name in "${targets[@]}"; do
  [ -x "build-fuzz/tests/fuzz/fuzz_$name" ] || { echo "fuzz: no target '$name' (targets: ${all_targets[*]})" >&2; exit 2; }
  run_target "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target found a problem (see above)" >&2
  exit 1
fi
echo "fuzz: no findings"
