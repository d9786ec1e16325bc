// End-to-end: the language a person reads follows the environment (LANGUAGE, LC_MESSAGES,
// LANG) through the catalogue the build compiled; machine output never does.
#include "e2e/dual_vault.hpp"
#include "e2e/fixture.hpp"

#include <regex>

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

using namespace brankas::e2e;

namespace {

// The environment of a person who reads Indonesian (LANGUAGE is honoured in any locale but
// plain C, as everywhere gettext is used), and of one who reads English.
Env indonesian(Env env) {
    env["LANG"] = "C.UTF-8";
    env["LANGUAGE"] = "id";
    return env;
}
Env english(Env env) {
    env["LANG"] = "C";
    return env;
}

// Everything up to the line that lists the first command.
std::string header(const std::string& help) { return help.substr(0, help.find("\n  init ") + 1); }

} // namespace

TEST_CASE("brankas --help speaks Indonesian under LANGUAGE=id and English under LANG=C") {
    Fixture f;
    Outcome id = run({"--help"}, indonesian(f.env));
    Outcome en = run({"--help"}, english(f.env));
    REQUIRE(id.exit_code == 0);
    REQUIRE(en.exit_code == 0);
    CHECK(header(id.out) ==
          "Cara pakai: brankas [opsi umum] <perintah> [<subperintah>] [opsi]\n"
          "\n"
          "Brankas menyimpan akun bersama sebuah lembaga dalam brankas terenkripsi,\n"
          "dengan riwayat yang ditandatangani dan dapat diverifikasi.\n"
          "\n"
          "Perintah:\n");
    CHECK(header(en.out) ==
          "Usage: brankas [global options] <command> [<subcommand>] [options]\n"
          "\n"
          "Brankas keeps the shared accounts of an institution in an encrypted vault with a signed,\n"
          "verifiable history.\n"
          "\n"
          "Commands:\n");
    // LANGUAGE alone does not switch a program in the plain C locale (gettext's rule).
    Env c_only = english(f.env);
    c_only["LANGUAGE"] = "id";
    CHECK(header(run({"--help"}, c_only).out) == header(en.out));
}

TEST_CASE("--json output and exit codes are the same in every language") {
    Fixture f;
    f.init();
    std::vector<std::string> status{"--vault", f.vault, "--user", "admin", "--json", "status"};
    Outcome id = run(status, indonesian(f.env));
    Outcome en = run(status, english(f.env));
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    CHECK(id.exit_code == 0);
    CHECK(id.out == en.out);
    CHECK(id.out.starts_with("{"));

    std::vector<std::string> log{"--vault", f.vault, "--user", "admin", "--json", "audit", "log"};
    CHECK(run(log, indonesian(f.env)).out == run(log, english(f.env)).out);

    std::vector<std::string> wrong{"--vault", (f.dir / "nothing-here").string(), "--user", "admin", "status"};
    CHECK(run(wrong, indonesian(f.env)).exit_code == run(wrong, english(f.env)).exit_code);
}

TEST_CASE("a command's help, an error with its hint, a report line and a table read in Indonesian, and in English under LANG=C") {
    Fixture f;
    // The help of one command: its usage line, its summary and the heading of its options.
    auto opening = [](const std::string& help) { return help.substr(0, help.find("\n  --")); };
    Outcome id_help = run({"account", "list", "--help"}, indonesian(f.env));
    Outcome en_help = run({"account", "list", "--help"}, english(f.env));
    CHECK(id_help.exit_code == 0);
    CHECK(opening(id_help.out) ==
          "Cara pakai: brankas [opsi umum] account list [opsi]\n"
          "\n"
          "daftar akun (tanpa kata sandi)\n"
          "\n"
          "Opsi untuk account list:");
    CHECK(opening(en_help.out) ==
          "Usage: brankas [global options] account list [options]\n"
          "\n"
          "list accounts (no passwords)\n"
          "\n"
          "Options for account list:");
    CHECK(id_help.out.find("hanya akun yang aktif (active)") != std::string::npos);

    // An error and its hint: the same exit code in both.
    Outcome id_error = run({"account", "frobnicate"}, indonesian(f.env));
    Outcome en_error = run({"account", "frobnicate"}, english(f.env));
    CHECK(id_error.err ==
          "brankas: kesalahan: subperintah 'frobnicate' dari 'account' tidak dikenal\n"
          "brankas: saran: `brankas account --help` menampilkan daftar subperintahnya\n");
    CHECK(en_error.err ==
          "brankas: error: unknown subcommand 'frobnicate' of 'account'\n"
          "brankas: hint: `brankas account --help` lists its subcommands\n");
    CHECK(id_error.exit_code == 2);
    CHECK(en_error.exit_code == 2);

    f.init();
    Env id = indonesian(f.env);
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    std::vector<std::string> add{"--vault", f.vault, "--user", "admin", "account", "add", "--unit", "35.02.01",
                                 "--platform", "instagram", "--handle", "panwascam.ponorogo"};
    Outcome added = run(add, id);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    CHECK(added.out ==
          "Akun 1 ditambahkan: instagram/panwascam.ponorogo di kecamatan 35.02.01\n"
          "Belum ada kata sandi yang disimpan: `brankas secret set instagram/panwascam.ponorogo`.\n");

    std::vector<std::string> list{"--vault", f.vault, "--user", "admin", "account", "list"};
    CHECK(run(list, id).out ==
          "ID  KECAMATAN  AKUN                          STATUS  PENGGANTIAN  KATA SANDI  SUREL\n"
          "1   35.02.01   instagram/panwascam.ponorogo  active  -            tidak ada   -\n");
    CHECK(run(list, english(f.env)).out ==
          "ID  UNIT      ACCOUNT                       STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo  active  -         none      -\n");
    // The core's own sentences (here "no account", raised in vault/) through their message ids.
    std::vector<std::string> show{"--vault", f.vault, "--user", "admin", "account", "show", "instagram/nobody"};
    Outcome id_missing = run(show, id);
    Outcome en_missing = run(show, english(f.env));
    CHECK(id_missing.err ==
          "brankas: kesalahan: tidak ada akun instagram/nobody\n"
          "brankas: saran: `brankas account list` menampilkan daftar akun\n");
    CHECK(en_missing.err ==
          "brankas: error: no account instagram/nobody\n"
          "brankas: hint: `brankas account list` shows the accounts\n");
    CHECK(id_missing.exit_code == en_missing.exit_code);
    CHECK(en_missing.exit_code == 16);

    // What a program reads does not follow the language.
    list.insert(list.begin() + 4, "--json");
    CHECK(run(list, id).out == run(list, english(f.env)).out);
}

namespace {

// A vault with one sub-district (no term) and two accounts: one with a password, one without.
void small_vault(Fixture& f) {
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo", "--generate"})
                .exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "panwascam.ponorogo"}).exit_code == 0);
}

std::vector<std::string> as_admin(const Fixture& f, std::vector<std::string> args) {
    std::vector<std::string> all{"--vault", f.vault, "--user", "admin"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

// The same failing command under LANG=C and under LANGUAGE=id: each error as given, one exit code.
void errors_in_both(const Fixture& f, const std::vector<std::string>& args, int code, const std::string& en_err, const std::string& id_err) {
    Outcome en = run(args, english(f.env));
    Outcome id = run(args, indonesian(f.env));
    CHECK(en.err == en_err);
    CHECK(id.err == id_err);
    CHECK(en.exit_code == code);
    CHECK(id.exit_code == code);
}

} // namespace

TEST_CASE("the policy engine's refusals and `policy explain` speak the reader's language, --json keeps the English") {
    Fixture f;
    small_vault(f);
    // Outside every term a reveal is refused by the term rule, whatever the language.
    std::vector<std::string> show = as_admin(f, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "cek"});
    Outcome id = run(show, indonesian(f.env));
    Outcome en = run(show, english(f.env));
    CHECK(en.err ==
          "brankas: error: sub-district accounts are usable only inside a term: it has no term; with a reason, `--break-glass` shows "
          "it anyway, flagged in the log\n");
    CHECK(id.err ==
          "brankas: kesalahan: akun kecamatan hanya dapat dipakai dalam masa tugas: kecamatan ini tidak memiliki masa tugas; dengan "
          "alasan, `--break-glass` tetap menampilkannya, dan ditandai dalam log\n");
    CHECK(id.out.empty());
    CHECK(en.exit_code == 10);
    CHECK(id.exit_code == en.exit_code);

    // One moment for both runs (--at), so that the two --json answers can be compared whole.
    std::vector<std::string> explain = as_admin(f, {"policy", "explain", "--as", "admin", "--action", "read_secret", "--account",
                                                    "instagram/panwascam.ponorogo", "--reason", "cek", "--at", "2030-01-01"});
    Outcome id_explain = run(explain, indonesian(f.env));
    Outcome en_explain = run(explain, english(f.env));
    REQUIRE_MESSAGE(en_explain.exit_code == 0, en_explain.err);
    CHECK(id_explain.exit_code == 0);
    // The reasons: every line after the heading.
    auto rules = [](const std::string& out, const std::string& heading) { return out.substr(out.find("\n" + heading + "\n") + heading.size() + 2); };
    CHECK(rules(en_explain.out, "rules:") ==
          "  [role-matrix] permits: an admin may read passwords\n"
          "  [term-window] forbids: sub-district accounts are usable only inside a term: it has no term; with a reason, `--break-glass` "
          "shows it anyway, flagged in the log\n"
          "  [reason-required] notes: the reason is recorded with the reveal\n");
    CHECK(rules(id_explain.out, "aturan:") ==
          "  [role-matrix] mengizinkan: admin boleh membaca kata sandi\n"
          "  [term-window] melarang: akun kecamatan hanya dapat dipakai dalam masa tugas: kecamatan ini tidak memiliki masa tugas; "
          "dengan alasan, `--break-glass` tetap menampilkannya, dan ditandai dalam log\n"
          "  [reason-required] mencatat: alasan dicatat bersama penampilan kata sandi\n");
    explain.insert(explain.begin() + 4, "--json");
    Outcome id_json = run(explain, indonesian(f.env));
    Outcome en_json = run(explain, english(f.env));
    CHECK(id_json.out == en_json.out);
    CHECK(en_json.out.find("\"text\": \"an admin may read passwords\"") != std::string::npos);
}

TEST_CASE("the vault's own sentences, with their hints, read in Indonesian, the exit codes do not change") {
    Fixture f;
    small_vault(f);
    // A check-out of an account without a password: the account, then the rule's own sentence.
    errors_in_both(f, as_admin(f, {"checkout", "tiktok/panwascam.ponorogo", "--reason", "cek"}), 17,
         "brankas: error: tiktok/panwascam.ponorogo has no password yet\n"
         "brankas: hint: store one with `brankas secret set tiktok/panwascam.ponorogo`\n",
         "brankas: kesalahan: tiktok/panwascam.ponorogo belum memiliki kata sandi\n"
         "brankas: saran: simpan dengan `brankas secret set tiktok/panwascam.ponorogo`\n");
    // An account that exists already.
    errors_in_both(f, as_admin(f, {"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo"}), 17,
         "brankas: error: instagram/panwascam.ponorogo already exists (account 1)\n",
         "brankas: kesalahan: instagram/panwascam.ponorogo sudah ada (akun 1)\n");
    // A user the vault does not know: raised before any passphrase is read.
    errors_in_both(f, {"--vault", f.vault, "--user", "nobody", "status"}, 5,
         "brankas: error: no user 'nobody' in this vault\n"
         "brankas: hint: check the name given with --user or in BRANKAS_USER; if it is yours, ask an admin: a person who was disabled "
         "has no slot any more\n",
         "brankas: kesalahan: tidak ada pengguna 'nobody' di brankas ini\n"
         "brankas: saran: periksa nama yang diberikan dengan --user atau di BRANKAS_USER; jika itu nama Anda, hubungi admin: orang yang "
         "dinonaktifkan tidak lagi memiliki slot\n");
}

TEST_CASE("the verifier's problem, the option parser's errors and the key derivation read in Indonesian, --json does not") {
    Fixture f;
    small_vault(f);
    // A checkpoint taken in another vault: the verifier says so in the reader's language.
    Fixture other;
    other.init();
    const std::string foreign = (f.dir / "foreign.checkpoint").string();
    REQUIRE(other.brankas({"audit", "checkpoint", "--out", foreign}).exit_code == 0);
    std::vector<std::string> verify = as_admin(f, {"audit", "verify", "--checkpoint", foreign});
    Outcome en = run(verify, english(f.env));
    Outcome id = run(verify, indonesian(f.env));
    CHECK(en.err == "brankas: error: verification failed: the checkpoint belongs to another vault\n");
    CHECK(id.err == "brankas: kesalahan: verifikasi gagal: titik periksa ini milik brankas lain\n");
    CHECK(en.exit_code == 9);
    CHECK(id.exit_code == en.exit_code);
    verify.insert(verify.begin() + 4, "--json");
    CHECK(run(verify, indonesian(f.env)).out == run(verify, english(f.env)).out);

    // Boost.Program_options' complaints, caught by kind and said again naming the option.
    std::vector<std::string> unknown{"account", "list", "--bogus"};
    Outcome en_unknown = run(unknown, english(f.env));
    Outcome id_unknown = run(unknown, indonesian(f.env));
    CHECK(en_unknown.err ==
          "brankas: error: unrecognised option '--bogus' (in 'account list')\n"
          "brankas: hint: see `brankas account list --help`\n");
    CHECK(id_unknown.err ==
          "brankas: kesalahan: opsi '--bogus' tidak dikenal (pada 'account list')\n"
          "brankas: saran: lihat `brankas account list --help`\n");
    CHECK(en_unknown.exit_code == 2);
    CHECK(id_unknown.exit_code == 2);
    std::vector<std::string> bad_value{"report", "status", "--days", "soon"};
    CHECK(run(bad_value, english(f.env)).err.starts_with("brankas: error: the argument ('soon') for option '--days' is invalid (in 'report status')\n"));
    CHECK(run(bad_value, indonesian(f.env)).err.starts_with("brankas: kesalahan: argumen ('soon') untuk opsi '--days' tidak sah (pada 'report status')\n"));

    // The key derivation of each slot, in the users table of `status`.
    std::vector<std::string> status = as_admin(f, {"status"});
    CHECK(run(status, english(f.env)).out.find("test (Argon2id, 1 pass, 8 KiB) INSECURE, for the test suite only") != std::string::npos);
    CHECK(run(status, indonesian(f.env)).out.find("test (Argon2id, 1 putaran, 8 KiB) TIDAK AMAN, hanya untuk rangkaian uji") != std::string::npos);
}

TEST_CASE("people's sentences, a role or a status inside a sentence, a damaged keyring and the policy file's own messages read in Indonesian") {
    Fixture f;
    small_vault(f);
    // vault/people: a rule with its hint.
    errors_in_both(f, as_admin(f, {"user", "disable", "admin"}), 17,
         "brankas: error: you cannot disable yourself\n"
         "brankas: hint: ask another admin to do it\n",
         "brankas: kesalahan: Anda tidak dapat menonaktifkan diri sendiri\n"
         "brankas: saran: minta admin lain melakukannya\n");
    // A role named inside a sentence is a word of the catalogue.
    errors_in_both(f, as_admin(f, {"user", "grant", "admin", "--unit", "35.02.01"}), 17,
         "brankas: error: 'admin' has the role admin; only custodians are granted sub-districts\n",
         "brankas: kesalahan: 'admin' adalah admin; hanya petugas kecamatan yang diberi akses kecamatan\n");

    // An account's status inside a sentence; --json keeps the status's name.
    std::vector<std::string> checklist = as_admin(f, {"account", "checklist", "instagram/panwascam.ponorogo"});
    Outcome en = run(checklist, english(f.env));
    Outcome id = run(checklist, indonesian(f.env));
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    CHECK(id.exit_code == 0);
    CHECK(en.out == "instagram/panwascam.ponorogo has no open deactivation checklist (it is active).\n");
    CHECK(id.out == "instagram/panwascam.ponorogo tidak memiliki daftar periksa penonaktifan yang terbuka (statusnya aktif).\n");
    checklist.insert(checklist.begin() + 4, "--json");
    CHECK(run(checklist, indonesian(f.env)).out == run(checklist, english(f.env)).out);

    // The policy file's own messages, each at its line; the count and the exit code do not change.
    const std::string document = (f.dir / "policy.toml").string();
    write_file(document, "[vault]\ntime_zone = \"CET\"\ntime_zome = \"WIB\"\n");
    Outcome en_policy = run({"policy", "check", document}, english(f.env));
    Outcome id_policy = run({"policy", "check", document}, indonesian(f.env));
    CHECK(en_policy.err ==
          "brankas: " + document + ":2: vault.time_zone must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9), not \"CET\"\n"
          "brankas: " + document + ":3: unknown key 'vault.time_zome' (did you mean 'time_zone'?)\n"
          "brankas: error: " + document + " is not a valid policy document (2 errors)\n");
    CHECK(id_policy.err.starts_with(
          "brankas: " + document + ":2: vault.time_zone harus WIB (UTC+7), WITA (UTC+8), atau WIT (UTC+9), bukan \"CET\"\n"
          "brankas: " + document + ":3: kunci 'vault.time_zome' tidak dikenal (maksud Anda 'time_zone'?)\n"));
    CHECK(en_policy.exit_code == 2);
    CHECK(id_policy.exit_code == 2);

    // What is wrong with a damaged keyring, before any passphrase is read.
    write_file(std::filesystem::path(f.vault) / "keyring", "not a keyring at all");
    errors_in_both(f, as_admin(f, {"status"}), 7,
         "brankas: error: the keyring is unreadable: it does not start with the keyring magic (not a Brankas keyring, or truncated)\n"
         "brankas: hint: restore the keyring file from a backup of this vault\n",
         "brankas: kesalahan: keyring tidak dapat dibaca: berkas tidak diawali penanda keyring (bukan keyring Brankas, atau terpotong)\n"
         "brankas: saran: pulihkan berkas keyring dari cadangan brankas ini\n");
}

TEST_CASE("the policy file's syntax, pwquality's reason, a wrong passphrase's hint and a vault directory others may read, in Indonesian") {
    Fixture f;
    // The syntax checker: what was expected, and what stands there instead.
    const std::string document = (f.dir / "policy.toml").string();
    write_file(document, "[checkout]\nmax_duration = \n");
    errors_in_both(f, {"policy", "check", document}, 2,
         "brankas: " + document + ":2: not valid TOML: expected a value (a quoted string, true, false, a number, a list in [ ] or a table in "
         "{ }), not the end of the line\n"
         "brankas: error: " + document + " is not a valid policy document (1 error)\n",
         "brankas: " + document + ":2: bukan TOML yang sah: seharusnya sebuah nilai (string bertanda kutip, true, false, angka, daftar dalam "
         "[ ], atau tabel dalam { }), bukan akhir baris\n"
         "brankas: kesalahan: " + document + " bukan dokumen kebijakan yang sah (1 kesalahan)\n");
    // A key written twice, which toml++ finds after the syntax check.
    write_file(document, "[term]\ngrace_period = \"7d\"\ngrace_period = \"1d\"\n");
    CHECK(run({"policy", "check", document}, indonesian(f.env)).err.starts_with(
          "brankas: " + document + ":3: bukan TOML yang sah: 'grace_period' didefinisikan dua kali, atau memperluas tabel atau nilai yang "
          "sudah didefinisikan sebelumnya\n"));

    // pwquality's reason for a weak passphrase, in the catalogue's words (not pwquality's "kata sandi").
    write_file(f.dir / "weak.txt", "admin-admin-admin-x\n");
    Env weak = f.env;
    weak["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "weak.txt").string();
    std::vector<std::string> init{"--vault", f.vault, "--user", "admin", "init", "--institution", institution, "--kdf", "test"};
    Outcome en_weak = run(init, english(weak));
    Outcome id_weak = run(init, indonesian(weak));
    CHECK(en_weak.err ==
          "brankas: error: the new passphrase is too weak (it contains the user name)\n"
          "brankas: hint: choose at least 15 characters, for example four or five unrelated words\n");
    CHECK(id_weak.err ==
          "brankas: kesalahan: frasa sandi baru terlalu lemah (memuat nama pengguna)\n"
          "brankas: saran: pilih sekurang-kurangnya 15 karakter, misalnya empat atau lima kata yang tidak saling berkaitan\n");
    CHECK(en_weak.exit_code == 11);
    CHECK(id_weak.exit_code == 11);

    // A wrong passphrase, and the hint that the slot may be damaged instead.
    f.init();
    write_file(f.dir / "wrong.txt", "bukan-frasa-sandi-yang-benar\n");
    Env wrong = f.env;
    wrong["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "wrong.txt").string();
    Outcome en_wrong = run(as_admin(f, {"status"}), english(wrong));
    Outcome id_wrong = run(as_admin(f, {"status"}), indonesian(wrong));
    CHECK(en_wrong.err ==
          "brankas: error: wrong passphrase for user 'admin'\n"
          "brankas: hint: if it is right, the slot may be damaged: `brankas status`, run by another user, compares every slot with the log\n");
    CHECK(id_wrong.err ==
          "brankas: kesalahan: frasa sandi salah untuk pengguna 'admin'\n"
          "brankas: saran: jika frasa sandinya benar, slotnya mungkin rusak: `brankas status`, yang dijalankan pengguna lain, membandingkan "
          "setiap slot dengan log\n");
    CHECK(id_wrong.exit_code == en_wrong.exit_code);

    // A vault directory that others may list: a warning, and the command goes on.
    std::filesystem::permissions(f.vault, std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                              std::filesystem::perms::others_read | std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    Outcome id_open = run(as_admin(f, {"status"}), indonesian(f.env));
    CHECK(id_open.exit_code == 0);
    CHECK(id_open.err.starts_with("brankas: peringatan: direktori brankas " + f.vault + " dapat dibaca orang lain (mode 0755); jadikan pribadi: chmod 700 " +
                                  f.vault + "\n"));
}

TEST_CASE("a malformed checkpoint file, a CSV file's open quote and `policy show`'s heading read in Indonesian") {
    Fixture f;
    small_vault(f);
    // The checkpoint file's own problem, inside the verifier's sentence.
    const std::string checkpoint = (f.dir / "bad.checkpoint").string();
    write_file(checkpoint, "brankas checkpoint v1\nvault: 00\n");
    errors_in_both(f, as_admin(f, {"audit", "verify", "--checkpoint", checkpoint}), 2,
         "brankas: error: the checkpoint file is malformed: the line 'sequence' is missing or lacks its line feed\n",
         "brankas: kesalahan: berkas titik periksa cacat: baris 'sequence' tidak ada atau tidak diakhiri line feed\n");

    // The CSV reader: a quote that is never closed.
    const std::string csv = (f.dir / "akun.csv").string();
    write_file(csv, "kecamatan,platform,username,password\n35.02.01,instagram,\"panwascam,rahasia-satu\n");
    errors_in_both(f, as_admin(f, {"import", "csv", csv}), 2,
         "brankas: error: the quote opened on line 2 is never closed\n",
         "brankas: kesalahan: tanda kutip yang dibuka pada baris 2 tidak pernah ditutup\n");

    // `policy show` before any policy was set: its heading comment, then the document.
    Outcome en = run(as_admin(f, {"policy", "show"}), english(f.env));
    Outcome id = run(as_admin(f, {"policy", "show"}), indonesian(f.env));
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    CHECK(en.out.starts_with("# No policy was set: these are the defaults. Change them with `brankas policy set FILE`.\n"));
    CHECK(id.out.starts_with("# Belum ada kebijakan yang ditetapkan: inilah nilai bawaannya. Ubah dengan `brankas policy set FILE`.\n"));
}

TEST_CASE("serve's refusals to start read in Indonesian: an address beyond loopback without TLS, a bad --listen, missing TLS files") {
    Fixture f;
    f.init();
    errors_in_both(f, {"--vault", f.vault, "serve", "--listen", "0.0.0.0:8443"}, 2,
         "brankas: error: refusing to serve 0.0.0.0:8443 without TLS: only the loopback address may be served in plain HTTP\n"
         "brankas: hint: give --tls-cert FILE --tls-key FILE, or listen on 127.0.0.1 behind a reverse proxy (contrib/proxy/)\n",
         "brankas: kesalahan: menolak melayani 0.0.0.0:8443 tanpa TLS: hanya alamat loopback yang boleh dilayani dengan HTTP biasa\n"
         "brankas: saran: berikan --tls-cert BERKAS --tls-key BERKAS, atau dengarkan di 127.0.0.1 di belakang reverse proxy (contrib/proxy/)\n");
    errors_in_both(f, {"--vault", f.vault, "serve", "--listen", "8420"}, 2,
         "brankas: error: --listen '8420' has no port\n"
         "brankas: hint: write it as ADDRESS:PORT, e.g. 127.0.0.1:8420\n",
         "brankas: kesalahan: --listen '8420' tidak memuat port\n"
         "brankas: saran: tulis sebagai ALAMAT:PORT, misalnya 127.0.0.1:8420\n");
    errors_in_both(f, {"--vault", f.vault, "serve", "--tls-cert", (f.dir / "cert.pem").string()}, 2,
         "brankas: error: --tls-cert and --tls-key go together\n"
         "brankas: hint: give both, or neither\n",
         "brankas: kesalahan: --tls-cert dan --tls-key harus diberikan bersama\n"
         "brankas: saran: berikan keduanya, atau tidak sama sekali\n");
    // The system's reason comes last, in whatever language the system gives it.
    const std::string missing = (f.dir / "missing.pem").string();
    std::vector<std::string> tls{"--vault", f.vault, "serve", "--tls-cert", missing, "--tls-key", missing};
    Outcome en = run(tls, english(f.env));
    Outcome id = run(tls, indonesian(f.env));
    CHECK(en.exit_code == 13);
    CHECK(id.exit_code == 13);
    CHECK(en.err.starts_with("brankas: error: cannot read the TLS certificate " + missing + ": "));
    CHECK(id.err.starts_with("brankas: kesalahan: sertifikat TLS " + missing + " tidak dapat dibaca: "));
    CHECK(std::count(id.err.begin(), id.err.end(), '\n') == 1);
}

TEST_CASE("serve's help reads in Indonesian: its summary and every option, and in English under LANG=C") {
    Fixture f;
    Outcome id = run({"serve", "--help"}, indonesian(f.env));
    Outcome en = run({"serve", "--help"}, english(f.env));
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    for (const char* said : {"layani brankas ke peramban: pengguna masuk dengan frasa sandinya", "Opsi untuk serve:",
                             "ALAMAT:PORT tempat mendengarkan", "layani HTTPS dengan sertifikat PEM ini", "kunci privat PEM dari --tls-cert",
                             "reverse proxy di mesin ini melayani HTTPS"}) {
        CAPTURE(said);
        CHECK(id.out.find(said) != std::string::npos);
    }
    for (const char* said : {"serve the vault to browsers: people sign in with their passphrase", "Options for serve:",
                             "ADDRESS:PORT to listen on", "serve HTTPS with this PEM certificate", "the PEM private key of --tls-cert",
                             "a reverse proxy on this machine serves HTTPS"}) {
        CAPTURE(said);
        CHECK(en.out.find(said) != std::string::npos);
    }
}

TEST_CASE("a recovery share is printed in the language of whoever splits, and read back in any") {
    Fixture f;
    f.init();
    const auto dir = f.dir / "shares";
    Outcome split = run({"--vault", f.vault, "--user", "admin", "recovery", "split", "--shares", "2", "--threshold", "2",
                         "--out-dir", dir.string()},
                        indonesian(f.env));
    REQUIRE_MESSAGE(split.exit_code == 0, split.err);
    const std::string first = read_file(dir / "share-1-of-2.txt"), second = read_file(dir / "share-2-of-2.txt");
    CHECK(first.starts_with("BAGIAN PEMULIHAN BRANKAS 1 dari 2 (2 bagian mana pun memulihkan brankas)\n"
                            "Brankas: Bawaslu Kabupaten Ponorogo\n"
                            "ID brankas: "));
    // The split is named as status names it ("dibagi"), not "Pecahan" (a fragment, which a
    // holder would take for the share itself).
    CHECK(first.find("\nID pembagian: ") != std::string::npos);
    CHECK(first.find("Jaga kerahasiaan kertas ini") != std::string::npos);
    CHECK(first.find("RECOVERY SHARE") == std::string::npos);
    // The numbered lines are all a reader takes: the Indonesian shares reset the admin's
    // passphrase from an English session.
    Outcome reset = run({"--vault", f.vault, "--user", "nobody", "recovery", "unlock", "--share-file", (dir / "share-1-of-2.txt").string(),
                         "--share-file", (dir / "share-2-of-2.txt").string(), "--kdf", "test", "reset-passphrase", "admin"},
                        english(f.env));
    CHECK_MESSAGE(reset.exit_code == 0, reset.err);
}

TEST_CASE("user list: --json names what each person unlocks with in English in every language, the table in the reader's") {
    Fixture f;
    f.clock_at("2029-03-01 03");
    f.init();
    // Added at 03:00:05 UTC: the code is valid for 72 hours, to 2029-03-04 10:00 WIB.
    REQUIRE(f.brankas({"user", "add", "budi", "--role", "auditor", "--kdf", "test"}).exit_code == 0);
    const Env env = f.env;
    auto in = [&](const Env& language, std::vector<std::string> args) {
        f.env = language;
        Outcome o = f.brankas(std::move(args));
        f.env = env;
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return o;
    };
    const std::string json_en = in(english(env), {"--json", "user", "list"}).out;
    CHECK(in(indonesian(env), {"--json", "user", "list"}).out == json_en);
    CHECK(json_en.find("\"unlocks_with\": \"passphrase\"") != std::string::npos);
    CHECK(json_en.find("\"unlocks_with\": \"enrollment code\"") != std::string::npos);
    const std::string show_en = in(english(env), {"--json", "user", "show", "budi"}).out;
    CHECK(in(indonesian(env), {"--json", "user", "show", "budi"}).out == show_en);

    CHECK(in(english(env), {"user", "list"}).out ==
          "NAME   ROLE     STATUS   UNITS  UNLOCKS WITH\n"
          "admin  admin    active   -      passphrase\n"
          "budi   auditor  pending  -      enrollment code (until 2029-03-04 10:00 WIB)\n");
    CHECK(in(indonesian(env), {"user", "list"}).out ==
          "NAMA   PERAN    STATUS   KECAMATAN  DIBUKA DENGAN\n"
          "admin  admin    active   -          frasa sandi\n"
          "budi   auditor  pending  -          kode pendaftaran (berlaku sampai 2029-03-04 10:00 WIB)\n");
}

namespace {

// The column (in characters) where the value of each line of a "Label   value" block starts,
// for the lines that begin with one of `labels` and a space; a label not found is column 0.
std::vector<std::size_t> value_columns(const std::string& out, const std::vector<std::string>& labels) {
    auto characters = [](std::string_view s) {
        return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    };
    std::vector<std::size_t> columns;
    for (const std::string& label : labels) {
        std::size_t column = 0;
        for (std::size_t at = 0; at < out.size();) {
            std::size_t end = std::min(out.find('\n', at), out.size());
            std::string_view line(out.data() + at, end - at);
            if (line.starts_with(label + " ")) {
                std::size_t value = line.find_first_not_of(' ', label.size());
                column = characters(line.substr(0, value));
                break;
            }
            at = end + 1;
        }
        INFO("label: " << label);
        CHECK(column > label.size());
        columns.push_back(column);
    }
    return columns;
}

// The small vault at 2029-03-01 03 UTC inside a term, its Ponorogo account checked out at
// 03:00:25 UTC (the sixth command) for two hours, until 12:00 WIB, and returned.
struct ReturnedCheckout {
    Fixture f;
    ReturnedCheckout() {
        f.clock_at("2029-03-01 03");
        small_vault(f);
        REQUIRE(f.brankas({"term", "add", "Pemilu 2029", "--start", "2029-01-01", "--end", "2029-12-31"}).exit_code == 0);
        REQUIRE(f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah", "--for", "2h"}).exit_code == 0);
        REQUIRE(f.brankas({"checkin", "instagram/panwascam.ponorogo"}).exit_code == 0);
    }
    // What the admin's command prints in `language` (indonesian() or english() of the fixture's
    // environment).
    std::string in(Env (*language)(Env), std::vector<std::string> args) {
        const Env usual = f.env;
        f.env = language(usual);
        Outcome o = f.brankas(std::move(args));
        f.env = usual;
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return o.out;
    }
};

} // namespace

TEST_CASE("the values of status, audit verify and backup verify line up in Indonesian as in English, however long a label's translation") {
    Fixture f;
    small_vault(f);
    const std::filesystem::path backups = f.dir / "backups";
    std::filesystem::create_directory(backups);
    std::filesystem::permissions(backups, std::filesystem::perms::owner_all);
    REQUIRE(f.brankas({"audit", "checkpoint", "--out", (f.dir / "head.chk").string()}).exit_code == 0);
    REQUIRE(f.brankas({"backup", "create", (backups / "a.bak").string()}).exit_code == 0);
    auto lined_up = [](const Outcome& o, const std::vector<std::string>& labels) {
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        INFO("output:\n" << o.out);
        const std::vector<std::size_t> columns = value_columns(o.out, labels);
        CHECK(std::count(columns.begin(), columns.end(), columns.front()) == static_cast<std::ptrdiff_t>(columns.size()));
    };
    lined_up(run(as_admin(f, {"status"}), indonesian(f.env)),
             {"Brankas", "Lembaga", "ID brankas", "Penyimpanan", "Log", "Kepala rantai", "Titik periksa", "Pemulihan"});
    lined_up(run(as_admin(f, {"status"}), english(f.env)), {"Vault", "Institution", "Vault id", "Store", "Log", "Head", "Checkpoint", "Recovery"});
    const std::vector<std::string> verify_id{"Rantai", "Tanda tangan", "Putar ulang", "Titik periksa", "Kepala rantai", "Admin pertama"};
    lined_up(run(as_admin(f, {"audit", "verify", "--checkpoint", (f.dir / "head.chk").string()}), indonesian(f.env)), verify_id);
    lined_up(run(as_admin(f, {"audit", "verify", "--checkpoint", (f.dir / "head.chk").string()}), english(f.env)),
             {"Chain", "Signatures", "Replay", "Checkpoint", "Head", "First admin"});
    lined_up(run(as_admin(f, {"backup", "verify", (backups / "a.bak").string()}), indonesian(f.env)),
             {"Cadangan", "Brankas", "Dibuat", "Tanda tangan", "Bagian", "Rantai", "Putar ulang", "Kepala rantai", "Admin pertama"});

    // --since: the second line of the replay's value starts where the values do.
    const Outcome since = run(as_admin(f, {"audit", "verify", "--since", (f.dir / "head.chk").string()}), indonesian(f.env));
    REQUIRE_MESSAGE(since.exit_code == 0, since.err);
    const std::size_t column = value_columns(since.out, {"Rantai"}).front();
    CHECK(since.out.find("\n" + std::string(column, ' ') + "peran, status, dan kunci pengguna") != std::string::npos);
}

TEST_CASE("the date options' help in Indonesian names the day given, not today") {
    Fixture f;
    // "hari ini" is today: a --since, --until or --at of "hari ini" would read as a filter on today.
    struct Case {
        std::vector<std::string> command;
        std::string option, help;
    };
    for (const Case& c : std::vector<Case>{
             {{"audit", "log", "--help"}, "--since", "sejak tanggal (YYYY-MM-DD) atau saat (YYYY-MM-DDTHH:MM[:SS]) yang diberikan"},
             {{"report", "access", "--help"}, "--until", "sampai dengan tanggal yang diberikan (hari itu termasuk), atau sampai sebelum"},
             {{"enforce", "--help"}, "--at", "dengan --dry-run: rencana per tanggal yang diberikan (YYYY-MM-DD, pada awal"},
             {{"policy", "explain", "--help"}, "--at", "per tanggal yang diberikan (YYYY-MM-DD, pada awal hari itu;"}}) {
        Outcome help = run(c.command, indonesian(f.env));
        INFO(c.command[0] << " " << c.option << ":\n" << help.out);
        REQUIRE(help.exit_code == 0);
        // The option's description, its lines joined (the help wraps it).
        std::string text = help.out.substr(help.out.find("  " + c.option + " "));
        text = text.substr(0, text.find("\n  --"));
        std::string words;
        for (std::size_t at = 0; at < text.size();) {
            const std::size_t word = text.find_first_not_of(" \n", at);
            if (word == std::string::npos) break;
            const std::size_t end = std::min(text.find_first_of(" \n", word), text.size());
            words += (words.empty() ? "" : " ") + text.substr(word, end - word);
            at = end;
        }
        CHECK(words.find(c.help) != std::string::npos);
        CHECK(words.find("hari ini") == std::string::npos);
    }
}

TEST_CASE("checkouts --all: a returned check-out's state reads in Indonesian like an open one's, --json keeps the names") {
    ReturnedCheckout v;
    auto in = [&v](Env (*language)(Env), std::vector<std::string> args) { return v.in(language, std::move(args)); };
    CHECK(in(indonesian, {"checkouts", "--all"}) ==
          "AKUN                          KECAMATAN  PEMINJAM  SAMPAI                KEADAAN       ALASAN\n"
          "instagram/panwascam.ponorogo  35.02.01   admin     2029-03-01 12:00 WIB  dikembalikan  unggah\n");
    CHECK(in(english, {"checkouts", "--all"}) ==
          "ACCOUNT                       UNIT      HOLDER  UNTIL                 STATE     REASON\n"
          "instagram/panwascam.ponorogo  35.02.01  admin   2029-03-01 12:00 WIB  returned  unggah\n");
    const std::string json = in(english, {"--json", "checkouts", "--all"});
    CHECK(json.find("\"state\": \"returned\"") != std::string::npos);
    CHECK(in(indonesian, {"--json", "checkouts", "--all"}) == json);
}

TEST_CASE("account show: the status line reads in one language, the status's word translated with the phrase after it") {
    Fixture f;
    small_vault(f);
    // Line "Status ..." of the record, as printed.
    auto status_line = [](const Outcome& o) {
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        const std::size_t at = o.out.find("\nStatus ");
        REQUIRE(at != std::string::npos);
        const std::string line = o.out.substr(at + 1, o.out.find('\n', at + 1) - at - 1);
        return line.substr(line.find_first_not_of(' ', 6));
    };
    const std::vector<std::string> show = as_admin(f, {"account", "show", "instagram/panwascam.ponorogo"});
    CHECK(status_line(run(show, indonesian(f.env))) == "aktif");
    CHECK(status_line(run(show, english(f.env))) == "active");
    REQUIRE(f.brankas({"account", "archive", "tiktok/panwascam.ponorogo"}).exit_code == 0);
    CHECK(status_line(run(as_admin(f, {"account", "show", "tiktok/panwascam.ponorogo"}), indonesian(f.env))) == "diarsipkan");
    std::vector<std::string> json = show;
    json.insert(json.begin() + 4, "--json");
    CHECK(run(json, indonesian(f.env)).out == run(json, english(f.env)).out);
}

TEST_CASE("report exposure's heading and user show's first line say the role and the status in the reader's language") {
    Fixture f;
    small_vault(f);
    const std::vector<std::string> exposure = as_admin(f, {"report", "exposure", "--user", "admin"});
    auto first_line = [](const Outcome& o) {
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return o.out.substr(0, o.out.find('\n'));
    };
    CHECK(first_line(run(exposure, english(f.env))).starts_with("Exposure of admin (admin, active): "));
    CHECK(first_line(run(exposure, indonesian(f.env))).starts_with("Paparan admin (admin, aktif): "));
    REQUIRE(f.brankas({"user", "add", "siti", "--role", "custodian", "--unit", "35.02.01", "--kdf", "test"}).exit_code == 0);
    const std::vector<std::string> show = as_admin(f, {"user", "show", "siti"});
    CHECK(first_line(run(show, english(f.env))) == "siti: custodian, pending");
    CHECK(first_line(run(show, indonesian(f.env))) == "siti: petugas kecamatan, tertunda");
    std::vector<std::string> json = show;
    json.insert(json.begin() + 4, "--json");
    CHECK(run(json, indonesian(f.env)).out == run(json, english(f.env)).out);
}

TEST_CASE("report access: what was done reads in the reader's language, with the phrase after it, --csv keeps the names") {
    ReturnedCheckout v;
    REQUIRE(v.f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "cek"}).exit_code == 0);
    auto in = [&v](Env (*language)(Env), std::vector<std::string> args) { return v.in(language, std::move(args)); };
    // Each command starts 5 s after the one before, but its event's second depends on how long
    // it ran (longer under the sanitizers): the seconds of the time column are not compared.
    auto without_seconds = [](std::string table) {
        return std::regex_replace(table, std::regex("(\\d\\d:\\d\\d):\\d\\d WIB"), "$1:ss WIB");
    };
    CHECK(without_seconds(in(indonesian, {"report", "access"})) ==
          "AKUN                                     WAKTU                    SIAPA  APA                                     VERSI  AKSES DARURAT  ALASAN\n"
          "instagram/panwascam.ponorogo (35.02.01)  2029-03-01 10:00:ss WIB  admin  peminjaman sampai 2029-03-01 12:00 WIB  1                     unggah\n"
          "                                         2029-03-01 10:00:ss WIB  admin  kata sandi                              1                     cek\n");
    CHECK(without_seconds(in(english, {"report", "access"})) ==
          "ACCOUNT                                  TIME                     WHO    WHAT                                 VERSION  BREAK-GLASS  REASON\n"
          "instagram/panwascam.ponorogo (35.02.01)  2029-03-01 10:00:ss WIB  admin  checkout until 2029-03-01 12:00 WIB  1                     unggah\n"
          "                                         2029-03-01 10:00:ss WIB  admin  password                             1                     cek\n");
    CHECK(in(indonesian, {"report", "access", "--csv"}) == in(english, {"report", "access", "--csv"}));
}

TEST_CASE("the Indonesian help names a person's argument NAMA in every command that takes one") {
    Fixture f;
    for (const std::string command : {"add", "edit", "show", "grant", "revoke", "disable"}) {
        Outcome help = run({"user", command, "--help"}, indonesian(f.env));
        INFO("user " << command << ":\n" << help.out);
        REQUIRE(help.exit_code == 0);
        const std::string heading = "Opsi untuk user " + command + " NAMA";
        CHECK(help.out.find("\n" + heading) != std::string::npos);
        CHECK(help.out.find(" NAME") == std::string::npos);
    }
    const Outcome commands = run({"--help"}, indonesian(f.env));
    CHECK(commands.out.find("(dicetak pada berita acara serah terima): NAMA\n") != std::string::npos);
    CHECK(commands.out.find("nama lengkap, NIP, dan jabatan: NAMA\n") != std::string::npos);
}

TEST_CASE("handover minutes --format with a value it does not take: the Indonesian error says what it must be") {
    Fixture f;
    errors_in_both(f, {"--vault", f.vault, "handover", "minutes", "1", "--format", "pdf"}, 2,
                   "brankas: error: --format is md or html, not 'pdf'\n",
                   "brankas: kesalahan: --format harus md atau html, bukan 'pdf'\n");
}

TEST_CASE("a number a person reads groups its digits as the reader's language does: 1,234 in English, 1.234 in Indonesian") {
    Fixture f;
    f.init();
    // A spreadsheet of 30 rows: between 1,000 and 9,999 bytes.
    std::string sheet = "No;Kode;Kecamatan;Platform;Username;Kata Sandi;Email\r\n";
    for (int i = 1; i <= 30; ++i)
        sheet += std::to_string(i) + ";35.02.01;Ponorogo;Instagram;panwascam.nomor" + std::to_string(i) + ";Rahasia-Nomor-" + std::to_string(i) +
                 "-2029;panwascam.nomor" + std::to_string(i) + "@example.org\r\n";
    REQUIRE(sheet.size() >= 1000);
    REQUIRE(sheet.size() < 10000);
    const std::string file = (f.dir / "akun.csv").string();
    write_file(file, sheet);
    const std::string digits = std::to_string(sheet.size());
    const std::string english_size = digits.substr(0, 1) + "," + digits.substr(1), indonesian_size = digits.substr(0, 1) + "." + digits.substr(1);
    const std::vector<std::string> dry = as_admin(f, {"import", "csv", file, "--create-units", "--dry-run"});
    Outcome en = run(dry, english(f.env));
    Outcome id = run(dry, indonesian(f.env));
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    CHECK(en.out.starts_with("Would import 30 accounts from " + file + " (" + english_size + " bytes, BLAKE2b "));
    CHECK(id.out.starts_with("Akan mengimpor 30 akun dari " + file + " (" + indonesian_size + " bita, BLAKE2b "));
    // --json keeps the plain number.
    std::vector<std::string> json = dry;
    json.insert(json.begin() + 4, "--json");
    CHECK(run(json, indonesian(f.env)).out.find("\"file_bytes\": " + digits + ",") != std::string::npos);
}

TEST_CASE("the Indonesian help of a command about one account describes its REF in Indonesian") {
    Fixture f;
    for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
             {"account", "show"}, {"account", "archive"}, {"secret", "show"}, {"checkout"}, {"checkin"}, {"rotate"}, {"totp"}}) {
        std::vector<std::string> args = command;
        args.push_back("--help");
        Outcome help = run(args, indonesian(f.env));
        INFO(command[0] << ":\n" << help.out);
        REQUIRE(help.exit_code == 0);
        CHECK(help.out.find("platform/handle or the account's number") == std::string::npos);
        CHECK(help.out.find("platform/nama akun atau nomor akun") != std::string::npos);
    }
}

TEST_CASE("the reasons the vault writes itself read in Indonesian in secret history, what a person typed as typed, and --json as signed") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "pwc.ponorogo", "--generate"}).exit_code ==
            0);
    const std::string file = (f.dir / "akun.csv").string();
    write_file(file, "No;Kode;Kecamatan;Platform;Username;Kata Sandi\r\n1;35.02.01;Ponorogo;TikTok;pwc.ponorogo;Rahasia-Nomor-1-2029\r\n");
    Outcome imported = f.brankas({"import", "csv", file});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    // A reason typed to look like one of the vault's, but not one exactly, is the person's.
    REQUIRE(f.brankas({"secret", "set", "instagram/pwc.ponorogo", "--generate", "--reason", "imported, line dua"}).exit_code == 0);

    auto reasons = [&](const Env& env, const std::string& ref) {
        Outcome o = run(as_admin(f, {"secret", "history", ref}), env);
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        // The reason column is the last: what follows the TOTP column's "-".
        std::string out;
        std::istringstream lines(o.out);
        std::string line;
        std::getline(lines, line); // the header
        while (std::getline(lines, line)) {
            std::string reason = line.substr(line.find(" - ") + 3);
            out += reason.substr(reason.find_first_not_of(' ')) + "|";
        }
        return out;
    };
    CHECK(reasons(indonesian(f.env), "instagram/pwc.ponorogo") == "akun ditambahkan|imported, line dua|");
    CHECK(reasons(english(f.env), "instagram/pwc.ponorogo") == "account added|imported, line dua|");
    CHECK(reasons(indonesian(f.env), "tiktok/pwc.ponorogo") == "diimpor dari akun.csv, baris 2|");
    CHECK(reasons(english(f.env), "tiktok/pwc.ponorogo") == "imported from akun.csv, line 2|");
    // Machine output carries the signed bytes, in every language.
    Outcome json = run(as_admin(f, {"--json", "secret", "history", "tiktok/pwc.ponorogo"}), indonesian(f.env));
    CHECK(json.out.find("\"reason\": \"imported from akun.csv, line 2\"") != std::string::npos);
}

TEST_CASE("approvals, checkouts and report access show a reason the vault writes itself in the reader's language, --json and --csv as signed") {
    Fixture f;
    const std::string account = "instagram/panwascam.ponorogo";
    // A sub-district without a term: its check-out breaks the glass, which needs a second admin.
    make_two_admin_vault(f, "\"break_glass\"", [&](Fixture& vault) {
        REQUIRE(vault.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(vault.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo", "--generate"})
                    .exit_code == 0);
    });
    // Typed exactly as the enforcer writes it, it reads as the enforcer's reads.
    const std::string signed_reason = "end of term 'Pemilu 2029'";
    const std::string request = request_number(f.brankas({"checkout", account, "--break-glass", "--reason", signed_reason}));
    auto in = [&f](Env (*language)(Env), std::vector<std::string> args) {
        const Env usual = f.env;
        f.env = language(usual);
        Outcome o = f.brankas(std::move(args));
        f.env = usual;
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return o.out;
    };
    // The line of `table` that names `what`.
    auto line_of = [](const std::string& table, const std::string& what) {
        const std::size_t at = table.find(what);
        REQUIRE_MESSAGE(at != std::string::npos, table);
        const std::size_t start = table.rfind('\n', at) + 1;
        return table.substr(start, table.find('\n', at) - start);
    };

    const std::string waiting_id = line_of(in(indonesian, {"approvals"}), account);
    CHECK(waiting_id.find("  akhir masa tugas 'Pemilu 2029'  0/1  ") != std::string::npos);
    CHECK(waiting_id.find(signed_reason) == std::string::npos);
    CHECK(line_of(in(english, {"approvals"}), account).find("  " + signed_reason + "  0/1  ") != std::string::npos);
    const std::string approvals_json = in(english, {"--json", "approvals"});
    CHECK(approvals_json.find("\"reason\": \"" + signed_reason + "\"") != std::string::npos);
    CHECK(in(indonesian, {"--json", "approvals"}) == approvals_json);

    Outcome approved = as(f, "admin2", (f.dir / "admin2.pass").string(), {"approve", request, "--reason", "diperiksa"});
    REQUIRE_MESSAGE(approved.exit_code == 0, approved.err);
    Outcome taken = f.brankas({"checkout", account, "--break-glass", "--request", request});
    REQUIRE_MESSAGE(taken.exit_code == 0, taken.err);

    // The reason is the last column of both tables.
    CHECK(line_of(in(indonesian, {"checkouts"}), account).ends_with("  akhir masa tugas 'Pemilu 2029'"));
    CHECK(line_of(in(english, {"checkouts"}), account).ends_with("  " + signed_reason));
    const std::string checkouts_json = in(english, {"--json", "checkouts"});
    CHECK(checkouts_json.find("\"reason\": \"" + signed_reason + "\"") != std::string::npos);
    CHECK(in(indonesian, {"--json", "checkouts"}) == checkouts_json);

    CHECK(line_of(in(indonesian, {"report", "access"}), account).ends_with("  akhir masa tugas 'Pemilu 2029'"));
    CHECK(line_of(in(english, {"report", "access"}), account).ends_with("  " + signed_reason));
    const std::string access_csv = in(english, {"report", "access", "--csv"});
    CHECK(access_csv.find("\"" + signed_reason + "\"") != std::string::npos);
    CHECK(in(indonesian, {"report", "access", "--csv"}) == access_csv);
    CHECK(in(indonesian, {"--json", "report", "access"}) == in(english, {"--json", "report", "access"}));
}

TEST_CASE("policy show writes its comments in the reader's language, its keys and values as they are") {
    Fixture f;
    f.init();
    Outcome id = run(as_admin(f, {"policy", "show"}), indonesian(f.env));
    Outcome en = run(as_admin(f, {"policy", "show"}), english(f.env));
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    auto lines_of = [](const std::string& text, bool comments) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);)
            if (line.starts_with("#") == comments) out.push_back(line);
        return out;
    };
    CHECK(lines_of(id.out, false) == lines_of(en.out, false));
    const std::vector<std::string> said = lines_of(id.out, true);
    CHECK(std::find(said.begin(), said.end(), "# Apakah peminjaman memerlukan alasan (alasan dicatat dalam log).") != said.end());
    CHECK(std::find(said.begin(), said.end(), "# Masa tunggu platform: langkah yang menunggu baru dapat dicentang setelah selama ini") != said.end());
    // The example of a rule stays a rule.
    CHECK(std::find(said.begin(), said.end(), "#   action = \"checkout\"") != said.end());
    for (const std::string& line : lines_of(en.out, true))
        if (!line.starts_with("#   ")) CHECK_MESSAGE(std::find(said.begin(), said.end(), line) == said.end(), line);
    // What a program reads does not change with the language.
    CHECK(run(as_admin(f, {"--json", "policy", "show"}), indonesian(f.env)).out == run(as_admin(f, {"--json", "policy", "show"}), english(f.env)).out);
}

TEST_CASE("audit log: a refusal of the role matrix reads in the reader's language, as in the browser, --json, --jsonl and --csv as signed") {
    Fixture f;
    small_vault(f);
    const std::string auditor = enroll(f, "aud", {"--role", "auditor"});
    REQUIRE(as(f, "aud", auditor, {"unit", "add", "35.02.03", "Babadan"}).exit_code == 10);
    // A refusal that names a term's state is no sentence of the matrix: shown as written.
    const std::string term_refusal = "sub-district accounts are usable only inside a term: it has no term; with a reason, `--break-glass` shows it "
                                     "anyway, flagged in the log";
    REQUIRE(f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "cek"}).exit_code == 10);
    const std::vector<std::string> log = as_admin(f, {"audit", "log", "--action", "access.denied"});
    Outcome id = run(log, indonesian(f.env));
    Outcome en = run(log, english(f.env));
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    // The rows after the header; the reason is the last column.
    auto rows = [](const std::string& table) {
        std::vector<std::string> out;
        std::istringstream lines(table);
        std::string line;
        std::getline(lines, line);
        while (std::getline(lines, line)) out.push_back(line);
        return out;
    };
    const std::vector<std::string> in_english = rows(en.out), in_indonesian = rows(id.out);
    REQUIRE(in_english.size() == 2);
    REQUIRE(in_indonesian.size() == 2);
    CHECK(in_english[0].ends_with("  an auditor may not manage sub-districts"));
    CHECK(in_indonesian[0].ends_with("  auditor tidak boleh mengelola kecamatan"));
    CHECK(in_english[1].ends_with("  " + term_refusal));
    CHECK(in_indonesian[1].ends_with("  " + term_refusal));
    // What a program reads keeps the English the event was signed with, in every language.
    for (const char* format : {"--csv", "--jsonl"}) {
        std::vector<std::string> args = log;
        args.push_back(format);
        const std::string signed_text = run(args, english(f.env)).out;
        CHECK(signed_text.find("an auditor may not manage sub-districts") != std::string::npos);
        CHECK(run(args, indonesian(f.env)).out == signed_text);
    }
    std::vector<std::string> json = log;
    json.insert(json.begin() + 4, "--json");
    const std::string json_out = run(json, english(f.env)).out;
    CHECK(json_out.find("\"reason\":\"an auditor may not manage sub-districts\"") != std::string::npos);
    CHECK(run(json, indonesian(f.env)).out == json_out);
}

TEST_CASE("policy explain says what each obligation asks beside its name, in the reader's language, --json keeps the names") {
    Fixture f;
    small_vault(f);
    // Outside every term an admin's check-out breaks the glass: three obligations.
    std::vector<std::string> explain = as_admin(f, {"policy", "explain", "--as", "admin", "--action", "checkout", "--account",
                                                    "instagram/panwascam.ponorogo", "--reason", "cek", "--break-glass", "--at", "2030-01-01"});
    Outcome id = run(explain, indonesian(f.env));
    Outcome en = run(explain, english(f.env));
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    auto after = [](const std::string& out, const std::string& heading) { return out.substr(out.find("\n" + heading + "\n") + heading.size() + 2); };
    CHECK(after(en.out, "obligations:") ==
          "  flag_break_glass (flagged as break-glass in the log)\n"
          "  record_reason (the reason is recorded)\n"
          "  expire_at (ends by itself at its time)\n");
    CHECK(after(id.out, "kewajiban:") ==
          "  flag_break_glass (ditandai sebagai akses darurat dalam log audit)\n"
          "  record_reason (alasannya dicatat)\n"
          "  expire_at (berakhir sendiri pada waktunya)\n");
    explain.insert(explain.begin() + 4, "--json");
    Outcome id_json = run(explain, indonesian(f.env));
    CHECK(id_json.out == run(explain, english(f.env)).out);
    CHECK(id_json.out.find("\"obligations\": [\n    \"flag_break_glass\",\n    \"record_reason\",\n    \"expire_at\"\n  ]") != std::string::npos);
}
