// What an option's value may be: an option given with an empty value is a mistake, never the
// option left out; a count never takes a negative number (Boost reads "-1" into an unsigned type
// as its wrap-around).
#include "e2e/fixture.hpp"

using namespace brankas::e2e;

namespace {

const std::string option_account = "instagram/a1";

// A vault with one sub-district inside a term and one account with a generated password.
struct OneAccount {
    Fixture f;
    OneAccount() {
        start_from(f, "OneAccount", [](Fixture& fresh) {
            fresh.init();
            REQUIRE(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
            REQUIRE(fresh.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
            Outcome added = fresh.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "a1", "--generate"});
            REQUIRE_MESSAGE(added.exit_code == 0, added.err);
            return Values{};
        });
    }
};

} // namespace

TEST_CASE("an option given with an empty value is refused, not taken as left out") {
    OneAccount v;
    Fixture& f = v.f;
    check_one_line_error(f.brankas({"checkout", option_account, "--reason", "x", "--for", ""}), 2, "the option '--for' is given an empty value (in 'checkout')");
    check_one_line_error(f.brankas({"checkout", option_account, "--reason", "", "--for", "1h"}), 2, "the option '--reason' is given an empty value");
    check_one_line_error(f.brankas({"audit", "log", "--since", ""}), 2, "the option '--since' is given an empty value (in 'audit log')");
    check_one_line_error(f.brankas({"audit", "log", "--account", ""}), 2, "the option '--account' is given an empty value");
    check_one_line_error(f.brankas({"audit", "verify", "--checkpoint", ""}), 2, "the option '--checkpoint' is given an empty value");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--from-file", ""}), 2, "the option '--from-file' is given an empty value (in 'secret set')");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--totp-file", ""}), 2, "the option '--totp-file' is given an empty value");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--notes-file", ""}), 2, "the option '--notes-file' is given an empty value");
    check_one_line_error(f.brankas({"account", "list", "--unit", ""}), 2, "the option '--unit' is given an empty value (in 'account list')");
    check_one_line_error(f.brankas({"handover", "minutes", "1", "--out", ""}), 2, "the option '--out' is given an empty value");
    check_one_line_error(f.brankas({"user", "passwd", "--new-passphrase-file", ""}), 2, "the option '--new-passphrase-file' is given an empty value");
    check_one_line_error(f.brankas({"term", "add", "T", "--start", "2030-01-01", "--end", "2030-12-31", "--unit", ""}), 2,
                         "the option '--unit' is given an empty value (in 'term add')");
    // The global options too.
    check_one_line_error(f.brankas({"--passphrase-file", "", "status"}), 2, "the option '--passphrase-file' is given an empty value");
    // Nothing was checked out or written by any of them.
    CHECK(f.brankas({"checkouts"}).out == "Nothing is checked out.\n");
    Outcome history = f.brankas({"secret", "history", option_account});
    CHECK(history.out.find("\n2 ") == std::string::npos);

    // Where "" has a meaning of its own, it keeps it: option_account edit removes the e-mail.
    REQUIRE(f.brankas({"account", "edit", option_account, "--email", "humas@example.org"}).exit_code == 0);
    Outcome removed = f.brankas({"account", "edit", option_account, "--email", ""});
    CHECK_MESSAGE(removed.exit_code == 0, removed.err);
    CHECK(f.brankas({"--json", "account", "show", option_account}).out.find("\"email\": \"\"") != std::string::npos);
}

TEST_CASE("a count never takes a negative number") {
    OneAccount v;
    Fixture& f = v.f;
    // -18446744073709551608 wraps around to 8 in 64 bits, -4294967295 to 1 in 32.
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--length", "-18446744073709551608"}), 2,
                         "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--length", "-20"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--length", "+20"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"secret", "set", option_account, "--generate", "--length", "twenty"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"rotate", option_account, "--reason", "x", "--length", "-18446744073709551596"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"rotate", option_account, "--reason", "x", "--length", "18446744073709551636"}), 2, "--length must be between 8 and 128");
    check_one_line_error(f.brankas({"audit", "verify", "--threads", "-4294967295"}), 2, "--threads must be 1 to 256");
    check_one_line_error(f.brankas({"audit", "verify", "--threads", "4294967297"}), 2, "--threads must be 1 to 256");
    // Nothing was stored or started.
    Outcome history = f.brankas({"secret", "history", option_account});
    CHECK(history.out.find("\n2 ") == std::string::npos);
    // The numbers in range still work.
    Outcome set = f.brankas({"secret", "set", option_account, "--generate", "--length", "12"});
    CHECK_MESSAGE(set.exit_code == 0, set.err);
    CHECK(set.out.find("a generated 12-character password") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify", "--threads", "2"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err);
}
