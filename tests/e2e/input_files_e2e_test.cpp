// A file or a secret that cannot be read is named for what it is: the password file of
// `secret set --from-file`, the enrollment code file of `user enroll`, the password a command
// would have asked for on the terminal; never the passphrase file, which is something else.
#include "e2e/fixture.hpp"

using namespace brankas::e2e;

TEST_CASE("a password or an enrollment code that cannot be read is named as such") {
    Fixture f;
    start_from(f, "a unit and an account without a password file", [](Fixture& fresh) {
        fresh.init();
        REQUIRE(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(fresh.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a1", "--generate"}).exit_code == 0);
        return Values{};
    });
    const std::string missing = (f.dir / "nonexistent").string();
    const std::string empty = (f.dir / "empty.txt").string();
    write_file(empty, "\n");

    SUBCASE("the password file of secret set") {
        check_one_line_error(f.brankas({"secret", "set", "instagram/a1", "--from-file", missing}), 13,
                             "cannot open the password file " + missing + ": No such file or directory");
        check_one_line_error(f.brankas({"secret", "set", "instagram/a1", "--from-file", empty}), 2,
                             "the password from the password file " + empty + " is empty");
        check_one_line_error(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "a1", "--from-file", missing}), 13,
                             "cannot open the password file " + missing);
    }
    SUBCASE("the password secret set would ask for on the terminal") {
        Outcome o = f.brankas({"secret", "set", "instagram/a1"});
        check_one_line_error(o, 2, "no password given and there is no terminal to ask on");
        CHECK(o.err.find("brankas: hint: use --from-file FILE or --generate\n") != std::string::npos);
        CHECK(o.err.find("passphrase") == std::string::npos);
    }
    SUBCASE("the enrollment code file of user enroll") {
        Outcome added = f.brankas({"user", "add", "siti", "--role", "auditor", "--kdf", "test"});
        REQUIRE_MESSAGE(added.exit_code == 0, added.err);
        check_one_line_error(f.brankas({"user", "enroll", "--code-file", missing, "--kdf", "test"}, "siti"), 13,
                             "cannot open the enrollment code file " + missing + ": No such file or directory");
        check_one_line_error(f.brankas({"user", "enroll", "--code-file", empty, "--kdf", "test"}, "siti"), 2,
                             "the enrollment code from the enrollment code file " + empty + " is empty");
    }
    SUBCASE("the passphrase file is still the passphrase file") {
        f.env["BRANKAS_PASSPHRASE_FILE"] = missing;
        check_one_line_error(f.brankas({"status"}), 13, "cannot open the passphrase file " + missing);
        f.env["BRANKAS_PASSPHRASE_FILE"] = empty;
        check_one_line_error(f.brankas({"status"}), 2, "the passphrase from the passphrase file " + empty + " is empty");
    }
}
