// The admin's pages of the browser face: what they decide on their own (the lists a form field
// may hold, the routes they add to the site), that every template parses, and how much the first
// page lists of what needs attention.
#include "support/district.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/units/units.hpp"
#include "web/admin_page.hpp"
#include "web/render.hpp"
#include "web/site.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

using namespace brankas;
using namespace brankas::web;

namespace {

// The templates go into a cache that is frozen once they are in, so they are loaded once for all
// the test cases of a process.
bool templates_loaded() {
    static const bool loaded = load_templates().has_value();
    return loaded;
}

// The admin's first page as the person signed in to `vault` is shown it, in English.
std::string first_page(Session vault, const Clock& clock) {
    REQUIRE(templates_loaded());
    std::ostringstream log;
    Site site(SiteOptions{}, clock, log);
    constexpr std::int64_t hour_us = 3'600'000'000;
    const std::string cookie = site.sessions.open(std::move(vault), {hour_us, hour_us});
    httplib::Request request;
    request.method = "GET";
    request.target = "/admin";
    Visit visit{request, Translator(Language::en), "/admin", "127.0.0.1", cookie, site.sessions.find(cookie), std::nullopt, ""};
    auto reply = admin_status_routes().front().handler(site, visit);
    REQUIRE_MESSAGE(reply, (reply ? "" : reply.error().message));
    REQUIRE(reply->html);
    return std::string(reply->html->text());
}

// The count in the heading of the group of what needs attention headed `heading`, and its items.
std::pair<std::string, std::vector<std::string>> group_of(const std::string& page, const std::string& heading) {
    std::smatch group;
    REQUIRE(std::regex_search(page, group, std::regex("<h3>" + heading + " \\((\\d+)\\)</h3>\\s*<ul>(.*?)</ul>")));
    std::vector<std::string> items;
    const std::string list = group[2];
    const std::regex item("<li>(.*?)</li>");
    for (auto i = std::sregex_iterator(list.begin(), list.end(), item); i != std::sregex_iterator(); ++i) items.push_back((*i)[1]);
    return {group[1], items};
}

} // namespace

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
    REQUIRE(templates_loaded());
}

TEST_CASE("the admin's first page names the first 100 overdue check-outs and sub-districts owing a new key, and how many there are") {
    test::District d;
    Database& store = test::store_of(d.admin);
    const std::int64_t now = d.clock.now_us(), minute_us = 60'000'000;
    // Written into the store as the projection would hold them after a national term: 104
    // sub-districts (in the reverse of their order), 103 of them with a grant that ended after
    // their key last changed (the admin's, as the only person there is), and 104 accounts checked
    // out, 103 of them overdue, their ends in another order than their check-outs'.
    REQUIRE(store.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 104) "
                       "INSERT INTO units (code, name, public_key, key_version, created_seq, updated_seq) "
                       "SELECT printf('35.03.%03d', 105 - i), 'Kecamatan ' || i, zeroblob(32), 1, 1, 1 FROM n"));
    REQUIRE(store.exec("INSERT INTO grants (principal, unit, granted_seq, revoked_seq) "
                       "SELECT 'admin', code, 1, CASE WHEN code = '35.03.104' THEN NULL ELSE 2 END FROM units WHERE code LIKE '35.03.%'"));
    REQUIRE(store.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 104) "
                       "INSERT INTO accounts (id, unit, platform, handle, email, phone, url, status, rotation_due, version, created_seq, "
                       "updated_seq, updated_by) "
                       "SELECT 100 + i, printf('35.03.%03d', i), 'instagram', printf('panwascam.%03d', i), '', '', '', 'active', 0, 1, 1, 1, "
                       "'admin' FROM n"));
    const std::string at = std::to_string(now), minute = std::to_string(minute_us);
    REQUIRE(store.exec(("INSERT INTO checkouts (seq, account, holder, reason, version, start_us, until_us, break_glass) "
                        "SELECT 1000 + id, id, 'admin', 'rekap suara', 1, " + at + " - 120 * " + minute + ", "
                        "CASE WHEN id = 204 THEN " + at + " + " + minute + " ELSE " + at + " - (id % 7) * " + minute + " END, 0 "
                        "FROM accounts WHERE id > 100").c_str()));

    // In the order of the lists `brankas status --json` gives in full.
    const auto open = list_checkouts(d.admin, WhichCheckouts::open);
    REQUIRE(open);
    std::vector<std::string> overdue;
    for (const CheckoutInfo& c : *open)
        if (c.until_us <= now) overdue.push_back(c.ref);
    REQUIRE(overdue.size() == 103);
    const auto owing = units_owing_rotation(d.admin);
    REQUIRE(owing);
    REQUIRE(owing->size() == 103);

    const std::string page = first_page(std::move(d.admin), d.clock);
    const auto [overdue_count, overdue_items] = group_of(page, "Overdue check-outs");
    CHECK(overdue_count == "103");
    CHECK(overdue_items.size() == 101);
    for (std::size_t i = 0; i < std::min<std::size_t>(overdue_items.size(), 100); ++i) {
        CAPTURE(i);
        CHECK(overdue_items[i].starts_with(overdue[i] + ", held by admin, overdue since "));
    }
    CHECK(overdue_items.back() == "and 3 more (brankas status --json lists every one)");
    const auto [owing_count, owing_items] = group_of(page, "Sub-districts whose old custodians still hold the key");
    CHECK(owing_count == "103");
    CHECK(std::vector<std::string>(owing_items.begin(), owing_items.end() - 1) == std::vector<std::string>(owing->begin(), owing->begin() + 100));
    CHECK(owing_items.back() == "and 3 more (brankas status --json lists every one)");
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
