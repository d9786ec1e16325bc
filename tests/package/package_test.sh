#!/usr/bin/env bash
# The Debian package on this machine, as a district's IT person uses it: install it with apt,
# check what it installed (binary, man pages, completion, catalogue, user, /var/lib/brankas,
# units that verify and stay disabled), make a vault and run the enforcer's job as its unit
# would, then purge it twice: keeping the vault data (the default answer), and deleting it.
# After each purge no file of the package may remain outside /var/lib/brankas.
#   tests/package/package_test.sh build/package/brankas_<version>_<arch>.deb
# Needs root (it installs and purges a package): elsewhere it says so and skips. On a machine
# where brankas is installed already it skips too, unless CI=true or BRANKAS_PACKAGE_TEST=force.
set -euo pipefail
deb=$(realpath "$1")

if [ "$(id -u)" -ne 0 ]; then
  echo "package test: SKIPPED, it installs and purges the package and needs root"
  exit 0
fi
if dpkg-query -W -f='${Status}' brankas 2>/dev/null | grep -q 'install ok installed' &&
   [ "${CI:-}" != true ] && [ "${BRANKAS_PACKAGE_TEST:-}" != force ]; then
  echo "package test: SKIPPED, brankas is installed on this machine (BRANKAS_PACKAGE_TEST=force replaces and purges it)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d)
user_existed=no; getent passwd brankas >/dev/null && user_existed=yes
data_existed=no; [ -e /var/lib/brankas ] && data_existed=yes
cleanup() {
  echo "brankas brankas/purge-vault-data boolean false" | debconf-set-selections 2>/dev/null || true
  dpkg-query -W brankas >/dev/null 2>&1 && apt-get purge -y -q brankas >/dev/null 2>&1
  [ "$data_existed" = no ] && rm -rf /var/lib/brankas
  if [ "$user_existed" = no ] && getent passwd brankas >/dev/null; then
    deluser --system --quiet brankas >/dev/null 2>&1 || true
    delgroup --system --quiet brankas >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
check() { # description, command...
  local what=$1; shift
  if "$@" >"$work/out" 2>&1; then
    echo "  ok    $what"
  else
    echo "  FAIL  $what"; sed 's/^/        /' "$work/out"
    failures=$((failures + 1))
  fi
}
same() { [ "$1" = "$2" ] || { echo "got:      $1"; echo "expected: $2"; return 1; }; }
units_dir=/usr/lib/systemd/system
units=("$units_dir/brankas-enforce.service" "$units_dir/brankas-enforce.timer" "$units_dir/brankas-web.service")

# Every file of the package, and the names brankas in the places a package can leave things.
leftovers() {
  local f
  while read -r f; do [ -f "$f" ] || [ -L "$f" ] && echo "$f"; done < "$work/files"
  find /etc /usr /var /lib -path /var/lib/brankas -prune -o -path /proc -prune -o -name '*brankas*' -print 2>/dev/null
  grep -l 'brankas/' /var/cache/debconf/config.dat /var/cache/debconf/templates.dat 2>/dev/null || true
}
no_leftovers() {
  local left
  left=$(leftovers)
  [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
}
as_brankas() { runuser -u brankas -- /usr/bin/brankas --vault /var/lib/brankas/vault "$@"; }

echo "package test: $(basename "$deb")"
apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
dpkg -L brankas | sort > "$work/files"

check "brankas --version" same "$(/usr/bin/brankas --version)" "brankas $(dpkg-query -W -f='${Version}' brankas)"
check "man -w brankas" same "$(man -w brankas)" "/usr/share/man/man1/brankas.1.gz"
check "man -L id -w brankas" same "$(man -L id -w brankas)" "/usr/share/man/id/man1/brankas.1.gz"
check "complete -p brankas, in a bash that sourced the completion" \
  same "$(bash -c 'source /usr/share/bash-completion/completions/brankas && complete -p brankas')" "complete -F _brankas brankas"
check "the installed catalogue: LANGUAGE=id brankas --help" \
  same "$(LANG=C.UTF-8 LANGUAGE=id /usr/bin/brankas --help | head -1)" "Cara pakai: brankas [opsi umum] <perintah> [<subperintah>] [opsi]"
check "systemd-analyze verify the installed units" systemd-analyze verify "${units[@]}"
check "the units are installed disabled" bash -c '! ls /etc/systemd/system/*/brankas-* 2>/dev/null | grep .'
# shellcheck disable=SC2016 # expanded by the inner bash
check "the brankas system user" bash -c 'id=$(getent passwd brankas) && [ "$(cut -d: -f3 <<< "$id")" -lt 1000 ] && [ "$(cut -d: -f6 <<< "$id")" = /var/lib/brankas ]'
check "/var/lib/brankas: 0700, owned by brankas" same "$(stat -c '%a %U %G' /var/lib/brankas)" "700 brankas brankas"

# A vault, an enforcer whose key file root keeps, and the job as the unit runs it: as brankas,
# with a private copy of the key (systemd's LoadCredential), which brankas cannot read itself.
install -d -o brankas -g brankas -m 0700 "$work/admin"
printf 'kuda-lari-di-sawah-hijau-2029\n' > "$work/admin/pass"
chown brankas: "$work/admin/pass"; chmod 0600 "$work/admin/pass"
chmod 0711 "$work"
check "init a vault in /var/lib/brankas/vault as brankas" \
  as_brankas --user admin --passphrase-file "$work/admin/pass" init --institution "Bawaslu Kabupaten Ponorogo" --kdf interactive
check "enforcer add, its key file given to root" bash -c "
  runuser -u brankas -- /usr/bin/brankas --vault /var/lib/brankas/vault --user admin --passphrase-file '$work/admin/pass' \
    enforcer add enforcer --keyfile /var/lib/brankas/enforcer.key && chown root:root /var/lib/brankas/enforcer.key"
check "the brankas user cannot read the enforcer's key file" bash -c '! runuser -u brankas -- cat /var/lib/brankas/enforcer.key'
install -d -o brankas -g brankas -m 0500 "$work/credentials"
install -o brankas -g brankas -m 0400 /var/lib/brankas/enforcer.key "$work/credentials/enforcer.key"
check "the unit's command: brankas ... --keyfile \$CREDENTIALS_DIRECTORY/enforcer.key --json enforce" bash -c "
  line=\$(grep '^ExecStart=' '$units_dir/brankas-enforce.service' | sed 's/^ExecStart=//; s|%d|$work/credentials|')
  runuser -u brankas -- \$line | grep -q '\"dry_run\": false'"
# The web service's command, as the unit runs it (as brankas): it serves the sign-in page on
# 127.0.0.1:8420 and stops cleanly on SIGTERM.
check "the web unit's command serves the sign-in page as brankas" bash -c "
  line=\$(grep '^ExecStart=' '$units_dir/brankas-web.service' | sed 's/^ExecStart=//')
  runuser -u brankas -- \$line 2>'$work/web.log' & server=\$!
  for _ in \$(seq 150); do grep -q 'listening' '$work/web.log' && break; sleep 0.2; done
  grep -q 'listening' '$work/web.log' || { echo 'the server did not listen within 30 s:'; cat '$work/web.log'; kill -TERM \$(pgrep -P \$server); exit 1; }
  page=\$(python3 -c 'import urllib.request; print(urllib.request.urlopen(\"http://127.0.0.1:8420/sign-in\").read().decode())')
  kill -TERM \$(pgrep -P \$server); wait \$server || { cat '$work/web.log'; exit 1; }
  grep -q 'Masuk ke brankas' <<< \"\$page\""
check "an admin enables the timer" bash -c 'systemctl enable brankas-enforce.timer && test -L /etc/systemd/system/timers.target.wants/brankas-enforce.timer'

echo "purge, keeping the vault data (the default answer)"
apt-get purge -y -q brankas >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
check "no file of the package remains outside /var/lib/brankas" no_leftovers
check "the vault is kept" test -f /var/lib/brankas/vault/store.db

echo "install again: the kept vault opens; purge, deleting the vault data"
apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
check "status of the kept vault" bash -c "runuser -u brankas -- /usr/bin/brankas --vault /var/lib/brankas/vault --user admin --passphrase-file '$work/admin/pass' status | grep -q 'Bawaslu Kabupaten Ponorogo'"
echo "brankas brankas/purge-vault-data boolean true" | debconf-set-selections
apt-get purge -y -q brankas >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
check "no file of the package remains" no_leftovers
check "/var/lib/brankas is gone" test ! -e /var/lib/brankas

if [ "$failures" -gt 0 ]; then
  echo "package test: $failures checks failed"
  exit 1
fi
echo "package test: every check passed"
