#!/usr/bin/env bash
# Builds the Debian package build-deb/package/brankas_<version>_<arch>.deb with CPack from the
# project's own install rules (contrib/deb/package.cmake), then checks it with lintian.
#   scripts/package.sh                    a release build of the binary, man pages, completion
#                                         and catalogue in build-deb/ (no tests), packaged
#   scripts/package.sh --build-dir DIR    packages the build tree DIR as it is: scripts/test.sh
#                                         packages the very build it has just tested
# The package installs to /usr: a build tree configured for another prefix is reconfigured.
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

build="build-deb"
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    *) echo "usage: scripts/package.sh [--build-dir DIR]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh >/dev/null

settings=(-DCMAKE_INSTALL_PREFIX=/usr -DBRANKAS_DOCS=ON)
if [ ! -f "$build/CMakeCache.txt" ]; then
  settings+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANKAS_TESTS=OFF -DBRANKAS_BENCH=OFF)
elif grep -q '^BRANKAS_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "package: $build is a sanitizer build; package a normal one" >&2
  exit 2
fi
cmake -S . -B "$build" "${settings[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"

rm -f "$build"/package/brankas_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/package/brankas_*.deb)

# Errors fail the package; warnings are printed for the reader.
rc=0
report=$(lintian --fail-on error "$deb" 2>&1) || rc=$?
grep -v '^running with root privileges' <<< "$report" >&2 || true
[ "$rc" -eq 0 ] || { echo "package: lintian reports errors on $deb" >&2; exit 1; }
echo "$deb"
