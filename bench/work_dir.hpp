// What both benches need around them: a work directory of their own, removed at the end unless
// kept, and private files for the passphrases they hand the real binary.
#pragma once

#include "checked.hpp"

#include <fcntl.h>
#include <filesystem>
#include <stdlib.h>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace brankas::bench {

class WorkDir {
public:
    // `name` starts the directory's name (a random suffix follows).
    WorkDir(const std::filesystem::path& parent, std::string_view name, bool keep) : keep_(keep) {
        std::string pattern = (parent / (std::string(name) + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) throw BenchFailure("cannot create a directory in " + parent.string());
        path_ = pattern;
    }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    ~WorkDir() {
        std::error_code ec;
        if (!keep_) std::filesystem::remove_all(path_, ec);
    }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
    bool keep_;
};

// Copies the directory `from` to `to` (which must not exist) and flushes the copy to disk: a
// command timed on a copy whose pages are still dirty in the page cache would pay for writing
// the whole copy out at its first fsync, which a vault at rest never makes it do.
inline void copy_to_disk(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
    auto flush = [](const std::filesystem::path& path, int flags) {
        int fd = ::open(path.c_str(), flags | O_CLOEXEC);
        if (fd < 0) throw BenchFailure("cannot open " + path.string());
        const bool synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!synced) throw BenchFailure("cannot flush " + path.string());
    };
    for (const auto& entry : std::filesystem::recursive_directory_iterator(to))
        flush(entry.path(), entry.is_directory() ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    flush(to, O_RDONLY | O_DIRECTORY);
}

inline void write_private_file(const std::filesystem::path& path, std::string_view text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw BenchFailure("cannot create " + path.string());
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw BenchFailure("cannot write " + path.string());
}

} // namespace brankas::bench
