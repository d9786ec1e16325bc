// Files the vault owns: written atomically (temp file, fsync, rename, fsync of the directory)
// with mode 0600, read with an upper bound so a planted huge file cannot exhaust memory.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace brankas {

enum class Existing { replace, refuse };

// With Existing::refuse, a file already at `path` (even one created a moment ago by someone
// else) is left alone and the call fails with ErrorCode::usage.
[[nodiscard]] Status write_file_atomic(const std::filesystem::path& path, ByteView contents,
                                       Existing existing = Existing::replace);

// The directory a path lives in ("." for a bare name); a trailing '/' is ignored.
[[nodiscard]] std::filesystem::path directory_of(const std::filesystem::path& path);
// The path without "." and ".." detours and without a trailing '/'.
[[nodiscard]] std::filesystem::path normalized(const std::filesystem::path& path);

// Reads the whole file if it is at most `max_size` bytes. A missing file is ErrorCode::io
// with `missing` set so callers can say which file a person should look for.
struct ReadError {
    bool missing = false;
    bool too_large = false;
    std::string what;
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
