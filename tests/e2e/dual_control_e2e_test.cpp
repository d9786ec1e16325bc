// Dual control through the binary: a break-glass check-out under [dual_control] records a
// request instead; a second admin approves it; the requester uses it once. Self-approval, reuse,
// another account, another reason, a rejected and an expired request are each refused.
#include "e2e/dual_vault.hpp"

using namespace brankas::e2e;

namespace {

const std::string account = "instagram/panwascam.ponorogo";

// A vault whose policy puts break-glass check-outs under dual control, one sub-district without
// a term (so a check-out there breaks the glass), two accounts with a password, a second admin.
struct DualVault : TwoAdminVault {
    std::string request; // the number of the request the first break-glass check-out recorded

    DualVault() {
        request = start_from(f, "DualVault", [](Fixture& fresh) {
            make_two_admin_vault(fresh, "\"break_glass\"", [](Fixture& vault) {
                REQUIRE(vault.brankas({"unit", "add", "35.02.01", "Ponorogo"}).exit_code == 0);
                REQUIRE(vault.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                                       "--from-file", (vault.dir / "pass.txt").string()}).exit_code == 0);
                REQUIRE(vault.brankas({"account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "panwascam.ponorogo",
                                       "--generate"}).exit_code == 0);
            });
            Outcome asked = fresh.brankas({"checkout", account, "--break-glass", "--reason", "akun diretas"});
            const std::string id = request_number(asked);
            CHECK(asked.out.find("then run `brankas checkout " + account + " --break-glass --request " + id + "`") != std::string::npos);
            CHECK(asked.err.starts_with("brankas: error: the break-glass check-out of " + account +
                                        " needs a second person's approval: request " + id + " is recorded\n"));
            CHECK(asked.out.find("password") == std::string::npos);
            return Values{{"request", id}};
        }).at("request");
    }
};

} // namespace

TEST_CASE("dual control: a break-glass check-out runs once a second admin approved its request") {
    DualVault v;
    Fixture& f = v.f;

    Outcome waiting = v.by_admin2({"approvals"});
    CHECK_MESSAGE(waiting.exit_code == 0, waiting.err);
    CHECK(waiting.out.starts_with("ID  STATE    BY     ASKS FOR "));
    CHECK(waiting.out.find("\n" + v.request + "  pending  admin  a break-glass check-out of " + account + " for 2h  akun diretas  0/1       ") !=
          std::string::npos);
    Outcome status = f.brankas({"status"});
    CHECK(status.out.find("Approval     request " + v.request + " by admin: a break-glass check-out of " + account +
                          ", 0 of 1 approval, until ") != std::string::npos);

    // Not before it is approved.
    check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", v.request}), 10,
                         "request " + v.request + " has 0 of the 1 approval(s) the policy needs");

    // A read names no request: under dual control it is refused and points to the check-out.
    check_one_line_error(f.brankas({"secret", "show", account, "--break-glass", "--reason", "akun diretas"}), 10,
                         "outside every term only a check-out with an approved request shows the password");

    Outcome approved = v.by_admin2({"approve", v.request, "--reason", "dikonfirmasi lewat telepon"});
    CHECK_MESSAGE(approved.exit_code == 0, approved.err);
    CHECK(approved.out.starts_with("Approved request " + v.request + " (admin: a break-glass check-out of " + account +
                                   " for 2h), 1 of 1 approval.\nadmin may use it once, until "));

    Outcome explained = f.brankas({"policy", "explain", "--as", "admin", "--action", "checkout", "--account", account, "--request", v.request});
    CHECK(explained.out.starts_with("ALLOW: admin (admin) to checkout " + account));
    CHECK(explained.out.find("  request " + v.request + " (now): break_glass by admin, pending, approved by admin2, until ") !=
          std::string::npos);
    CHECK(explained.out.find("[dual-control] permits: request " + v.request + " was approved by admin2") != std::string::npos);

    // Its reason and length come from the request; the password shows once the event is in.
    Outcome out = f.brankas({"checkout", account, "--break-glass", "--request", v.request});
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(out.out == "username: panwascam.ponorogo\npassword: " + std::string(passphrase) + "\n");
    CHECK(out.err.find("this was a break-glass check-out") != std::string::npos);
    REQUIRE(f.brankas({"checkin", account}).exit_code == 0);

    // Used once: never again.
    check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", v.request}), 10,
                         "request " + v.request + " was used already: an approval is used once");
    CHECK(v.by_admin2({"approvals"}).out == "No request waits for approval.\n");
    CHECK(v.by_admin2({"approvals", "--all"}).out.find("\n" + v.request + "  used ") != std::string::npos);

    // The history says who asked, who approved and which check-out used it.
    Outcome access = f.brankas({"report", "access"});
    CHECK(access.out.find("BREAK-GLASS (request " + v.request + ", approved by admin2)  akun diretas") != std::string::npos);
    Outcome log = f.brankas({"--json", "audit", "log", "--action", "approval.request", "--action", "approval.grant"});
    CHECK_MESSAGE(log.exit_code == 0, log.err);
    CHECK(log.out.find("\"action\":\"approval.request\"") != std::string::npos);
    CHECK(log.out.find("\"action\":\"approval.grant\"") != std::string::npos);
    CHECK(log.out.find("dikonfirmasi lewat telepon") != std::string::npos);
    // The account's (and its sub-district's) history has the request, its grant and its use; the
    // other account's has none of them.
    for (const std::vector<std::string>& filter : {std::vector<std::string>{"--account", account}, std::vector<std::string>{"--unit", "35.02.01"}}) {
        std::vector<std::string> args{"--json", "audit", "log"};
        args.insert(args.end(), filter.begin(), filter.end());
        Outcome own = f.brankas(args);
        CHECK_MESSAGE(own.exit_code == 0, own.err);
        CHECK(own.out.find("\"action\":\"approval.request\",\"target\":\"account/") != std::string::npos);
        CHECK(own.out.find("\"action\":\"approval.grant\",\"target\":\"approval/" + v.request + "\",\"unit\":\"35.02.01\",\"account\":\"" + account +
                           "\"") != std::string::npos);
    }
    CHECK(f.brankas({"--json", "audit", "log", "--account", "tiktok/panwascam.ponorogo"}).out.find("approval.") == std::string::npos);
    // The CSV names the request in its last column.
    Outcome csv = f.brankas({"report", "access", "--csv"});
    CHECK(csv.out.starts_with("\"account\",\"unit\",\"seq\",\"time\",\"who\",\"what\",\"version\",\"break_glass\",\"until\",\"reason\",\"request\"\r\n"));
    CHECK(csv.out.find(",\"akun diretas\",\"" + v.request + "\"\r\n") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}

TEST_CASE("dual control: a custodian's approvals list keeps to the sub-districts they see") {
    DualVault v;
    Fixture& f = v.f;
    REQUIRE(f.brankas({"unit", "add", "35.02.02", "Babadan"}).exit_code == 0);
    std::string own = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01"});
    std::string other = enroll(f, "operator2", {"--role", "custodian", "--unit", "35.02.02"});

    // The custodian of the request's sub-district sees it, as an admin does.
    Outcome mine = as(f, "operator1", own, {"approvals"});
    CHECK_MESSAGE(mine.exit_code == 0, mine.err);
    CHECK(mine.out.find("\n" + v.request + "  pending  admin  a break-glass check-out of " + account) != std::string::npos);
    // A custodian of another sub-district sees none of them, waiting or not, in any form.
    Outcome theirs = as(f, "operator2", other, {"approvals"});
    CHECK_MESSAGE(theirs.exit_code == 0, theirs.err);
    CHECK(theirs.out == "No request waits for approval.\n");
    CHECK(as(f, "operator2", other, {"approvals", "--all"}).out == "No requests.\n");
    CHECK(as(f, "operator2", other, {"--json", "approvals", "--all"}).out == "[]\n");
    CHECK(as(f, "operator1", own, {"--json", "approvals", "--all"}).out.find("\"id\": " + v.request) != std::string::npos);
}

TEST_CASE("dual control: what a request does not allow") {
    DualVault v;
    Fixture& f = v.f;
    SUBCASE("nobody approves their own request") {
        check_one_line_error(f.brankas({"approve", v.request, "--reason", "saya sendiri"}), 10,
                             "nobody approves or rejects their own request: request " + v.request + " is admin's");
    }
    SUBCASE("an approval opens only what the request describes") {
        REQUIRE(v.by_admin2({"approve", v.request, "--reason", "ok"}).exit_code == 0);
        const std::string other = "request " + v.request + " asked for something else: the action must match its request exactly";
        check_one_line_error(f.brankas({"checkout", "tiktok/panwascam.ponorogo", "--break-glass", "--request", v.request}), 10, other);
        check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", v.request, "--reason", "lain"}), 10, other);
        check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", v.request, "--for", "8h"}), 10, other);
        // ... and only its requester uses it.
        check_one_line_error(v.by_admin2({"checkout", account, "--break-glass", "--request", v.request}), 10,
                             "request " + v.request + " was made by admin: only they may use it");
        // Still unused: the one it describes runs.
        CHECK(f.brankas({"checkout", account, "--break-glass", "--request", v.request}).exit_code == 0);
    }
    SUBCASE("a rejected request cannot be used or approved") {
        Outcome rejected = v.by_admin2({"reject", v.request, "--reason", "tidak bisa dikonfirmasi"});
        CHECK_MESSAGE(rejected.exit_code == 0, rejected.err);
        CHECK(rejected.out.starts_with("Rejected request " + v.request));
        check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", v.request}), 10,
                             "request " + v.request + " was rejected");
        check_one_line_error(v.by_admin2({"approve", v.request, "--reason", "ok"}), 10, "request " + v.request + " is rejected, no longer pending");
    }
    SUBCASE("a grant or a rejection says why; a request that does not exist is named") {
        check_one_line_error(v.by_admin2({"approve", v.request, "--reason", " "}), 2, "a grant or a rejection needs a reason");
        check_one_line_error(v.by_admin2({"approve", "999", "--reason", "ok"}), 16, "there is no request 999");
        check_one_line_error(f.brankas({"checkout", account, "--break-glass", "--request", "999"}), 16, "there is no request 999");
    }
    SUBCASE("an expired request is neither approved nor used") {
        REQUIRE(v.by_admin2({"approve", v.request, "--reason", "ok"}).exit_code == 0);
        if (auto late = later(f, 31, 0, "admin", "", {"checkout", account, "--break-glass", "--request", v.request}))
            check_one_line_error(*late, 10, "request " + v.request + " expired at ");
        if (auto approve_late = later(f, 31, 10, "admin2", v.admin2, {"approve", v.request, "--reason", "telat"}))
            check_one_line_error(*approve_late, 10, "request " + v.request + " expired at ");
    }
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}

TEST_CASE("dual control: a request named where no approval is needed must still hold") {
    DualVault v;
    Fixture& f = v.f;
    const std::string tiktok = "tiktok/panwascam.ponorogo";
    // The first request is used by the check-out it describes; a second one, for the other
    // account, is approved and left unused.
    REQUIRE(v.by_admin2({"approve", v.request, "--reason", "ok"}).exit_code == 0);
    REQUIRE(f.brankas({"checkout", account, "--break-glass", "--request", v.request}).exit_code == 0);
    REQUIRE(f.brankas({"checkin", account}).exit_code == 0);
    const std::string second = request_number(f.brankas({"checkout", tiktok, "--break-glass", "--reason", "akun dibajak"}));
    // Inside a term a check-out needs no approval.
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    check_one_line_error(f.brankas({"checkout", tiktok, "--request", second}), 10,
                         "request " + second + " has 0 of the 1 approval(s) the policy needs");
    REQUIRE(v.by_admin2({"approve", second, "--reason", "ok"}).exit_code == 0);

    // Used already: not again, on this account or on another.
    check_one_line_error(f.brankas({"checkout", account, "--request", v.request}), 10,
                         "request " + v.request + " was used already: an approval is used once");
    // Another account's request, another reason, another person, another action.
    const std::string other = "request " + second + " asked for something else: the action must match its request exactly";
    check_one_line_error(f.brankas({"checkout", account, "--request", second}), 10, other);
    check_one_line_error(f.brankas({"checkout", tiktok, "--request", second, "--reason", "unggah"}), 10, other);
    check_one_line_error(v.by_admin2({"checkout", tiktok, "--request", second}), 10, "request " + second + " was made by admin: only they may use it");
    write_file(f.dir / "same.toml", dual_control_document("\"break_glass\""));
    check_one_line_error(f.brankas({"policy", "set", (f.dir / "same.toml").string(), "--request", second}), 10,
                         "request " + second + " asked for something else");
    CHECK(f.brankas({"checkouts"}).out == "Nothing is checked out.\n");

    // The check-out it describes runs, with its reason; needing no approval, it leaves it unused.
    Outcome out = f.brankas({"checkout", tiktok, "--request", second});
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(out.out.starts_with("username: panwascam.ponorogo\npassword: "));
    CHECK(f.brankas({"report", "access", "--csv"}).out.find(",\"akun dibajak\",\"\"\r\n") != std::string::npos);
    CHECK(v.by_admin2({"approvals", "--all"}).out.find("\n" + second + "  approved ") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}
