// The vault: a directory holding the encrypted store and the keyring. Opening, creating and
// enrolling hand out a Session, through which everything else is done; nothing here prints.
#pragma once

#include "vault/session.hpp"

namespace brankas {

// The sentences with which opening a slot, or enrolling, refuses the name itself (rather than
// failing for a reason of the vault's: its files, its store): a face that must not tell names
// apart says all of them, no_such_user and wrong_passphrase alike (refuses_the_name). A slot
// damaged on disk is one of them: whatever is typed, the name opens nothing, as a name with no
// slot does, and saying otherwise would tell a visitor that the name exists.
namespace name_refusal {
inline constexpr const char* recovery_principal = i18n::tr_noop("'%s' is the recovery principal: only a quorum of its shares unlocks it");
inline constexpr const char* not_enrolled = i18n::tr_noop("user '%1$s' has not enrolled yet");
inline constexpr const char* key_file_slot = i18n::tr_noop("user '%s' unlocks with a key file, not a passphrase");
inline constexpr const char* passphrase_slot = i18n::tr_noop("user '%s' unlocks with a passphrase, not a key file");
inline constexpr const char* other_slot = i18n::tr_noop("user '%s' cannot be unlocked this way");
inline constexpr const char* slot_expired = i18n::tr_noop("the slot of user '%s' has expired");
inline constexpr const char* enrolled_already = i18n::tr_noop("user '%s' has already enrolled");
inline constexpr const char* code_expired = i18n::tr_noop("the enrollment code of '%s' has expired");
// With what is wrong with the slot (a phrase of its own).
inline constexpr const char* damaged_slot = i18n::tr_noop("the keyring slot of user '%1$s' is damaged (%2$s)");
} // namespace name_refusal
[[nodiscard]] bool refuses_the_name(const Error& e);

class Vault {
public:
    // Creates a new vault directory (mode 0700) atomically: it appears complete or not at all.
    [[nodiscard]] static Result<Session> create(const std::filesystem::path& dir, const CreateOptions& options,
                                              std::string_view passphrase, const Clock& clock);
    // Whether a vault may be created at `dir`: it must not exist, or be an empty directory.
    [[nodiscard]] static Status check_new_location(const std::filesystem::path& dir);
    // Unlocks an existing vault as `user`. A re-key that a crash interrupted is finished here.
    [[nodiscard]] static Result<Session> open(const std::filesystem::path& dir, std::string_view user,
                                            const PassphraseSource& passphrase, const Clock& clock);
    // Unlocks as an unattended principal (the enforcer) whose slot opens with a key file.
    [[nodiscard]] static Result<Session> open_with_key_file(const std::filesystem::path& dir, std::string_view user,
                                                          const KeyFileSource& key, const Clock& clock);
    // The vault keeps a reference to its clock: a temporary clock would dangle.
    static Result<Session> create(const std::filesystem::path&, const CreateOptions&, std::string_view, const Clock&&) = delete;
    static Result<Session> open(const std::filesystem::path&, std::string_view, const PassphraseSource&, const Clock&&) = delete;
    static Result<Session> open_with_key_file(const std::filesystem::path&, std::string_view, const KeyFileSource&,
                                            const Clock&&) = delete;

    // Unlocks as the recovery principal with its shares (any threshold of them, checked before
    // they are combined). Only `recover` (vault/ops/recovery.cpp) acts as that principal.
    [[nodiscard]] static Result<Session> open_with_shares(const std::filesystem::path& dir, const std::vector<RecoveryShare>& shares,
                                                          const Clock& clock);
    static Result<Session> open_with_shares(const std::filesystem::path&, const std::vector<RecoveryShare>&, const Clock&&) = delete;

    // Turns `user`'s enrollment slot into their own passphrase slot with fresh keys.
    [[nodiscard]] static Result<Session> enroll(const std::filesystem::path& dir, std::string_view user, std::string_view code,
                                              const PassphraseSource& new_passphrase, const KdfLimits& kdf, const Clock& clock);
    static Result<Session> enroll(const std::filesystem::path&, std::string_view, std::string_view, const PassphraseSource&,
                                const KdfLimits&, const Clock&&) = delete;

    Vault() = delete;

private:
    enum class Enrollment { refuse, allow }; // whether a pending principal may be assembled
    [[nodiscard]] static Result<Session> open_slot(const std::filesystem::path& dir, std::string_view user, SlotKdf kdf,
                                                 const PassphraseSource& unlock, const Clock& clock);
    // Opens the store with an unlocked slot's secrets and checks that the store, the keyring
    // and the user's keys belong together.
    [[nodiscard]] static Result<Session> assemble(VaultPaths paths, Keyring keyring, std::string_view user,
                                                SlotSecrets secrets, const Clock& clock,
                                                Enrollment enrollment = Enrollment::refuse);
};

} // namespace brankas
