// A password is UTF-8 text: one that is not is refused where it would be stored, and one an
// older build stored (the password-not-utf8 fixture) is never printed as JSON, which cannot carry
// it (a reader would silently get another password).
#include "e2e/fixture.hpp"

#include <filesystem>

using namespace brankas::e2e;

namespace {

namespace fs = std::filesystem;

const fs::path not_utf8_dir = BRANKAS_FIXTURE_NOT_UTF8;

} // namespace

TEST_CASE("a password that is not UTF-8 is not stored") {
    Fixture f;
    start_from(f, "a unit in a term and an account", [](Fixture& fresh) {
        fresh.init();
        REQUIRE(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(fresh.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
        REQUIRE(fresh.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a1", "--generate"}).exit_code == 0);
        return Values{};
    });
    const std::string pw = (f.dir / "pw").string();
    write_file(pw, "p\xffw\n");

    SUBCASE("secret set") {
        check_one_line_error(f.brankas({"secret", "set", "instagram/a1", "--from-file", pw}), 2, "the password is not UTF-8 text");
        CHECK(f.brankas({"secret", "history", "instagram/a1"}).out.find("\n2 ") == std::string::npos);
    }
    SUBCASE("account add adds nothing") {
        check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "a1", "--from-file", pw}), 2,
                             "the password is not UTF-8 text");
        check_one_line_error(f.brankas({"account", "show", "tiktok/a1"}), 16, "no account tiktok/a1");
    }
    SUBCASE("import csv imports nothing and names the line") {
        write_file(f.dir / "akun.csv", "kode,platform,username,password\n35.02.01,tiktok,a2,rahasia-satu\n35.02.01,x,a2,p\xffw\n");
        Outcome o = f.brankas({"import", "csv", (f.dir / "akun.csv").string()});
        CHECK(o.exit_code == 2);
        CHECK(o.out.empty());
        CHECK(o.err.starts_with("brankas: line 3: the password is not UTF-8 text (save the file as UTF-8)\n"));
        check_one_line_error(f.brankas({"account", "show", "tiktok/a2"}), 16, "no account tiktok/a2");
    }
    SUBCASE("UTF-8 that is not ASCII is stored and printed as JSON") {
        write_file(pw, "sandi-\xc3\xa9\xe2\x82\xac\n");
        REQUIRE(f.brankas({"secret", "set", "instagram/a1", "--from-file", pw}).exit_code == 0);
        Outcome shown = f.brankas({"--json", "secret", "show", "instagram/a1", "--reason", "cek"});
        CHECK_MESSAGE(shown.exit_code == 0, shown.err);
        CHECK(shown.out.find("\"password\": \"sandi-\xc3\xa9\xe2\x82\xac\"") != std::string::npos);
    }
}

TEST_CASE("a stored password that is not UTF-8 is shown as it is, never as JSON") {
    TempDir dir;
    const fs::path vault = dir / "v";
    fs::create_directory(vault);
    fs::permissions(vault, fs::perms::owner_all, fs::perm_options::replace);
    for (const char* name : {"store.db", "keyring"}) {
        fs::copy_file(not_utf8_dir / name, vault / name);
        fs::permissions(vault / name, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    }
    const fs::path pass = dir / "pass.txt";
    write_file(pass, read_file(not_utf8_dir / "TEST-ONLY-passphrase.txt"));
    Env env{{"PATH", "/usr/bin:/bin"}, {"TZ", "UTC"}, {"BRANKAS_PASSPHRASE_FILE", pass.string()}, {"BRANKAS_ALLOW_TEST_KDF", "1"}};
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* v = std::getenv(name)) env[name] = v;
    auto brankas = [&](std::vector<std::string> args) {
        std::vector<std::string> all{"--vault", vault.string(), "--user", "admin"};
        all.insert(all.end(), args.begin(), args.end());
        return run(all, env);
    };

    const std::string not_text = "the password of instagram/a1 is not UTF-8 text, which JSON cannot carry";
    Outcome json = brankas({"--json", "secret", "show", "instagram/a1", "--reason", "cek"});
    check_one_line_error(json, 2, not_text);
    CHECK(json.err.find("brankas: hint: the read is recorded; run it again without --json") != std::string::npos);
    // The check-out is recorded before the password is read: the hint says it is held, and how to see it.
    Outcome held = brankas({"--json", "checkout", "instagram/a1", "--reason", "cek"});
    check_one_line_error(held, 2, not_text);
    CHECK(held.err.find("brankas: hint: the check-out is recorded and yours: `brankas checkin instagram/a1`") != std::string::npos);
    REQUIRE(brankas({"checkin", "instagram/a1"}).exit_code == 0);

    // The plain output gives the bytes as they are.
    Outcome plain = brankas({"secret", "show", "instagram/a1", "--reason", "cek"});
    CHECK_MESSAGE(plain.exit_code == 0, plain.err);
    CHECK(plain.out == "p\xffw\n");
    Outcome verify = brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}
