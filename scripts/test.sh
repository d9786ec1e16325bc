#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test; packages that
# build as a .deb and tests the package (install, verify, purge; as root only); then builds
# again with AddressSanitizer + UndefinedBehaviorSanitizer and runs the tests once more (all
# but the two driven through Chromium, label `browser`: they test the pages, and the server
# code under them runs under the sanitizers through the HTTP-level web tests); then runs every
# fuzz target for a while (scripts/fuzz.sh, FUZZ_SECONDS each, 15 by default).
#   scripts/test.sh            all of it (what CI runs)
#   scripts/test.sh --quick    the normal build only
# Both builds keep line tables only (-g1): stack traces and sanitizer reports still name file
# and line; the normal build takes about a third less time than with full debug information.
# Both compile each target's files in batches (BRANKAS_UNITY, CMakeLists.txt says why);
# the sanitizer build also precompiles the common standard headers (BRANKAS_PCH). A build by hand
# does without either, and so proves that each file compiles on its own.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh

jobs=$(nproc)
# Each step says when it starts, in seconds since the script began: where CI's time goes.
phase() { echo "== [${SECONDS}s] $*"; }
run_suite() { # build-dir, ctest selection (or ""), extra cmake flags...
  local dir=$1 selection=$2; shift 2
  cmake -S . -B "$dir" -DBRANKAS_WERROR=ON -DBRANKAS_TESTS=ON -DBRANKAS_UNITY=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  phase "tests in $dir"
  # One more test than cores: most tests wait on fsync and on child processes.
  ctest --test-dir "$dir" --output-on-failure -j "$((jobs + 1))" $selection
}

phase "build and test (warnings are errors)"
# Configured for /usr, as the package installs, so packaging it next rebuilds nothing.
run_suite build "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX=/usr

phase "the Debian package of that build: lintian, then install, check and purge it"
deb=$(scripts/package.sh --build-dir build | tail -n 1)
tests/package/package_test.sh "$deb"

if [ "$quick" -eq 0 ]; then
  phase "build and test with AddressSanitizer + UndefinedBehaviorSanitizer"
  # sodium_malloc's guard pages are fine under ASan; leak checking stays on.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan "-LE browser" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" -DBRANKAS_SANITIZE=ON -DBRANKAS_PCH=ON \
      -DBRANKAS_BENCH=OFF

  phase "fuzz every parser of bytes from others (ASan + UBSan)"
  scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
fi
phase "all passed"
