// The backup bundle: one file holding a copy of the store and the keyring behind a signed
// manifest (docs/formats.md "Backup bundle"). Writing needs the signer's key; reading
// authenticates the header and manifest before decoding them and hashes both parts before
// anything parses them. What the parts mean (a vault that must verify) is for the caller.
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <string>

namespace brankas {

inline constexpr std::size_t backup_header_size = 46;      // magic, version, signer key, manifest length
inline constexpr std::size_t max_backup_manifest = 4096;
inline constexpr std::uint64_t max_backup_keyring = 4 << 20; // Keyring::max_file_size
inline constexpr std::uint64_t max_backup_store = std::uint64_t{1} << 40;

struct BackupManifest {
    VaultId vault_id{};
    std::uint64_t events = 0; // the sequence number of the backup.create event, the copy's last
    Hash head{};              // that event's chain hash
    std::int64_t created_us = 0;
    std::uint32_t store_generation = 1;
    std::uint32_t schema_version = 0;
    std::uint64_t keyring_size = 0;
    Hash keyring_hash{};
    std::uint64_t store_size = 0;
    Hash store_hash{};
    friend bool operator==(const BackupManifest&, const BackupManifest&) = default;
};

[[nodiscard]] Result<Bytes> encode_backup_manifest(const BackupManifest& m);
// Strict: every length bounded, names and text checked, no trailing bytes. Only ever called on
// a manifest whose signature has verified.
[[nodiscard]] Result<BackupManifest> decode_backup_manifest(ByteView bytes);

// The bundle's first bytes up to the end of the manifest: what the signature covers (after
// its context label).
[[nodiscard]] Bytes backup_signed_bytes(const PublicKey& signer_key, ByteView manifest);
[[nodiscard]] Bytes backup_signing_message(ByteView signed_bytes);

// Writes the bundle to `file` (which must not exist; it appears complete or not at all, mode
// 0600): header, manifest and signature, then `keyring`, then the bytes of `store`. The
// manifest's part sizes and hashes are filled in here.
[[nodiscard]] Result<BackupManifest> write_backup_bundle(const std::filesystem::path& file, BackupManifest manifest,
                                                         const SigningKey& signer, ByteView keyring,
                                                         const std::filesystem::path& store);

// A bundle whose signature, sizes and part hashes all held.
struct OpenedBackup {
    BackupManifest manifest;
    PublicKey signer_key{};
    Bytes keyring;             // the keyring file's bytes (not parsed yet)
    std::uint64_t file_size = 0;
};

// Reads `file` in the order of docs/formats.md, streaming the store part to `store_out`
// (created 0600, never over an existing file). Every failure to authenticate is
// ErrorCode::verification_failed naming what did not hold.
[[nodiscard]] Result<OpenedBackup> read_backup_bundle(const std::filesystem::path& file,
                                                      const std::filesystem::path& store_out);

} // namespace brankas
