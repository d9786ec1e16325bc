// The command line run in-process: exact output on injected streams, exit codes, and the
// parsing rules (no guessing of abbreviated options).
#include "cli/app.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "support/test_vault.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace brankas;
using namespace brankas::test;

namespace {

class FixedPassphrase final : public cli::PassphraseInput {
public:
    explicit FixedPassphrase(std::string_view p) : p_(p) {}
    Result<SecretBytes> existing(std::string_view) override { return SecretBytes::copy_of(as_bytes(p_)); }
    Result<SecretBytes> new_passphrase(std::string_view) override { return SecretBytes::copy_of(as_bytes(p_)); }
    Result<SecretBytes> new_secret(std::string_view) override { return SecretBytes::copy_of(as_bytes(std::string_view("typed-password-1"))); }

private:
    std::string_view p_;
};

struct Run {
    int code = -1;
    std::string out, err;
};

struct Cli {
    TempDir dir;
    FixedClock clock{test_start_us};
    FixedPassphrase passphrase{test_passphrase};
    cli::Environment env{(dir / "v").string(), "admin", std::nullopt};

    Run run(std::vector<std::string> args) {
        std::ostringstream out, err;
        Run r;
        r.code = cli::run(args, env, out, err, clock, &passphrase);
        r.out = out.str();
        r.err = err.str();
        return r;
    }
    Run init() {
        // The test profile is refused unless the suite opts in.
        env.allow_test_kdf = true;
        Run r = run({"init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"});
        env.allow_test_kdf = false;
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return r;
    }
};

} // namespace

TEST_CASE("--help lists every command and the exit codes") {
    Cli c;
    Run r = c.run({"--help"});
    CHECK(r.code == 0);
    for (const char* cmd : {"init", "status", "audit log", "audit checkpoint", "audit verify"}) CHECK(r.out.find(cmd) != std::string::npos);
    for (const auto& e : cli::exit_code_table()) CHECK(r.out.find(std::string(e.meaning)) != std::string::npos);
    Run bare = c.run({});
    CHECK(bare.code == 2);
    CHECK(bare.err.find("Usage: brankas") != std::string::npos);
}

TEST_CASE("a command's --help shows its options") {
    Cli c;
    Run r = c.run({"init", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("--institution") != std::string::npos);
    CHECK(r.out.find("--kdf") != std::string::npos);
}

TEST_CASE("usage errors are one sentence with a hint and exit code 2") {
    Cli c;
    SUBCASE("unknown command") {
        Run r = c.run({"frobnicate"});
        CHECK(r.code == 2);
        CHECK(r.err.starts_with("brankas: error: unknown command 'frobnicate'\n"));
    }
    SUBCASE("a group without its subcommand") {
        Run r = c.run({"audit"});
        CHECK(r.code == 2);
        CHECK(r.err.starts_with("brankas: error: 'audit' needs a subcommand\n"));
    }
    SUBCASE("abbreviated options are not guessed") {
        Run r = c.run({"init", "--inst", "Bawaslu"});
        CHECK(r.code == 2);
        CHECK(r.err.find("inst") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(c.dir / "v"));
    }
    SUBCASE("a missing required option") {
        Run r = c.run({"init"});
        CHECK(r.code == 2);
        CHECK(r.err.find("institution") != std::string::npos);
    }
    SUBCASE("an unknown KDF profile") {
        Run r = c.run({"init", "--institution", "X", "--kdf", "fast"});
        CHECK(r.code == 2);
        CHECK(r.err.find("unknown --kdf 'fast'") != std::string::npos);
    }
    SUBCASE("the test KDF outside the test suite") {
        Run r = c.run({"init", "--institution", "X", "--kdf", "test"});
        CHECK(r.code == 2);
        CHECK(r.err.find("only for the test suite") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(c.dir / "v"));
    }
    SUBCASE("no user") {
        c.env.user.reset();
        Run r = c.run({"status"});
        CHECK(r.code == 2);
        CHECK(r.err == "brankas: error: no user given\nbrankas: hint: use --user NAME or set BRANKAS_USER\n");
    }
}

TEST_CASE("init, status and the audit commands, as a person and as a program sees them") {
    Cli c;
    Run init = c.init();
    CHECK(init.out.starts_with("Created the vault of Bawaslu Kabupaten Ponorogo in "));
    CHECK(init.err.find("INSECURE test key derivation") != std::string::npos);

    Run status = c.run({"status"});
    CHECK(status.code == 0);
    CHECK(status.out.find("Institution  Bawaslu Kabupaten Ponorogo\n") != std::string::npos);
    CHECK(status.out.find("INSECURE, for the test suite only") != std::string::npos);
    CHECK(status.out.find("none taken yet") != std::string::npos);

    Run json = c.run({"--json", "status"});
    REQUIRE(json.code == 0);
    auto j = nlohmann::json::parse(json.out);
    CHECK(j["institution"] == "Bawaslu Kabupaten Ponorogo");
    CHECK(j["events"] == 1);
    CHECK(j["users"][0]["name"] == "admin");
    CHECK(j["users"][0]["slot"]["kdf"]["profile"] == "test");
    CHECK(j["users"][0]["slot"]["kdf"]["opslimit"] == 1);

    c.clock.advance_seconds(5);
    Run cp = c.run({"audit", "checkpoint", "--out", (c.dir / "head.chk").string()});
    CHECK(cp.code == 0);
    CHECK(cp.out.starts_with("Checkpoint of event 2 "));
    Run cp_again = c.run({"audit", "checkpoint", "--out", (c.dir / "head.chk").string()});
    CHECK(cp_again.code == 17);
    CHECK(cp_again.err.find("already exists") != std::string::npos);

    Run log = c.run({"audit", "log", "--json"});
    REQUIRE(log.code == 0);
    auto events = nlohmann::json::parse(log.out);
    REQUIRE(events.size() == 2);
    CHECK(events[0]["action"] == "vault.create");
    CHECK(events[1]["action"] == "audit.checkpoint");
    CHECK(events[1]["time"] == "2027-01-15T15:00:05+07:00"); // ISO 8601 with the offset of the vault's zone (WIB)

    Run verify = c.run({"audit", "verify", "--checkpoint", (c.dir / "head.chk").string()});
    CHECK(verify.code == 0);
    CHECK(verify.out.find("The vault verifies.") != std::string::npos);
    CHECK(verify.out.find("the log extends the checkpoint at event 2 signed by admin") != std::string::npos);
}

TEST_CASE("a log dated ahead of this computer's clock still verifies, and the report says so") {
    Cli c;
    c.init();
    c.clock.advance_seconds(3 * 3600); // a writer whose clock runs three hours fast
    REQUIRE(c.run({"unit", "add", "35.02.01", "Ponorogo"}).code == 0);

    c.clock.advance_seconds(-3 * 3600 + 4 * 60); // the auditor's clock, right: 2 h 56 min behind the last event
    Run ahead = c.run({"audit", "verify"});
    CHECK(ahead.code == 0);
    CHECK(ahead.out.find("Clock        the last event is dated 2027-01-15 18:00 WIB, 2h56m after this computer's clock") !=
          std::string::npos);
    CHECK(ahead.out.ends_with("The vault verifies.\n"));
    auto j = nlohmann::json::parse(c.run({"--json", "audit", "verify"}).out);
    CHECK(j["ok"] == true);
    CHECK(j["head_after_clock"] == true);
    CHECK(j["head_time"] == "2027-01-15T18:00:00+07:00");

    // Minutes of difference between computers are no finding.
    c.clock.advance_seconds(3 * 3600 - 4 * 60 - 4 * 60);
    Run close = c.run({"audit", "verify"});
    CHECK(close.code == 0);
    CHECK(close.out.find("Clock") == std::string::npos);
    CHECK(nlohmann::json::parse(c.run({"--json", "audit", "verify"}).out)["head_after_clock"] == false);
}

TEST_CASE("a failed verification exits 9 and names the event, in JSON too") {
    Cli c;
    c.init();
    {
        auto v = Vault::open(c.dir / "v", "admin", passphrase_of(test_passphrase), c.clock);
        REQUIRE(v);
        REQUIRE(store_of(*v).exec("UPDATE events SET target = 'x' WHERE seq = 1"));
    }
    Run r = c.run({"--json", "audit", "verify"});
    CHECK(r.code == 9);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["ok"] == false);
    CHECK(j["bad_event"] == 1);
    CHECK(r.err.starts_with("brankas: error: verification failed: event 1: its listed columns disagree"));
}

TEST_CASE("README.md documents every exit code exactly as the program does") {
    std::ifstream in(BRANKAS_README_FILE);
    std::string readme(std::istreambuf_iterator<char>(in), {});
    REQUIRE_FALSE(readme.empty());
    for (const auto& e : cli::exit_code_table()) {
        std::string row = "| " + std::to_string(static_cast<int>(e.code)) + " | " + std::string(e.meaning) + " |";
        CHECK_MESSAGE(readme.find(row) != std::string::npos, row);
    }
}

TEST_CASE("text from the vault reaches a terminal with its control characters escaped") {
    CHECK(cli::for_terminal("Bawaslu Kabupaten Ponorogo") == "Bawaslu Kabupaten Ponorogo");
    CHECK(cli::for_terminal("Kecamatan Sukorejo \xc3\xa9") == "Kecamatan Sukorejo \xc3\xa9");
    CHECK(cli::for_terminal("a\x1b[2Jb") == "a\\x1b[2Jb");
    CHECK(cli::for_terminal("line\nbreak\r") == "line\\x0abreak\\x0d");
    CHECK(cli::for_terminal("bad \xff utf-8 \xc3") == "bad \\xff utf-8 \\xc3");
    CHECK(cli::json_text(nlohmann::json("a\xff"), -1) == "\"a\xef\xbf\xbd\"");

    // Anyone with the store key can write any text into the tables; status must not pass it on.
    Cli c;
    c.init();
    {
        auto v = Vault::open(c.dir / "v", "admin", passphrase_of(test_passphrase), c.clock);
        REQUIRE(v);
        REQUIRE(store_of(*v).exec("UPDATE vault SET institution = 'X' || char(27) || '[2J' || char(255)"));
    }
    Run status = c.run({"status"});
    CHECK(status.code == 0);
    CHECK(status.out.find("Institution  X\\x1b[2J") != std::string::npos);
    CHECK(status.out.find('\x1b') == std::string::npos);
    Run json = c.run({"--json", "status"});
    CHECK(json.code == 0);
    CHECK(nlohmann::json::parse(json.out)["institution"] == "X\x1b[2J\xc3\xbf");
}

TEST_CASE("account list sizes its columns before the first row, and row by row where the text is not plain ASCII") {
    Cli c;
    c.init();
    for (std::vector<std::string> args : {
             std::vector<std::string>{"unit", "add", "35.02.01", "Ponorogo"},
             {"unit", "add", "35.02.02", "Babadan"},
             {"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"},
             {"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo", "--email",
              "ponorogo@example.org", "--generate"},
             {"account", "add", "--unit", "35.02.02", "--platform", "x", "--handle", "babadan"},
             {"account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "panwascam.babadan", "--generate"},
             {"rotate", "tiktok/panwascam.babadan", "--reason", "sandi lama bocor"},
         }) {
        Run r = c.run(args);
        REQUIRE_MESSAGE(r.code == 0, r.err);
    }
    // Every kind of cell: an e-mail and none, a password and none, a rotation pending and none.
    CHECK(c.run({"account", "list"}).out ==
          "ID  UNIT      ACCOUNT                       STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo  active  -         v1        ponorogo@example.org\n"
          "3   35.02.02  tiktok/panwascam.babadan      active  pending   v1        -\n"
          "2   35.02.02  x/babadan                     active  -         none      -\n");
    // Narrowed, the columns fit the rows shown, not the whole table.
    CHECK(c.run({"account", "list", "--unit", "35.02.02"}).out ==
          "ID  UNIT      ACCOUNT                   STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "3   35.02.02  tiktok/panwascam.babadan  active  pending   v1        -\n"
          "2   35.02.02  x/babadan                 active  -         none      -\n");
    CHECK(c.run({"account", "list", "--status", "archived"}).out == "No accounts match.\n");

    // A handle written into the store by hand, two bytes per letter: measured as it is shown.
    {
        auto v = Vault::open(c.dir / "v", "admin", passphrase_of(test_passphrase), c.clock);
        REQUIRE(v);
        REQUIRE(store_of(*v).exec("UPDATE accounts SET handle = 'panwascam.babadan.kecamatan' || char(233, 233) WHERE id = 2"));
    }
    CHECK(c.run({"account", "list"}).out ==
          "ID  UNIT      ACCOUNT                          STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo     active  -         v1        ponorogo@example.org\n"
          "3   35.02.02  tiktok/panwascam.babadan         active  pending   v1        -\n"
          "2   35.02.02  x/panwascam.babadan.kecamatan\xc3\xa9\xc3\xa9  active  -         none      -\n");
}

TEST_CASE("a character that reorders or hides text reaches a terminal escaped, measured as shown, and --json keeps it") {
    // The set the rules for typed text refuse (field_rules' hidden_mark_at), written as \u and
    // four hex digits (\U and eight beyond U+FFFF), lower case as a control byte's \xNN is.
    CHECK(cli::for_terminal("J\u202etise") == "J\\u202etise");
    CHECK(cli::for_terminal("\u2066Budi\u2069") == "\\u2066Budi\\u2069");
    CHECK(cli::for_terminal("a\u200bb\u200f") == "a\\u200bb\\u200f");
    CHECK(cli::for_terminal("\ufeffSiti\u00ad") == "\\ufeffSiti\\u00ad");
    CHECK(cli::for_terminal("tag\U000e0041") == "tag\\U000e0041");
    // Visible text stays as it is: an accent that combines, a wide character, an emoji.
    CHECK(cli::for_terminal("Jose\u0301 \u738b \U0001f600") == "Jose\u0301 \u738b \U0001f600");

    Cli c;
    c.init();
    for (std::vector<std::string> args : {
             std::vector<std::string>{"unit", "add", "35.02.01", "Ponorogo"},
             {"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo"},
             {"account", "add", "--unit", "35.02.01", "--platform", "x", "--handle", "pwc"},
         }) {
        Run r = c.run(args);
        REQUIRE_MESSAGE(r.code == 0, r.err);
    }
    // A handle written into the store by hand (no rule of today's lets one in): after U+202E,
    // "pwc<U+202E>moc.liame" would read "pwcemail.com".
    {
        auto v = Vault::open(c.dir / "v", "admin", passphrase_of(test_passphrase), c.clock);
        REQUIRE(v);
        REQUIRE(store_of(*v).exec("UPDATE accounts SET handle = 'pwc' || char(8238) || 'moc.liame' WHERE id = 2"));
    }
    Run list = c.run({"account", "list"});
    CHECK(list.code == 0);
    // The escape takes its six columns: the other rows line up with it.
    CHECK(list.out ==
          "ID  UNIT      ACCOUNT                       STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo  active  -         none      -\n"
          "2   35.02.01  x/pwc\\u202emoc.liame          active  -         none      -\n");
    CHECK(list.out.find("\u202e") == std::string::npos);
    Run json = c.run({"--json", "account", "list"});
    CHECK(json.code == 0);
    CHECK(nlohmann::json::parse(json.out)[1]["handle"] == "pwc\u202emoc.liame");
}

TEST_CASE("a vault path with a trailing slash is the same vault") {
    Cli c;
    c.env.vault = (c.dir / "v").string() + "/";
    c.init();
    CHECK(std::filesystem::is_directory(c.dir / "v"));
    c.env.vault = (c.dir / "v").string();
    CHECK(c.run({"status"}).code == 0);
    c.env.vault = (c.dir / "v").string() + "//";
    CHECK(c.run({"status"}).code == 0);
}

TEST_CASE("status and audit verify name a damaged recovery slot, and the log still verifies") {
    Cli c;
    c.init();
    Run split = c.run({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", (c.dir / "shares").string()});
    REQUIRE_MESSAGE(split.code == 0, split.err);
    Run clean = c.run({"status"});
    REQUIRE(clean.code == 0);
    CHECK(clean.out.find("SLOT") == std::string::npos);
    CHECK(c.run({"audit", "verify"}).code == 0);

    // One flipped bit in the recovery slot's ciphertext, as a failing disk would leave it.
    auto k = Keyring::load(c.dir / "v" / "keyring");
    REQUIRE(k);
    Slot damaged = *k->find("recovery");
    damaged.ciphertext[60] ^= 0x02;
    k->put(damaged);
    REQUIRE(k->save(c.dir / "v" / "keyring"));

    Run status = c.run({"status"});
    CHECK(status.code == 0);
    CHECK(status.out.find("DAMAGED SLOT the recovery slot is not the one event ") != std::string::npos);
    CHECK(status.out.find(" wrote: the shares cannot open it (run `brankas recovery split` again while the vault opens)\n") !=
          std::string::npos);
    Run json = c.run({"--json", "status"});
    REQUIRE(json.code == 0);
    CHECK(nlohmann::json::parse(json.out)["slots"]["recovery"] == "damaged");
    CHECK(nlohmann::json::parse(json.out)["slots"]["admin"] == "unrecorded");

    Run verify = c.run({"audit", "verify"});
    CHECK(verify.code == static_cast<int>(cli::ExitCode::keyring_unreadable));
    CHECK(verify.err == "brankas: error: the log verifies, but the keyring slot of recovery is damaged: not the slot the log recorded\n"
                        "brankas: hint: restore the keyring from a backup of this vault; `brankas status` says what each one means\n");
    Run verify_json = c.run({"--json", "audit", "verify"});
    CHECK(verify_json.code == static_cast<int>(cli::ExitCode::keyring_unreadable));
    CHECK(nlohmann::json::parse(verify_json.out)["damaged_slots"] == nlohmann::json::array({"recovery"}));
}

TEST_CASE("status names the first overdue check-outs and sub-districts owing a new key and how many more, --json every one") {
    Cli c;
    c.init();
    {
        // Written into the store as the projection would hold them after a national term: 12
        // sub-districts (in the reverse of their order), 11 of them with a grant that ended after
        // their key last changed, and 12 accounts checked out, 11 of them overdue, their ends in
        // another order than their check-outs'.
        Session admin = open_test_vault(c.dir, c.clock);
        Database& store = store_of(admin);
        REQUIRE(store.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) "
                           "INSERT INTO units (code, name, public_key, key_version, created_seq, updated_seq) "
                           "SELECT printf('35.03.%03d', 13 - i), 'Kecamatan ' || i, zeroblob(32), 1, 1, 1 FROM n"));
        REQUIRE(store.exec("INSERT INTO grants (principal, unit, granted_seq, revoked_seq) "
                           "SELECT 'admin', code, 1, CASE WHEN code = '35.03.012' THEN NULL ELSE 2 END FROM units"));
        REQUIRE(store.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) "
                           "INSERT INTO accounts (id, unit, platform, handle, email, phone, url, status, rotation_due, version, created_seq, "
                           "updated_seq, updated_by) "
                           "SELECT 100 + i, printf('35.03.%03d', i), 'instagram', printf('panwascam.%03d', i), '', '', '', 'active', 0, 1, 1, "
                           "1, 'admin' FROM n"));
        const std::string at = std::to_string(c.clock.now_us()), minute = "60000000";
        REQUIRE(store.exec(("INSERT INTO checkouts (seq, account, holder, reason, version, start_us, until_us, break_glass) "
                            "SELECT 1000 + id, id, 'admin', 'rekap suara', 1, " + at + " - 120 * " + minute + ", "
                            "CASE WHEN id = 112 THEN " + at + " + " + minute + " ELSE " + at + " - (id % 5) * " + minute + " - id END, 0 "
                            "FROM accounts").c_str()));
    }

    Run text = c.run({"status"});
    REQUIRE_MESSAGE(text.code == 0, text.err);
    std::vector<std::string> overdue;
    std::istringstream lines(text.out);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("Overdue")) overdue.push_back(line);
    REQUIRE(overdue.size() == 9);
    // By their ends, the earliest first (4 minutes and 109 µs ago), as `brankas checkouts` lists them.
    CHECK(overdue[0].find("instagram/panwascam.009 checked out by admin until ") != std::string::npos);
    CHECK(overdue[8].ends_with("and 3 more overdue check-outs (brankas checkouts lists every open one)"));
    CHECK(text.out.find("35.03.001, 35.03.002, 35.03.003, 35.03.004, 35.03.005, 35.03.006, 35.03.007, 35.03.008 and 3 more: "
                        "a revoked custodian still holds the key") != std::string::npos);

    Run json = c.run({"--json", "status"});
    REQUIRE_MESSAGE(json.code == 0, json.err);
    const nlohmann::json j = nlohmann::json::parse(json.out);
    REQUIRE(j["overdue_checkouts"].size() == 11);
    CHECK(j["overdue_checkouts"][0]["account"] == "instagram/panwascam.009");
    CHECK(j["overdue_checkouts"][10]["account"] == "instagram/panwascam.005"); // 105 µs ago
    CHECK(j["overdue_checkouts"].dump().find("panwascam.012") == std::string::npos); // not yet at its end
    CHECK(j["overdue_checkouts"][0]["holder"] == "admin");
    std::vector<std::string> owing = j["key_rotation_owed"].get<std::vector<std::string>>();
    REQUIRE(owing.size() == 11);
    CHECK(owing.front() == "35.03.001");
    CHECK(owing.back() == "35.03.011");
}
