#include "web/vault_calls.hpp"

#include "vault/store_key_change.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/decisions.hpp"
#include "vault/log/actions.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <array>
#include <cstring>
#include <mutex>
#include <thread>

namespace brankas::web {

Result<policy::Policy> policy_in_force(Session& session) { return BRANKAS_TRY(brankas::policy_state(session)).policy; }

Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us) { return totp_code(seed, now_us / 1'000'000); }

// ---- the admin's pages ----

Result<EnrollmentCode> add_person(Session& session, std::string_view name, policy::Role role, const std::vector<std::string>& units) {
    return add_user(session, name, role, units, kdf_limits(KdfProfile::interactive));
}

Result<std::vector<HandoverInfo>> handovers_in_vault(Session& session) { return brankas::list_handovers(session, std::nullopt); }

Result<HandoverInfo> handover_of(Session& session, std::int64_t id) { return show_handover(session, id); }

Result<HandoverInfo> start_handover_of(Session& session, const HandoverRequest& request) { return start_handover(session, request); }

Result<HandoverInfo> witness_handover_of(Session& session, std::int64_t id) { return witness_handover(session, id); }

Result<HandoverInfo> complete_handover_of(Session& session, std::int64_t id) { return complete_handover(session, id); }

Result<HandoverInfo> cancel_handover_of(Session& session, std::int64_t id, std::string_view reason) {
    return cancel_handover(session, id, reason);
}

} // namespace brankas::web

// ---- the auditor's pages ----

namespace brankas::web {

void prepare_verification() { (void)vault_projection(); }

struct Verification::Job {
    mutable std::mutex mutex;
    State state;
    std::thread thread;
};

Result<std::shared_ptr<Verification>> Verification::start(Session& session, std::mutex& turn) {
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
    job->thread = std::thread([job, connection, id, store, shared_key, &turn]() mutable {
        std::unique_lock held(turn, std::try_to_lock);
        if (!held.owns_lock()) {
            {
                std::lock_guard lock(job->mutex);
                job->state.waiting = true;
            }
            held.lock();
            std::lock_guard lock(job->mutex);
            job->state.waiting = false;
        }
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

Result<PendingRotation> start_rotation(Session& session, std::int64_t account, std::string_view reason, BreakGlass glass) {
    return brankas::start_rotation(session, account, PasswordRules{}, reason, glass);
}

Status permit_on_account(Session& session, policy::Action action, const AccountInfo& account) {
    return session.permit(action, account_target(account.id), account.unit);
}

void derive_for_nothing(const std::filesystem::path& vault, SlotKind kind, KdfProfile fallback) {
    std::optional<KdfLimits> usual;
    if (auto keyring = Keyring::load(VaultPaths{vault}.keyring())) usual = keyring->usual_limits(kind);
    std::array<std::uint8_t, kdf_salt_size> salt{};
    (void)derive_key("-", salt, usual.value_or(kdf_limits(fallback)));
}

Result<AccountInfo> readable_account(Session& session, std::int64_t id) {
    AccountInfo a = BRANKAS_TRY(show_account(session, std::to_string(id)));
    BRANKAS_TRY(permit_on_account(session, policy::Action::read_history, a));
    return a;
}

} // namespace brankas::web
