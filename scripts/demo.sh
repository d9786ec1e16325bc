#!/usr/bin/env bash
# Installs what is missing, builds brankas, and walks through a throwaway vault, printing
# every command before it runs. Nothing outside a temporary directory is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Its own build directory: the test build's settings stay untouched.
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANKAS_TESTS=OFF -DBRANKAS_UNITY=ON >/dev/null
cmake --build build-demo -j "$(nproc)" --target brankas >/dev/null
brankas_bin=$PWD/build-demo/cli/brankas
repo=$PWD

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

say "Sub-districts, their accounts and sealed passwords."
export BRANKAS_VAULT=$demo/v BRANKAS_USER=admin
step brankas unit add 35.02.01 "Ponorogo"
brankas unit add 35.02.01 "Ponorogo"
step brankas account add --unit 35.02.01 --platform instagram --handle panwascam.ponorogo --email panwascam.ponorogo@example.org --generate
brankas account add --unit 35.02.01 --platform instagram --handle panwascam.ponorogo \
        --email panwascam.ponorogo@example.org --generate
step brankas account list --unit 35.02.01
brankas account list --unit 35.02.01
say "No term covers the sub-district yet: even an admin sees its password only by break-glass, flagged."
step brankas secret show instagram/panwascam.ponorogo --reason "verifikasi akun"
brankas secret show instagram/panwascam.ponorogo --reason "verifikasi akun" || true
step brankas secret show instagram/panwascam.ponorogo --reason "verifikasi akun" --break-glass
brankas secret show instagram/panwascam.ponorogo --reason "verifikasi akun" --break-glass

say "A colleague is added with a one-time code and chooses their own passphrase."
step brankas user add operator1 --role custodian --unit 35.02.01
brankas --json user add operator1 --role custodian --unit 35.02.01 --kdf interactive > operator1.json
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' operator1.json > code.txt
echo "(the code went to code.txt; a person would read it off the screen)"
printf '%s\n' "kebun-teh-gunung-wilis-2031" > operator1-passphrase.txt
step brankas --user operator1 user enroll --code-file code.txt
BRANKAS_PASSPHRASE_FILE=$demo/operator1-passphrase.txt brankas --user operator1 user enroll --code-file code.txt --kdf interactive
step brankas user add auditor1 --role auditor
brankas --json user add auditor1 --role auditor --kdf interactive > auditor1.json
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' auditor1.json > auditor-code.txt
printf '%s\n' "buku-besar-diperiksa-teliti-2031" > auditor1-passphrase.txt
step brankas --user auditor1 user enroll --code-file auditor-code.txt
BRANKAS_PASSPHRASE_FILE=$demo/auditor1-passphrase.txt brankas --user auditor1 user enroll --code-file auditor-code.txt --kdf interactive

say "A TOTP seed is stored from a file (never on the command line); codes match oathtool."
printf '%s\n' "otpauth://totp/Instagram:panwascam.ponorogo?secret=JBSWY3DPEHPK3PXP" > seed.txt
brankas secret set instagram/panwascam.ponorogo --generate --totp-file seed.txt --reason "dua faktor" >/dev/null
step brankas totp instagram/panwascam.ponorogo --reason "uji kode" --break-glass
brankas totp instagram/panwascam.ponorogo --reason "uji kode" --break-glass
step oathtool --totp -b JBSWY3DPEHPK3PXP
oathtool --totp -b JBSWY3DPEHPK3PXP

say "Accounts are usable inside a term (plus a grace period). This one runs for thirty days."
# Dates as brankas reads them, in WIB: a machine whose clock is set to a zone ahead of WIB
# would otherwise start the term tomorrow.
wib() { TZ=Asia/Jakarta date "$@"; }
term="Pengawasan $(wib +%Y)"
start=$(wib +%F)
end=$(wib -d "+30 days" +%F)
after=$(wib -d "+40 days" +%F)   # past the end and the 7-day grace period
step brankas term add "$term" --start "$start" --end "$end"
brankas term add "$term" --start "$start" --end "$end"
step brankas term list
brankas term list

say "The custodian reads their own sub-district's password (the read is logged first)."
step brankas --user operator1 secret show instagram/panwascam.ponorogo --reason posting
BRANKAS_PASSPHRASE_FILE=$demo/operator1-passphrase.txt brankas --user operator1 secret show instagram/panwascam.ponorogo --reason posting

say "A check-out: for a reason, a limited time, exclusively. The password is shown once it is logged."
step brankas checkout instagram/panwascam.ponorogo --reason "unggah hasil pengawasan" --for 2h
brankas checkout instagram/panwascam.ponorogo --reason "unggah hasil pengawasan" --for 2h
step brankas --user operator1 checkout instagram/panwascam.ponorogo --reason posting
BRANKAS_PASSPHRASE_FILE=$demo/operator1-passphrase.txt brankas --user operator1 checkout instagram/panwascam.ponorogo --reason posting || true
say "Exclusive means exclusive: while the admin holds it, the custodian is not shown the password either."
step brankas --user operator1 secret show instagram/panwascam.ponorogo --reason posting
BRANKAS_PASSPHRASE_FILE=$demo/operator1-passphrase.txt brankas --user operator1 secret show instagram/panwascam.ponorogo --reason posting || true
step brankas checkouts
brankas checkouts
step brankas checkin instagram/panwascam.ponorogo
brankas checkin instagram/panwascam.ponorogo

say "Rotation in two steps: a pending password, set on the platform, then confirmed."
step brankas rotate instagram/panwascam.ponorogo --reason "ganti sandi setelah check-in"
brankas rotate instagram/panwascam.ponorogo --reason "ganti sandi setelah check-in"
step brankas rotate instagram/panwascam.ponorogo --confirm
brankas rotate instagram/panwascam.ponorogo --confirm

say "The policy: defaults until a document is set; a typo is caught with its line number."
step brankas policy show
brankas policy show | head -12
printf '[checkout]\nmax_duraton = "4h"\n' > policy-typo.toml
step brankas policy check policy-typo.toml
brankas policy check policy-typo.toml || true
step brankas policy explain --as operator1 --action checkout --account instagram/panwascam.ponorogo --at "$after"
brankas policy explain --as operator1 --action checkout --account instagram/panwascam.ponorogo --at "$after"

say "When operator1's term ends, revoking rotates the sub-district's key."
step brankas user revoke operator1 --unit 35.02.01
brankas user revoke operator1 --unit 35.02.01
step brankas user list
brankas user list

say "The unattended enforcer gets a key file instead of a passphrase, and no unit key."
step brankas enforcer add enforcer --keyfile enforcer.key
brankas enforcer add enforcer --keyfile enforcer.key
step brankas --keyfile enforcer.key --user enforcer secret show instagram/panwascam.ponorogo --reason coba
brankas --keyfile enforcer.key --user enforcer secret show instagram/panwascam.ponorogo --reason coba || true
say "Its plan for the day after the term and its grace; a dry run changes nothing."
step brankas --keyfile enforcer.key --user enforcer enforce --dry-run --at "$after"
brankas --keyfile enforcer.key --user enforcer enforce --dry-run --at "$after"

say "operator1 leaves for good: disabled, and the store moves to a fresh key (--rekey)."
step brankas user disable operator1 --rekey
brankas user disable operator1 --rekey
step brankas --user operator1 status
BRANKAS_PASSPHRASE_FILE=$demo/operator1-passphrase.txt brankas --user operator1 status || true
step brankas --keyfile enforcer.key --user enforcer status
brankas --keyfile enforcer.key --user enforcer status | sed -n 4p

say "The admin changes their own passphrase."
printf '%s\n' "sungai-madiun-mengalir-pelan-2031" > admin-new-passphrase.txt
step brankas user passwd --new-passphrase-file admin-new-passphrase.txt
brankas user passwd --new-passphrase-file admin-new-passphrase.txt --kdf interactive
export BRANKAS_PASSPHRASE_FILE=$demo/admin-new-passphrase.txt
step brankas audit verify
brankas audit verify

say "A backup is taken while the vault is in use: here a check-out runs in another process."
step brankas checkout instagram/panwascam.ponorogo --reason "unggah hasil pengawasan" "&"
brankas checkout instagram/panwascam.ponorogo --reason "unggah hasil pengawasan" >/dev/null &
checkout_pid=$!
step brankas backup create backups/brankas-$(date +%F).bak
mkdir -m 700 backups
brankas backup create "backups/brankas-$(date +%F).bak"
wait "$checkout_pid"
brankas checkin instagram/panwascam.ponorogo >/dev/null
backup=backups/brankas-$(date +%F).bak
say "It proves itself intact, and the whole history inside it verifies (no --vault needed)."
step brankas --user admin backup verify "$backup"
brankas --user admin backup verify "$backup"
say "Restored on another machine: a working vault that opens with the same passphrases."
step brankas --user admin backup restore "$backup" --to ./restored
brankas --user admin backup restore "$backup" --to ./restored
step brankas --vault ./restored --user admin secret show instagram/panwascam.ponorogo --reason "uji pemulihan"
brankas --vault ./restored --user admin secret show instagram/panwascam.ponorogo --reason "uji pemulihan"
say "One flipped byte: verify and restore refuse it (exit code 9), and nothing is created."
step cp "$backup" damaged.bak "# then byte 5000 is changed"
cp "$backup" damaged.bak
byte=$(od -An -tu1 -j5000 -N1 damaged.bak | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 255)))" | dd of=damaged.bak bs=1 seek=5000 count=1 conv=notrunc status=none
cmp -l "$backup" damaged.bak || true
step brankas --user admin backup restore damaged.bak --to ./restored-2
set +e
brankas --user admin backup restore damaged.bak --to ./restored-2
code=$?
set -e
echo "exit code: $code; ./restored-2 exists: $([ -e restored-2 ] && echo yes || echo no)"
[ "$code" -eq 9 ] && [ ! -e restored-2 ] || { echo "demo: the damaged backup was not refused" >&2; exit 1; }

say "Import: the spreadsheet a district keeps today (Indonesian headers, ';', as Excel saves it)."
printf '%s\r\n' "No;Kode;Kecamatan;Platform;Username;Kata Sandi;Email;No HP;Catatan" \
  "1;35.02.02;Babadan;Instagram;panwascam.babadan;Babadan-Rahasia-2029;panwascam.babadan@example.org;081234560002;" \
  "2;35.02.02;Babadan;TikTok;@panwascam.babadan;\"Tik;Tok;2029\";;;\"akun lama, dipakai lagi\"" \
  "3;35.02.03;Jenangan;Facebook;panwascam.jenangan;Jenangan-Rahasia-2029;;+6281234560003;" > akun-panwascam.csv
sed 's/;TikTok;/;Tiktak;/; s/;081234560002;/;0812 34x;/' akun-panwascam.csv > akun-salah.csv
step cat akun-panwascam.csv
cat akun-panwascam.csv
step brankas import csv akun-panwascam.csv --create-units --dry-run
brankas import csv akun-panwascam.csv --create-units --dry-run
say "Two bad rows: both are named with their lines, and nothing is imported (exit code 2)."
step brankas import csv akun-salah.csv --create-units
set +e
brankas import csv akun-salah.csv --create-units
code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 2 ] || { echo "demo: the bad spreadsheet was not refused" >&2; exit 1; }
step brankas import csv akun-panwascam.csv --create-units
brankas import csv akun-panwascam.csv --create-units
step brankas secret show tiktok/panwascam.babadan --reason "cek impor"
brankas secret show tiktok/panwascam.babadan --reason "cek impor"
say "The plaintext files must go once the accounts are in the vault."
step shred -u akun-panwascam.csv akun-salah.csv
shred -u akun-panwascam.csv akun-salah.csv
say "A KeePassXC export (keepassxc-cli export --format csv), into a vault of its own here."
step brankas --vault ./v-kp init ... "&&" brankas --vault ./v-kp unit add 35.02.03 Jenangan
brankas --vault ./v-kp init --institution "Bawaslu Kabupaten Ponorogo" --kdf interactive >/dev/null
brankas --vault ./v-kp unit add 35.02.03 Jenangan >/dev/null
cp "$repo/tests/fixtures/keepassxc/export.csv" export.csv   # made by keepassxc-cli (tests/fixtures/keepassxc)
step brankas --vault ./v-kp import keepassxc export.csv --create-units
brankas --vault ./v-kp import keepassxc export.csv --create-units
step brankas --vault ./v-kp account list
brankas --vault ./v-kp account list
shred -u export.csv
say "Threshold recovery: the recovery key is split into 5 printable shares, any 3 of which recover the vault."
step brankas recovery split --shares 5 --threshold 3 --out-dir shares
brankas recovery split --shares 5 --threshold 3 --out-dir shares
step cat shares/share-1-of-5.txt
cat shares/share-1-of-5.txt
say "The admin forgets the passphrase. Two holders are not enough; a mistyped line is caught at once."
step brankas recovery unlock --share-file shares/share-2-of-5.txt --share-file shares/share-4-of-5.txt reset-passphrase admin
brankas recovery unlock --share-file shares/share-2-of-5.txt --share-file shares/share-4-of-5.txt reset-passphrase admin || true
# One symbol of line 3 copied wrong.
python3 -c 'import sys; t = open(sys.argv[1]).read(); i = t.index("\n3: ") + 4
print(t[:i] + ("7" if t[i] != "7" else "8") + t[i + 1:], end="")' shares/share-4-of-5.txt > mistyped-share.txt
step brankas recovery unlock --share-file shares/share-1-of-5.txt --share-file mistyped-share.txt --share-file shares/share-5-of-5.txt reset-passphrase admin
brankas recovery unlock --share-file shares/share-1-of-5.txt --share-file mistyped-share.txt \
        --share-file shares/share-5-of-5.txt reset-passphrase admin || true
say "Three holders: the admin's passphrase is void and a one-time enrollment code is printed."
step brankas recovery unlock --share-file shares/share-1-of-5.txt --share-file shares/share-3-of-5.txt --share-file shares/share-5-of-5.txt reset-passphrase admin
brankas --json recovery unlock --share-file shares/share-1-of-5.txt --share-file shares/share-3-of-5.txt \
        --share-file shares/share-5-of-5.txt --kdf interactive reset-passphrase admin > admin-reset.json
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' admin-reset.json > admin-code.txt
echo "(the code went to admin-code.txt; the holders would read it off the screen)"
printf '%s\n' "bukit-kapur-senja-merah-2031" > admin-recovered-passphrase.txt
export BRANKAS_PASSPHRASE_FILE=$demo/admin-recovered-passphrase.txt
step brankas user enroll --code-file admin-code.txt
brankas user enroll --code-file admin-code.txt --kdf interactive
step brankas status
brankas status | grep -i recovery
step brankas audit log "# the recovery principal's events"
brankas audit log | grep -F -e SEQ -e recovery
step brankas audit verify
brankas audit verify
unset BRANKAS_VAULT BRANKAS_USER

cp -r v v-later   # for the end of the demo, forty days on

say "The auditor reads the log: one sub-district's check-outs, as CSV with a header row."
auditor() { BRANKAS_PASSPHRASE_FILE=$demo/auditor1-passphrase.txt brankas --vault ./v --user auditor1 "$@"; }
step brankas --user auditor1 audit log --unit 35.02.01 --action checkout --csv
auditor audit log --unit 35.02.01 --action checkout --csv
step brankas --user auditor1 audit log --actor operator1
auditor audit log --actor operator1
say "Who read or checked out each password, when and why."
step brankas --user auditor1 report access
auditor report access
say "operator1 left: which current passwords did they see, or could they open? Exactly those get rotated."
step brankas --user auditor1 report exposure --user operator1
auditor report exposure --user operator1
step brankas --user auditor1 report status
auditor report status
step brankas --user auditor1 report status --csv
auditor report status --csv

say "A daily verify: a checkpoint today, and tomorrow only what came after it is checked."
step brankas --user auditor1 audit checkpoint --out auditor.chk
auditor audit checkpoint --out auditor.chk
brankas --vault ./v --user admin checkout instagram/panwascam.ponorogo --reason "esok hari" >/dev/null
step brankas --user auditor1 audit verify --since auditor.chk
auditor audit verify --since auditor.chk
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

say "Forty days later (faketime moves the clock of a copy of the vault): the enforcer's daily run."
# faketime starts each process at the time given: one minute apart, so time never runs back.
minute=0
later() { minute=$((minute + 1)); faketime "$after 09:$(printf %02d "$minute"):00" "$brankas_bin" --vault ./v-later "$@"; }
step brankas --keyfile enforcer.key --user enforcer enforce
later --keyfile enforcer.key --user enforcer enforce
step brankas --keyfile enforcer.key --user enforcer enforce   "# again: nothing to do"
later --keyfile enforcer.key --user enforcer enforce
say "The term and its grace are over: the admin reads the sealed password by break-glass, flagged in the log."
step brankas --user admin secret show instagram/panwascam.ponorogo --pending --reason "serah terima" --break-glass
later --user admin secret show instagram/panwascam.ponorogo --pending --reason "serah terima" --break-glass
step brankas --user admin account checklist instagram/panwascam.ponorogo --done recovery --note "e-mail dan nomor kabupaten"
later --user admin account checklist instagram/panwascam.ponorogo --done recovery --note "e-mail dan nomor kabupaten"
step brankas --user admin status
later --user admin status | sed -n '/Rotation due/,/Checklists/p'
step brankas --user admin audit verify
later --user admin audit verify

say "A handover between teams, in a vault of its own: operator1's sub-district goes to operator2."
hv() { brankas --vault ./h "$@"; }
# Adds and enrolls a person with the passphrase given; it goes to h-NAME-passphrase.txt.
person() {
    local name=$1 phrase=$2; shift 2
    hv --user admin --json user add "$name" --kdf interactive "$@" > "h-$name.json"
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' "h-$name.json" > "h-$name-code.txt"
    printf '%s\n' "$phrase" > "h-$name-passphrase.txt"
    BRANKAS_PASSPHRASE_FILE=$demo/h-$name-passphrase.txt hv --user "$name" user enroll --code-file "h-$name-code.txt" --kdf interactive >/dev/null
}
as_person() { local name=$1; shift; BRANKAS_PASSPHRASE_FILE=$demo/h-$name-passphrase.txt hv --user "$name" "$@"; }
hv --user admin init --institution "Bawaslu Kabupaten Ponorogo" --kdf interactive >/dev/null
hv --user admin unit add 35.02.01 "Ponorogo" >/dev/null
hv --user admin term add "$term" --start "$start" --end "$end" >/dev/null
hv --user admin account add --unit 35.02.01 --platform instagram --handle panwascam.ponorogo \
   --email panwascam.ponorogo@example.org --generate >/dev/null
hv --user admin account add --unit 35.02.01 --platform tiktok --handle panwascam_ponorogo --phone +6281234567890 --generate >/dev/null
person operator1 "sawah-hijau-bukit-kapur-pagi-2031" --role custodian --unit 35.02.01 \
    --full-name "Siti Rahmawati, S.H." --nip "19850312 201001 2 002" --position "Ketua Panwaslu Kecamatan Ponorogo"
step brankas user add operator2 --role custodian --full-name "Budi Santoso" --nip - --position "Anggota Panwaslu Kecamatan Ponorogo"
person operator2 "telaga-ngebel-berkabut-senja-2031" --role custodian \
    --full-name "Budi Santoso" --nip - --position "Anggota Panwaslu Kecamatan Ponorogo"
person admin2 "gamelan-reog-berbunyi-malam-2031" --role admin
step brankas user edit admin --full-name "Drs. Agus Salim" --nip 197001011995031001 --position "Koordinator Divisi Hukum"
hv --user admin user edit admin --full-name "Drs. Agus Salim" --nip 197001011995031001 --position "Koordinator Divisi Hukum"
step brankas user show operator1
hv --user admin user show operator1
step brankas handover start --unit 35.02.01 --to operator2 --witness admin2 --note "Pergantian operator kecamatan"
hv --user admin handover start --unit 35.02.01 --to operator2 --witness admin2 --note "Pergantian operator kecamatan"
step brankas --user operator2 handover accept 1   "# signed with operator2's own key"
as_person operator2 handover accept 1
step brankas policy explain --as admin2 --action witness_handover --handover 1   "# who may take the next step, and why"
hv --user admin policy explain --as admin2 --action witness_handover --handover 1
step brankas handover complete 1   "# refused: the outgoing custodian has not released it yet"
hv --user admin handover complete 1 || echo "(refused: operator1 has not released it)"
step brankas --user operator1 handover release 1   "# the outgoing custodian signs, with their own key"
as_person operator1 handover release 1
step brankas --user admin2 handover witness 1   "# the witness, an admin, completes it in one transaction"
as_person admin2 handover witness 1
step brankas --user operator2 secret show tiktok/panwascam_ponorogo --reason posting
as_person operator2 secret show tiktok/panwascam_ponorogo --reason posting >/dev/null && echo "(operator2 reads it; the password is not printed here)"
step brankas --user operator1 secret show tiktok/panwascam_ponorogo --reason posting
as_person operator1 secret show tiktok/panwascam_ponorogo --reason posting || true
step brankas handover show 1
hv --user admin handover show 1
step brankas report handovers --csv
hv --user admin report handovers --csv
step brankas handover minutes 1 --format md
hv --user admin handover minutes 1 --format md
step brankas handover minutes 1 --format html --out ba-1.html
hv --user admin handover minutes 1 --format html --out ba-1.html
say "The minutes name every account and no password:"
hv --user admin secret show tiktok/panwascam_ponorogo --reason "cek berita acara" > tiktok-password.txt
step grep -c -F -f tiktok-password.txt ba-1.html
grep -c -F -f tiktok-password.txt ba-1.html || true
code=$(hv --user admin --json handover show 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["verification_code"])')
say "The verification code printed on the paper leads back to the signed event."
step brankas handover lookup "$code"
hv --user admin handover lookup "$code"
step brankas audit verify
hv --user admin audit verify

say "Dual control: the policy puts break-glass check-outs under a second admin's approval."
printf '[term]\ngrace_period = "0d"\n\n[dual_control]\nactions = ["break_glass"]\napprovers = ["admin"]\nwindow = "30m"\n' > dual.toml
step cat dual.toml
cat dual.toml
step brankas policy set dual.toml
hv --user admin policy set dual.toml
# A sub-district whose term has ended: a check-out there breaks the glass.
hv --user admin unit add 35.02.09 "Slahung" >/dev/null
hv --user admin account add --unit 35.02.09 --platform instagram --handle panwascam.slahung --generate >/dev/null
hv --user admin term end "$term" --unit 35.02.09 >/dev/null
sleep 1
step brankas checkout instagram/panwascam.slahung --break-glass --reason "akun diretas"   "# exit code 18: a request, no password"
hv --user admin checkout instagram/panwascam.slahung --break-glass --reason "akun diretas" || echo "(exit code $?)"
request=$(hv --user admin --json approvals | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
step brankas --user admin2 approvals
as_person admin2 approvals
step brankas approve "$request" --reason "saya sendiri"   "# nobody approves their own request"
hv --user admin approve "$request" --reason "saya sendiri" || true
step brankas --user admin2 approve "$request" --reason "dikonfirmasi lewat telepon"
as_person admin2 approve "$request" --reason "dikonfirmasi lewat telepon"
step brankas checkout instagram/panwascam.slahung --break-glass --request "$request"
hv --user admin checkout instagram/panwascam.slahung --break-glass --request "$request" >/dev/null && echo "(the admin has the password; it is not printed here)"
hv --user admin checkin instagram/panwascam.slahung >/dev/null
step brankas checkout instagram/panwascam.slahung --break-glass --request "$request"   "# an approval is used once"
hv --user admin checkout instagram/panwascam.slahung --break-glass --request "$request" || true
step brankas report access --unit 35.02.09
hv --user admin report access --unit 35.02.09
step brankas audit verify
hv --user admin audit verify

say "The same vault in a browser: brankas serve on a free loopback port for a few seconds."
step brankas serve --listen 127.0.0.1:0
# The binary itself in the background (not through hv): the pid is the server's, and SIGTERM
# reaches it rather than a subshell that would leave it running.
"$brankas_bin" --vault ./h serve --listen 127.0.0.1:0 2> serve.log &
serve_pid=$!
url=""
for _ in $(seq 50); do
    url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' serve.log | head -n 1)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { kill "$serve_pid"; echo "demo: the server did not start" >&2; exit 1; }
say "GET $url/sign-in: the sign-in page, in Indonesian"
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$url/sign-in" | grep -o '<h1>[^<]*</h1>'
kill -TERM "$serve_pid"
wait "$serve_pid"
cat serve.log

say "Demo finished; the throwaway vault in $demo is removed."
