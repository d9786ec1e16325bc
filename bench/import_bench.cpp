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

#include "vault/crypto/primitives.hpp"
#include "vault/vault.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace brankas::bench {

namespace {

constexpr double target_seconds = 5.0;
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

class Stopwatch {
public:
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

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
    {
        Session vault = checked(Vault::create(dir / "v1", vault_options(), admin_passphrase, clock), "creating the vault");
        Stopwatch total;
        SecretBytes bytes = checked(read_whole(csv), "reading the file");
        ImportTable table = checked(read_spreadsheet(csv.filename().string(), bytes, {}), "reading the spreadsheet");
        double read_s = total.seconds();
        if (!table.problems.empty()) throw BenchFailure("line " + std::to_string(table.problems[0].line) + ": " + table.problems[0].problem);
        std::cout << "in-process import:\n";
        ImportOutcome outcome = checked(
            import_accounts(vault, table, {MissingUnits::create, ImportRun::write}, [&](std::size_t done, std::size_t all) { print_progress(done, all, total); }),
            "importing");
        if (!outcome.imported) throw BenchFailure("nothing was imported");
        double all_s = total.seconds();
        std::cout << std::fixed << std::setprecision(2) << "  read and check the file  " << read_s << " s\n"
                  << "  check, seal and write    " << all_s - read_s << " s (" << outcome.new_units.size() << " sub-districts, "
                  << outcome.accounts << " accounts, one transaction)\n"
                  << "  total                    " << all_s << " s\n";
        Stopwatch verify;
        VerifyReport report = checked(brankas::verify(vault, std::nullopt), "verifying");
        if (!report.ok) throw BenchFailure("the imported vault does not verify: " + report.problem);
        std::cout << "  (audit verify afterwards " << verify.seconds() << " s, " << report.events << " events)\n";
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
    std::cout << std::fixed << std::setprecision(2) << "whole `brankas import csv --create-units`: " << whole.milliseconds / 1000
              << " s wall, " << whole.cpu_milliseconds / 1000 << " s CPU; target at most " << target_seconds << " s: "
              << (whole.milliseconds / 1000 <= target_seconds ? "PASS" : "MISS") << "\n";

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
