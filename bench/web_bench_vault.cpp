// Builds the vault the browser bench (bench/web_bench.py) serves: a district of N sub-districts
// and 30,000 accounts with a log of check-outs (bench/vault_builder), its admin's passphrase in
// a private file beside it. Prints the vault's directory and that file's path, one per line.
//   brankas_web_bench_vault DIR [--units N] [--accounts N] [--log-rounds N]
#include "vault_builder.hpp"
#include "work_dir.hpp"

#include "policy/policy.hpp"
#include "vault/crypto/primitives.hpp"

#include <iostream>
#include <string>

namespace {

int number(const char* text) {
    try {
        int n = std::stoi(text);
        if (n > 0) return n;
    } catch (const std::exception&) {
    }
    std::cerr << "brankas_web_bench_vault: '" << text << "' is not a positive number\n";
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    using namespace brankas;
    if (argc < 2) {
        std::cerr << "usage: brankas_web_bench_vault DIR [--units N] [--accounts N] [--log-rounds N]\n";
        return 2;
    }
    if (!initialize_crypto()) return 1;
    std::filesystem::path dir = argv[1];
    bench::VaultShape shape{"web", 400, 30'000, 3'000};
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string arg = argv[i];
        if (arg == "--units") shape.units = number(argv[i + 1]);
        else if (arg == "--accounts") shape.accounts = number(argv[i + 1]);
        else if (arg == "--log-rounds") shape.log_rounds = number(argv[i + 1]);
        else {
            std::cerr << "brankas_web_bench_vault: unknown option " << arg << "\n";
            return 2;
        }
    }
    const std::int64_t now = SystemClock().now_us();
    bench::BuiltVault v = bench::build_vault(dir, shape, now - 24 * policy::hour_us, now, std::cerr);
    std::filesystem::path passphrase = dir.parent_path() / (dir.filename().string() + "-admin.passphrase");
    bench::write_private_file(passphrase, std::string(bench::admin_passphrase) + "\n");
    std::cout << v.dir.string() << "\n" << passphrase.string() << "\n";
    return 0;
}
