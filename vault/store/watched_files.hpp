// What the operating system said when SQLite's file I/O failed. SQLite reports a failed read or
// write by its result code alone, and SQLCipher, handed a page it could not read, reports the
// page as not authenticating (SQLITE_NOTADB): "the store is corrupted or was tampered with",
// when the disk only failed. Every file SQLite opens goes through a thin layer over its own
// (a VFS wrapping the default one, installed once) that remembers each failure: the operation,
// the file and errno. A connection that fails after one of them has no proof of damage, and
// says which file could not be read or written.
#pragma once

#include "vault/error.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace brankas {

struct FileFailure {
    // What failed, a literal marked with tr_noop naming the file (%1$s) and the system's reason
    // (%2$s): "cannot write %1$s: %2$s", "cannot sync %1$s: %2$s", ...
    const char* operation = nullptr;
    std::string file;      // the full path SQLite opened; empty for a temporary file
    int error = 0;         // errno; ENOSPC for SQLITE_FULL when the system gave none
};

// Installs the layer as SQLite's default VFS (once; later calls do nothing). Must run before
// the first connection opens.
void watch_sqlite_files();

// How many failures there have been in this process so far, and the latest of those after the
// first `count` (nullopt if none). A connection notes the count when it opens.
[[nodiscard]] std::uint64_t file_failure_count() noexcept;
[[nodiscard]] std::optional<FileFailure> file_failure_since(std::uint64_t count);

// ErrorCode::io naming the failure: "the store could not be read or written: cannot write
// /srv/v/store.db-wal: No space left on device", and what to do about it.
[[nodiscard]] Error store_file_error(const FileFailure& failure);

} // namespace brankas
