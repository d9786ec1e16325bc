// A session: one unlocked user of one vault (Vault in vault.hpp opens it). Everything a command
// does goes through it; nothing here prints.
#pragma once

#include "vault/accounts/accounts.hpp"
#include "vault/audit/audit.hpp"
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
#include "vault/policies/policies.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/terms/terms.hpp"
#include "policy/enforcement.hpp"
#include "policy/engine.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/recovery/recovery.hpp"
#include "vault/people/people.hpp"
#include "vault/units/units.hpp"
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

// The 32 bytes of a key file, read only once the user's slot was found.
using KeyFileSource = std::function<Result<SecretBytes>()>;

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
        BRANKAS_TRY(check_standing()); // once a write, under its lock: every event of it is signed by this person
        Change change(*this, BRANKAS_TRY(write_instant()));
        auto result = body(change);
        if (!result && !change.refused_) return result; // the transaction rolls back
        BRANKAS_TRY(commit(change, tx));
        return result;
    }
    // For what only reads: permits `action` now, or records the refusal (in a write of its own,
    // decided again at that write's instant) and returns it.
    [[nodiscard]] Status permit(policy::Action action, std::string_view target, std::string_view unit = {});
    // Whether permit would let `action` pass now, recording nothing: for a face that offers a page
    // only to whom the page's own check will let in (the check still decides, and records).
    [[nodiscard]] Result<bool> permits(policy::Action action, std::string_view unit = {});

    // What the domains work with (vault/ only: no face touches the store or a key).
    [[nodiscard]] Database& db() noexcept { return db_; }
    [[nodiscard]] const Keyring& keyring() const noexcept { return keyring_; }
    [[nodiscard]] const SigningKey& signing_key() const noexcept { return signing_key_; }
    [[nodiscard]] const BoxKeyPair& box_keys() const noexcept { return box_keys_; }
    [[nodiscard]] const SecretBytes& store_key() const noexcept { return store_key_; }
    // Fails (busy) when the store was re-keyed since this session opened it.
    [[nodiscard]] Status check_store_generation();
    // Fails (denied) when this session's person may sign no more: disabled, or their signing key
    // replaced (a recovery reset), since the session opened. The log accepts an event only from
    // a signer in standing (signer_rule.hpp), so such a session writes nothing, not even the
    // record of a refusal, which no replay would accept; a face that keeps sessions open ends it.
    [[nodiscard]] Status check_standing();
    // Moves the store to `generation`, whose K_db the log has already announced (user disable
    // --rekey, people.hpp; or the next open, after a crash), then drops the envelopes that the
    // store no longer opens with.
    [[nodiscard]] Status finish_rekey(std::uint32_t generation, SecretBytes key);

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
    // The engine's decision for this user now, with the unit's scope and term filled in;
    // `holder` is the account's current hold, for check-out and check-in.
    [[nodiscard]] Result<policy::Decision> decide_now(policy::Request request, std::optional<policy::Holder> holder, std::string_view unit,
                                                      const policy::Policy& pol);
    // The keyring as it is on disk now; call inside a write transaction, which is what keeps
    // two writers of the keyring apart.
    // It also checks that the store is still at the generation this process opened it with, or
    // new slots would hold a K_db about to go.
    [[nodiscard]] Result<Keyring> reload_keyring();
    // Writes `updated`, then commits; if the commit fails, writes `before` back.
    [[nodiscard]] Status save_keyring_and_commit(Keyring updated, const Keyring& before, Transaction& tx);

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
