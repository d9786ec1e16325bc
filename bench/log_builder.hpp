// Builds a long audit log quickly, for the verification bench. A small district is set up
// through the vault API (sub-districts, accounts with passwords, one term); then rounds of
// check-out, check-in and password read are appended straight through the event log, many to
// a transaction. Each of those events is encoded, chained, signed and applied to the
// projection exactly as a live write is; only the commit per event (and, for reads and
// check-outs, opening the password) is left out, so the log is the one a district would have.
#pragma once

#include "vault/crypto/primitives.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string_view>
#include <vector>

namespace brankas::bench {

inline constexpr std::string_view log_admin = "admin";
inline constexpr std::string_view log_admin_passphrase = "sawah-bening-di-lereng-wilis-2031";

struct LogShape {
    int units = 100;
    int accounts = 1000;         // spread round-robin over the units
    std::uint64_t events = 1'000'000; // the whole log, genesis included
};

// What the bare verification runs over: the same messages, signatures and key.
struct SignedHash {
    Hash hash{};
    Signature signature{};
};

struct BuiltLog {
    std::uint64_t events = 0;
    double setup_seconds = 0;  // the district, through the vault API
    double append_seconds = 0; // the rounds, straight through the event log
    PublicKey signer{};        // every event is the admin's
    std::vector<SignedHash> signed_hashes; // one per event, in order
};

// Builds the vault at `dir` (which must not exist) with the test KDF. Its clock starts at
// `start_us` and moves on 1 ms per event. Progress goes to `progress` every tenth of the way.
[[nodiscard]] BuiltLog build_log(const std::filesystem::path& dir, const LogShape& shape, std::int64_t start_us,
                                 std::ostream& progress);

} // namespace brankas::bench
