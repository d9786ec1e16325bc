// End-to-end: the language a person reads follows the environment (LANGUAGE, LC_MESSAGES,
// LANG) through the catalogue the build compiled; machine output never does.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

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
