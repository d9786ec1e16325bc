// What a refused command says, and the code it exits with (cli/exit_codes.hpp): a name that does
// not exist is not_found (16), a state that forbids it is conflict (17), a bad command line or
// input file is usage (2).
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
