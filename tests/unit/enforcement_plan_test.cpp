// The enforcer's plan: which sub-districts have ended, which accounts it deactivates, which grants
// it revokes, which check-outs it expires and which passwords it flags as too old. Applying a
// plan and planning again finds nothing more to do.
#include "policy/enforcement.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <unordered_set>

using namespace brankas::policy;

namespace {

// 2030-01-01 00:00 WIB.
constexpr std::int64_t today = 1'893'430'800 * second_us;
constexpr std::int64_t grace = 7 * day_us; // the default policy's

UnitFacts unit(std::string code, std::vector<TermWindow> windows) { return {std::move(code), std::move(windows)}; }

TermWindow pemilu(std::int64_t end_us) { return {"Pemilu 2029", today - 200 * day_us, end_us}; }

AccountFacts account(std::int64_t id, std::string unit_code, std::int64_t version_set_us = today - day_us) {
    AccountFacts a;
    a.id = id;
    a.unit = std::move(unit_code);
    a.version_set_us = version_set_us;
    return a;
}

// What `enforce` does with a plan, done to the facts.
EnforcementFacts applied(EnforcementFacts facts, const EnforcementPlan& plan) {
    std::unordered_set<std::int64_t> deactivate(plan.deactivate.begin(), plan.deactivate.end());
    std::unordered_set<std::int64_t> flag(plan.flag_rotation.begin(), plan.flag_rotation.end());
    std::set<std::pair<std::string, std::string>> revoke;
    for (const GrantFacts& g : plan.revoke) revoke.emplace(g.unit, g.principal);
    std::unordered_set<std::int64_t> expire;
    for (const CheckoutFacts& c : plan.expire) expire.insert(c.account);
    for (AccountFacts& a : facts.accounts) {
        if (deactivate.contains(a.id)) a.active = false;
        if (flag.contains(a.id)) a.rotation_due = true;
    }
    std::erase_if(facts.grants, [&](const GrantFacts& g) { return revoke.contains({g.unit, g.principal}); });
    std::erase_if(facts.checkouts, [&](const CheckoutFacts& c) { return expire.contains(c.account); });
    return facts;
}

std::vector<std::string> codes(const EnforcementPlan& plan) {
    std::vector<std::string> out;
    for (const EndedUnit& u : plan.ended_units) out.push_back(u.code);
    return out;
}

// One sub-district in each state a unit can be in.
EnforcementFacts district() {
    EnforcementFacts f;
    f.units = {
        unit("35.02.05", {pemilu(today - grace - day_us)}),                    // ended a day beyond its grace
        unit("35.02.01", {pemilu(today - 30 * day_us)}),                       // ended long ago
        unit("35.02.02", {pemilu(today - day_us)}),                            // in its grace period
        unit("35.02.03", {pemilu(today + 30 * day_us)}),                       // inside its term
        unit("35.02.04", {{"Pilkada 2030", today + day_us, today + 90 * day_us}}), // before its term
        unit("35.02.06", {}),                                                // never had a term
    };
    f.accounts = {account(12, "35.02.01"), account(3, "35.02.01"), account(5, "35.02.02"), account(6, "35.02.03"),
                  account(7, "35.02.04"), account(8, "35.02.06"), account(9, "35.02.05")};
    f.grants = {{"operator1", "35.02.01"}, {"operator2", "35.02.02"}, {"operator3", "35.02.05"}, {"operator0", "35.02.01"}};
    return f;
}

} // namespace

TEST_CASE("a sub-district is closed only once its every term ended beyond the grace period") {
    EnforcementPlan plan = plan_enforcement(district(), Policy{}, today);
    CHECK(codes(plan) == std::vector<std::string>{"35.02.01", "35.02.05"});
    CHECK(plan.deactivate == std::vector<std::int64_t>{3, 9, 12}); // ascending
    REQUIRE(plan.revoke.size() == 3);
    CHECK(plan.revoke[0].principal == "operator0");
    CHECK(plan.revoke[1].principal == "operator1");
    CHECK(plan.revoke[2].principal == "operator3");
    CHECK_FALSE(plan.empty());
}

TEST_CASE("an ended unit names its last term and its deadline") {
    EnforcementFacts f;
    f.units = {unit("35.02.01", {{"Pemilu 2024", today - 900 * day_us, today - 800 * day_us}, pemilu(today - 30 * day_us)})};
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today);
    REQUIRE(plan.ended_units.size() == 1);
    CHECK(plan.ended_units[0].last_term == "Pemilu 2029");
    CHECK(plan.ended_units[0].deadline_us == today - 30 * day_us + grace);
}

TEST_CASE("the grace period's boundary") {
    EnforcementFacts f;
    f.units = {unit("35.02.01", {pemilu(today - grace)})};
    f.accounts = {account(1, "35.02.01")};
    CHECK(plan_enforcement(f, Policy{}, today).deactivate == std::vector<std::int64_t>{1});  // grace ends exactly today
    CHECK(plan_enforcement(f, Policy{}, today - 1).deactivate.empty());                      // a microsecond earlier
    Policy no_grace;
    no_grace.term_grace_us = 0;
    f.units = {unit("35.02.01", {pemilu(today)})};
    CHECK(plan_enforcement(f, no_grace, today).deactivate == std::vector<std::int64_t>{1});   // the term ends exactly today
}

TEST_CASE("a term extended for one sub-district keeps it open") {
    EnforcementFacts f;
    f.units = {unit("35.02.01", {pemilu(today - 30 * day_us)}), unit("35.02.02", {pemilu(today + 30 * day_us)})};
    f.accounts = {account(1, "35.02.01"), account(2, "35.02.02")};
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today);
    CHECK(plan.deactivate == std::vector<std::int64_t>{1});
}

TEST_CASE("a sub-district between two terms, waiting for the next, is not closed") {
    EnforcementFacts f;
    f.units = {unit("35.02.01", {pemilu(today - 30 * day_us), {"Pilkada 2030", today + day_us, today + 90 * day_us}})};
    f.accounts = {account(1, "35.02.01")};
    CHECK(plan_enforcement(f, Policy{}, today).empty());
}

TEST_CASE("deactivated and archived accounts are left alone") {
    EnforcementFacts f = district();
    for (AccountFacts& a : f.accounts)
        if (a.id == 12) a.active = false;
    CHECK(plan_enforcement(f, Policy{}, today).deactivate == std::vector<std::int64_t>{3, 9});
}

TEST_CASE("check-outs past their end expire, and only those") {
    EnforcementFacts f;
    f.checkouts = {{4, "budi", today + 1}, {2, "siti", today}, {1, "rina", today - hour_us}};
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today);
    REQUIRE(plan.expire.size() == 2);
    CHECK(plan.expire[0].account == 1);
    CHECK(plan.expire[1].account == 2); // ending exactly today is ended
    CHECK(plan.expire[1].holder == "siti");
}

TEST_CASE("passwords older than the maximum age are flagged") {
    const std::int64_t max_age = Policy{}.max_password_age_us;
    EnforcementFacts f;
    f.units = {unit("35.02.03", {pemilu(today + 30 * day_us)}), unit("35.02.01", {pemilu(today - 30 * day_us)})};
    f.accounts = {
        account(1, "35.02.03", today - max_age - 1), // a microsecond too old
        account(2, "35.02.03", today - max_age),     // exactly the maximum age: not yet
        account(3, "35.02.03", 0),                 // no password yet
        account(4, "35.02.03", today - 2 * max_age), // already due
        account(5, "35.02.03", today - 2 * max_age), // not active
        account(6, "35.02.01", today - 2 * max_age), // being deactivated instead
        account(7, "35.02.99", today - 2 * max_age), // a unit without facts is not ended
    };
    f.accounts[3].rotation_due = true;
    f.accounts[4].active = false;
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today);
    CHECK(plan.flag_rotation == std::vector<std::int64_t>{1, 7});
    CHECK(plan.deactivate == std::vector<std::int64_t>{6});
    Policy shorter;
    shorter.max_password_age_us = 30 * day_us;
    f.accounts.push_back(account(8, "35.02.03", today - 31 * day_us));
    CHECK(plan_enforcement(f, shorter, today).flag_rotation == std::vector<std::int64_t>{1, 2, 7, 8});
}

TEST_CASE("applying a plan leaves nothing to plan") {
    EnforcementFacts f = district();
    f.accounts.push_back(account(20, "35.02.03", today - 400 * day_us));
    f.checkouts = {{6, "operator3", today - minute_us}};
    EnforcementPlan first = plan_enforcement(f, Policy{}, today);
    CHECK_FALSE(first.empty());
    EnforcementPlan second = plan_enforcement(applied(f, first), Policy{}, today);
    CHECK(second.empty());
    CHECK(second.deactivate.empty());
    CHECK(second.revoke.empty());
    CHECK(second.expire.empty());
    CHECK(second.flag_rotation.empty());
    // The units stay ended: the plan still says why, but there is no work in it.
    CHECK(codes(second) == codes(first));
}

TEST_CASE("nothing to do in a district without facts") {
    EnforcementPlan plan = plan_enforcement({}, Policy{}, today);
    CHECK(plan.empty());
    CHECK(plan.ended_units.empty());
}

TEST_CASE("a whole province plans at once") {
    // 7,300 sub-districts (half of them ended) and 30,000 accounts: the enforcer's largest day.
    EnforcementFacts f;
    for (int u = 0; u < 7300; ++u)
        f.units.push_back(unit("u" + std::to_string(u), {pemilu(u % 2 == 0 ? today - 30 * day_us : today + 30 * day_us)}));
    for (int a = 0; a < 30000; ++a) f.accounts.push_back(account(a + 1, "u" + std::to_string(a % 7300), today - 200 * day_us));
    for (int u = 0; u < 7300; ++u) f.grants.push_back({"operator" + std::to_string(u), "u" + std::to_string(u)});
    // (How long this takes is measured in bench/, not here.)
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today);
    CHECK(plan.ended_units.size() == 3650);
    CHECK(plan.revoke.size() == 3650);
    CHECK(plan.deactivate.size() + plan.flag_rotation.size() == 30000);
    CHECK(std::is_sorted(plan.deactivate.begin(), plan.deactivate.end()));
    CHECK(plan_enforcement(applied(f, plan), Policy{}, today).empty());
}

TEST_CASE("a unit inside a term again gets its deactivated accounts back, and only then") {
    EnforcementFacts f;
    TermWindow next{"Pilkada 2031", today + 10 * day_us, today + 300 * day_us};
    f.units = {unit("35.02.01", {pemilu(today - 30 * day_us), next}), unit("35.02.02", {pemilu(today - 30 * day_us)})};
    f.accounts = {account(1, "35.02.01"), account(2, "35.02.02"), account(3, "35.02.01")};
    for (AccountFacts& a : f.accounts) a.active = false; // deactivated at the end of Pemilu 2029
    f.accounts.push_back(account(4, "35.02.01"));        // added since, active
    CHECK(plan_enforcement(f, Policy{}, today).reactivate.empty()); // the next term has not started
    EnforcementPlan plan = plan_enforcement(f, Policy{}, today + 11 * day_us);
    REQUIRE(plan.reactivate.size() == 1);
    CHECK(plan.reactivate[0].code == "35.02.01");
    CHECK(plan.reactivate[0].term == "Pilkada 2031");
    CHECK(plan.reactivate[0].accounts == std::vector<std::int64_t>{1, 3});
    CHECK(plan.deactivate.empty());
    CHECK_FALSE(plan.empty());
}
