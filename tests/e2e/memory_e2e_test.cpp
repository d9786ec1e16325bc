// A password printed by brankas must not outlive the command in its memory: at exit, no copy
// is left in any writable mapping (the C library's stdout buffer held one until secrets were
// written past it, straight from secure memory).
#include "e2e/fixture.hpp"
#include "e2e/memory_at_exit.hpp"

#include <doctest/doctest.h>

using namespace brankas::e2e;

namespace {

constexpr const char* canary = "Kanari-Ponorogo-7f3a9c-Rahasia";

// The password a `rotate` printed: its first line (or, with --json, the value of "password").
std::string printed_password(const std::string& out) {
    auto at = out.find("\"password\": \"");
    if (at != std::string::npos) return out.substr(at + 13, out.find('"', at + 13) - at - 13);
    return out.substr(0, out.find('\n'));
}

void check_no_copy_left(Fixture& f, const std::vector<std::string>& args, const std::function<std::string(const std::string&)>& needle) {
    std::vector<std::string> all{"--vault", f.vault, "--user", "admin"};
    all.insert(all.end(), args.begin(), args.end());
    ExitScan scan = scan_memory_at_exit(all, f.env, needle);
    INFO("brankas " << args[0] << (args.size() > 1 ? " " + args[1] : "") << ": " << scan.outcome.err);
    REQUIRE(scan.outcome.exit_code == 0);
    CHECK(scan.outcome.out.find(needle(scan.outcome.out)) != std::string::npos);
    if (!scan.scanned) {
        MESSAGE("not checked: " << scan.why_not << " (run the suite as root to check it)");
        return;
    }
    CHECK(scan.bytes_read > 0);
    CHECK_MESSAGE(scan.copies == 0, scan.copies << " copies in " << scan.bytes_read << " bytes of writable memory");
}

} // namespace

TEST_CASE("no copy of a printed password is left in the process's memory at exit") {
    if (binary_sanitized()) {
        // AddressSanitizer keeps freed memory as it was (and reserves terabytes of shadow to scan):
        // the normal build runs this test.
        MESSAGE("skipped under AddressSanitizer");
        return;
    }
    Fixture f;
    f.init();
    write_file(f.dir / "canary.txt", std::string(canary) + "\n");
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu", "--start", "2020-01-01", "--end", "2099-12-31"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--from-file", (f.dir / "canary.txt").string()})
                .exit_code == 0);
    auto the_canary = [](const std::string&) { return std::string(canary); };
    const std::string ref = "instagram/panwascam.ponorogo";

    SUBCASE("secret show") { check_no_copy_left(f, {"secret", "show", ref, "--reason", "periksa"}, the_canary); }
    SUBCASE("secret show --json") { check_no_copy_left(f, {"--json", "secret", "show", ref, "--reason", "periksa"}, the_canary); }
    SUBCASE("checkout") { check_no_copy_left(f, {"checkout", ref, "--reason", "unggah"}, the_canary); }
    SUBCASE("checkout --json") { check_no_copy_left(f, {"--json", "checkout", ref, "--reason", "unggah"}, the_canary); }
    SUBCASE("rotate, which prints a password it generated") {
        check_no_copy_left(f, {"rotate", ref, "--reason", "ganti berkala"}, printed_password);
    }
    SUBCASE("rotate --json") { check_no_copy_left(f, {"--json", "rotate", ref, "--reason", "ganti berkala"}, printed_password); }
}
