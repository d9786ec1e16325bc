// What other domains' appliers read from the people tables (and the people appliers share).
#pragma once

#include "vault/log/event.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// The signer rule's verdict on the event's subject (principal_after), refused when the event
// changes no principal: the people and recovery appliers set a person's row from it.
[[nodiscard]] Result<Signer> changed_principal(Database& db, const Event& e);
// A new row of principals (`name`, the role, standing and signing key of `p`, box key `box`)
// with its first signing key.
[[nodiscard]] Status insert_principal(Database& db, const Event& e, std::string_view name, const Signer& p, const PublicKey& box);
[[nodiscard]] Status insert_signing_key(Database& db, const Event& e, std::string_view principal, const PublicKey& key);

// The event's target gets new keys and `status`: its old signing key signs nothing more. The unit
// keys sealed to its old box key go (KeptUnitKeys::drop: a recovery), or stay until their holder
// re-seals them to the new one (keep: enrollment).
enum class KeptUnitKeys { keep, drop };
[[nodiscard]] Status replace_keys(Database& db, const Event& e, std::string_view status, const PublicKey& signing, const PublicKey& box,
                                  KeptUnitKeys unit_keys);

} // namespace brankas
