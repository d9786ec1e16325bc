// A session: one unlocked user of one vault (Vault in vault.hpp opens it). Everything a command
// does goes through it; nothing here prints.
#pragma once

#include "vault/accounts/accounts.hpp"
#include "vault/audit/audit_views.hpp"
#include "vault/backup/backups.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/change.hpp"
#include "vault/clock.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/event_log.hpp"
#include "vault/log/verifier.hpp"
#include "vault/import/imports.hpp"
#include "vault/handover/handover.hpp"
#include "vault/keyring.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/secrets/secrets.hpp"
#include "policy/enforcement.hpp"
#include "policy/engine.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/store/database.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

struct VaultPaths {
    std::filesystem::path dir;
    [[nodiscard]] std::filesystem::path store() const { return dir / "store.db"; }
    [[nodiscard]] std::filesystem::path keyring() const { return dir / "keyring"; }
};

struct CreateOptions {
    std::string institution;
    std::string admin;
    KdfLimits kdf;
};

// Asked only once the user's slot was found, so "no such user" never costs a prompt.
using PassphraseSource = std::function<Result<SecretBytes>()>;
// The 32 bytes of a key file, read only once the user's slot was found.
using KeyFileSource = std::function<Result<SecretBytes>()>;

struct SlotInfo {
    SlotKind kind = SlotKind::passphrase;
    SlotKdf kdf = SlotKdf::argon2id13;
    KdfLimits limits; // zero for a key file
    std::int64_t created_us = 0;
    std::int64_t expires_us = 0;
};

struct PrincipalInfo {
    std::string name, role, status;
    std::optional<SlotInfo> slot; // the keyring slot that unlocks as this principal, if any
};

// The recovery principal's one name: `recovery split` creates it, `recovery unlock` acts as it.
inline constexpr std::string_view recovery_principal = "recovery";

// The latest `recovery split`, as the log records it.
struct RecoverySetup {
    int shares = 0, threshold = 0;
    std::int64_t split_us = 0;
    std::string split_by;
    std::string status; // of the recovery principal: "active", or "disabled"
};

// A recovery action (recovery.reset, recovery.enroll), as the log records it.
struct RecoveryActionRecord {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string action, target;
};

struct VaultStatus {
    VaultId vault_id{};
    std::string institution;
    int schema_version = 0;
    std::string cipher_version;
    std::uint64_t events = 0;
    Hash head{};
    std::int64_t last_event_us = 0;
    std::optional<std::uint64_t> last_checkpoint_seq;
    std::string last_checkpoint_signer;
    std::vector<PrincipalInfo> principals;
    std::size_t slots = 0;     // all slots in the keyring
    std::size_t envelopes = 0; // newer store keys waiting in the keyring for their slot's owner
    std::uint32_t store_generation = 1;
    std::optional<RecoverySetup> recovery;
    std::optional<RecoveryActionRecord> last_recovery_action;
};

struct UnitInfo {
    std::string code, name;
    std::int64_t key_version = 0;
    std::int64_t accounts = 0;
    std::vector<std::string> key_holders; // who holds the current key (names, sorted)
};

struct UserInfo {
    std::string name, role, status;
    std::vector<std::string> units; // current grants (custodians)
    std::optional<SlotInfo> slot;
};

struct EnrollmentCode {
    SecretBytes code; // shown once, e.g. ABCD-EFGH-JKMN-PQRS-TVWX (100 bits)
    std::int64_t expires_us = 0;
    policy::TimeZone time_zone; // the policy's, to tell a person when it expires
};

// ---- policy, terms, check-outs, rotation, enforcement ----

struct PolicyState {
    policy::Policy policy;                 // in force: the stored document's, or the defaults
    std::optional<std::string> document;   // the stored document, if one was set
    std::int64_t set_us = 0;
    std::string set_by;
};

// What `policy explain` shows: the question, the facts found and the decision.
struct Explanation {
    std::string user, role;
    policy::Action action = policy::Action::read_metadata;
    std::optional<AccountInfo> account;
    std::optional<std::int64_t> handover; // the handover a step is about (facts.handover holds its facts)
    std::string handover_unit;
    std::int64_t at_us = 0;
    policy::Facts facts;
    policy::Decision decision;
};

struct ExplainQuestion {
    std::string user;                  // whose decision
    policy::Action action = policy::Action::checkout;
    std::optional<std::int64_t> account;
    std::optional<std::int64_t> handover; // for a handover step: the handover, as it stands now
    std::int64_t at_us = 0;
    std::string reason;
    bool break_glass = false;
    std::optional<std::int64_t> duration_us;
};

struct TermUnitEnd {
    std::string unit;
    std::optional<std::int64_t> end_us; // its own end, when `term extend`/`term end` gave it one
};

struct TermInfo {
    std::string name;
    std::int64_t start_us = 0, end_us = 0;
    bool all_units = false;
    std::vector<TermUnitEnd> units; // the units it names, and units with an end of their own
    std::int64_t created_us = 0;
};

struct ChecklistStepInfo {
    std::string id, text;
    bool waits = false;
    std::optional<std::int64_t> wait_until_us;
    bool done = false;
    std::int64_t done_us = 0;
    std::string done_by, note;
};

struct ChecklistInfo {
    AccountInfo account;
    std::int64_t opened_us = 0;
    std::vector<ChecklistStepInfo> steps;
    [[nodiscard]] bool complete() const noexcept;
};

struct EnforcementReport {
    policy::EnforcementPlan plan;
    std::size_t sealed = 0;        // fresh pending passwords sealed
    std::size_t rotated_units = 0; // unit keys switched to their standby after their custodians were revoked
    std::vector<std::string> rotation_owed; // units whose custodians were revoked but that had no standby key
    std::size_t events = 0;
    double sealing_seconds = 0; // measured time spent generating and sealing the new passwords
};

// What `recovery split` made: one share file per holder.
struct RecoverySplit {
    std::vector<std::filesystem::path> files;
    bool replaced = false;                  // an earlier split existed: its shares open nothing now
    std::vector<std::string> rotated_units; // on replacing: the units moved to fresh keys
};

enum class RecoveryAction {
    reset_passphrase, // an admin's slot becomes an enrollment slot with a new one-time code
    enroll_admin,     // a new admin, who enrolls with a one-time code
};

struct RecoveryRequest {
    RecoveryAction action = RecoveryAction::reset_passphrase;
    std::string name;  // the admin
    KdfLimits code_kdf; // of the enrollment code's slot
};

// One unlocked user of one vault: their keys in secure memory, the store and the clock.
// Vault (vault.hpp) hands it out; the domains act through it.
class Session {
public:
    Session(Session&&) noexcept = default;
    Session& operator=(Session&&) noexcept = default;

    [[nodiscard]] const std::string& user() const noexcept { return user_; }
    [[nodiscard]] policy::Role role() const noexcept { return role_; }
    [[nodiscard]] const VaultPaths& paths() const noexcept { return paths_; }
    [[nodiscard]] const VaultId& vault_id() const noexcept { return keyring_.vault_id(); }
    [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }
    // Which K_db the store is under (1 at init, +1 per re-key).
    [[nodiscard]] std::uint32_t store_generation() const noexcept { return store_generation_; }

    // The one commit path (change.hpp): `body(Change&)` runs under the write lock at one
    // instant; what it appends commits when it succeeds (or refuses), and nothing otherwise.
    template <class Body>
    [[nodiscard]] auto write(Body&& body) -> std::invoke_result_t<Body&, Change&> {
        Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
        Change change(*this, BRANKAS_TRY(write_instant()));
        auto result = body(change);
        if (!result && !change.refused_) return result; // the transaction rolls back
        BRANKAS_TRY(commit(change, tx));
        return result;
    }
    // For what only reads: permits `action` now, or records the refusal (in a write of its own,
    // decided again at that write's instant) and returns it.
    [[nodiscard]] Status permit(policy::Action action, std::string_view target, std::string_view unit = {});

    // What the domains work with (vault/ only: no face touches the store or a key).
    [[nodiscard]] Database& db() noexcept { return db_; }
    [[nodiscard]] const Keyring& keyring() const noexcept { return keyring_; }
    [[nodiscard]] const SigningKey& signing_key() const noexcept { return signing_key_; }
    [[nodiscard]] const BoxKeyPair& box_keys() const noexcept { return box_keys_; }
    [[nodiscard]] const SecretBytes& store_key() const noexcept { return store_key_; }
    // Fails (busy) when the store was re-keyed since this session opened it.
    [[nodiscard]] Status check_store_generation();
    // Of the units domain, for the secrets, rotation and import domains: this user's copy of the
    // unit's key at `key_version` (0: the current one); the unit's current public key and its
    // version (what new versions are sealed to); a new unit's unit.add and its keys, inside the
    // caller's write transaction (unit add, and import with --create-units).
    [[nodiscard]] Result<BoxKeyPair> unit_key_pair(std::string_view unit, std::int64_t key_version = 0);
    struct UnitPublicKey {
        PublicKey key{};
        std::int64_t version = 0;
    };
    [[nodiscard]] Result<UnitPublicKey> current_unit_key(std::string_view unit);
    [[nodiscard]] Result<std::vector<std::string>> append_unit(std::string_view code, std::string_view name);

    [[nodiscard]] Result<VaultStatus> status();
    [[nodiscard]] Status for_each_event(const std::function<bool(const EventSummary&)>& visit);
    // Records the checkpoint in the log (who took it, when) and returns it signed; its sequence
    // and head are those of that very event.
    [[nodiscard]] Result<Checkpoint> take_checkpoint();
    [[nodiscard]] Result<VerifyReport> verify(const std::optional<Checkpoint>& checkpoint);
    // With threads, a progress callback, or only what came after a checkpoint (verifier.hpp).
    [[nodiscard]] Result<VerifyReport> verify(const VerifyOptions& options);


    // ---- sub-districts (vault/ops/units.cpp) ----
    [[nodiscard]] Result<UnitInfo> add_unit(std::string_view code, std::string_view name);
    [[nodiscard]] Result<std::vector<UnitInfo>> list_units();
    // A fresh key pair for the unit (and a new standby), every version re-sealed, every account
    // flagged for a password change; for a key the admin suspects, or one the enforcer could not
    // rotate.
    [[nodiscard]] Status rotate_unit(std::string_view code, std::string_view reason);
    // Units where someone whose grant ended still holds the current key.
    [[nodiscard]] Result<std::vector<std::string>> units_owing_rotation();

    // ---- policy (vault/ops/policy.cpp) ----
    [[nodiscard]] Result<PolicyState> policy_state();
    // Stores a document (an event); ErrorCode::usage with every error's line when it does not parse.
    [[nodiscard]] Status set_policy(std::string_view document);
    [[nodiscard]] Result<Explanation> explain(const ExplainQuestion& question);

    // ---- terms (vault/ops/terms.cpp) ----
    // `units` empty: every unit, including those added later.
    // Both return the units whose deactivated accounts came back at once (the term is under way
    // for them); a future term brings them back when it starts, at the enforcer's next run.
    [[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> add_term(std::string_view name, std::int64_t start_us, std::int64_t end_us,
                                                                       const std::vector<std::string>& units);
    [[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> extend_term(std::string_view name, std::int64_t end_us,
                                                                          const std::vector<std::string>& units);
    [[nodiscard]] Status end_term(std::string_view name, const std::vector<std::string>& units);
    [[nodiscard]] Result<std::vector<TermInfo>> list_terms();

    // ---- end of term (vault/ops/enforce.cpp) ----
    // The plan as of `at_us`, changing nothing (`enforce --dry-run [--at]`).
    [[nodiscard]] Result<policy::EnforcementPlan> enforcement_plan(std::int64_t at_us);
    // Carries out the plan as of now, in one transaction; running it again changes nothing.
    [[nodiscard]] Result<EnforcementReport> enforce();
    [[nodiscard]] Result<std::optional<ChecklistInfo>> checklist(std::int64_t account);
    [[nodiscard]] Status tick_checklist(std::int64_t account, std::string_view step, std::string_view note);
    [[nodiscard]] Result<std::vector<ChecklistInfo>> incomplete_checklists();

    // ---- people (vault/ops/people.cpp) ----
    // Adds a person who enrolls with the returned one-time code (their slot expires after
    // the policy's enrollment code lifetime). `units` only for custodians.
    [[nodiscard]] Result<EnrollmentCode> add_user(std::string_view name, policy::Role role,
                                                  const std::vector<std::string>& units, const KdfLimits& code_kdf);
    [[nodiscard]] Result<std::vector<UserInfo>> list_users();
    [[nodiscard]] Status grant(std::string_view name, std::string_view unit);
    // Ends the grant and rotates the unit's key: new key pair, current holders and every
    // version re-sealed, every account of the unit flagged for a password change.
    [[nodiscard]] Status revoke(std::string_view name, std::string_view unit);
    // Ends a principal: their slot goes, their signing key is retired and every sub-district
    // whose key they held is rotated. The pending enrollments and the enforcers they created
    // end with them (their codes and key files passed through their hands); their names are
    // returned. With `rekey`, the store also moves to a fresh K_db that reaches every
    // remaining slot; a crash part-way is finished by the next open.
    [[nodiscard]] Result<std::vector<std::string>> disable_user(std::string_view name, bool rekey);
    // Seals this user's own slot again under a new passphrase (checked for quality).
    [[nodiscard]] Status change_passphrase(const PassphraseSource& new_passphrase, const KdfLimits& kdf);
    // Creates the unattended enforcer, active at once, whose slot opens with 32 random bytes
    // written to `key_file` (mode 0600; an existing file is never replaced). It holds no unit key.
    [[nodiscard]] Status add_enforcer(std::string_view name, const std::filesystem::path& key_file);

    // ---- what auditors read (vault/ops/audit.cpp, vault/ops/reports.cpp; audit_views.hpp) ----
    // The events that pass the filter, in order, through one cursor; `visit` returns false to stop.
    [[nodiscard]] Status audit_log(const AuditFilter& filter, const std::function<bool(const AuditEntry&)>& visit);
    // Every action this brankas records (what a filter may name).
    [[nodiscard]] static std::vector<std::string_view> audit_actions();
    // Password reads, check-outs and rotations, by account, then in order.
    [[nodiscard]] Status access_report(const AccessFilter& filter, const std::function<bool(const AccessEntry&)>& visit);
    // The current (and pending) passwords `person` was shown, stored, or held a unit key for.
    [[nodiscard]] Result<ExposureReport> exposure_report(std::string_view person);
    // Accounts by status, rotations due, overdue check-outs, term ends within `window_us` from now.
    [[nodiscard]] Result<StatusReport> status_report(std::int64_t window_us);
    // ---- threshold recovery (vault/ops/recovery.cpp) ----
    // Creates (or replaces) the recovery principal: a fresh random key opens its slot and is
    // split into `shares` share files in `out_dir` (mode 0600, never over an existing file), any
    // `threshold` of which recover it. It receives every key of every unit, as an admin does.
    // Replacing moves every unit to a fresh key, so the old key opens nothing written from now on.
    [[nodiscard]] Result<RecoverySplit> split_recovery(int shares, int threshold, const std::filesystem::path& out_dir);
    // Combines the shares, opens the recovery slot and performs exactly one action as the
    // recovery principal; returns the enrollment code it issued.
    [[nodiscard]] static Result<EnrollmentCode> recover(const std::filesystem::path& dir, const std::vector<RecoveryShare>& shares,
                                                        const RecoveryRequest& request, const Clock& clock);
    static Result<EnrollmentCode> recover(const std::filesystem::path&, const std::vector<RecoveryShare>&, const RecoveryRequest&,
                                          const Clock&&) = delete;

    // ---- handovers (vault/ops/handover.cpp; handover.hpp) ----
    [[nodiscard]] Result<HandoverInfo> start_handover(const HandoverRequest& request);
    [[nodiscard]] Result<HandoverInfo> accept_handover(std::int64_t id);
    // An admin's witness also completes the handover when nothing else is missing.
    [[nodiscard]] Result<HandoverInfo> witness_handover(std::int64_t id);
    // In one transaction: the receiver granted, the outgoing custodians revoked, the unit key
    // rotated to its standby, every account handed over flagged for a new password.
    [[nodiscard]] Result<HandoverInfo> complete_handover(std::int64_t id);
    [[nodiscard]] Result<HandoverInfo> cancel_handover(std::int64_t id, std::string_view reason);
    [[nodiscard]] Result<HandoverInfo> handover(std::int64_t id);
    [[nodiscard]] Result<std::vector<HandoverInfo>> list_handovers(const std::optional<std::string>& unit);
    [[nodiscard]] Result<HandoverLookup> lookup_handover(std::string_view code);

private:
    // Tests tamper with the store through the library, as someone holding K_db could; they
    // reach the connection through this friend, which only the test suite defines.
    friend struct VaultTestAccess;

    friend class Vault;
    friend class Change;
    Session(VaultPaths paths, Keyring keyring, std::string user, policy::Role role, SecretBytes store_key,
          std::uint32_t store_generation, SigningKey signing_key, BoxKeyPair box_keys, Database db, const Clock& clock);
    // The instant of a write: the clock, read once, never before the log's last event.
    [[nodiscard]] Result<std::int64_t> write_instant();
    // Writes the change's keyring, if any, and commits; puts the keyring back if the commit fails.
    [[nodiscard]] Status commit(Change& change, Transaction& tx);
    // Decide -> build -> append to the log and apply to the projection, in one transaction.
    [[nodiscard]] Result<SignedEvent> record(Event event);
    // Appends inside the caller's write transaction, signed with this user's key.
    [[nodiscard]] Result<SignedEvent> append(Event event);
    // The engine's decision for this user now, with the unit's scope and term filled in;
    // `holder` is the account's current hold, for check-out and check-in.
    [[nodiscard]] Result<policy::Decision> decide_now(policy::Request request, std::optional<policy::Holder> holder, std::string_view unit,
                                                      const policy::Policy& pol);
    // Records the refusal (outside any write transaction) and returns it as an error.
    [[nodiscard]] Status record_denial(policy::Action action, std::string_view target, const policy::Decision& d);
    [[nodiscard]] Result<policy::EnforcementFacts> enforcement_facts();
    // Brings back the deactivated accounts of units inside a term again (unit.reactivate, one
    // event per unit), inside the caller's write transaction.
    [[nodiscard]] Status reactivate_units(const std::vector<policy::ReactivatedUnit>& units, std::size_t& events);
    // After a term changed: the units it put inside a term now, reactivated at once.
    [[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> reactivate_now();

    // The recovery principal's act: a new enrollment slot for admin `name` (reset or new), the
    // event introducing its keys, and every unit key the recovery principal holds sealed to it.
    [[nodiscard]] Result<EnrollmentCode> recovery_act(const RecoveryRequest& request);
    // The latest split and recovery action, for status().
    [[nodiscard]] Status recovery_status(VaultStatus& s);

    // Ops internals (vault/ops/*.cpp).
    [[nodiscard]] Result<std::vector<std::pair<std::string, PublicKey>>> unit_key_recipients(std::string_view unit);
    // Who holds every key of every unit, old and standby: the admins and the recovery principal.
    [[nodiscard]] Result<std::vector<std::pair<std::string, PublicKey>>> key_history_recipients();
    // The unit's standby key: its next key pair, published ahead and sealed to admins only, so
    // that the enforcer can rotate to it at the end of a term without creating a key itself.
    [[nodiscard]] Result<std::optional<std::int64_t>> standby_key_version(std::string_view unit);
    // Publishes a standby key if the unit has none, inside the caller's write transaction.
    [[nodiscard]] Status add_standby_key(std::string_view unit);
    // Transitional, for enforce() until it writes through a Change: append_pending
    // (vault/rotation/rotation.hpp) at the clock's instant, inside the caller's transaction.
    [[nodiscard]] Status append_pending(const AccountInfo& account, const SecretPayload& payload, std::string_view reason);
    [[nodiscard]] Status seal_unit_key(std::string_view unit, std::int64_t key_version, const BoxKeyPair& unit_keys,
                                       std::string_view principal, const PublicKey& principal_box_key);
    // The keyring as it is on disk now; call inside a write transaction, which is what keeps
    // two writers of the keyring apart.
    // It also checks that the store is still at the generation this process opened it with, or
    // new slots would hold a K_db about to go.
    [[nodiscard]] Result<Keyring> reload_keyring();
    // Writes `updated`, then commits; if the commit fails, writes `before` back.
    [[nodiscard]] Status save_keyring_and_commit(Keyring updated, const Keyring& before, Transaction& tx);
    // Rotates the unit's key pair (the holders are read after the caller's events), re-seals
    // every version, flags the unit's accounts and publishes a new standby key; inside the
    // caller's write transaction. The standby becomes the new key unless someone who held it
    // lost their access (then a fresh pair is made).
    enum class StandbyChoice { use, discard };
    [[nodiscard]] Status rotate_unit_key(std::string_view unit, std::string_view reason, StandbyChoice choice);
    // disable_user up to the commit that announces the re-key (tests stop here, as a crash would).
    struct PendingRekey {
        std::uint32_t generation;
        SecretBytes key;
    };
    struct DisableOutcome {
        std::vector<std::string> also_disabled;
        std::optional<PendingRekey> rekey;
    };
    [[nodiscard]] Result<DisableOutcome> disable_and_announce(std::string_view name, bool rekey);
    // Moves the store to `generation`, whose K_db the log has already announced, then drops
    // the envelopes that the store no longer opens with.
    [[nodiscard]] Status finish_rekey(std::uint32_t generation, SecretBytes key);
    // Handover internals (vault/ops/handover.cpp).
    [[nodiscard]] Status permit_handover_step(policy::Action action, std::int64_t id);
    [[nodiscard]] Status append_handover_completion(std::int64_t id);
    [[nodiscard]] Result<HandoverInfo> handover_info(std::int64_t id);

    VaultPaths paths_;
    Keyring keyring_;
    std::string user_;
    policy::Role role_;
    SecretBytes store_key_;   // K_db: new slots (people, the enforcer) wrap it
    std::uint32_t store_generation_ = 1;
    SigningKey signing_key_;  // signs every event this user causes
    BoxKeyPair box_keys_;     // opens the unit keys sealed to this user
    Database db_;
    const Clock* clock_;
};

} // namespace brankas
