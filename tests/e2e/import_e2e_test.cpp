// End-to-end: `import csv` and `import keepassxc` through the real binary: a district's whole
// spreadsheet, the same with one bad row, and an export made by keepassxc-cli.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include <sys/stat.h>

using namespace brankas::e2e;

namespace {

// A district's spreadsheet as Excel in an Indonesian locale saves it: ';', a BOM, CRLF.
std::string spreadsheet(std::size_t n) {
    std::ostringstream s;
    s << "\xef\xbb\xbf" << "No;Kode;Kecamatan;Platform;Username;Kata Sandi;Email;No HP\r\n";
    const char* names[] = {"Ponorogo", "Babadan", "Jenangan", "Sukorejo"};
    const char* platforms[] = {"Instagram", "Facebook", "TikTok", "X", "YouTube"};
    for (std::size_t i = 0; i < n; ++i)
        s << i + 1 << ";35.02.0" << 1 + i % 4 << ';' << names[i % 4] << ';' << platforms[i % 5] << ";panwascam." << i
          << ";\"Sandi;" << i << "-rahasia\";panwascam." << i << "@example.org;08123456" << 1000 + i << "\r\n";
    return s.str();
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("a spreadsheet of 1,000 accounts imports in one go, and with one bad row imports nothing and names the line") {
    Fixture f;
    f.init();
    std::string sheet = spreadsheet(1000);
    write_file(f.dir / "akun-panwascam.csv", sheet);

    SUBCASE("one bad row") {
        // The password cell of line 501 left empty: the file's first data row is line 2.
        std::size_t at = sheet.find(";panwascam.499;") + std::string(";panwascam.499;").size();
        sheet.replace(at, sheet.find(";panwascam.499@", at) - at, "");
        write_file(f.dir / "bad.csv", sheet);
        Outcome o = f.brankas({"import", "csv", (f.dir / "bad.csv").string(), "--create-units"});
        CHECK(o.exit_code == 2);
        CHECK(o.out.empty());
        CHECK(o.err == "brankas: line 501: the password is missing\n"
                       "brankas: error: 1 row of " + (f.dir / "bad.csv").string() + " cannot be imported (line 501); nothing was imported\n"
                       "brankas: hint: correct the file and run the import again; --dry-run checks it without importing\n");
        Outcome list = f.brankas({"--json", "account", "list"});
        CHECK(list.out == "[]\n");
        Outcome log = f.brankas({"audit", "log"});
        CHECK(log.out.find("import") == std::string::npos);
        CHECK(log.out.find("unit.add") == std::string::npos);
    }
    SUBCASE("the whole file") {
        Outcome dry = f.brankas({"import", "csv", (f.dir / "akun-panwascam.csv").string(), "--create-units", "--dry-run"});
        REQUIRE_MESSAGE(dry.exit_code == 0, dry.err);
        CHECK(dry.out.starts_with("Would import 1,000 accounts from " + (f.dir / "akun-panwascam.csv").string()));
        CHECK(dry.out.find("Would create sub-district 35.02.04 Sukorejo.\n") != std::string::npos);
        CHECK(dry.out.ends_with("Nothing was changed (--dry-run). Every account would get its password as version 1.\n"));
        CHECK(f.brankas({"--json", "account", "list"}).out == "[]\n");

        Outcome o = f.brankas({"import", "csv", (f.dir / "akun-panwascam.csv").string(), "--create-units"});
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        CHECK(o.out.starts_with("Imported 1,000 accounts (numbers 1 to 1000) from " + (f.dir / "akun-panwascam.csv").string()));
        CHECK(o.out.find("creating 4 sub-districts.\n") != std::string::npos);
        CHECK(o.out.find("wipe it now (shred -u ") != std::string::npos);
        CHECK(o.err.empty()); // no terminal: no progress bar
        Outcome list = f.brankas({"--json", "account", "list"});
        CHECK(count(list.out, "\"platform\"") == 1000);
        // The delimiter inside a quoted password is part of it.
        // No term covers the imported sub-districts: an admin's reveal there breaks the glass.
        Outcome shown = f.brankas({"secret", "show", "tiktok/panwascam.2", "--reason", "cek impor", "--break-glass"});
        CHECK_MESSAGE(shown.exit_code == 0, shown.err);
        CHECK(shown.out == "Sandi;2-rahasia\n");
        Outcome log = f.brankas({"audit", "log"});
        // Event 2, right after the vault's creation: the import, naming the file.
        std::istringstream lines(log.out);
        std::string line, second;
        for (int n = 0; n < 3 && std::getline(lines, line); ++n) second = line;
        CHECK(second.starts_with("2 "));
        CHECK(second.find(" import ") != std::string::npos);
        CHECK(second.ends_with(" akun-panwascam.csv"));
        Outcome verify = f.brankas({"audit", "verify"});
        CHECK_MESSAGE(verify.exit_code == 0, verify.err);
        // Importing the same file again: every row is taken, all reported, nothing imported.
        Outcome again = f.brankas({"import", "csv", (f.dir / "akun-panwascam.csv").string(), "--create-units"});
        CHECK(again.exit_code == 2);
        CHECK(count(again.err, "already exists") == 1000);
        CHECK(again.err.find("brankas: error: 1,000 rows of ") != std::string::npos);
    }
}

TEST_CASE("a KeePassXC export made by keepassxc-cli imports, and its TOTP codes match oathtool") {
    Fixture f;
    // The set-up runs before the codes' moment below, whatever the real date (brankas refuses to
    // write with a clock earlier than the vault's last event); at the real time without faketime.
    if (std::filesystem::exists("/usr/bin/faketime")) f.clock_at("2029-03-01 09");
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.03", "Jenangan"}).exit_code == 0);
    Outcome o = f.brankas({"import", "keepassxc", BRANKAS_KEEPASSXC_EXPORT, "--create-units"});
    REQUIRE_MESSAGE(o.exit_code == 0, o.err);
    CHECK(o.out.starts_with("Imported 5 accounts (numbers 1 to 5) from "));
    CHECK(o.out.find("Note: skipped 1 entry in the recycle bin.\n") != std::string::npos);
    Outcome units = f.brankas({"unit", "list"});
    CHECK(units.out.find("35.02.02  Babadan") != std::string::npos);
    Outcome shown = f.brankas({"secret", "show", "facebook/panwascam.ponorogo@example.org", "--reason", "cek impor", "--break-glass"});
    CHECK(shown.out == "fb sandi dengan spasi\n");
    if (std::filesystem::exists("/usr/bin/faketime") && std::filesystem::exists("/usr/bin/oathtool")) {
        std::string when = "2029-03-01 10:00:00";
        Env env = f.env;
        if (env.count("ASAN_OPTIONS")) env["ASAN_OPTIONS"] += ":verify_asan_link_order=0";
        else env["ASAN_OPTIONS"] = "verify_asan_link_order=0";
        Outcome ours = run({"--vault", f.vault, "--user", "admin", "totp", "instagram/panwascam.ponorogo", "--break-glass"}, env, {"/usr/bin/faketime", when});
        Outcome theirs = run_program({"/usr/bin/faketime", when, "/usr/bin/oathtool", "--totp", "-b", "JBSWY3DPEHPK3PXP"}, env);
        CHECK_MESSAGE(ours.exit_code == 0, ours.err);
        CHECK(ours.out == theirs.out);
    }
}

TEST_CASE("import: header problems and unknown columns are one line, --map names them") {
    Fixture f;
    f.init();
    write_file(f.dir / "a.csv", "Kode,Kecamatan,Platform,Username,Password,Nama Grup\n35.02.01,Ponorogo,instagram,a,b,grup\n");
    Outcome o = f.brankas({"import", "csv", (f.dir / "a.csv").string()});
    check_one_line_error(o, 2, "Brankas does not know the column 'Nama Grup' (column 6)");
    Outcome mapped = f.brankas({"import", "csv", (f.dir / "a.csv").string(), "--map", "Nama Grup=ignore", "--create-units"});
    CHECK_MESSAGE(mapped.exit_code == 0, mapped.err);
    check_one_line_error(f.brankas({"import", "csv", (f.dir / "a.csv").string(), "--map", "nothing"}), 2, "write it as COLUMN=FIELD");
    check_one_line_error(f.brankas({"import", "keepassxc", (f.dir / "a.csv").string()}), 2, "this is not a KeePassXC CSV export");
    check_one_line_error(f.brankas({"import", "csv", (f.dir / "missing.csv").string()}), 13, "cannot open");
}

TEST_CASE("import: a FIFO is not a regular file, and a NUL byte in a password names its line") {
    Fixture f;
    f.init();
    const std::string fifo = (f.dir / "akun.csv").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // A FIFO without a writer reads as empty: it used to be reported as an empty file.
    check_one_line_error(f.brankas({"import", "csv", fifo}), 2, fifo + " is not a regular file (it is a FIFO)");
    check_one_line_error(f.brankas({"import", "keepassxc", fifo}), 2, "is not a regular file (it is a FIFO)");

    using namespace std::string_literals;
    write_file(f.dir / "nul.csv", "Kode,Kecamatan,Platform,Username,Password\n35.02.01,Ponorogo,instagram,satu,sandi\n"
                                  "35.02.01,Ponorogo,instagram,dua,san\0di\n"s);
    Outcome o = f.brankas({"import", "csv", (f.dir / "nul.csv").string(), "--create-units"});
    CHECK(o.exit_code == 2);
    CHECK(o.err.starts_with("brankas: line 3: the password holds a NUL byte (is the file UTF-16?)\n"));
}
