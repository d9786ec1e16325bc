// RAII over the SQLCipher C API: the connection, prepared statements and transactions each
// own their handle; every return code goes through one check. Nothing here knows the schema.
// A connection keeps the statements it prepared once they are done with, reset, and hands
// them out again for the same SQL: compiling a statement costs more than running most of
// ours, and the replay of `audit verify` runs the same few hundred thousands of times.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "vault/store/write_queue.hpp"

#include <any>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace brankas {

class Database;
struct Connection; // the sqlite3 handle and its idle prepared statements (database.cpp)

class Statement {
public:
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, ByteView blob);
    Statement& bind_null(int index);

    // true: a row is ready; false: done.
    [[nodiscard]] Result<bool> step();
    // Runs a statement that returns no rows.
    [[nodiscard]] Status run();
    void reset();

    [[nodiscard]] int column_count() const;
    [[nodiscard]] std::int64_t column_int(int index) const;
    [[nodiscard]] std::string column_text(int index) const;
    [[nodiscard]] Bytes column_blob(int index) const;
    [[nodiscard]] bool column_is_null(int index) const;
    // Type and raw bytes, for comparing rows without knowing their schema.
    enum class ColumnType { integer, real, text, blob, null };
    [[nodiscard]] ColumnType column_type(int index) const;
    // Size in bytes of a text or blob column, known before its bytes are copied anywhere.
    [[nodiscard]] std::size_t column_size(int index) const;
    [[nodiscard]] ByteView column_raw(int index) const;

private:
    friend class Database;
    // Reset and kept by the connection for the next prepare of the same SQL (or finalized).
    struct Release {
        std::shared_ptr<Connection> connection;
        std::vector<sqlite3_stmt*>* home = nullptr; // the connection's idle list for this SQL
        void operator()(sqlite3_stmt* s) const noexcept;
    };
    Statement(sqlite3_stmt* s, std::shared_ptr<Connection> connection, std::vector<sqlite3_stmt*>* home);
    void note_bind(int rc) noexcept;
    std::unique_ptr<sqlite3_stmt, Release> stmt_; // keeps the connection open while it lives
    int bind_rc_ = 0;    // the first failed bind, reported by step()
};

class Database {
public:
    enum class Mode { open_existing, create_new };

    // Opens the encrypted store with the raw 32-byte K_db. The key is handed to SQLCipher as
    // x'<64 hex>' built in secure memory; a wrong key is detected here by a first read.
    [[nodiscard]] static Result<Database> open_encrypted(const std::filesystem::path& path, const SecretBytes& key,
                                                         Mode mode);
    // Re-encrypts every page under `new_key` in one transaction (outside any other). Does not
    // prove it worked: open the file again with the new key to know.
    [[nodiscard]] Status rekey(const SecretBytes& new_key);
    // Creates a new database file at `path` (0600; it must not exist) and attaches it as schema
    // `name` ([a-z_]+), encrypted with `key`
    // and the cipher settings pinned on the main store (an attached database would otherwise
    // take this build's defaults). The key goes through a bound parameter, never SQL text.
    [[nodiscard]] Status attach_encrypted(const std::filesystem::path& path, std::string_view name, const SecretBytes& key);
    [[nodiscard]] Status detach(std::string_view name);
    // A private in-memory database (no key): the fresh projection that `audit verify` replays into.
    [[nodiscard]] static Result<Database> open_memory();

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    [[nodiscard]] Result<Statement> prepare(std::string_view sql);
    [[nodiscard]] Status exec(const char* sql);
    // The first column of the first row of a query returning an integer.
    [[nodiscard]] Result<std::int64_t> query_int(const char* sql);
    [[nodiscard]] Result<std::string> query_text(const char* sql);

    // Keeping reads. A database that only this connection writes (the replay of `audit
    // verify`, in memory) lets readers keep what they read from a table until a row of it is
    // written: from this call on, the connection counts the rows written to each of its tables
    // (SQLite's update hook) and a rollback moves every count. Never for a file other
    // processes write: their writes are not seen. SQLite leaves some writes unreported, which
    // a connection that counts must not make to a table whose reads are kept: a DELETE without
    // WHERE (it truncates the table), and a rollback to a savepoint. (The rows REPLACE deletes
    // are not reported either, but the row it inserts is, which moves the count.)
    [[nodiscard]] Status count_writes();
    [[nodiscard]] bool counts_writes() const noexcept;
    // Stops counting: the hooks are removed, the counts and everything readers kept dropped.
    // A connection to the store file counts only while it holds the write lock (replay_cache.hpp).
    void stop_counting_writes() noexcept;
    // How many rows were written to `table` since count_writes(); nullopt when writes are not
    // counted, or not for this table (one created later, or WITHOUT ROWID: SQLite reports no
    // writes to those).
    [[nodiscard]] std::optional<std::uint64_t> writes_to(std::string_view table) const;
    // Where readers keep what they read; lives as long as the connection.
    [[nodiscard]] std::any& replay_cache_slot();

    // Maps a SQLite result code of this connection to an Error. When the file system failed
    // since the connection opened (watched_files.hpp), that failure is the error, whatever the
    // code: ErrorCode::io naming the file and the operation (SQLCipher reports a page it could
    // not read as one that does not authenticate, and a connection that failed to write may
    // answer BUSY or LOCKED after). Otherwise a code of the file system is ErrorCode::io,
    // corruption and authentication failures are ErrorCode::store_corrupt (the bytes read prove
    // damage), and a lock held past the busy timeout is ErrorCode::busy.
    [[nodiscard]] Error error_from(int rc) const;

    [[nodiscard]] sqlite3* handle() const noexcept;

private:
    friend class Transaction;
    Database(sqlite3* db, std::uint64_t file_failures_before);
    [[nodiscard]] Status configure_connection();
    // Shared with the statements still alive: the handle closes after the last of them.
    std::shared_ptr<Connection> connection_;
};

// A store file must not begin with SQLite's plain-text magic: if it does, its key was ignored.
[[nodiscard]] Status check_store_is_encrypted(const std::filesystem::path& store);

// BEGIN IMMEDIATE on construction (so two writers queue on the busy timeout instead of
// failing on upgrade), ROLLBACK in the destructor unless commit() succeeded. A read
// transaction (BEGIN) gives every statement inside it one snapshot of the store. The writers of
// one file in this process first wait for their turn in its WriteQueue (write_queue.hpp), which
// serves them in order; the busy timeout bounds that wait too.
class Transaction {
public:
    [[nodiscard]] static Result<Transaction> begin_immediate(Database& db);
    [[nodiscard]] static Result<Transaction> begin_read(Database& db);
    Transaction(Transaction&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)), writes_(other.writes_), turn_(std::move(other.turn_)) {}
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    [[nodiscard]] Status commit();

private:
    enum class Writes { no, yes }; // a write transaction has the larger page cache until it ends
    Transaction(Database* db, Writes writes, WriteQueue::Turn turn = {}) : db_(db), writes_(writes), turn_(std::move(turn)) {}
    Database* db_;
    Writes writes_;
    WriteQueue::Turn turn_; // declared last: ended (for the next writer) once ~Transaction has rolled back
};

} // namespace brankas
