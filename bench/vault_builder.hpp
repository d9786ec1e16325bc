// Builds a district-sized vault through the vault API, as years of use would: sub-districts,
// accounts with passwords, one term for every sub-district, a custodian granted every unit, the
// enforcer, and a long log of check-outs, check-ins and password reads.
#pragma once

#include "vault/clock.hpp"
#include "vault/vault.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace brankas::bench {

inline constexpr std::string_view admin_name = "admin";
inline constexpr std::string_view enforcer_name = "enforcer";
inline constexpr std::string_view admin_passphrase = "sawah-bening-di-lereng-wilis-2031";
inline constexpr std::string_view term_name = "Pengawasan 2020-2099";
// The term covers the real clock for as long as this bench will be run: the timed commands
// run at the present time.
inline constexpr std::int64_t term_start_us = 1'577'836'800'000'000; // 2020-01-01 00:00 UTC
inline constexpr std::int64_t term_end_us = 4'102'358'400'000'000;   // 2099-12-31 00:00 UTC

struct VaultShape {
    std::string label;
    int units = 0;
    int accounts = 0;   // spread round-robin over the units
    int log_rounds = 0; // each adds a check-out, its check-in and a password read: three events
    int units_per_custodian = 73; // every unit gets one custodian; each custodian serves this many units
};

struct BuiltVault {
    std::filesystem::path dir;
    std::filesystem::path enforcer_key;
    std::string checkout_ref; // the account the timed commands take
    std::uint64_t events = 0;
    std::int64_t last_event_us = 0;
    double build_seconds = 0;
    double units_seconds = 0, accounts_seconds = 0, log_seconds = 0, custodians_seconds = 0;
    int custodians = 0;
    // Mean time of one add_unit over the first and the last twentieth of the sub-districts:
    // how the cost of adding one grows with the number already there.
    double add_unit_first_ms = 0, add_unit_last_ms = 0;
};

// NN.NN.NN from an index below 9,000: province 11-20, regency and district 01-30.
[[nodiscard]] std::string unit_code(int index);

// Builds the vault at `dir` (which must not exist) as the admin, with the test KDF. Its
// clock starts at `start_us` and moves on 10 ms per operation; every event must stay before
// `must_end_before_us` (the real clock), or the timed commands would be refused as writes
// from the past.
[[nodiscard]] BuiltVault build_vault(const std::filesystem::path& dir, const VaultShape& shape, std::int64_t start_us,
                                     std::int64_t must_end_before_us, std::ostream& progress);

// The admin's passphrase, as Vault::open asks for it.
[[nodiscard]] PassphraseSource admin_passphrase_source();

// A bench's two vaults, at `work`/small and `work`/large: copies of those kept in `reuse`
// (--reuse DIR), or built anew as the two shapes, their clocks ending now, and with `keep`
// (--keep) kept as built for a later --reuse. Says which on `progress`.
struct BenchVaults {
    BuiltVault small, large;
};
[[nodiscard]] BenchVaults bench_vaults(const std::filesystem::path& work, const VaultShape& small, const VaultShape& large,
                                       const std::optional<std::filesystem::path>& reuse, bool keep, std::ostream& progress);

// For a bench's --keep: a copy of the vault as built, before any command writes to it
// (`dir`.built), and the account the commands take (`dir`.ref), beside the enforcer's key file
// (`dir`-enforcer.key), which build_vault already put there.
void keep_as_built(const BuiltVault& v);

// For a bench's --reuse: a copy at `dir` of the vault kept so in the directory `kept` under the
// same name, and of its enforcer's key file beside it; its events counted from its status.
[[nodiscard]] BuiltVault reused_vault(const std::filesystem::path& kept, const std::filesystem::path& dir);

} // namespace brankas::bench
