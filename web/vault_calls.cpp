#include "web/vault_calls.hpp"

#include "vault/crypto/primitives.hpp"
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

// ---- the admin's pages ----

Result<std::vector<UnitInfo>> units_in_vault(Session& session) { return session.list_units(); }

Result<UnitInfo> add_sub_district(Session& session, std::string_view code, std::string_view name) { return session.add_unit(code, name); }

Result<std::vector<UserInfo>> people_in_vault(Session& session) { return session.list_users(); }

Result<EnrollmentCode> add_person(Session& session, std::string_view name, policy::Role role, const std::vector<std::string>& units) {
    return session.add_user(name, role, units, kdf_limits(KdfProfile::interactive));
}

Status grant_sub_district(Session& session, std::string_view name, std::string_view unit) { return session.grant(name, unit); }

Status revoke_sub_district(Session& session, std::string_view name, std::string_view unit) { return session.revoke(name, unit); }

Result<std::vector<std::string>> disable_person(Session& session, std::string_view name) { return session.disable_user(name, false); }

Result<std::vector<TermInfo>> terms_in_vault(Session& session) { return session.list_terms(); }

Result<std::vector<policy::ReactivatedUnit>> add_term_of(Session& session, std::string_view name, std::int64_t start_us, std::int64_t end_us,
                                                        const std::vector<std::string>& units) {
    return session.add_term(name, start_us, end_us, units);
}

Result<std::vector<policy::ReactivatedUnit>> extend_term_of(Session& session, std::string_view name, std::int64_t end_us,
                                                           const std::vector<std::string>& units) {
    return session.extend_term(name, end_us, units);
}

Status end_term_of(Session& session, std::string_view name, const std::vector<std::string>& units) { return session.end_term(name, units); }

Result<PolicyState> policy_state_of(Session& session) { return session.policy_state(); }

Result<Explanation> explain_decision(Session& session, const ExplainQuestion& question) { return session.explain(question); }

Result<std::int64_t> store_password(Session& session, std::int64_t account, const SecretInput& input) {
    return session.set_secret(account, input);
}

Result<std::vector<HandoverInfo>> handovers_in_vault(Session& session) { return session.list_handovers(std::nullopt); }

Result<HandoverInfo> handover_of(Session& session, std::int64_t id) { return session.handover(id); }

Result<HandoverInfo> start_handover_of(Session& session, const HandoverRequest& request) { return session.start_handover(request); }

Result<HandoverInfo> witness_handover_of(Session& session, std::int64_t id) { return session.witness_handover(id); }

Result<HandoverInfo> complete_handover_of(Session& session, std::int64_t id) { return session.complete_handover(id); }

Result<HandoverInfo> cancel_handover_of(Session& session, std::int64_t id, std::string_view reason) {
    return session.cancel_handover(id, reason);
}

Result<VaultStatus> vault_status(Session& session) { return session.status(); }

Result<std::vector<ChecklistInfo>> unfinished_checklists(Session& session) { return session.incomplete_checklists(); }

Result<std::vector<std::string>> units_owing_key_rotation(Session& session) { return session.units_owing_rotation(); }

} // namespace brankas::web
