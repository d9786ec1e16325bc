#include "vault/file_io.hpp"

#include "vault/unique_fd.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brankas {

namespace {

std::string errno_text() { return std::strerror(errno); }

} // namespace

Status sync_directory(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        return fail(ErrorCode::io, "cannot sync directory " + dir.string() + ": " + errno_text());
    return {};
}

Status write_file_atomic(const std::filesystem::path& path, ByteView contents) {
    auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    auto temp = path;
    temp += ".tmp";
    // O_EXCL: never follow or reuse a file someone planted under the temporary name.
    ::unlink(temp.c_str());
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return fail(ErrorCode::io, "cannot create " + temp.string() + ": " + errno_text());
    std::size_t done = 0;
    while (done < contents.size()) {
        ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string why = errno_text();
            ::unlink(temp.c_str());
            return fail(ErrorCode::io, "cannot write " + temp.string() + ": " + why);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || !fd.close()) {
        std::string why = errno_text();
        ::unlink(temp.c_str());
        return fail(ErrorCode::io, "cannot write " + temp.string() + ": " + why);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        std::string why = errno_text();
        ::unlink(temp.c_str());
        return fail(ErrorCode::io, "cannot replace " + path.string() + ": " + why);
    }
    return sync_directory(dir);
}

std::expected<Bytes, ReadError> read_file_bounded(const std::filesystem::path& path, std::size_t max_size) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return std::unexpected(ReadError{errno == ENOENT, false, errno_text()});
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return std::unexpected(ReadError{false, false, errno_text()});
    if (!S_ISREG(st.st_mode)) return std::unexpected(ReadError{false, false, "not a regular file"});
    if (static_cast<std::uint64_t>(st.st_size) > max_size)
        return std::unexpected(ReadError{false, true, "larger than " + std::to_string(max_size) + " bytes"});
    Bytes out;
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::unexpected(ReadError{false, false, errno_text()});
        if (n == 0) break; // shrank while reading
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

} // namespace brankas
