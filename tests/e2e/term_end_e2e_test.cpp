// Ending a term now: a term that has not started is refused (ending it would leave a term whose
// last day comes before its first), a started one ends.
#include "e2e/fixture.hpp"

using namespace brankas::e2e;

TEST_CASE("a term that has not started cannot be ended") {
    Fixture f;
    start_from(f, "two sub-districts and two terms", [](Fixture& fresh) {
        fresh.init();
        REQUIRE(fresh.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(fresh.brankas({"unit", "add", "35.02.02", "Babadan"}).exit_code == 0);
        REQUIRE(fresh.brankas({"term", "add", "Pemilu 2098", "--start", "2098-01-01", "--end", "2098-12-31"}).exit_code == 0);
        REQUIRE(fresh.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
        return Values{};
    });
    const std::string listed = f.brankas({"term", "list"}).out;
    REQUIRE(listed.find("Pemilu 2098") != std::string::npos);

    Outcome whole = f.brankas({"term", "end", "Pemilu 2098"});
    check_one_line_error(whole, 17, "term 'Pemilu 2098' has not started yet");
    CHECK(whole.err.find("brankas: hint: ") != std::string::npos);
    check_one_line_error(f.brankas({"term", "end", "Pemilu 2098", "--unit", "35.02.01"}), 17, "term 'Pemilu 2098' has not started yet");
    check_one_line_error(f.brankas({"--json", "term", "end", "Pemilu 2098"}), 17, "term 'Pemilu 2098' has not started yet");
    // Nothing changed: the list is as before.
    CHECK(f.brankas({"term", "list"}).out == listed);

    // A term that has started ends now.
    Outcome ended = f.brankas({"term", "end", "Pemilu 2099", "--unit", "35.02.02"});
    CHECK_MESSAGE(ended.exit_code == 0, ended.err);
    CHECK(ended.out.starts_with("Term 'Pemilu 2099' ended now for 35.02.02;"));
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}
