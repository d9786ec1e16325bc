#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test; packages that
# build as a .deb and tests the package (install, verify, purge; as root only); then builds
# again with AddressSanitizer + UndefinedBehaviorSanitizer and runs the tests once more (all
# but the two driven through Chromium, label `browser`: they test the pages, and the server
# code under them runs under the sanitizers through the HTTP-level web tests; in both builds the
# unit tests run a file's test cases in one process, tests/CMakeLists.txt says why); then runs every
# fuzz target for a while (scripts/fuzz.sh, FUZZ_SECONDS each, 10 by default). The normal
# build's tests and the package run in the background while the sanitizer build compiles; their
# output comes whole when they end (in build/ctest.log and build/package.log too). The fuzz
# targets are built aside at the lowest priority from the start (build/fuzz-build.log).
#   scripts/test.sh            all of it (what CI runs)
#   scripts/test.sh --quick    the normal build only
# Both builds keep line tables only (-g1): stack traces and sanitizer reports still name file
# and line; the normal build takes about a third less time than with full debug information.
# Both compile each target's files in batches of 64 (BRANKAS_UNITY, CMakeLists.txt says why);
# the sanitizer build also precompiles the common standard headers (BRANKAS_PCH). A build by hand
# does without either, and so proves that each file compiles on its own.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh

jobs=$(nproc)
# Each step says when it starts, in seconds since the script began, with the CPU time (user +
# system) of the commands that have ended so far and the machine's load average over the last
# minute: where CI's time goes, and how much of the machine others took.
clock_ticks=$(getconf CLK_TCK)
phase() {
  local stat fields load
  stat=$(</proc/$$/stat)
  read -ra fields <<<"${stat##*) }" # from field 3 on; fields 16 and 17 are cutime and cstime
  read -r load _ </proc/loadavg
  echo "== [${SECONDS}s, CPU $(((fields[13] + fields[14]) / clock_ticks))s, load ${load}] $*"
}
# Batches of 64 files instead of 16 (BRANKAS_UNITY_BATCH_SIZE): vault/ in 2 translation units
# instead of 7, cli/, web/ and each test program in one. Each batch parses the headers once and
# emits their inline code once, with the sanitizers' records for it: GCC 12 gives each of
# UndefinedBehaviorSanitizer's 24-byte records an AddressSanitizer redzone (64 bytes) and a
# 64-byte descriptor, 21 MB of writable data in the sanitizer build's brankas, which every command
# the tests start registers (a third of its 68 ms of CPU before main) and LeakSanitizer scans
# at its exit (most of its 60 ms). 47 files of vault/ in one batch carry 1.46 MB of it, as much
# as 16 files did in a batch of their own.
# Ninja, for a tree made here: it compiles a library's batches beside those of the libraries it
# links (make waits for each library whole), which a few large batches need to keep both cores busy.
# A tree configured before with another generator keeps it.
build_tree() { # build-dir, extra cmake flags...
  local dir=$1 generator=(); shift
  [ -f "$dir/CMakeCache.txt" ] || generator=(-G Ninja)
  cmake -S . -B "$dir" "${generator[@]}" -DBRANKAS_WERROR=ON -DBRANKAS_TESTS=ON -DBRANKAS_UNITY=ON \
    -DBRANKAS_UNITY_BATCH_SIZE=64 "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}
run_tests() { # build-dir, ctest arguments...
  local dir=$1; shift
  # One more test than cores: most tests wait on fsync and on child processes. A test without a
  # TIMEOUT of its own (the slowest take under a minute, under the sanitizers too) is stopped
  # after ten: a hang fails that test instead of holding the whole run.
  ctest --test-dir "$dir" --output-on-failure -j "$((jobs + 1))" --timeout 600 "$@"
}

# Steps that mostly wait (the normal build's tests on fsync and on child processes, the package
# on dpkg and lintian) run in the background while the sanitizer build compiles. Each one's output
# goes to a file and is shown whole when they are waited for; a failure fails the script all the
# same, and a step that fails in front of them still waits for them and shows it.
background_pids=() background_logs=() background_names=()
start_background() { # name, log file, command...
  local name=$1 log=$2; shift 2
  phase "$name: started in the background, output when it ends"
  "$@" >"$log" 2>&1 &
  background_pids+=("$!") background_logs+=("$log") background_names+=("$name")
}
finish_background() { # waits for each, in the order they started
  local i status failed=0
  for i in "${!background_pids[@]}"; do
    status=0
    wait "${background_pids[$i]}" || status=$?
    phase "${background_names[$i]}: ended (exit $status)"
    cat "${background_logs[$i]}"
    [ "$status" -eq 0 ] || failed=1
  done
  background_pids=() background_logs=() background_names=()
  return "$failed"
}
# The fuzz targets' build, once started aside (below); stopped with the script if it is still running.
fuzz_build_pid=
stop_fuzz_build() { [ -z "$fuzz_build_pid" ] || kill -- "-$fuzz_build_pid" 2>/dev/null || true; }
trap 'finish_background || true; stop_fuzz_build' EXIT
trap 'for pid in "${background_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; background_pids=(); stop_fuzz_build; exit 130' INT TERM

if [ "$quick" -eq 0 ]; then
  # The fuzz targets' build at the lowest priority, from the start until they run: it takes the
  # CPU the other steps leave (the normal build's last batches, the package waiting on the disk,
  # the sanitizer build's last long batch) and next to nothing from them. Its own process group,
  # so that it can be stopped whole.
  mkdir -p build
  phase "the fuzz targets' build: started aside at the lowest priority, output when they run"
  set -m
  nice -n 19 scripts/fuzz.sh --build-only >build/fuzz-build.log 2>&1 &
  fuzz_build_pid=$!
  set +m
fi

phase "build (warnings are errors)"
# Configured for /usr, as the package installs, so packaging it next rebuilds nothing.
build_tree build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX=/usr
start_background "tests in build" build/ctest.log run_tests build
# 59 s of CPU in 131 s: lintian and dpkg wait on the disk, so the sanitizer build goes on beside it.
package_and_test() {
  local deb
  deb=$(scripts/package.sh --build-dir build | tail -n 1)
  tests/package/package_test.sh "$deb"
}
start_background "the Debian package of that build: lintian, then install, check and purge it" \
  build/package.log package_and_test

if [ "$quick" -eq 0 ]; then
  phase "build with AddressSanitizer + UndefinedBehaviorSanitizer"
  # -Og: the sanitizers' records of the headers' inline code are nearly halved (46 % less data
  # in a batch of vault/), and with them the start-up of every command the tests run, for 7 %
  # more compile time. -O1 took 58 % off but cost 42 to 75 % more compile time, more than its
  # faster tests gave back. Nothing they detect is lost; frame pointers stay, for the stacks.
  # UBSan's checks as traps (BRANKAS_SANITIZE_TRAP, CMakeLists.txt says why): 58 CPU-s less in
  # the tests below; handle_sigill=1 there makes ASan report a trap with its stack and line.
  # The end-to-end tests' program, which has no sanitizers in either build, is the normal build's,
  # run on this build's binary (BRANKAS_E2E_HARNESS, tests/CMakeLists.txt).
  build_tree build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-Og -g1" -DBRANKAS_SANITIZE=ON \
    -DBRANKAS_SANITIZE_TRAP=ON -DBRANKAS_PCH=ON -DBRANKAS_BENCH=OFF -DBRANKAS_E2E_HARNESS="$PWD/build/tests/brankas_e2e_tests"
fi
finish_background

if [ "$quick" -eq 0 ]; then
  phase "tests in build-asan"
  # sodium_malloc's guard pages are fine under ASan; leak checking stays on (the end-to-end tests
  # check each command once per test, tests/e2e/run_binary.cpp says why). UBSan's checks trap in
  # this build, so no UBSAN_OPTIONS: there is no UBSan runtime to read them (CMakeLists.txt).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:handle_sigill=1 run_tests build-asan -LE browser

  phase "fuzz every parser of bytes from others (ASan + UBSan)"
  status=0
  wait "$fuzz_build_pid" || status=$?
  fuzz_build_pid=
  phase "the fuzz targets' build: ended (exit $status)"
  cat build/fuzz-build.log
  [ "$status" -eq 0 ] || exit 1
  scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
fi
phase "all passed"
