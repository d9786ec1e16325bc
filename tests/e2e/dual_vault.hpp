// The set-up the dual-control tests share: a vault whose policy puts some actions under
// [dual_control] (approvers ["admin"], a 30-minute window), a second admin to approve, and the
// request number an action printed when it recorded a request instead of running.
#pragma once

#include "e2e/fixture.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brankas::e2e {

// `actions` is the TOML array's inside: "\"break_glass\"", "\"rekey\", \"recovery_split\"".
inline std::string dual_control_document(const std::string& actions) {
    return "[dual_control]\nactions = [" + actions + "]\napprovers = [\"admin\"]\nwindow = \"30m\"\n";
}

// Init, `before_policy` (units, accounts), a second admin, and a policy putting `actions` under
// dual control. The second admin's passphrase file is f.dir / "admin2.pass".
template <class Setup>
void make_two_admin_vault(Fixture& f, const std::string& actions, Setup&& before_policy) {
    f.init();
    before_policy(f);
    enroll(f, "admin2", {"--role", "admin"});
    write_file(f.dir / "dual.toml", dual_control_document(actions));
    Outcome set = f.brankas({"policy", "set", (f.dir / "dual.toml").string()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
}

// A fixture for such a vault; each test's type makes it, once per process (start_from).
struct TwoAdminVault {
    Fixture f;
    std::string admin2 = (f.dir / "admin2.pass").string();

    Outcome by_admin2(std::vector<std::string> args) { return as(f, "admin2", admin2, std::move(args)); }
};

// The number in "Request N waits for approval until ...", the first line of an action that
// recorded a request (exit code 18).
inline std::string request_number(const Outcome& asked) {
    INFO(asked.err);
    CHECK(asked.exit_code == 18);
    REQUIRE(asked.out.starts_with("Request "));
    CHECK(asked.out.find("waits for approval until ") != std::string::npos);
    return asked.out.substr(8, asked.out.find(' ', 8) - 8);
}

// "2026-12-04 22:15:00", `minutes` (and `seconds`) from now, in UTC (the fixture's TZ): faketime's
// start for a request that has expired.
inline std::string minutes_from_now(int minutes, int seconds = 0) {
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::minutes(minutes) +
                                                         std::chrono::seconds(seconds));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

// Runs brankas as `user` (with `pass_file`, or the fixture's own passphrase when empty) with the
// clock `minutes` (and `seconds`) ahead, under faketime; nullopt when faketime is not installed.
inline std::optional<Outcome> later(Fixture& f, int minutes, int seconds, const std::string& user, const std::string& pass_file,
                                    const std::vector<std::string>& args) {
    if (!std::filesystem::exists("/usr/bin/faketime")) {
        MESSAGE("faketime is not installed (scripts/install-deps.sh installs it); skipping");
        return std::nullopt;
    }
    Env env = f.env;
    env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"] + (env["ASAN_OPTIONS"].empty() ? "" : ":") + "verify_asan_link_order=0";
    if (!pass_file.empty()) env["BRANKAS_PASSPHRASE_FILE"] = pass_file;
    std::vector<std::string> all{"--vault", f.vault, "--user", user};
    all.insert(all.end(), args.begin(), args.end());
    return run(all, env, {"/usr/bin/faketime", minutes_from_now(minutes, seconds)});
}

} // namespace brankas::e2e
