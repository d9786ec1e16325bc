// `audit verify`: recompute the chain, check every signature against the key the log itself
// introduced earlier, replay every event into a fresh projection and compare it with the
// stored one, and check that the log still extends a checkpoint kept outside the vault.
#pragma once

#include "vault/events/checkpoint.hpp"
#include "vault/store/database.hpp"

#include <optional>

namespace brankas {

struct VerifyReport {
    bool ok = false;
    std::uint64_t events = 0;      // events whose hash, signature and replay all held
    Hash head{};                   // hash of the last good event
    PublicKey genesis_key{};       // the first admin's key: the anchor every later key hangs from
    std::optional<std::uint64_t> bad_event; // the first bad event, when one is to blame
    std::string problem;           // one sentence, when !ok
    bool checkpoint_checked = false;
};

// Verification findings are in the report; the Error path is only for failing to read at all.
[[nodiscard]] Result<VerifyReport> verify_log(Database& store, const VaultId& vault_id,
                                              const std::optional<Checkpoint>& checkpoint);

} // namespace brankas
