// What a custodian is shown and may do beyond their term, through the binary: `unit list`,
// `user list` and `user show` keep to their own sub-districts and the people of those (an admin
// and an auditor see everyone); a rotation outside every term asks for break-glass as a check-out
// does, and is flagged when the glass is broken; the custodian who broke it may finish that
// rotation outside every term, flagged too, and nobody else but an admin may; `handover list`,
// `handover show` and `report handovers` keep to their sub-districts and the handovers they are
// a party to.
#include "e2e/fixture.hpp"

#include <nlohmann/json.hpp>

using namespace brankas::e2e;

namespace {

std::vector<std::string> names_in(const Outcome& listed, const char* key) {
    std::vector<std::string> out;
    for (const auto& row : nlohmann::json::parse(listed.out)) out.push_back(row.at(key).get<std::string>());
    return out;
}

nlohmann::json last_event(Fixture& f) { return nlohmann::json::parse(f.brankas({"--json", "audit", "log"}).out).back(); }

// Ponorogo (35.02.01) with op1 and op3, Babadan (35.02.02) with op2, Jenangan (35.02.03) with
// op3 too, and an auditor.
void three_sub_districts(Fixture& f) {
    start_from(f, "three sub-districts, three custodians and an auditor", [](Fixture& fresh) {
        fresh.init();
        for (auto [code, name] : {std::pair{"35.02.01", "Ponorogo"}, std::pair{"35.02.02", "Babadan"}, std::pair{"35.02.03", "Jenangan"}})
            REQUIRE(fresh.brankas({"unit", "add", code, name}).exit_code == 0);
        enroll(fresh, "op1", {"--role", "custodian", "--unit", "35.02.01"});
        enroll(fresh, "op2", {"--role", "custodian", "--unit", "35.02.02"});
        enroll(fresh, "op3", {"--role", "custodian", "--unit", "35.02.01", "--unit", "35.02.03", "--full-name", "Rina Wati"});
        enroll(fresh, "aud", {"--role", "auditor"});
        return Values{};
    });
}

// "actor action target" of each event of a `--json audit log`.
std::vector<std::string> events_in(const Outcome& log) {
    std::vector<std::string> out;
    for (const auto& e : nlohmann::json::parse(log.out))
        out.push_back(e.at("actor").get<std::string>() + " " + e.at("action").get<std::string>() + " " + e.at("target").get<std::string>());
    return out;
}

} // namespace

TEST_CASE("a custodian lists only their own sub-districts and the people of those, an admin and an auditor everyone") {
    Fixture f;
    three_sub_districts(f);
    const std::string op1 = (f.dir / "op1.pass").string();
    const std::string aud = (f.dir / "aud.pass").string();

    SUBCASE("the custodian") {
        Outcome units = as(f, "op1", op1, {"--json", "unit", "list"});
        REQUIRE_MESSAGE(units.exit_code == 0, units.err);
        CHECK(names_in(units, "code") == std::vector<std::string>{"35.02.01"});
        Outcome people = as(f, "op1", op1, {"--json", "user", "list"});
        REQUIRE_MESSAGE(people.exit_code == 0, people.err);
        CHECK(names_in(people, "name") == std::vector<std::string>{"op1", "op3"});
        // op3 keeps 35.02.03 too: op1 is not told so.
        for (const auto& row : nlohmann::json::parse(people.out))
            CHECK(row.at("units") == nlohmann::json::array({"35.02.01"}));
        Outcome table = as(f, "op1", op1, {"unit", "list"});
        CHECK(table.out.find("35.02.01") != std::string::npos);
        CHECK(table.out.find("35.02.02") == std::string::npos);
        CHECK(table.out.find("Jenangan") == std::string::npos);

        Outcome shown = as(f, "op1", op1, {"--json", "user", "show", "op3"});
        REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
        CHECK(nlohmann::json::parse(shown.out).at("units") == nlohmann::json::array({"35.02.01"}));
        // Someone of another sub-district, or an admin, is refused as that sub-district is, and the refusal is logged.
        for (const char* other : {"op2", "admin"}) {
            CAPTURE(other);
            Outcome refused = as(f, "op1", op1, {"user", "show", other});
            CHECK(refused.exit_code == 10);
            CHECK(refused.err.starts_with("brankas: error: "));
            nlohmann::json denied = last_event(f);
            CHECK(denied.at("action") == "access.denied");
            CHECK(denied.at("actor") == "op1");
            CHECK(denied.at("target") == std::string("user/") + other);
        }
        // Nobody by that name at all is not found, as before.
        CHECK(as(f, "op1", op1, {"user", "show", "nobody"}).exit_code == 16);
    }
    SUBCASE("the auditor and the admin see every sub-district and everyone") {
        const std::vector<std::string> everyone{"admin", "aud", "op1", "op2", "op3"};
        const std::vector<std::string> every_unit{"35.02.01", "35.02.02", "35.02.03"};
        Outcome people = as(f, "aud", aud, {"--json", "user", "list"});
        REQUIRE_MESSAGE(people.exit_code == 0, people.err);
        CHECK(names_in(people, "name") == everyone);
        CHECK(names_in(as(f, "aud", aud, {"--json", "unit", "list"}), "code") == every_unit);
        CHECK(names_in(f.brankas({"--json", "user", "list"}), "name") == everyone);
        CHECK(names_in(f.brankas({"--json", "unit", "list"}), "code") == every_unit);
        Outcome op3 = as(f, "aud", aud, {"--json", "user", "show", "op3"});
        CHECK(nlohmann::json::parse(op3.out).at("units") == nlohmann::json::array({"35.02.01", "35.02.03"}));
    }
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian's audit log leaves out the people of other sub-districts, as user list does") {
    Fixture f;
    three_sub_districts(f);
    const std::string op1 = (f.dir / "op1.pass").string(), op2 = (f.dir / "op2.pass").string();
    const std::string op3 = (f.dir / "op3.pass").string(), aud = (f.dir / "aud.pass").string();
    // Babadan's custodian changes their passphrase, takes a checkpoint and is refused a term; an
    // admin edits their record and disables them. None of it names a sub-district.
    write_file(f.dir / "op2.new", "sawah-hijau-di-lereng-lawu-2029\n");
    REQUIRE(as(f, "op2", op2, {"user", "passwd", "--new-passphrase-file", (f.dir / "op2.new").string(), "--kdf", "test"}).exit_code == 0);
    const std::string op2_new = (f.dir / "op2.new").string();
    REQUIRE(as(f, "op2", op2_new, {"audit", "checkpoint", "--out", (f.dir / "cp").string()}).exit_code == 0);
    REQUIRE(as(f, "op2", op2_new, {"term", "add", "Pemilu", "--start", "2029-01-01", "--end", "2029-12-31"}).exit_code == 10);
    REQUIRE(f.brankas({"user", "edit", "op2", "--full-name", "Budi Santoso"}).exit_code == 0);
    REQUIRE(f.brankas({"user", "edit", "op3", "--position", "Ketua"}).exit_code == 0);
    REQUIRE(f.brankas({"user", "disable", "op2"}).exit_code == 0);

    // op1 sees themself and op3 (who keeps Ponorogo too), not op2 nor the auditor: not in the
    // table, the JSON or the CSV.
    Outcome people = as(f, "op1", op1, {"--json", "audit", "log", "--action", "user.add", "--action", "user.grant", "--action",
                                        "user.enroll", "--action", "user.edit", "--action", "user.passwd", "--action", "user.disable"});
    REQUIRE_MESSAGE(people.exit_code == 0, people.err);
    CHECK(events_in(people) == std::vector<std::string>{"admin user.add op1", "admin user.grant op1", "op1 user.enroll op1",
                                                        "admin user.add op3", "admin user.grant op3", "op3 user.enroll op3",
                                                        "admin user.edit op3"});
    for (std::vector<std::string> args : {std::vector<std::string>{"--json", "audit", "log"}, std::vector<std::string>{"audit", "log", "--csv"},
                                          std::vector<std::string>{"audit", "log", "--jsonl"}}) {
        CAPTURE(args.back());
        Outcome listed = as(f, "op1", op1, args);
        REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
        CHECK(listed.out.find("op2") == std::string::npos);
        CHECK(listed.out.find("aud,") == std::string::npos);
        CHECK(listed.out.find("\"aud\"") == std::string::npos);
    }
    Outcome table = as(f, "op1", op1, {"audit", "log"});
    REQUIRE_MESSAGE(table.exit_code == 0, table.err);
    CHECK(table.out.find("op2") == std::string::npos);
    CHECK(table.out.find(" aud ") == std::string::npos);

    // op3 is shown op1; the auditor and the admin everyone, op2's events among them.
    CHECK(events_in(as(f, "op3", op3, {"--json", "audit", "log", "--action", "user.enroll"})) ==
          std::vector<std::string>{"op1 user.enroll op1", "op3 user.enroll op3"});
    const std::vector<std::string> op2s{"op2 user.passwd op2", "op2 audit.checkpoint ", "op2 access.denied Pemilu",
                                        "admin user.edit op2", "admin user.disable op2"};
    for (auto [user, pass] : {std::pair{"aud", aud}, std::pair{"admin", (f.dir / "pass.txt").string()}}) {
        CAPTURE(user);
        Outcome all = as(f, user, pass, {"--json", "audit", "log", "--since", "2000-01-01"});
        REQUIRE_MESSAGE(all.exit_code == 0, all.err);
        std::vector<std::string> theirs;
        for (const std::string& e : events_in(all))
            if (e.find("op2") != std::string::npos && e.find(" unit.") == std::string::npos && e.find("user.add") == std::string::npos &&
                e.find("user.grant") == std::string::npos && e.find("user.enroll") == std::string::npos)
                theirs.push_back(e);
        CHECK(theirs == op2s);
    }
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian's audit log of another sub-district's account is refused as account show refuses it") {
    Fixture f;
    three_sub_districts(f);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "facebook", "--handle", "panwascam.babadan"}).exit_code == 0);
    const std::string op1 = (f.dir / "op1.pass").string(), op2 = (f.dir / "op2.pass").string();
    Outcome shown = as(f, "op1", op1, {"account", "show", "facebook/panwascam.babadan"});
    REQUIRE(shown.exit_code == 10);
    for (const char* account : {"facebook/panwascam.babadan", "1"}) {
        CAPTURE(account);
        Outcome refused = as(f, "op1", op1, {"--json", "audit", "log", "--account", account});
        CHECK(refused.exit_code == 10);
        CHECK(refused.out.empty());
        CHECK(refused.err == shown.err);
        nlohmann::json denied = last_event(f);
        CHECK(denied.at("action") == "access.denied");
        CHECK(denied.at("actor") == "op1");
        CHECK(denied.at("target") == "account/1");
    }
    // An account that does not exist is not found, as before; their own sub-district's is listed.
    CHECK(as(f, "op1", op1, {"audit", "log", "--account", "2"}).exit_code == 16);
    CHECK(as(f, "op1", op1, {"audit", "log", "--account", "facebook/panwascam.ponorogo"}).exit_code == 16);
    Outcome theirs = as(f, "op2", op2, {"--json", "audit", "log", "--account", "1"});
    REQUIRE_MESSAGE(theirs.exit_code == 0, theirs.err);
    // With op1's refusals: events about the account, which its sub-district's custodian sees.
    CHECK(events_in(theirs) == std::vector<std::string>{"admin account.add account/1", "op1 access.denied account/1",
                                                        "op1 access.denied account/1", "op1 access.denied account/1"});
}

TEST_CASE("a custodian asking for the acts of a person they may not see is refused as user show refuses it, unless some act is shown") {
    Fixture f;
    three_sub_districts(f);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "facebook", "--handle", "panwascam.ponorogo"}).exit_code == 0);
    const std::string op1 = (f.dir / "op1.pass").string();
    // op2 (Babadan) and the auditor have acts (their enrolment), none of which op1 is shown.
    for (const char* other : {"op2", "aud"}) {
        CAPTURE(other);
        Outcome shown = as(f, "op1", op1, {"user", "show", other});
        REQUIRE(shown.exit_code == 10);
        for (std::vector<std::string> args : {std::vector<std::string>{"audit", "log", "--actor", other},
                                              std::vector<std::string>{"--json", "audit", "log", "--actor", other, "--action", "user.enroll"}}) {
            CAPTURE(args.back());
            Outcome refused = as(f, "op1", op1, args);
            CHECK(refused.exit_code == 10);
            CHECK(refused.out.empty());
            CHECK(refused.err == shown.err);
            nlohmann::json denied = last_event(f);
            CHECK(denied.at("action") == "access.denied");
            CHECK(denied.at("actor") == "op1");
            CHECK(denied.at("target") == std::string("user/") + other);
        }
    }
    // The admin, whom op1 may not `user show` either, added op1's account: their acts there are
    // listed, also when a filter leaves none.
    Outcome admin = as(f, "op1", op1, {"--json", "audit", "log", "--actor", "admin"});
    REQUIRE_MESSAGE(admin.exit_code == 0, admin.err);
    const std::vector<std::string> acts = events_in(admin);
    CHECK(std::find(acts.begin(), acts.end(), "admin account.add account/1") != acts.end());
    Outcome none = as(f, "op1", op1, {"--json", "audit", "log", "--actor", "admin", "--action", "checkout"});
    REQUIRE_MESSAGE(none.exit_code == 0, none.err);
    CHECK(nlohmann::json::parse(none.out).empty());
    // Their own acts, and a co-custodian's, as before; a name nobody has is not found.
    CHECK(as(f, "op1", op1, {"audit", "log", "--actor", "op3"}).exit_code == 0);
    CHECK(as(f, "op1", op1, {"audit", "log", "--actor", "op1"}).exit_code == 0);
    CHECK(as(f, "op1", op1, {"audit", "log", "--actor", "nobody"}).exit_code == 16);
    // The auditor is shown everyone's acts.
    Outcome theirs = as(f, "aud", (f.dir / "aud.pass").string(), {"--json", "audit", "log", "--actor", "op2"});
    REQUIRE_MESSAGE(theirs.exit_code == 0, theirs.err);
    CHECK_FALSE(nlohmann::json::parse(theirs.out).empty());
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian is shown the handovers of their own sub-districts and those they are a party to, no other") {
    Fixture f;
    f.init();
    for (auto [code, name] : {std::pair{"35.02.01", "Ponorogo"}, std::pair{"35.02.02", "Babadan"}})
        REQUIRE(f.brankas({"unit", "add", code, name}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "facebook", "--handle", "panwascam.babadan"}).exit_code == 0);
    const std::string op1 = enroll(f, "op1", {"--role", "custodian", "--unit", "35.02.01"});
    const std::string op2 = enroll(f, "op2", {"--role", "custodian", "--unit", "35.02.02"});
    const std::string op4 = enroll(f, "op4", {"--role", "custodian"});
    const std::string aud = enroll(f, "aud", {"--role", "auditor"});
    Outcome started = f.brankas({"handover", "start", "--unit", "35.02.02", "--to", "op4", "--note", "kunci lemari 4471"});
    REQUIRE_MESSAGE(started.exit_code == 0, started.err);

    // op1 keeps 35.02.01 only: neither the list, the report nor the handover itself shows them
    // Babadan's, and asking for it is refused and recorded as reading that sub-district is.
    Outcome listed = as(f, "op1", op1, {"--json", "handover", "list"});
    REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
    CHECK(nlohmann::json::parse(listed.out) == nlohmann::json::array());
    Outcome report = as(f, "op1", op1, {"report", "handovers"});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    CHECK(report.out.find("35.02.02") == std::string::npos);
    CHECK(report.out.find("op4") == std::string::npos);
    Outcome shown = as(f, "op1", op1, {"handover", "show", "1"});
    CHECK(shown.exit_code == 10);
    CHECK(shown.out.find("4471") == std::string::npos);
    nlohmann::json denied = last_event(f);
    CHECK(denied.at("action") == "access.denied");
    CHECK(denied.at("actor") == "op1");
    CHECK(denied.at("target") == "handover/1");
    // Nor do its steps tell op1 its people or its state: accepting or releasing it is refused
    // in the same words, before the engine's sentence about the step.
    for (const char* step : {"accept", "release"}) {
        CAPTURE(step);
        Outcome tried = as(f, "op1", op1, {"handover", step, "1"});
        CHECK(tried.exit_code == 10);
        CHECK(tried.err.find("op4") == std::string::npos);
        CHECK(tried.err.find("op2") == std::string::npos);
        CHECK(tried.err.find("started") == std::string::npos);
        CHECK(tried.err.find(shown.err.substr(0, shown.err.find('\n'))) != std::string::npos);
        nlohmann::json refused = last_event(f);
        CHECK(refused.at("action") == "access.denied");
        CHECK(refused.at("target") == "handover/1");
    }

    // Its parties, the sub-district's custodian, the auditor and the admin are shown it.
    for (auto [user, pass] : {std::pair{"op2", op2}, std::pair{"op4", op4}, std::pair{"aud", aud}}) {
        CAPTURE(user);
        Outcome theirs = as(f, user, pass, {"--json", "handover", "list"});
        REQUIRE_MESSAGE(theirs.exit_code == 0, theirs.err);
        CHECK(nlohmann::json::parse(theirs.out).size() == 1);
        Outcome one = as(f, user, pass, {"handover", "show", "1"});
        CHECK_MESSAGE(one.exit_code == 0, one.err);
        CHECK(one.out.find("4471") != std::string::npos);
    }
    CHECK(nlohmann::json::parse(f.brankas({"--json", "handover", "list"}).out).size() == 1);
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("the verification code of another sub-district's minutes is refused to a custodian as handover show is") {
    Fixture f;
    f.init();
    for (auto [code, name] : {std::pair{"35.02.01", "Ponorogo"}, std::pair{"35.02.02", "Babadan"}})
        REQUIRE(f.brankas({"unit", "add", code, name}).exit_code == 0);
    const std::string op1 = enroll(f, "op1", {"--role", "custodian", "--unit", "35.02.01"});
    const std::string op2 = enroll(f, "op2", {"--role", "custodian", "--unit", "35.02.02"});
    const std::string op4 = enroll(f, "op4", {"--role", "custodian"});
    const std::string aud = enroll(f, "aud", {"--role", "auditor"});
    REQUIRE(f.brankas({"handover", "start", "--unit", "35.02.02", "--to", "op4", "--note", "kunci lemari 4471"}).exit_code == 0);
    REQUIRE(as(f, "op4", op4, {"handover", "accept", "1"}).exit_code == 0);
    REQUIRE(as(f, "op2", op2, {"handover", "release", "1"}).exit_code == 0);
    REQUIRE(f.brankas({"handover", "complete", "1"}).exit_code == 0);
    const std::string code = nlohmann::json::parse(f.brankas({"--json", "handover", "show", "1"}).out).at("verification_code");

    Outcome shown = as(f, "op1", op1, {"handover", "show", "1"});
    REQUIRE(shown.exit_code == 10);
    Outcome looked_up = as(f, "op1", op1, {"handover", "lookup", code});
    CHECK(looked_up.exit_code == 10);
    CHECK(looked_up.out.empty());
    CHECK(looked_up.err == shown.err);
    nlohmann::json denied = last_event(f);
    CHECK(denied.at("action") == "access.denied");
    CHECK(denied.at("actor") == "op1");
    CHECK(denied.at("target") == "handover/1");
    // A code no handover has is not found, as before.
    CHECK(as(f, "op1", op1, {"handover", "lookup", "0000-0000"}).exit_code == 16);

    // Its parties (the receiver, the outgoing custodian, now holding nothing), the auditor and the
    // admin look it up.
    for (auto [user, pass] : {std::pair{"op4", op4}, std::pair{"op2", op2}, std::pair{"aud", aud}, std::pair{"admin", (f.dir / "pass.txt").string()}}) {
        CAPTURE(user);
        Outcome found = as(f, user, pass, {"--json", "handover", "lookup", code});
        CHECK_MESSAGE(found.exit_code == 0, found.err);
        CHECK(nlohmann::json::parse(found.out).at("handover") == 1);
    }
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian's list of requests leaves out a re-key of another sub-district's person, as user list does") {
    Fixture f;
    three_sub_districts(f);
    const std::string op1 = (f.dir / "op1.pass").string(), op2 = (f.dir / "op2.pass").string();
    const std::string aud = (f.dir / "aud.pass").string();
    write_file(f.dir / "dual.toml", "[dual_control]\nactions = [\"rekey\"]\napprovers = [\"admin\"]\nwindow = \"30m\"\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "dual.toml").string()}).exit_code == 0);
    // Two requests naming no sub-district: to disable Babadan's custodian, and Ponorogo's op3.
    REQUIRE(f.brankas({"user", "disable", "op2", "--rekey", "--reason", "pindah tugas"}).exit_code == 18);
    REQUIRE(f.brankas({"user", "disable", "op3", "--rekey", "--reason", "masa tugas selesai"}).exit_code == 18);

    auto people_of = [](const Outcome& listed) {
        REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
        std::vector<std::string> out;
        for (const auto& r : nlohmann::json::parse(listed.out)) out.push_back(r.at("person").get<std::string>());
        return out;
    };
    // op1 sees op3 (who keeps Ponorogo too), not op2: neither in the JSON nor in the table.
    CHECK(people_of(as(f, "op1", op1, {"--json", "approvals", "--all"})) == std::vector<std::string>{"op3"});
    CHECK(people_of(as(f, "op1", op1, {"--json", "approvals"})) == std::vector<std::string>{"op3"});
    Outcome table = as(f, "op1", op1, {"approvals", "--all"});
    REQUIRE_MESSAGE(table.exit_code == 0, table.err);
    CHECK(table.out.find("op2") == std::string::npos);
    CHECK(table.out.find("op3") != std::string::npos);
    // op2 sees the request about themself, not op3's; the auditor and the admin both.
    CHECK(people_of(as(f, "op2", op2, {"--json", "approvals", "--all"})) == std::vector<std::string>{"op2"});
    CHECK(people_of(as(f, "aud", aud, {"--json", "approvals", "--all"})) == std::vector<std::string>{"op2", "op3"});
    CHECK(people_of(f.brankas({"--json", "approvals", "--all"})) == std::vector<std::string>{"op2", "op3"});
}

TEST_CASE("a custodian's list of requests leaves out a re-key that a custodian they are not shown decided on, as the audit log leaves out the decision") {
    Fixture f;
    three_sub_districts(f);
    enroll(f, "op4", {"--role", "custodian", "--unit", "35.02.03"});
    const std::string op1 = (f.dir / "op1.pass").string(), op4 = (f.dir / "op4.pass").string();
    write_file(f.dir / "dual.toml", "[dual_control]\nactions = [\"rekey\"]\napprovers = [\"admin\", \"custodian\"]\nwindow = \"30m\"\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "dual.toml").string()}).exit_code == 0);
    // A re-key of op3, whom op1 (Ponorogo) and op4 (Jenangan) both see; op4 approves it.
    REQUIRE(f.brankas({"user", "disable", "op3", "--rekey", "--reason", "masa tugas selesai"}).exit_code == 18);
    const std::int64_t request = last_event(f).at("seq").get<std::int64_t>();
    auto requests_of = [&](const std::string& user, const std::string& pass) {
        Outcome listed = as(f, user, pass, {"--json", "approvals", "--all"});
        REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
        return nlohmann::json::parse(listed.out).size();
    };
    CHECK(requests_of("op1", op1) == 1);
    Outcome approved = as(f, "op4", op4, {"approve", std::to_string(request), "--reason", "sudah dicek"});
    REQUIRE_MESSAGE(approved.exit_code == 0, approved.err);

    // op1 is not shown op4 (Jenangan only): the audit log leaves op4's approval out, and the
    // list of requests the request that carries it (its decisions name op4 as the log's do).
    Outcome log = as(f, "op1", op1, {"--json", "audit", "log"});
    REQUIRE_MESSAGE(log.exit_code == 0, log.err);
    CHECK(log.out.find("op4") == std::string::npos);
    CHECK(requests_of("op1", op1) == 0);
    Outcome shown = as(f, "op1", op1, {"--json", "approvals", "--all"});
    CHECK(shown.out.find("op4") == std::string::npos);
    // op4 and op3 see both, as does the admin.
    CHECK(requests_of("op4", op4) == 1);
    CHECK(requests_of("op3", (f.dir / "op3.pass").string()) == 1);
    CHECK(requests_of("admin", (f.dir / "pass.txt").string()) == 1);
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian's policy explain about a person or an account they are not shown is refused as user show and account show are") {
    Fixture f;
    three_sub_districts(f);
    const std::string op1 = (f.dir / "op1.pass").string();
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.02", "--platform", "facebook", "--handle", "panwascam.babadan", "--from-file",
                       (f.dir / "pass.txt").string()})
                .exit_code == 0);
    // op3 keeps Ponorogo too: op1 is shown them, and the policy's answer about them.
    Outcome shown = as(f, "op1", op1, {"policy", "explain", "--as", "op3", "--action", "checkout"});
    CHECK_MESSAGE(shown.exit_code == 0, shown.err);
    // op2 (Babadan's custodian only) and Babadan's account are not shown to op1.
    for (const std::vector<std::string>& question :
         {std::vector<std::string>{"policy", "explain", "--as", "op2", "--action", "checkout"},
          std::vector<std::string>{"policy", "explain", "--as", "op1", "--action", "checkout", "--account", "facebook/panwascam.babadan"}}) {
        CAPTURE(question.back());
        Outcome refused = as(f, "op1", op1, question);
        CHECK(refused.exit_code == 10);
        CHECK(refused.out.find("35.02.02") == std::string::npos);
        CHECK(last_event(f).at("action") == "access.denied");
    }
    // The admin is answered about both.
    Outcome admin = f.brankas({"policy", "explain", "--as", "op2", "--action", "checkout", "--account", "facebook/panwascam.babadan"});
    CHECK_MESSAGE(admin.exit_code == 0, admin.err);
}

TEST_CASE("a custodian among the approvers cannot approve or reject a request they are not shown") {
    Fixture f;
    three_sub_districts(f);
    const std::string op1 = (f.dir / "op1.pass").string();
    write_file(f.dir / "dual.toml", "[dual_control]\nactions = [\"rekey\"]\napprovers = [\"admin\", \"custodian\"]\nwindow = \"30m\"\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "dual.toml").string()}).exit_code == 0);
    // A request about Babadan's custodian, which op1 (Ponorogo's) is not shown.
    REQUIRE(f.brankas({"user", "disable", "op2", "--rekey", "--reason", "pindah tugas"}).exit_code == 18);
    const std::int64_t request = last_event(f).at("seq").get<std::int64_t>();
    for (const char* verdict : {"approve", "reject"}) {
        CAPTURE(verdict);
        Outcome decided = as(f, "op1", op1, {verdict, std::to_string(request), "--reason", "ok saja"});
        CHECK(decided.exit_code == 10);
        CHECK(last_event(f).at("action") == "access.denied");
    }
    // Nothing was decided: the request still waits for its approval.
    Outcome listed = f.brankas({"--json", "approvals", "--all"});
    REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
    const auto requests = nlohmann::json::parse(listed.out);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].at("state") == "pending");
    Outcome log = f.brankas({"--json", "audit", "log"});
    CHECK(log.out.find("approval.grant") == std::string::npos);
    CHECK(log.out.find("approval.reject") == std::string::npos);
    // op1's log leaves the request out, and the refusals about it with it (they name op2 too).
    Outcome own = as(f, "op1", op1, {"--json", "audit", "log"});
    REQUIRE_MESSAGE(own.exit_code == 0, own.err);
    CHECK(own.out.find("approval/" + std::to_string(request)) == std::string::npos);
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a custodian's rotation outside every term needs break-glass, as a check-out does, and is flagged") {
    Fixture f;
    f.init();
    // A sub-district no term has ever covered: outside every term.
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                       "--from-file", (f.dir / "pass.txt").string()})
                .exit_code == 0);
    const std::string account = "instagram/panwascam.ponorogo";
    const std::string op1 = enroll(f, "op1", {"--role", "custodian", "--unit", "35.02.01"});

    // By default only admins break the glass: the custodian is told where the sub-district stands.
    Outcome plain = as(f, "op1", op1, {"rotate", account, "--reason", "akun diretas"});
    CHECK(plain.exit_code == 10);
    CHECK(plain.err.find("sub-district accounts are usable only inside a term: it has no term") != std::string::npos);
    CHECK(last_event(f).at("action") == "access.denied");
    Outcome glass = as(f, "op1", op1, {"rotate", account, "--reason", "akun diretas", "--break-glass"});
    CHECK(glass.exit_code == 10);
    CHECK(glass.err.find("the policy does not let a custodian break the glass (it has no term)") != std::string::npos);

    write_file(f.dir / "policy.toml", "[break_glass]\nroles = [\"admin\", \"custodian\"]\n");
    Outcome set = f.brankas({"policy", "set", (f.dir / "policy.toml").string()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);

    // Now the refusal says how, as the check-out's does.
    Outcome told = as(f, "op1", op1, {"rotate", account, "--reason", "akun diretas"});
    CHECK(told.exit_code == 10);
    CHECK(told.err.find("with a reason, `--break-glass` starts the rotation anyway, flagged in the log") != std::string::npos);
    Outcome explained = f.brankas({"policy", "explain", "--as", "op1", "--action", "rotate", "--account", account, "--break-glass"});
    CHECK(explained.out.find("break-glass outside every term (it has no term): the rotation is flagged in the log") != std::string::npos);
    CHECK(as(f, "op1", op1, {"rotate", account, "--reason", "   ", "--break-glass"}).exit_code == 2);
    CHECK(as(f, "op1", op1, {"rotate", account, "--confirm", "--break-glass"}).exit_code == 2);

    Outcome broken = as(f, "op1", op1, {"rotate", account, "--reason", "akun diretas", "--break-glass"});
    REQUIRE_MESSAGE(broken.exit_code == 0, broken.err);
    CHECK(broken.out.size() == 21); // the pending password (20 characters) and its line's end
    CHECK(broken.err.find("brankas: warning: this was a break-glass rotation: it is flagged in the audit log") != std::string::npos);
    nlohmann::json pending = last_event(f);
    CHECK(pending.at("action") == "secret.pending");
    CHECK(pending.at("actor") == "op1");
    CHECK(pending.at("reason") == "akun diretas");
    CHECK(pending.at("details").at("break_glass") == 1);
    // The audit log's table marks it as it marks a break-glass check-out.
    Outcome table = f.brankas({"audit", "log", "--action", "secret.pending"});
    CHECK(table.out.find("secret.pending BREAK-GLASS") != std::string::npos);

    // The one who broke the glass confirms it themselves (they set it on the platform).
    Outcome confirmed = as(f, "op1", op1, {"rotate", account, "--confirm"});
    CHECK_MESSAGE(confirmed.exit_code == 0, confirmed.err);
    Outcome again = as(f, "op1", op1, {"--json", "rotate", account, "--reason", "akun diretas lagi", "--break-glass"});
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(nlohmann::json::parse(again.out).at("break_glass") == true);
    CHECK(nlohmann::json::parse(again.out).at("version") == 3);
    REQUIRE(f.brankas({"rotate", account, "--abort"}).exit_code == 0);
    // An admin's rotation there is an ordinary one, unflagged.
    Outcome admin = f.brankas({"--json", "rotate", account, "--reason", "pergantian tim"});
    REQUIRE_MESSAGE(admin.exit_code == 0, admin.err);
    CHECK(nlohmann::json::parse(admin.out).at("break_glass") == false);
    CHECK_FALSE(last_event(f).at("details").contains("break_glass"));
    Outcome verified = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verified.exit_code == 0, (verified.out + verified.err));
}

namespace {

// A sub-district no term has ever covered (outside every term), an account there with a
// password, two custodians of it, and a policy that lets custodians break the glass.
struct TermlessSubDistrict {
    Fixture f;
    std::string account = "instagram/panwascam.ponorogo";
    std::string op1, op2;
    TermlessSubDistrict() {
        f.init();
        REQUIRE(f.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                           "--from-file", (f.dir / "pass.txt").string()})
                    .exit_code == 0);
        op1 = enroll(f, "op1", {"--role", "custodian", "--unit", "35.02.01"});
        op2 = enroll(f, "op2", {"--role", "custodian", "--unit", "35.02.01"});
        write_file(f.dir / "policy.toml", "[break_glass]\nroles = [\"admin\", \"custodian\"]\n");
        REQUIRE(f.brankas({"policy", "set", (f.dir / "policy.toml").string()}).exit_code == 0);
    }
    std::size_t denials() {
        return nlohmann::json::parse(f.brankas({"--json", "audit", "log", "--action", "access.denied"}).out).size();
    }
};

} // namespace

TEST_CASE("the custodian who started a break-glass rotation confirms it outside every term, and another custodian may not") {
    TermlessSubDistrict e;
    Fixture& f = e.f;
    Outcome broken = as(f, "op1", e.op1, {"rotate", e.account, "--reason", "akun diretas", "--break-glass"});
    REQUIRE_MESSAGE(broken.exit_code == 0, broken.err);
    const std::string new_password = broken.out.substr(0, broken.out.size() - 1);

    // policy explain says why each may or may not.
    Outcome why = f.brankas({"policy", "explain", "--as", "op1", "--action", "rotate", "--account", e.account, "--finish"});
    CHECK_MESSAGE(why.exit_code == 0, why.err);
    CHECK(why.out.rfind("ALLOW: op1 (custodian) to rotate instagram/panwascam.ponorogo", 0) == 0);
    CHECK(why.out.find("pending rotation: started by op1, by break-glass") != std::string::npos);
    CHECK(why.out.find("op1 started this rotation by break-glass outside every term: they may confirm or abort it, flagged in the log") !=
          std::string::npos);
    Outcome why_not = f.brankas({"policy", "explain", "--as", "op2", "--action", "rotate", "--account", e.account, "--finish"});
    CHECK(why_not.out.rfind("DENY: op2 (custodian)", 0) == 0);
    CHECK(why_not.out.find("op1 started this rotation by break-glass: outside every term only they, or an admin, may confirm or abort it") !=
          std::string::npos);

    // The other custodian of the sub-district is refused, once, with one access.denied.
    const std::size_t before = e.denials();
    Outcome other = as(f, "op2", e.op2, {"rotate", e.account, "--confirm"});
    CHECK(other.exit_code == 10);
    CHECK(other.err.find("sub-district accounts are usable only inside a term: it has no term") != std::string::npos);
    CHECK(e.denials() == before + 1);
    CHECK(last_event(f).at("actor") == "op2");
    // --break-glass with --confirm stays a usage error: who may finish follows from the start.
    Outcome flagged_option = as(f, "op2", e.op2, {"rotate", e.account, "--confirm", "--break-glass"});
    CHECK(flagged_option.exit_code == 2);
    CHECK(flagged_option.err.find("brankas: hint: whoever started a rotation by break-glass confirms or aborts it without the option") !=
          std::string::npos);

    Outcome confirmed = as(f, "op1", e.op1, {"rotate", e.account, "--confirm"});
    REQUIRE_MESSAGE(confirmed.exit_code == 0, confirmed.err);
    CHECK(confirmed.out == "Version 2 is now the current password of instagram/panwascam.ponorogo.\n");
    CHECK(confirmed.err == "brankas: warning: this finished a break-glass rotation outside every term: it is flagged in the audit log\n");
    nlohmann::json done = last_event(f);
    CHECK(done.at("action") == "secret.confirm");
    CHECK(done.at("actor") == "op1");
    CHECK(done.at("details").at("break_glass") == 1);
    CHECK(f.brankas({"audit", "log", "--action", "secret.confirm"}).out.find("secret.confirm BREAK-GLASS") != std::string::npos);

    // An admin reads it (outside every term a reveal breaks the glass too).
    Outcome shown = f.brankas({"secret", "show", e.account, "--reason", "cek kata sandi baru", "--break-glass"});
    REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
    CHECK(shown.out == new_password + "\n");
    Outcome verified = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verified.exit_code == 0, (verified.out + verified.err));
}

TEST_CASE("the custodian who started a break-glass rotation aborts it outside every term, another may not, an admin still may") {
    TermlessSubDistrict e;
    Fixture& f = e.f;
    REQUIRE(as(f, "op1", e.op1, {"rotate", e.account, "--reason", "akun diretas", "--break-glass"}).exit_code == 0);
    const std::size_t before = e.denials();
    Outcome other = as(f, "op2", e.op2, {"--json", "rotate", e.account, "--abort"});
    CHECK(other.exit_code == 10);
    CHECK(e.denials() == before + 1);
    Outcome aborted = as(f, "op1", e.op1, {"--json", "rotate", e.account, "--abort"});
    REQUIRE_MESSAGE(aborted.exit_code == 0, aborted.err);
    CHECK(nlohmann::json::parse(aborted.out) == nlohmann::json{{"account", e.account}, {"state", "aborted"}, {"break_glass", true}});
    CHECK(last_event(f).at("details").at("break_glass") == 1);

    // A second break-glass rotation by op2: op1 may not finish it, an admin may, unflagged.
    REQUIRE(as(f, "op2", e.op2, {"rotate", e.account, "--reason", "akun diretas lagi", "--break-glass"}).exit_code == 0);
    CHECK(as(f, "op1", e.op1, {"rotate", e.account, "--abort"}).exit_code == 10);
    CHECK(e.denials() == before + 2);
    Outcome admin = f.brankas({"--json", "rotate", e.account, "--confirm"});
    REQUIRE_MESSAGE(admin.exit_code == 0, admin.err);
    CHECK(nlohmann::json::parse(admin.out).at("break_glass") == false);
    CHECK_FALSE(last_event(f).at("details").contains("break_glass"));
    Outcome verified = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verified.exit_code == 0, (verified.out + verified.err));
}
