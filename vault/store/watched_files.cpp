#include "vault/store/watched_files.hpp"

#include <sqlcipher/sqlite3.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <mutex>

namespace brankas {

namespace {

std::atomic<std::uint64_t> failures{0};
std::mutex latest_mutex;
FileFailure latest; // guarded by latest_mutex

sqlite3_vfs* real_vfs = nullptr; // the default VFS the layer forwards to
sqlite3_vfs watched_vfs{};

// The errno of a failed call: the system's, when it left one.
int error_of(int rc, int saved_errno) {
    if (saved_errno != 0) return saved_errno;
    return (rc & 0xff) == SQLITE_FULL ? ENOSPC : EIO;
}

// Only failures of the file system count: a lock held elsewhere (BUSY) or a read past the end
// of a file (SHORT_READ, which SQLite answers with zeros as it should) are not.
bool is_file_failure(int rc) {
    int primary = rc & 0xff;
    if (rc == SQLITE_IOERR_SHORT_READ) return false;
    return primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN;
}

int note(int rc, int saved_errno, const char* operation, const char* file) {
    if (!is_file_failure(rc)) return rc;
    {
        std::lock_guard<std::mutex> lock(latest_mutex);
        try {
            latest = FileFailure{operation, file ? file : "", error_of(rc, saved_errno)};
        } catch (...) {
            // Out of memory: the count still moves, and the message is SQLite's own.
        }
    }
    failures.fetch_add(1, std::memory_order_release);
    return rc;
}

// A file opened through the layer: its methods, then the real file (the default VFS's) right
// after it in the same allocation.
struct WatchedFile {
    sqlite3_file base;
    sqlite3_file* real;
    const char* name; // SQLite keeps the name it opened with until the file is closed
};

constexpr std::size_t real_file_offset = (sizeof(WatchedFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);

WatchedFile& self(sqlite3_file* f) { return *reinterpret_cast<WatchedFile*>(f); }
const sqlite3_io_methods& real_methods(sqlite3_file* f) { return *self(f).real->pMethods; }

// Calls the real method, keeping errno as it was left, and notes a failure.
template <typename Call>
int watched(sqlite3_file* f, const char* operation, Call call) {
    errno = 0;
    int rc = call(self(f).real);
    return note(rc, errno, operation, self(f).name);
}

int x_close(sqlite3_file* f) {
    return watched(f, i18n::tr_noop("cannot close %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xClose(r); });
}
int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    return watched(f, i18n::tr_noop("cannot read %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xRead(r, buffer, amount, offset); });
}
int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    return watched(f, i18n::tr_noop("cannot write %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xWrite(r, buffer, amount, offset); });
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return watched(f, i18n::tr_noop("cannot truncate %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xTruncate(r, size); });
}
int x_sync(sqlite3_file* f, int flags) {
    return watched(f, i18n::tr_noop("cannot sync %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xSync(r, flags); });
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return watched(f, i18n::tr_noop("cannot size %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xFileSize(r, size); });
}
int x_lock(sqlite3_file* f, int level) {
    return watched(f, i18n::tr_noop("cannot lock %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xLock(r, level); });
}
int x_unlock(sqlite3_file* f, int level) {
    return watched(f, i18n::tr_noop("cannot unlock %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xUnlock(r, level); });
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return watched(f, i18n::tr_noop("cannot lock %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xCheckReservedLock(r, out); });
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real_methods(f).xFileControl(self(f).real, op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_methods(f).xSectorSize(self(f).real); }
int x_device_characteristics(sqlite3_file* f) { return real_methods(f).xDeviceCharacteristics(self(f).real); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return watched(f, i18n::tr_noop("cannot map the shared memory of %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xShmMap(r, page, size, extend, out); });
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return watched(f, i18n::tr_noop("cannot lock %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xShmLock(r, offset, n, flags); });
}
void x_shm_barrier(sqlite3_file* f) { real_methods(f).xShmBarrier(self(f).real); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    return watched(f, i18n::tr_noop("cannot unmap the shared memory of %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xShmUnmap(r, delete_flag); });
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return watched(f, i18n::tr_noop("cannot read %1$s: %2$s"), [&](sqlite3_file* r) { return r->pMethods->xFetch(r, offset, amount, out); });
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return real_methods(f).xUnfetch(self(f).real, offset, page);
}

// Version 3 methods, as the default (unix) VFS has; a real file with fewer gets the same
// version below, so SQLite never calls what is not there.
const sqlite3_io_methods methods_v3{3,       x_close,          x_read,     x_write,     x_truncate,  x_sync,
                                    x_file_size, x_lock,       x_unlock,   x_check_reserved_lock, x_file_control,
                                    x_sector_size, x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier,
                                    x_shm_unmap, x_fetch,       x_unfetch};
const sqlite3_io_methods methods_v2{2,       x_close,          x_read,     x_write,     x_truncate,  x_sync,
                                    x_file_size, x_lock,       x_unlock,   x_check_reserved_lock, x_file_control,
                                    x_sector_size, x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier,
                                    x_shm_unmap, nullptr,       nullptr};
const sqlite3_io_methods methods_v1{1,       x_close,          x_read,     x_write,     x_truncate,  x_sync,
                                    x_file_size, x_lock,       x_unlock,   x_check_reserved_lock, x_file_control,
                                    x_sector_size, x_device_characteristics, nullptr, nullptr, nullptr,
                                    nullptr,   nullptr,       nullptr};

int v_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    auto& w = *reinterpret_cast<WatchedFile*>(file);
    w.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(file) + real_file_offset);
    w.name = name;
    w.base.pMethods = nullptr; // SQLite calls no method of a file that failed to open
    errno = 0;
    int rc = real_vfs->xOpen(real_vfs, name, w.real, flags, out_flags);
    int saved = errno;
    if (rc != SQLITE_OK || w.real->pMethods == nullptr) return note(rc == SQLITE_OK ? SQLITE_CANTOPEN : rc, saved, i18n::tr_noop("cannot open %1$s: %2$s"), name);
    int version = w.real->pMethods->iVersion;
    w.base.pMethods = version >= 3 ? &methods_v3 : version == 2 ? &methods_v2 : &methods_v1;
    return rc;
}
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    errno = 0;
    int rc = real_vfs->xDelete(real_vfs, name, sync_dir);
    return note(rc, errno, i18n::tr_noop("cannot delete %1$s: %2$s"), name);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) { return real_vfs->xAccess(real_vfs, name, flags, out); }
int v_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
    return real_vfs->xFullPathname(real_vfs, name, size, out);
}
void* v_dl_open(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void v_dl_error(sqlite3_vfs*, int size, char* out) { real_vfs->xDlError(real_vfs, size, out); }
void (*v_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) { return real_vfs->xDlSym(real_vfs, handle, symbol); }
void v_dl_close(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int v_randomness(sqlite3_vfs*, int size, char* out) { return real_vfs->xRandomness(real_vfs, size, out); }
int v_sleep(sqlite3_vfs*, int microseconds) { return real_vfs->xSleep(real_vfs, microseconds); }
int v_current_time(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int v_get_last_error(sqlite3_vfs*, int size, char* out) { return real_vfs->xGetLastError(real_vfs, size, out); }
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs->xCurrentTimeInt64(real_vfs, out); }

} // namespace

void watch_sqlite_files() {
    static std::once_flag once;
    std::call_once(once, [] {
        real_vfs = sqlite3_vfs_find(nullptr);
        if (real_vfs == nullptr) return; // no default VFS: connections fail to open and say so
        watched_vfs.iVersion = 2;          // the system-call overrides (version 3) are for SQLite's own tests
        watched_vfs.szOsFile = static_cast<int>(real_file_offset) + real_vfs->szOsFile;
        watched_vfs.mxPathname = real_vfs->mxPathname;
        watched_vfs.zName = "brankas-watched";
        watched_vfs.xOpen = v_open;
        watched_vfs.xDelete = v_delete;
        watched_vfs.xAccess = v_access;
        watched_vfs.xFullPathname = v_full_pathname;
        watched_vfs.xDlOpen = v_dl_open;
        watched_vfs.xDlError = v_dl_error;
        watched_vfs.xDlSym = v_dl_sym;
        watched_vfs.xDlClose = v_dl_close;
        watched_vfs.xRandomness = v_randomness;
        watched_vfs.xSleep = v_sleep;
        watched_vfs.xCurrentTime = v_current_time;
        watched_vfs.xGetLastError = v_get_last_error;
        watched_vfs.xCurrentTimeInt64 = real_vfs->iVersion >= 2 ? v_current_time_int64 : nullptr;
        (void)sqlite3_vfs_register(&watched_vfs, 1);
    });
}

std::uint64_t file_failure_count() noexcept { return failures.load(std::memory_order_acquire); }

Error store_file_error(const FileFailure& failure) {
    bool full = failure.error == ENOSPC || failure.error == EDQUOT;
    i18n::Phrase file = failure.file.empty() ? i18n::Phrase(i18n::tr_noop("a temporary file")) : i18n::Phrase::plain(failure.file);
    i18n::Phrase what(failure.operation, {std::move(file), i18n::Phrase::plain(std::strerror(failure.error))});
    return phrase_error(ErrorCode::io, i18n::Phrase(i18n::tr_noop("the store could not be read or written: %s"), {std::move(what)}),
                        full ? i18n::tr_noop("free some space on that disk, then run the command again")
                             : i18n::tr_noop("the disk or its file system reported an error: check it (dmesg) before running the command again"));
}

std::optional<FileFailure> file_failure_since(std::uint64_t count) {
    if (file_failure_count() <= count) return std::nullopt;
    std::lock_guard<std::mutex> lock(latest_mutex);
    return latest;
}

} // namespace brankas
