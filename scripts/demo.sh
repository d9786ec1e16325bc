#!/usr/bin/env bash
# Installs what is missing, builds brankas, and walks through a throwaway vault, printing
# every command before it runs. Nothing outside a temporary directory is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Its own build directory: the test build's settings stay untouched.
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANKAS_TESTS=OFF >/dev/null
cmake --build build-demo -j "$(nproc)" --target brankas >/dev/null
brankas_bin=$PWD/build-demo/cli/brankas

demo=$(mktemp -d /tmp/brankas-demo-XXXXXX)
trap 'rm -rf "$demo"' EXIT
cd "$demo"
# A script passes the passphrase in a file (never on the command line); a person types it.
umask 077
printf '%s\n' "kuda-lari-di-sawah-hijau-2029" > passphrase.txt
export BRANKAS_PASSPHRASE_FILE=$demo/passphrase.txt
brankas() { "$brankas_bin" "$@"; }

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
say() { printf '\n# %s\n' "$*"; }

say "A district admin creates the vault (Argon2id 'moderate': about a second per unlock)."
step brankas --vault ./v --user admin init --institution "Bawaslu Kabupaten Ponorogo"
brankas --vault ./v --user admin init --institution "Bawaslu Kabupaten Ponorogo"

say "The vault directory is private, and its files hold no plain text."
step ls -l v
ls -l v
step grep -c -e Bawaslu -e admin v/store.db v/keyring
grep -c -e Bawaslu -e admin v/store.db v/keyring || true
step sqlcipher v/store.db "select count(*) from sqlite_master"
sqlcipher v/store.db "select count(*) from sqlite_master" || true

step brankas --vault ./v --user admin status
brankas --vault ./v --user admin status

step brankas --vault ./v --user admin audit log
brankas --vault ./v --user admin audit log

say "An auditor keeps a signed checkpoint of the log head outside the vault."
cp v/store.db store-before-checkpoint.db
step brankas --vault ./v --user admin audit checkpoint --out head.chk
brankas --vault ./v --user admin audit checkpoint --out head.chk
step cat head.chk
cat head.chk

step brankas --vault ./v --user admin audit verify --checkpoint head.chk
brankas --vault ./v --user admin audit verify --checkpoint head.chk

say "Someone puts back an older copy of the store. On its own it looks consistent..."
cp store-before-checkpoint.db v/store.db
step brankas --vault ./v --user admin audit verify
brankas --vault ./v --user admin audit verify
say "...but the checkpoint proves the history was rolled back (exit code 9)."
step brankas --vault ./v --user admin audit verify --checkpoint head.chk
set +e
brankas --vault ./v --user admin audit verify --checkpoint head.chk
code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 9 ] || { echo "demo: expected exit code 9" >&2; exit 1; }

say "Demo finished; the throwaway vault in $demo is removed."
