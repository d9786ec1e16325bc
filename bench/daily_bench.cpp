// brankas_daily_bench: the commands an office runs every day, whole, on a national-size vault
// (7,300 sub-districts, 30,000 accounts, a long log) beside a 10-account one, each next to a
// floor measured in the same run:
//   - status: at most 100 ms;
//   - account list: at most 60 ms; its floor is the store opened in-process and every row of
//     `accounts` read in rowid order (what no listing can beat);
//   - the listings (account list --json, unit list, checkouts, audit log --jsonl, report
//     access --jsonl): peak memory (the command's maximum resident set) within 32 MiB of what
//     the KDF takes, whatever the number of rows;
//   - secret show, checkout, checkin, secret set: within 1.5x of the floor (the same store
//     opened in-process with the session's keys, the account selected, its password unsealed
//     and one signed, fsynced event: reveal_secret) plus `brankas --version` (a process that
//     starts and exits), and flat from the small vault to the large one.
// It prints figures, ratios and PASS/MISS; it asserts nothing about time. Exit 0 unless
// something failed.
//
//   brankas_daily_bench [--brankas PATH] [--runs N] [--units N] [--accounts N] [--log-rounds N]
//                       [--dir DIR] [--keep]
#include "checked.hpp"
#include "command_run.hpp"
#include "samples.hpp"
#include "vault_builder.hpp"
#include "work_dir.hpp"

#include "vault/accounts/accounts.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/vault.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace brankas::bench {

namespace {

struct Options {
    fs::path brankas = BRANKAS_BINARY;
    std::size_t runs = 11;
    int units = 7300, accounts = 30000, log_rounds = 10000;
    std::optional<fs::path> parent;
    bool keep = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "brankas_daily_bench: " << message << "\n"
              << "usage: brankas_daily_bench [--brankas PATH] [--runs N] [--units N] [--accounts N] [--log-rounds N] [--dir DIR] [--keep]\n";
    std::exit(2);
}

int positive(const std::string& option, const std::string& text) {
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || v < 1 || v > 1'000'000) usage_error(option + " needs a positive number");
    return static_cast<int>(v);
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--brankas") o.brankas = value();
        else if (arg == "--runs") o.runs = static_cast<std::size_t>(positive(arg, value()));
        else if (arg == "--units") o.units = positive(arg, value());
        else if (arg == "--accounts") o.accounts = positive(arg, value());
        else if (arg == "--log-rounds") o.log_rounds = positive(arg, value());
        else if (arg == "--dir") o.parent = value();
        else if (arg == "--keep") o.keep = true;
        else usage_error("unknown argument '" + arg + "'");
    }
    if (o.units > 9000) usage_error("--units: the region codes of this bench go up to 9,000 sub-districts");
    return o;
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five;
    in >> one >> five;
    return one.empty() ? "unknown" : one + " (1 min), " + five + " (5 min)";
}

std::string fixed(double v, int decimals, std::string_view unit = "") {
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << v << unit;
    return s.str();
}
std::string ms(double v) { return fixed(v, v < 100 ? 1 : 0, " ms"); }
std::string mib(double kib) { return fixed(kib / 1024.0, 1, " MiB"); }
std::string verdict(bool met) { return met ? "PASS" : "MISS"; }

PassphraseSource admin_passphrase_source() {
    return [] { return Result<SecretBytes>(SecretBytes::copy_of(as_bytes(admin_passphrase))); };
}

// ---- whole commands ----

struct Samples {
    std::vector<double> wall, peak_kib;
};

struct Timed {
    Figures wall;
    double peak_kib = 0; // the largest of the runs
};

Timed timed_of(const Samples& s) { return {figures_of(s.wall), s.peak_kib.empty() ? 0 : *std::max_element(s.peak_kib.begin(), s.peak_kib.end())}; }

class Binary {
public:
    Binary(fs::path program, fs::path scratch, fs::path passphrase_file)
        : program_(std::move(program)), stderr_file_(std::move(scratch) / "stderr"), passphrase_file_(std::move(passphrase_file)) {}

    CommandRun run_as_admin(const BuiltVault& v, const std::vector<std::string>& command) const {
        std::vector<std::string> argv{program_.string(), "--vault", v.dir.string(), "--user", std::string(admin_name), "--passphrase-file",
                                      passphrase_file_.string()};
        argv.insert(argv.end(), command.begin(), command.end());
        return checked_run(argv);
    }
    CommandRun run_bare(const std::vector<std::string>& command) const {
        std::vector<std::string> argv{program_.string()};
        argv.insert(argv.end(), command.begin(), command.end());
        return checked_run(argv);
    }

private:
    CommandRun checked_run(const std::vector<std::string>& argv) const {
        // The test KDF is refused unless the environment allows it.
        CommandRun r = run_command(argv, {"BRANKAS_ALLOW_TEST_KDF=1"}, stderr_file_);
        if (r.exit_code != 0) {
            std::string line;
            for (std::size_t i = 1; i < argv.size(); ++i) line += " " + argv[i];
            throw BenchFailure("`brankas" + line + "` exited with " + std::to_string(r.exit_code) + ":\n" + r.err);
        }
        return r;
    }
    fs::path program_, stderr_file_, passphrase_file_;
};

struct Command {
    std::string name;
    std::vector<std::string> args;
};

std::vector<Command> daily_commands(const BuiltVault& v) {
    return {
        {"status", {"status"}},
        {"account list", {"account", "list"}},
        {"account list --json", {"--json", "account", "list"}},
        {"unit list", {"unit", "list"}},
        {"checkouts --all", {"checkouts", "--all"}},
        {"audit log --jsonl", {"audit", "log", "--jsonl"}},
        {"report access --csv", {"report", "access", "--csv"}},
        {"secret show", {"secret", "show", v.checkout_ref, "--reason", "bench"}},
        {"checkout", {"checkout", v.checkout_ref, "--reason", "bench", "--for", "1m"}},
        {"checkin", {"checkin", v.checkout_ref}},
    };
}

// Small and large alternate, so a slow patch of the machine falls on both alike.
std::map<std::string, std::pair<Timed, Timed>> time_commands(const Binary& brankas, const BuiltVault& small, const BuiltVault& large,
                                                             std::size_t runs, Samples& start, std::ostream& progress) {
    std::map<std::string, std::pair<Samples, Samples>> samples;
    constexpr std::size_t warm_up = 1;
    for (std::size_t r = 0; r < warm_up + runs; ++r) {
        for (const BuiltVault* v : {&small, &large}) {
            for (const Command& c : daily_commands(*v)) {
                CommandRun run = brankas.run_as_admin(*v, c.args);
                if (r < warm_up) continue;
                Samples& into = v == &small ? samples[c.name].first : samples[c.name].second;
                into.wall.push_back(run.milliseconds);
                into.peak_kib.push_back(run.peak_kib);
            }
        }
        CommandRun bare = brankas.run_bare({"--version"});
        if (r >= warm_up) {
            start.wall.push_back(bare.milliseconds);
            start.peak_kib.push_back(bare.peak_kib);
        }
        progress << "  round " << r + 1 << '/' << warm_up + runs << '\n' << std::flush;
    }
    std::map<std::string, std::pair<Timed, Timed>> out;
    for (const auto& [name, pair] : samples) out[name] = {timed_of(pair.first), timed_of(pair.second)};
    return out;
}

// ---- floors, in-process ----

struct Floors {
    Figures open;          // Vault::open with the test KDF, the schema checked
    Figures rowid_scan;    // every row of accounts, in rowid order, after the open
    Figures reveal;        // reveal_secret: select, unseal, one signed fsynced event
    double open_peak_kib = 0;
};

Floors time_floors(const BuiltVault& v, std::size_t runs) {
    SystemClock now;
    std::vector<double> open_ms, scan_ms, reveal_ms;
    for (std::size_t r = 0; r < runs; ++r) {
        Stopwatch opening;
        Session s = checked(Vault::open(v.dir, admin_name, admin_passphrase_source(), now), "opening the vault");
        open_ms.push_back(opening.milliseconds());
        AccountInfo a = checked(find_account(s, v.checkout_ref), "finding the account");
        Stopwatch scanning;
        Statement rows = checked(s.db().prepare("SELECT id, unit, platform, handle, email, phone, url, status, rotation_due, version, "
                                                "updated_by FROM accounts"),
                                 "preparing the scan");
        std::size_t bytes = 0;
        while (checked(rows.step(), "scanning accounts")) bytes += rows.column_text(1).size() + rows.column_text(3).size();
        scan_ms.push_back(scanning.milliseconds());
        if (bytes == 0) throw BenchFailure("the scan read nothing");
        Stopwatch revealing;
        (void)checked(reveal_secret(s, a.id, "bench floor", SecretPart::password), "revealing in-process");
        reveal_ms.push_back(revealing.milliseconds());
    }
    return {figures_of(open_ms), figures_of(scan_ms), figures_of(reveal_ms), 0};
}

// ---- the report ----

void row(std::ostream& out, std::string_view what, const std::string& small, const std::string& large, const std::string& floor = "",
         const std::string& ratio = "", const std::string& target = "", const std::string& result = "") {
    out << "  " << std::left << std::setw(30) << what << std::right << std::setw(10) << small << std::setw(10) << large << std::setw(11)
        << floor << std::setw(8) << ratio << "   " << std::left << std::setw(14) << target << result << '\n';
}

} // namespace

int run(int argc, char** argv) {
    Options options = parse_options(argc, argv);
    checked(initialize_crypto(), "initializing libsodium");
    if (!fs::exists(options.brankas)) throw BenchFailure("no brankas binary at " + options.brankas.string() + " (use --brankas PATH)");
    std::ostream& out = std::cout;
    WorkDir work(options.parent.value_or(fs::temp_directory_path()), "brankas-daily", options.keep);
    out << "== Brankas daily-commands bench\n"
        << "binary:    " << options.brankas.string() << "\n"
        << "work dir:  " << work.path().string() << (options.keep ? " (kept)" : "") << "\n"
        << "runs:      " << options.runs << " per figure, after 1 warm-up round\n"
        << "load:      " << load_average() << "\n";
    const fs::path passphrase_file = work.path() / "admin.passphrase";
    write_private_file(passphrase_file, std::string(admin_passphrase) + "\n");

    const std::int64_t real_now = SystemClock().now_us();
    const std::int64_t build_start = real_now - 24 * policy::hour_us;
    out << "\n== building the vaults (vault API, test KDF)\n" << std::flush;
    BuiltVault small = build_vault(work.path() / "small", {"small", 10, 10, 10}, build_start, real_now, out);
    BuiltVault large =
        build_vault(work.path() / "large", {"large", options.units, options.accounts, options.log_rounds}, build_start, real_now, out);

    out << "\n== floors in-process\n" << std::flush;
    Floors small_floor = time_floors(small, options.runs);
    Floors large_floor = time_floors(large, options.runs);

    out << "== whole commands (the real binary)\n" << std::flush;
    const std::string load_before = load_average();
    Binary brankas(options.brankas, work.path(), passphrase_file);
    Samples start;
    auto commands = time_commands(brankas, small, large, options.runs, start, out);
    const std::string load_after = load_average();
    const Timed version = timed_of(start);

    out << "\n== results (medians of " << options.runs << " runs; peak = the largest resident set of any run)\n"
        << "  load average before: " << load_before << "; after: " << load_after << "\n";
    row(out, "", "small", "large", "floor", "ratio", "target", "result");
    row(out, "sub-districts", std::to_string(options.units > 0 ? 10 : 0), std::to_string(options.units));
    row(out, "accounts", "10", std::to_string(options.accounts));
    row(out, "events in the log", std::to_string(small.events), std::to_string(large.events));
    row(out, "`brankas --version`", ms(version.wall.median_ms), "", "", "", "(start, exit)");
    row(out, "in-process open (test KDF)", ms(small_floor.open.median_ms), ms(large_floor.open.median_ms));
    row(out, "in-process rowid scan", ms(small_floor.rowid_scan.median_ms), ms(large_floor.rowid_scan.median_ms));
    row(out, "in-process reveal_secret", ms(small_floor.reveal.median_ms), ms(large_floor.reveal.median_ms));
    out << '\n';

    bool all_met = true;
    auto figure = [&](const std::string& name) { return commands.at(name); };
    // status: an absolute target.
    {
        auto [s, l] = figure("status");
        bool met = l.wall.median_ms <= 100;
        all_met = all_met && met;
        row(out, "status", ms(s.wall.median_ms), ms(l.wall.median_ms), "", "", "<= 100 ms", verdict(met));
    }
    // account list: absolute, and against the bare floor of the same run (start + open + scan).
    {
        auto [s, l] = figure("account list");
        const double floor = version.wall.median_ms + large_floor.open.median_ms + large_floor.rowid_scan.median_ms;
        bool met = l.wall.median_ms <= 60;
        all_met = all_met && met;
        row(out, "account list", ms(s.wall.median_ms), ms(l.wall.median_ms), ms(floor), fixed(l.wall.median_ms / floor, 2), "<= 60 ms",
            verdict(met));
    }
    // Memory: each listing's peak on the large vault against the small one's (the KDF and the
    // process are the same; what grows with the rows is what a listing keeps).
    out << "\n  peak memory (max RSS)       small     large     growth            target\n";
    for (const std::string name : {"account list", "account list --json", "unit list", "checkouts --all", "audit log --jsonl",
                                   "report access --csv", "status"}) {
        auto [s, l] = figure(name);
        const double growth = l.peak_kib - s.peak_kib;
        bool met = growth <= 32 * 1024;
        all_met = all_met && met;
        row(out, name, mib(s.peak_kib), mib(l.peak_kib), "+" + mib(std::max(0.0, growth)), "", "<= +32 MiB", verdict(met));
    }
    // The commands that show a password or take a hold: against the in-process floor of the
    // same vault (start + open + reveal), and flat from small to large.
    out << "\n  password commands           small     large      floor   ratio   target\n";
    for (const std::string name : {"secret show", "checkout", "checkin"}) {
        auto [s, l] = figure(name);
        const double floor = version.wall.median_ms + large_floor.open.median_ms + large_floor.reveal.median_ms;
        const double ratio = l.wall.median_ms / floor;
        const double growth = s.wall.median_ms > 0 ? l.wall.median_ms / s.wall.median_ms : 0;
        bool met = ratio <= 1.5 && growth <= 1.2;
        all_met = all_met && met;
        row(out, name, ms(s.wall.median_ms), ms(l.wall.median_ms), ms(floor), fixed(ratio, 2),
            "<= 1.5x, " + fixed(growth, 2) + " l/s", verdict(met));
    }
    out << "overall: " << (all_met ? "every target met" : "some targets missed (MISS above)") << '\n';
    return 0;
}

} // namespace brankas::bench

int main(int argc, char** argv) {
    try {
        return brankas::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "brankas_daily_bench: error: " << e.what() << '\n';
        return 1;
    }
}
