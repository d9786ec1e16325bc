// What the end-to-end tests share: a temporary directory with a passphrase file and the
// environment a script would use, people enrolled through the real binary, and the checks
// that every failure is one clear line.
#pragma once

#include "e2e/run_binary.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace brankas::e2e {

using brankas::test::TempDir;

inline constexpr const char* passphrase = "kuda-lari-di-sawah-hijau-2029";
inline constexpr const char* institution = "Bawaslu Kabupaten Ponorogo";

// Private (0600), as a person keeps a file that holds a passphrase or a password: brankas warns
// about a passphrase file that others may read.
inline void write_file(const std::filesystem::path& p, const std::string& contents) {
    {
        std::ofstream out(p, std::ios::binary);
        out << contents;
    }
    std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A temporary directory with a passphrase file and the environment a script would use.
struct Fixture {
    TempDir dir;
    std::string vault = (dir / "v").string();
    Env env;
    // Set by clock_at: the hour the commands run in under faketime ("" for the real time), and
    // how many have run in it.
    std::string fake_hour;
    mutable int fake_commands = 0;

    Fixture() {
        write_file(dir / "pass.txt", std::string(passphrase) + "\n");
        env = {{"PATH", "/usr/bin:/bin"},
               {"TZ", "UTC"},
               {"BRANKAS_PASSPHRASE_FILE", (dir / "pass.txt").string()},
               {"BRANKAS_ALLOW_TEST_KDF", "1"}};
        // Under the sanitizer build, the binary must run with the same sanitizer settings.
        for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
            if (const char* v = std::getenv(name)) env[name] = v;
    }
    // Every command from here on runs under faketime in `hour` ("2029-03-01 03", UTC), not at
    // the real time. A test with dates of its own sets it before init: brankas refuses to write
    // with a clock earlier than the vault's last event, so a vault made at the real time would
    // refuse the test's dates once the real date has passed them. faketime starts each process
    // at the time it is given, so each command starts 5 seconds after the one before (a slow run
    // under ASan must not leave an event later than the next command's clock), and a later hour
    // at its beginning; hours only move forward.
    void clock_at(const std::string& hour) {
        if (hour != fake_hour) fake_commands = 0;
        fake_hour = hour;
    }
    Outcome brankas(std::vector<std::string> args, std::string user = "admin") const {
        std::vector<std::string> all{"--vault", vault, "--user", user};
        all.insert(all.end(), args.begin(), args.end());
        if (fake_hour.empty()) return run(all, env);
        const int seconds = 5 * fake_commands++;
        REQUIRE_MESSAGE(seconds < 3600, "more commands than the hour " << fake_hour << " holds");
        char minute_second[16];
        std::snprintf(minute_second, sizeof minute_second, ":%02d:%02d", seconds / 60 % 60, seconds % 60);
        Env faked = env;
        // faketime preloads its library ahead of ASan's runtime; tell ASan that is intended.
        faked["ASAN_OPTIONS"] = faked["ASAN_OPTIONS"] + (faked["ASAN_OPTIONS"].empty() ? "" : ":") + "verify_asan_link_order=0";
        return run(all, faked, {"/usr/bin/faketime", fake_hour + minute_second});
    }
    Outcome init() const {
        Outcome o = brankas({"init", "--institution", institution, "--kdf", "test"});
        REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        return o;
    }
};

// A failure as the issue demands: one error line (plus an optional hint), a documented code.
inline void check_one_line_error(const Outcome& o, int expected_code, const std::string& fragment) {
    INFO("stderr: " << o.err);
    CHECK(o.signal == 0);
    CHECK(o.exit_code == expected_code);
    CHECK(o.out.empty());
    REQUIRE(o.err.starts_with("brankas: error: "));
    CHECK(o.err.find(fragment) != std::string::npos);
    auto first_line_end = o.err.find('\n');
    std::string rest = o.err.substr(first_line_end + 1);
    CHECK((rest.empty() || (rest.starts_with("brankas: hint: ") && line_count(rest) == 1)));
}

inline void flip_byte(const std::filesystem::path& p, std::size_t offset) {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x5a));
}

// Adds a person and enrolls them with their own passphrase file; returns that file, f.dir / NAME.pass.
inline std::string enroll(Fixture& f, const std::string& name, const std::vector<std::string>& add_args) {
    std::vector<std::string> args{"--json", "user", "add", name, "--kdf", "test"};
    args.insert(args.end(), add_args.begin(), add_args.end());
    Outcome added = f.brankas(args);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto at = added.out.find("\"enrollment_code\": \"");
    REQUIRE(at != std::string::npos);
    write_file(f.dir / (name + ".code"), added.out.substr(at + 20, 24) + "\n");
    std::string pass_file = (f.dir / (name + ".pass")).string();
    write_file(pass_file, "kebun-teh-" + std::to_string(name.size() * 7919) + "-gunung-wilis-" + std::to_string(name.back() * 31) + "\n");
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = pass_file;
    Outcome enrolled = f.brankas({"user", "enroll", "--code-file", (f.dir / (name + ".code")).string(), "--kdf", "test"}, name);
    f.env = env;
    REQUIRE_MESSAGE(enrolled.exit_code == 0, enrolled.err);
    return pass_file;
}

inline Outcome as(Fixture& f, const std::string& user, const std::string& pass_file, std::vector<std::string> args) {
    Env env = f.env;
    f.env["BRANKAS_PASSPHRASE_FILE"] = pass_file;
    Outcome o = f.brankas(std::move(args), user);
    f.env = env;
    return o;
}

// ---- a starting state made once per test process ----
//
// doctest runs a TEST_CASE again from its top for each of its SUBCASEs, so a vault set up at the
// top through the binary (init, people enrolled, a policy, a request) was made again for each
// subcase: 5 to 12 commands each time, and a command of the sanitizer build costs 0.15 to 0.25 s
// of CPU, most of it the sanitizers' start-up and the leak scan at exit. start_from() makes it
// once per test process: the first call runs `make` on the fixture, then keeps a copy of its
// directory (the vault, the passphrase and code files, with their permissions) and the values
// `make` returned; each later call with the same key copies that directory into the new
// fixture's and hands back the same values. Each subcase so starts from the state it started
// from before, in its own copy (what one subcase changes, the next does not see), and what
// `make` asserts is asserted once per process. With it "dual control: what a request to set the
// policy does not allow" starts 29 commands instead of 61 (7.5 CPU-s instead of 14.4 under the
// sanitizers), the six tests that use it 147 instead of 285. A test about init, enrolment or the
// set-up itself keeps doing it through the binary, in the test.
using Values = std::map<std::string, std::string>;

// Copies the files and directories under `from` into `to`, each with its permissions; anything
// else (a FIFO, a link) is not part of a starting state.
inline void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
    namespace fs = std::filesystem;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(from)) {
        const fs::path target = to / fs::relative(e.path(), from);
        if (e.is_directory()) {
            fs::create_directory(target);
            fs::permissions(target, e.status().permissions());
        } else {
            REQUIRE_MESSAGE(e.is_regular_file(), e.path() << " is neither a file nor a directory");
            // copy_file gives the copy the source's permissions.
            fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
        }
    }
}

inline Values start_from(Fixture& f, const std::string& key, const std::function<Values(Fixture&)>& make) {
    struct Snapshot {
        std::unique_ptr<TempDir> dir;
        Values values;
    };
    static std::map<std::string, Snapshot> made;
    if (auto it = made.find(key); it != made.end()) {
        copy_tree(it->second.dir->path(), f.dir.path());
        return it->second.values;
    }
    Values values = make(f);
    Snapshot kept{std::make_unique<TempDir>(), values};
    copy_tree(f.dir.path(), kept.dir->path());
    made.emplace(key, std::move(kept));
    return values;
}

} // namespace brankas::e2e
