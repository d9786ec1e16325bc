// The admin's pages of the browser face: what they decide on their own (the lists a form field
// may hold, the routes they add to the site) and that every template parses.
#include "web/admin_page.hpp"
#include "web/render.hpp"
#include "web/site.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <set>

using namespace brankas;
using namespace brankas::web;

TEST_CASE("a list field: commas or lines between entries, blanks and empty entries dropped") {
    CHECK(split_list("").empty());
    CHECK(split_list(" , ,\n").empty());
    CHECK(split_list("35.02.01") == std::vector<std::string>{"35.02.01"});
    CHECK(split_list(" 35.02.01 ,35.02.02\r\n35.02.03,") == std::vector<std::string>{"35.02.01", "35.02.02", "35.02.03"});
    CHECK(split_list("Pemilu 2029") == std::vector<std::string>{"Pemilu 2029"});
    CHECK(joined_list({}) == "-");
    CHECK(joined_list({}, "tidak ada") == "tidak ada");
    CHECK(joined_list({"op1", "op2"}) == "op1, op2");
}

TEST_CASE("the admin's routes: under /admin, each method and path once, none taken from another page") {
    std::set<std::pair<Method, std::string>> seen;
    for (auto table : {sign_in_routes(), account_routes()})
        for (const Route& r : table) seen.insert({r.method, r.pattern});
    std::size_t admin = 0;
    for (auto table : {admin_status_routes(), admin_account_routes(), admin_people_routes(), admin_term_routes(), admin_policy_routes(),
                       admin_handover_routes()})
        for (const Route& r : table) {
            CAPTURE(r.pattern);
            CHECK(std::string_view(r.pattern).starts_with("/admin"));
            CHECK(r.who == Who::signed_in);
            CHECK(seen.insert({r.method, r.pattern}).second);
            ++admin;
        }
    CHECK(admin == 27);
    // A number in the path is digits only: "/admin/accounts/1x" reaches no handler.
    std::regex account(R"(/admin/accounts/(\d+))");
    CHECK(std::regex_match("/admin/accounts/12", account));
    CHECK_FALSE(std::regex_match("/admin/accounts/1x", account));
    CHECK_FALSE(std::regex_match("/admin/accounts/../people", account));
}

TEST_CASE("every page template parses, the admin's included") {
    REQUIRE(load_templates());
}

TEST_CASE("every route of the face is one method and path, for the signed-in past the sign-in page") {
    std::set<std::pair<Method, std::string>> seen;
    std::size_t dual = 0;
    for (auto table : {sign_in_routes(), account_routes(), audit_routes(), enroll_routes(), rotation_routes(), admin_status_routes(),
                       admin_account_routes(), admin_people_routes(), admin_term_routes(), admin_policy_routes(), admin_handover_routes(),
                       approval_routes(), custodian_handover_routes(), people_routes()})
        for (const Route& r : table) {
            CAPTURE(r.pattern);
            CHECK(seen.insert({r.method, r.pattern}).second);
            if (std::string_view(r.pattern).starts_with("/approvals") || std::string_view(r.pattern).starts_with("/handovers")) {
                CHECK(r.who == Who::signed_in);
                ++dual;
            }
        }
    CHECK(dual == 10);
    // A request's number is digits only: "/approvals/7x/approve" reaches no handler.
    std::regex approve(R"(/approvals/(\d+)/approve)");
    CHECK(std::regex_match("/approvals/7/approve", approve));
    CHECK_FALSE(std::regex_match("/approvals/7x/approve", approve));
    CHECK_FALSE(std::regex_match("/approvals/../admin/approve", approve));
}
