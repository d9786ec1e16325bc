// brankas_verify_bench: how close does `brankas audit verify` come to what Ed25519
// verification alone reaches on this machine? Builds a log of 1,000,000 events (check-outs,
// check-ins and password reads of a 1,000-account district), then times
//   - the whole `brankas audit verify --threads T` command (the real binary: unlock, chain,
//     signatures on T threads, replay, projection comparison), and
//   - libsodium's crypto_sign_verify_detached alone over the same signed messages, on the same
//     T threads,
// and prints both rates and their ratio (target: at least 0.80). It asserts nothing about time;
// it exits non-zero only when something failed (the verify included).
//
//   brankas_verify_bench [--events N] [--threads T] [--runs R] [--units N] [--accounts N]
//                        [--brankas PATH] [--dir DIR] [--keep]
#include "checked.hpp"
#include "work_dir.hpp"
#include "command_run.hpp"
#include "log_builder.hpp"
#include "samples.hpp"

#include "vault/clock.hpp"
#include "vault/log/event.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace brankas::bench {

namespace {

constexpr double ratio_target = 0.80;

struct Options {
    fs::path brankas = BRANKAS_BINARY;
    std::uint64_t events = 1'000'000;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::size_t runs = 1;
    int units = 100, accounts = 1000;
    std::optional<fs::path> parent;
    bool keep = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "brankas_verify_bench: " << message << "\n"
              << "usage: brankas_verify_bench [--events N] [--threads T] [--runs R] [--units N] [--accounts N]\n"
              << "                            [--brankas PATH] [--dir DIR] [--keep]\n";
    std::exit(2);
}

std::uint64_t positive(const std::string& option, const std::string& text, std::uint64_t most) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || v < 1 || v > most) usage_error(option + " needs a number from 1 to " + std::to_string(most));
    return v;
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
        else if (arg == "--events") o.events = positive(arg, value(), 100'000'000);
        else if (arg == "--threads") o.threads = static_cast<unsigned>(positive(arg, value(), 256));
        else if (arg == "--runs") o.runs = positive(arg, value(), 100);
        else if (arg == "--units") o.units = static_cast<int>(positive(arg, value(), 9000));
        else if (arg == "--accounts") o.accounts = static_cast<int>(positive(arg, value(), 1'000'000));
        else if (arg == "--dir") o.parent = value();
        else if (arg == "--keep") o.keep = true;
        else usage_error("unknown argument '" + arg + "'");
    }
    if (o.accounts < o.units) usage_error("--accounts must be at least --units");
    return o;
}


// The bare figure: crypto_sign_verify_detached over every event's signed message, split into
// `threads` contiguous shares. The messages are built before the clock starts.
double bare_verification_seconds(const BuiltLog& log, unsigned threads) {
    const std::size_t n = log.signed_hashes.size();
    Bytes first = event_signing_message(Hash{});
    const std::size_t message_size = first.size();
    std::vector<std::uint8_t> messages(n * message_size);
    for (std::size_t i = 0; i < n; ++i) {
        Bytes m = event_signing_message(log.signed_hashes[i].hash);
        std::memcpy(messages.data() + i * message_size, m.data(), message_size);
    }
    std::atomic<std::size_t> failures{0};
    Stopwatch watch;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            std::size_t begin = n * t / threads, end = n * (t + 1) / threads;
            std::size_t bad = 0;
            for (std::size_t i = begin; i < end; ++i)
                if (crypto_sign_verify_detached(log.signed_hashes[i].signature.data(), messages.data() + i * message_size,
                                                message_size, log.signer.data()) != 0)
                    ++bad;
            failures += bad;
        });
    }
    for (auto& th : pool) th.join();
    double seconds = watch.seconds();
    if (failures != 0) throw BenchFailure(std::to_string(failures.load()) + " signatures of the bench log do not verify");
    return seconds;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int run(const Options& o) {
    if (sodium_init() < 0) throw BenchFailure("libsodium does not initialise");
    WorkDir work(o.parent.value_or(fs::temp_directory_path()), "brankas-verify-bench", o.keep);
    const fs::path vault_dir = work.path() / "v";
    std::cout << "== building a log of " << o.events << " events (" << o.units << " sub-districts, " << o.accounts
              << " accounts; the test KDF) in " << work.path().string() << "\n";
    // Started a month ago at most a day per 86.4 million events: every event lies in the past.
    const std::int64_t now_us = SystemClock().now_us();
    const std::int64_t start_us = now_us - 30LL * 86'400'000'000LL - static_cast<std::int64_t>(o.events) * 1'000;
    BuiltLog log = build_log(vault_dir, {o.units, o.accounts, o.events}, start_us, std::cout);
    std::cout << std::fixed << std::setprecision(1) << "built " << log.events << " events in "
              << log.setup_seconds + log.append_seconds << " s (district " << log.setup_seconds << " s, log "
              << log.append_seconds << " s)\n";

    const fs::path passphrase_file = work.path() / "admin.pass";
    write_private_file(passphrase_file, std::string(log_admin_passphrase) + "\n");
    const std::vector<std::string> argv{o.brankas.string(), "--vault", vault_dir.string(), "--user", std::string(log_admin),
                                        "--passphrase-file", passphrase_file.string(), "audit", "verify", "--threads",
                                        std::to_string(o.threads)};
    std::vector<double> verify_s, bare_s;
    for (std::size_t r = 0; r < o.runs; ++r) {
        // Alternated, so a burst of load elsewhere on the machine falls on both alike.
        bare_s.push_back(bare_verification_seconds(log, o.threads));
        // The test KDF is refused unless the environment allows it.
        CommandRun v = run_command(argv, {"BRANKAS_ALLOW_TEST_KDF=1"}, work.path() / "verify.err");
        if (v.exit_code != 0) throw BenchFailure("audit verify failed (exit " + std::to_string(v.exit_code) + "): " + v.err);
        verify_s.push_back(v.milliseconds / 1000.0);
        std::cout << "  run " << r + 1 << ": audit verify " << std::setprecision(2) << verify_s.back() << " s, bare "
                  << bare_s.back() << " s, ratio " << bare_s.back() / verify_s.back() << "\n";
    }
    // Each run pairs a bare figure with the verify right after it; the ratio is the median of
    // the pairs' ratios, so a moment of load elsewhere on the machine does not decide it.
    std::vector<double> ratios;
    for (std::size_t r = 0; r < o.runs; ++r) ratios.push_back(bare_s[r] / verify_s[r]);
    const double verify = median(verify_s), bare = median(bare_s), ratio = median(ratios);
    const double n = static_cast<double>(log.events);
    std::cout << std::setprecision(0) << "\n== " << log.events << " events, " << o.threads << " thread"
              << (o.threads == 1 ? "" : "s") << ", median of " << o.runs << " run" << (o.runs == 1 ? "" : "s") << "\n"
              << "audit verify (whole command)          " << std::setw(8) << n / verify << " events/s      (" << std::setprecision(2)
              << verify << " s)\n"
              << std::setprecision(0) << "crypto_sign_verify_detached alone     " << std::setw(8) << n / bare
              << " signatures/s  (" << std::setprecision(2) << bare << " s)\n"
              << "ratio                                 " << std::setw(8) << ratio << "  (target >= " << ratio_target << ": "
              << (ratio >= ratio_target ? "PASS" : "MISS") << ")\n";
    return 0;
}

} // namespace

} // namespace brankas::bench

int main(int argc, char** argv) {
    try {
        return brankas::bench::run(brankas::bench::parse_options(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "brankas_verify_bench: " << e.what() << "\n";
        return 1;
    }
}
