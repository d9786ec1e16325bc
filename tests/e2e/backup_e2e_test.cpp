// End-to-end: backup create, verify and restore through the real binary, while other
// processes use the vault, and on damaged copies.
#include "e2e/fixture.hpp"
#include "support/file_mode.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using namespace brankas::e2e;
using brankas::test::mode_of;

namespace {

// A vault with a sub-district inside a long term and one account with a password.
void district(Fixture& f) {
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    Outcome add = f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                             "--from-file", (f.dir / "pass.txt").string()});
    REQUIRE_MESSAGE(add.exit_code == 0, add.err);
}

std::vector<std::string> hidden_entries(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().starts_with(".")) out.push_back(e.path().filename().string());
    return out;
}

} // namespace

TEST_CASE("a backup taken while another process checks out restores elsewhere, verifies and opens with the same passphrases") {
    Fixture f;
    district(f);
    std::string auditor_pass = enroll(f, "auditor1", {"--role", "auditor"});

    // Another process checks the account out and in, again and again, while the backup is taken.
    std::atomic<bool> stop{false};
    std::atomic<int> rounds{0}, failures{0};
    std::thread person([&] {
        while (!stop) {
            Outcome out = f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah hasil pengawasan"});
            Outcome in = f.brankas({"checkin", "instagram/panwascam.ponorogo"});
            if (out.exit_code != 0 || in.exit_code != 0) ++failures;
            ++rounds;
        }
    });
    while (rounds < 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::string backup = (f.dir / "brankas-2029-06-30.bak").string();
    Outcome created = f.brankas({"backup", "create", backup});
    stop = true;
    person.join();
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    CHECK(failures == 0);
    CHECK(created.out.starts_with(std::string("Backed up the vault of ") + institution + " to " + backup));
    CHECK(mode_of(backup) == 0600);

    Outcome verified = f.brankas({"backup", "verify", backup});
    CHECK_MESSAGE(verified.exit_code == 0, verified.err);
    CHECK(verified.out.find("Signature    valid, by admin's key as the backup's own log introduced it\n") != std::string::npos);
    CHECK(verified.out.find("Replay       the stored tables match a fresh replay of the log\n") != std::string::npos);
    CHECK(verified.out.ends_with("The backup verifies.\n"));

    // Elsewhere: no --vault is needed, only the backup and a passphrase it knows.
    std::string restored = (f.dir / "elsewhere" / "restored").string();
    std::filesystem::create_directory(f.dir / "elsewhere");
    Outcome restore = run({"--user", "admin", "backup", "restore", backup, "--to", restored}, f.env);
    REQUIRE_MESSAGE(restore.exit_code == 0, restore.err);
    CHECK(restore.out.find("Restored the vault to " + restored + ": it verifies") != std::string::npos);
    CHECK(mode_of(restored) == 0700);
    CHECK(hidden_entries(f.dir / "elsewhere").empty());

    Outcome audit = run({"--vault", restored, "--user", "admin", "audit", "verify"}, f.env);
    CHECK_MESSAGE(audit.exit_code == 0, audit.err);
    // The copy ends at the backup: the log's last event in it is backup.create.
    Outcome log = run({"--vault", restored, "--user", "admin", "audit", "log"}, f.env);
    std::string last_line = log.out.substr(log.out.rfind('\n', log.out.size() - 2) + 1);
    CHECK(last_line.find("admin") != std::string::npos);
    CHECK(last_line.find("backup.create") != std::string::npos);
    Outcome shown = run({"--vault", restored, "--user", "admin", "secret", "show", "instagram/panwascam.ponorogo", "--reason", "uji pemulihan"}, f.env);
    CHECK_MESSAGE(shown.exit_code == 0, shown.err);
    CHECK(shown.out == std::string(passphrase) + "\n");
    Env auditor_env = f.env;
    auditor_env["BRANKAS_PASSPHRASE_FILE"] = auditor_pass;
    Outcome auditor = run({"--vault", restored, "--user", "auditor1", "audit", "verify"}, auditor_env);
    CHECK_MESSAGE(auditor.exit_code == 0, auditor.err);
}

TEST_CASE("one flipped byte makes backup verify and restore fail with one line, creating nothing") {
    Fixture f;
    district(f);
    std::string backup = (f.dir / "b.bak").string();
    REQUIRE(f.brankas({"backup", "create", backup}).exit_code == 0);
    const std::string good = read_file(backup);
    const std::size_t header_and_manifest = 46 + 153 + 64;
    for (std::size_t offset : {std::size_t{3}, std::size_t{20}, std::size_t{50}, std::size_t{120}, std::size_t{230},
                               header_and_manifest + 30, good.size() / 2, good.size() - 1}) {
        CAPTURE(offset);
        write_file(f.dir / "bad.bak", good);
        flip_byte(f.dir / "bad.bak", offset);
        Outcome verify = f.brankas({"backup", "verify", (f.dir / "bad.bak").string()});
        check_one_line_error(verify, 9, offset < 8 ? "is not a Brankas backup" : "is damaged or was altered");
        Outcome restore = f.brankas({"backup", "restore", (f.dir / "bad.bak").string(), "--to", (f.dir / "r").string()});
        check_one_line_error(restore, 9, offset < 8 ? "is not a Brankas backup" : "is damaged or was altered");
        CHECK_FALSE(std::filesystem::exists(f.dir / "r"));
        CHECK(hidden_entries(f.dir.path()).empty());
    }
    CHECK(f.brankas({"backup", "verify", backup}).exit_code == 0);
}

TEST_CASE("backup refuses to replace a file, restore refuses a vault, and a custodian may not take one") {
    Fixture f;
    district(f);
    std::string operator_pass = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    write_file(f.dir / "keep.bak", "not a backup");
    check_one_line_error(f.brankas({"backup", "create", (f.dir / "keep.bak").string()}), 17, "already exists");
    CHECK(read_file(f.dir / "keep.bak") == "not a backup");
    check_one_line_error(f.brankas({"backup", "verify", (f.dir / "keep.bak").string()}), 9, "is not a Brankas backup");

    std::string backup = (f.dir / "b.bak").string();
    REQUIRE(f.brankas({"backup", "create", backup}).exit_code == 0);
    check_one_line_error(f.brankas({"backup", "restore", backup, "--to", f.vault}), 4, "a vault already exists at");
    check_one_line_error(f.brankas({"backup", "restore", backup}), 2, "--to");
    check_one_line_error(f.brankas({"backup", "verify", (f.dir / "missing.bak").string()}), 13, "cannot read");
    // Someone without a slot in the backup cannot open what is inside.
    check_one_line_error(f.brankas({"backup", "verify", backup}, "nobody"), 5, "no user 'nobody'");

    Outcome denied = as(f, "operator1", operator_pass, {"backup", "create", (f.dir / "mine.bak").string()});
    check_one_line_error(denied, 10, "a custodian may not create backups");
    CHECK_FALSE(std::filesystem::exists(f.dir / "mine.bak"));
    CHECK(hidden_entries(f.dir.path()).empty());

    Outcome json = f.brankas({"--json", "backup", "verify", backup});
    CHECK_MESSAGE(json.exit_code == 0, json.err);
    CHECK(json.out.find("\"ok\": true") != std::string::npos);
    CHECK(json.out.find("\"signer\": \"admin\"") != std::string::npos);
}
