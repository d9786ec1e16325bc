// The vault: a directory holding the encrypted store and the keyring. Everything a command
// does goes through this API; nothing here prints.
#pragma once

#include "vault/clock.hpp"
#include "vault/events/checkpoint.hpp"
#include "vault/events/event_log.hpp"
#include "vault/events/verifier.hpp"
#include "vault/keyring.hpp"
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

struct SlotInfo {
    SlotKind kind = SlotKind::passphrase;
    KdfLimits limits;
    std::int64_t created_us = 0;
    std::int64_t expires_us = 0;
};

struct PrincipalInfo {
    std::string name, role, status;
    std::optional<SlotInfo> slot; // the keyring slot that unlocks as this principal, if any
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
    std::size_t slots = 0; // all slots in the keyring
};

class Vault {
public:
    // Creates a new vault directory (mode 0700) atomically: it appears complete or not at all.
    [[nodiscard]] static Result<Vault> create(const std::filesystem::path& dir, const CreateOptions& options,
                                              std::string_view passphrase, const Clock& clock);
    // Whether a vault may be created at `dir`: it must not exist, or be an empty directory.
    [[nodiscard]] static Status check_new_location(const std::filesystem::path& dir);
    // Unlocks an existing vault as `user`.
    [[nodiscard]] static Result<Vault> open(const std::filesystem::path& dir, std::string_view user,
                                            const PassphraseSource& passphrase, const Clock& clock);
    // The vault keeps a reference to its clock: a temporary clock would dangle.
    static Result<Vault> create(const std::filesystem::path&, const CreateOptions&, std::string_view, const Clock&&) = delete;
    static Result<Vault> open(const std::filesystem::path&, std::string_view, const PassphraseSource&, const Clock&&) = delete;

    [[nodiscard]] const std::string& user() const noexcept { return user_; }
    [[nodiscard]] const VaultPaths& paths() const noexcept { return paths_; }
    [[nodiscard]] const VaultId& vault_id() const noexcept { return keyring_.vault_id(); }

    [[nodiscard]] Result<VaultStatus> status();
    [[nodiscard]] Status for_each_event(const std::function<bool(const EventSummary&)>& visit);
    // Records the checkpoint in the log (who took it, when) and returns it signed; its sequence
    // and head are those of that very event.
    [[nodiscard]] Result<Checkpoint> take_checkpoint();
    [[nodiscard]] Result<VerifyReport> verify(const std::optional<Checkpoint>& checkpoint);

private:
    // Tests tamper with the store through the library, as someone holding K_db could; they
    // reach the connection through this friend, which only the test suite defines.
    friend struct VaultTestAccess;

    Vault(VaultPaths paths, Keyring keyring, std::string user, SecretBytes store_key, SigningKey signing_key,
          BoxKeyPair box_keys, Database db, const Clock& clock);
    // Opens the store with an unlocked slot's secrets and checks that the store, the keyring
    // and the user's keys belong together.
    [[nodiscard]] static Result<Vault> assemble(VaultPaths paths, Keyring keyring, std::string_view user,
                                                SlotSecrets secrets, const Clock& clock);
    // Decide -> build -> append to the log and apply to the projection, in one transaction.
    [[nodiscard]] Result<SignedEvent> record(Event event);

    VaultPaths paths_;
    Keyring keyring_;
    std::string user_;
    SecretBytes store_key_;   // K_db: new slots (people, the enforcer) wrap it
    SigningKey signing_key_;  // signs every event this user causes
    BoxKeyPair box_keys_;     // opens the unit keys sealed to this user
    Database db_;
    const Clock* clock_;
};

} // namespace brankas
