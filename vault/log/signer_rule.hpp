// Who may sign an event, and with which key: one rule, for the replay (the principals table as
// it stands before the event) and for the walk from a checkpoint (SignerKeys, learned from the
// log alone).
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string_view>

namespace brankas {

// A principal's standing: added and waiting to enroll, acting, or ended for good.
enum class PrincipalStatus { pending, active, disabled };
[[nodiscard]] std::string_view principal_status_name(PrincipalStatus status) noexcept; // "pending", "active", "disabled"
[[nodiscard]] std::optional<PrincipalStatus> parse_principal_status(std::string_view name) noexcept;

// What the rule needs to know of the event's actor.
struct SignerStanding {
    PrincipalStatus status = PrincipalStatus::pending;
    PublicKey signing_key{};
};

// The genesis event verifies with the key it introduces itself (the vault's trust anchor); any
// other event with its actor's current key, if the actor is active; a pending person signs
// exactly one event, their own user.enroll, with the key their enrollment code unlocked.
// nullopt: nobody may sign it (an unknown, pending or disabled actor).
[[nodiscard]] std::optional<PublicKey> signing_key_for(const Event& event, const std::optional<SignerStanding>& actor);

} // namespace brankas
