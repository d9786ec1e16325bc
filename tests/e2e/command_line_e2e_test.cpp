// What a person gives brankas means one thing: contradictory options are refused, `--` ends
// the options, a share typed at the terminal can be typed again or stopped, a TOTP seed cut
// short is refused, and the byte order mark Notepad writes is not taken for part of a code or
// a password, nor set as part of a new passphrase.
#include "e2e/fixture.hpp"

#include <sstream>

using namespace brankas::e2e;

namespace {

// The numbered lines of a share file ("1: 04CW ST28 ...  6"), in order.
std::vector<std::string> share_lines(const std::filesystem::path& file) {
    std::vector<std::string> lines;
    std::istringstream in(read_file(file));
    for (std::string line; std::getline(in, line);)
        if (line.size() > 2 && line[0] >= '1' && line[0] <= '9' && line[1] == ':') lines.push_back(line);
    REQUIRE(lines.size() == 6);
    return lines;
}

std::string share_prompt(int share, int line) {
    return "Share " + std::to_string(share) + ", line " + std::to_string(line) + " (as printed, starting with \"" + std::to_string(line) + ":\"): ";
}

// run_on_terminal needs a pseudo-terminal; without one (no /dev/pts), the test says so and skips.
bool pseudo_terminal_or_skip() {
    if (has_pseudo_terminal()) return true;
    MESSAGE("no pseudo-terminal to type on (is /dev/pts mounted?); skipping");
    return false;
}

} // namespace

TEST_CASE("shares typed at the terminal: an empty line is asked again, the end of input stops with nothing done") {
    Fixture f;
    f.init();
    const auto dir = f.dir / "shares";
    REQUIRE(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", dir.string()}).exit_code == 0);
    const std::vector<std::string> one = share_lines(dir / "share-1-of-3.txt");
    const std::vector<std::string> three = share_lines(dir / "share-3-of-3.txt");
    const std::vector<std::string> args{"--vault", f.vault, "--user", "nobody", "recovery", "unlock", "--kdf", "test", "reset-passphrase", "admin"};

    SUBCASE("the end of input on the first line is no missing terminal") {
        if (!pseudo_terminal_or_skip()) return;
        TerminalOutcome o = run_on_terminal(args, f.env, {{share_prompt(1, 1), "\x04"}});
        check_one_line_error(o, 2, "the input ended at line 1 of share 1: nothing was done");
    }
    SUBCASE("the end of input on a later line stops, and nothing changed") {
        if (!pseudo_terminal_or_skip()) return;
        TerminalOutcome o = run_on_terminal(args, f.env, {{share_prompt(1, 1), one[0]}, {share_prompt(1, 2), one[1]}, {share_prompt(1, 3), "\x04"}});
        check_one_line_error(o, 2, "the input ended at line 3 of share 1: nothing was done");
        CHECK(f.brankas({"status"}).exit_code == 0); // the admin's passphrase still opens the vault
    }
    SUBCASE("an empty line, first or later, is asked again; the shares then do their work") {
        if (!pseudo_terminal_or_skip()) return;
        std::vector<Typed> steps{{share_prompt(1, 1), ""}};
        for (int i = 1; i <= 6; ++i) {
            steps.push_back({share_prompt(1, i), one[static_cast<std::size_t>(i - 1)]});
            if (i == 4) steps.push_back({share_prompt(1, 5), ""});
        }
        for (int i = 1; i <= 6; ++i) steps.push_back({share_prompt(2, i), three[static_cast<std::size_t>(i - 1)]});
        TerminalOutcome o = run_on_terminal(args, f.env, steps);
        INFO(o.terminal);
        CHECK_MESSAGE(o.exit_code == 0, o.err);
        CHECK(o.err == "brankas: line 1 is empty; type it again (Ctrl-D stops)\n"
                       "brankas: line 5 is empty; type it again (Ctrl-D stops)\n");
        CHECK(o.out.find("Recovery: the passphrase of admin admin is void") != std::string::npos);
    }
    SUBCASE("without a terminal, the sentence says so") {
        check_one_line_error(f.brankas({"recovery", "unlock", "--kdf", "test", "reset-passphrase", "admin"}, "nobody"), 2,
                             "no share file was given and there is no terminal to type the shares on");
    }
}

TEST_CASE("contradictory options are refused with exit 2, naming them") {
    Fixture f;
    f.init();
    write_file(f.dir / "key", std::string(32, 'k'));
    const std::string pass = f.env.at("BRANKAS_PASSPHRASE_FILE");
    // Which door was meant? Neither is guessed.
    check_one_line_error(f.brankas({"--keyfile", (f.dir / "key").string(), "--passphrase-file", pass, "status"}), 2,
                         "--keyfile and --passphrase-file exclude each other");
    // Where a new passphrase is set, a key file means nothing: refused, not ignored.
    Outcome made = run({"--vault", (f.dir / "v2").string(), "--user", "admin", "--keyfile", (f.dir / "key").string(), "--passphrase-file",
                        pass, "init", "--institution", institution, "--kdf", "test"},
                       f.env);
    check_one_line_error(made, 2, "--keyfile has no part in init, which sets a new passphrase");
    CHECK(made.err == "brankas: error: --keyfile has no part in init, which sets a new passphrase (from --passphrase-file, or typed at the "
                      "terminal)\nbrankas: hint: leave out --keyfile\n");
    CHECK(!std::filesystem::exists(f.dir / "v2"));
    check_one_line_error(f.brankas({"--keyfile", (f.dir / "key").string(), "user", "enroll", "--code-file", (f.dir / "no.code").string()}, "siti"),
                         2, "--keyfile has no part in user enroll, which sets a new passphrase");
    // Every single-valued option, global or a command's, is given once.
    check_one_line_error(f.brankas({"--passphrase-file", pass, "--passphrase-file", pass, "status"}), 2,
                         "option '--passphrase-file' cannot be specified more than once");
    check_one_line_error(f.brankas({"audit", "log", "--since", "2029-01-01", "--since", "2029-02-01"}), 2,
                         "option '--since' cannot be specified more than once (in 'audit log')");
    // --version runs nothing else.
    Outcome version = run({"--version", "status"}, f.env);
    check_one_line_error(version, 2, "--version takes no command or arguments, and 'status' was given");
    check_one_line_error(run({"--version", "--", "extra"}, f.env), 2, "and 'extra' was given");
    CHECK(run({"--version"}, f.env).exit_code == 0);
    // One listing format: the help says so, and the command refuses two.
    check_one_line_error(f.brankas({"--json", "audit", "log", "--jsonl"}), 2, "choose one of --json, --jsonl and --csv");
    Outcome help = run({"audit", "log", "--help"}, f.env);
    CHECK(help.out.find("one JSON object per line (JSON Lines); not with --json") != std::string::npos);
    // An enforcer is added with a passphrase: there --keyfile names the file to write.
    Outcome added = f.brankas({"--keyfile", (f.dir / "enforcer.key").string(), "--passphrase-file", pass, "enforcer", "add", "enforcer"});
    CHECK_MESSAGE(added.exit_code == 0, added.err);
}

TEST_CASE("`--` ends the options: a word after it may start with '-'") {
    Fixture f;
    f.init();
    Outcome added = f.brankas({"unit", "add", "35.02.01", "--", "-Kec. Timur-"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    CHECK(added.out == "Added sub-district 35.02.01 -Kec. Timur-; its key is held by admin\n");
    REQUIRE(f.brankas({"unit", "add", "--", "35.02.02", "--help"}).exit_code == 0); // a name, not a request for help
    REQUIRE(f.brankas({"--json", "--", "unit", "add", "35.02.03", "-x"}).exit_code == 0);
    Outcome listed = f.brankas({"--json", "unit", "list"});
    CHECK(listed.out.find("\"name\": \"-Kec. Timur-\"") != std::string::npos);
    CHECK(listed.out.find("\"name\": \"--help\"") != std::string::npos);
    CHECK(listed.out.find("\"name\": \"-x\"") != std::string::npos);
    // Without `--`, a word starting with '-' is still an option, and an unknown one is refused.
    check_one_line_error(f.brankas({"unit", "add", "35.02.04", "-X"}), 2, "unrecognised option '-X' (in 'unit add')");
}

TEST_CASE("a word left out after a command is named as what is missing, and both ways to give it") {
    Fixture f;
    f.init();
    check_one_line_error(f.brankas({"checkout", "--reason", "unggah"}), 2,
                         "missing: platform/handle or the account's number (word 1 after 'checkout', or --ref)");
    check_one_line_error(f.brankas({"unit", "add", "35.02.09"}), 2, "missing: the sub-district's name (word 2 after 'unit add', or --name)");
    // A required option that is not a word is still named as the option.
    check_one_line_error(f.brankas({"term", "add", "Pemilu 2029", "--start", "2029-01-01"}), 2,
                         "the option '--end' is required but missing (in 'term add')");
    // In Indonesian, with the description in Indonesian too; nothing was written.
    Env id = f.env;
    id["LANG"] = "C.UTF-8";
    id["LANGUAGE"] = "id";
    Outcome indonesian = run({"--vault", f.vault, "--user", "admin", "unit", "add", "35.02.09"}, id);
    CHECK(indonesian.exit_code == 2);
    CHECK_MESSAGE(indonesian.err.starts_with("brankas: kesalahan: belum diberikan: nama kecamatan (kata ke-2 setelah 'unit add', atau --name)\n"),
                  indonesian.err);
    CHECK(f.brankas({"--json", "unit", "list"}).out == "[]\n");
}

TEST_CASE("a TOTP seed shorter than 80 bits is refused when stored, with the minimum named") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    write_file(f.dir / "short.txt", "otpauth://totp/x?secret=GE======\n"); // one byte
    check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a.b", "--generate",
                                    "--totp-file", (f.dir / "short.txt").string()}),
                         2, "the TOTP key is too short: a seed has at least 10 bytes (80 bits)");
    CHECK(f.brankas({"--json", "account", "list"}).out == "[]\n"); // nothing was added
    write_file(f.dir / "seed.txt", "JBSWY3DPEHPK3PXP\n"); // ten bytes: the least a seed has
    Outcome stored = f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a.b", "--generate",
                                "--totp-file", (f.dir / "seed.txt").string()});
    CHECK_MESSAGE(stored.exit_code == 0, stored.err);
}

TEST_CASE("a byte order mark before an enrollment code or a password is not read as part of it") {
    Fixture f;
    f.init();
    const std::string bom = "\xef\xbb\xbf";
    // The code file as Notepad saves it: a byte order mark, CRLF.
    Outcome added = f.brankas({"--json", "user", "add", "siti", "--role", "auditor", "--kdf", "test"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    const auto at = added.out.find("\"enrollment_code\": \"");
    REQUIRE(at != std::string::npos);
    write_file(f.dir / "siti.code", bom + added.out.substr(at + 20, 24) + "\r\n");
    write_file(f.dir / "siti.pass", "kebun-teh-di-lereng-gunung-wilis-2031\n");
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "siti.pass").string();
    Outcome enrolled = f.brankas({"user", "enroll", "--code-file", (f.dir / "siti.code").string(), "--kdf", "test"}, "siti");
    CHECK_MESSAGE(enrolled.exit_code == 0, enrolled.err);
    f.env = env;
    // A password file the same way: the password stored is what was typed into it.
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    write_file(f.dir / "pw.txt", bom + "Rahasia-Panwascam-2029\r\n");
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a.b", "--from-file",
                       (f.dir / "pw.txt").string()}).exit_code == 0);
    CHECK(f.brankas({"secret", "show", "instagram/a.b", "--reason", "check", "--break-glass"}).out == "Rahasia-Panwascam-2029\n");
    // A file holding only the mark holds no password.
    write_file(f.dir / "empty.txt", bom + "\n");
    check_one_line_error(f.brankas({"secret", "set", "instagram/a.b", "--from-file", (f.dir / "empty.txt").string()}), 2,
                         "is empty");
}

TEST_CASE("a file that sets a new passphrase may not begin with a byte order mark: init, enroll and passwd refuse it, and nothing changes") {
    Fixture f;
    const std::string bom = "\xef\xbb\xbf";
    write_file(f.dir / "bom.txt", bom + "kebun-teh-di-lereng-gunung-wilis-2031\r\n");
    const std::string refusal = "brankas: error: the new passphrase file " + (f.dir / "bom.txt").string() +
                                " begins with a byte order mark (U+FEFF, as Notepad writes), which would become part of the passphrase; "
                                "nothing was changed\n"
                                "brankas: hint: save the file as UTF-8 without BOM, and run the command again\n";
    SUBCASE("init, from BRANKAS_PASSPHRASE_FILE") {
        f.env["BRANKAS_PASSPHRASE_FILE"] = (f.dir / "bom.txt").string();
        Outcome o = f.brankas({"init", "--institution", institution, "--kdf", "test"});
        CHECK(o.exit_code == 2);
        CHECK(o.err == refusal);
        CHECK(!std::filesystem::exists(f.vault));
    }
    SUBCASE("user passwd --new-passphrase-file") {
        f.init();
        Outcome o = f.brankas({"user", "passwd", "--new-passphrase-file", (f.dir / "bom.txt").string(), "--kdf", "test"});
        CHECK(o.exit_code == 2);
        CHECK(o.err == refusal);
        CHECK(f.brankas({"status"}).exit_code == 0); // the old passphrase still opens the vault
    }
    SUBCASE("user enroll, from --passphrase-file; the code is not spent") {
        f.init();
        Outcome added = f.brankas({"--json", "user", "add", "siti", "--role", "auditor", "--kdf", "test"});
        REQUIRE_MESSAGE(added.exit_code == 0, added.err);
        const auto at = added.out.find("\"enrollment_code\": \"");
        REQUIRE(at != std::string::npos);
        write_file(f.dir / "siti.code", added.out.substr(at + 20, 24) + "\n");
        const std::vector<std::string> enroll{"user", "enroll", "--code-file", (f.dir / "siti.code").string(), "--kdf", "test"};
        std::vector<std::string> with_bom{"--passphrase-file", (f.dir / "bom.txt").string()};
        with_bom.insert(with_bom.end(), enroll.begin(), enroll.end());
        Outcome o = f.brankas(with_bom, "siti");
        CHECK(o.exit_code == 2);
        CHECK(o.err == refusal);
        write_file(f.dir / "siti.pass", "kebun-teh-di-lereng-gunung-wilis-2031\n");
        std::vector<std::string> plain{"--passphrase-file", (f.dir / "siti.pass").string()};
        plain.insert(plain.end(), enroll.begin(), enroll.end());
        Outcome enrolled = f.brankas(plain, "siti");
        CHECK_MESSAGE(enrolled.exit_code == 0, enrolled.err);
    }
}

TEST_CASE("a passphrase file that begins with a byte order mark still opens a vault whose passphrase holds it, with a warning on the way out") {
    // Such a passphrase was set from a file before brankas refused one: typed here at the
    // terminal, mark and all. Stripping the mark when the file is read would lock it out.
    if (!pseudo_terminal_or_skip()) return;
    Fixture f;
    const std::string bom = "\xef\xbb\xbf";
    Env terminal_env = f.env;
    terminal_env.erase("BRANKAS_PASSPHRASE_FILE");
    TerminalOutcome made = run_on_terminal({"--vault", f.vault, "--user", "admin", "init", "--institution", institution, "--kdf", "test"},
                                           terminal_env,
                                           {{"New passphrase for admin: ", bom + passphrase}, {"Repeat the passphrase: ", bom + passphrase}});
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    write_file(f.dir / "pass.txt", bom + std::string(passphrase) + "\r\n");
    const std::string warning = "brankas: warning: the passphrase file " + (f.dir / "pass.txt").string() +
                                " begins with a byte order mark (U+FEFF, as Notepad writes), which is part of this passphrase: "
                                "do not save the file again without it. To be rid of it, run "
                                "`brankas user passwd --new-passphrase-file NEW` with NEW saved as UTF-8 without BOM, then use NEW\n";
    Outcome status = f.brankas({"status"});
    CHECK_MESSAGE(status.exit_code == 0, status.err);
    CHECK(status.err == warning);
    // The file saved without the mark is another passphrase...
    write_file(f.dir / "plain.txt", std::string(passphrase) + "\n");
    check_one_line_error(f.brankas({"--passphrase-file", (f.dir / "plain.txt").string(), "status"}), 6, "wrong passphrase");
    // ...until the passphrase is changed to it, as the warning says.
    Outcome changed = f.brankas({"user", "passwd", "--new-passphrase-file", (f.dir / "plain.txt").string(), "--kdf", "test"});
    CHECK_MESSAGE(changed.exit_code == 0, changed.err);
    CHECK(changed.err == warning);
    Outcome after = f.brankas({"--passphrase-file", (f.dir / "plain.txt").string(), "status"});
    CHECK_MESSAGE(after.exit_code == 0, after.err);
    CHECK(after.err.empty());
}
