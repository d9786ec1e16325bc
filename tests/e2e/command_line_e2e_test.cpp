// The command line says one thing: contradictory options are refused, `--` ends the options.
#include "e2e/fixture.hpp"

using namespace brankas::e2e;

TEST_CASE("contradictory options are refused with exit 2, naming them") {
    Fixture f;
    f.init();
    write_file(f.dir / "key", std::string(32, 'k'));
    const std::string pass = f.env.at("BRANKAS_PASSPHRASE_FILE");
    // Which door was meant? Neither is guessed.
    check_one_line_error(f.brankas({"--keyfile", (f.dir / "key").string(), "--passphrase-file", pass, "status"}), 2,
                         "--keyfile and --passphrase-file exclude each other");
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
