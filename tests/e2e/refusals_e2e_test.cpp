// What a refused command says, and the code it exits with (cli/exit_codes.hpp): a name that does
// not exist is not_found (16), a state that forbids it is conflict (17), a bad command line or
// input file is usage (2), and a message names the value it refuses without repeating all of it.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace brankas::e2e;

namespace {

// A vault with one sub-district and a custodian of it (added, not enrolled).
struct OneCustodian {
    Fixture f;
    OneCustodian() {
        start_from(f, "OneCustodian", [](Fixture& fresh) {
            fresh.init();
            REQUIRE(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
            Outcome added = fresh.brankas({"user", "add", "operator1", "--role", "custodian", "--unit", "35.02.01", "--kdf", "test"});
            REQUIRE_MESSAGE(added.exit_code == 0, added.err);
            return Values{};
        });
    }
};

} // namespace

TEST_CASE("a grant or a revocation that names no user or no sub-district is not_found, one not held is a conflict") {
    OneCustodian v;
    Fixture& f = v.f;
    check_one_line_error(f.brankas({"user", "revoke", "nobody", "--unit", "35.02.01"}), 16, "no user 'nobody'");
    check_one_line_error(f.brankas({"user", "grant", "nobody", "--unit", "35.02.01"}), 16, "no user 'nobody'");
    check_one_line_error(f.brankas({"user", "revoke", "operator1", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    check_one_line_error(f.brankas({"user", "grant", "operator1", "--unit", "35.02.99"}), 16, "no sub-district 35.02.99");
    check_one_line_error(f.brankas({"user", "disable", "nobody"}), 16, "no user 'nobody'");
    check_one_line_error(f.brankas({"user", "edit", "nobody", "--full-name", "Siti"}), 16, "no user 'nobody'");
    check_one_line_error(f.brankas({"user", "show", "nobody"}), 16, "no user 'nobody'");
    // A person a query names is not found as a person a command acts on is (exit code 5 is the
    // user the command runs as).
    check_one_line_error(f.brankas({"report", "exposure", "--user", "nobody"}), 16, "no user 'nobody' in this vault");
    check_one_line_error(f.brankas({"audit", "log", "--actor", "nobody"}), 16, "no user 'nobody' in this vault");
    check_one_line_error(f.brankas({"policy", "explain", "--as", "nobody", "--action", "read_metadata"}), 16, "no user 'nobody' in this vault");
    check_one_line_error(f.brankas({"status"}, "nobody"), 5, "no user 'nobody' in this vault");
    // The custodian still holds the sub-district: a revocation that was refused changed nothing.
    Outcome revoked = f.brankas({"user", "revoke", "operator1", "--unit", "35.02.01"});
    CHECK_MESSAGE(revoked.exit_code == 0, revoked.err);
    check_one_line_error(f.brankas({"user", "revoke", "operator1", "--unit", "35.02.01"}), 17, "'operator1' does not hold sub-district 35.02.01");
}

TEST_CASE("enrolling a second time is a conflict, not a bad command line") {
    Fixture f;
    f.init();
    const std::string pass_file = enroll(f, "auditor1", {"--role", "auditor"});
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = pass_file;
    Outcome again = f.brankas({"user", "enroll", "--code-file", (f.dir / "auditor1.code").string(), "--kdf", "test"}, "auditor1");
    f.env = env;
    check_one_line_error(again, 17, "user 'auditor1' has already enrolled");
    CHECK(as(f, "auditor1", pass_file, {"status"}).exit_code == 0);
}

TEST_CASE("a checkpoint file over the size of any checkpoint is bad input, and the message says the limit") {
    Fixture f;
    f.init();
    const std::string big = (f.dir / "big.chk").string();
    write_file(big, std::string(4097, 'a'));
    const std::string said = "the checkpoint file " + big + " is larger than a checkpoint may be (4096 bytes)";
    check_one_line_error(f.brankas({"audit", "verify", "--checkpoint", big}), 2, said);
    check_one_line_error(f.brankas({"audit", "verify", "--since", big}), 2, said);
    // A missing file is still a file that could not be read.
    check_one_line_error(f.brankas({"audit", "verify", "--checkpoint", (f.dir / "none.chk").string()}), 13, "cannot read the checkpoint file");
}

TEST_CASE("an output file that exists is a conflict in every command that writes one") {
    OneCustodian v;
    Fixture& f = v.f;
    const std::string taken = (f.dir / "taken").string();
    write_file(taken, "keep me");
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", taken}), 17, taken + " already exists");
    check_one_line_error(f.brankas({"backup", "create", taken}), 17, taken + " already exists");
    check_one_line_error(f.brankas({"--keyfile", taken, "enforcer", "add", "enforcer"}), 17, taken + " already exists");
    std::filesystem::create_directory(f.dir / "shares");
    const std::string share = (f.dir / "shares" / "share-1-of-3.txt").string();
    write_file(share, "keep me");
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", (f.dir / "shares").string()}), 17,
                         share + " already exists; a share file is never written over another file");
    CHECK(read_file(taken) == "keep me");
    CHECK(read_file(share) == "keep me");
    // None of them got as far as the log.
    CHECK(f.brankas({"audit", "log"}).out.find("enforcer") == std::string::npos);
}

TEST_CASE("an output file in a directory that does not exist is said so") {
    Fixture f;
    f.init();
    const std::string nowhere = (f.dir / "nowhere").string();
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", nowhere + "/head.chk"}), 13,
                         "cannot write " + nowhere + "/head.chk: the directory " + nowhere + " does not exist");
    check_one_line_error(f.brankas({"backup", "create", nowhere + "/v.bak"}), 13,
                         "cannot write " + nowhere + "/v.bak: the directory " + nowhere + " does not exist");
    check_one_line_error(f.brankas({"--keyfile", nowhere + "/enforcer.key", "enforcer", "add", "enforcer"}), 13,
                         "cannot write " + nowhere + "/enforcer.key: the directory " + nowhere + " does not exist");
    // The share files' directory is created, but not its parent; nothing was recorded.
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", nowhere + "/shares"}), 13,
                         "cannot write " + nowhere + "/shares: the directory " + nowhere + " does not exist");
    Outcome splits = f.brankas({"--json", "audit", "log", "--action", "recovery.split"});
    REQUIRE_MESSAGE(splits.exit_code == 0, splits.err);
    CHECK(splits.out == "[]\n");
    // A file where the directory should be is not a directory.
    write_file(nowhere, "");
    check_one_line_error(f.brankas({"audit", "checkpoint", "--out", nowhere + "/head.chk"}), 13, nowhere + " is not a directory");
}

TEST_CASE("a date outside the years brankas reads is refused with the range it reads") {
    Fixture f;
    f.init();
    Outcome since = f.brankas({"audit", "log", "--since", "2200-01-01"});
    check_one_line_error(since, 2, "'2200-01-01' is not a date");
    CHECK(since.err.find("brankas: hint: a day from 2000-01-01 to 2199-12-31") != std::string::npos);
    Outcome end = f.brankas({"term", "add", "Jauh", "--start", "2029-01-01", "--end", "2200-01-01"});
    check_one_line_error(end, 2, "the end date '2200-01-01' is not a date");
    CHECK(end.err.find("brankas: hint: write it as YYYY-MM-DD, a day from 2000-01-01 to 2199-12-31\n") != std::string::npos);
    // The days inside the range work, the last one too.
    CHECK(f.brankas({"audit", "log", "--since", "2150-01-01"}).exit_code == 0);
    Outcome last = f.brankas({"term", "add", "Panjang", "--start", "2029-01-01", "--end", "2199-12-31"});
    CHECK_MESSAGE(last.exit_code == 0, last.err);
}

TEST_CASE("an import row with two bad fields is one bad row, on one line") {
    Fixture f;
    f.init();
    const std::string file = (f.dir / "akun.csv").string();
    write_file(file, "Kode;Kecamatan;Platform;Username;Kata Sandi;Email;No HP\n"
                     "35.02.01;Ponorogo;Instagram;panwascam.ponorogo;Sandi-1;bukan-email;nomor\n");
    Outcome o = f.brankas({"import", "csv", file, "--create-units"});
    CHECK(o.exit_code == 2);
    CHECK(o.err.find("brankas: error: 1 row of " + file + " cannot be imported (line 2); nothing was imported\n") != std::string::npos);
    CHECK(o.err.find("brankas: line 2: 'bukan-email' is not an e-mail address\n") != std::string::npos);
    CHECK(o.err.find("brankas: line 2: 'nomor' is not a phone number") != std::string::npos);
}

TEST_CASE("an option brankas does not know, before any command, is said to be an option") {
    Fixture f;
    Outcome o = run({"--frob"}, f.env);
    CHECK(o.exit_code == 2);
    CHECK(o.out.empty());
    CHECK(o.err == "brankas: error: unrecognised option '--frob'\nbrankas: hint: see `brankas --help`\n");
    Outcome valued = run({"--frob=1", "status"}, f.env);
    CHECK(valued.exit_code == 2);
    CHECK(valued.err == "brankas: error: unrecognised option '--frob'\nbrankas: hint: see `brankas --help`\n");
}

TEST_CASE("a message repeats at most 64 characters of a value that was given") {
    OneCustodian v;
    Fixture& f = v.f;
    const std::string huge(100'000, 'a');
    const std::string shown = std::string(64, 'a') + "\u2026";
    Outcome handle = f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", huge});
    check_one_line_error(handle, 2, "'" + shown + "' is not a handle on instagram");
    CHECK(handle.err.size() < 300);
    for (const auto& args : std::vector<std::vector<std::string>>{{"audit", "log", "--since", huge},
                                                                 {"user", "show", huge},
                                                                 {"account", "add", "--unit", "35.02.01", "--platform", huge, "--handle", "a"},
                                                                 {"checkout", "instagram/a", "--reason", "x", "--for", huge},
                                                                 {huge},
                                                                 {"--" + huge}}) {
        Outcome o = f.brankas(args);
        INFO("stderr: " << o.err.substr(0, 200));
        CHECK((o.exit_code == 2 || o.exit_code == 16));
        CHECK(o.err.find(std::string(62, 'a') + "\u2026'") != std::string::npos);
        CHECK(o.err.size() < 400);
    }
    // A value within the bound is repeated whole.
    check_one_line_error(f.brankas({"user", "show", std::string(64, 'b')}), 16, "no user '" + std::string(64, 'b') + "'\n");
}

TEST_CASE("a reason with a tab, a line break or an invisible character is refused, saying which, and nothing is recorded") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo", "--generate"})
                .exit_code == 0);
    const std::string log_before = f.brankas({"--json", "audit", "log"}).out;
    const std::string retype = "brankas: hint: type it again by hand on one line: such characters come with text copied from elsewhere\n";
    const std::string account = "instagram/panwascam.ponorogo";
    struct Case {
        std::string reason, said;
    };
    for (const Case& c : {Case{"rapat\tpleno", "it holds a tab"}, Case{"rapat\npleno", "it holds a line break"},
                          Case{"rapat\r", "it holds a line break"}, Case{"rapat\x1b[2J", "it holds the control character U+001B"},
                          Case{"\u202erapat", "it holds U+202E, an invisible character that can make it read as other text"},
                          Case{"ra\u200bpat", "it holds U+200B, an invisible character that can make it read as other text"},
                          Case{"rapat\u2066", "it holds U+2066, an invisible character that can make it read as other text"},
                          Case{"\xef\xbb\xbfrapat", "it holds U+FEFF, an invisible character that can make it read as other text"},
                          Case{"rapat\xc3", "it holds bytes that are not UTF-8"}}) {
        INFO("reason: " << c.reason);
        const std::string said = "brankas: error: a reason is one line of visible text: " + c.said + "\n" + retype;
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"checkout", account, "--reason", c.reason}, {"secret", "show", account, "--reason", c.reason},
              {"rotate", account, "--reason", c.reason}, {"secret", "set", account, "--generate", "--reason", c.reason},
              {"unit", "rotate", "35.02.01", "--reason", c.reason}}) {
            INFO(args[0] << " " << args[1]);
            Outcome o = f.brankas(args);
            CHECK(o.exit_code == 2);
            CHECK(o.out.empty());
            CHECK(o.err == said);
        }
    }
    CHECK(f.brankas({"--json", "audit", "log"}).out == log_before);
    // In Indonesian too.
    Fixture& indonesian = f;
    indonesian.env["LANG"] = "C.UTF-8";
    indonesian.env["LANGUAGE"] = "id";
    Outcome id = indonesian.brankas({"checkout", account, "--reason", "rapat\tpleno"});
    CHECK(id.exit_code == 2);
    CHECK(id.err == "brankas: kesalahan: alasan harus berupa satu baris teks yang terlihat: isinya memuat tab\n"
                    "brankas: saran: ketik ulang dengan tangan dalam satu baris: karakter seperti itu ikut terbawa dari teks yang disalin "
                    "dari tempat lain\n");
    f.env.erase("LANGUAGE");
    // A reason of visible text on one line is taken.
    Outcome taken = f.brankas({"checkout", account, "--reason", "rapat pleno – “darurat”"});
    CHECK_MESSAGE(taken.exit_code == 0, taken.err);
    // A reason past the vault's 500 bytes is told it is too long, not that it is missing.
    for (const char* command : {"secret", "rotate"}) {
        std::vector<std::string> args = command == std::string("secret") ? std::vector<std::string>{"secret", "show", account}
                                                                         : std::vector<std::string>{"rotate", account};
        args.insert(args.end(), {"--reason", std::string(501, 'a')});
        Outcome long_reason = f.brankas(args);
        CHECK(long_reason.exit_code == 2);
        CHECK(long_reason.err == "brankas: error: a reason is at most 500 bytes long: this one has 501\n");
    }
}

TEST_CASE("a handle with a character no handle may hold is refused naming the character, its position and its code point") {
    OneCustodian v;
    Fixture& f = v.f;
    auto add = [&](const std::string& platform, const std::string& handle) {
        return f.brankas({"account", "add", "--unit", "35.02.01", "--platform", platform, "--handle", handle});
    };
    Outcome accented = add("instagram", "panwascam.ngébel");
    CHECK(accented.exit_code == 2);
    CHECK(accented.err == "brankas: error: 'panwascam.ngébel' is not a handle on instagram\n"
                          "brankas: hint: its character 13 (U+00E9) may not be in a handle: 1 to 100 visible ASCII characters without '/', "
                          "no spaces\n");
    Outcome spaced = add("youtube", "Panwascam Ngebel\u200b");
    CHECK(spaced.exit_code == 2);
    // The error line shows the invisible character it quotes, as it shows a control character.
    CHECK(spaced.err == "brankas: error: 'Panwascam Ngebel\\u200b' is not a handle on youtube\n"
                        "brankas: hint: its character 17 (U+200B) may not be in a handle: 1 to 100 visible ASCII characters without '/', "
                        "single spaces between words\n");
    CHECK(add("instagram", "@panwascam/ngebel").err.find("its character 11 (U+002F) may not be in a handle") != std::string::npos);
    CHECK(add("instagram", "pwc\xc3").err.find("its character 4 (0xC3) may not be in a handle") != std::string::npos);
    // A handle of allowed characters that is refused for its length or its spacing is told which, and where.
    CHECK(add("youtube", "Panwascam  Ngebel").err ==
          "brankas: error: 'Panwascam  Ngebel' is not a handle on youtube\n"
          "brankas: hint: its characters 10 and 11 are two spaces in a row: single spaces between words\n");
    CHECK(add("facebook", "@Panwascam Kec.  Ngebel").err ==
          "brankas: error: '@Panwascam Kec.  Ngebel' is not a handle on facebook\n"
          "brankas: hint: its characters 16 and 17 are two spaces in a row: single spaces between words\n");
    CHECK(add("youtube", " Panwascam Ngebel").err ==
          "brankas: error: ' Panwascam Ngebel' is not a handle on youtube\n"
          "brankas: hint: it begins with a space: single spaces between words, none at either end\n");
    CHECK(add("youtube", "Panwascam Ngebel ").err ==
          "brankas: error: 'Panwascam Ngebel ' is not a handle on youtube\n"
          "brankas: hint: it ends with a space: single spaces between words, none at either end\n");
    const std::string long_handle = "panwascam." + std::string(94, 'n'); // 104 characters
    Outcome too_long = add("instagram", long_handle);
    CHECK(too_long.exit_code == 2);
    CHECK(too_long.err.ends_with("' is not a handle on instagram\n"
                                 "brankas: hint: it is 104 characters long: a handle has at most 100\n"));
    CHECK(add("instagram", "@").err == "brankas: error: '@' is not a handle on instagram\n"
                                       "brankas: hint: nothing follows its '@': a handle has 1 to 100 characters\n");
    Env indonesian = f.env;
    indonesian["LANG"] = "C.UTF-8";
    indonesian["LANGUAGE"] = "id";
    std::swap(f.env, indonesian);
    Outcome id = add("instagram", "panwascam.ngébel");
    Outcome id_spaced = add("youtube", "Panwascam  Ngebel");
    Outcome id_long = add("instagram", long_handle);
    std::swap(f.env, indonesian);
    CHECK(id.err.find("saran: karakter ke-13 (U+00E9) tidak boleh ada dalam nama akun: ") != std::string::npos);
    CHECK(id_spaced.err.ends_with("saran: karakter ke-10 dan ke-11 adalah dua spasi berturut-turut: satu spasi di antara kata\n"));
    CHECK(id_long.err.ends_with("saran: panjangnya 104 karakter: nama akun paling banyak 100 karakter\n"));
}

TEST_CASE("a disabled person is told that a disabled person has no slot any more, as a name no one has is: exit code 5") {
    Fixture f;
    f.init();
    const std::string siti = enroll(f, "siti", {"--role", "auditor"});
    REQUIRE(as(f, "siti", siti, {"status"}).exit_code == 0);
    REQUIRE(f.brankas({"user", "disable", "siti"}).exit_code == 0);
    auto refusal = [](const std::string& name) {
        return "brankas: error: no user '" + name + "' in this vault\n"
               "brankas: hint: check the name given with --user or in BRANKAS_USER; if it is yours, ask an admin: a person who was "
               "disabled has no slot any more\n";
    };
    Outcome disabled = as(f, "siti", siti, {"status"});
    CHECK(disabled.exit_code == 5);
    CHECK(disabled.out.empty());
    CHECK(disabled.err == refusal("siti"));
    // Nothing that needs a slot: without one, no command of brankas runs for them.
    CHECK(disabled.err.find("`brankas") == std::string::npos);
    // The keyring names no one: what its reader sees of a former user is what they see of a name
    // no one ever had.
    Outcome nobody = as(f, "nobody", siti, {"status"});
    CHECK(nobody.exit_code == 5);
    CHECK(nobody.err == refusal("nobody"));
}

TEST_CASE("a reason given to user disable without --rekey is kept in its event, and refused as a re-key's when it is not one line or too long") {
    OneCustodian v;
    Fixture& f = v.f;
    REQUIRE(f.brankas({"user", "add", "operator2", "--role", "custodian", "--unit", "35.02.01", "--kdf", "test"}).exit_code == 0);
    const std::string too_long(501, 'x');
    check_one_line_error(f.brankas({"user", "disable", "operator1", "--reason", "pindah\ttugas"}), 2, "a reason is one line of visible text: it holds a tab");
    check_one_line_error(f.brankas({"user", "disable", "operator1", "--reason", too_long}), 2,
                         "a reason is at most 500 bytes long: this one has 501");
    // Refused before anything was written: operator1 is still there to disable.
    Outcome kept = f.brankas({"--json", "user", "disable", "operator1", "--reason", "pindah tugas ke kabupaten"});
    REQUIRE_MESSAGE(kept.exit_code == 0, kept.err);
    Outcome log = f.brankas({"--json", "audit", "log", "--action", "user.disable"});
    REQUIRE_MESSAGE(log.exit_code == 0, log.err);
    CHECK(log.out.find("\"reason\":\"pindah tugas ke kabupaten\"") != std::string::npos);
    // Without a reason the event has none, as before.
    REQUIRE(f.brankas({"user", "disable", "operator2"}).exit_code == 0);
    Outcome both = f.brankas({"audit", "log", "--action", "user.disable", "--csv"});
    REQUIRE_MESSAGE(both.exit_code == 0, both.err);
    CHECK(both.out.find("\"user.disable\",\"operator2\",\"\",\"\",\"\",") != std::string::npos);
    CHECK(both.out.find("\"user.disable\",\"operator1\",\"\",\"\",\"pindah tugas ke kabupaten\",") != std::string::npos);
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}
