// SQLCipher's key API is declared only with SQLITE_HAS_CODEC.
#define SQLITE_HAS_CODEC 1
#include "vault/store/database.hpp"
#include "vault/store/unreadable_pages.hpp"

#include "vault/store/watched_files.hpp"
#include "vault/store/write_queue.hpp"

#include <sqlcipher/sqlite3.h>

#include <algorithm>
#include <any>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <cstring>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace brankas {

// One open connection and the statements it keeps for reuse, keyed by their SQL text.
namespace {
// The explanations of unreadable pages (unreadable_pages.hpp), by connection. Kept beside the
// connections rather than in them, so that registering one changes no public type.
std::mutex explanations_mutex;
std::unordered_map<sqlite3*, UnreadableExplanation>& explanations() {
    static std::unordered_map<sqlite3*, UnreadableExplanation> by_connection;
    return by_connection;
}
void forget_explanation(sqlite3* db) {
    std::lock_guard lock(explanations_mutex);
    explanations().erase(db);
}
std::optional<Error> explanation_for(sqlite3* db) {
    UnreadableExplanation explain;
    {
        std::lock_guard lock(explanations_mutex);
        auto it = explanations().find(db);
        if (it == explanations().end()) return std::nullopt;
        explain = it->second;
    }
    return explain(); // outside the lock: it reads a file
}
} // namespace

struct Connection {
    Connection(sqlite3* handle, std::uint64_t failures_before) : db(handle), file_failures_before(failures_before) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() {
        for (auto& [sql, statements] : idle)
            for (sqlite3_stmt* s : statements) sqlite3_finalize(s);
        forget_explanation(db);
        sqlite3_close_v2(db);
    }

    // Lookup by string_view, without building a std::string for every prepare.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    // At most this many idle copies of one statement (more are in use at once only in nested
    // loops, and only briefly).
    static constexpr std::size_t max_idle_per_sql = 4;

    sqlite3* db;
    std::uint64_t file_failures_before; // file_failure_count() when the connection opened
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, TextHash, std::equal_to<>> idle;
    // Rows written to each counted table (see Database::count_writes); empty when not counting.
    std::unordered_map<std::string, std::uint64_t, TextHash, std::equal_to<>> writes;
    bool counting = false;
    std::any replay_cache_slot;
    WriteQueue::Standing writing; // this connection in the writers' queue of its store file
};

namespace {
constexpr int busy_timeout_ms = 15000; // a person and the enforcer timer may write at once

// Raw key: the literal x'<64 hex>' (67 bytes) tells SQLCipher to skip its own passphrase
// KDF. The string is built in secure memory and passed through the key API, not SQL.
SecretBytes raw_key_literal(const SecretBytes& key) {
    SecretBytes hex = key.to_hex();
    SecretBytes literal(hex.size() + 3);
    literal.data()[0] = 'x';
    literal.data()[1] = '\'';
    std::memcpy(literal.data() + 2, hex.data(), hex.size());
    literal.data()[hex.size() + 2] = '\'';
    return literal;
}
} // namespace

Statement::Statement(sqlite3_stmt* s, std::shared_ptr<Connection> connection, std::vector<sqlite3_stmt*>* home)
    : stmt_(s, Release{std::move(connection), home}) {}

void Statement::Release::operator()(sqlite3_stmt* s) const noexcept {
    // Reset ends any read the statement still had open (a statement left mid-result would
    // hold a read transaction); the bindings go too, so no value lingers in a kept statement.
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (home != nullptr && home->size() < Connection::max_idle_per_sql) {
        try {
            home->push_back(s);
            return;
        } catch (...) {
            // Out of memory: the statement is simply not kept.
        }
    }
    sqlite3_finalize(s);
}

namespace {

Error error_of_connection(const Connection* connection, int rc) {
    int primary = rc & 0xff;
    // The file system failed under this connection: whatever SQLite made of it (a page that
    // does not authenticate, a lock it could not take again), nothing proves damage.
    if (connection != nullptr)
        if (auto failure = file_failure_since(connection->file_failures_before)) return store_file_error(*failure);
    std::string detail = connection != nullptr && connection->db != nullptr ? sqlite3_errmsg(connection->db) : sqlite3_errstr(rc);
    switch (primary) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        // Pages that do not authenticate under this connection's key may be pages another
        // process re-encrypted under a new one: the connection's owner is asked first.
        if (connection != nullptr)
            if (auto explained = explanation_for(connection->db)) return *explained;
        return phrased_error(ErrorCode::store_corrupt, i18n::tr_noop("the store is corrupted or was tampered with (its pages do not authenticate)"),
                             {}, i18n::tr_noop("restore store.db from a backup of this vault"));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return phrased_error(ErrorCode::busy, i18n::tr_noop("the vault stayed locked by another brankas process"), {},
                             i18n::tr_noop("try again in a moment"));
    // SQLite's own detail stays in its words (English): it is for whoever reports the problem.
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return phrased_error(ErrorCode::io, i18n::tr_noop("the store could not be read or written: %s"), {detail});
    case SQLITE_CONSTRAINT:
        return phrased_error(ErrorCode::internal, i18n::tr_noop("a store constraint was violated: %s"), {detail});
    default:
        return phrased_error(ErrorCode::internal, i18n::tr_noop("store error: %s"), {detail});
    }
}

} // namespace

Error Database::error_from(int rc) const { return error_of_connection(connection_.get(), rc); }

void explain_unreadable_pages(Database& db, UnreadableExplanation explain) {
    std::lock_guard lock(explanations_mutex);
    explanations()[db.handle()] = std::move(explain);
}

// ---- Statement ----

Result<bool> Statement::step() {
    const Connection* connection = stmt_.get_deleter().connection.get();
    if (bind_rc_ != SQLITE_OK) return std::unexpected(error_of_connection(connection, bind_rc_));
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(error_of_connection(connection, rc));
}

Status Statement::run() {
    bool row = BRANKAS_TRY(step());
    (void)row;
    return {};
}

void Statement::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
    bind_rc_ = SQLITE_OK;
}

// ---- Database ----

namespace {

// Settings of the library as a whole, made once before its first connection (SQLite accepts
// them only before it initializes). Every Database is used by one thread at a time (its
// statement cache is not shared either), so connections open without SQLite's own mutex, and
// the allocator keeps no usage statistics: both otherwise take a lock on every call, which in
// the replay of `audit verify` is millions of locks.
void configure_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Failing only means SQLite was initialized already (by a caller outside this class):
        // the statistics then stay on, which costs time and nothing else.
        (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        // No page cache allocated in bulk ahead of its pages: by default each connection's first
        // page takes room for a run of pages at once and writes into every one of them, which a
        // command that reads a few dozen pages pays for in page faults; pages are then taken as
        // they are read.
        (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
        // After the configuration: finding the default VFS initializes SQLite.
        watch_sqlite_files();
    });
}

constexpr int connection_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

} // namespace

namespace {

// The page cache, taken only as pages are used. Reading, 16 MiB: enough for the pages of every
// account and unit of a national vault, so walking an index over them does not re-decrypt the
// same pages again and again; and a listing that reads the whole log or looks up an event per
// row keeps no more than that, whatever the number of rows. Writing, up to 256 MiB: the one
// transaction of an end-of-term run over a whole district (tens of thousands of events and
// checklist rows) would otherwise spill its dirty pages to the WAL, encrypting and decrypting
// them again, before it commits; the cache shrinks back when the transaction ends.
constexpr const char* reading_cache = "PRAGMA cache_size = -16384";
constexpr const char* writing_cache = "PRAGMA cache_size = -262144";

} // namespace

Status Database::configure_connection() {
    sqlite3_busy_timeout(handle(), busy_timeout_ms); // again for in-memory databases
    // Brankas defines no triggers; with triggers off, one planted in the file cannot run
    // even before the schema check rejects it.
    int triggers_on = 1;
    if (sqlite3_db_config(handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &triggers_on) != SQLITE_OK || triggers_on != 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("cannot turn off triggers on the store connection"), {});
    BRANKAS_TRY(exec("PRAGMA foreign_keys = ON"));
    BRANKAS_TRY(exec(reading_cache));
    return {};
}

Result<Database> Database::open_encrypted(const std::filesystem::path& path, const SecretBytes& key, Mode mode) {
    if (key.size() != 32) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the store key must be 32 bytes"), {});
    configure_library();
    int flags = connection_flags;
    if (mode == Mode::create_new) flags |= SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const std::uint64_t failures_before = file_failure_count();
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db(raw, failures_before);
    if (rc != SQLITE_OK) {
        if (raw == nullptr) return fail_phrased(ErrorCode::internal, i18n::tr_noop("out of memory opening the store"), {});
        return std::unexpected(db.error_from(rc));
    }
    // Before the first read: another process may be recovering or checkpointing the WAL
    // right now, and the key probe below must wait for it rather than fail.
    sqlite3_busy_timeout(db.handle(), busy_timeout_ms);

    // Linking plain SQLite by mistake would ignore the key and write plain text: refuse to go on
    // unless SQLCipher answers.
    auto cipher = db.query_text("PRAGMA cipher_version");
    if (!cipher || cipher->empty())
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("this brankas was built without SQLCipher; refusing to open the store"), {});

    SecretBytes literal = raw_key_literal(key);
    rc = sqlite3_key(db.handle(), literal.data(), static_cast<int>(literal.size()));
    if (rc != SQLITE_OK) return std::unexpected(db.error_from(rc));

    // Pin every cipher setting, so the file does not depend on this build's defaults and a
    // SQLCipher 4 build can open it (cipher_compatibility is ignored by 3.x, which already
    // has these defaults apart from the page size).
    BRANKAS_TRY(db.exec("PRAGMA cipher_compatibility = 3"));
    BRANKAS_TRY(db.exec("PRAGMA cipher_page_size = 4096"));
    BRANKAS_TRY(db.exec("PRAGMA kdf_iter = 64000"));
    BRANKAS_TRY(db.exec("PRAGMA cipher_use_hmac = ON"));

    // A wrong key (or a replaced file) is accepted by the key call and fails only at the
    // first read: read now.
    auto probe = db.query_int("SELECT count(*) FROM sqlite_master");
    if (!probe) {
        if (probe.error().code == ErrorCode::store_corrupt)
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store does not open with the key in the keyring: it is corrupted, or was replaced"),
                                {}, i18n::tr_noop("restore store.db from a backup of this vault"));
        return std::unexpected(probe.error());
    }
    BRANKAS_TRY(db.configure_connection());
    // WAL lets a reader (an auditor) run while a writer commits; FULL sync so a committed
    // event survives a power cut.
    BRANKAS_TRY(db.exec("PRAGMA journal_mode = WAL"));
    BRANKAS_TRY(db.exec("PRAGMA synchronous = FULL"));
    return db;
}

Status Database::rekey(const SecretBytes& new_key) {
    if (new_key.size() != 32) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a store key is 32 bytes"), {});
    // Every page goes into the WAL under the new key in one write transaction, so a crash
    // leaves the store wholly under one key or the other. SQLCipher 3.4 reports success even
    // when that transaction failed: the caller must open the file again with the new key.
    BRANKAS_TRY(exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    SecretBytes literal = raw_key_literal(new_key);
    int rc = sqlite3_rekey_v2(handle(), "main", literal.data(), static_cast<int>(literal.size()));
    if (rc != SQLITE_OK) return std::unexpected(error_from(rc));
    return exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

namespace {
bool is_schema_name(std::string_view name) {
    return !name.empty() && name.size() <= 32 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}
} // namespace

Status Database::attach_encrypted(const std::filesystem::path& path, std::string_view name, const SecretBytes& key) {
    if (key.size() != 32) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the store key must be 32 bytes"), {});
    if (!is_schema_name(name)) return fail_phrased(ErrorCode::internal, i18n::tr_noop("not a schema name"), {});
    const std::string schema(name);
    // ATTACH opens with the flags of the main connection, which may not create files: the new
    // file is created here, empty and private (an empty file is an empty database).
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {path.string(), std::string(std::strerror(errno))});
    ::close(fd);
    Statement attach = BRANKAS_TRY(prepare("ATTACH DATABASE ? AS " + schema + " KEY ?"));
    attach.bind(1, std::string_view(path.native()));
    // Without a KEY (or with an empty one) SQLCipher 3.4 writes the attached file in plain
    // text. The raw-key literal is bound straight from secure memory (SQLITE_STATIC: no copy
    // by the bind itself); the statement lets go of it (reset, bindings cleared) before the
    // literal is wiped.
    SecretBytes literal = raw_key_literal(key);
    attach.note_bind(sqlite3_bind_blob(attach.stmt_.get(), 2, literal.data(), static_cast<int>(literal.size()), SQLITE_STATIC));
    BRANKAS_TRY(attach.run());
    attach = Statement(nullptr, connection_, nullptr);
    // The same settings as open_encrypted pins on the main store, in the same order.
    for (const char* pragma : {".cipher_compatibility = 3", ".cipher_page_size = 4096", ".kdf_iter = 64000", ".cipher_use_hmac = ON"})
        BRANKAS_TRY(exec(("PRAGMA " + schema + pragma).c_str()));
    return {};
}

Status Database::detach(std::string_view name) {
    if (!is_schema_name(name)) return fail_phrased(ErrorCode::internal, i18n::tr_noop("not a schema name"), {});
    return exec(("DETACH DATABASE " + std::string(name)).c_str());
}

Result<Database> Database::open_memory() {
    configure_library();
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(":memory:", &raw, connection_flags | SQLITE_OPEN_CREATE, nullptr);
    Database db(raw, file_failure_count());
    if (rc != SQLITE_OK) return fail_phrased(ErrorCode::internal, i18n::tr_noop("cannot open an in-memory database"), {});
    BRANKAS_TRY(db.configure_connection());
    return db;
}

Database::Database(sqlite3* db, std::uint64_t file_failures_before)
    : connection_(std::make_shared<Connection>(db, file_failures_before)) {}

sqlite3* Database::handle() const noexcept { return connection_ ? connection_->db : nullptr; }

Result<Statement> Database::prepare(std::string_view sql) {
    if (!connection_) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the store connection was moved away"), {});
    // The idle list of this SQL: a node of the map, so the pointer stays valid as it grows.
    auto it = connection_->idle.find(sql);
    if (it == connection_->idle.end()) it = connection_->idle.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
    std::vector<sqlite3_stmt*>* home = &it->second;
    if (!home->empty()) {
        sqlite3_stmt* kept = home->back();
        home->pop_back();
        return Statement(kept, connection_, home);
    }
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(handle(), sql.data(), static_cast<int>(sql.size()), &s, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return std::unexpected(error_from(rc));
    }
    if (s == nullptr) return fail_phrased(ErrorCode::internal, i18n::tr_noop("an empty SQL statement"), {});
    return Statement(s, connection_, home);
}

Status Database::exec(const char* sql) {
    int rc = sqlite3_exec(handle(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(error_from(rc));
    return {};
}

Result<std::int64_t> Database::query_int(const char* sql) {
    Statement s = BRANKAS_TRY(prepare(sql));
    bool row = BRANKAS_TRY(s.step());
    if (!row) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a query returned no row"), {});
    return s.column_int(0);
}

Result<std::string> Database::query_text(const char* sql) {
    Statement s = BRANKAS_TRY(prepare(sql));
    bool row = BRANKAS_TRY(s.step());
    if (!row) return std::string();
    return s.column_text(0);
}

namespace {

void count_row_write(void* context, int, const char*, const char* table, sqlite3_int64) {
    auto& writes = static_cast<Connection*>(context)->writes;
    if (auto it = writes.find(std::string_view(table)); it != writes.end()) ++it->second;
}

// The rows of a rolled-back transaction come back without an update: whatever was read
// during it is stale, so every count moves.
void count_rollback(void* context) {
    for (auto& [table, count] : static_cast<Connection*>(context)->writes) ++count;
}

} // namespace

Status Database::count_writes() {
    if (!connection_) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the store connection was moved away"), {});
    std::vector<std::string> tables;
    {
        Statement s = BRANKAS_TRY(prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"));
        while (BRANKAS_TRY(s.step())) tables.push_back(s.column_text(0));
    }
    for (const std::string& table : tables) {
        // A WITHOUT ROWID table has no rowid to select, and SQLite reports no writes to it.
        std::string probe = "SELECT rowid FROM \"" + table + "\" LIMIT 0";
        sqlite3_stmt* s = nullptr;
        int rc = sqlite3_prepare_v2(handle(), probe.c_str(), -1, &s, nullptr);
        sqlite3_finalize(s);
        if (rc == SQLITE_OK) connection_->writes.emplace(table, 0);
    }
    sqlite3_update_hook(handle(), count_row_write, connection_.get());
    sqlite3_rollback_hook(handle(), count_rollback, connection_.get());
    connection_->counting = true;
    return {};
}

bool Database::counts_writes() const noexcept { return connection_ && connection_->counting; }

void Database::stop_counting_writes() noexcept {
    if (!counts_writes()) return;
    sqlite3_update_hook(handle(), nullptr, nullptr);
    sqlite3_rollback_hook(handle(), nullptr, nullptr);
    connection_->writes.clear();
    connection_->replay_cache_slot.reset();
    connection_->counting = false;
}

std::optional<std::uint64_t> Database::writes_to(std::string_view table) const {
    if (!connection_) return std::nullopt;
    auto it = connection_->writes.find(table);
    if (it == connection_->writes.end()) return std::nullopt;
    return it->second;
}

std::any& Database::replay_cache_slot() { return connection_->replay_cache_slot; }

Status check_store_is_encrypted(const std::filesystem::path& store) {
    std::ifstream in(store, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    if (in.gcount() == sizeof header && std::memcmp(header, "SQLite format 3", 16) == 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("the store was written in plain text: this brankas is linked against plain SQLite, not SQLCipher"),
                            {});
    return {};
}

// ---- Transaction ----

Result<Transaction> Transaction::begin_immediate(Database& db) {
    WriteQueue::Turn turn;
    if (const std::shared_ptr<Connection>& connection = db.connection_) {
        // The standing lives in the connection, which the turn keeps alive.
        auto taken = WriteQueue::take_turn(std::shared_ptr<WriteQueue::Standing>(connection, &connection->writing),
                                           sqlite3_db_filename(connection->db, "main"), std::chrono::milliseconds(busy_timeout_ms));
        if (!taken) return std::unexpected(db.error_from(SQLITE_BUSY));
        turn = std::move(*taken);
    }
    BRANKAS_TRY(db.exec(writing_cache));
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) {
        sqlite3_exec(db.handle(), reading_cache, nullptr, nullptr, nullptr);
        return std::unexpected(begun.error());
    }
    return Transaction(&db, Writes::yes, std::move(turn));
}

Result<Transaction> Transaction::begin_read(Database& db) {
    BRANKAS_TRY(db.exec("BEGIN"));
    return Transaction(&db, Writes::no);
}

Transaction::~Transaction() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    if (writes_ == Writes::yes) sqlite3_exec(db_->handle(), reading_cache, nullptr, nullptr, nullptr);
}

Status Transaction::commit() {
    if (db_ == nullptr) return fail_phrased(ErrorCode::internal, i18n::tr_noop("transaction already finished"), {});
    Database* db = std::exchange(db_, nullptr);
    auto committed = db->exec("COMMIT");
    if (!committed) sqlite3_exec(db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    if (writes_ == Writes::yes) sqlite3_exec(db->handle(), reading_cache, nullptr, nullptr, nullptr);
    turn_ = WriteQueue::Turn{}; // the next writer of this process may go
    return committed;
}

} // namespace brankas
