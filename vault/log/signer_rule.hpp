// Who may sign an event, and with which key, and how an event changes that: one rule, for the
// replay (the principals table as it stands before the event, changed by the people and
// recovery appliers) and for the walk from a checkpoint (SignerKeys, learned from the log alone).
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>
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

// A principal as far as signing goes. The log knows roles by their names only: "admin",
// "enforcer" and "recovery" are the ones this rule speaks of.
struct Signer {
    std::string role;
    PrincipalStatus status = PrincipalStatus::pending;
    PublicKey signing_key{};
    friend bool operator==(const Signer&, const Signer&) = default;
};

// The principal whose standing as a signer the event changes: the genesis's actor, the target
// of user.add, user.enroll, user.disable and the recovery actions; empty for any other event.
[[nodiscard]] std::string_view signer_subject(const Event& event);

// What the event makes of its subject (signer_subject), who stands as `before` ahead of it
// (nullopt: nobody by that name). The genesis introduces the first admin, active; user.add a
// principal of its role, pending until they enroll (an enforcer is active at once); user.enroll
// makes its own actor, pending, active with a new key; recovery.split creates or re-keys the
// recovery principal, active; recovery.reset makes an enabled admin pending with new keys;
// recovery.enroll adds a pending admin; user.disable ends an enabled principal. The key is the
// event's own `signing_key`. nullopt: the event changes no signer. An event that does not fit
// its subject is refused, naming the event.
[[nodiscard]] Result<std::optional<Signer>> signer_after(const Event& event, const std::optional<Signer>& before);

} // namespace brankas
