#!/usr/bin/env bash
# Installs every Debian 12 package that Brankas needs to build, test and run its demo.
# Idempotent: packages already present are not fetched again. Runs apt-get as root,
# through sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake pkg-config   # compiler and build
  ninja-build                        # scripts/test.sh builds with Ninja (it says why)
  libsqlcipher-dev sqlcipher         # encrypted store; the shell is used by tests to prove the file is unreadable
  libsodium-dev                      # Argon2id, XChaCha20-Poly1305, Ed25519, X25519, BLAKE2b, secure memory
  libboost-program-options-dev       # command line
  libpwquality-dev cracklib-runtime  # new passphrases are checked against a dictionary
  nlohmann-json3-dev                 # --json output
  gettext                            # message catalogues: xgettext, msgfmt, msgmerge, msgcmp (po/)
  man-db                             # the man page test reads brankas(1) as man shows it
  dpkg-dev lintian                   # the Debian package: dpkg-shlibdeps finds its Depends:, lintian checks it
  libcsv-dev                         # --csv output of the audit log and the reports (RFC 4180 quoting)
  libcereal-dev                      # sealed secret payloads (binary archives of our own, bounded)
  libtomlplusplus-dev                # the policy document (TOML)
  libcsv-dev                         # import: the CSV files spreadsheets and KeePassXC export
  liboath-dev oathtool               # TOTP codes (RFC 6238); the tests compare with oathtool
  libgfshare-dev                     # Shamir k-of-n shares of the recovery key (GF(2^8))
  doctest-dev                        # unit and end-to-end tests
  faketime                           # tests that move the clock
  python3 python3-nacl               # the independent check of docs/formats.md (PyNaCl)
  libcpp-httplib-dev libssl-dev      # the browser face (`brankas serve`): HTTP/1.1 server, TLS through OpenSSL
  libctemplate-dev                   # its pages: templates that escape HTML by default
  openssl                            # the tests make a throwaway TLS certificate
  gettext                            # msgfmt compiles the web face's catalogue into the binary; its test runs xgettext
  chromium chromium-driver python3-selenium  # the browser test drives a real, headless Chromium
  wrk                                # bench/web_bench.py: a packaged HTTP load tool drives `brankas serve`
  pass                               # bench/daily_bench.cpp: `pass ls`, the peer of `account list`
  libclang-rt-14-dev                 # libFuzzer's driver for the fuzz targets (GCC compiles them: tests/fuzz)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
