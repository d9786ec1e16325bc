// A session: one unlocked user of one vault (Vault in vault.hpp opens it). Everything a command
// does goes through it; nothing here prints.
#pragma once

#include "vault/accounts/accounts.hpp"
#include "vault/audit/audit.hpp"
#include "vault/audit/audit_views.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/change.hpp"
#include "vault/backup/backup_bundle.hpp"
#include "vault/clock.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/event_log.hpp"
#include "vault/log/verifier.hpp"
#include "vault/import/import_table.hpp"
#include "vault/handover/handover.hpp"
#include "vault/keyring.hpp"
#include "vault/policies/policies.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/terms/terms.hpp"
#include "vault/secrets/secret_payload.hpp"
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

struct UnitInfo {
    std::string code, name;
    std::int64_t key_version = 0;
    std::int64_t accounts = 0;
    std::vector<std::string> key_holders; // who holds the current key (names, sorted)
};

struct SecretInput {
    SecretBytes password;
    std::optional<TotpSeed> totp;
    SecretBytes recovery_codes, notes;
    std::string reason; // may be empty
};

struct SecretVersionInfo {
    std::int64_t version = 0;
    std::string set_by, reason;
    std::int64_t set_us = 0;
    bool has_totp = false;
    bool current = false;
};

// What `secret show` and `totp` read: the account and the opened payload of its current version.
struct RevealedSecret {
    AccountInfo account;
    std::int64_t version = 0;
    SecretPayload payload;
};

enum class SecretPart { password, totp };

struct UserInfo {
    std::string name, role, status;
    std::vector<std::string> units; // current grants (custodians)
    std::optional<SlotInfo> slot;
};

struct EnrollmentCode {
    SecretBytes code; // shown once, e.g. ABCD-EFGH-JKMN-PQRS-TVWX (100 bits)
    std::int64_t expires_us = 0;
};

// ---- rotation ----

// The pending version of a rotation, shown once to the person who started it.
struct PendingRotation {
    AccountInfo account;
    std::int64_t version = 0;
    SecretBytes password;
};

enum class SecretVersionChoice { current, pending };

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

struct ConfirmedRotation {
    std::int64_t version = 0;
    bool carried_over = false; // the TOTP seed, recovery codes and notes came from the version before
};

// What `backup verify` and `backup restore` found: the signed manifest, and the full audit
// verification of the copy.
struct BackupReport {
    BackupManifest manifest;
    std::string institution, signer; // read from the copy, once it opened
    PublicKey signer_key{};
    std::uint64_t file_size = 0;
    VerifyReport log;
};

struct ImportOptions {
    bool create_units = false; // a unit the file names that does not exist is created (it needs a code and a name)
    bool dry_run = false;      // check everything and say what would be created; change nothing
};

struct PlannedUnit {
    std::string code, name;
};

// What `import` found and did. With problems, nothing was imported.
struct ImportOutcome {
    std::vector<RowProblem> problems;  // every bad row (reading and vault checks), in line order
    std::vector<PlannedUnit> new_units;
    std::size_t accounts = 0;          // imported, or (dry run) to be imported
    std::int64_t first_account = 0;    // the first new account's number
    bool imported = false;
};

// Called as accounts are written: how many of how many.
using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

class Session;
struct VaultStatus; // vault/audit/vault_status.hpp
// Opens the copy of a vault that a backup holds (placed in a directory of its own) as the
// person verifying or restoring it, with their slot in the copied keyring.
using SnapshotOpener = std::function<Result<Session>(const std::filesystem::path& dir)>;

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
    // Opens one stored version after checking the signed event that sealed it. No policy and
    // no event: the unit key is the only gate (tests call it to prove that).
    [[nodiscard]] Result<SecretPayload> open_version(const AccountInfo& account, std::int64_t version);

    // Internals of domains written as Session members yet, which converted domains call.
    // The latest recovery split and recovery action (recovery), for vault_status().
    [[nodiscard]] Status recovery_status(VaultStatus& s);
    // The unit's standby key (units, for enforce()): its next key pair, published ahead and sealed to admins only, so
    // that the enforcer can rotate to it at the end of a term without creating a key itself.
    [[nodiscard]] Result<std::optional<std::int64_t>> standby_key_version(std::string_view unit);
    // Units and people, for a handover's completion (vault/handover/handovers.cpp):
    // This user's copy of the unit's key at `key_version` (0: the current one).
    [[nodiscard]] Result<BoxKeyPair> unit_key_pair(std::string_view unit, std::int64_t key_version = 0);
    // Publishes a standby key if the unit has none, inside the caller's write transaction.
    [[nodiscard]] Status add_standby_key(std::string_view unit);
    // The unit's current public key and its version: what new versions are sealed to.
    struct UnitPublicKey {
        PublicKey key{};
        std::int64_t version = 0;
    };
    [[nodiscard]] Result<UnitPublicKey> current_unit_key(std::string_view unit);
    // Rotates the unit's key pair (the holders are read after the caller's events), re-seals
    // every version, flags the unit's accounts and publishes a new standby key; inside the
    // caller's write transaction. The standby becomes the new key unless someone who held it
    // lost their access (then a fresh pair is made).
    enum class StandbyChoice { use, discard };
    [[nodiscard]] Status rotate_unit_key(std::string_view unit, std::string_view reason, StandbyChoice choice);


    // ---- sub-districts (vault/ops/units.cpp) ----
    [[nodiscard]] Result<UnitInfo> add_unit(std::string_view code, std::string_view name);
    [[nodiscard]] Result<std::vector<UnitInfo>> list_units();
    // A fresh key pair for the unit (and a new standby), every version re-sealed, every account
    // flagged for a password change; for a key the admin suspects, or one the enforcer could not
    // rotate.
    [[nodiscard]] Status rotate_unit(std::string_view code, std::string_view reason);
    // Units where someone whose grant ended still holds the current key.
    [[nodiscard]] Result<std::vector<std::string>> units_owing_rotation();

    // ---- secrets (vault/ops/secrets.cpp) ----
    // Seals a new version to the unit's public key; returns its number.
    [[nodiscard]] Result<std::int64_t> set_secret(std::int64_t account, const SecretInput& input);
    [[nodiscard]] Result<std::vector<SecretVersionInfo>> secret_history(std::int64_t account);
    // Opens the current version, records the read (with its reason) and only then returns it.
    [[nodiscard]] Result<RevealedSecret> reveal_secret(std::int64_t account, std::string_view reason, SecretPart part,
                                                       SecretVersionChoice which = SecretVersionChoice::current);

    // ---- two-step rotation (vault/ops/rotation.cpp) ----
    [[nodiscard]] Result<PendingRotation> start_rotation(std::int64_t account, const PasswordRules& rules);
    // Makes the pending version current; it keeps the current version's TOTP seed, recovery
    // codes and notes when it has none of its own.
    [[nodiscard]] Result<ConfirmedRotation> confirm_rotation(std::int64_t account);
    [[nodiscard]] Status abort_rotation(std::int64_t account);
    // The version a pending rotation will make current, if any.
    [[nodiscard]] Result<std::optional<std::int64_t>> pending_rotation(std::int64_t account);

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

    // ---- import (vault/ops/import.cpp) ----
    // Checks every row of `table` against the vault (its unit exists, or is created with
    // --create-units; its handle is free) and, if no row has a problem, imports them all in one
    // transaction: an import event naming the file by its hash, the new units, then each
    // account's account.add and secret.set. Rows that name their unit only by name get its code.
    [[nodiscard]] Result<ImportOutcome> import_accounts(ImportTable& table, const ImportOptions& options,
                                                        const ImportProgress& progress = {});

    // ---- backups (vault/ops/backup.cpp) ----
    // Writes a signed bundle of the store and the keyring to `file` (never over an existing
    // file). The copy is taken under the store's write lock and ends with the backup.create
    // event this records; the returned manifest describes it.
    [[nodiscard]] Result<BackupManifest> create_backup(const std::filesystem::path& file);
    // Authenticates the bundle, opens its copy in a private temporary directory with `open`,
    // checks that the copy is what the manifest says and runs the whole audit verification on
    // it (with `checkpoint`, if given). Leaves nothing behind.
    [[nodiscard]] static Result<BackupReport> verify_backup(const std::filesystem::path& file, const SnapshotOpener& open,
                                                            const std::optional<Checkpoint>& checkpoint);
    // As verify_backup, in a staging directory beside `to`, which is renamed to `to` only when
    // everything held: a vault appears at `to` whole, or nothing does. `to` must not exist, or
    // be an empty directory.
    [[nodiscard]] static Result<BackupReport> restore_backup(const std::filesystem::path& file, const std::filesystem::path& to,
                                                             const SnapshotOpener& open,
                                                             const std::optional<Checkpoint>& checkpoint);
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
    // The vault's side of an import's checks (read only); fills outcome's problems and new units.
    [[nodiscard]] Status plan_import(ImportTable& table, const ImportOptions& options, ImportOutcome& outcome);
    // Reads the bundle into `dir` (store.db and keyring), opens it and checks it (verify_backup).
    [[nodiscard]] static Result<BackupReport> check_backup_copy(const std::filesystem::path& file, const std::filesystem::path& dir,
                                                                const SnapshotOpener& open,
                                                                const std::optional<Checkpoint>& checkpoint);

    // The recovery principal's act: a new enrollment slot for admin `name` (reset or new), the
    // event introducing its keys, and every unit key the recovery principal holds sealed to it.
    [[nodiscard]] Result<EnrollmentCode> recovery_act(const RecoveryRequest& request);

    // Ops internals (vault/ops/*.cpp).
    [[nodiscard]] Result<std::vector<std::pair<std::string, PublicKey>>> unit_key_recipients(std::string_view unit);
    // Who holds every key of every unit, old and standby: the admins and the recovery principal.
    [[nodiscard]] Result<std::vector<std::pair<std::string, PublicKey>>> key_history_recipients();
    // Seals `payload` to the unit's current key as the pending version of a rotation, inside the
    // caller's write transaction (a person's `rotate`, or the enforcer's fresh password).
    [[nodiscard]] Status append_pending(const AccountInfo& account, const SecretPayload& payload, std::string_view reason);
    // The unit.add event of a new unit and its key sealed to every holder, inside the caller's
    // write transaction (unit add, and import with --create-units).
    [[nodiscard]] Result<std::vector<std::string>> append_unit(std::string_view code, std::string_view name);
    [[nodiscard]] Status seal_unit_key(std::string_view unit, std::int64_t key_version, const BoxKeyPair& unit_keys,
                                       std::string_view principal, const PublicKey& principal_box_key);
    // Moves the current version's TOTP seed, recovery codes and notes into `payload` (a new
    // password changes only the password).
    [[nodiscard]] Status carry_over(const AccountInfo& account, SecretPayload& payload);
    [[nodiscard]] Status check_sealing_event(std::int64_t seq, const AccountInfo& account, std::int64_t version, ByteView sealed);
    // The keyring as it is on disk now; call inside a write transaction, which is what keeps
    // two writers of the keyring apart.
    // It also checks that the store is still at the generation this process opened it with, or
    // new slots would hold a K_db about to go.
    [[nodiscard]] Result<Keyring> reload_keyring();
    [[nodiscard]] Status check_store_generation();
    // Writes `updated`, then commits; if the commit fails, writes `before` back.
    [[nodiscard]] Status save_keyring_and_commit(Keyring updated, const Keyring& before, Transaction& tx);
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
