// End-to-end: the real brankas binary on real vaults in temporary directories. Each test
// asserts what a user sees: output, exit code, and the files left on disk.
#include "e2e/fixture.hpp"
#include "support/file_mode.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <csignal>
#include <sys/stat.h>

using namespace brankas::e2e;
using brankas::test::mode_of;
using brankas::test::TempDir;

TEST_CASE("the issue's example: init, status, audit log, checkpoint and verify") {
    Fixture f;
    Outcome init = f.init();
    CHECK(init.out.starts_with(std::string("Created the vault of ") + institution + " in " + f.vault + "\n"));
    CHECK(init.err == "brankas: warning: this vault uses the INSECURE test key derivation; use it for tests only\n");

    Outcome status = f.brankas({"status"});
    CHECK(status.exit_code == 0);
    CHECK(status.out.find(std::string("Institution  ") + institution) != std::string::npos);
    CHECK(status.out.find("Log          1 event") != std::string::npos);
    CHECK(status.out.find("admin  admin  active  passphrase") != std::string::npos);
    CHECK(status.out.find("test (Argon2id, 1 pass, 8 KiB) INSECURE, for the test suite only") != std::string::npos);

    Outcome log = f.brankas({"audit", "log"});
    CHECK(log.exit_code == 0);
    CHECK(log.out.starts_with("SEQ  TIME"));
    CHECK(log.out.find("admin  vault.create") != std::string::npos);

    std::string chk = (f.dir / "head.chk").string();
    Outcome cp = f.brankas({"audit", "checkpoint", "--out", chk});
    CHECK(cp.exit_code == 0);
    CHECK(read_file(chk).starts_with("brankas checkpoint v1\n"));

    Outcome verify = f.brankas({"audit", "verify", "--checkpoint", chk});
    CHECK(verify.exit_code == 0);
    CHECK(verify.out.find("Signatures   2 valid") != std::string::npos);
    CHECK(verify.out.find("The vault verifies.\n") != std::string::npos);
}

TEST_CASE("the vault files are private and contain no plain text") {
    Fixture f;
    f.init();
    CHECK(mode_of(f.dir / "v") == 0700);
    CHECK(mode_of(f.dir / "v" / "store.db") == 0600);
    CHECK(mode_of(f.dir / "v" / "keyring") == 0600);
    std::string store = read_file(f.dir / "v" / "store.db");
    CHECK(store.substr(0, 15) != "SQLite format 3");
    for (const char* word : {"Bawaslu", "Ponorogo", "admin", "vault.create"}) {
        INFO(word);
        CHECK(store.find(word) == std::string::npos);
        CHECK(read_file(f.dir / "v" / "keyring").find(word) == std::string::npos);
    }
    // The sqlcipher shell cannot read the store without its key.
    if (std::filesystem::exists("/usr/bin/sqlcipher")) {
        Outcome shell = run_program({"/usr/bin/sqlcipher", (f.dir / "v" / "store.db").string(), "select count(*) from sqlite_master"}, f.env);
        CHECK(shell.exit_code != 0);
        CHECK(shell.err.find("file is encrypted or is not a database") != std::string::npos);
    }
}

TEST_CASE("every failure to open is one clear line and a documented exit code") {
    Fixture f;
    start_from(f, "an empty vault", [](Fixture& fresh) {
        fresh.init();
        return Values{};
    });
    SUBCASE("wrong passphrase") {
        write_file(f.dir / "wrong.txt", "not-the-passphrase-at-all\n");
        f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "wrong.txt").string();
        check_one_line_error(f.brankas({"status"}), 6, "wrong passphrase for user 'admin'");
    }
    SUBCASE("missing vault") {
        f.vault = (f.dir / "elsewhere").string();
        Outcome o = f.brankas({"status"});
        check_one_line_error(o, 3, "no vault at");
        CHECK(o.err.find("brankas: hint: create one with `brankas --vault") != std::string::npos);
    }
    SUBCASE("no such user") {
        check_one_line_error(f.brankas({"status"}, "siti"), 5, "no user 'siti' in this vault");
    }
    SUBCASE("truncated keyring") {
        std::filesystem::resize_file(f.dir / "v" / "keyring", 40);
        check_one_line_error(f.brankas({"status"}), 7, "the keyring is unreadable");
    }
    SUBCASE("empty keyring") {
        std::filesystem::resize_file(f.dir / "v" / "keyring", 0);
        check_one_line_error(f.brankas({"status"}), 7, "the keyring is unreadable");
    }
    SUBCASE("a flipped byte in the store's salt") {
        flip_byte(f.dir / "v" / "store.db", 3);
        check_one_line_error(f.brankas({"status"}), 8, "does not open with the key");
    }
    SUBCASE("a flipped byte inside a page") {
        flip_byte(f.dir / "v" / "store.db", 4096 + 1000);
        Outcome o = f.brankas({"audit", "verify"});
        check_one_line_error(o, 8, "corrupted or was tampered with");
    }
    SUBCASE("a FIFO in place of the keyring fails at once instead of waiting for a writer") {
        std::filesystem::remove(f.dir / "v" / "keyring");
        REQUIRE(::mkfifo((f.dir / "v" / "keyring").c_str(), 0600) == 0);
        check_one_line_error(f.brankas({"status"}), 7, "the keyring is unreadable");
    }
    SUBCASE("store.db missing") {
        std::filesystem::remove(f.dir / "v" / "store.db");
        check_one_line_error(f.brankas({"status"}), 8, "has a keyring but no store.db");
    }
    SUBCASE("no passphrase file and no terminal") {
        f.env.erase("BRANKAS_PASSPHRASE_FILE");
        check_one_line_error(f.brankas({"status"}), 2, "no terminal to ask on");
    }
    SUBCASE("a passphrase file that does not exist") {
        f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "missing.txt").string();
        check_one_line_error(f.brankas({"status"}), 13, "cannot open the passphrase file");
    }
}

TEST_CASE("init refuses to touch an existing vault, a weak passphrase and the test KDF outside tests") {
    Fixture f;
    f.init();
    std::string before = read_file(f.dir / "v" / "keyring");
    check_one_line_error(f.brankas({"init", "--institution", "Other", "--kdf", "test"}), 4, "a vault already exists");
    CHECK(read_file(f.dir / "v" / "keyring") == before);

    f.vault = (f.dir / "w").string();
    write_file(f.dir / "weak.txt", "passwordpassword\n");
    f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "weak.txt").string();
    check_one_line_error(f.brankas({"init", "--institution", "X", "--kdf", "test"}), 11, "too weak");
    CHECK_FALSE(std::filesystem::exists(f.dir / "w"));

    f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "pass.txt").string();
    f.env.erase("BRANKAS_ALLOW_TEST_KDF");
    check_one_line_error(f.brankas({"init", "--institution", "X", "--kdf", "test"}), 2, "only for the test suite");
    CHECK_FALSE(std::filesystem::exists(f.dir / "w"));
}

TEST_CASE("the default KDF is moderate (Argon2id, 256 MiB)") {
    Fixture f;
    Outcome o = f.brankas({"init", "--institution", institution});
    REQUIRE_MESSAGE(o.exit_code == 0, o.err);
    CHECK(o.out.find("key derivation moderate (Argon2id, 3 passes, 256 MiB)") != std::string::npos);
}

TEST_CASE("restoring an older store after a checkpoint makes verify fail, the untouched vault verifies") {
    Fixture f;
    f.init();
    std::filesystem::copy_file(f.dir / "v" / "store.db", f.dir / "old-store.db");
    std::string chk = (f.dir / "head.chk").string();
    REQUIRE(f.brankas({"audit", "checkpoint", "--out", chk}).exit_code == 0);
    CHECK(f.brankas({"audit", "verify", "--checkpoint", chk}).exit_code == 0);

    std::filesystem::copy_file(f.dir / "old-store.db", f.dir / "v" / "store.db", std::filesystem::copy_options::overwrite_existing);
    // Without the checkpoint the older log is self-consistent; with it, the rollback shows.
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
    check_one_line_error(f.brankas({"audit", "verify", "--checkpoint", chk}), 9, "truncated or rolled back");
}

TEST_CASE("the environment names the vault, the user and the passphrase file") {
    Fixture f;
    f.init();
    Env env = f.env;
    env["BRANKAS_VAULT"] = f.vault;
    env["BRANKAS_USER"] = "admin";
    Outcome o = run({"status"}, env);
    CHECK(o.exit_code == 0);
    // Options given on the command line win over the environment.
    env["BRANKAS_USER"] = "nobody";
    CHECK(run({"--user", "admin", "status"}, env).exit_code == 0);
    CHECK(run({"status"}, env).exit_code == 5);
}

TEST_CASE("--json output parses as the documented shape") {
    Fixture f;
    f.init();
    Outcome status = f.brankas({"--json", "status"});
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("\"institution\": \"Bawaslu Kabupaten Ponorogo\"") != std::string::npos);
    Outcome log = f.brankas({"audit", "log", "--json"});
    CHECK(log.exit_code == 0);
    CHECK(log.out.starts_with("[\n  {\"seq\":1,\"time\":\""));
    CHECK(log.out.find("\"action\":\"vault.create\"") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify", "--json"});
    CHECK(verify.exit_code == 0);
    CHECK(verify.out.find("\"ok\": true") != std::string::npos);
}

TEST_CASE("two processes writing at once wait for each other instead of failing") {
    Fixture f;
    f.init();
    Outcome a, b;
    std::thread first([&] { a = f.brankas({"audit", "checkpoint", "--out", (f.dir / "a.chk").string()}); });
    std::thread second([&] { b = f.brankas({"audit", "checkpoint", "--out", (f.dir / "b.chk").string()}); });
    first.join();
    second.join();
    CHECK_MESSAGE(a.exit_code == 0, a.err);
    CHECK_MESSAGE(b.exit_code == 0, b.err);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK(verify.exit_code == 0);
    CHECK(verify.out.find("Chain        3 events") != std::string::npos);
}

TEST_CASE("a clock set back before the last event cannot write") {
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return;
    }
    Fixture f;
    f.init();
    std::vector<std::string> past{"/usr/bin/faketime", "2020-01-01 00:00:00"};
    // faketime preloads its library ahead of ASan's runtime; tell ASan that is intended.
    f.env["ASAN_OPTIONS"] = f.env["ASAN_OPTIONS"] + (f.env["ASAN_OPTIONS"].empty() ? "" : ":") + "verify_asan_link_order=0";
    Outcome o = run({"--vault", f.vault, "--user", "admin", "audit", "checkpoint", "--out", (f.dir / "c.chk").string()}, f.env, past);
    check_one_line_error(o, 12, "clock is earlier than the vault's last event");
    CHECK_FALSE(std::filesystem::exists(f.dir / "c.chk"));
    // Reading is still allowed with a wrong clock; the log did not grow.
    Outcome log = run({"--vault", f.vault, "--user", "admin", "audit", "log"}, f.env, past);
    CHECK(log.exit_code == 0);
    CHECK(line_count(log.out) == 2);
}

TEST_CASE("--version and unknown commands") {
    Fixture f;
    Outcome v = run({"--version"}, f.env);
    CHECK(v.exit_code == 0);
    CHECK(v.out.starts_with("brankas "));
    check_one_line_error(run({"delete-everything"}, f.env), 2, "unknown command 'delete-everything'");
}

TEST_CASE("the binary links SQLCipher and never plain SQLite") {
    Fixture f;
    Outcome ldd = run_program({"/usr/bin/ldd", brankas_binary()}, f.env);
    REQUIRE(ldd.exit_code == 0);
    CHECK(ldd.out.find("libsqlcipher.so") != std::string::npos);
    // A second SQLite in the process would win, ignore the key and write plain text.
    CHECK(ldd.out.find("libsqlite3.so") == std::string::npos);
    // The binary these tests drive is of the kind they take it for: the sanitizer build's
    // tests run the normal build's program on the sanitizer build's binary (run_binary.hpp).
    CHECK_MESSAGE((ldd.out.find("libasan.so") != std::string::npos) == binary_sanitized(),
                  brankas_binary() << (binary_sanitized() ? " is taken for" : " is not taken for") << " a sanitizer build");
}

TEST_CASE("verify while another process keeps writing never reports tampering") {
    Fixture f;
    f.init();
    std::vector<Outcome> writes(8);
    std::thread writer([&] {
        for (std::size_t i = 0; i < writes.size(); ++i)
            writes[i] = f.brankas({"audit", "checkpoint", "--out", (f.dir / ("c" + std::to_string(i) + ".chk")).string()});
    });
    std::vector<Outcome> verifies;
    for (int i = 0; i < 8; ++i) verifies.push_back(f.brankas({"audit", "verify"}));
    writer.join();
    for (const Outcome& w : writes) CHECK_MESSAGE(w.exit_code == 0, w.err);
    for (const Outcome& v : verifies) CHECK_MESSAGE(v.exit_code == 0, v.err);
}

TEST_CASE("a checkpoint file is never overwritten unless --force says so") {
    Fixture f;
    f.init();
    write_file(f.dir / "head.chk", "keep me");
    Outcome o = f.brankas({"audit", "checkpoint", "--out", (f.dir / "head.chk").string()});
    check_one_line_error(o, 17, "already exists");
    CHECK(read_file(f.dir / "head.chk") == "keep me");
    Outcome forced = f.brankas({"audit", "checkpoint", "--out", (f.dir / "head.chk").string(), "--force"});
    CHECK_MESSAGE(forced.exit_code == 0, forced.err);
    CHECK(f.brankas({"audit", "verify", "--checkpoint", (f.dir / "head.chk").string()}).exit_code == 0);
    // No temporary file is left beside it.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(f.dir.path())) ++files;
    CHECK(files == 3); // pass.txt, v, head.chk
}

TEST_CASE("nothing a command writes goes into the vault's own directory, not even with --force") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    const std::string keyring = f.vault + "/keyring";
    const std::string before = read_file(keyring);
    const std::string inside = "is inside the vault's directory";
    // The keyring and the store themselves, through a detour and through a link to the directory.
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", keyring, "--force"}), 2, "--out " + keyring + " " + inside);
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", (f.dir / "v" / ".." / "v" / "store.db").string(), "--force"}), 2, inside);
    std::filesystem::create_directory_symlink(f.vault, f.dir / "link");
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", (f.dir / "link" / "keyring").string(), "--force"}), 2, inside);
    // What would travel with every copy of the vault: a backup, recovery shares, the enforcer's key.
    check_one_line_error(f.brankas({"backup", "create", f.vault + "/b.bak"}), 2, "the backup file " + f.vault + "/b.bak " + inside);
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", f.vault}), 2, "--out-dir");
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", f.vault + "/shares"}), 2, inside);
    check_one_line_error(f.brankas({"--keyfile", f.vault + "/enforcer.key", "enforcer", "add", "enforcer"}), 2, "--keyfile");
    // Nothing was written: the vault opens, verifies and holds only its own files.
    CHECK(read_file(keyring) == before);
    std::set<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(f.vault)) files.insert(entry.path().filename().string());
    for (const std::string& name : files) CHECK_MESSAGE((name == "keyring" || name.starts_with("store.db")), name);
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
    // Beside the vault is fine.
    Outcome beside = f.brankas({"audit", "checkpoint", "--out", (f.dir / "head.chk").string()});
    CHECK_MESSAGE(beside.exit_code == 0, beside.err);
}

// ---- sub-districts, accounts, secrets, people ----

TEST_CASE("the sub-district example runs as written and the vault still verifies") {
    Fixture f;
    // The commands up to the subcases, run and checked once per process (start_from).
    const Values made = start_from(f, "the sub-district example", [](Fixture& fresh) {
        fresh.init();
        CHECK(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        // A custodian's access ends with the term: this one lasts well beyond the test.
        CHECK(fresh.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
        Outcome add = fresh.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                                     "--email", "panwascam.ponorogo@example.org", "--generate"});
        CHECK_MESSAGE(add.exit_code == 0, add.err);
        CHECK(add.out.find("Stored a generated 20-character password as version 1") != std::string::npos);
        Outcome list = fresh.brankas({"account", "list", "--unit", "35.02.01"});
        CHECK(list.out.find("instagram/panwascam.ponorogo") != std::string::npos);
        Outcome show = fresh.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "verifikasi akun"});
        CHECK(show.exit_code == 0);
        CHECK(show.out.size() == 21); // 20 characters and a newline
        std::string password = show.out.substr(0, 20);

        enroll(fresh, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
        enroll(fresh, "auditor1", {"--role", "auditor"});
        write_file(fresh.dir / "totp.txt", "otpauth://totp/Bawaslu:panwascam?secret=JBSWY3DPEHPK3PXP&issuer=Instagram\n");
        Outcome set = fresh.brankas({"secret", "set", "instagram/panwascam.ponorogo", "--from-file", (fresh.dir / "pass.txt").string(),
                                     "--totp-file", (fresh.dir / "totp.txt").string(), "--reason", "dua faktor"});
        CHECK_MESSAGE(set.exit_code == 0, set.err);
        Outcome totp = fresh.brankas({"totp", "instagram/panwascam.ponorogo"});
        CHECK(totp.exit_code == 0);
        CHECK(totp.out.size() == 7);
        return Values{{"password", password}};
    });
    const std::string password = made.at("password");
    const std::string operator_pass = (f.dir / "operator1.pass").string();
    const std::string auditor_pass = (f.dir / "auditor1.pass").string();

    SUBCASE("the custodian reads their own sub-district's password") {
        Outcome o = as(f, "operator1", operator_pass, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "posting"});
        CHECK_MESSAGE(o.exit_code == 0, o.err);
        CHECK(o.out == std::string(passphrase) + "\n");
    }
    SUBCASE("an auditor is refused, and the refusal is in the log") {
        Outcome o = as(f, "auditor1", auditor_pass, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "audit"});
        check_one_line_error(o, 10, "an auditor may not read passwords");
        Outcome log = f.brankas({"audit", "log"});
        CHECK(log.out.find("auditor1   access.denied  account/1") != std::string::npos);
        Outcome history = as(f, "auditor1", auditor_pass, {"secret", "history", "instagram/panwascam.ponorogo"});
        CHECK(history.exit_code == 0);
        CHECK(history.out.find("dua faktor") != std::string::npos);
        CHECK(history.out.find(password) == std::string::npos);
    }
    SUBCASE("a custodian is refused another sub-district") {
        REQUIRE(f.brankas({"unit", "add", "35.02.02", "Jenangan"}).exit_code == 0);
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "jenangan", "--generate"}).exit_code == 0);
        Outcome o = as(f, "operator1", operator_pass, {"secret", "show", "tiktok/jenangan", "--reason", "posting"});
        check_one_line_error(o, 10, "a custodian may not read passwords of a sub-district they are not granted");
    }
    SUBCASE("revoking rotates the unit key, the admin still reads, the account is due for rotation") {
        Outcome before = f.brankas({"--json", "unit", "list"});
        CHECK(before.out.find("\"key_version\": 1") != std::string::npos);
        Outcome revoke = f.brankas({"user", "revoke", "operator1", "--unit", "35.02.01"});
        CHECK_MESSAGE(revoke.exit_code == 0, revoke.err);
        CHECK(revoke.out.find("1 account is due for a password change") != std::string::npos);
        Outcome after = f.brankas({"--json", "unit", "list"});
        CHECK(after.out.find("\"key_version\": 2") != std::string::npos);
        Outcome shown = f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "after"});
        CHECK(shown.out == std::string(passphrase) + "\n");
        CHECK(f.brankas({"--json", "account", "show", "1"}).out.find("\"rotation_due\": true") != std::string::npos);
        Outcome o = as(f, "operator1", operator_pass, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "posting"});
        CHECK(o.exit_code == 10);
        // A key the admin suspects gets a fresh pair, not the standby published after the revoke.
        Outcome rotated = f.brankas({"unit", "rotate", "35.02.01", "--reason", "laptop operator hilang"});
        CHECK_MESSAGE(rotated.exit_code == 0, rotated.err);
        CHECK(rotated.out.find("Rotated the key of 35.02.01 to version 4; it is held by admin.") != std::string::npos);
        CHECK(f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "after"}).out == std::string(passphrase) + "\n");
    }

    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
    // Nothing a person typed or stored is readable in the vault's files.
    for (const char* file : {"store.db", "keyring", "store.db-wal"}) {
        if (!std::filesystem::exists(f.dir / "v" / file)) continue;
        std::string bytes = read_file(f.dir / "v" / file);
        for (const std::string& needle : {std::string("panwascam"), std::string("operator1"), std::string("auditor1"), password,
                                          std::string(passphrase), std::string("JBSWY3DP"), std::string("Ponorogo")})
            CHECK_MESSAGE(bytes.find(needle) == std::string::npos, needle << " in " << file);
    }
}

TEST_CASE("totp prints what oathtool prints for the same seed and time") {
    if (!std::filesystem::exists("/usr/bin/faketime") || !std::filesystem::exists("/usr/bin/oathtool")) {
        MESSAGE("faketime or oathtool is not installed (scripts/install-deps.sh installs them); skipping");
        return;
    }
    Fixture f;
    f.clock_at("2030-01-15 07"); // the set-up before the codes' moments, whatever the real date
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    write_file(f.dir / "seed.txt", "jbsw y3dp ehpk 3pxp\n");
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "x", "--handle", "@PanwasPonorogo", "--generate",
                       "--totp-file", (f.dir / "seed.txt").string()}).exit_code == 0);
    f.env["ASAN_OPTIONS"] = f.env["ASAN_OPTIONS"] + (f.env["ASAN_OPTIONS"].empty() ? "" : ":") + "verify_asan_link_order=0";
    for (const char* when : {"2030-01-15 08:00:10", "2030-01-15 08:00:40"}) {
        Outcome ours = run({"--vault", f.vault, "--user", "admin", "totp", "x/panwasponorogo", "--break-glass"}, f.env, {"/usr/bin/faketime", when});
        Outcome theirs = run_program({"/usr/bin/oathtool", "--totp", "-b", "JBSWY3DPEHPK3PXP", "--now", std::string(when) + " UTC"}, f.env);
        CHECK_MESSAGE(ours.exit_code == 0, ours.err);
        CHECK(ours.out == theirs.out);
    }
}

TEST_CASE("bad input to the new commands is one clear line") {
    Fixture f;
    f.init();
    check_one_line_error(f.brankas({"unit", "add", "35.2.1", "X"}), 2, "is not a kecamatan region code");
    for (const char* none : {"00.00.00", "35.00.01", "35.02.00", "00.02.01"})
        check_one_line_error(f.brankas({"unit", "add", none, "X"}), 2, "is not a kecamatan region code");
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    check_one_line_error(f.brankas({"unit", "add", "35.02.01", "Lagi"}), 17, "already exists");
    check_one_line_error(f.brankas({"unit", "rotate", "35.02.09", "--reason", "x"}), 16, "no sub-district 35.02.09");
    check_one_line_error(f.brankas({"unit", "rotate", "35.02.01", "--reason", ""}), 2, "the option '--reason' is given an empty value");
    // Spaces say nothing: not a reason, a note or a name.
    check_one_line_error(f.brankas({"unit", "rotate", "35.02.01", "--reason", "   "}), 2, "say why the key is rotated");
    check_one_line_error(f.brankas({"unit", "rotate", "35.02.01", "--reason", "\u00a0\u3000\u200b"}), 2, "say why the key is rotated");
    check_one_line_error(f.brankas({"unit", "add", "35.02.03", "   "}), 2, "the sub-district name must be");
    check_one_line_error(f.brankas({"handover", "start", "--unit", "35.02.01", "--to", "nobody", "--note", " \t "}), 2,
                         "a handover needs a note");
    // Nor is a name that prints as another: after U+202E, "J<U+202E>tise" reads "Jesit".
    check_one_line_error(f.brankas({"unit", "add", "35.02.03", "J\u202etise"}), 2,
                         "the sub-district name holds U+202E, an invisible character that can make it read as other text");
    check_one_line_error(f.brankas({"handover", "start", "--unit", "35.02.01", "--to", "nobody", "--note", "serah\u200bterima"}), 2,
                         "the handover's note holds U+200B");
    check_one_line_error(f.brankas({"user", "add", "operator9", "--role", "auditor", "--full-name", "Siti \u2067Rahmawati"}), 2,
                         "the full name holds U+2067");
    Fixture blank;
    check_one_line_error(blank.brankas({"init", "--institution", "   ", "--kdf", "test"}), 2, "the institution name must be");
    check_one_line_error(blank.brankas({"init", "--institution", "Bawaslu\ufeff", "--kdf", "test"}), 2, "the institution name holds U+FEFF");
    CHECK_FALSE(std::filesystem::exists(blank.vault));
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.09", "--platform", "instagram", "--handle", "a"}), 16, "no sub-district 35.02.09");
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "myspace", "--handle", "a"}), 2, "unknown platform 'myspace'");
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a b"}), 2, "is not a handle");
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a", "--email", "nope"}), 2, "is not an e-mail address");
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a"}).exit_code == 0);
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "A"}), 17, "already exists");
    check_one_line_error(f.brankas({"secret", "show", "instagram/a", "--reason", "x", "--break-glass"}), 17, "has no password yet");
    check_one_line_error(f.brankas({"secret", "show", "instagram/zzz", "--reason", "x"}), 16, "no account instagram/zzz");
    check_one_line_error(f.brankas({"secret", "set", "instagram/a", "--generate", "--length", "4"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"secret", "set", "instagram/a", "--generate", "--from-file", "x"}), 2, "exclude each other");
    write_file(f.dir / "bad-totp.txt", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP\n");
    check_one_line_error(f.brankas({"secret", "set", "instagram/a", "--generate", "--totp-file", (f.dir / "bad-totp.txt").string()}), 2, "HOTP");
    check_one_line_error(f.brankas({"user", "add", "siti", "--role", "root"}), 2, "unknown role 'root'");
    check_one_line_error(f.brankas({"user", "add", "siti", "--role", "auditor", "--unit", "35.02.01", "--kdf", "test"}), 2, "only custodians");
    write_file(f.dir / "code.txt", "AAAA-BBBB-CCCC-DDDD-EEEE\n");
    Outcome added = f.brankas({"user", "add", "siti", "--role", "auditor", "--kdf", "test"});
    REQUIRE(added.exit_code == 0);
    check_one_line_error(f.brankas({"user", "enroll", "--code-file", (f.dir / "code.txt").string(), "--kdf", "test"}, "siti"), 6, "wrong enrollment code");
    check_one_line_error(f.brankas({"status"}, "siti"), 10, "has not enrolled yet");
    // Archived accounts keep their history and refuse changes.
    REQUIRE(f.brankas({"account", "archive", "instagram/a"}).exit_code == 0);
    check_one_line_error(f.brankas({"account", "edit", "instagram/a", "--email", "a@b.id"}), 17, "archived");
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("disable with --rekey shuts out a copy of the old keyring, and passwd and the enforcer key file work") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--generate"}).exit_code == 0);
    std::string operator_pass = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    const std::string key_file = (f.dir / "enforcer.key").string();

    Outcome added = f.brankas({"enforcer", "add", "enforcer", "--keyfile", key_file});
    CHECK_MESSAGE(added.exit_code == 0, added.err);
    CHECK(added.out.find("It holds no sub-district key") != std::string::npos);
    CHECK(mode_of(key_file) == 0600);
    CHECK(std::filesystem::file_size(key_file) == 32);
    check_one_line_error(f.brankas({"enforcer", "add", "enforcer2", "--keyfile", key_file}), 17, "already exists");
    check_one_line_error(f.brankas({"enforcer", "add", "enforcer2"}), 2, "enforcer add needs --keyfile PATH");
    Outcome enforcer_status = f.brankas({"--keyfile", key_file, "status"}, "enforcer");
    CHECK_MESSAGE(enforcer_status.exit_code == 0, enforcer_status.err);
    check_one_line_error(f.brankas({"--keyfile", key_file, "secret", "show", "instagram/panwascam.ponorogo", "--reason", "x"}, "enforcer"),
                         10, "may not read passwords");
    check_one_line_error(f.brankas({"status"}, "enforcer"), 2, "unlocks with a key file, not a passphrase");
    std::filesystem::permissions(key_file, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    check_one_line_error(f.brankas({"--keyfile", key_file, "status"}, "enforcer"), 2, "may be read by others (mode 0644)");
    std::filesystem::permissions(key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace);

    // What the leaver could keep: the keyring as it was while they were in.
    std::filesystem::copy_file(f.dir / "v" / "keyring", f.dir / "old-keyring");
    Outcome disabled = f.brankas({"user", "disable", "operator1", "--rekey"});
    CHECK_MESSAGE(disabled.exit_code == 0, disabled.err);
    CHECK(disabled.out.find("Disabled operator1") != std::string::npos);
    CHECK(disabled.out.find("new key (generation 2)") != std::string::npos);
    CHECK(disabled.out.find("1 account is due for a password change") != std::string::npos);
    check_one_line_error(as(f, "operator1", operator_pass, {"status"}), 5, "no user 'operator1'");

    // The old keyring beside the re-keyed store opens nothing, even for its rightful slot.
    std::filesystem::create_directory(f.dir / "leaver");
    std::filesystem::permissions(f.dir / "leaver", std::filesystem::perms::owner_all); // private, or brankas warns
    std::filesystem::copy_file(f.dir / "old-keyring", f.dir / "leaver" / "keyring");
    std::filesystem::copy_file(f.dir / "v" / "store.db", f.dir / "leaver" / "store.db");
    Outcome leaver = run({"--vault", (f.dir / "leaver").string(), "--user", "operator1", "status"},
                         [&] { Env e = f.env; e["BRANKAS_PASSPHRASE_FILE"] = operator_pass; return e; }());
    check_one_line_error(leaver, 8, "does not open with the key in the keyring");

    // Everyone who stays still gets in, and the history verifies.
    CHECK(f.brankas({"--keyfile", key_file, "status"}, "enforcer").exit_code == 0);
    Outcome status = f.brankas({"--json", "status"});
    CHECK(status.out.find("\"store_generation\": 2") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);

    // passwd: the old passphrase stops working, the new one opens the vault.
    check_one_line_error(f.brankas({"user", "passwd", "--kdf", "test"}), 2, "add --new-passphrase-file FILE");
    write_file(f.dir / "new-pass.txt", "sungai-madiun-mengalir-pelan-7\n");
    Outcome changed = f.brankas({"user", "passwd", "--new-passphrase-file", (f.dir / "new-pass.txt").string(), "--kdf", "test"});
    CHECK_MESSAGE(changed.exit_code == 0, changed.err);
    CHECK(changed.out == "Changed the passphrase of admin; the old one opens nothing now.\n");
    check_one_line_error(f.brankas({"status"}), 6, "wrong passphrase");
    Outcome fresh = as(f, "admin", (f.dir / "new-pass.txt").string(), {"audit", "log"});
    CHECK(fresh.exit_code == 0);
    CHECK(fresh.out.find("user.passwd") != std::string::npos);
    CHECK(fresh.out.find("user.disable") != std::string::npos);
}

// ---- terms, check-outs, rotation, enforcement, policy ----

namespace {

// Runs brankas as f.brankas does, in the hour `hour` ("2029-03-01 03", UTC): see
// Fixture::clock_at.
Outcome at_time(Fixture& f, const std::string& hour, std::vector<std::string> args, const std::string& user = "admin") {
    f.clock_at(hour);
    return f.brankas(std::move(args), user);
}

std::string events_in(Fixture& f, const std::string& when) {
    Outcome s = at_time(f, when, {"--json", "status"});
    REQUIRE_MESSAGE(s.exit_code == 0, s.err);
    auto at = s.out.find("\"events\": ");
    REQUIRE(at != std::string::npos);
    return s.out.substr(at + 10, s.out.find(',', at) - at - 10);
}

} // namespace

TEST_CASE("a term, check-outs, a rotation and the enforcer at the end of the term") {
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return;
    }
    Fixture f;
    f.clock_at("2029-01-10 03"); // the set-up too, before the term, whatever the real date
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"unit", "add", "35.02.02", "Babadan"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--from-file", (f.dir / "pass.txt").string()}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "panwascam.babadan", "--generate"})
                .exit_code == 0);
    Outcome term = f.brankas({"term", "add", "Pilkada 2029", "--start", "2029-01-15", "--end", "2029-12-31"});
    CHECK_MESSAGE(term.exit_code == 0, term.err);
    CHECK(term.out == "Added term 'Pilkada 2029' from 2029-01-15 to 2029-12-31 (WIB) for every sub-district.\n");
    // Babadan's court dispute: a month longer there.
    Outcome extend = f.brankas({"term", "extend", "Pilkada 2029", "--end", "2030-01-31", "--unit", "35.02.02"});
    CHECK_MESSAGE(extend.exit_code == 0, extend.err);
    std::string admin2_pass = enroll(f, "admin2", {"--role", "admin"});
    std::string operator_pass = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    const std::string in_term = "2029-03-01 03"; // 10:00 WIB

    // Check-out, exclusively; the second admin is told who holds it and until when.
    Outcome out = at_time(f, in_term, {"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah hasil pengawasan", "--for", "2h"});
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(out.out == "username: panwascam.ponorogo\npassword: " + std::string(passphrase) + "\n");
    CHECK(out.err.find("is yours until 2029-03-01 12:00 WIB") != std::string::npos);
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = admin2_pass;
    Outcome second = at_time(f, in_term, {"checkout", "instagram/panwascam.ponorogo", "--reason", "cek"}, "admin2");
    f.env = env;
    check_one_line_error(second, 10, "it is checked out by admin until 2029-03-01 12:00 WIB");
    Outcome list = at_time(f, in_term, {"checkouts"});
    CHECK(list.out.find("instagram/panwascam.ponorogo  35.02.01  admin   2029-03-01 12:00 WIB  out") != std::string::npos);
    Outcome back = at_time(f, in_term, {"checkin", "instagram/panwascam.ponorogo"});
    CHECK_MESSAGE(back.exit_code == 0, back.err);
    CHECK(back.out.find("The policy asks for a new password now") != std::string::npos);
    check_one_line_error(at_time(f, in_term, {"--json", "checkout", "instagram/panwascam.ponorogo", "--reason", "x", "--for", "1d"}), 10,
                         "at most 8h");

    // The two-step rotation.
    Outcome rotate = at_time(f, in_term, {"rotate", "instagram/panwascam.ponorogo", "--reason", "sandi lama bocor"});
    CHECK_MESSAGE(rotate.exit_code == 0, rotate.err);
    REQUIRE(rotate.out.size() == 21);
    Outcome pending = at_time(f, in_term, {"secret", "show", "instagram/panwascam.ponorogo", "--pending", "--reason", "set it"});
    CHECK(pending.out == rotate.out);
    CHECK(at_time(f, in_term, {"rotate", "instagram/panwascam.ponorogo", "--confirm"}).exit_code == 0);
    Outcome current = at_time(f, in_term, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "cek"});
    CHECK(current.out == rotate.out);

    // The enforcer; its plan for after the term changes nothing; --at is only for a dry run.
    std::string key_file = (f.dir / "enforcer.key").string();
    REQUIRE(at_time(f, in_term, {"enforcer", "add", "enforcer", "--keyfile", key_file}).exit_code == 0);
    std::string count = events_in(f, in_term);
    Outcome plan = at_time(f, in_term, {"--keyfile", key_file, "enforce", "--dry-run", "--at", "2030-01-20"}, "enforcer");
    CHECK_MESSAGE(plan.exit_code == 0, plan.err);
    CHECK(plan.out.find("deactivate instagram/panwascam.ponorogo") != std::string::npos);
    CHECK(plan.out.find("revoke operator1 from 35.02.01") != std::string::npos);
    CHECK(plan.out.find("deactivate tiktok/panwascam.babadan") == std::string::npos);
    CHECK(plan.out.find("flag tiktok/panwascam.babadan: its password is past the maximum age") != std::string::npos);
    CHECK(events_in(f, in_term) == count);
    check_one_line_error(at_time(f, in_term, {"--keyfile", key_file, "enforce", "--at", "2030-01-20"}, "enforcer"), 2,
                         "--at is accepted only with --dry-run");

    // After the term and its grace: the custodian is told why; the enforcer does exactly the plan, once.
    const std::string after = "2030-01-20 03";
    f.env["BRANKAS_PASSPHRASE_FILE"] = operator_pass;
    Outcome late = at_time(f, after, {"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah"}, "operator1");
    f.env = env;
    check_one_line_error(late, 10, "after its term");
    Outcome enforced = at_time(f, after, {"--keyfile", key_file, "--json", "enforce"}, "enforcer");
    CHECK_MESSAGE(enforced.exit_code == 0, enforced.err);
    CHECK(enforced.out.find("\"deactivate\": [\n    \"instagram/panwascam.ponorogo\"\n  ]") != std::string::npos);
    CHECK(enforced.out.find("\"sealed\": 1") != std::string::npos);
    std::string after_count = events_in(f, after);
    Outcome again = at_time(f, after, {"--keyfile", key_file, "enforce"}, "enforcer");
    CHECK(again.exit_code == 0);
    CHECK(again.out == "Nothing to do.\n");
    CHECK(events_in(f, after) == after_count);
    Outcome accounts = at_time(f, after, {"--json", "account", "list"});
    CHECK(accounts.out.find("\"status\": \"deactivated\"") != std::string::npos);
    CHECK(accounts.out.find("\"status\": \"active\"") != std::string::npos); // Babadan serves on

    check_one_line_error(at_time(f, after, {"--keyfile", key_file, "secret", "show", "instagram/panwascam.ponorogo", "--pending",
                                            "--reason", "x"}, "enforcer"),
                         10, "an enforcer may not read passwords");
    // After the term an admin's reveal breaks the glass, flagged.
    Outcome fresh = at_time(f, after, {"secret", "show", "instagram/panwascam.ponorogo", "--pending", "--reason", "serah terima", "--break-glass"});
    CHECK_MESSAGE(fresh.exit_code == 0, fresh.err);
    CHECK(fresh.out.size() == 21);
    CHECK(fresh.out != rotate.out);
    Outcome checklist = at_time(f, after, {"account", "checklist", "instagram/panwascam.ponorogo", "--done", "recovery", "--note",
                                           "e-mail dan nomor kabupaten"});
    CHECK_MESSAGE(checklist.exit_code == 0, checklist.err);
    CHECK(checklist.out.find("[x] recovery") != std::string::npos);
    CHECK(checklist.out.find("[ ] confirmed") != std::string::npos);
    Outcome status = at_time(f, after, {"status"});
    CHECK(status.out.find("Checklists   1 deactivated account with steps left: instagram/panwascam.ponorogo") != std::string::npos);
    CHECK(status.out.find("Rotation due") != std::string::npos);
    Outcome verify = at_time(f, after, {"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("after the end of a term, an account's audit log shows the event that sealed its fresh password, and report exposure counts it") {
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return;
    }
    Fixture f;
    f.clock_at("2029-01-10 03"); // the set-up too, before the term, whatever the real date
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    for (const std::string platform : {"instagram", "tiktok"})
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", platform, "--handle", "panwascam.ponorogo", "--generate"})
                    .exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pilkada 2029", "--start", "2029-01-15", "--end", "2029-12-31"}).exit_code == 0);
    enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    std::string auditor_pass = enroll(f, "auditor1", {"--role", "auditor"});
    const std::string in_term = "2029-03-01 03", after = "2030-01-20 03";
    // The TikTok account's rotation is pending when the term ends: it keeps that password and gets no fresh one.
    Outcome rotate = at_time(f, in_term, {"rotate", "tiktok/panwascam.ponorogo", "--reason", "sandi lama bocor"});
    REQUIRE_MESSAGE(rotate.exit_code == 0, rotate.err);
    std::string key_file = (f.dir / "enforcer.key").string();
    REQUIRE(at_time(f, in_term, {"enforcer", "add", "enforcer", "--keyfile", key_file}).exit_code == 0);
    Outcome enforced = at_time(f, after, {"--keyfile", key_file, "--json", "enforce"}, "enforcer");
    REQUIRE_MESSAGE(enforced.exit_code == 0, enforced.err);
    CHECK(enforced.out.find("\"sealed\": 1") != std::string::npos);
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = auditor_pass;
    auto auditor = [&](std::vector<std::string> args) {
        Outcome o = at_time(f, after, std::move(args), "auditor1");
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return nlohmann::json::parse(o.out);
    };
    auto actions = [](const nlohmann::json& rows) {
        std::string out;
        for (const auto& row : rows) out += row["action"].get<std::string>() + " ";
        return out;
    };

    // Instagram's history: the unit's end, which carried its fresh password (fresh.1), by the enforcer.
    nlohmann::json instagram = auditor({"--json", "audit", "log", "--account", "instagram/panwascam.ponorogo"});
    REQUIRE(actions(instagram) == "account.add secret.set unit.deactivate ");
    const nlohmann::json& ending = instagram.back();
    CHECK(ending["actor"] == "enforcer");
    CHECK(ending["target"] == "35.02.01");
    CHECK(ending["unit"] == "35.02.01");
    CHECK(ending["account"] == "instagram/panwascam.ponorogo");
    CHECK(ending["details"]["fresh.1"].get<std::string>().ends_with(" bytes>"));
    CHECK_FALSE(ending["details"].contains("fresh.2"));
    // TikTok's: its own rotation, not the end that carried another account's password.
    CHECK(actions(auditor({"--json", "audit", "log", "--account", "tiktok/panwascam.ponorogo"})) == "account.add secret.set secret.pending ");
    // The unit's log has the end once, about the unit as a whole.
    nlohmann::json unit = auditor({"--json", "audit", "log", "--unit", "35.02.01", "--action", "unit.deactivate"});
    REQUIRE(unit.size() == 1);
    CHECK(unit[0]["seq"] == ending["seq"]);
    CHECK(unit[0]["account"] == "");

    // The admins hold the standby key the fresh password was sealed to; the custodian it revoked does not.
    nlohmann::json admin = auditor({"--json", "report", "exposure", "--user", "admin"});
    std::string versions;
    for (const auto& a : admin["accounts"])
        versions += a["account"].get<std::string>() + " " + std::to_string(a["version"].get<int>()) + (a["pending"] ? " pending" : "") +
                    " keys " + a["key_versions"].dump() + " seen " + std::to_string(a["seen"].size()) + "; ";
    CHECK(versions == "instagram/panwascam.ponorogo 1 keys [1] seen 0; instagram/panwascam.ponorogo 2 pending keys [2] seen 0; "
                      "tiktok/panwascam.ponorogo 1 keys [1] seen 0; tiktok/panwascam.ponorogo 2 pending keys [1] seen 1; ");
    nlohmann::json custodian = auditor({"--json", "report", "exposure", "--user", "operator1"});
    for (const auto& a : custodian["accounts"]) CHECK(a["key_versions"] == nlohmann::json::array({1}));
    CHECK(custodian["accounts"].size() == 3);
    f.env = env;
}

TEST_CASE("policy check names the line of a typo, policy set stores it, explain names the rule") {
    Fixture f;
    f.init();
    write_file(f.dir / "typo.toml", "[checkout]\ndefault_duration = \"1h\"\nmax_duraton = \"4h\"\n");
    Outcome typo = f.brankas({"policy", "check", (f.dir / "typo.toml").string()});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("typo.toml:3:") != std::string::npos);
    CHECK(typo.err.find("max_duraton") != std::string::npos);
    Outcome refused = f.brankas({"policy", "set", (f.dir / "typo.toml").string()});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("nothing was changed") != std::string::npos);

    write_file(f.dir / "policy.toml", "[checkout]\nmax_duration = \"4h\"\n\n[[forbid]]\nrole = \"custodian\"\naction = \"checkout\"\n");
    Outcome ok = f.brankas({"policy", "check", (f.dir / "policy.toml").string()});
    CHECK(ok.exit_code == 0);
    Outcome set = f.brankas({"policy", "set", (f.dir / "policy.toml").string()});
    CHECK_MESSAGE(set.exit_code == 0, set.err);
    Outcome show = f.brankas({"policy", "show"});
    CHECK(show.out.find("max_duration = \"4h\"") != std::string::npos);
    CHECK(show.out.find("The policy set by admin") != std::string::npos);

    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--generate"}).exit_code == 0);
    enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    Outcome explain = f.brankas({"policy", "explain", "--as", "operator1", "--action", "checkout", "--account",
                                 "instagram/panwascam.ponorogo", "--at", "2030-01-20"});
    CHECK_MESSAGE(explain.exit_code == 0, explain.err);
    CHECK(explain.out.starts_with("DENY: operator1 (custodian) to checkout instagram/panwascam.ponorogo"));
    CHECK(explain.out.find("[forbid line 4] forbids") != std::string::npos);
    CHECK(explain.out.find("term: no term") != std::string::npos);
    check_one_line_error(f.brankas({"policy", "explain", "--as", "operator1", "--action", "fly"}), 2, "unknown action 'fly'");
    Outcome log = f.brankas({"audit", "log"});
    CHECK(log.out.find("policy.set") != std::string::npos);
}

TEST_CASE("checkout --clip puts the password on the clipboard, never on stdout, and leaves a fresh clearer process") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--from-file", (f.dir / "pass.txt").string()}).exit_code == 0);
    // Without a desktop session nothing is checked out.
    check_one_line_error(f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah", "--clip"}), 2,
                         "--clip needs a desktop session");
    CHECK(f.brankas({"checkouts"}).out.find("panwascam.ponorogo") == std::string::npos);

    // A stand-in for xclip that keeps the clipboard in a file.
    std::filesystem::create_directories(f.dir / "bin");
    write_file(f.dir / "bin" / "xclip",
               "#!/bin/sh\ncase \"$*\" in *-in*) cat > \"$CLIPBOARD_FILE\" ;; *-out*) cat \"$CLIPBOARD_FILE\" ;; esac\n");
    std::filesystem::permissions(f.dir / "bin" / "xclip", std::filesystem::perms::owner_all);
    f.env["PATH"] = (f.dir / "bin").string() + ":/usr/bin:/bin";
    f.env["DISPLAY"] = ":0";
    f.env["CLIPBOARD_FILE"] = (f.dir / "clipboard").string();
    Outcome out = f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah", "--clip"});
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(out.out.find(passphrase) == std::string::npos);
    CHECK(out.err.find(passphrase) == std::string::npos);
    CHECK(read_file(f.dir / "clipboard") == std::string(passphrase));
    // The clearer is a fresh brankas waiting with only the hash; stop it (it would clear after 45 s).
    int clearers = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::string cmdline = read_file(entry.path() / "cmdline");
        if (cmdline.find("--internal-clipboard-clearer") == std::string::npos) continue;
        ++clearers;
        ::kill(std::stoi(entry.path().filename().string()), SIGTERM);
    }
    CHECK(clearers >= 1); // the detaching parent may not have exited yet
}

// ---- the auditor's log, reports and verification from a checkpoint ----

namespace {

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string::npos) end = s.size();
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// A district of two sub-districts with an auditor, a custodian and some history in each.
struct AuditedDistrict {
    Fixture f;
    std::string operator_pass, auditor_pass;
    AuditedDistrict() {
        f.init();
        REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(f.brankas({"unit", "add", "35.02.02", "Babadan"}).exit_code == 0);
        REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                           "--generate"}).exit_code == 0);
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "panwascam.babadan",
                           "--generate"}).exit_code == 0);
        operator_pass = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
        auditor_pass = enroll(f, "auditor1", {"--role", "auditor"});
        REQUIRE(as(f, "operator1", operator_pass, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "posting"}).exit_code == 0);
        REQUIRE(f.brankas({"checkout", "tiktok/panwascam.babadan", "--reason", "unggah hasil pengawasan"}).exit_code == 0);
        REQUIRE(f.brankas({"checkin", "tiktok/panwascam.babadan"}).exit_code == 0);
        REQUIRE(f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "=cek, \"darurat\""}).exit_code == 0);
        REQUIRE(f.brankas({"checkin", "instagram/panwascam.ponorogo"}).exit_code == 0);
    }
    Outcome auditor(std::vector<std::string> args) { return as(f, "auditor1", auditor_pass, std::move(args)); }
};

// The custodian leaves: disabled (their unit's key rotates, its accounts are flagged).
bool f_revoke_and_disable(AuditedDistrict& d) {
    Outcome o = d.f.brankas({"user", "disable", "operator1"});
    INFO(o.err);
    return o.exit_code == 0;
}

// The admin reads an account's current password (the first line of the output).
Outcome f_show(AuditedDistrict& d, const std::string& ref) {
    Outcome o = d.f.brankas({"secret", "show", ref, "--reason", "pemeriksaan"});
    REQUIRE(o.exit_code == 0);
    REQUIRE(o.out.size() == 21);
    return o;
}

} // namespace

TEST_CASE("an auditor's audit log as CSV for one unit has exactly that unit's events, under a header row") {
    AuditedDistrict d;
    Outcome all = d.auditor({"audit", "log", "--jsonl"});
    REQUIRE_MESSAGE(all.exit_code == 0, all.err);
    // What the unit's events are, from the whole log: the unit itself, its accounts, details naming it.
    std::vector<std::string> expected;
    for (const auto& line : lines_of(all.out)) {
        auto j = nlohmann::json::parse(line);
        std::string target = j["target"], units = j["unit"];
        if (target == "35.02.01" || target == "account/1" || ("," + units + ",").find(",35.02.01,") != std::string::npos)
            expected.push_back(std::to_string(j["seq"].get<int>()));
        if (target == "account/2") CHECK(units == "35.02.02");
    }
    REQUIRE(expected.size() >= 6);

    Outcome csv = d.auditor({"audit", "log", "--unit", "35.02.01", "--csv"});
    REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
    CHECK(csv.err.empty());
    std::vector<std::string> rows = lines_of(csv.out);
    REQUIRE(rows.size() == expected.size() + 1);
    CHECK(rows[0] == "\"seq\",\"time\",\"actor\",\"action\",\"target\",\"unit\",\"account\",\"reason\",\"details\"\r");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CAPTURE(rows[i]);
        CHECK(rows[i].starts_with("\"" + expected[i - 1] + "\",\"20"));
        CHECK(rows[i].find("+07:00\"") != std::string::npos);
        CHECK(rows[i].find("\"35.02.01\"") != std::string::npos);
        CHECK(rows[i].find("babadan") == std::string::npos);
    }
    // The quoted reason: a formula is defused, quotes are doubled.
    CHECK(csv.out.find("\"'=cek, \"\"darurat\"\"\"") != std::string::npos);

    Outcome checkouts = d.auditor({"audit", "log", "--unit", "35.02.01", "--since", "2020-01-01", "--action", "checkout", "--csv"});
    REQUIRE_MESSAGE(checkouts.exit_code == 0, checkouts.err);
    CHECK(lines_of(checkouts.out).size() == 2);
    CHECK(checkouts.out.find("\"checkout\",\"account/1\",\"35.02.01\",\"instagram/panwascam.ponorogo\"") != std::string::npos);
    Outcome future = d.auditor({"audit", "log", "--since", "2199-01-01", "--csv"});
    CHECK(lines_of(future.out).size() == 1); // the header alone
    Outcome by_actor = d.auditor({"audit", "log", "--actor", "operator1"});
    CHECK(by_actor.out.find("secret.read") != std::string::npos);
    CHECK(by_actor.out.find("admin ") == std::string::npos);
}

TEST_CASE("bad filters, bad dates, the wrong role and unknown users are one line and a documented code") {
    AuditedDistrict d;
    check_one_line_error(d.auditor({"audit", "log", "--since", "2029-02-30"}), 2, "'2029-02-30' is not a date");
    check_one_line_error(d.auditor({"audit", "log", "--until", "kemarin"}), 2, "'kemarin' is not a date");
    check_one_line_error(d.auditor({"audit", "log", "--since", "2029-03-01", "--until", "2029-02-01"}), 2, "--until is not after --since");
    check_one_line_error(d.auditor({"audit", "log", "--action", "fly"}), 2, "unknown action 'fly'");
    check_one_line_error(d.auditor({"audit", "log", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    // A listing for a sub-district that does not exist says so, rather than listing nothing.
    check_one_line_error(d.f.brankas({"account", "list", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    check_one_line_error(d.f.brankas({"--json", "account", "list", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    check_one_line_error(d.f.brankas({"handover", "list", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    check_one_line_error(d.auditor({"report", "handovers", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    Outcome listed = d.f.brankas({"account", "list", "--unit", "35.02.01"});
    CHECK_MESSAGE(listed.exit_code == 0, listed.err);
    check_one_line_error(d.auditor({"audit", "log", "--account", "x/nobody"}), 16, "no account x/nobody");
    check_one_line_error(d.auditor({"audit", "log", "--actor", "siti"}), 16, "no user 'siti' in this vault");
    check_one_line_error(d.auditor({"audit", "log", "--csv", "--jsonl"}), 2, "choose one of --json, --jsonl and --csv");
    check_one_line_error(d.auditor({"--json", "report", "status", "--csv"}), 2, "choose one of --json and --csv");
    check_one_line_error(d.auditor({"report", "exposure", "--user", "siti"}), 16, "no user 'siti' in this vault");
    check_one_line_error(d.auditor({"report", "exposure"}), 2, "report exposure needs the person");
    check_one_line_error(d.auditor({"report", "access", "--since", "2029-13-01"}), 2, "is not a date");
    check_one_line_error(as(d.f, "operator1", d.operator_pass, {"report", "status"}), 10, "a custodian may not read password history");
    check_one_line_error(as(d.f, "operator1", d.operator_pass, {"report", "access", "--unit", "35.02.02"}), 10,
                         "of a sub-district they are not granted");
    Outcome own = as(d.f, "operator1", d.operator_pass, {"report", "access", "--unit", "35.02.01", "--csv"});
    CHECK_MESSAGE(own.exit_code == 0, own.err);
    check_one_line_error(d.auditor({"audit", "verify", "--since", "nowhere.chk"}), 13, "cannot read the checkpoint file nowhere.chk");
    check_one_line_error(d.auditor({"audit", "verify", "--threads", "0"}), 2, "--threads must be 1 to 256");
}

TEST_CASE("the reports: access by account, exposure of a leaver, status, each also as JSON and CSV") {
    AuditedDistrict d;
    Outcome access = d.auditor({"report", "access"});
    REQUIRE_MESSAGE(access.exit_code == 0, access.err);
    std::vector<std::string> rows = lines_of(access.out);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].starts_with("ACCOUNT"));
    CHECK(rows[1].starts_with("instagram/panwascam.ponorogo (35.02.01)"));
    CHECK(rows[1].find("operator1") != std::string::npos);
    CHECK(rows[2].starts_with("  ")); // the same account's next access
    CHECK(rows[2].find("checkout until") != std::string::npos);
    CHECK(rows[3].starts_with("tiktok/panwascam.babadan (35.02.02)"));
    Outcome access_json = d.auditor({"--json", "report", "access"});
    auto j = nlohmann::json::parse(access_json.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["accesses"].size() == 2);
    CHECK(j[1]["accesses"][0]["reason"] == "unggah hasil pengawasan");
    CHECK(j[1]["accesses"][0]["request"].is_null());
    Outcome access_csv = d.auditor({"report", "access", "--csv"});
    CHECK(access_csv.out.starts_with("\"account\",\"unit\",\"seq\",\"time\",\"who\",\"what\",\"version\",\"break_glass\",\"until\",\"reason\",\"request\"\r\n"));
    CHECK(lines_of(access_csv.out).size() == 4);

    REQUIRE(f_revoke_and_disable(d));
    Outcome exposure = d.auditor({"report", "exposure", "--user", "operator1"});
    REQUIRE_MESSAGE(exposure.exit_code == 0, exposure.err);
    CHECK(exposure.out.starts_with("Exposure of operator1 (custodian, disabled): 1 password to rotate\n"));
    CHECK(exposure.out.find("instagram/panwascam.ponorogo") != std::string::npos);
    CHECK(exposure.out.find("tiktok") == std::string::npos);
    auto ej = nlohmann::json::parse(d.auditor({"--json", "report", "exposure", "operator1"}).out);
    CHECK(ej["accounts"][0]["could_open"] == true);
    CHECK(ej["accounts"][0]["seen"][0]["what"] == "password");
    Outcome exposure_csv = d.auditor({"report", "exposure", "--user", "operator1", "--csv"});
    CHECK(lines_of(exposure_csv.out).size() == 2);

    Outcome status = d.auditor({"report", "status"});
    REQUIRE_MESSAGE(status.exit_code == 0, status.err);
    CHECK(status.out.find("Rotation due (2)") != std::string::npos);
    CHECK(status.out.find("Overdue check-outs (0)") != std::string::npos);
    auto sj = nlohmann::json::parse(d.auditor({"--json", "report", "status"}).out);
    CHECK(sj["totals"]["active"] == 2);
    CHECK(sj["rotation_due"].size() == 2);
    Outcome status_csv = d.auditor({"report", "status", "--csv"});
    CHECK(status_csv.out.starts_with("\"section\",\"unit\",\"account\",\"status\",\"count\""));
    // No report shows a password: the two current ones are nowhere in any output.
    Outcome p1 = f_show(d, "instagram/panwascam.ponorogo"), p2 = f_show(d, "tiktok/panwascam.babadan");
    for (const Outcome* o : {&access, &access_json, &access_csv, &exposure, &exposure_csv, &status, &status_csv}) {
        CHECK(o->out.find(p1.out.substr(0, 20)) == std::string::npos);
        CHECK(o->out.find(p2.out.substr(0, 20)) == std::string::npos);
    }
}

TEST_CASE("audit verify --since a checkpoint: the log must extend it, later events are checked, with or without a terminal") {
    AuditedDistrict d;
    std::string chk = (d.f.dir / "yesterday.chk").string();
    REQUIRE(d.auditor({"audit", "checkpoint", "--out", chk}).exit_code == 0);
    REQUIRE(d.f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "hari ini"}).exit_code == 0);
    Outcome since = d.auditor({"audit", "verify", "--since", chk});
    REQUIRE_MESSAGE(since.exit_code == 0, since.err);
    CHECK(since.err.empty()); // no progress bar without a terminal
    CHECK(since.out.find("Signatures   1 valid (events ") != std::string::npos);
    CHECK(since.out.find("Replay       not run: it needs the whole history") != std::string::npos);
    CHECK(since.out.find("The vault verifies from the checkpoint on.\n") != std::string::npos);
    auto j = nlohmann::json::parse(d.auditor({"--json", "audit", "verify", "--since", chk}).out);
    CHECK(j["scope"] == "after_checkpoint");
    CHECK(j["replayed"] == false);
    CHECK(j["signatures"] == 1);
    Outcome whole = d.auditor({"audit", "verify", "--threads", "2"});
    CHECK(whole.exit_code == 0);
    CHECK(whole.out.find("Replay       the stored tables match") != std::string::npos);
    check_one_line_error(d.auditor({"audit", "verify", "--since", chk, "--checkpoint", chk}), 2, "--checkpoint and --since are alternatives");

    // On a terminal (script gives the command one), a progress bar is drawn on stderr and cleared.
    if (std::filesystem::exists("/usr/bin/script")) {
        std::string command = brankas_binary() + " --vault " + d.f.vault + " --user auditor1 --passphrase-file " +
                              d.auditor_pass + " audit verify";
        Outcome tty = run_program({"/usr/bin/script", "-qec", command, "/dev/null"}, d.f.env);
        CHECK_MESSAGE(tty.exit_code == 0, tty.out);
        CHECK(tty.out.find("verifying [") != std::string::npos);
        CHECK(tty.out.find("\r\033[K") != std::string::npos);
        CHECK(tty.out.find("The vault verifies.") != std::string::npos);
    }

    // A copy of the store put back after a later checkpoint: refused as a rollback.
    std::filesystem::copy_file(d.f.dir / "v" / "store.db", d.f.dir / "before.db");
    Outcome cp2 = d.auditor({"audit", "checkpoint", "--out", (d.f.dir / "today.chk").string()});
    REQUIRE(cp2.exit_code == 0);
    std::filesystem::copy_file(d.f.dir / "before.db", d.f.dir / "v" / "store.db", std::filesystem::copy_options::overwrite_existing);
    check_one_line_error(d.auditor({"audit", "verify", "--since", (d.f.dir / "today.chk").string()}), 9, "truncated or rolled back");
}

TEST_CASE("audit verify --since a checkpoint that is still the head: no event to check, said in words") {
    Fixture f;
    f.init();
    const std::string chk = (f.dir / "today.chk").string();
    REQUIRE(f.brankas({"audit", "checkpoint", "--out", chk}).exit_code == 0);
    const std::string text = read_file(chk);
    const std::size_t at = text.find("\nsequence: ");
    REQUIRE(at != std::string::npos);
    const std::string seq = text.substr(at + 11, text.find('\n', at + 1) - at - 11);
    Outcome since = f.brankas({"audit", "verify", "--since", chk});
    REQUIRE_MESSAGE(since.exit_code == 0, since.err);
    CHECK(since.out.starts_with("Chain        " + seq + " events, every hash links to the one before\n"
                                "Signatures   none to check: no event after the checkpoint at event " + seq + "\n"
                                "Replay       not run: "));
    CHECK(nlohmann::json::parse(f.brankas({"--json", "audit", "verify", "--since", chk}).out)["signatures"] == 0);
    Env env = f.env;
    f.env["LANG"] = "C.UTF-8";
    f.env["LANGUAGE"] = "id";
    Outcome id = f.brankas({"audit", "verify", "--since", chk});
    f.env = env;
    CHECK(id.out.find("\nTanda tangan  tidak ada yang diperiksa: tidak ada peristiwa setelah titik periksa pada peristiwa " + seq + "\n") !=
          std::string::npos);
}

// ---- threshold recovery ----

namespace {

// The share files of a split: dir/share-I-of-N.txt.
std::string share_file(const std::filesystem::path& dir, int i, int n) {
    return (dir / ("share-" + std::to_string(i) + "-of-" + std::to_string(n) + ".txt")).string();
}

// The same share with one symbol of its third numbered line changed.
std::string mistyped(const std::string& text) {
    std::string t = text;
    std::size_t at = t.find("\n3: ") + 4;
    t[at] = t[at] == '7' ? '8' : '7';
    return t;
}

} // namespace

TEST_CASE("3 of 5 shares reset a forgotten admin passphrase, and 2 shares, a typo or another vault's share fail") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--generate"}).exit_code == 0);
    // A checkpoint from before the split: verifying from it must follow the quorum's changes too.
    REQUIRE(f.brankas({"audit", "checkpoint", "--out", (f.dir / "before.chk").string()}).exit_code == 0);
    const auto shares = f.dir / "shares";
    Outcome split = f.brankas({"recovery", "split", "--shares", "5", "--threshold", "3", "--out-dir", shares.string()});
    REQUIRE_MESSAGE(split.exit_code == 0, split.err);
    CHECK(split.out.find("any 3 of them recover the vault") != std::string::npos);
    for (int i = 1; i <= 5; ++i) CHECK(mode_of(share_file(shares, i, 5)) == 0600);
    Outcome password = f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "before", "--break-glass"});
    REQUIRE(password.exit_code == 0);

    // Another vault's shares, and a mistyped copy of share 2.
    Fixture other;
    other.init();
    REQUIRE(other.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", (other.dir / "s").string()}).exit_code == 0);
    write_file(f.dir / "typo.txt", mistyped(read_file(share_file(shares, 2, 5))));

    auto unlock = [&](std::vector<std::string> files) {
        std::vector<std::string> args{"recovery", "unlock"};
        for (const auto& file : files) {
            args.push_back("--share-file");
            args.push_back(file);
        }
        for (const char* a : {"--kdf", "test", "reset-passphrase", "admin"}) args.push_back(a);
        return f.brankas(args, "nobody");
    };
    check_one_line_error(unlock({}), 2, "no share file was given and there is no terminal to type the shares on");
    check_one_line_error(unlock({share_file(shares, 1, 5), share_file(shares, 4, 5)}), 2, "3 shares are needed and 2 were given");
    check_one_line_error(unlock({share_file(shares, 1, 5), (f.dir / "typo.txt").string(), share_file(shares, 5, 5)}), 2,
                         "mistyped"); // by line 3's check symbol, or (1 time in 32) by the share's checksum
    check_one_line_error(unlock({share_file(shares, 1, 5), share_file(other.dir / "s", 1, 3), share_file(shares, 5, 5)}), 2,
                         "share 2 belongs to another vault");
    // None of them changed anything: the admin's passphrase still opens the vault.
    REQUIRE(f.brankas({"status"}).exit_code == 0);

    // The admin forgot the passphrase: three holders bring their shares.
    Outcome reset = f.brankas({"--json", "recovery", "unlock", "--share-file", share_file(shares, 1, 5), "--share-file",
                               share_file(shares, 3, 5), "--share-file", share_file(shares, 5, 5), "--kdf", "test",
                               "reset-passphrase", "admin"}, "nobody");
    REQUIRE_MESSAGE(reset.exit_code == 0, reset.err);
    auto at = reset.out.find("\"enrollment_code\": \"");
    REQUIRE(at != std::string::npos);
    write_file(f.dir / "admin.code", reset.out.substr(at + 20, 24) + "\n");
    check_one_line_error(f.brankas({"status"}), 10, "has not enrolled yet");
    write_file(f.dir / "new-pass.txt", "gunung-lawu-pagi-berkabut-2031\n");
    f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "new-pass.txt").string();
    Outcome enrolled = f.brankas({"user", "enroll", "--code-file", (f.dir / "admin.code").string(), "--kdf", "test"});
    REQUIRE_MESSAGE(enrolled.exit_code == 0, enrolled.err);
    Outcome after = f.brankas({"secret", "show", "instagram/panwascam.ponorogo", "--reason", "after recovery", "--break-glass"});
    REQUIRE_MESSAGE(after.exit_code == 0, after.err);
    CHECK(after.out == password.out);

    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err);
    Outcome since = f.brankas({"audit", "verify", "--since", (f.dir / "before.chk").string()});
    CHECK_MESSAGE(since.exit_code == 0, since.err);
    Outcome log = f.brankas({"audit", "log"});
    INFO(log.out);
    // The two reads outside every term broke the glass: marked, which widens the ACTION column.
    CHECK(log.out.find("recovery  ** recovery.reset **     admin") != std::string::npos);
    const std::string marked_read = "admin     secret.read BREAK-GLASS  account/1  ";
    CHECK(log.out.find(marked_read + "before\n") != std::string::npos);
    CHECK(log.out.find(marked_read + "after recovery\n") != std::string::npos);
    Outcome status = f.brankas({"status"});
    CHECK(status.out.find("Recovery     3 of 5 shares") != std::string::npos);
    CHECK(status.out.find("recovery shares  none (the random 32-byte key its shares recover)") != std::string::npos);
    CHECK(status.out.find("RECOVERY     last recovery action: admin's passphrase reset at event") != std::string::npos);
}

// ---- handovers ----

TEST_CASE("a handover through the binary: start, accept, witness, the minutes and their verification code") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--email", "panwascam.ponorogo@example.org", "--from-file", (f.dir / "pass.txt").string()}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "panwascam_ponorogo",
                       "--phone", "+6281234567890", "--generate"}).exit_code == 0);
    Outcome generated = f.brankas({"secret", "show", "tiktok/panwascam_ponorogo", "--reason", "cek"});
    REQUIRE(generated.out.size() == 21);
    const std::string second_password = generated.out.substr(0, 20);
    std::string operator1 = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    std::string operator2 = enroll(f, "operator2", {"--role", "custodian"});
    std::string admin2 = enroll(f, "admin2", {"--role", "admin"});

    Outcome start = f.brankas({"handover", "start", "--unit", "35.02.01", "--to", "operator2", "--witness", "admin2", "--note",
                               "Pergantian operator"});
    CHECK_MESSAGE(start.exit_code == 0, start.err);
    CHECK(start.out.find("Handover 1 started: 2 accounts of 35.02.01 from operator1 to operator2.") != std::string::npos);
    check_one_line_error(as(f, "operator1", operator1, {"handover", "accept", "1"}), 10, "only the receiver, 'operator2', may accept");
    Outcome accept = as(f, "operator2", operator2, {"handover", "accept", "1"});
    CHECK_MESSAGE(accept.exit_code == 0, accept.err);
    CHECK(accept.out.find("Handover 1 is accepted.") != std::string::npos);
    // Who may take the next step, and why, before anyone takes it.
    Outcome explain = f.brankas({"policy", "explain", "--as", "admin2", "--action", "witness_handover", "--handover", "1"});
    CHECK_MESSAGE(explain.exit_code == 0, explain.err);
    CHECK(explain.out.starts_with("ALLOW: admin2 (admin) to witness_handover at "));
    CHECK(explain.out.find("handover 1 of 35.02.01 (now): accepted, started by admin\n") != std::string::npos);
    CHECK(explain.out.find("receiver operator2; outgoing operator1; witness named: admin2") != std::string::npos);
    CHECK(explain.out.find("accounts: 2 still at the password handed over, 0 with a password since the start") != std::string::npos);
    Outcome by_starter = f.brankas({"--json", "policy", "explain", "--as", "admin", "--action", "witness_handover", "--handover", "1"});
    REQUIRE_MESSAGE(by_starter.exit_code == 0, by_starter.err);
    auto starter = nlohmann::json::parse(by_starter.out);
    CHECK(starter["decision"] == "deny");
    CHECK(starter["facts"]["handover"]["state"] == "accepted");
    CHECK(starter["facts"]["handover"]["witness"] == "admin2");
    CHECK(starter["facts"]["handover"]["accounts_unrotated"] == 2);
    check_one_line_error(f.brankas({"policy", "explain", "--as", "admin2", "--action", "witness_handover"}), 2,
                         "say which with --handover ID");
    check_one_line_error(f.brankas({"policy", "explain", "--as", "admin2", "--action", "checkout", "--handover", "1"}), 2,
                         "--handover goes only with a handover step");
    check_one_line_error(f.brankas({"policy", "explain", "--as", "admin2", "--action", "witness_handover", "--handover", "9"}), 16,
                         "no handover 9");
    check_one_line_error(f.brankas({"policy", "explain", "--as", "admin2", "--action", "witness_handover", "--handover", "0"}), 2,
                         "a handover's number is 1 or more");
    check_one_line_error(f.brankas({"policy", "explain", "--as", "admin2", "--action", "witness_handover", "--handover", "1",
                                    "--account", "instagram/panwascam.ponorogo"}),
                         2, "drop --account");
    // The outgoing custodian signs too: without their release the witness does not complete it.
    Outcome release = as(f, "operator1", operator1, {"handover", "release", "1"});
    CHECK_MESSAGE(release.exit_code == 0, release.err);
    CHECK(release.out.find("Handover 1 is released by operator1; it is accepted.") != std::string::npos);
    Outcome witness = as(f, "admin2", admin2, {"handover", "witness", "1"});
    CHECK_MESSAGE(witness.exit_code == 0, witness.err);
    CHECK(witness.out.find("Handover 1 is completed.") != std::string::npos);

    // The new custodian reads, the old one is denied, the accounts are due for rotation.
    Outcome reads = as(f, "operator2", operator2, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "posting"});
    CHECK_MESSAGE(reads.exit_code == 0, reads.err);
    CHECK(reads.out == std::string(passphrase) + "\n");
    check_one_line_error(as(f, "operator1", operator1, {"secret", "show", "instagram/panwascam.ponorogo", "--reason", "posting"}), 10,
                         "not granted");
    Outcome due = f.brankas({"--json", "report", "status"});
    CHECK(due.out.find("instagram/panwascam.ponorogo") != std::string::npos);
    CHECK(due.out.find("tiktok/panwascam_ponorogo") != std::string::npos);
    CHECK(nlohmann::json::parse(f.brankas({"--json", "account", "show", "2"}).out)["rotation_due"] == true);

    // show, list and the report; none shows a password.
    Outcome show = f.brankas({"--json", "handover", "show", "1"});
    REQUIRE_MESSAGE(show.exit_code == 0, show.err);
    nlohmann::json shown = nlohmann::json::parse(show.out);
    CHECK(shown["state"] == "completed");
    CHECK(shown["accounts"].size() == 2);
    const std::string code = shown["verification_code"];
    CHECK(f.brankas({"handover", "list", "--unit", "35.02.01"}).out.find(code) != std::string::npos);
    Outcome csv = f.brankas({"report", "handovers", "--csv"});
    CHECK_MESSAGE(csv.exit_code == 0, csv.err);
    CHECK(csv.out.starts_with("\"id\",\"unit\",\"state\""));
    CHECK(csv.out.find(code) != std::string::npos);
    CHECK(nlohmann::json::parse(f.brankas({"--json", "report", "handovers"}).out).size() == 1);

    // The minutes: every account's platform and handle, the code, no password; never over a file.
    std::string html = (f.dir / "ba-1.html").string();
    Outcome minutes = f.brankas({"handover", "minutes", "1", "--format", "html", "--out", html});
    CHECK_MESSAGE(minutes.exit_code == 0, minutes.err);
    std::string paper = read_file(html);
    for (const std::string& needle : {std::string("instagram"), std::string("panwascam.ponorogo"), std::string("tiktok"),
                                      std::string("panwascam_ponorogo"), code, std::string("@page { size: A4;")})
        CHECK_MESSAGE(paper.find(needle) != std::string::npos, needle);
    Outcome md = f.brankas({"handover", "minutes", "1", "--format", "md"});
    CHECK(md.out.find("`panwascam_ponorogo`") != std::string::npos);
    for (const std::string& text : {paper, md.out, show.out, csv.out}) {
        CHECK(text.find(passphrase) == std::string::npos);
        CHECK(text.find(second_password) == std::string::npos);
    }
    check_one_line_error(f.brankas({"handover", "minutes", "1", "--format", "html", "--out", html}), 17, "already exists");
    CHECK(f.brankas({"handover", "minutes", "1", "--format", "html", "--out", html, "--force"}).exit_code == 0);

    // The code on the paper leads back to the event, and the vault verifies up to it.
    Outcome lookup = f.brankas({"handover", "lookup", code});
    CHECK_MESSAGE(lookup.exit_code == 0, lookup.err);
    CHECK(lookup.out.find("of handover 1") != std::string::npos);
    CHECK(lookup.out.find("The vault verifies up to that event and beyond") != std::string::npos);
    check_one_line_error(f.brankas({"handover", "lookup", code == "0000-0000" ? "0000-0001" : "0000-0000"}), 16,
                         "no completed handover has the verification code");
    check_one_line_error(f.brankas({"handover", "lookup", "kode"}), 2, "is not a verification code");

    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("a vault directory that others may write is refused, one they may read is used with a warning") {
    Fixture f;
    f.init();
    const std::string warning = "brankas: warning: the vault directory " + f.vault + " may be read by others (mode 0755); make it private: chmod 700 " + f.vault + "\n";
    REQUIRE(f.brankas({"status"}).err.find("may be read by others") == std::string::npos);
    for (mode_t mode : {0777, 0770, 0702}) {
        CAPTURE(mode);
        REQUIRE(::chmod(f.vault.c_str(), mode) == 0);
        Outcome o = f.brankas({"status"});
        check_one_line_error(o, 2, "the vault directory " + f.vault + " may be written by others");
        CHECK(o.err.find("brankas: hint: make it private: chmod 700 " + f.vault + "\n") != std::string::npos);
        // So is every other way in: a person enrolling, the quorum recovering.
        check_one_line_error(f.brankas({"user", "enroll", "--code-file", (f.dir / "pass.txt").string()}, "nobody"), 2, "may be written by others");
    }
    REQUIRE(::chmod(f.vault.c_str(), 0755) == 0);
    Outcome o = f.brankas({"status"});
    CHECK(o.exit_code == 0);
    CHECK(o.err.find(warning) != std::string::npos);
    REQUIRE(::chmod(f.vault.c_str(), 0700) == 0);
    CHECK(f.brankas({"status"}).err.find("may be read by others") == std::string::npos);
}

TEST_CASE("a passphrase file that others may read is used, with a warning") {
    Fixture f;
    f.init();
    const std::string pass = (f.dir / "pass.txt").string();
    REQUIRE(::chmod(pass.c_str(), 0644) == 0);
    Outcome o = f.brankas({"status"});
    CHECK(o.exit_code == 0);
    CHECK(o.err.find("brankas: warning: the passphrase file " + pass + " may be read by others (mode 0644); make it private: chmod 600 " +
                     pass + "\n") != std::string::npos);
    REQUIRE(::chmod(pass.c_str(), 0600) == 0);
    CHECK(f.brankas({"status"}).err.find("passphrase file") == std::string::npos);
}

TEST_CASE("the next writer of the keyring removes what a writer killed at its rename left behind") {
    Fixture f;
    f.init();
    // What write_file_atomic leaves when its process dies between writing and renaming.
    write_file(std::filesystem::path(f.vault) / "keyring.tmp-Xq7Zp2", "a keyring that never became one");
    CHECK(f.brankas({"status"}).exit_code == 0); // a reader leaves it alone
    CHECK(std::filesystem::exists(std::filesystem::path(f.vault) / "keyring.tmp-Xq7Zp2"));
    Outcome added = f.brankas({"user", "add", "auditor1", "--role", "auditor", "--kdf", "test"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(f.vault) / "keyring.tmp-Xq7Zp2"));
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a hint's command names an account whose handle has spaces in quotes, and it runs as printed") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.03", "Jenangan"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    Outcome added = f.brankas({"account", "add", "--unit", "35.02.03", "--platform", "facebook", "--handle", "Panwascam Jenangan"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    CHECK(added.out.find("No password stored yet: `brankas secret set 'facebook/panwascam jenangan'`.\n") != std::string::npos);
    check_one_line_error(f.brankas({"checkout", "facebook/panwascam jenangan", "--reason", "unggah"}), 17, "has no password yet");
    CHECK(f.brankas({"checkout", "facebook/panwascam jenangan", "--reason", "unggah"}).err.ends_with(
        "brankas: hint: store one with `brankas secret set 'facebook/panwascam jenangan'`\n"));
    REQUIRE(f.brankas({"secret", "set", "facebook/panwascam jenangan", "--generate", "--reason", "awal"}).exit_code == 0);

    Outcome out = f.brankas({"checkout", "facebook/panwascam jenangan", "--reason", "unggah"});
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    const std::string hint = "give it back with `brankas checkin 'facebook/panwascam jenangan'`\n";
    REQUIRE(out.err.ends_with(hint));
    CHECK(out.err.starts_with("brankas: facebook/panwascam jenangan is yours until "));
    // The command between the backquotes, as a person pastes it into a shell.
    Env env = f.env;
    env["BRANKAS_VAULT"] = f.vault;
    env["BRANKAS_USER"] = "admin";
    const std::string pasted = hint.substr(hint.find('`') + 1, hint.rfind('`') - hint.find('`') - 1);
    Outcome checkin = run_program({"/bin/sh", "-c", brankas_binary() + pasted.substr(std::string("brankas").size())}, env);
    CHECK_MESSAGE(checkin.exit_code == 0, checkin.err);
    CHECK(checkin.out.starts_with("Checked in facebook/panwascam jenangan."));
}

TEST_CASE("a file path with a space is quoted in the command a hint prints: backup verify, audit verify --checkpoint") {
    Fixture f;
    f.init();
    const std::filesystem::path usb = f.dir / "USB DISK";
    std::filesystem::create_directory(usb);
    std::filesystem::permissions(usb, std::filesystem::perms::owner_all);
    const std::string backup = (usb / "brankas.bak").string();
    Outcome created = f.brankas({"backup", "create", backup});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    CHECK(created.out.find("Check it with `brankas backup verify '" + backup + "'`") != std::string::npos);
    const std::string checkpoint = (usb / "head.chk").string();
    Outcome taken = f.brankas({"audit", "checkpoint", "--out", checkpoint});
    REQUIRE_MESSAGE(taken.exit_code == 0, taken.err);
    CHECK(taken.out.find("`brankas audit verify --checkpoint '" + checkpoint + "'` proves") != std::string::npos);
    // The spreadsheet to wipe after an import: the path pasted whole, or shred leaves the passwords.
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    const std::string sheet = (usb / "akun panwascam.csv").string();
    write_file(sheet, "kecamatan,platform,username,password\nPonorogo,instagram,panwascam.ponorogo,Sandi-rahasia-1\n");
    Outcome imported = f.brankas({"import", "csv", sheet});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    CHECK_MESSAGE(imported.out.find("(shred -u '" + sheet + "')") != std::string::npos, imported.out);
    // A vault directory that does not exist: the init it suggests names it as one word.
    Outcome missing = run({"--vault", (usb / "no vault").string(), "--user", "admin", "status"}, f.env);
    CHECK(missing.exit_code != 0);
    CHECK_MESSAGE(missing.err.find("`brankas --vault '" + (usb / "no vault").string() + "' init --institution NAME`") != std::string::npos,
                  missing.err);
}
