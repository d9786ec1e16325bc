// Backups: a signed bundle of the store and the keyring (backup_bundle.hpp, docs/formats.md
// "Backup bundle"), verified the way `audit verify` verifies a vault, and restored only whole.
#pragma once

#include "vault/backup/backup_bundle.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/verifier.hpp"
#include "policy/policy.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace brankas {

class Session;

// Opens the copy of a vault that a backup holds (placed in a directory of its own) as the
// person verifying or restoring it, with their slot in the copied keyring.
using SnapshotOpener = std::function<Result<Session>(const std::filesystem::path& dir)>;

// What `backup verify` and `backup restore` found: the signed manifest, and the full audit
// verification of the copy.
struct BackupReport {
    BackupManifest manifest;
    std::string institution, signer; // read from the copy, once it opened
    policy::TimeZone time_zone;      // the copy's policy's, for the times a person reads
    PublicKey signer_key{};
    std::uint64_t file_size = 0;
    VerifyReport log;
};

// Writes a signed bundle of the store and the keyring to `file` (never over an existing file:
// ErrorCode::conflict). The copy is taken under the store's write lock and ends with the
// backup.create event this records; the returned manifest describes it.
[[nodiscard]] Result<BackupManifest> create_backup(Session& session, const std::filesystem::path& file);
// Authenticates the bundle, opens its copy in a private temporary directory with `open`, checks
// that the copy is what the manifest says and runs the whole audit verification on it (with
// `checkpoint`, if given). Leaves nothing behind.
[[nodiscard]] Result<BackupReport> verify_backup(const std::filesystem::path& file, const SnapshotOpener& open,
                                                 const std::optional<Checkpoint>& checkpoint);
// As verify_backup, in a staging directory beside `to`, which is renamed to `to` only when
// everything held: a vault appears at `to` whole, or nothing does. `to` must not exist, or be
// an empty directory.
[[nodiscard]] Result<BackupReport> restore_backup(const std::filesystem::path& file, const std::filesystem::path& to,
                                                  const SnapshotOpener& open, const std::optional<Checkpoint>& checkpoint);

} // namespace brankas
