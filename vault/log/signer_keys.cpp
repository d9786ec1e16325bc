#include "vault/log/signer_keys.hpp"

#include "vault/log/actions.hpp"

namespace brankas {

namespace {

std::unexpected<Error> does_not_fit(const Event& e, std::string why) {
    return fail(ErrorCode::verification_failed, "event " + std::to_string(e.seq) + " (" + e.action + ") " + why);
}

} // namespace

std::optional<PublicKey> SignerKeys::expected(const Event& e) const {
    std::optional<SignerStanding> actor;
    if (auto it = principals_.find(e.actor); it != principals_.end()) actor = SignerStanding{it->second.status, it->second.signing_key};
    return signing_key_for(e, actor);
}

Status SignerKeys::learn(const Event& e) {
    if (e.action == actions::vault_create) {
        auto key = e.details.get_array<public_key_size>("signing_key");
        if (!key || !principals_.empty()) return does_not_fit(e, "is not the only genesis, or lacks the first admin's key");
        principals_[e.actor] = Principal{"admin", PrincipalStatus::active, *key};
    } else if (e.action == actions::user_add) {
        auto key = e.details.get_array<public_key_size>("signing_key");
        auto role = e.details.get_text("role");
        if (!key || !role || principals_.contains(e.target)) return does_not_fit(e, "does not add a new user with a key");
        // People enroll before they are active; the enforcer's key file is its own from the start.
        principals_[e.target] = Principal{*role, *role == "enforcer" ? PrincipalStatus::active : PrincipalStatus::pending, *key};
    } else if (e.action == actions::user_enroll) {
        auto key = e.details.get_array<public_key_size>("signing_key");
        auto it = principals_.find(e.actor);
        if (!key || it == principals_.end() || it->second.status != PrincipalStatus::pending || e.target != e.actor)
            return does_not_fit(e, "enrolls someone who is not pending, or without a key");
        it->second.status = PrincipalStatus::active;
        it->second.signing_key = *key;
    } else if (e.action == actions::recovery_split || e.action == actions::recovery_reset || e.action == actions::recovery_enroll) {
        // The recovery principal is created (or re-keyed) active; the quorum's reset and
        // enrolment leave an admin pending with new keys, until they enroll.
        auto key = e.details.get_array<public_key_size>("signing_key");
        if (!key) return does_not_fit(e, "lacks its signing key");
        auto it = principals_.find(e.target);
        if (e.action == actions::recovery_split) {
            principals_[e.target] = Principal{"recovery", PrincipalStatus::active, *key};
        } else if (e.action == actions::recovery_reset) {
            if (it == principals_.end() || it->second.role != "admin" || it->second.status == PrincipalStatus::disabled)
                return does_not_fit(e, "resets someone who is not an enabled admin");
            it->second.status = PrincipalStatus::pending;
            it->second.signing_key = *key;
        } else {
            if (it != principals_.end()) return does_not_fit(e, "enrolls an admin who already exists");
            principals_[e.target] = Principal{"admin", PrincipalStatus::pending, *key};
        }
    } else if (e.action == actions::user_disable) {
        auto it = principals_.find(e.target);
        if (it == principals_.end() || it->second.status == PrincipalStatus::disabled) return does_not_fit(e, "disables someone who is not enabled");
        it->second.status = PrincipalStatus::disabled;
    }
    return {};
}

} // namespace brankas
