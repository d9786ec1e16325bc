// The rules a district office meets in its first week, through the real binary on a real vault:
// a held check-out is exclusive (for `secret show`, `totp` and `checkout` alike), a reveal
// outside every term needs break-glass and is flagged, a rotation records its reason, forbid
// rules name sub-districts and people, and a custodian sees only their own sub-districts.
#include "e2e/fixture.hpp"

#include <nlohmann/json.hpp>

namespace brankas::e2e {

namespace {

// Ponorogo and Babadan inside a long term; Sukorejo, with no term at all, outside every term.
// An admin, a second admin, a custodian of Ponorogo, an auditor.
struct District {
    Fixture f;
    std::string admin2_pass, operator_pass, auditor_pass;
    District() {
        f.init();
        for (auto [code, name] : {std::pair{"35.02.01", "Ponorogo"}, {"35.02.02", "Babadan"}, {"35.02.05", "Sukorejo"}})
            REQUIRE(f.brankas({"unit", "add", code, name}).exit_code == 0);
        REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31", "--unit", "35.02.01", "--unit",
                           "35.02.02"}).exit_code == 0);
        add("35.02.01", "instagram", "panwascam.ponorogo");
        add("35.02.02", "tiktok", "panwascam.babadan");
        add("35.02.05", "facebook", "panwascam.sukorejo");
        admin2_pass = enroll(f, "admin2", {"--role", "admin"});
        operator_pass = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
        auditor_pass = enroll(f, "auditor1", {"--role", "auditor"});
    }
    void add(const std::string& unit, const std::string& platform, const std::string& handle) {
        Outcome o = f.brankas({"account", "add", "--unit", unit, "--platform", platform, "--handle", handle, "--email",
                               handle + "@example.org", "--generate"});
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
    }
    Outcome admin(std::vector<std::string> args) { return f.brankas(std::move(args)); }
    Outcome admin2(std::vector<std::string> args) { return as(f, "admin2", admin2_pass, std::move(args)); }
    Outcome custodian(std::vector<std::string> args) { return as(f, "operator1", operator_pass, std::move(args)); }
    Outcome auditor(std::vector<std::string> args) { return as(f, "auditor1", auditor_pass, std::move(args)); }
    void set_policy(const std::string& text) {
        write_file(f.dir / "policy.toml", text);
        Outcome o = admin({"policy", "set", (f.dir / "policy.toml").string()});
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
    }
    void verifies() {
        Outcome v = auditor({"audit", "verify"});
        CHECK_MESSAGE(v.exit_code == 0, v.err);
        CHECK(v.out.find("The vault verifies.") != std::string::npos);
    }
};

const std::string ponorogo = "instagram/panwascam.ponorogo";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("while an admin holds a check-out, a custodian is refused the password, the code and the check-out, with the holder named") {
    District d;
    Outcome out = d.admin({"--json", "checkout", ponorogo, "--reason", "unggah laporan", "--for", "2h"});
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    // The end the refusals name, as the district's zone shows it (WIB by default).
    const std::string until = nlohmann::json::parse(out.out)["until"].get<std::string>();
    Outcome list = d.admin({"checkouts"});
    const auto at = list.out.find(" WIB");
    REQUIRE(at != std::string::npos);
    const std::string shown_until = list.out.substr(at - 16, 20); // "2026-01-01 12:00 WIB"
    const std::string held = "it is checked out by admin until " + shown_until;

    for (std::vector<std::string> args : {std::vector<std::string>{"secret", "show", ponorogo, "--reason", "unggah"},
                                         std::vector<std::string>{"totp", ponorogo},
                                         std::vector<std::string>{"checkout", ponorogo, "--reason", "unggah"}}) {
        CAPTURE(args[0]);
        Outcome refused = d.custodian(args);
        check_one_line_error(refused, 10, held);
    }
    // A custodian may not break the glass (the default policy gives it to admins only).
    check_one_line_error(d.custodian({"secret", "show", ponorogo, "--reason", "darurat", "--break-glass"}), 10,
                         "the policy does not let a custodian break the glass (" + held + ")");
    // Another admin is told the way through.
    Outcome second = d.admin2({"secret", "show", ponorogo, "--reason", "cek"});
    check_one_line_error(second, 10, held + "; with a reason, `--break-glass` shows it anyway, flagged in the log");

    // policy explain shows the rule and the fact.
    Outcome explain = d.admin({"policy", "explain", "--as", "operator1", "--action", "read_secret", "--account", ponorogo});
    CHECK_MESSAGE(explain.exit_code == 0, explain.err);
    CHECK(explain.out.starts_with("DENY: operator1 (custodian) to read_secret " + ponorogo));
    CHECK(has(explain.out, "  holder: admin until " + shown_until + "\n"));
    CHECK(has(explain.out, "[exclusive] forbids: " + held));

    // The refusals are in the log, and the holder is still shown it.
    Outcome log = d.auditor({"audit", "log", "--action", "access.denied"});
    CHECK(has(log.out, "operator1"));
    CHECK(has(log.out, "admin2"));
    Outcome own = d.admin({"secret", "show", ponorogo, "--reason", "unggah"});
    CHECK_MESSAGE(own.exit_code == 0, own.err);
    CHECK(own.out.size() == 21);
    d.verifies();

    // Once it is returned, the custodian is shown it again.
    REQUIRE(d.admin({"checkin", ponorogo}).exit_code == 0);
    Outcome after = d.custodian({"secret", "show", ponorogo, "--reason", "unggah"});
    CHECK_MESSAGE(after.exit_code == 0, after.err);
    CHECK(after.out == own.out);
    (void)until;
}

TEST_CASE("break-glass past another's check-out shows the password, flagged, and a policy that shares check-outs needs none") {
    District d;
    REQUIRE(d.admin({"checkout", ponorogo, "--reason", "unggah laporan"}).exit_code == 0);
    Outcome glass = d.admin2({"--json", "secret", "show", ponorogo, "--reason", "akun diretas", "--break-glass"});
    CHECK_MESSAGE(glass.exit_code == 0, glass.err);
    auto j = nlohmann::json::parse(glass.out);
    CHECK(j["break_glass"] == true);
    Outcome plain = d.admin2({"secret", "show", ponorogo, "--reason", "akun diretas", "--break-glass"});
    CHECK(plain.exit_code == 0);
    CHECK(plain.err == "brankas: warning: this was a break-glass read: it is flagged in the audit log\n");
    Outcome report = d.auditor({"--json", "report", "access", "--unit", "35.02.01"});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    int flagged = 0;
    for (const auto& account : nlohmann::json::parse(report.out))
        for (const auto& row : account["accesses"])
            if (row["who"] == "admin2") flagged += row["break_glass"] == true ? 1 : 0;
    CHECK(flagged == 2);
    d.verifies();

    d.set_policy("[checkout]\nexclusive = false\n");
    Outcome shared = d.custodian({"secret", "show", ponorogo, "--reason", "unggah"});
    CHECK_MESSAGE(shared.exit_code == 0, shared.err);
    CHECK(shared.err.empty());
    Outcome explain = d.admin({"policy", "explain", "--as", "operator1", "--action", "read_secret", "--account", ponorogo});
    CHECK(explain.out.starts_with("ALLOW: operator1 (custodian) to read_secret " + ponorogo));
    CHECK(has(explain.out, "(the policy allows sharing it)"));
    d.verifies();
}

TEST_CASE("an admin's reveal outside every term needs break-glass and is flagged; a reason of spaces is refused") {
    District d;
    const std::string sukorejo = "facebook/panwascam.sukorejo";
    check_one_line_error(d.admin({"secret", "show", sukorejo, "--reason", "cek"}), 10,
                         "sub-district accounts are usable only inside a term: it has no term; with a reason, `--break-glass` shows it anyway, "
                         "flagged in the log");
    Outcome glass = d.admin({"secret", "show", sukorejo, "--reason", "akun diretas", "--break-glass"});
    CHECK_MESSAGE(glass.exit_code == 0, glass.err);
    CHECK(glass.out.size() == 21);
    CHECK(has(glass.err, "break-glass read: it is flagged in the audit log"));
    check_one_line_error(d.admin({"secret", "show", sukorejo, "--reason", "   ", "--break-glass"}), 2, "a reason is required");
    check_one_line_error(d.admin({"secret", "show", ponorogo, "--reason", " "}), 2, "a reason is required");
    Outcome log = d.auditor({"--json", "audit", "log", "--action", "secret.read"});
    REQUIRE_MESSAGE(log.exit_code == 0, log.err);
    auto rows = nlohmann::json::parse(log.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["details"]["break_glass"] == 1);

    // The policy may say otherwise: then the admin's reveal there is an ordinary one.
    d.set_policy("[break_glass]\nreveals = false\n");
    Outcome plain = d.admin({"secret", "show", sukorejo, "--reason", "cek"});
    CHECK_MESSAGE(plain.exit_code == 0, plain.err);
    CHECK(plain.err.empty());
    d.verifies();
}

TEST_CASE("rotate shows the new password, so it asks for a reason and records it") {
    District d;
    check_one_line_error(d.admin({"rotate", ponorogo}), 2, "the option '--reason' is required to start a rotation");
    check_one_line_error(d.admin({"rotate", ponorogo, "--reason", "  "}), 2, "a reason is required");
    Outcome r = d.admin({"rotate", ponorogo, "--reason", "sandi lama bocor"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    Outcome log = d.auditor({"--json", "audit", "log", "--action", "secret.pending"});
    auto rows = nlohmann::json::parse(log.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["reason"] == "sandi lama bocor");
    check_one_line_error(d.admin({"rotate", ponorogo, "--confirm", "--reason", "x"}), 2, "--reason applies when a rotation starts");
    d.verifies();
}

TEST_CASE("forbid rules naming a sub-district and a person, with explain naming the rule") {
    District d;
    write_file(d.f.dir / "bad.toml", "[[forbid]]\nrole = \"custodian\"\naction = \"read_secret\"\nunits = [\"35.2.1\"]\n");
    Outcome bad = d.admin({"policy", "check", (d.f.dir / "bad.toml").string()});
    CHECK(bad.exit_code == 2);
    CHECK(has(bad.err, "bad.toml:4: forbid.units entry \"35.2.1\" is not a region code"));
    d.set_policy("# During the audit nobody but admins reads Ponorogo's passwords.\n"
                 "[[forbid]]\nrole = \"custodian\"\naction = \"read_secret\"\nunits = [\"35.02.01\"]\n\n"
                 "[[forbid]]\nrole = \"auditor\"\naction = \"read_unit\"\nunits = [\"35.02.01\"]\n\n"
                 "[[forbid]]\naction = \"checkout\"\npeople = [\"operator1\", \"admin2\"]\n");
    check_one_line_error(d.custodian({"secret", "show", ponorogo, "--reason", "unggah"}), 10,
                         "the policy forbids a custodian to read passwords in 35.02.01 (line 2)");
    check_one_line_error(d.custodian({"checkout", ponorogo, "--reason", "unggah"}), 10,
                         "the policy forbids operator1 or admin2 to check passwords out (line 12)");
    check_one_line_error(d.admin2({"checkout", "tiktok/panwascam.babadan", "--reason", "unggah"}), 10,
                         "the policy forbids operator1 or admin2 to check passwords out (line 12)");
    Outcome admin = d.admin({"secret", "show", ponorogo, "--reason", "unggah"});
    CHECK_MESSAGE(admin.exit_code == 0, admin.err);
    Outcome explain = d.admin({"policy", "explain", "--as", "operator1", "--action", "read_secret", "--account", ponorogo});
    CHECK(explain.out.starts_with("DENY: operator1 (custodian) to read_secret " + ponorogo));
    CHECK(has(explain.out, "[forbid line 2] forbids: the policy forbids a custodian to read passwords in 35.02.01 (line 2)"));
    // The auditor's listing leaves Ponorogo out; its accounts are refused by name.
    Outcome listing = d.auditor({"account", "list"});
    CHECK_FALSE(has(listing.out, "panwascam.ponorogo"));
    CHECK(has(listing.out, "panwascam.babadan"));
    check_one_line_error(d.auditor({"account", "show", ponorogo}), 10, "the policy forbids an auditor to see accounts and events in 35.02.01 (line 7)");
    Outcome shown = d.admin({"policy", "show"});
    CHECK(has(shown.out, "units = [\"35.02.01\"]\n"));
    CHECK(has(shown.out, "people = [\"operator1\", \"admin2\"]\n"));
    d.verifies();
}

TEST_CASE("a custodian's listings, account show and audit log show only their own sub-districts") {
    District d;
    REQUIRE(d.admin({"checkout", "tiktok/panwascam.babadan", "--reason", "unggah"}).exit_code == 0);
    REQUIRE(d.custodian({"secret", "show", ponorogo, "--reason", "unggah"}).exit_code == 0);

    Outcome mine = d.custodian({"--json", "account", "list"});
    REQUIRE_MESSAGE(mine.exit_code == 0, mine.err);
    auto accounts = nlohmann::json::parse(mine.out);
    REQUIRE(accounts.size() == 1);
    CHECK(accounts[0]["unit"] == "35.02.01");
    Outcome table = d.custodian({"account", "list"});
    CHECK_FALSE(has(table.out, "babadan"));
    CHECK_FALSE(has(table.out, "sukorejo"));
    check_one_line_error(d.custodian({"account", "list", "--unit", "35.02.02"}), 10,
                         "a custodian may not see accounts and events of a sub-district they are not granted");
    check_one_line_error(d.custodian({"account", "show", "tiktok/panwascam.babadan"}), 10,
                         "a custodian may not see accounts and events of a sub-district they are not granted");
    Outcome own = d.custodian({"account", "show", ponorogo});
    CHECK_MESSAGE(own.exit_code == 0, own.err);
    CHECK(d.custodian({"--json", "checkouts"}).out == "[]\n");

    Outcome log = d.custodian({"--json", "audit", "log"});
    REQUIRE_MESSAGE(log.exit_code == 0, log.err);
    int about_ponorogo = 0;
    for (const auto& e : nlohmann::json::parse(log.out)) {
        CAPTURE(e.dump());
        if (!e.contains("unit") || !e["unit"].is_string() || e["unit"] == "") continue; // about the whole district
        // Events about several sub-districts (a term for two) name them all, Ponorogo among them.
        CHECK(has("," + e["unit"].get<std::string>() + ",", ",35.02.01,"));
        ++about_ponorogo;
    }
    CHECK(about_ponorogo >= 3); // the unit, its account, the custodian's read
    check_one_line_error(d.custodian({"audit", "log", "--unit", "35.02.02"}), 10,
                         "a custodian may not see accounts and events of a sub-district they are not granted");
    // The auditor and the admins still see the whole district.
    auto all = nlohmann::json::parse(d.auditor({"--json", "account", "list"}).out);
    CHECK(all.size() == 3);
    auto everything = nlohmann::json::parse(d.auditor({"--json", "audit", "log"}).out);
    CHECK(everything.size() > nlohmann::json::parse(log.out).size());
    d.verifies();
}

} // namespace brankas::e2e
