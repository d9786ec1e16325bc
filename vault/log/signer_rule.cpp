#include "vault/log/signer_rule.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

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

std::string_view signer_subject(const Event& e) {
    if (e.action == actions::vault_create) return e.actor;
    for (std::string_view action : {actions::user_add, actions::user_enroll, actions::user_disable, actions::recovery_split,
                                    actions::recovery_reset, actions::recovery_enroll})
        if (e.action == action) return e.target;
    return {};
}

Result<std::optional<Signer>> signer_after(const Event& e, const std::optional<Signer>& before) {
    using Changed = std::optional<Signer>;
    const bool enabled = before && before->status != PrincipalStatus::disabled;
    if (e.action == actions::user_disable) {
        if (!enabled) return event_refused(e, i18n::tr_noop("disables '%s', who is not an enabled user"), {e.target});
        return Changed(Signer{before->role, PrincipalStatus::disabled, before->signing_key});
    }
    if (signer_subject(e).empty()) return Changed{};
    // Every other change introduces a key of the subject's own.
    auto key = e.details.get_array<public_key_size>("signing_key");
    if (!key) return event_refused(e, i18n::tr_noop("lacks its 'signing_key' field"));
    if (e.action == actions::vault_create) {
        if (before) return event_refused(e, i18n::tr_noop("creates a vault that has its first admin already"));
        return Changed(Signer{"admin", PrincipalStatus::active, *key});
    }
    if (e.action == actions::user_add) {
        auto role = e.details.get_text("role");
        if (!role) return event_refused(e, i18n::tr_noop("lacks its 'role' field"));
        if (before) return event_refused(e, i18n::tr_noop("adds '%s' a second time"), {e.target});
        // People enroll before they are active; the enforcer's key file is its own from the start.
        return Changed(Signer{*role, *role == "enforcer" ? PrincipalStatus::active : PrincipalStatus::pending, *key});
    }
    if (e.action == actions::user_enroll) {
        // Signed with the key the enrollment code unlocked: only a pending principal, only themselves.
        if (!before || before->status != PrincipalStatus::pending || e.target != e.actor)
            return event_refused(e, i18n::tr_noop("enrolls someone who is not pending, or someone else"));
        return Changed(Signer{before->role, PrincipalStatus::active, *key});
    }
    if (e.action == actions::recovery_split) {
        if (before && before->role != "recovery") return event_refused(e, i18n::tr_noop("gives the recovery principal's name to a user who has it"));
        return Changed(Signer{"recovery", PrincipalStatus::active, *key});
    }
    if (e.action == actions::recovery_reset) {
        if (!enabled || before->role != "admin") return event_refused(e, i18n::tr_noop("resets someone who is not an enabled admin"));
        return Changed(Signer{"admin", PrincipalStatus::pending, *key});
    }
    // recovery.enroll
    if (before) return event_refused(e, i18n::tr_noop("adds '%s' a second time"), {e.target});
    return Changed(Signer{"admin", PrincipalStatus::pending, *key});
}

} // namespace brankas
