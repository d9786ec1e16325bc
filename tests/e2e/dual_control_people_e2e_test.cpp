// Dual control over a re-key and a recovery split, through the binary: under [dual_control]
// actions = ["rekey", "recovery_split"], `user disable NAME --rekey --reason` and `recovery split
// --reason` record a request for exactly that person, or that threshold and number of shares; a
// second admin approves it; the requester then runs the step once with `--request ID`.
// Self-approval, another person or shape, reuse and an expired request are refused.
#include "e2e/dual_vault.hpp"

using namespace brankas::e2e;

namespace {

const std::string both = "\"rekey\", \"recovery_split\"";

// Two auditors to disable, beside the two admins.
struct PeopleVault : TwoAdminVault {
    PeopleVault() {
        start_from(f, "PeopleVault", [](Fixture& fresh) {
            make_two_admin_vault(fresh, both, [](Fixture& vault) {
                enroll(vault, "auditor1", {"--role", "auditor"});
                enroll(vault, "auditor2", {"--role", "auditor"});
            });
            return Values{};
        });
    }

    // `user disable NAME --rekey --reason REASON`: a request, whose number this returns.
    std::string ask_rekey(const std::string& name, const std::string& reason) {
        Outcome asked = f.brankas({"user", "disable", name, "--rekey", "--reason", reason});
        const std::string id = request_number(asked);
        CHECK(asked.out.find("then run `brankas user disable " + name + " --rekey --request " + id + "`.\n") != std::string::npos);
        CHECK(asked.err == "brankas: error: disabling " + name + " with a new store key needs a second person's approval: request " + id +
                               " is recorded\n");
        return id;
    }

    std::string status_of(const std::string& name) {
        Outcome listed = f.brankas({"--json", "user", "show", name});
        REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
        auto at = listed.out.find("\"status\": \"");
        REQUIRE(at != std::string::npos);
        return listed.out.substr(at + 11, listed.out.find('"', at + 11) - at - 11);
    }
};

} // namespace

TEST_CASE("dual control: a re-key runs once a second admin approved its request") {
    PeopleVault v;
    Fixture& f = v.f;

    // A request says why; without a reason nothing is recorded.
    check_one_line_error(f.brankas({"user", "disable", "auditor1", "--rekey"}), 2, "an action under dual control needs a reason");
    // A disable without the re-key is not held back.
    const std::string id = v.ask_rekey("auditor1", "masa tugas selesai");
    CHECK(v.status_of("auditor1") == "active");

    Outcome waiting = v.by_admin2({"approvals"});
    CHECK(waiting.out.find("\n" + id + " ") != std::string::npos);
    CHECK(waiting.out.find(" pending  admin  disabling auditor1 with a new store key  masa tugas selesai  0/1 ") != std::string::npos);
    Outcome listed = v.by_admin2({"--json", "approvals"});
    CHECK(listed.out.find("\"for\": \"rekey\"") != std::string::npos);
    CHECK(listed.out.find("\"person\": \"auditor1\"") != std::string::npos);

    check_one_line_error(f.brankas({"approve", id, "--reason", "saya sendiri"}), 10,
                         "nobody approves or rejects their own request: request " + id + " is admin's");
    check_one_line_error(f.brankas({"user", "disable", "auditor1", "--rekey", "--request", id}), 10,
                         "request " + id + " has 0 of the 1 approval(s) the policy needs");

    // policy explain names where the request stands, for the step it asks for.
    Outcome waiting_explained = f.brankas({"policy", "explain", "--as", "admin", "--action", "manage_people", "--request", id});
    CHECK_MESSAGE(waiting_explained.exit_code == 0, waiting_explained.err);
    CHECK(waiting_explained.out.find("request " + id + " has 0 of the 1 approval(s) the policy needs") != std::string::npos);

    Outcome approved = v.by_admin2({"approve", id, "--reason", "sesuai berita acara"});
    CHECK_MESSAGE(approved.exit_code == 0, approved.err);
    CHECK(approved.out.starts_with("Approved request " + id + " (admin: disabling auditor1 with a new store key), 1 of 1 approval.\n"));
    CHECK(approved.out.find("`brankas user disable auditor1 --rekey --request " + id + "`.\n") != std::string::npos);

    Outcome explained = f.brankas({"policy", "explain", "--as", "admin", "--action", "manage_people", "--request", id});
    CHECK(explained.out.find("request " + id + " was approved by admin2, valid until ") != std::string::npos);
    Outcome elsewhere = f.brankas({"policy", "explain", "--as", "admin", "--action", "set_policy", "--request", id});
    CHECK(elsewhere.out.find("request " + id + " asked for something else: the action must match its request exactly") != std::string::npos);

    // Exactly what was asked: the person, the re-key, the reason; by the requester.
    const std::string other = "request " + id + " asked for something else: the action must match its request exactly";
    check_one_line_error(f.brankas({"user", "disable", "auditor2", "--rekey", "--request", id}), 10, other);
    check_one_line_error(f.brankas({"user", "disable", "auditor1", "--rekey", "--request", id, "--reason", "lain"}), 10, other);
    check_one_line_error(f.brankas({"user", "disable", "auditor1", "--request", id}), 2, "--request goes with --rekey");
    check_one_line_error(v.by_admin2({"user", "disable", "auditor1", "--rekey", "--request", id}), 10,
                         "request " + id + " was made by admin: only they may use it");
    CHECK(v.status_of("auditor1") == "active");

    Outcome done = f.brankas({"user", "disable", "auditor1", "--rekey", "--request", id});
    CHECK_MESSAGE(done.exit_code == 0, done.err);
    CHECK(done.out.starts_with("Disabled auditor1: their slot is gone and their key signs nothing more.\n"
                               "Done by request " + id + ", approved under dual control (recorded in the audit log).\n"
                               "The store is now encrypted under a new key (generation 2); every remaining slot reaches it.\n"));
    CHECK(v.status_of("auditor1") == "disabled");
    // Used once: the person it names is gone, and the request with them.
    CHECK(f.brankas({"user", "disable", "auditor1", "--rekey", "--request", id}).exit_code != 0);
    Outcome all = v.by_admin2({"--json", "approvals", "--all"});
    CHECK(all.out.find("\"state\": \"used\"") != std::string::npos);

    Outcome log = f.brankas({"--json", "audit", "log", "--action", "user.disable"});
    CHECK(log.out.find("\"reason\":\"masa tugas selesai\",\"details\":{\"request\":" + id + ",") != std::string::npos);
    Outcome verify = v.by_admin2({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}

TEST_CASE("dual control: an expired or rejected re-key request is not used") {
    PeopleVault v;
    Fixture& f = v.f;
    const std::string id = v.ask_rekey("auditor2", "pindah tugas");
    SUBCASE("expired") {
        REQUIRE(v.by_admin2({"approve", id, "--reason", "ok"}).exit_code == 0);
        if (auto late = later(f, 31, 0, "admin", "", {"user", "disable", "auditor2", "--rekey", "--request", id}))
            check_one_line_error(*late, 10, "request " + id + " expired at ");
    }
    SUBCASE("rejected") {
        REQUIRE(v.by_admin2({"reject", id, "--reason", "belum ada surat"}).exit_code == 0);
        check_one_line_error(f.brankas({"user", "disable", "auditor2", "--rekey", "--request", id}), 10, "request " + id + " was rejected");
    }
    CHECK(v.status_of("auditor2") == "active");
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}

TEST_CASE("dual control: a recovery split runs once a second admin approved its request, for that shape only") {
    PeopleVault v;
    Fixture& f = v.f;
    const std::string first = (f.dir / "shares1").string(), second = (f.dir / "shares2").string(), third = (f.dir / "shares3").string();

    Outcome asked = f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", first, "--reason", "komisioner baru"});
    const std::string id = request_number(asked);
    CHECK(asked.out.find("then run `brankas recovery split --shares 3 --threshold 2 --out-dir DIR --request " + id + "`.\n") != std::string::npos);
    CHECK(asked.err == "brankas: error: a new recovery split needs a second person's approval: request " + id + " is recorded\n");
    CHECK((!std::filesystem::exists(first) || std::filesystem::is_empty(first)));

    check_one_line_error(f.brankas({"approve", id, "--reason", "saya sendiri"}), 10,
                         "nobody approves or rejects their own request: request " + id + " is admin's");
    Outcome approved = v.by_admin2({"approve", id, "--reason", "sesuai rapat pleno"});
    CHECK_MESSAGE(approved.exit_code == 0, approved.err);
    CHECK(approved.out.starts_with("Approved request " + id + " (admin: a new recovery split: any 2 of 3 shares), 1 of 1 approval.\n"));

    const std::string other = "request " + id + " asked for something else: the action must match its request exactly";
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "4", "--threshold", "2", "--out-dir", second, "--request", id}), 10, other);
    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "3", "--out-dir", second, "--request", id}), 10, other);

    // Where the files go is not part of what was approved.
    Outcome done = f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", second, "--request", id});
    CHECK_MESSAGE(done.exit_code == 0, done.err);
    CHECK(done.out.starts_with("Split the recovery key into 3 shares; any 2 of them recover the vault.\n"
                               "Done by request " + id + ", approved under dual control (recorded in the audit log).\n"));
    CHECK(std::distance(std::filesystem::directory_iterator(second), std::filesystem::directory_iterator{}) == 3);

    check_one_line_error(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", third, "--request", id}), 10,
                         "request " + id + " was used already: an approval is used once");
    // Without a request the next split waits again.
    const std::string next =
        request_number(f.brankas({"recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", third, "--reason", "lagi"}));
    if (auto late = later(f, 31, 0, "admin2", v.admin2, {"approve", next, "--reason", "telat"}))
        check_one_line_error(*late, 10, "request " + next + " expired at ");

    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.err << verify.out);
}
