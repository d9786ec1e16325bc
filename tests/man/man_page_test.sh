#!/usr/bin/env bash
# brankas(1), as built: it formats without a warning in every language, and the English page
# names every command, every option of every command, the environment and every exit code.
#   man_page_test.sh BUILD/contrib/man BUILD/cli/brankas
set -euo pipefail
pages=$1 binary=$2

for page in "$pages"/*/brankas.1; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || { echo "FAIL: $page: $warnings"; exit 1; }
done

text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$pages/en/brankas.1" 2>/dev/null)
missing=()
commands=$(LC_ALL=C "$binary" --help | sed -n '/^Commands:/,/^$/p' | sed '1d;$d' | awk '{ if ($2 ~ /^[a-z]+$/ && $0 ~ "^  " $1 " " $2 "  ") print $1 " " $2; else print $1 }')
while read -r command; do
    grep -q "^   $command\$" <<< "$text" || missing+=("the command '$command'")
    # shellcheck disable=SC2086 # two words: "unit add"
    for option in $(LC_ALL=C "$binary" $command --help | sed '/^Global options:/,$d' | grep -oE '^  --[a-z-]+'); do
        grep -qF -- "$option" <<< "$text" || missing+=("$option of '$command'")
    done
done <<< "$commands"
for word in BRANKAS_VAULT BRANKAS_USER BRANKAS_PASSPHRASE_FILE LANGUAGE "EXIT STATUS" ENVIRONMENT FILES; do
    grep -qF "$word" <<< "$text" || missing+=("$word")
done
for code in $(seq 0 15); do
    grep -qE "^       $code( |\$)" <<< "$text" || missing+=("exit code $code")
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'FAIL: brankas(1) lacks %s\n' "${missing[@]}"
    exit 1
fi
echo "brankas(1) formats cleanly and names $(wc -l <<< "$commands") commands, their options and every exit code"
