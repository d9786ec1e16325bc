// `brankas status`: where the vault stands, gathered from the log's head, the keyring, the
// principals and the recovery set-up.
#pragma once

#include "vault/session.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

struct PrincipalInfo {
    std::string name, role, status;
    std::optional<SlotInfo> slot; // the keyring slot that unlocks as this principal, if any
};

struct VaultStatus {
    VaultId vault_id{};
    std::string institution;
    int schema_version = 0;
    std::string cipher_version;
    std::uint64_t events = 0;
    Hash head{};
    std::int64_t last_event_us = 0;
    std::optional<std::uint64_t> last_checkpoint_seq;
    std::string last_checkpoint_signer;
    std::size_t people = 0, active_people = 0; // principals (for_each_principal lists them)
    std::size_t slots = 0;     // all slots in the keyring
    std::size_t envelopes = 0; // newer store keys waiting in the keyring for their slot's owner
    std::uint32_t store_generation = 1;
    std::optional<RecoverySetup> recovery;
    std::optional<RecoveryActionRecord> last_recovery_action;
};

[[nodiscard]] Result<VaultStatus> vault_status(Session& session);
// Every principal by name with the slot that unlocks as them, each handed to `row` as it is
// read and not kept. The first error `row` returns stops it.
[[nodiscard]] Status for_each_principal(Session& session, const std::function<Status(const PrincipalInfo&)>& row);

} // namespace brankas
