// The appliers each domain hands to the log, one table per domain (vault/<domain>/*_appliers.cpp).
// vault/projection.cpp gathers them into the one Projection the log applies events with.
#pragma once

#include "vault/log/projection.hpp"

#include <span>

namespace brankas {

[[nodiscard]] std::span<const ActionApplier> people_appliers();
[[nodiscard]] std::span<const ActionApplier> audit_appliers();
[[nodiscard]] std::span<const ActionApplier> unit_appliers();
[[nodiscard]] std::span<const ActionApplier> account_appliers();
[[nodiscard]] std::span<const ActionApplier> secret_appliers();
[[nodiscard]] std::span<const ActionApplier> rotation_appliers();
[[nodiscard]] std::span<const ActionApplier> policy_appliers();
[[nodiscard]] std::span<const ActionApplier> term_appliers();
[[nodiscard]] std::span<const ActionApplier> checkout_appliers();
[[nodiscard]] std::span<const ActionApplier> enforcement_appliers();
[[nodiscard]] std::span<const ActionApplier> backup_appliers();
[[nodiscard]] std::span<const ActionApplier> import_appliers();
[[nodiscard]] std::span<const ActionApplier> recovery_appliers();
[[nodiscard]] std::span<const ActionApplier> handover_appliers();
[[nodiscard]] std::span<const ActionApplier> approval_appliers();

} // namespace brankas
