// The listings stream: a listing's peak memory does not grow with the number of its rows. The
// same listings run on a vault of 300 accounts in 60 sub-districts and on one of 3,000 accounts
// in 600, and each one's peak resident memory (the child's, from wait4) on the larger vault must
// stay within a fixed allowance of its peak on the smaller one. What a streaming listing still
// grows by is SQLite's page cache, which keeps the pages a listing reads (at most 16 MiB,
// database.cpp): 2.9-3.5 MiB here for the listings that read the whole log. A listing that held
// its rows as JSON trees or report entries grew by 4.5-9.5 MiB (`report exposure` before it
// streamed); one that held only lean table rows (a few hundred bytes each) would not show at
// this size, so the check-outs and the units are also checked by the daily bench at 30,000
// accounts and 7,300 sub-districts. A second pair of vaults is the morning after a term ended
// (every account deactivated, owing a new password, with a checklist of six steps open): what
// `status` and `report status` list then grows with the accounts. Skipped under
// AddressSanitizer; about 15 s on a shared two-core machine.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include <sys/resource.h>

using namespace brankas::e2e;

namespace {

constexpr long allowance_kib = 4 * 1024;

// A district's spreadsheet: `accounts` accounts spread over `units` sub-districts, each with a
// name of the longest kind (100 bytes), so that a sub-district held in memory costs what it
// would in a real vault.
std::string spreadsheet(int accounts, int units) {
    std::ostringstream s;
    s << "No;Kode;Kecamatan;Platform;Username;Kata Sandi;Email;No HP\n";
    const char* platforms[] = {"Instagram", "Facebook", "TikTok", "X", "YouTube"};
    for (int i = 0; i < accounts; ++i) {
        int unit = i % units;
        char code[16];
        std::snprintf(code, sizeof code, "%02d.%02d.%02d", 11 + unit / 900, 1 + unit / 30 % 30, 1 + unit % 30);
        std::string name = "Kecamatan " + std::to_string(unit) + " Wonokerto Lor Kidul Sumberejo Karangrejo Tegalsari Wonosari Kebonagung";
        name.resize(100, '.');
        s << i + 1 << ';' << code << ';' << name << ';' << platforms[i % 5] << ";panwascam." << i << ";Sandi-" << i << "-rahasia;panwascam."
          << i << "@example.org;08123" << 100000 + i << "\n";
    }
    return s.str();
}

// A vault of the given size: the accounts imported in one go, one term, a few check-outs (one
// of them returned), so that every listing has rows.
void build(Fixture& f, int accounts, int units) {
    f.init();
    write_file(f.dir / "akun.csv", spreadsheet(accounts, units));
    Outcome imported = f.brankas({"import", "csv", (f.dir / "akun.csv").string(), "--create-units"});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    REQUIRE(f.brankas({"term", "add", "Pengawasan", "--start", "2020-01-01", "--end", "2099-12-31"}).exit_code == 0);
    for (int i : {0, 1, 2}) {
        Outcome o = f.brankas({"checkout", "instagram/panwascam." + std::to_string(i * 5), "--reason", "unggah laporan pengawasan"});
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
    }
    REQUIRE(f.brankas({"checkin", "instagram/panwascam.0"}).exit_code == 0);
}

// The morning after a term ended: the enforcer's run with the clock past the term (faketime),
// so that every account is deactivated, owes a new password (pending, sealed by the enforcer)
// and has a checklist of six steps, none done. The listings then read it at the real time.
void build_after_term(Fixture& f, int accounts, int units) {
    f.init();
    write_file(f.dir / "akun.csv", spreadsheet(accounts, units));
    Outcome imported = f.brankas({"import", "csv", (f.dir / "akun.csv").string(), "--create-units"});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    REQUIRE(f.brankas({"term", "add", "Pengawasan", "--start", "2020-01-01", "--end", "2098-12-31"}).exit_code == 0);
    const std::string key_file = (f.dir / "enforcer.key").string();
    REQUIRE(f.brankas({"enforcer", "add", "enforcer", "--keyfile", key_file}).exit_code == 0);
    Outcome enforced = run({"--vault", f.vault, "--user", "enforcer", "--keyfile", key_file, "enforce"}, f.env,
                           {"/usr/bin/faketime", "2099-02-01 08:00:00"});
    REQUIRE_MESSAGE(enforced.exit_code == 0, enforced.err);
}

// Whether a listing's rows are ten times as many on the larger vault.
enum class Rows { grow, same };
using Listings = std::vector<std::pair<std::vector<std::string>, Rows>>;

// Each listing on both vaults: the larger one's peak within the allowance of the smaller one's.
void check_peaks(const Fixture& small, const Fixture& large, const Listings& listings) {
    // Linux folds the peak of the memory a child was spawned from into the child's ru_maxrss:
    // the figures are the listing's own only while they stand above this process's peak.
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    for (const auto& [args, rows] : listings) {
        std::string name;
        for (const auto& a : args) name += (name.empty() ? "" : " ") + a;
        Outcome few = small.brankas(args);
        Outcome many = large.brankas(args);
        INFO("brankas " << name << ": " << few.err << many.err);
        REQUIRE(few.exit_code == 0);
        REQUIRE(many.exit_code == 0);
        REQUIRE_MESSAGE(few.peak_rss_kib > self.ru_maxrss + 1024, "the test itself peaked at " << self.ru_maxrss << " KiB");
        // The larger vault's listing is longer: the rows were read, not skipped.
        if (rows == Rows::grow) CHECK(many.out.size() > 5 * few.out.size());
        MESSAGE(name << ": peak " << few.peak_rss_kib << " KiB at 300 accounts, " << many.peak_rss_kib << " KiB at 3,000 ("
                     << many.out.size() / 1024 << " KiB of output)");
        CHECK_MESSAGE(many.peak_rss_kib - few.peak_rss_kib <= allowance_kib,
                      name << " grew by " << many.peak_rss_kib - few.peak_rss_kib << " KiB");
    }
}

} // namespace

TEST_CASE("every listing's peak memory stays the same from 300 to 3,000 accounts") {
    if (binary_sanitized()) {
        // AddressSanitizer keeps freed memory in quarantine and maps its shadow: resident memory
        // says nothing about what the program holds. The normal build runs this test.
        MESSAGE("skipped under AddressSanitizer");
        return;
    }
    Fixture small, large;
    build(small, 300, 60);
    build(large, 3000, 600);

    // The check-outs, handovers, terms, people, requests and an account's versions are the same
    // few on both vaults: each is a command of its own; these listings are here so that none of
    // them goes back to reading the vault whole.
    const Listings listings{
        {{"account", "list"}, Rows::grow},
        {{"--json", "account", "list"}, Rows::grow},
        {{"account", "list", "--status", "active"}, Rows::grow},
        {{"audit", "log"}, Rows::grow},
        {{"--json", "audit", "log"}, Rows::grow},
        {{"audit", "log", "--jsonl"}, Rows::grow},
        {{"audit", "log", "--csv"}, Rows::grow},
        {{"report", "access"}, Rows::same},
        {{"--json", "report", "access"}, Rows::same},
        {{"report", "access", "--csv"}, Rows::same},
        {{"report", "exposure", "--user", "admin"}, Rows::grow},
        {{"--json", "report", "exposure", "--user", "admin"}, Rows::grow},
        {{"report", "exposure", "--user", "admin", "--csv"}, Rows::grow},
        {{"report", "status"}, Rows::grow},
        {{"--json", "report", "status"}, Rows::grow},
        {{"report", "handovers"}, Rows::same},
        {{"unit", "list"}, Rows::grow},
        {{"--json", "unit", "list"}, Rows::grow},
        {{"checkouts"}, Rows::same},
        {{"checkouts", "--all"}, Rows::same},
        {{"--json", "checkouts", "--all"}, Rows::same},
        {{"secret", "history", "instagram/panwascam.0"}, Rows::same},
        {{"--json", "secret", "history", "instagram/panwascam.0"}, Rows::same},
        {{"term", "list"}, Rows::same},
        {{"--json", "term", "list"}, Rows::same},
        {{"user", "list"}, Rows::same},
        {{"--json", "user", "list"}, Rows::same},
        {{"handover", "list"}, Rows::same},
        {{"--json", "handover", "list"}, Rows::same},
        {{"approvals", "--all"}, Rows::same},
        {{"--json", "approvals", "--all"}, Rows::same},
        {{"status"}, Rows::same},
        {{"--json", "status"}, Rows::same},
    };
    check_peaks(small, large, listings);
}

TEST_CASE("after a term ended, status and the status report keep their peak memory from 300 to 3,000 accounts") {
    if (binary_sanitized()) {
        MESSAGE("skipped under AddressSanitizer");
        return;
    }
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return;
    }
    Fixture small, large;
    build_after_term(small, 300, 60);
    build_after_term(large, 3000, 600);
    // Every account has a checklist with steps left: status counts them and names a few, its
    // --json lists every one, the report counts the deactivated accounts of every sub-district.
    Outcome status = large.brankas({"status"});
    CHECK(status.out.find("\nChecklists   3000 deactivated accounts with steps left: instagram/panwascam.0, facebook/panwascam.1, "
                          "tiktok/panwascam.2, x/panwascam.3, youtube/panwascam.4, instagram/panwascam.5, facebook/panwascam.6, "
                          "tiktok/panwascam.7 and 2992 more (brankas account checklist REF)\n") != std::string::npos);
    Outcome json = large.brankas({"--json", "status"});
    CHECK(json.out.find("  \"incomplete_checklists\": [\n    \"instagram/panwascam.0\",\n    \"facebook/panwascam.1\",\n") !=
          std::string::npos);
    CHECK(json.out.find("    \"youtube/panwascam.2999\"\n  ],\n  \"institution\": ") != std::string::npos);
    check_peaks(small, large,
                {{{"status"}, Rows::same},
                 {{"--json", "status"}, Rows::grow},
                 {{"report", "status"}, Rows::grow},
                 {{"--json", "report", "status"}, Rows::grow},
                 {{"report", "status", "--csv"}, Rows::grow}});
}
