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
