#include "web/vault_calls.hpp"

#include "vault/decisions.hpp"

namespace brankas::web {

Result<policy::Policy> policy_in_force(Session& session) { return BRANKAS_TRY(session.policy_state()).policy; }

Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us) { return totp_code(seed, now_us / 1'000'000); }

Result<bool> engine_allows(Session& session, policy::Action action, std::string_view unit) {
    policy::Request request;
    request.action = action;
    Actor actor{session.user(), session.role()};
    policy::Decision d = BRANKAS_TRY(decide_as(session.db(), actor, session.clock().now_us(), request, unit));
    return d.allowed();
}

} // namespace brankas::web
