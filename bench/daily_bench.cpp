// brankas_daily_bench: the commands an office runs every day, whole, on a national-size vault
// (7,300 sub-districts, 30,000 accounts, a long log) beside a 10-account one, each next to a
// floor measured in the same run:
//   - status: at most 100 ms, on the vault as it is during a term and on a copy the morning
//     after the term ended (the enforcer's run done: every account deactivated, owing a new
//     password, with a checklist of six steps open), where its peak memory, and that of its
//     --json and of `report status --json`, are checked against the small vault's too;
//   - account list: at most 60 ms; its floor is the store opened in-process and every row of
//     `accounts` read in rowid order (what no listing can beat); its peer is `pass ls` over a
//     password store of the same accounts (platform/handle, pass's own way of naming a site's
//     logins, an empty entry each: listing opens none), which it must beat at least twice over;
//   - the listings (account list --json, unit list, checkouts, audit log --jsonl, report
//     access --jsonl): peak memory (the command's maximum resident set) within 32 MiB of what
//     the KDF takes, whatever the number of rows;
//   - secret show, checkout, checkin, secret set: within 1.5x of the floor, and flat from the
//     small vault to the large one. The floor is what no password command can skip, done bare
//     in-process: a copy of the store opened with the raw K_db (no KDF), the account's current
//     version and its unit's key selected, both unsealed, and one event hashed, signed and
//     inserted in a transaction that commits with an fsync; plus `brankas --version` (a process
//     that starts and exits). reveal_secret (the library's own path after Vault::open) is
//     printed beside it.
// Every time is printed as wall time and as CPU time (user + system) of the same runs: the
// machine may be shared, and CPU time is what its load changes least. It prints figures,
// ratios and PASS/MISS; it asserts nothing about time. Exit 0 unless something failed.
//
//   brankas_daily_bench [--brankas PATH] [--runs N] [--units N] [--accounts N] [--log-rounds N]
//                       [--dir DIR] [--keep] [--reuse DIR]
// --keep keeps the work directory, with a copy of each vault as built (before any command wrote
// to it: small.built, large.built, and the account the commands take in small.ref, large.ref);
// --reuse DIR (a directory kept so) starts from copies of those instead of building the vaults
// again (the large one takes minutes), so two binaries can be timed on the same vault.
#include "checked.hpp"
#include "command_run.hpp"
#include "samples.hpp"
#include "vault_builder.hpp"
#include "work_dir.hpp"

#include "vault/accounts/accounts.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/session.hpp"
#include "vault/store/database.hpp"
#include "vault/vault.hpp"

#include <sys/resource.h>

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
    std::optional<fs::path> reuse;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "brankas_daily_bench: " << message << "\n"
              << "usage: brankas_daily_bench [--brankas PATH] [--runs N] [--units N] [--accounts N] [--log-rounds N] [--dir DIR] [--keep] [--reuse DIR]\n";
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
        else if (arg == "--reuse") o.reuse = value();
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

// ---- whole commands ----

struct Samples {
    std::vector<double> wall, cpu, peak_kib;
};

struct Timed {
    Figures wall, cpu;
    double peak_kib = 0; // the largest of the runs
};

Timed timed_of(const Samples& s) {
    return {figures_of(s.wall), figures_of(s.cpu), s.peak_kib.empty() ? 0 : *std::max_element(s.peak_kib.begin(), s.peak_kib.end())};
}

// "12.3 ms (4.5 cpu)": a median wall time and the median CPU time of the same runs.
std::string wall_cpu(const Figures& wall, const Figures& cpu) { return ms(wall.median_ms) + " (" + fixed(cpu.median_ms, 1) + " cpu)"; }
std::string wall_cpu(const Timed& t) { return wall_cpu(t.wall, t.cpu); }

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

std::vector<Command> daily_commands(const BuiltVault& v, const fs::path& password_file) {
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
        {"secret set", {"secret", "set", v.checkout_ref, "--from-file", password_file.string(), "--reason", "bench"}},
    };
}

// On the copies made the morning after the term (read-only: their logs end after the real clock).
std::vector<Command> after_term_commands(const BuiltVault&, const fs::path&) {
    return {
        {"status after a term", {"status"}},
        {"status --json after a term", {"--json", "status"}},
        {"report status --json after a term", {"--json", "report", "status"}},
    };
}

// A copy of `v` at `copy` the morning after its term ended: the enforcer's run done (as the
// admin, with a clock eight days past the term's end and its grace).
BuiltVault after_term_copy(const BuiltVault& v, const fs::path& copy) {
    fs::copy(v.dir, copy, fs::copy_options::recursive);
    FixedClock later(term_end_us + 8 * policy::day_us);
    Session s = checked(Vault::open(copy, admin_name, admin_passphrase_source(), later), "opening the copy after the term");
    EnforcementReport report = checked(enforce(s), "enforcing after the term");
    if (report.plan.deactivate.empty()) throw BenchFailure("the enforcement after the term deactivated nothing");
    BuiltVault out = v;
    out.dir = copy;
    out.events += report.events;
    return out;
}

using CommandList = std::function<std::vector<Command>(const BuiltVault&, const fs::path&)>;

// Small and large alternate, so a slow patch of the machine falls on both alike.
std::map<std::string, std::pair<Timed, Timed>> time_commands(const Binary& brankas, const BuiltVault& small, const BuiltVault& large,
                                                             const CommandList& commands, const fs::path& password_file,
                                                             std::size_t runs, Samples& start, std::ostream& progress) {
    std::map<std::string, std::pair<Samples, Samples>> samples;
    constexpr std::size_t warm_up = 1;
    for (std::size_t r = 0; r < warm_up + runs; ++r) {
        for (const BuiltVault* v : {&small, &large}) {
            for (const Command& c : commands(*v, password_file)) {
                CommandRun run = brankas.run_as_admin(*v, c.args);
                if (r < warm_up) continue;
                Samples& into = v == &small ? samples[c.name].first : samples[c.name].second;
                into.wall.push_back(run.milliseconds);
                into.cpu.push_back(run.cpu_milliseconds);
                into.peak_kib.push_back(run.peak_kib);
            }
        }
        CommandRun bare = brankas.run_bare({"--version"});
        if (r >= warm_up) {
            start.wall.push_back(bare.milliseconds);
            start.cpu.push_back(bare.cpu_milliseconds);
            start.peak_kib.push_back(bare.peak_kib);
        }
        progress << "  round " << r + 1 << '/' << warm_up + runs << '\n' << std::flush;
    }
    std::map<std::string, std::pair<Timed, Timed>> out;
    for (const auto& [name, pair] : samples) out[name] = {timed_of(pair.first), timed_of(pair.second)};
    return out;
}

// ---- the peer: pass ----

// pass, if it is installed (scripts/install-deps.sh installs it).
std::optional<fs::path> pass_program() {
    for (const char* p : {"/usr/bin/pass", "/usr/local/bin/pass"})
        if (fs::exists(p)) return fs::path(p);
    return std::nullopt;
}

// A password store at `dir` with an entry for every account of `v`, named as pass names a
// site's logins (platform/handle.gpg: one folder a platform, the flattest tree for the same
// entries, and the quickest for `pass ls`; a folder a sub-district above them took it from
// 155 to 491 ms here). `pass ls` lists the tree and opens no entry, so each is empty, and
// no key is needed.
void write_pass_store(const BuiltVault& v, const fs::path& dir) {
    fs::create_directories(dir);
    std::ofstream(dir / ".gpg-id") << "bench@brankas.invalid\n";
    SystemClock now;
    Session s = checked(Vault::open(v.dir, admin_name, admin_passphrase_source(), now), "opening the vault");
    checked(for_each_account_row(s, {}, [&](const AccountListRow& a) -> Status {
                const fs::path folder = dir / std::string(a.platform);
                fs::create_directories(folder);
                std::ofstream(folder / (std::string(a.handle) + ".gpg"));
                return {};
            }),
            "listing the accounts for the password store");
}

// `pass ls` on `store`, `runs` times after one warm-up.
Timed time_pass_ls(const fs::path& pass, const fs::path& store, std::size_t runs, const fs::path& scratch) {
    Samples samples;
    for (std::size_t r = 0; r < 1 + runs; ++r) {
        CommandRun run = run_command({pass.string(), "ls"}, {"PATH=/usr/bin:/bin", "PASSWORD_STORE_DIR=" + store.string()}, scratch / "stderr");
        if (run.exit_code != 0) throw BenchFailure("`pass ls` exited with " + std::to_string(run.exit_code) + ":\n" + run.err);
        if (r == 0) continue;
        samples.wall.push_back(run.milliseconds);
        samples.cpu.push_back(run.cpu_milliseconds);
    }
    return timed_of(samples);
}

// ---- floors, in-process ----

// CPU time (user + system) of this process so far.
double process_cpu_ms() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto ms_of = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
    return ms_of(usage.ru_utime) + ms_of(usage.ru_stime);
}

struct Clocks {
    Stopwatch wall;
    double cpu_start = process_cpu_ms();
    void into(std::vector<double>& wall_ms, std::vector<double>& cpu_ms) const {
        wall_ms.push_back(wall.milliseconds());
        cpu_ms.push_back(process_cpu_ms() - cpu_start);
    }
};

struct Floor {
    Figures wall, cpu;
};

struct Floors {
    Floor open;       // Vault::open with the test KDF, the schema checked
    Floor rowid_scan; // every row of accounts, in rowid order, after the open
    Floor reveal;     // reveal_secret after Vault::open: the library's whole path
    Floor raw;        // the bare floor of a password command (raw_floor_once)
};

// What the bare floor needs, taken once from an unlocked session: K_db, the admin's signing and
// box keys, the account and the copy of the store it writes its event to.
struct RawFloorKeys {
    SecretBytes store_key;
    SigningKey signing;
    BoxKeyPair box;
    std::int64_t account = 0;
    fs::path store_copy;
};

// One password command's unavoidable work: open the store with the raw key (SQLCipher derives
// nothing from a raw key), select the account's current sealed version and its unit's key
// sealed to the admin, open both boxes, then hash and sign one event and insert it in its own
// transaction, which commits with an fsync (WAL, synchronous = FULL, as the vault's store).
void raw_floor_once(const RawFloorKeys& k, Hash& previous) {
    Database db = checked(Database::open_encrypted(k.store_copy, k.store_key, Database::Mode::open_existing), "opening the copy raw");
    Statement q = checked(db.prepare("SELECT v.sealed, u.sealed FROM accounts a JOIN secret_versions v ON v.account = a.id AND "
                                     "v.version = a.version JOIN unit_keys u ON u.unit = a.unit AND u.principal = ? WHERE a.id = ?"),
                          "preparing the select");
    q.bind(1, std::string_view(admin_name)).bind(2, k.account);
    if (!checked(q.step(), "selecting the version")) throw BenchFailure("the floor's account has no current version");
    std::optional<SecretBytes> unit_secret = open_sealed(k.box, q.column_blob(1));
    if (!unit_secret) throw BenchFailure("the unit key does not open");
    std::optional<SecretBytes> payload = open_sealed(BoxKeyPair::from_secret(*unit_secret), q.column_blob(0));
    if (!payload || payload->size() == 0) throw BenchFailure("the version does not open");
    q.reset();
    // An event of the size of secret.read's: its body, chained to the previous hash, signed.
    const std::string body = "account/" + std::to_string(k.account) + " reason=bench floor version=1 what=password";
    previous = Hasher().update(previous).update(as_bytes(body)).finish();
    Signature signature = k.signing.sign(ByteView(previous.data(), previous.size()));
    Transaction tx = checked(Transaction::begin_immediate(db), "beginning the write");
    Statement insert = checked(db.prepare("INSERT INTO floor_events (body, hash, signature) VALUES (?, ?, ?)"), "preparing the insert");
    insert.bind(1, std::string_view(body)).bind(2, ByteView(previous.data(), previous.size())).bind(3, ByteView(signature.data(), signature.size()));
    checked(insert.step(), "inserting the event");
    checked(tx.commit(), "committing the event");
}

RawFloorKeys raw_floor_keys(Session& s, const BuiltVault& v, const fs::path& copy) {
    AccountInfo a = checked(find_account(s, v.checkout_ref), "finding the account");
    fs::copy_file(s.paths().store(), copy, fs::copy_options::overwrite_existing);
    {
        Database db = checked(Database::open_encrypted(copy, s.store_key(), Database::Mode::open_existing), "opening the copy");
        checked(db.exec("CREATE TABLE floor_events (seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL)"),
                "adding the floor's table");
    }
    return {SecretBytes::copy_of(s.store_key().view()), SigningKey::from_seed(s.signing_key().seed()),
            BoxKeyPair::from_secret(s.box_keys().secret_key()), a.id, copy};
}

Floors time_floors(const BuiltVault& v, std::size_t runs, const fs::path& scratch) {
    SystemClock now;
    std::vector<double> open_ms, open_cpu, scan_ms, scan_cpu, reveal_ms, reveal_cpu, raw_ms, raw_cpu;
    std::optional<RawFloorKeys> keys;
    Hash previous{};
    for (std::size_t r = 0; r < runs; ++r) {
        Clocks opening;
        Session s = checked(Vault::open(v.dir, admin_name, admin_passphrase_source(), now), "opening the vault");
        opening.into(open_ms, open_cpu);
        AccountInfo a = checked(find_account(s, v.checkout_ref), "finding the account");
        Clocks scanning;
        Statement rows = checked(s.db().prepare("SELECT id, unit, platform, handle, email, phone, url, status, rotation_due, version, "
                                                "updated_by FROM accounts"),
                                 "preparing the scan");
        std::size_t bytes = 0;
        while (checked(rows.step(), "scanning accounts")) bytes += rows.column_text(1).size() + rows.column_text(3).size();
        scanning.into(scan_ms, scan_cpu);
        if (bytes == 0) throw BenchFailure("the scan read nothing");
        Clocks revealing;
        (void)checked(reveal_secret(s, a.id, "bench floor", SecretPart::password), "revealing in-process");
        revealing.into(reveal_ms, reveal_cpu);
        if (!keys) keys = raw_floor_keys(s, v, scratch / (v.dir.filename().string() + "-floor.db"));
    }
    for (std::size_t r = 0; r < runs; ++r) {
        Clocks raw;
        raw_floor_once(*keys, previous);
        raw.into(raw_ms, raw_cpu);
    }
    return {{figures_of(open_ms), figures_of(open_cpu)},
            {figures_of(scan_ms), figures_of(scan_cpu)},
            {figures_of(reveal_ms), figures_of(reveal_cpu)},
            {figures_of(raw_ms), figures_of(raw_cpu)}};
}

// ---- the report ----

void row(std::ostream& out, std::string_view what, const std::string& small, const std::string& large, const std::string& floor = "",
         const std::string& ratio = "", const std::string& target = "", const std::string& result = "") {
    out << "  " << std::left << std::setw(34) << what << std::right << std::setw(22) << small << std::setw(22) << large << std::setw(22)
        << floor << std::setw(13) << ratio << "   " << std::left << std::setw(14) << target << result << '\n';
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

    auto [small, large] = bench_vaults(work.path(), {"small", 10, 10, 10}, {"large", options.units, options.accounts, options.log_rounds},
                                       options.reuse, options.keep, out);
    out << "  copies after the term, enforced\n" << std::flush;
    BuiltVault small_after = after_term_copy(small, work.path() / "small-after-term");
    BuiltVault large_after = after_term_copy(large, work.path() / "large-after-term");

    out << "\n== floors in-process\n" << std::flush;
    Floors small_floor = time_floors(small, options.runs, work.path());
    Floors large_floor = time_floors(large, options.runs, work.path());

    out << "== whole commands (the real binary)\n" << std::flush;
    const std::string load_before = load_average();
    Binary brankas(options.brankas, work.path(), passphrase_file);
    Samples start;
    const fs::path password_file = work.path() / "new.password";
    write_private_file(password_file, "Bench-Sandi-Baru-2031\n");
    auto commands = time_commands(brankas, small, large, daily_commands, password_file, options.runs, start, out);
    out << "== after the term (copies)\n" << std::flush;
    Samples ignored_start;
    commands.merge(time_commands(brankas, small_after, large_after, after_term_commands, password_file, options.runs, ignored_start, out));
    std::optional<Timed> pass_ls;
    if (auto pass = pass_program()) {
        out << "== the peer: pass ls over a store of the same accounts\n" << std::flush;
        write_pass_store(large, work.path() / "pass-store");
        pass_ls = time_pass_ls(*pass, work.path() / "pass-store", options.runs, work.path());
    }
    const std::string load_after = load_average();
    const Timed version = timed_of(start);

    out << "\n== results (medians of " << options.runs << " runs, wall and CPU time (user + system) of the same runs; peak = the largest "
           "resident set of any run)\n"
        << "  load average before: " << load_before << "; after: " << load_after << "\n";
    row(out, "", "small", "large", "floor", "ratio w/cpu", "target", "result");
    row(out, "sub-districts", std::to_string(options.units > 0 ? 10 : 0), std::to_string(options.units));
    row(out, "accounts", "10", std::to_string(options.accounts));
    row(out, "events in the log", std::to_string(small.events), std::to_string(large.events));
    row(out, "  after the term", std::to_string(small_after.events), std::to_string(large_after.events));
    row(out, "`brankas --version`", wall_cpu(version), "", "", "", "(start, exit)");
    row(out, "in-process open (test KDF)", wall_cpu(small_floor.open.wall, small_floor.open.cpu), wall_cpu(large_floor.open.wall, large_floor.open.cpu));
    row(out, "in-process rowid scan", wall_cpu(small_floor.rowid_scan.wall, small_floor.rowid_scan.cpu),
        wall_cpu(large_floor.rowid_scan.wall, large_floor.rowid_scan.cpu));
    row(out, "in-process reveal_secret", wall_cpu(small_floor.reveal.wall, small_floor.reveal.cpu),
        wall_cpu(large_floor.reveal.wall, large_floor.reveal.cpu));
    row(out, "bare raw-key floor", wall_cpu(small_floor.raw.wall, small_floor.raw.cpu), wall_cpu(large_floor.raw.wall, large_floor.raw.cpu), "", "",
        "(open raw, select, unseal, 1 event)");
    out << '\n';

    bool all_met = true;
    auto figure = [&](const std::string& name) { return commands.at(name); };
    auto ratios = [](double wall, double wall_floor, double cpu, double cpu_floor) {
        return fixed(wall / wall_floor, 2) + "/" + fixed(cpu_floor > 0 ? cpu / cpu_floor : 0, 2);
    };
    // status: an absolute target, during the term and after it.
    for (const std::string name : {"status", "status after a term"}) {
        auto [s, l] = figure(name);
        bool met = l.wall.median_ms <= 100;
        all_met = all_met && met;
        row(out, name, wall_cpu(s), wall_cpu(l), "", "", "<= 100 ms", verdict(met));
    }
    // account list: absolute, and against the bare floor of the same run (start + open + scan).
    {
        auto [s, l] = figure("account list");
        const double floor = version.wall.median_ms + large_floor.open.wall.median_ms + large_floor.rowid_scan.wall.median_ms;
        const double floor_cpu = version.cpu.median_ms + large_floor.open.cpu.median_ms + large_floor.rowid_scan.cpu.median_ms;
        bool met = l.wall.median_ms <= 60;
        all_met = all_met && met;
        row(out, "account list", wall_cpu(s), wall_cpu(l), ms(floor) + " (" + fixed(floor_cpu, 1) + " cpu)",
            ratios(l.wall.median_ms, floor, l.cpu.median_ms, floor_cpu), "<= 60 ms", verdict(met));
        // Against the peer: how many times faster than `pass ls` over the same accounts.
        if (pass_ls) {
            bool beaten = pass_ls->wall.median_ms >= 2 * l.wall.median_ms;
            all_met = all_met && beaten;
            row(out, "  pass ls, the same accounts", "", wall_cpu(*pass_ls), "",
                ratios(pass_ls->wall.median_ms, l.wall.median_ms, pass_ls->cpu.median_ms, l.cpu.median_ms), ">= 2x faster",
                verdict(beaten));
        } else {
            all_met = false;
            row(out, "  pass ls, the same accounts", "", "not installed", "", "", ">= 2x faster", "MISS (no peer: scripts/install-deps.sh)");
        }
    }
    // Memory: each listing's peak on the large vault against the small one's (the KDF and the
    // process are the same; what grows with the rows is what a listing keeps).
    out << "\n  peak memory (max RSS)";
    row(out, "", "small", "large", "growth", "", "target");
    // Linux folds the peak of the process a child was spawned from into the child's ru_maxrss:
    // a figure at this bench's own peak says only that the command stayed below it.
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    row(out, "(this bench's own peak)", mib(static_cast<double>(self.ru_maxrss)), "", "", "", "a floor of every figure below");
    for (const std::string name : {"account list", "account list --json", "unit list", "checkouts --all", "audit log --jsonl",
                                   "report access --csv", "status", "status after a term", "status --json after a term",
                                   "report status --json after a term"}) {
        auto [s, l] = figure(name);
        const double growth = l.peak_kib - s.peak_kib;
        bool met = growth <= 32 * 1024;
        all_met = all_met && met;
        row(out, name, mib(s.peak_kib), mib(l.peak_kib), "+" + mib(std::max(0.0, growth)), "", "<= +32 MiB", verdict(met));
    }
    // The commands that show a password or take a hold: against the bare floor of the same
    // vault (start + raw open, select, unseal, one fsynced event), and flat from small to large.
    out << "\n  password commands";
    row(out, "", "small", "large", "floor", "ratio w/cpu", "target");
    const double floor = version.wall.median_ms + large_floor.raw.wall.median_ms;
    const double floor_cpu = version.cpu.median_ms + large_floor.raw.cpu.median_ms;
    for (const std::string name : {"secret show", "checkout", "checkin", "secret set"}) {
        auto [s, l] = figure(name);
        const double ratio = l.wall.median_ms / floor;
        const double growth = s.wall.median_ms > 0 ? l.wall.median_ms / s.wall.median_ms : 0;
        bool met = ratio <= 1.5 && growth <= 1.2;
        all_met = all_met && met;
        row(out, name, wall_cpu(s), wall_cpu(l), ms(floor) + " (" + fixed(floor_cpu, 1) + " cpu)",
            ratios(l.wall.median_ms, floor, l.cpu.median_ms, floor_cpu), "<= 1.5x, " + fixed(growth, 2) + " l/s", verdict(met));
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
