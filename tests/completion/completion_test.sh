#!/usr/bin/env bash
# The bash completion, as bash runs it on Tab: what each line completes to, and that it never
# runs brankas (a brankas that records every call is first on PATH).
#   completion_test.sh BUILD/contrib/bash-completion/brankas
set -uo pipefail
completion=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/files/backups"
printf '#!/bin/sh\necho "$@" >> %q\n' "$work/calls" > "$work/bin/brankas"
chmod +x "$work/bin/brankas"
touch "$work/files/policy.toml" "$work/files/backups/2029-06-30.bak"
PATH=$work/bin:$PATH
# shellcheck source=/dev/null
source "$completion"

failures=0
# expect "LINE BEING TYPED" "EXPECTED COMPLETIONS": the line ends where Tab is pressed.
expect() {
    local line=$1 expected=$2
    read -r -a COMP_WORDS <<< "$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMP_LINE=$line COMP_POINT=${#line}
    COMPREPLY=()
    _brankas 2>"$work/stderr"
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
    if [[ $got != "$expected" || -s $work/stderr ]]; then
        echo "FAIL: '$line' -> '$got' (expected '$expected')$(cat "$work/stderr")"
        failures=$((failures + 1))
    fi
}

expect "brankas acc" "account"
expect "brankas check" "checkin checkout checkouts"
expect "brankas account " "add archive checklist edit list show"
expect "brankas --vault /srv/v --user admin account l" "list"
expect "brankas account add --pl" "--platform"
expect "brankas account add --platform t" "threads tiktok"
expect "brankas --json user add siti --role a" "admin auditor"
expect "brankas init --kdf " "interactive moderate sensitive"
expect "brankas account list --status a" "active archived"
expect "brankas handover minutes 3 --format " "html md"
expect "brankas recovery unlock --share-file s1.txt --share-file s2.txt " "enroll-admin reset-passphrase"
expect "brankas --vault /srv/v --ver" "--version"
expect "brankas audit verify --th" "--threads"
expect "brankas policy check $work/files/pol" "$work/files/policy.toml"
expect "brankas backup restore $work/files/backups/2029 --to $work/files/b" "$work/files/backups"
expect "brankas audit verify --since $work/files/po" "$work/files/policy.toml"
expect "brankas --vault $work/files/b" "$work/files/backups"
# What only the vault knows is not completed: account references, sub-district codes, names.
expect "brankas secret show " ""
expect "brankas account add --unit " ""
expect "brankas user grant " ""
expect "brankas --user " ""

[[ $(complete -p brankas) == "complete -F _brankas brankas" ]] || { echo "FAIL: complete -p brankas: $(complete -p brankas)"; failures=$((failures + 1)); }
[[ ! -e $work/calls ]] || { echo "FAIL: the completion ran brankas: $(cat "$work/calls")"; failures=$((failures + 1)); }

if (( failures > 0 )); then
    echo "$failures completion checks failed"
    exit 1
fi
echo "every completion check passed"
