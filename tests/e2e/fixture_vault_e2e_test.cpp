// The vault-0.1 fixture (tests/fixtures/vault-0.1): a vault made by an earlier build, kept in the
// tree, whose log holds every action. Whatever changes in the code, this vault must still open
// for each of its users, verify, and back up as it did; and an altered copy must not verify.
#include "e2e/fixture.hpp"

#include <filesystem>

namespace brankas::e2e {

namespace {

namespace fs = std::filesystem;

const fs::path fixture_dir = BRANKAS_FIXTURE_VAULT;

// The fixture copied into a temporary vault directory with the modes a vault has (git keeps
// no file modes, and a keyring or key file others may read is refused).
struct FixtureVault {
    TempDir dir;
    fs::path vault = dir / "v";
    Env env{{"PATH", "/usr/bin:/bin"}, {"TZ", "UTC"}};

    FixtureVault() {
        fs::create_directory(vault);
        fs::permissions(vault, fs::perms::owner_all, fs::perm_options::replace);
        for (const char* name : {"store.db", "keyring"}) copy_private(fixture_dir / name, vault / name);
        copy_private(fixture_dir / "TEST-ONLY-enforcer.key", dir / "enforcer.key");
        for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
            if (const char* v = std::getenv(name)) env[name] = v;
    }
    static void copy_private(const fs::path& from, const fs::path& to) {
        fs::copy_file(from, to);
        fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    }
    Outcome as(const std::string& user, std::vector<std::string> args) const {
        Env e = env;
        e["BRANKAS_PASSPHRASE_FILE"] = (fixture_dir / "TEST-ONLY-passphrases" / (user + ".txt")).string();
        std::vector<std::string> all{"--vault", vault.string(), "--user", user};
        all.insert(all.end(), args.begin(), args.end());
        return run(all, e);
    }
};

const std::vector<std::string> people{"admin", "admin3", "op1", "op2", "aud"};

} // namespace

TEST_CASE("the vault-0.1 fixture opens for each of its users and its whole history verifies") {
    FixtureVault f;
    const std::string checkpoint = (fixture_dir / "checkpoint.chk").string();
    for (const std::string& user : people) {
        INFO("user " << user);
        Outcome o = f.as(user, {"audit", "verify", "--checkpoint", checkpoint});
        INFO("stderr: " << o.err);
        CHECK(o.exit_code == 0);
        CHECK(o.out.find("The vault verifies.") != std::string::npos);
    }
    Outcome since = f.as("aud", {"audit", "verify", "--since", checkpoint});
    CHECK_MESSAGE(since.exit_code == 0, since.err);
    Outcome enforcer = run({"--vault", f.vault.string(), "--user", "penegak", "--keyfile", (f.dir / "enforcer.key").string(), "status"}, f.env);
    CHECK_MESSAGE(enforcer.exit_code == 0, enforcer.err);
    CHECK(enforcer.out.find("206 events") != std::string::npos);
}

TEST_CASE("the vault-0.1 fixture's backup verifies, and an altered copy of it does not") {
    FixtureVault f;
    const fs::path backup = f.dir / "backup.bak";
    FixtureVault::copy_private(fixture_dir / "backup.bak", backup);
    for (const std::string& user : {std::string("admin"), std::string("aud")}) {
        Outcome o = f.as(user, {"backup", "verify", backup.string()});
        INFO("stderr: " << o.err);
        CHECK(o.exit_code == 0);
        CHECK(o.out.find("The backup verifies.") != std::string::npos);
    }
    flip_byte(backup, fs::file_size(backup) - 1); // the last byte of the store part
    check_one_line_error(f.as("aud", {"backup", "verify", backup.string()}), 9, "does not match its signed hash");
}

TEST_CASE("an altered copy of the vault-0.1 fixture does not verify") {
    SUBCASE("one byte of a page of the store") {
        FixtureVault f;
        flip_byte(f.vault / "store.db", 20 * 4096 + 1000);
        Outcome o = f.as("aud", {"audit", "verify"});
        INFO("stderr: " << o.err);
        CHECK(o.exit_code == 8);
        CHECK(o.out.find("The vault verifies.") == std::string::npos);
    }
    SUBCASE("a checkpoint that names a later event") {
        FixtureVault f;
        std::string text = read_file(fixture_dir / "checkpoint.chk");
        auto at = text.find("sequence: ");
        REQUIRE(at != std::string::npos);
        text.replace(at, text.find('\n', at) - at, "sequence: 207");
        write_file(f.dir / "late.chk", text);
        Outcome o = f.as("aud", {"audit", "verify", "--checkpoint", (f.dir / "late.chk").string()});
        INFO("stderr: " << o.err);
        CHECK(o.exit_code == 9);
    }
}

} // namespace brankas::e2e
