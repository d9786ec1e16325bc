#include "vault/log/signer_rule.hpp"

#include "vault/log/actions.hpp"

namespace brankas {

std::string_view principal_status_name(PrincipalStatus status) noexcept {
    switch (status) {
    case PrincipalStatus::pending: return "pending";
    case PrincipalStatus::active: return "active";
    case PrincipalStatus::disabled: return "disabled";
    }
    return "unknown";
}

std::optional<PrincipalStatus> parse_principal_status(std::string_view name) noexcept {
    for (PrincipalStatus s : {PrincipalStatus::pending, PrincipalStatus::active, PrincipalStatus::disabled})
        if (principal_status_name(s) == name) return s;
    return std::nullopt;
}

std::optional<PublicKey> signing_key_for(const Event& e, const std::optional<SignerStanding>& actor) {
    if (e.action == actions::vault_create) return e.details.get_array<public_key_size>("signing_key");
    if (!actor) return std::nullopt;
    if (actor->status == PrincipalStatus::active) return actor->signing_key;
    if (actor->status == PrincipalStatus::pending && e.action == actions::user_enroll) return actor->signing_key;
    return std::nullopt;
}

} // namespace brankas
