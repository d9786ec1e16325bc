// End-to-end: what a district office notices in its first week (issue 19, items 3, 6 and 7):
// one clock for every time a person reads, a term's days as they were typed, a vault that
// another system user cannot take over, and the smaller things (handles with spaces, one
// platform spelling, break-glass marked in the log, a pending rotation, help on a group).
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <regex>

#include <sys/stat.h>
#include <unistd.h>

using namespace brankas::e2e;

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
    std::vector<std::string> argv{"/usr/sbin/runuser", "-u", owner, "--", BRANKAS_BINARY, "--vault", f.vault, "--user", "admin", "audit", "verify"};
    Outcome mine = run_program(argv, env);
    CHECK_MESSAGE(mine.exit_code == 0, mine.out << mine.err);
    argv = {"/usr/sbin/runuser", "-u", owner, "--", BRANKAS_BINARY, "--vault", f.vault, "--user", "admin", "unit", "list"};
    Outcome units = run_program(argv, env);
    CHECK(units.out.find("73.71.11") == std::string::npos);
    CHECK(units.out.find("73.71.10") != std::string::npos);
}

