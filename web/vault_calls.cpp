#include "web/vault_calls.hpp"

#include "vault/store_key_change.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/decisions.hpp"
#include "vault/log/actions.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <cstring>
#include <mutex>
#include <thread>

namespace brankas::web {

Result<policy::Policy> policy_in_force(Session& session) { return BRANKAS_TRY(brankas::policy_state(session)).policy; }

Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us) { return totp_code(seed, now_us / 1'000'000); }

// ---- the admin's pages ----

Result<std::vector<UnitInfo>> units_in_vault(Session& session) { return list_units(session); }

Result<UnitInfo> add_sub_district(Session& session, std::string_view code, std::string_view name) { return add_unit(session, code, name); }

Result<std::vector<UserInfo>> people_in_vault(Session& session) { return list_users(session); }

Result<EnrollmentCode> add_person(Session& session, std::string_view name, policy::Role role, const std::vector<std::string>& units) {
    return add_user(session, name, role, units, kdf_limits(KdfProfile::interactive));
}

Status grant_sub_district(Session& session, std::string_view name, std::string_view unit) { return grant(session, name, unit); }

Status revoke_sub_district(Session& session, std::string_view name, std::string_view unit) { return revoke(session, name, unit); }

Result<std::vector<std::string>> disable_person(Session& session, std::string_view name) { return disable_user(session, name, StoreRekey::no); }

Result<std::vector<TermInfo>> terms_in_vault(Session& session) { return list_terms(session); }

Result<std::vector<policy::ReactivatedUnit>> add_term_of(Session& session, std::string_view name, std::int64_t start_us, std::int64_t end_us,
                                                        const std::vector<std::string>& units) {
    return add_term(session, name, start_us, end_us, units);
}

Result<std::vector<policy::ReactivatedUnit>> extend_term_of(Session& session, std::string_view name, std::int64_t end_us,
                                                           const std::vector<std::string>& units) {
    return extend_term(session, name, end_us, units);
}

Status end_term_of(Session& session, std::string_view name, const std::vector<std::string>& units) { return end_term(session, name, units); }

Result<PolicyState> policy_state_of(Session& session) { return brankas::policy_state(session); }

Result<Explanation> explain_decision(Session& session, const ExplainQuestion& question) { return explain(session, question); }

Result<std::int64_t> store_password(Session& session, std::int64_t account, const SecretInput& input) {
    return set_secret(session, account, input);
}

Result<std::vector<HandoverInfo>> handovers_in_vault(Session& session) { return brankas::list_handovers(session, std::nullopt); }

Result<HandoverInfo> handover_of(Session& session, std::int64_t id) { return show_handover(session, id); }

Result<HandoverInfo> start_handover_of(Session& session, const HandoverRequest& request) { return start_handover(session, request); }

Result<HandoverInfo> witness_handover_of(Session& session, std::int64_t id) { return witness_handover(session, id); }

Result<HandoverInfo> complete_handover_of(Session& session, std::int64_t id) { return complete_handover(session, id); }

Result<HandoverInfo> cancel_handover_of(Session& session, std::int64_t id, std::string_view reason) {
    return cancel_handover(session, id, reason);
}

Result<std::vector<ChecklistInfo>> unfinished_checklists(Session& session) { return incomplete_checklists(session); }

Result<std::vector<std::string>> units_owing_key_rotation(Session& session) { return units_owing_rotation(session); }

} // namespace brankas::web

// ---- the auditor's pages ----

namespace brankas::web {

std::vector<std::string_view> audit_actions() { return brankas::audit_actions(); }

void prepare_verification() { (void)vault_projection(); }

struct Verification::Job {
    mutable std::mutex mutex;
    State state;
    std::thread thread;
};

Result<std::shared_ptr<Verification>> Verification::start(Session& session) {
    // The job's own connection, opened here so that a store that no longer opens with this
    // session's key (a re-key) is the request's error, not the thread's.
    SecretBytes key(session.store_key().size());
    std::memcpy(key.data(), session.store_key().data(), key.size());
    auto connection = std::make_shared<Database>(BRANKAS_TRY(Database::open_encrypted(session.paths().store(), key, Database::Mode::open_existing)));
    std::shared_ptr<Verification> v(new Verification());
    v->job_ = std::make_unique<Job>();
    v->job_->state.started_us = session.clock().now_us();
    Job* job = v->job_.get();
    VaultId id = session.vault_id();
    std::filesystem::path store = session.paths().store();
    auto shared_key = std::make_shared<SecretBytes>(std::move(key));
    job->thread = std::thread([job, connection, id, store, shared_key]() mutable {
        VerifyOptions options;
        options.progress = [job](const VerifyProgress& p) {
            std::lock_guard lock(job->mutex);
            job->state.progress = p;
        };
        options.another_connection = [store, shared_key] {
            return Database::open_encrypted(store, *shared_key, Database::Mode::open_existing);
        };
        Result<VerifyReport> r = verify_log(*connection, id, vault_projection(), options);
        connection.reset();
        shared_key.reset(); // the key copy is wiped as soon as the log is read
        std::lock_guard lock(job->mutex);
        job->state.result = std::move(r);
    });
    return v;
}

Verification::State Verification::state() const {
    std::lock_guard lock(job_->mutex);
    return job_->state;
}

Verification::~Verification() {
    if (job_ && job_->thread.joinable()) job_->thread.join();
}

// ---- the pages for everyone ----

Result<Session> enroll(const std::filesystem::path& vault, std::string_view user, std::string_view code,
                       const PassphraseSource& passphrase, const Clock& clock) {
    return Vault::enroll(vault, user, code, passphrase, kdf_limits(KdfProfile::moderate), clock);
}

Status change_passphrase(Session& session, const PassphraseSource& passphrase) {
    return brankas::change_passphrase(session, passphrase, kdf_limits(KdfProfile::moderate));
}

bool store_rekeyed_since_open(Session& session) {
    return holds_store_key_after(session.paths().keyring(), session.store_generation());
}

// ---- the custodian's extras ----

Result<PendingRotation> start_rotation(Session& session, std::int64_t account, std::string_view reason) {
    return brankas::start_rotation(session, account, PasswordRules{}, reason);
}

Status permit_on_account(Session& session, policy::Action action, const AccountInfo& account) {
    return session.permit(action, account_target(account.id), account.unit);
}

Result<RevealedSecret> reveal_pending(Session& session, std::int64_t account, std::string_view reason) {
    return reveal_secret(session, account, reason, SecretPart::password, SecretVersionChoice::pending);
}


} // namespace brankas::web
