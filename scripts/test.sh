#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test; packages that
# build as a .deb and tests the package (install, verify, purge; as root only); then builds
# again with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test once more; then
# runs every fuzz target for a while (scripts/fuzz.sh, FUZZ_SECONDS each, 15 by default).
#   scripts/test.sh            all of it (what CI runs)
#   scripts/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh

jobs=$(nproc)
run_suite() { # build-dir, extra cmake flags...
  local dir=$1; shift
  cmake -S . -B "$dir" -DBRANKAS_WERROR=ON -DBRANKAS_TESTS=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

echo "== build and test (warnings are errors)"
# Configured for /usr, as the package installs, so packaging it next rebuilds nothing.
run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr

echo "== the Debian package of that build: lintian, then install, check and purge it"
deb=$(scripts/package.sh --build-dir build | tail -n 1)
tests/package/package_test.sh "$deb"

if [ "$quick" -eq 0 ]; then
  echo "== build and test with AddressSanitizer + UndefinedBehaviorSanitizer"
  # sodium_malloc's guard pages are fine under ASan; leak checking stays on.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DBRANKAS_SANITIZE=ON

  echo "== fuzz every parser of bytes from others (ASan + UBSan)"
  scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
fi
