// An LD_PRELOAD library that makes a fraction of a program's file I/O fail, as a failing disk
// or a full one would: tests/robustness/io_faults.sh runs brankas under it.
//
//   BRANKAS_IO_FAULTS="rate=0.01,seed=7,calls=write+fsync+read,errno=EIO+ENOSPC,path=/tmp/v"
//
// rate: the chance that one call fails (0..1); seed: makes a run repeatable; calls: which of
// write (write, pwrite, pwrite64, writev), fsync (fsync, fdatasync), read (read, pread,
// pread64) and truncate (ftruncate) may fail; errno: what a failed call reports (one at
// random); path: only descriptors of regular files under this directory fail (so the
// program's own messages, its passphrase file and the libraries it loads do not). A failed
// call does nothing and returns -1.
#include <dlfcn.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

struct Settings {
    bool on = false;
    double rate = 0;
    bool write = false, fsync = false, read = false, truncate = false;
    int errnos[4] = {EIO};
    int errno_count = 1;
    std::string path;
};

std::atomic<std::uint64_t> state{0};

Settings load() {
    Settings s;
    const char* spec = std::getenv("BRANKAS_IO_FAULTS");
    if (spec == nullptr || *spec == '\0') return s;
    s.on = true;
    std::uint64_t seed = 1;
    std::string all(spec);
    for (std::size_t start = 0; start <= all.size();) {
        std::size_t end = all.find(',', start);
        if (end == std::string::npos) end = all.size();
        std::string item = all.substr(start, end - start);
        start = end + 1;
        std::size_t eq = item.find('=');
        if (eq == std::string::npos) continue;
        std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "rate") s.rate = std::strtod(value.c_str(), nullptr);
        else if (key == "seed") seed = std::strtoull(value.c_str(), nullptr, 10);
        else if (key == "path") s.path = value;
        else if (key == "calls") {
            s.write = value.find("write") != std::string::npos;
            s.fsync = value.find("fsync") != std::string::npos;
            s.read = value.find("read") != std::string::npos;
            s.truncate = value.find("truncate") != std::string::npos;
        } else if (key == "errno") {
            s.errno_count = 0;
            if (value.find("EIO") != std::string::npos) s.errnos[s.errno_count++] = EIO;
            if (value.find("ENOSPC") != std::string::npos) s.errnos[s.errno_count++] = ENOSPC;
            if (value.find("EDQUOT") != std::string::npos) s.errnos[s.errno_count++] = EDQUOT;
            if (s.errno_count == 0) s.errnos[s.errno_count++] = EIO;
        }
    }
    state = seed * 0x9E3779B97F4A7C15u + 1;
    return s;
}

const Settings& settings() {
    static const Settings s = load();
    return s;
}

// splitmix64: small, and the same sequence for the same seed.
std::uint64_t next_random() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

template <typename F>
F real(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Whether this call on `fd` fails: a regular file under the chosen path, and the dice say so.
bool fails(bool enabled, int fd) {
    const Settings& s = settings();
    if (!s.on || !enabled) return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (!s.path.empty()) {
        char link[64], target[4096];
        std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = ::readlink(link, target, sizeof target - 1);
        if (n <= 0) return false;
        if (std::string_view(target, static_cast<std::size_t>(n)).substr(0, s.path.size()) != s.path) return false;
    }
    if (static_cast<double>(next_random() >> 11) * 0x1.0p-53 >= s.rate) return false;
    errno = s.errnos[next_random() % static_cast<std::uint64_t>(s.errno_count)];
    return true;
}

} // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t n) {
    static auto next = real<ssize_t (*)(int, const void*, size_t)>("write");
    if (fails(settings().write, fd)) return -1;
    return next(fd, buf, n);
}
ssize_t pwrite(int fd, const void* buf, size_t n, off_t at) {
    static auto next = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    if (fails(settings().write, fd)) return -1;
    return next(fd, buf, n, at);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t at) {
    static auto next = real<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    if (fails(settings().write, fd)) return -1;
    return next(fd, buf, n, at);
}
ssize_t writev(int fd, const struct iovec* iov, int count) {
    static auto next = real<ssize_t (*)(int, const struct iovec*, int)>("writev");
    if (fails(settings().write, fd)) return -1;
    return next(fd, iov, count);
}
int fsync(int fd) {
    static auto next = real<int (*)(int)>("fsync");
    if (fails(settings().fsync, fd)) return -1;
    return next(fd);
}
int fdatasync(int fd) {
    static auto next = real<int (*)(int)>("fdatasync");
    if (fails(settings().fsync, fd)) return -1;
    return next(fd);
}
ssize_t read(int fd, void* buf, size_t n) {
    static auto next = real<ssize_t (*)(int, void*, size_t)>("read");
    if (fails(settings().read, fd)) return -1;
    return next(fd, buf, n);
}
ssize_t pread(int fd, void* buf, size_t n, off_t at) {
    static auto next = real<ssize_t (*)(int, void*, size_t, off_t)>("pread");
    if (fails(settings().read, fd)) return -1;
    return next(fd, buf, n, at);
}
ssize_t pread64(int fd, void* buf, size_t n, off64_t at) {
    static auto next = real<ssize_t (*)(int, void*, size_t, off64_t)>("pread64");
    if (fails(settings().read, fd)) return -1;
    return next(fd, buf, n, at);
}
int ftruncate(int fd, off_t length) {
    static auto next = real<int (*)(int, off_t)>("ftruncate");
    if (fails(settings().truncate, fd)) return -1;
    return next(fd, length);
}
int ftruncate64(int fd, off64_t length) {
    static auto next = real<int (*)(int, off64_t)>("ftruncate64");
    if (fails(settings().truncate, fd)) return -1;
    return next(fd, length);
}

} // extern "C"
