// brankas_import_bench: how long does `import csv` take for a district's whole spreadsheet?
// Writes a CSV of 30,000 accounts over 300 sub-districts (Indonesian headers, ';', a BOM, a
// TOTP seed on every tenth row), then imports it into a fresh vault twice:
//   - in-process, phase by phase (reading the file, then checking, sealing and writing), with
//     the progress printed as it goes;
//   - as a whole `brankas import csv --create-units` command (the real binary, the fastest KDF).
// Target: at most 5 s for the whole command. It prints figures and PASS/MISS; it asserts
// nothing about time. Exit 0 unless something failed.
//
//   brankas_import_bench [--brankas PATH] [--accounts N] [--units N] [--dir DIR] [--keep]
#include "checked.hpp"
#include "command_run.hpp"
#include "samples.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/log/event.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secret_payload.hpp"
#include "vault/store/database.hpp"
#include "vault/vault.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <sodium.h>
#include <sys/resource.h>
#include <unistd.h>

namespace fs = std::filesystem;
using brankas::bench::Stopwatch;

namespace brankas::bench {

namespace {

constexpr double target_seconds = 5.0;
constexpr double floor_ratio_target = 0.85; // the whole command against the one-core floor, both walls
constexpr std::string_view admin_passphrase = "kuda-lari-di-sawah-hijau-2029";

struct Options {
    fs::path brankas = BRANKAS_BINARY;
    int accounts = 30000, units = 300;
    std::optional<fs::path> parent;
    bool keep = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "brankas_import_bench: " << message << "\n"
              << "usage: brankas_import_bench [--brankas PATH] [--accounts N] [--units N] [--dir DIR] [--keep]\n";
    std::exit(2);
}

int positive(const std::string& option, const std::string& text) {
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || v < 1 || v > 10'000'000) usage_error(option + " needs a positive number");
    return static_cast<int>(v);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--brankas") o.brankas = value();
        else if (a == "--accounts") o.accounts = positive(a, value());
        else if (a == "--units") o.units = positive(a, value());
        else if (a == "--dir") o.parent = fs::path(value());
        else if (a == "--keep") o.keep = true;
        else usage_error("unknown option " + a);
    }
    return o;
}

std::string unit_code(int i) {
    char code[48];
    std::snprintf(code, sizeof code, "35.%02d.%02d", 1 + i / 99, 1 + i % 99);
    return code;
}

// The spreadsheet a district would export: Indonesian headers, ';' (an Indonesian locale's
// separator), a byte order mark. The passwords are made up for the bench.
void write_spreadsheet(const fs::path& file, const Options& o) {
    static constexpr const char* platforms[] = {"Instagram", "Facebook", "X", "TikTok", "YouTube", "Threads"};
    std::ofstream out(file, std::ios::binary);
    out << "\xef\xbb\xbf" << "No;Kode;Kecamatan;Platform;Username;Kata Sandi;Email;No HP;Catatan;TOTP\r\n";
    for (int i = 0; i < o.accounts; ++i) {
        int unit = i % o.units;
        out << i + 1 << ';' << unit_code(unit) << ";Kecamatan " << unit + 1 << ';' << platforms[i % 6] << ";panwascam." << i
            << ";Sandi-" << (i * 7919) % 100000 << "-Rahasia!" << i << ";panwascam." << i << "@example.org;+62812"
            << 1000000 + i << ";\"dibuat oleh kabupaten; pemulihan lewat surel\";"
            << (i % 10 == 0 ? "otpauth://totp/Bawaslu?secret=JBSWY3DPEHPK3PXP" : "") << "\r\n";
    }
}

CreateOptions vault_options() {
    return CreateOptions{"Bawaslu (import bench)", "admin", kdf_limits(KdfProfile::test)};
}

// The progress, one line at every tenth of the way (the bench's output is often a log file).
void print_progress(std::size_t done, std::size_t total, const Stopwatch& since) {
    static std::size_t last_tenth = 0;
    std::size_t tenth = 10 * done / std::max<std::size_t>(total, 1);
    if (tenth == last_tenth && done != total) return;
    last_tenth = done == total ? 0 : tenth;
    std::cout << "  imported " << done << '/' << total << std::fixed << std::setprecision(2) << " at " << since.seconds() << " s\n" << std::flush;
}

// CPU time (user + system) of this thread, or of the whole process, in seconds.
double cpu_seconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(usage.ru_utime) + s(usage.ru_stime);
}

struct Spent {
    double wall = 0, cpu = 0;
};

// The one-core floor: what no import of these rows can skip, done bare on one thread. Each row's
// payload encoded and sealed to its unit's key; its two events (account.add, secret.set, with
// the vault's own encoding) chained, signed and inserted; its account and sealed version
// inserted; all in one transaction of a fresh SQLCipher store, committed. No checks, no
// projection, no policy.
Spent one_core_floor(const ImportTable& table, const fs::path& file) {
    SecretBytes key(32);
    random_fill(key.span());
    Database db = checked(Database::open_encrypted(file, key, Database::Mode::create_new), "creating the floor's store");
    checked(db.exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, "
                    "target TEXT NOT NULL, body BLOB NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL);"
                    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, unit TEXT NOT NULL, platform TEXT NOT NULL, handle TEXT NOT NULL, "
                    "email TEXT, phone TEXT);"
                    "CREATE TABLE secret_versions (account INTEGER NOT NULL, version INTEGER NOT NULL, sealed BLOB NOT NULL, "
                    "PRIMARY KEY (account, version));"),
            "creating the floor's tables");
    std::map<std::string, BoxKeyPair> units;
    for (const ImportRow& row : table.rows) units.try_emplace(row.unit_code, BoxKeyPair::generate());
    SigningKey signer = SigningKey::generate();
    SecretBytes buffer(max_secret_payload);

    Stopwatch wall;
    const double cpu_start = cpu_seconds(RUSAGE_THREAD);
    Transaction tx = checked(Transaction::begin_immediate(db), "beginning the floor's write");
    Statement event_row = checked(db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)"), "preparing");
    Statement account_row = checked(db.prepare("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?)"), "preparing");
    Statement version_row = checked(db.prepare("INSERT INTO secret_versions VALUES (?, 1, ?)"), "preparing");
    Hash previous{};
    std::int64_t seq = 0;
    auto log = [&](Event e) {
        e.seq = static_cast<std::uint64_t>(++seq);
        e.actor = "admin";
        Bytes body = checked(encode_event(e), "encoding an event");
        previous = chain_hash(previous, body);
        Signature signature = signer.sign(event_signing_message(previous));
        event_row.reset();
        event_row.bind(1, seq).bind(2, e.time_us).bind(3, e.actor).bind(4, e.action).bind(5, e.target).bind(6, ByteView(body))
            .bind(7, ByteView(previous)).bind(8, ByteView(signature.data(), signature.size()));
        checked(event_row.run(), "inserting an event");
    };
    std::int64_t account = 0;
    for (const ImportRow& row : table.rows) {
        ++account;
        std::optional<TotpSeed> totp;
        if (row.totp.size > 0) totp = checked(parse_totp_seed(table.secret(row.totp)), "reading a TOTP seed");
        SecretPayloadView payload{static_cast<std::uint64_t>(account), 1, table.secret(row.password), totp ? &*totp : nullptr, ByteView(),
                                  table.secret(row.notes)};
        std::size_t size = checked(encode_secret_payload_into(payload, buffer), "encoding a payload");
        SecretSet set;
        set.account = account;
        set.version = 1;
        set.key_version = 1;
        set.has_totp = totp.has_value();
        set.reason = "imported from akun-panwascam.csv, line " + std::to_string(row.line);
        set.sealed = seal_to(units.at(row.unit_code).public_key(), buffer.view().first(size));
        sodium_memzero(buffer.data(), size);
        log(AccountAdded{account, row.unit_code, row.platform, row.handle, row.email, row.phone, row.url}.encode());
        account_row.reset();
        account_row.bind(1, account).bind(2, row.unit_code).bind(3, row.platform).bind(4, row.handle).bind(5, row.email).bind(6, row.phone);
        checked(account_row.run(), "inserting an account");
        version_row.reset();
        version_row.bind(1, account).bind(2, ByteView(set.sealed));
        checked(version_row.run(), "inserting a version");
        log(set.encode());
    }
    checked(tx.commit(), "committing the floor");
    return {wall.seconds(), cpu_seconds(RUSAGE_THREAD) - cpu_start};
}

Result<SecretBytes> read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    auto size = static_cast<std::size_t>(in.tellg());
    in.seekg(0);
    SecretBytes bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!in) return fail(ErrorCode::io, "cannot read " + file.string());
    return bytes;
}

int run(const Options& o) {
    checked(initialize_crypto(), "starting libsodium");
    fs::path parent = o.parent.value_or(fs::temp_directory_path());
    std::string pattern = (parent / "brankas-import-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw BenchFailure("cannot create a directory in " + parent.string());
    fs::path dir = pattern;
    fs::path csv = dir / "akun-panwascam.csv";
    write_spreadsheet(csv, o);
    std::cout << "== " << o.accounts << " accounts over " << o.units << " sub-districts, " << fs::file_size(csv) / 1024
              << " KiB of CSV; " << std::thread::hardware_concurrency() << " CPUs\n";

    // In process, phase by phase.
    SystemClock clock;
    Spent floor;
    {
        Session vault = checked(Vault::create(dir / "v1", vault_options(), admin_passphrase, clock), "creating the vault");
        Stopwatch total;
        SecretBytes bytes = checked(read_whole(csv), "reading the file");
        ImportTable table = checked(read_spreadsheet(csv.filename().string(), bytes, {}), "reading the spreadsheet");
        double read_s = total.seconds();
        if (!table.problems.empty()) throw BenchFailure("line " + std::to_string(table.problems[0].line) + ": " + table.problems[0].problem);
        std::cout << "in-process import:\n";
        const double thread_cpu_start = cpu_seconds(RUSAGE_THREAD), process_cpu_start = cpu_seconds(RUSAGE_SELF);
        ImportOutcome outcome = checked(
            import_accounts(vault, table, {MissingUnits::create, ImportRun::write}, [&](std::size_t done, std::size_t all) { print_progress(done, all, total); }),
            "importing");
        if (!outcome.imported) throw BenchFailure("nothing was imported");
        double all_s = total.seconds();
        const double writer_cpu = cpu_seconds(RUSAGE_THREAD) - thread_cpu_start, all_cpu = cpu_seconds(RUSAGE_SELF) - process_cpu_start;
        std::cout << std::fixed << std::setprecision(2) << "  read and check the file  " << read_s << " s\n"
                  << "  check, seal and write    " << all_s - read_s << " s (" << outcome.new_units.size() << " sub-districts, "
                  << outcome.accounts << " accounts, one transaction)\n"
                  << "  total                    " << all_s << " s\n"
                  << "  CPU of the import: " << all_cpu << " s in all, " << writer_cpu << " s of it on the writing thread; on "
                  << std::thread::hardware_concurrency() << " idle cores it needs at least "
                  << std::max(writer_cpu, all_cpu / std::max(1U, std::thread::hardware_concurrency())) << " s\n";
        Stopwatch verify;
        VerifyReport report = checked(brankas::verify(vault, std::nullopt), "verifying");
        if (!report.ok) throw BenchFailure("the imported vault does not verify: " + report.problem);
        std::cout << "  (audit verify afterwards " << verify.seconds() << " s, " << report.events << " events)\n";
        floor = one_core_floor(table, dir / "floor.db");
        std::cout << "one-core floor (encode + seal + sign + insert, bare, one thread): " << floor.wall << " s wall, " << floor.cpu
                  << " s CPU\n";
    }

    // The whole command, as a person runs it.
    {
        Session vault = checked(Vault::create(dir / "v2", vault_options(), admin_passphrase, clock), "creating the vault");
    }
    fs::path pass = dir / "pass.txt";
    std::ofstream(pass) << admin_passphrase << "\n";
    fs::permissions(pass, fs::perms::owner_read | fs::perms::owner_write);
    std::vector<std::string> argv{o.brankas.string(), "--vault", (dir / "v2").string(), "--user", "admin",
                                  "import", "csv", csv.string(), "--create-units"};
    std::vector<std::string> env{"PATH=/usr/bin:/bin", "BRANKAS_PASSPHRASE_FILE=" + pass.string()};
    CommandRun whole = run_command(argv, env, dir / "command.err");
    if (whole.exit_code != 0) throw BenchFailure("brankas import failed: " + whole.err);
    const double whole_s = whole.milliseconds / 1000;
    std::cout << std::fixed << std::setprecision(2) << "whole `brankas import csv --create-units`: " << whole_s << " s wall, "
              << whole.cpu_milliseconds / 1000 << " s CPU; target at most " << target_seconds << " s: "
              << (whole_s <= target_seconds ? "PASS" : "MISS") << "\n"
              << "  against the one-core floor: " << whole_s / floor.wall << "x its wall, " << whole.cpu_milliseconds / 1000 / floor.cpu
              << "x its CPU; target at most " << floor_ratio_target << "x its wall: " << (whole_s <= floor_ratio_target * floor.wall ? "PASS" : "MISS")
              << " (on a loaded machine the walls say little: see the in-process CPU figures)\n";

    if (o.keep) std::cout << "kept " << dir.string() << "\n";
    else fs::remove_all(dir);
    return 0;
}

} // namespace

} // namespace brankas::bench

int main(int argc, char** argv) {
    try {
        return brankas::bench::run(brankas::bench::parse(argc, argv));
    } catch (const brankas::bench::BenchFailure& e) {
        std::cerr << "brankas_import_bench: " << e.what() << "\n";
        return 1;
    }
}
