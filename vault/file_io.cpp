#include "vault/file_io.hpp"

#include "vault/unique_fd.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brankas {

std::string errno_text() { return std::strerror(errno); }

std::string system_user_name(unsigned uid) {
    struct passwd entry {};
    struct passwd* found = nullptr;
    char buf[1024];
    if (getpwuid_r(static_cast<uid_t>(uid), &entry, buf, sizeof buf, &found) == 0 && found != nullptr && found->pw_name != nullptr)
        return found->pw_name;
    return "uid " + std::to_string(uid);
}

Status require_own_vault_files(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files) {
    const uid_t me = geteuid();
    auto check = [&](const std::filesystem::path& p) -> Status {
        struct stat st {};
        if (lstat(p.c_str(), &st) != 0) return {}; // not there: whoever opens it reports that
        if (st.st_uid == me) return {};
        const std::string owner = system_user_name(st.st_uid);
        return fail_phrased(ErrorCode::denied, i18n::tr_noop("the vault at %1$s belongs to the system user '%2$s', not to '%3$s' who runs this command: nothing was read or written"),
                            {dir.string(), std::string(owner), std::string(system_user_name(me))},
                            i18n::tr_noop("run brankas as %2$s (e.g. `sudo -u %2$s brankas ...`), so its files stay %2$s's"));
    };
    BRANKAS_TRY(check(dir));
    for (const auto& f : files) BRANKAS_TRY(check(f));
    return {};
}

Result<std::optional<i18n::Phrase>> check_vault_directory(const std::filesystem::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return std::nullopt;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return fail_phrased(ErrorCode::usage,
                            i18n::tr_noop("the vault directory %1$s may be written by others (mode %2$s): anyone could replace its keyring or its store"),
                            {dir.string(), mode}, i18n::tr_noop("make it private: chmod 700 %1$s"));
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        return i18n::Phrase::with_plain(i18n::tr_noop("the vault directory %1$s may be read by others (mode %2$s); make it private: chmod 700 %1$s"),
                                        {dir.string(), mode});
    return std::nullopt;
}

Status sync_directory(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot sync directory %1$s: %2$s"), {dir.string(), std::string(errno_text())});
    return {};
}

StagingDirectory::~StagingDirectory() {
    if (!committed_) {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
}

namespace {

Result<std::filesystem::path> private_directory(const std::filesystem::path& parent, const std::string& name) {
    std::string pattern = (parent / name).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create a directory in %1$s: %2$s"), {parent.string(), std::string(errno_text())});
    // mkdtemp creates 0700 already; say so explicitly, the mode is part of the promise.
    ::chmod(pattern.c_str(), 0700);
    return std::filesystem::path(pattern);
}

} // namespace

Status check_directory_of(const std::filesystem::path& target) {
    const std::filesystem::path parent = directory_of(target);
    std::error_code ec;
    const std::filesystem::file_status st = std::filesystem::status(parent, ec);
    if (std::filesystem::is_directory(st)) return {};
    if (!std::filesystem::exists(st))
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %1$s: the directory %2$s does not exist"), {target.string(), parent.string()},
                            i18n::tr_noop("create it first, or choose a path in a directory that exists"));
    return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %1$s: %2$s is not a directory"), {target.string(), parent.string()});
}

Result<std::filesystem::path> make_staging_directory(const std::filesystem::path& target, std::string_view purpose) {
    BRANKAS_TRY(check_directory_of(target));
    std::filesystem::path parent = directory_of(target);
    return private_directory(parent, "." + normalized(target).filename().string() + "." + std::string(purpose) + "-XXXXXX");
}

Result<std::filesystem::path> make_private_temp_directory(std::string_view purpose) {
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::temp_directory_path(ec);
    if (ec) return fail_phrased(ErrorCode::io, i18n::tr_noop("there is no temporary directory: %s"), {ec.message()});
    return private_directory(parent, "brankas-" + std::string(purpose) + "-XXXXXX");
}

std::filesystem::path normalized(const std::filesystem::path& path) {
    auto p = path.lexically_normal();
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

std::filesystem::path directory_of(const std::filesystem::path& path) {
    auto parent = normalized(path).parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

Status write_file_atomic(const std::filesystem::path& path, ByteView contents, Existing existing) {
    // A unique temporary name beside the target (mkstemp: O_EXCL, mode 0600), so two writers
    // never share one temporary file and nothing planted under a fixed name is followed.
    std::string temp = path.string() + ".tmp-XXXXXX";
    int raw = ::mkstemp(temp.data());
    if (raw < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create a file beside %1$s: %2$s"),
                                     {path.string(), std::string(errno_text())});
    UniqueFd fd(raw);
    // `what` is a literal of the catalogue naming the file (%1$s) and why (%2$s).
    auto discard = [&](std::string_view what) {
        std::string why = errno_text();
        ::unlink(temp.c_str());
        return fail_phrased(ErrorCode::io, what, {path.string(), why});
    };
    std::size_t done = 0;
    while (done < contents.size()) {
        ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return discard(i18n::tr_noop("cannot write %1$s: %2$s"));
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || !fd.close()) return discard(i18n::tr_noop("cannot write %1$s: %2$s"));
    if (existing == Existing::refuse) {
        // link() fails if the name exists: creation and the check are one step.
        if (::link(temp.c_str(), path.c_str()) != 0) {
            bool exists = errno == EEXIST;
            auto failed = discard(i18n::tr_noop("cannot create %1$s: %2$s"));
            ::unlink(temp.c_str());
            if (exists) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s already exists"), {path.string()});
            return failed;
        }
        ::unlink(temp.c_str());
    } else if (::rename(temp.c_str(), path.c_str()) != 0) {
        return discard(i18n::tr_noop("cannot replace %1$s: %2$s"));
    }
    return sync_directory(directory_of(path));
}

void remove_abandoned_temporaries(const std::filesystem::path& path) {
    const std::string prefix = normalized(path).filename().string() + ".tmp-";
    const std::filesystem::path dir = directory_of(path);
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // mkstemp's six letters and digits, exactly.
        bool ours = name.size() == prefix.size() + 6 && name.starts_with(prefix) &&
                    std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                                [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
        struct stat st {};
        if (ours && ::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid())
            ::unlink(it->path().c_str());
    }
}

std::expected<Bytes, ReadError> read_file_bounded(const std::filesystem::path& path, std::size_t max_size) {
    // O_NONBLOCK: a FIFO planted under the name must not hang the open; it is then refused
    // as not a regular file. (Reads from a regular file are unaffected.)
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return std::unexpected(ReadError{errno == ENOENT, false, errno_text(), errno != ENOENT});
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return std::unexpected(ReadError{false, false, errno_text(), true});
    if (!S_ISREG(st.st_mode)) return std::unexpected(ReadError{false, false, "not a regular file"});
    if (static_cast<std::uint64_t>(st.st_size) > max_size)
        return std::unexpected(ReadError{false, true, "larger than " + std::to_string(max_size) + " bytes"});
    Bytes out;
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::unexpected(ReadError{false, false, errno_text(), true});
        if (n == 0) break; // shrank while reading
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

} // namespace brankas
