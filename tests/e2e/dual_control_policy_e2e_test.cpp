// Dual control over the policy itself, through the binary: under [dual_control] actions =
// ["policy_set"], `policy set FILE --reason` records a request for exactly that document; a
// second admin approves it; the requester sets that document once with `--request ID`. A
// different file, self-approval, reuse, another person and an expired request are refused, and
// lifting dual control is itself held back by it.
#include "e2e/dual_vault.hpp"

using namespace brankas::e2e;

namespace {

const std::string dual_doc = dual_control_document("\"policy_set\"");
// Keeps dual control and changes the check-out's maximum: a document that can be used twice.
const std::string tighter_doc = dual_doc + "\n[checkout]\nmax_duration = \"4h\"\n";
const std::string lifted_doc = "[dual_control]\nactions = []\n";

// A vault whose policy (set by one admin while nothing held it back) puts `policy set` under
// dual control, a second admin, and a request by the first to set tighter.toml.
struct DualPolicyVault : TwoAdminVault {
    std::string request;

    std::string tighter = (f.dir / "tighter.toml").string();
    std::string lifted = (f.dir / "lifted.toml").string();

    DualPolicyVault() {
        request = start_from(f, "DualPolicyVault", [this](Fixture& fresh) {
            make_two_admin_vault(fresh, "\"policy_set\"", [](Fixture&) {});
            write_file(tighter, tighter_doc);
            write_file(lifted, lifted_doc);
            Outcome asked = fresh.brankas({"policy", "set", tighter, "--reason", "rapat pleno 3 Desember"});
            const std::string id = request_number(asked);
            CHECK(asked.out.find("then run `brankas policy set " + tighter + " --request " + id + "` with this very file.\n") !=
                  std::string::npos);
            CHECK(asked.err.starts_with("brankas: error: setting the policy from " + tighter + " needs a second person's approval: request " +
                                        id + " is recorded\n"));
            return Values{{"request", id}};
        }).at("request");
    }
};

} // namespace

TEST_CASE("dual control: a policy document is set once a second admin approved its request") {
    DualPolicyVault v;
    Fixture& f = v.f;

    // Nothing changed yet.
    CHECK(f.brankas({"policy", "show"}).out.find("max_duration = \"8h\"") != std::string::npos);

    Outcome waiting = v.by_admin2({"approvals"});
    CHECK_MESSAGE(waiting.exit_code == 0, waiting.err);
    CHECK(waiting.out.starts_with("ID  STATE    BY     ASKS FOR "));
    const auto row = waiting.out.find("\n" + v.request + " ");
    REQUIRE(row != std::string::npos);
    CHECK(waiting.out.find(" pending  admin  setting the policy to document ", row) != std::string::npos);
    CHECK(waiting.out.find("  rapat pleno 3 Desember  0/1       ") != std::string::npos);
    Outcome listed = v.by_admin2({"--json", "approvals"});
    CHECK(listed.out.find("\"for\": \"policy_set\"") != std::string::npos);
    CHECK(listed.out.find("\"document\": \"") != std::string::npos);
    Outcome status = f.brankas({"status"});
    CHECK(status.out.find("Approval     request " + v.request + " by admin: setting the policy, 0 of 1 approval, until ") != std::string::npos);

    // Not before it is approved.
    check_one_line_error(f.brankas({"policy", "set", v.tighter, "--request", v.request}), 10,
                         "request " + v.request + " has 0 of the 1 approval(s) the policy needs");

    // policy explain names where the request stands instead of refusing it.
    Outcome explained = f.brankas({"policy", "explain", "--as", "admin", "--action", "set_policy", "--request", v.request});
    CHECK_MESSAGE(explained.exit_code == 0, explained.err);
    CHECK(explained.out.find("request " + v.request + " has 0 of the 1 approval(s) the policy needs") != std::string::npos);

    Outcome approved = v.by_admin2({"approve", v.request, "--reason", "sesuai notulen rapat"});
    CHECK_MESSAGE(approved.exit_code == 0, approved.err);
    CHECK(approved.out.starts_with("Approved request " + v.request + " (admin: setting the policy to document "));
    CHECK(approved.out.find("`brankas policy set FILE --request " + v.request + "`.\n") != std::string::npos);

    // Its reason comes from the request; the document is the one approved.
    Outcome out = f.brankas({"policy", "set", v.tighter, "--request", v.request});
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(out.out == "The policy from " + v.tighter + " is in force, by request " + v.request + " (recorded in the audit log).\n");
    CHECK(f.brankas({"policy", "show"}).out.find("max_duration = \"4h\"") != std::string::npos);

    // Used once: never again, though the document it set keeps dual control.
    check_one_line_error(f.brankas({"policy", "set", v.tighter, "--request", v.request}), 10,
                         "request " + v.request + " was used already: an approval is used once");
    Outcome all = v.by_admin2({"approvals", "--all"});
    const std::string used_row = all.out.substr(all.out.find("\n" + v.request + " ") + 1);
    CHECK(used_row.find(" used ") < used_row.find(" setting the policy to document "));
    CHECK(used_row.find(" setting the policy to document ") != std::string::npos);

    // The log names the request the policy set used, with its reason.
    Outcome log = f.brankas({"--json", "audit", "log", "--action", "policy.set"});
    CHECK_MESSAGE(log.exit_code == 0, log.err);
    CHECK(log.out.find("\"request\":" + v.request) != std::string::npos);
    CHECK(log.out.find("rapat pleno 3 Desember") != std::string::npos);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}

TEST_CASE("dual control: what a request to set the policy does not allow") {
    DualPolicyVault v;
    Fixture& f = v.f;
    SUBCASE("a request needs a reason") {
        check_one_line_error(f.brankas({"policy", "set", v.lifted}), 2, "setting the policy under dual control needs a reason");
    }
    SUBCASE("nobody approves their own request") {
        check_one_line_error(f.brankas({"approve", v.request, "--reason", "saya sendiri"}), 10,
                             "nobody approves or rejects their own request: request " + v.request + " is admin's");
    }
    SUBCASE("an approval sets only the document it describes, by its requester") {
        REQUIRE(v.by_admin2({"approve", v.request, "--reason", "ok"}).exit_code == 0);
        const std::string other = "request " + v.request + " asked for something else: the action must match its request exactly";
        // Another file: lifting dual control with an approval given for something else.
        check_one_line_error(f.brankas({"policy", "set", v.lifted, "--request", v.request}), 10, other);
        // The same bytes under another name are the same document; another reason is not.
        check_one_line_error(f.brankas({"policy", "set", v.tighter, "--request", v.request, "--reason", "lain"}), 10, other);
        check_one_line_error(v.by_admin2({"policy", "set", v.tighter, "--request", v.request}), 10,
                             "request " + v.request + " was made by admin: only they may use it");
        CHECK(f.brankas({"policy", "show"}).out.find("max_duration = \"8h\"") != std::string::npos);
        // Still unused: the one it describes runs, from a copy of the file.
        write_file(f.dir / "copy.toml", tighter_doc);
        Outcome copy = f.brankas({"policy", "set", (f.dir / "copy.toml").string(), "--request", v.request});
        CHECK_MESSAGE(copy.exit_code == 0, copy.err);
    }
    SUBCASE("lifting dual control needs an approval too, and then holds") {
        Outcome asked = f.brankas({"policy", "set", v.lifted, "--reason", "pemilu selesai"});
        CHECK(asked.exit_code == 18);
        const std::string lift = asked.out.substr(8, asked.out.find(' ', 8) - 8);
        REQUIRE(v.by_admin2({"approve", lift, "--reason", "disetujui"}).exit_code == 0);
        Outcome lifted = f.brankas({"policy", "set", v.lifted, "--request", lift});
        CHECK_MESSAGE(lifted.exit_code == 0, lifted.err);
        // Dual control is gone: one admin sets a document alone again.
        Outcome alone = f.brankas({"policy", "set", v.tighter});
        CHECK_MESSAGE(alone.exit_code == 0, alone.err);
        CHECK(alone.out == "The policy from " + v.tighter + " is in force (recorded in the audit log).\n");
    }
    SUBCASE("a rejected request cannot be used") {
        REQUIRE(v.by_admin2({"reject", v.request, "--reason", "belum dirapatkan"}).exit_code == 0);
        check_one_line_error(f.brankas({"policy", "set", v.tighter, "--request", v.request}), 10, "request " + v.request + " was rejected");
    }
    SUBCASE("a request that does not exist is named") {
        check_one_line_error(f.brankas({"policy", "set", v.tighter, "--request", "999"}), 16, "there is no request 999");
    }
    SUBCASE("an expired request is not used") {
        REQUIRE(v.by_admin2({"approve", v.request, "--reason", "ok"}).exit_code == 0);
        if (auto late = later(f, 31, 0, "admin", "", {"policy", "set", v.tighter, "--request", v.request}))
            check_one_line_error(*late, 10, "request " + v.request + " expired at ");
    }
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}
