// RAII over the SQLCipher C API: the connection, prepared statements and transactions each
// own their handle; every return code goes through one check. Nothing here knows the schema.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace brankas {

class Database;

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
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const noexcept;
    };
    Statement(sqlite3_stmt* s, sqlite3* conn) : stmt_(s), conn_(conn) {}
    void note_bind(int rc) noexcept;
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
    sqlite3* conn_;      // for error messages; sqlite3_close_v2 keeps it alive until we finalize
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

    // Maps a SQLite result code to an Error: corruption and authentication failures are
    // ErrorCode::store_corrupt, a lock held past the busy timeout is ErrorCode::busy.
    [[nodiscard]] Error error_from(int rc) const { return error_from(db_.get(), rc); }
    [[nodiscard]] static Error error_from(sqlite3* conn, int rc);

    [[nodiscard]] sqlite3* handle() const noexcept { return db_.get(); }

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    explicit Database(sqlite3* db) : db_(db) {}
    [[nodiscard]] Status configure_connection();
    std::unique_ptr<sqlite3, Closer> db_;
};

// A store file must not begin with SQLite's plain-text magic: if it does, its key was ignored.
[[nodiscard]] Status check_store_is_encrypted(const std::filesystem::path& store);

// BEGIN IMMEDIATE on construction (so two writers queue on the busy timeout instead of
// failing on upgrade), ROLLBACK in the destructor unless commit() succeeded. A read
// transaction (BEGIN) gives every statement inside it one snapshot of the store.
class Transaction {
public:
    [[nodiscard]] static Result<Transaction> begin_immediate(Database& db);
    [[nodiscard]] static Result<Transaction> begin_read(Database& db);
    Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    [[nodiscard]] Status commit();

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_;
};

} // namespace brankas
