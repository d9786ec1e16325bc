#include "vault/backup/backup_bundle.hpp"

#include "vault/encoding.hpp"
#include "vault/file_io.hpp"
#include "vault/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brankas {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view bundle_magic = "BRNKBKUP";
constexpr std::uint16_t bundle_version = 1;
constexpr std::uint8_t manifest_version = 1;
// A context label, so a backup signature can never pass for an event or checkpoint signature.
constexpr std::string_view backup_signing_context = "brankas-backup-sig-v1";
constexpr std::size_t backup_io_chunk_bytes = 64 * 1024;

std::unexpected<Error> damaged(const fs::path& file, i18n::Phrase why) {
    return fail_phrase(ErrorCode::verification_failed,
                       i18n::Phrase(i18n::tr_noop("the backup %1$s is damaged or was altered: %2$s"), {i18n::Phrase::plain(file.string()), std::move(why)}),
                       i18n::tr_noop("nothing was created; use another copy of the backup"));
}
// `why` is a literal of the catalogue with its plain values.
std::unexpected<Error> damaged(const fs::path& file, const char* why, std::vector<std::string> values = {}) {
    return damaged(file, i18n::Phrase::with_plain(why, std::move(values)));
}

// `why` is a literal marked with tr_noop, with `values` in it.
std::unexpected<Error> malformed_manifest(const char* why, std::vector<std::string> values = {}) {
    return fail_phrase(ErrorCode::verification_failed,
                       i18n::Phrase(i18n::tr_noop("the backup's manifest is malformed: %s"), {i18n::Phrase::with_plain(why, std::move(values))}));
}

Status write_all(int fd, ByteView bytes, const fs::path& file) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %1$s: %2$s"), {file.string(), std::string(errno_text())});
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// Exactly `out.size()` bytes, or an error saying the file ended early.
Status read_exactly(int fd, std::span<std::uint8_t> out, const fs::path& file) {
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %1$s: %2$s"), {file.string(), std::string(errno_text())});
        if (n == 0) return damaged(file, i18n::tr_noop("it ends early (truncated)"));
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// Opens a regular file for reading without blocking on a planted FIFO.
Result<UniqueFd> open_regular(const fs::path& file, std::uint64_t& size) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %1$s: %2$s"), {file.string(), std::string(errno_text())});
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %1$s: %2$s"),
                                                         {file.string(), std::string(errno_text())});
    if (!S_ISREG(st.st_mode)) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %s: not a regular file"), {file.string()});
    size = static_cast<std::uint64_t>(st.st_size);
    return fd;
}

Result<Hash> hash_file(const fs::path& file, std::uint64_t& size) {
    UniqueFd fd = BRANKAS_TRY(open_regular(file, size));
    Hasher h;
    Bytes buffer(backup_io_chunk_bytes);
    std::uint64_t total = 0;
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %1$s: %2$s"), {file.string(), std::string(errno_text())});
        if (n == 0) break;
        h.update(ByteView(buffer.data(), static_cast<std::size_t>(n)));
        total += static_cast<std::uint64_t>(n);
    }
    size = total;
    return h.finish();
}

// Removes a temporary file unless it was handed on.
class TempFile {
public:
    explicit TempFile(std::string path) : path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() { ::unlink(path_.c_str()); }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

} // namespace

Result<Bytes> encode_backup_manifest(const BackupManifest& m) {
    if (m.events == 0 || m.store_generation == 0) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a backup manifest names an event and a generation"),
                                                                      {});
    ByteWriter w;
    w.u8(manifest_version)
        .raw(m.vault_id)
        .u64(m.events)
        .raw(m.head)
        .i64(m.created_us)
        .u32(m.store_generation)
        .u32(m.schema_version)
        .u64(m.keyring_size)
        .raw(m.keyring_hash)
        .u64(m.store_size)
        .raw(m.store_hash);
    return std::move(w).take();
}

Result<BackupManifest> decode_backup_manifest(ByteView bytes) {
    if (bytes.empty() || bytes.size() > max_backup_manifest) return malformed_manifest(i18n::tr_noop("its length is out of range"));
    ByteReader r(bytes);
    auto version = r.u8();
    if (!version) return malformed_manifest(i18n::tr_noop("it is empty"));
    if (*version != manifest_version) return malformed_manifest(i18n::tr_noop("it has version %s"), {std::to_string(*version)});
    BackupManifest m;
    bool id_ok = r.raw_into(m.vault_id);
    auto events = id_ok ? r.u64() : std::nullopt;
    bool head_ok = events && r.raw_into(m.head);
    auto created = head_ok ? r.i64() : std::nullopt;
    auto generation = created ? r.u32() : std::nullopt;
    auto schema = generation ? r.u32() : std::nullopt;
    auto keyring_size = schema ? r.u64() : std::nullopt;
    bool keyring_hash_ok = keyring_size && r.raw_into(m.keyring_hash);
    auto store_size = keyring_hash_ok ? r.u64() : std::nullopt;
    bool store_hash_ok = store_size && r.raw_into(m.store_hash);
    if (!store_hash_ok) return malformed_manifest(i18n::tr_noop("it is truncated, or a length in it runs past its end"));
    if (!r.at_end()) return malformed_manifest(i18n::tr_noop("bytes follow its last field"));
    if (*events == 0) return malformed_manifest(i18n::tr_noop("it names no event"));
    if (*generation == 0) return malformed_manifest(i18n::tr_noop("it names store generation 0"));
    if (*keyring_size == 0 || *keyring_size > max_backup_keyring) return malformed_manifest(i18n::tr_noop("the keyring size is out of range"));
    if (*store_size == 0 || *store_size > max_backup_store) return malformed_manifest(i18n::tr_noop("the store size is out of range"));
    m.events = *events;
    m.created_us = *created;
    m.store_generation = *generation;
    m.schema_version = *schema;
    m.keyring_size = *keyring_size;
    m.store_size = *store_size;
    return m;
}

Bytes backup_signed_bytes(const PublicKey& signer_key, ByteView manifest) {
    ByteWriter w;
    w.raw(as_bytes(bundle_magic)).u16(bundle_version).raw(signer_key).u32(static_cast<std::uint32_t>(manifest.size())).raw(manifest);
    return std::move(w).take();
}

Bytes backup_signing_message(ByteView signed_bytes) {
    ByteWriter w;
    w.raw(as_bytes(backup_signing_context)).raw(signed_bytes);
    return std::move(w).take();
}

Result<BackupManifest> write_backup_bundle(const fs::path& file, BackupManifest manifest, const SigningKey& signer,
                                           ByteView keyring, const fs::path& store) {
    if (keyring.empty() || keyring.size() > max_backup_keyring) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the keyring has an impossible size"),
                                                                                    {});
    manifest.keyring_size = keyring.size();
    manifest.keyring_hash = blake2b_256(keyring);
    manifest.store_hash = BRANKAS_TRY(hash_file(store, manifest.store_size));
    if (manifest.store_size == 0 || manifest.store_size > max_backup_store)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("the copy of the store has an impossible size"), {});
    Bytes encoded = BRANKAS_TRY(encode_backup_manifest(manifest));
    Bytes head = backup_signed_bytes(signer.public_key(), encoded);
    Signature signature = signer.sign(backup_signing_message(head));

    // A unique temporary name beside the target (mkstemp: O_EXCL, mode 0600), linked to the
    // final name only when complete: the bundle appears whole or not at all, never over a file.
    std::string temp_name = file.string() + ".tmp-XXXXXX";
    int raw = ::mkstemp(temp_name.data());
    if (raw < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create a file beside %1$s: %2$s"),
                                     {file.string(), std::string(errno_text())});
    UniqueFd out(raw);
    TempFile temp(temp_name);
    BRANKAS_TRY(write_all(out.get(), head, file));
    BRANKAS_TRY(write_all(out.get(), signature, file));
    BRANKAS_TRY(write_all(out.get(), keyring, file));
    {
        // The bytes written must be the bytes hashed: hash them again on the way.
        std::uint64_t size = 0;
        UniqueFd in = BRANKAS_TRY(open_regular(store, size));
        Hasher again;
        Bytes buffer(backup_io_chunk_bytes);
        std::uint64_t copied = 0;
        for (;;) {
            ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot read %1$s: %2$s"), {store.string(), std::string(errno_text())});
            if (n == 0) break;
            ByteView chunk(buffer.data(), static_cast<std::size_t>(n));
            again.update(chunk);
            BRANKAS_TRY(write_all(out.get(), chunk, file));
            copied += chunk.size();
        }
        if (copied != manifest.store_size || again.finish() != manifest.store_hash)
            return fail_phrased(ErrorCode::internal, i18n::tr_noop("the copy of the store changed while the backup was written"), {});
    }
    if (::fsync(out.get()) != 0 || !out.close()) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %1$s: %2$s"),
                                                                     {file.string(), std::string(errno_text())});
    // link() fails if the name exists: creation and the check are one step.
    if (::link(temp.path().c_str(), file.c_str()) != 0) {
        if (errno == EEXIST) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s already exists"), {file.string()},
                                                 i18n::tr_noop("choose a new file name"));
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {file.string(), std::string(errno_text())});
    }
    BRANKAS_TRY(sync_directory(directory_of(file)));
    return manifest;
}

Result<OpenedBackup> read_backup_bundle(const fs::path& file, const fs::path& store_out) {
    OpenedBackup opened;
    UniqueFd in = BRANKAS_TRY(open_regular(file, opened.file_size));
    // O_NONBLOCK was only for the open: a regular file reads the same either way.

    // 1. The fixed header, each field bounded before anything else is read.
    std::array<std::uint8_t, backup_header_size> header{};
    BRANKAS_TRY(read_exactly(in.get(), std::span(header).first(std::min<std::size_t>(header.size(), opened.file_size)), file));
    if (opened.file_size < bundle_magic.size() || !std::equal(bundle_magic.begin(), bundle_magic.end(), header.begin()))
        return fail_phrased(ErrorCode::verification_failed, i18n::tr_noop("%s is not a Brankas backup (or its first bytes are damaged)"),
                            {file.string()});
    if (opened.file_size < header.size()) return damaged(file, i18n::tr_noop("it is shorter than a backup's header"));
    ByteReader r(header);
    ByteView skipped;
    (void)r.raw(bundle_magic.size(), skipped);
    std::uint16_t version = r.u16().value_or(0);
    if (version != bundle_version)
        return damaged(file, i18n::tr_noop("it claims format version %s, and this brankas reads version 1"), {std::to_string(version)});
    (void)r.raw_into(opened.signer_key);
    std::uint32_t manifest_length = r.u32().value_or(0);
    if (manifest_length == 0 || manifest_length > max_backup_manifest)
        return damaged(file, i18n::tr_noop("its manifest length (%s bytes) is out of range"), {std::to_string(manifest_length)});
    if (opened.file_size < header.size() + manifest_length + signature_size)
        return damaged(file, i18n::tr_noop("it ends inside its manifest or signature (truncated)"));

    // 2. Authenticate the header and the manifest before decoding the manifest.
    Bytes manifest_bytes(manifest_length);
    BRANKAS_TRY(read_exactly(in.get(), manifest_bytes, file));
    Signature signature{};
    BRANKAS_TRY(read_exactly(in.get(), signature, file));
    if (!verify_signature(opened.signer_key, backup_signing_message(backup_signed_bytes(opened.signer_key, manifest_bytes)), signature))
        return damaged(file, i18n::tr_noop("its signature does not verify"));

    // 3. The manifest, and the file's length against it.
    auto manifest = decode_backup_manifest(manifest_bytes);
    if (!manifest) return damaged(file, phrase_of(manifest.error()));
    opened.manifest = std::move(*manifest);
    const BackupManifest& m = opened.manifest;
    std::uint64_t expected_size = header.size() + manifest_length + signature_size + m.keyring_size + m.store_size;
    if (opened.file_size != expected_size)
        return damaged(file, i18n::tr_noop("it is %1$s bytes long, and its manifest says %2$s"),
                       {std::to_string(opened.file_size), std::to_string(expected_size)});

    // 4. Both parts against their signed hashes, before anything parses them.
    opened.keyring.resize(static_cast<std::size_t>(m.keyring_size));
    BRANKAS_TRY(read_exactly(in.get(), opened.keyring, file));
    if (blake2b_256(opened.keyring) != m.keyring_hash) return damaged(file, i18n::tr_noop("its keyring does not match its signed hash"));

    UniqueFd out(::open(store_out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!out.valid()) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {store_out.string(), std::string(errno_text())});
    Hasher h;
    Bytes buffer(backup_io_chunk_bytes);
    for (std::uint64_t left = m.store_size; left > 0;) {
        std::span<std::uint8_t> chunk(buffer.data(), static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size())));
        BRANKAS_TRY(read_exactly(in.get(), chunk, file));
        h.update(chunk);
        BRANKAS_TRY(write_all(out.get(), chunk, store_out));
        left -= chunk.size();
    }
    if (::fsync(out.get()) != 0 || !out.close()) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %1$s: %2$s"),
                                                                     {store_out.string(), std::string(errno_text())});
    if (h.finish() != m.store_hash) return damaged(file, i18n::tr_noop("its store does not match its signed hash"));
    return opened;
}

} // namespace brankas
