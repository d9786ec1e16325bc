// End-to-end: what a district office notices in its first week (issue 19), through the real
// binary on a real vault.
//
// Items 3, 6 and 7: one clock for every time a person reads, a term's days as they were typed,
// a vault that another system user cannot take over, and the smaller things (handles with
// spaces, one platform spelling, break-glass marked in the log, a pending rotation, help on a
// group).
//
// Items 1, 4 and 5: a held check-out is exclusive (for `secret show`, `totp` and `checkout`
// alike), a reveal outside every term needs break-glass and is flagged, a rotation records its
// reason, forbid rules name sub-districts and people, and a custodian sees only their own
// sub-districts.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>

#include <sys/stat.h>
#include <unistd.h>

using namespace brankas::e2e;

namespace {

// Runs brankas as f.brankas does, in the hour `hour` ("2030-01-20 03", UTC): see
// Fixture::clock_at.
Outcome as_admin_at(Fixture& f, const std::string& hour, std::vector<std::string> args, const std::string& user = "admin") {
    f.clock_at(hour);
    return f.brankas(std::move(args), user);
}

// The line of `text` that starts with `prefix` ("" when none does).
std::string line_starting(const std::string& text, const std::string& prefix) {
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        if (text.compare(at, prefix.size(), prefix) == 0) return text.substr(at, end - at);
        at = end + 1;
    }
    return {};
}

// Every "YYYY-MM-DD HH:MM" a person reads is followed by the zone's name, never an offset.
void check_times_read_in(const std::string& text, const std::string& zone) {
    INFO("output: " << text);
    static const std::regex time(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?( [A-Z]+)?)");
    std::size_t seen = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), time); it != std::sregex_iterator(); ++it, ++seen)
        CHECK((*it)[2].str() == " " + zone);
    CHECK(seen > 0);
    CHECK(text.find("+0000") == std::string::npos);
}

} // namespace

TEST_CASE("every time a person reads is in the policy's zone, before and after the zone changes") {
    Fixture f; // TZ=UTC: the machine's zone must show nowhere
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "instagram", "--handle", "panwascam.rappocini",
                       "--generate"}).exit_code == 0);
    std::string backup = (f.dir / "v.bak").string();

    for (const std::string zone : {"WIB", "WITA"}) {
        CAPTURE(zone);
        if (zone == "WITA") {
            write_file(f.dir / "wita.toml", "[vault]\ntime_zone = \"WITA\"\n");
            Outcome set = f.brankas({"policy", "set", (f.dir / "wita.toml").string()});
            REQUIRE_MESSAGE(set.exit_code == 0, set.err);
        }
        Outcome status = f.brankas({"status"});
        REQUIRE_MESSAGE(status.exit_code == 0, status.err);
        check_times_read_in(line_starting(status.out, "Log "), zone);
        Outcome history = f.brankas({"secret", "history", "instagram/panwascam.rappocini"});
        REQUIRE_MESSAGE(history.exit_code == 0, history.err);
        check_times_read_in(history.out, zone);
        Outcome show = f.brankas({"account", "show", "instagram/panwascam.rappocini"});
        REQUIRE_MESSAGE(show.exit_code == 0, show.err);
        check_times_read_in(line_starting(show.out, "Added") + "\n" + line_starting(show.out, "Last changed"), zone);
        Outcome added = f.brankas({"user", "add", "auditor" + std::string(zone == "WIB" ? "1" : "2"), "--role", "auditor", "--kdf", "test"});
        REQUIRE_MESSAGE(added.exit_code == 0, added.err);
        check_times_read_in(line_starting(added.out, "Added"), zone);
        Outcome users = f.brankas({"user", "list"});
        check_times_read_in(line_starting(users.out, "auditor1"), zone);

        std::filesystem::remove(backup);
        Outcome taken = f.brankas({"backup", "create", backup});
        REQUIRE_MESSAGE(taken.exit_code == 0, taken.err);
        Outcome verified = f.brankas({"backup", "verify", backup});
        REQUIRE_MESSAGE(verified.exit_code == 0, verified.err);
        check_times_read_in(line_starting(verified.out, "Taken"), zone);
        // Machine output keeps ISO 8601 with its offset.
        CHECK(f.brankas({"--json", "status"}).out.find("Z\"") != std::string::npos);
    }
    // The CSV's details read as ISO 8601 in the zone (here a check-out's end), not microseconds.
    REQUIRE(f.brankas({"checkout", "instagram/panwascam.rappocini", "--reason", "unggah", "--break-glass"}).exit_code == 0);
    Outcome csv = f.brankas({"audit", "log", "--csv", "--action", "checkout"});
    REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
    INFO(csv.out);
    CHECK(std::regex_search(csv.out, std::regex(R"(""until_us"":""\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00"")")));
    CHECK_FALSE(std::regex_search(csv.out, std::regex(R"(_us"":\d)")));
    // JSON keeps the signed integers for programs.
    CHECK(std::regex_search(f.brankas({"--json", "audit", "log", "--action", "checkout"}).out, std::regex(R"("until_us": ?\d+)")));
}

TEST_CASE("a term's days stay the days that were typed when the zone changes later") {
    Fixture f;
    // Before every term below, whatever the real date; at the real time without faketime.
    if (std::filesystem::exists("/usr/bin/faketime")) f.clock_at("2029-01-10 03");
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2029", "--start", "2029-01-15", "--end", "2031-12-31"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pilkada 2029", "--start", "2029-03-01", "--end", "2029-06-30"}).exit_code == 0);
    Outcome before = f.brankas({"term", "list"});
    REQUIRE_MESSAGE(before.exit_code == 0, before.err);
    CHECK(before.out.find("Pemilu 2029   2029-01-15  2031-12-31") != std::string::npos);
    CHECK(before.out.find("Pilkada 2029  2029-03-01  2029-06-30") != std::string::npos);

    write_file(f.dir / "wita.toml", "[vault]\ntime_zone = \"WITA\"\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "wita.toml").string()}).exit_code == 0);
    Outcome after = f.brankas({"term", "list"});
    CHECK(after.out == before.out);
    // A term added under WITA keeps its own days, and so does a term extended under WITA.
    REQUIRE(f.brankas({"term", "add", "Pilkada ulang", "--start", "2029-08-01", "--end", "2029-08-31"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "extend", "Pilkada 2029", "--end", "2029-07-31"}).exit_code == 0);
    write_file(f.dir / "wit.toml", "[vault]\ntime_zone = \"WIT\"\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "wit.toml").string()}).exit_code == 0);
    Outcome wit = f.brankas({"term", "list"});
    INFO(wit.out);
    CHECK(wit.out.find("Pemilu 2029    2029-01-15  2031-12-31") != std::string::npos);
    CHECK(wit.out.find("Pilkada 2029   2029-03-01  2029-07-31") != std::string::npos);
    CHECK(wit.out.find("Pilkada ulang  2029-08-01  2029-08-31") != std::string::npos);
    // What the engine is told is what was typed: explain names the same last day.
    REQUIRE(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "tiktok", "--handle", "panwascam.rappocini",
                       "--generate"}).exit_code == 0);
    Outcome explain = f.brankas({"policy", "explain", "--as", "admin", "--action", "checkout", "--account", "tiktok/panwascam.rappocini",
                                 "--at", "2030-02-01"});
    CHECK_MESSAGE(explain.out.find("last day 2031-12-31") != std::string::npos, explain.out);
}

TEST_CASE("a command run by another system user than the vault's owner changes nothing and names the owner") {
    if (geteuid() != 0) {
        MESSAGE("not running as root: cannot create a second system user to own a vault; skipping");
        return;
    }
    const std::string owner = "brnk" + std::to_string(getpid() % 100000);
    REQUIRE(run_program({"/usr/sbin/useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", owner}, {{"PATH", "/usr/bin:/bin"}})
                .exit_code == 0);
    struct RemoveUser {
        std::string name;
        ~RemoveUser() { run_program({"/usr/sbin/userdel", name}, {{"PATH", "/usr/bin:/bin"}}); }
    } remove_user{owner};

    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    // The vault (and the fixture's directory) now belong to the owner, as if they had made it.
    REQUIRE(run_program({"/bin/chown", "-R", owner + ":", f.dir.path().string()}, {{"PATH", "/usr/bin:/bin"}}).exit_code == 0);
    auto uid_of = [](const std::filesystem::path& p) {
        struct stat st {};
        REQUIRE(::stat(p.c_str(), &st) == 0);
        return st.st_uid;
    };
    const auto owner_uid = uid_of(f.vault);
    auto listing = [&] {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(f.vault)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    };
    const auto files_before = listing();
    write_file(f.dir / "new.txt", "padi-menguning-di-sawah-2029\n");

    for (std::vector<std::string> args : {std::vector<std::string>{"status"}, {"unit", "add", "73.71.11", "Tamalate"},
                                          {"user", "passwd", "--kdf", "test", "--new-passphrase-file", (f.dir / "new.txt").string()}, {"audit", "verify"}}) {
        CAPTURE(args.front());
        Outcome o = f.brankas(args);
        check_one_line_error(o, 10, "belongs to the system user '" + owner + "', not to 'root'");
        CHECK(o.err.find("sudo -u " + owner) != std::string::npos);
    }
    CHECK(listing() == files_before);
    for (const auto& e : std::filesystem::directory_iterator(f.vault)) {
        CAPTURE(e.path());
        CHECK(uid_of(e.path()) == owner_uid);
    }

    // The owner still opens it, and nothing was recorded by the refused commands.
    Env env = f.env;
    std::vector<std::string> argv{"/usr/sbin/runuser", "-u", owner, "--", brankas_binary(), "--vault", f.vault, "--user", "admin", "audit", "verify"};
    Outcome mine = run_program(argv, env);
    CHECK_MESSAGE(mine.exit_code == 0, mine.out << mine.err);
    argv = {"/usr/sbin/runuser", "-u", owner, "--", brankas_binary(), "--vault", f.vault, "--user", "admin", "unit", "list"};
    Outcome units = run_program(argv, env);
    CHECK(units.out.find("73.71.11") == std::string::npos);
    CHECK(units.out.find("73.71.10") != std::string::npos);
}

TEST_CASE("handles with spaces where the platform allows them, and one spelling of a platform everywhere") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    Outcome yt = f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "YouTube", "--handle", "Panwascam Rappocini", "--generate"});
    CHECK_MESSAGE(yt.exit_code == 0, yt.err);
    CHECK(yt.out.starts_with("Added account 1: youtube/panwascam rappocini in sub-district 73.71.10\n"));
    Outcome shown = f.brankas({"account", "show", "YT/Panwascam Rappocini"});
    CHECK_MESSAGE(shown.exit_code == 0, shown.err);
    CHECK(shown.out.find("1, youtube/panwascam rappocini") != std::string::npos);
    CHECK(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "Facebook", "--handle", "Panwascam Kecamatan Rappocini",
                     "--generate"}).exit_code == 0);

    // Instagram, X and TikTok names have no spaces; nowhere a name starts or ends with one or doubles one.
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "instagram", "--handle", "panwascam rappocini"}),
                         2, "is not a handle on instagram");
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "tiktok", "--handle", "a b"}), 2,
                         "is not a handle on tiktok");
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "youtube", "--handle", "Panwascam  Rappocini"}),
                         2, "is not a handle on youtube");
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "youtube", "--handle", " Rappocini"}), 2,
                         "is not a handle on youtube");

    // --platform reads as import reads the platform column: Instagram, IG, insta are one.
    Outcome ig = f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "Instagram", "--handle", "panwascam.rappocini", "--generate"});
    CHECK_MESSAGE(ig.exit_code == 0, ig.err);
    CHECK(ig.out.starts_with("Added account 3: instagram/panwascam.rappocini"));
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "IG", "--handle", "panwascam.rappocini"}), 17,
                         "instagram/panwascam.rappocini already exists");
    CHECK(f.brankas({"account", "show", "IG/panwascam.rappocini"}).exit_code == 0);
    Outcome edited = f.brankas({"account", "edit", "3", "--platform", "Threads"});
    CHECK_MESSAGE(edited.exit_code == 0, edited.err);
    CHECK(f.brankas({"account", "show", "threads/panwascam.rappocini"}).exit_code == 0);
    check_one_line_error(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "myspace", "--handle", "x"}), 2,
                         "unknown platform 'myspace'");

    // The import reads the same rule: the YouTube name with a space is taken.
    write_file(f.dir / "akun.csv", "kode,platform,username,password\n73.71.10,YT,Panwaslu Rappocini,kuda-lari-di-sawah-2029\n");
    Outcome imported = f.brankas({"import", "csv", (f.dir / "akun.csv").string()});
    CHECK_MESSAGE(imported.exit_code == 0, imported.out << imported.err);
    CHECK(f.brankas({"account", "show", "youtube/panwaslu rappocini"}).exit_code == 0);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("the audit log marks break-glass rows, and account list says a rotation is pending") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "instagram", "--handle", "panwascam.rappocini",
                       "--generate"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "tiktok", "--handle", "panwascam.rappocini",
                       "--generate"}).exit_code == 0);
    // No term covers the unit: only break-glass takes it.
    Outcome taken = f.brankas({"checkout", "instagram/panwascam.rappocini", "--reason", "akun diretas", "--break-glass"});
    REQUIRE_MESSAGE(taken.exit_code == 0, taken.err);
    REQUIRE(f.brankas({"checkin", "instagram/panwascam.rappocini"}).exit_code == 0);
    Outcome log = f.brankas({"audit", "log"});
    INFO(log.out);
    CHECK(std::regex_search(log.out, std::regex(R"(admin +checkout BREAK-GLASS +account/1 +akun diretas\n)")));
    CHECK(std::regex_search(log.out, std::regex(R"(admin +checkin +account/1\n)")));
    CHECK(log.out.find("checkin BREAK-GLASS") == std::string::npos);

    CHECK(f.brankas({"rotate", "tiktok/panwascam.rappocini", "--reason", "sandi lama bocor"}).exit_code == 0);
    Outcome list = f.brankas({"account", "list"});
    INFO(list.out);
    CHECK(std::regex_search(list.out, std::regex(R"(tiktok/panwascam\.rappocini +active +pending +v1)")));
    CHECK(std::regex_search(list.out, std::regex(R"(instagram/panwascam\.rappocini +active +(due|-) +v1)")));
    CHECK(f.brankas({"--json", "account", "list"}).out.find("\"rotation_pending\": true") != std::string::npos);
    Outcome show = f.brankas({"account", "show", "tiktok/panwascam.rappocini"});
    CHECK(show.out.find("new password pending") != std::string::npos);
    CHECK(f.brankas({"rotate", "tiktok/panwascam.rappocini", "--confirm"}).exit_code == 0);
    CHECK(f.brankas({"account", "list"}).out.find("pending") == std::string::npos);
}

TEST_CASE("the checklist's new password cannot be ticked while the new password is pending") {
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return;
    }
    Fixture f;
    f.clock_at("2029-01-10 03"); // the set-up too, before the term, whatever the real date
    f.init();
    REQUIRE(f.brankas({"unit", "add", "73.71.10", "Rappocini"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "add", "--unit", "73.71.10", "--platform", "instagram", "--handle", "panwascam.rappocini",
                       "--generate"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pilkada 2029", "--start", "2029-01-15", "--end", "2029-12-31"}).exit_code == 0);
    std::string key_file = (f.dir / "enforcer.key").string();
    REQUIRE(f.brankas({"enforcer", "add", "enforcer", "--keyfile", key_file}).exit_code == 0);
    const std::string after = "2030-01-20 03";
    Outcome enforced = as_admin_at(f, after, {"--keyfile", key_file, "enforce"}, "enforcer");
    REQUIRE_MESSAGE(enforced.exit_code == 0, enforced.err);

    // The enforcer sealed a new password: pending until someone sets it on the platform.
    Outcome list = as_admin_at(f, after, {"account", "list"});
    CHECK(std::regex_search(list.out, std::regex(R"(instagram/panwascam\.rappocini +deactivated +pending)")));
    Outcome early = as_admin_at(f, after, {"account", "checklist", "instagram/panwascam.rappocini", "--done", "new-password"});
    check_one_line_error(early, 17, "the new password is still pending");
    CHECK(early.err.find("rotate REF --confirm") != std::string::npos);
    CHECK(as_admin_at(f, after, {"account", "checklist", "instagram/panwascam.rappocini"}).out.find("[ ] new-password") != std::string::npos);

    Outcome confirmed = as_admin_at(f, after, {"rotate", "instagram/panwascam.rappocini", "--confirm"});
    REQUIRE_MESSAGE(confirmed.exit_code == 0, confirmed.err);
    Outcome ticked = as_admin_at(f, after, {"account", "checklist", "instagram/panwascam.rappocini", "--done", "new-password"});
    CHECK_MESSAGE(ticked.exit_code == 0, ticked.err);
    CHECK(ticked.out.find("[x] new-password") != std::string::npos);
    Outcome verify = as_admin_at(f, after, {"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("help on a command group lists its subcommands, and `brankas help` is --help") {
    Fixture f;
    Outcome group = run({"unit", "--help"}, f.env);
    CHECK(group.exit_code == 0);
    CHECK(group.err.empty());
    CHECK(group.out.starts_with("Usage: brankas [global options] unit <subcommand> [options]\n\nSubcommands:\n"));
    CHECK(group.out.find("  unit add ") != std::string::npos);
    CHECK(group.out.find("  unit list ") != std::string::npos);
    CHECK(group.out.find("  user add") == std::string::npos);
    CHECK(run({"help", "unit"}, f.env).out == group.out);

    Outcome command = run({"checkout", "--help"}, f.env);
    CHECK(command.exit_code == 0);
    CHECK(command.out.find("--break-glass") != std::string::npos);
    CHECK(run({"help", "checkout"}, f.env).out == command.out);
    CHECK(run({"help", "audit", "log"}, f.env).out == run({"audit", "log", "--help"}, f.env).out);
    Outcome all = run({"help"}, f.env);
    CHECK(all.exit_code == 0);
    CHECK(all.out == run({"--help"}, f.env).out);

    // Without --help a group still needs its subcommand; an unknown command stays unknown.
    check_one_line_error(run({"unit"}, f.env), 2, "'unit' needs a subcommand");
    CHECK(run({"unit"}, f.env).err.find("`brankas unit --help` lists its subcommands") != std::string::npos);
    check_one_line_error(run({"help", "frobnicate"}, f.env), 2, "unknown command 'frobnicate'");

    // In Indonesian.
    Env id = f.env;
    id["LANG"] = "C.UTF-8";
    id["LANGUAGE"] = "id";
    Outcome indonesian = run({"unit", "--help"}, id);
    CHECK_MESSAGE(indonesian.out.find("Subperintah:") != std::string::npos, indonesian.out << indonesian.err);
}

// ---- Items 1, 4 and 5: the rules the engine decides, and what a custodian sees ----

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

TEST_CASE("an admin's reveal outside every term needs break-glass and is flagged, and a reason of spaces is refused") {
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

TEST_CASE("policy set keeps a forbid rule naming someone or a sub-district the vault lacks, and says it reaches nobody") {
    District d;
    write_file(d.f.dir / "typo.toml", "[[forbid]]\naction = \"checkout\"\npeople = [\"operator1\", \"opertor1\"]\n\n"
                                      "[[forbid]]\nrole = \"custodian\"\naction = \"read_secret\"\nunits = [\"35.02.01\", \"35.02.09\"]\n\n"
                                      "[[forbid]]\nrole = \"auditor\"\naction = \"read_unit\"\npeople = [\"operator1\", \"auditor1\"]\n");
    Outcome set = d.admin({"policy", "set", (d.f.dir / "typo.toml").string()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    CHECK(has(set.out, "is in force"));
    CHECK(has(set.err, "brankas: warning: the [[forbid]] rule on line 1 names 'opertor1', who is not a user of this vault: it forbids "
                       "them nothing until someone of that name is added\n"));
    CHECK(has(set.err, "brankas: warning: the [[forbid]] rule on line 5 names sub-district 35.02.09, which is not in this vault: it "
                       "forbids nothing there until that sub-district is added\n"));
    CHECK(has(set.err, "brankas: warning: the [[forbid]] rule on line 10 is for another role, but names 'operator1', who has the role "
                       "custodian: it forbids them nothing while they have it\n"));
    // The names that fit get no word, and the rules are in force as written.
    CHECK_FALSE(has(set.err, "'operator1', who is not"));
    CHECK_FALSE(has(set.err, "35.02.01"));
    CHECK_FALSE(has(set.err, "auditor1"));
    check_one_line_error(d.custodian({"checkout", ponorogo, "--reason", "unggah"}), 10,
                         "the policy forbids operator1 or opertor1 to check passwords out (line 1)");
    CHECK(has(d.admin({"policy", "show"}).out, "people = [\"operator1\", \"opertor1\"]\n"));
    // In Indonesian too, and a document whose names all fit says nothing more.
    Env id = d.f.env;
    id["LANG"] = "C.UTF-8";
    id["LANGUAGE"] = "id";
    Outcome again = run({"--vault", d.f.vault, "--user", "admin", "policy", "set", (d.f.dir / "typo.toml").string()}, id);
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(has(again.err, "opertor1"));
    CHECK_FALSE(has(again.err, "who is not a user"));
    d.set_policy("[[forbid]]\naction = \"checkout\"\npeople = [\"operator1\"]\n");
    Outcome clean = d.admin({"policy", "set", (d.f.dir / "policy.toml").string()});
    CHECK(clean.exit_code == 0);
    CHECK(clean.err.empty());
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
