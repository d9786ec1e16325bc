// Files the vault owns: written atomically (temp file, fsync, rename, fsync of the directory)
// with mode 0600, read with an upper bound so a planted huge file cannot exhaust memory.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace brankas {

enum class Existing { replace, refuse };

// strerror(errno), for the message of a failed system call.
[[nodiscard]] std::string errno_text();

// With Existing::refuse, a file already at `path` (even one created a moment ago by someone
// else) is left alone and the call fails with ErrorCode::conflict.
[[nodiscard]] Status write_file_atomic(const std::filesystem::path& path, ByteView contents,
                                       Existing existing = Existing::replace);

// Removes the temporary files write_file_atomic leaves beside `path` when its process dies
// between writing one and renaming it ("<name>.tmp-XXXXXX": regular files only, a link or
// anything else under such a name is left alone). Only for a caller that knows no other
// writer of `path` is running (the keyring's writers hold the store's write lock).
void remove_abandoned_temporaries(const std::filesystem::path& path);

// The directory a path lives in ("." for a bare name); a trailing '/' is ignored.
[[nodiscard]] std::filesystem::path directory_of(const std::filesystem::path& path);
// Whether a file can be made at `target` as far as its directory goes: fails (ErrorCode::io)
// saying that the directory does not exist, or that it is not a directory.
[[nodiscard]] Status check_directory_of(const std::filesystem::path& target);
// The path without "." and ".." detours and without a trailing '/'.
[[nodiscard]] std::filesystem::path normalized(const std::filesystem::path& path);

// Reads the whole file if it is at most `max_size` bytes. A missing file is ErrorCode::io
// with `missing` set so callers can say which file a person should look for.
struct ReadError {
    bool missing = false;
    bool too_large = false;
    std::string what;
    bool failed = false; // the system failed to open, stat or read it (EIO, EACCES...): not the file's fault
};
[[nodiscard]] std::expected<Bytes, ReadError> read_file_bounded(const std::filesystem::path& path, std::size_t max_size);

// The vault's files belong to one system user, who alone may open it: a command run by anyone
// else (root through sudo) would leave files it replaces or creates (the keyring, the store's
// journal) owned by itself and lock the owner out. Refused (ErrorCode::denied) unless the
// process's effective user owns `dir` and each of `files` that exists; the message names the
// owner.
[[nodiscard]] Status require_own_vault_files(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files);
// The name of a system user ("uid 1001" when it has none).
[[nodiscard]] std::string system_user_name(unsigned uid);
// A vault directory must be private to its owner, as ssh wants a private key. One that others
// may write is refused (ErrorCode::usage): they could replace its keyring or its store, or plant
// a file beside them. One that others may list or enter is accepted with the warning returned, a
// phrase of the catalogue (its files are 0600, but their names, sizes and times show). nullopt when the directory is
// private, or when there is none (the caller reports a missing vault).
[[nodiscard]] Result<std::optional<i18n::Phrase>> check_vault_directory(const std::filesystem::path& dir);

// fsync a directory so a rename inside it survives a crash.
[[nodiscard]] Status sync_directory(const std::filesystem::path& dir);

// A private directory (0700) beside `target`, named ".<target>.<purpose>-XXXXXX", in which a
// vault is built before it is renamed to `target` in one step.
[[nodiscard]] Result<std::filesystem::path> make_staging_directory(const std::filesystem::path& target,
                                                                   std::string_view purpose);
// A private directory (0700) in the system's temporary directory ($TMPDIR or /tmp).
[[nodiscard]] Result<std::filesystem::path> make_private_temp_directory(std::string_view purpose);

// Removes a staging directory and everything in it unless it was committed (renamed into place).
class StagingDirectory {
public:
    explicit StagingDirectory(std::filesystem::path path) : path_(std::move(path)) {}
    StagingDirectory(const StagingDirectory&) = delete;
    StagingDirectory& operator=(const StagingDirectory&) = delete;
    ~StagingDirectory();
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    void commit() noexcept { committed_ = true; }

private:
    std::filesystem::path path_;
    bool committed_ = false;
};

} // namespace brankas
