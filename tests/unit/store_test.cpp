#include "support/temp_dir.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/replay_cache.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/store/database.hpp"
#include "vault/store/schema.hpp"
#include "vault/store/write_queue.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

using namespace brankas;

namespace {

SecretBytes random_key() {
    SecretBytes k(32);
    random_fill(k.span());
    return k;
}

Database new_store(const std::filesystem::path& path, const SecretBytes& key) {
    auto db = Database::open_encrypted(path, key, Database::Mode::create_new);
    REQUIRE_MESSAGE(db, (db ? "" : db.error().message));
    REQUIRE(create_schema(*db));
    return std::move(*db);
}

std::string store_file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Status reopen(const std::filesystem::path& path, const SecretBytes& key) {
    auto db = Database::open_encrypted(path, key, Database::Mode::open_existing);
    if (!db) return std::unexpected(db.error());
    return upgrade_and_check_schema(*db);
}

} // namespace

TEST_CASE("the store is SQLCipher: no plain SQLite header, no plain text, and SQLCipher answers") {
    test::TempDir dir;
    auto key = random_key();
    {
        Database db = new_store(dir / "store.db", key);
        REQUIRE(db.exec("INSERT INTO vault (singleton, vault_id, institution, created_seq) "
                         "VALUES (1, x'00112233445566778899aabbccddeeff', 'Bawaslu Kabupaten Ponorogo', 1)"));
        auto version = db.query_text("PRAGMA cipher_version");
        REQUIRE(version);
        CHECK(version->starts_with("3.4"));
    }
    std::string bytes = store_file_bytes(dir / "store.db");
    REQUIRE(bytes.size() >= 16);
    CHECK(bytes.substr(0, 15) != "SQLite format 3");
    CHECK(bytes.find("Bawaslu") == std::string::npos);
    CHECK(bytes.find("CREATE TABLE") == std::string::npos);
    CHECK(reopen(dir / "store.db", key));
}

TEST_CASE("a wrong key is detected at open, not at the first query") {
    test::TempDir dir;
    { Database db = new_store(dir / "store.db", random_key()); }
    auto db = Database::open_encrypted(dir / "store.db", random_key(), Database::Mode::open_existing);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == ErrorCode::store_corrupt);
    CHECK(db.error().message.find("does not open with the key") != std::string::npos);
}

TEST_CASE("anything added to the schema with the right key is refused as tampering") {
    test::TempDir dir;
    auto key = random_key();
    Database db = new_store(dir / "store.db", key);
    std::string expected;
    SUBCASE("a trigger") {
        REQUIRE(db.exec("CREATE TRIGGER hide AFTER INSERT ON events BEGIN DELETE FROM events; END"));
        expected = "trigger 'hide'";
    }
    SUBCASE("a view") {
        REQUIRE(db.exec("CREATE VIEW v AS SELECT * FROM principals"));
        expected = "view 'v'";
    }
    SUBCASE("a table") {
        REQUIRE(db.exec("CREATE TABLE extra (x)"));
        expected = "table 'extra'";
    }
    SUBCASE("an index") {
        REQUIRE(db.exec("CREATE INDEX by_actor ON events (actor)"));
        expected = "index 'by_actor'";
    }
    SUBCASE("a dropped table") {
        REQUIRE(db.exec("DROP TABLE checkpoints"));
        expected = "table 'checkpoints' is missing";
    }
    SUBCASE("a table made again under its own name, with other columns") {
        REQUIRE(db.exec("DROP TABLE checkpoints"));
        REQUIRE(db.exec("CREATE TABLE checkpoints (seq INTEGER PRIMARY KEY, note TEXT)"));
        expected = "table 'checkpoints' that Brankas did not create";
    }
    auto r = reopen(dir / "store.db", key);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::store_corrupt);
    CHECK(r.error().message.find("tampered") != std::string::npos);
    CHECK(r.error().message.find(expected) != std::string::npos);
}

TEST_CASE("the digest an open compares the schema with is the one the migrations build") {
    auto reference = Database::open_memory();
    REQUIRE(reference);
    REQUIRE(apply_migrations(*reference, 0, latest_schema_version));
    auto digest = schema_digest(*reference);
    REQUIRE(digest);
    CHECK_MESSAGE(*digest == latest_schema_digest, (std::string("the migrations build a schema of digest ") + to_hex(*digest)));
    // One entry more or one changed moves it.
    REQUIRE(reference->exec("CREATE INDEX by_actor ON events (actor)"));
    CHECK(schema_digest(*reference).value() != latest_schema_digest);
}

TEST_CASE("a store from a newer brankas, from before the first release, or not from brankas at all is refused") {
    test::TempDir dir;
    auto key = random_key();
    Database db = new_store(dir / "store.db", key);
    SUBCASE("newer schema version") {
        REQUIRE(db.exec("PRAGMA user_version = 99"));
        auto r = reopen(dir / "store.db", key);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::unsupported);
        CHECK(r.error().message.find("newer") != std::string::npos);
    }
    SUBCASE("a store from a development build before the first release") {
        REQUIRE(db.exec("PRAGMA user_version = 4"));
        auto r = reopen(dir / "store.db", key);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::unsupported);
        CHECK(r.error().message.find("schema version 4, from a development build") != std::string::npos);
    }
    SUBCASE("another application id") {
        REQUIRE(db.exec("PRAGMA application_id = 7"));
        auto r = reopen(dir / "store.db", key);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("not a Brankas store") != std::string::npos);
    }
}

TEST_CASE("migrations: an empty store is brought to the latest version, and applying them twice is impossible") {
    test::TempDir dir;
    auto key = random_key();
    Database db = new_store(dir / "store.db", key);
    CHECK(db.query_int("PRAGMA user_version") == latest_schema_version);
    CHECK(check_schema(db, latest_schema_version));
    auto again = create_schema(db);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::vault_exists);
}

TEST_CASE("a transaction that is not committed leaves nothing behind") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (x)"));
    {
        auto tx = Transaction::begin_immediate(*db);
        REQUIRE(tx);
        REQUIRE(db->exec("INSERT INTO t VALUES (1)"));
    }
    CHECK(db->query_int("SELECT count(*) FROM t") == 0);
    {
        auto tx = Transaction::begin_immediate(*db);
        REQUIRE(tx);
        REQUIRE(db->exec("INSERT INTO t VALUES (1)"));
        REQUIRE(tx->commit());
    }
    CHECK(db->query_int("SELECT count(*) FROM t") == 1);
}

TEST_CASE("a writer waits for another writer instead of failing") {
    test::TempDir dir;
    auto key = random_key();
    Database first = new_store(dir / "store.db", key);
    auto second = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
    REQUIRE(second);
    auto tx = Transaction::begin_immediate(first);
    REQUIRE(tx);
    // Release the lock from another thread after a short while; the second writer must block
    // on the busy timeout and then succeed.
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        REQUIRE(tx->commit());
    });
    auto waited = Transaction::begin_immediate(*second);
    releaser.join();
    CHECK(waited.has_value());
}

namespace {

// Waits (a bounded while) until `queue` has `n` writers waiting behind the one whose turn it is.
bool wait_for_waiting(const WriteQueue& queue, std::uint64_t n) {
    for (int i = 0; i < 2000 && queue.waiting() != n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return queue.waiting() == n;
}

// One row written by `writer` through `db`, in a write transaction of its own.
Status write_row(Database& db, std::int64_t writer) {
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db));
    {
        Statement s = BRANKAS_TRY(db.prepare("INSERT INTO t (writer) VALUES (?)"));
        s.bind(1, writer);
        BRANKAS_TRY(s.run());
    }
    return tx.commit();
}

} // namespace

TEST_CASE("the writers of one process take the write lock in the order they asked for it") {
    test::TempDir dir;
    auto key = random_key();
    Database first = new_store(dir / "store.db", key);
    REQUIRE(first.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, writer INTEGER)"));
    std::vector<Database> others;
    for (int i = 0; i < 4; ++i) {
        auto db = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
        REQUIRE(db);
        others.push_back(std::move(*db));
    }
    auto queue = WriteQueue::of_file(dir / "store.db");
    REQUIRE(queue);
    auto holding = Transaction::begin_immediate(first);
    REQUIRE(holding);
    // Each writer asks once the one before it waits: SQLite alone would let whichever polls at
    // the right moment win.
    std::vector<std::thread> writers;
    std::vector<Status> done(others.size());
    for (std::size_t i = 0; i < others.size(); ++i) {
        writers.emplace_back([&, i] { done[i] = write_row(others[i], static_cast<std::int64_t>(i)); });
        REQUIRE(wait_for_waiting(*queue, i + 1));
    }
    REQUIRE(holding->commit());
    for (std::thread& w : writers) w.join();
    for (const Status& d : done) CHECK_MESSAGE(d.has_value(), (d ? "" : d.error().message));
    auto s = first.prepare("SELECT writer FROM t ORDER BY k");
    REQUIRE(s);
    std::vector<std::int64_t> order;
    while (*s->step()) order.push_back(s->column_int(0));
    CHECK(order == std::vector<std::int64_t>{0, 1, 2, 3});
    CHECK(queue->waiting() == 0);
}

TEST_CASE("a writer that stopped waiting for its turn holds up nobody behind it") {
    WriteQueue queue;
    REQUIRE(queue.wait_turn(std::chrono::milliseconds(0)));
    bool impatient = true;
    std::thread gives_up([&] { impatient = queue.wait_turn(std::chrono::milliseconds(50)); });
    gives_up.join();
    CHECK_FALSE(impatient);
    std::atomic<bool> served{false};
    std::thread patient([&] {
        served = queue.wait_turn(std::chrono::seconds(30));
        if (served) queue.end_turn();
    });
    REQUIRE(wait_for_waiting(queue, 1));
    queue.end_turn();
    patient.join();
    CHECK(served);
    CHECK(queue.waiting() == 0);
    // The queue is free again: a writer's turn comes at once.
    CHECK(queue.wait_turn(std::chrono::milliseconds(0)));
    queue.end_turn();
}

TEST_CASE("a connection's turn: it does not queue behind itself, and the next connection goes once the turn ends") {
    test::TempDir dir;
    const std::filesystem::path file = dir / "store.db";
    std::ofstream(file) << "";
    constexpr std::chrono::milliseconds no_wait{0};
    auto writing = std::make_shared<WriteQueue::Standing>();
    auto turn = WriteQueue::take_turn(writing, file.c_str(), no_wait);
    REQUIRE(turn);
    REQUIRE(writing->queue);
    CHECK(writing->has_turn);
    // Asked again while it holds the turn: a turn holding nothing, at once.
    auto again = WriteQueue::take_turn(writing, file.c_str(), no_wait);
    REQUIRE(again);
    again.reset();
    CHECK(writing->has_turn);
    // Another connection to the same file waits behind it.
    auto other = std::make_shared<WriteQueue::Standing>();
    CHECK_FALSE(WriteQueue::take_turn(other, file.c_str(), no_wait));
    CHECK(other->queue == writing->queue);
    *turn = WriteQueue::Turn{};
    CHECK_FALSE(writing->has_turn);
    auto next = WriteQueue::take_turn(other, file.c_str(), no_wait);
    REQUIRE(next);
    CHECK(other->has_turn);
    next.reset();
    CHECK_FALSE(other->has_turn);
    CHECK(writing->queue->waiting() == 0);
    // A database in memory has no queue: its writers wait on SQLite alone.
    auto in_memory = std::make_shared<WriteQueue::Standing>();
    REQUIRE(WriteQueue::take_turn(in_memory, "", no_wait));
    CHECK_FALSE(in_memory->queue);
    CHECK_FALSE(in_memory->has_turn);
}

TEST_CASE("twenty connections of one process writing at once all commit, none lost") {
    test::TempDir dir;
    auto key = random_key();
    Database first = new_store(dir / "store.db", key);
    REQUIRE(first.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, writer INTEGER)"));
    std::vector<Database> connections;
    for (int i = 0; i < 20; ++i) {
        auto db = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
        REQUIRE(db);
        connections.push_back(std::move(*db));
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (std::size_t i = 0; i < connections.size(); ++i)
        writers.emplace_back([&, i] {
            for (int n = 0; n < 5; ++n)
                if (!write_row(connections[i], static_cast<std::int64_t>(i))) ++failures;
        });
    for (std::thread& w : writers) w.join();
    CHECK(failures == 0);
    CHECK(first.query_int("SELECT count(*) FROM t") == 100);
    CHECK(first.query_int("SELECT count(DISTINCT writer) FROM t") == 20);
}

TEST_CASE("a statement prepared again comes back reset, with none of its earlier bindings") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"));
    REQUIRE(db->exec("INSERT INTO t VALUES (1, 'satu'), (2, 'dua')"));
    const char* sql = "SELECT v FROM t WHERE k = ?";
    {
        auto s = db->prepare(sql);
        REQUIRE(s);
        s->bind(1, std::int64_t{2});
        REQUIRE(*s->step());
        CHECK(s->column_text(0) == "dua");
        // Left mid-result: handed back, it must not keep a read open or its binding.
    }
    auto again = db->prepare(sql);
    REQUIRE(again);
    // An unbound parameter is NULL: no row, not the row of the earlier binding.
    CHECK_FALSE(*again->step());
    again->reset();
    again->bind(1, std::int64_t{1});
    REQUIRE(*again->step());
    CHECK(again->column_text(0) == "satu");
}

TEST_CASE("two statements of the same SQL alive at once are separate, and writes see no stale read") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
    REQUIRE(db->exec("INSERT INTO t VALUES (1), (2), (3)"));
    const char* sql = "SELECT k FROM t ORDER BY k";
    auto outer = db->prepare(sql);
    auto inner = db->prepare(sql);
    REQUIRE(outer);
    REQUIRE(inner);
    REQUIRE(*outer->step());
    REQUIRE(*inner->step());
    REQUIRE(*inner->step());
    CHECK(outer->column_int(0) == 1);
    CHECK(inner->column_int(0) == 2);
    outer = fail(ErrorCode::internal, "released");
    inner = fail(ErrorCode::internal, "released");
    REQUIRE(db->exec("DELETE FROM t WHERE k = 1"));
    auto count = db->query_int("SELECT count(*) FROM t");
    REQUIRE(count);
    CHECK(*count == 2);
    auto first = db->prepare(sql);
    REQUIRE(first);
    REQUIRE(*first->step());
    CHECK(first->column_int(0) == 2);
}

TEST_CASE("a kept statement holds no read snapshot: its connection sees what another one wrote after it") {
    test::TempDir dir;
    auto key = random_key();
    Database a = new_store(dir / "store.db", key);
    auto b = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
    REQUIRE(b);
    {
        auto s = a.prepare("SELECT count(*) FROM events");
        REQUIRE(s);
        REQUIRE(*s->step()); // a read open on `a` until the statement is handed back
    }
    auto begun = Transaction::begin_immediate(*b);
    REQUIRE(begun);
    REQUIRE(b->exec("INSERT INTO vault (singleton, vault_id, institution, created_seq) "
                    "VALUES (1, x'00112233445566778899aabbccddeeff', 'x', 1)"));
    CHECK(begun->commit());
    auto seen = a.query_int("SELECT count(*) FROM vault");
    REQUIRE(seen);
    CHECK(*seen == 1);
}

TEST_CASE("a connection that counts its writes counts rows per table, and a rollback moves every count") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"));
    REQUIRE(db->exec("CREATE TABLE u (k INTEGER PRIMARY KEY)"));
    REQUIRE(db->exec("CREATE TABLE w (k TEXT PRIMARY KEY) WITHOUT ROWID"));
    CHECK_FALSE(db->counts_writes());
    CHECK_FALSE(db->writes_to("t").has_value());
    REQUIRE(db->count_writes());
    CHECK(db->counts_writes());
    CHECK(db->writes_to("t") == 0u);
    CHECK(db->writes_to("u") == 0u);
    // SQLite reports no writes to a WITHOUT ROWID table, nor to a table it was not told of.
    CHECK_FALSE(db->writes_to("w").has_value());
    CHECK_FALSE(db->writes_to("missing").has_value());

    REQUIRE(db->exec("INSERT INTO t VALUES (1, 'satu'), (2, 'dua')"));
    REQUIRE(db->exec("UPDATE OR FAIL t SET v = 'tiga' WHERE k = 2"));
    REQUIRE(db->exec("DELETE FROM t WHERE k = 1"));
    CHECK(db->writes_to("t") == 4u);
    CHECK(db->writes_to("u") == 0u);
    // A statement that changes no row counts nothing.
    REQUIRE(db->exec("UPDATE OR FAIL t SET v = 'x' WHERE k = 99"));
    CHECK(db->writes_to("t") == 4u);

    {
        auto tx = Transaction::begin_immediate(*db);
        REQUIRE(tx);
        REQUIRE(db->exec("INSERT INTO t VALUES (5, 'lima')"));
    } // rolled back: the row is gone again, and whatever was read meanwhile is stale
    CHECK(db->writes_to("t") == 6u);
    CHECK(db->writes_to("u") == 1u);
}

TEST_CASE("reads kept for one write: counted from its start, dropped with the counting at its end") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE policy (k INTEGER PRIMARY KEY)"));
    {
        auto kept = ReadsKeptForWrite::begin(*db);
        REQUIRE(kept);
        CHECK(db->counts_writes());
        ReplayCache* cache = replay_cache(*db);
        REQUIRE(cache != nullptr);
        cache->policy.keep(*db, {}, policy::Policy{});
        CHECK(cache->policy.find(*db, {}) != nullptr);
        // The write's own events move the counts, and what was read from their tables goes.
        REQUIRE(db->exec("INSERT INTO policy VALUES (1)"));
        CHECK(cache->policy.find(*db, {}) == nullptr);
        cache->policy.keep(*db, {}, policy::Policy{});
        CHECK(cache->policy.find(*db, {}) != nullptr);
    }
    // Once the write is over another process may write: nothing is counted or kept.
    CHECK_FALSE(db->counts_writes());
    CHECK(replay_cache(*db) == nullptr);
    CHECK_FALSE(db->writes_to("policy").has_value());
    REQUIRE(db->exec("INSERT INTO policy VALUES (2)"));
    // A later write starts from nothing kept.
    {
        auto kept = ReadsKeptForWrite::begin(*db);
        REQUIRE(kept);
        REQUIRE(replay_cache(*db) != nullptr);
        CHECK(replay_cache(*db)->policy.find(*db, {}) == nullptr);
    }

    // On a connection that counts already (the replay's), the write leaves the counting on.
    REQUIRE(db->count_writes());
    {
        auto kept = ReadsKeptForWrite::begin(*db);
        REQUIRE(kept);
    }
    CHECK(db->counts_writes());
}

TEST_CASE("kept reads: kept until a row of one of their tables is written, never on a connection that does not count") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
    REQUIRE(db->exec("CREATE TABLE u (k INTEGER PRIMARY KEY)"));
    REQUIRE(db->exec("CREATE TABLE other (k INTEGER PRIMARY KEY)"));
    CachedReads<int> kept({"t", "u"});

    // Not counting: nothing is kept.
    kept.keep(*db, "a", 1);
    CHECK(kept.find(*db, "a") == nullptr);

    REQUIRE(db->count_writes());
    CHECK(kept.find(*db, "a") == nullptr);
    kept.keep(*db, "a", 1);
    REQUIRE(kept.find(*db, "a") != nullptr);
    CHECK(*kept.find(*db, "a") == 1);
    CHECK(kept.find(*db, "b") == nullptr);
    // Another table's writes leave it.
    REQUIRE(db->exec("INSERT INTO other VALUES (1)"));
    CHECK(kept.find(*db, "a") != nullptr);
    // A write to either of its tables drops everything kept.
    for (const char* write : {"INSERT INTO t VALUES (1)", "INSERT INTO u VALUES (1)"}) {
        CAPTURE(write);
        kept.keep(*db, "b", 2);
        REQUIRE(kept.find(*db, "b") != nullptr);
        REQUIRE(db->exec(write));
        CHECK(kept.find(*db, "a") == nullptr);
        CHECK(kept.find(*db, "b") == nullptr);
    }
    // A table whose writes are not counted (WITHOUT ROWID, or created later) keeps nothing.
    REQUIRE(db->exec("CREATE TABLE w (k TEXT PRIMARY KEY) WITHOUT ROWID"));
    CachedReads<int> unreported({"w"});
    unreported.keep(*db, "a", 1);
    CHECK(unreported.find(*db, "a") == nullptr);
}

TEST_CASE("migration 14 edits the accounts' CHECK in place, and another connection reads the table again") {
    test::TempDir dir;
    auto key = random_key();
    // Each time another text: a cached EXPLAIN stepped again after its connection read the
    // schema anew would list a program whose schema objects are gone.
    auto ephemeral = [](Database& db, std::string_view seen) {
        auto s = db.prepare("EXPLAIN INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) -- " + std::string(seen));
        REQUIRE(s);
        std::string opcodes;
        while (*s->step()) opcodes += s->column_text(1) + " ";
        return opcodes.find("OpenEphemeral") != std::string::npos;
    };
    auto migrating = Database::open_encrypted(dir / "store.db", key, Database::Mode::create_new);
    REQUIRE(migrating);
    REQUIRE(apply_migrations(*migrating, 0, 13));
    REQUIRE(migrating->exec("INSERT INTO units VALUES ('35.02.01', 'Ponorogo', zeroblob(32), 1, 1, 1)"));
    REQUIRE(migrating->exec("INSERT INTO accounts VALUES (1, '35.02.01', 'x', 'a', '', '', '', 'active', 0, 0, 1, 1, 'admin')"));
    auto reader = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
    REQUIRE(reader);
    CHECK(ephemeral(*reader, "before")); // schema 13: a temporary table of the three values at every write
    REQUIRE(apply_migrations(*migrating, 13, 14));
    // The connection that migrated reads the new definition too, so a later ALTER TABLE on it
    // writes into the new text, as one on a fresh connection would.
    CHECK_FALSE(ephemeral(*migrating, "migrated"));
    // Its next read finds the schema cookie moved on and reads the schema again (an EXPLAIN
    // alone reads nothing from the file).
    CHECK(reader->query_int("SELECT count(*) FROM accounts WHERE status = 'active'") == 1);
    CHECK_FALSE(ephemeral(*reader, "after"));
    auto retired = reader->exec("UPDATE accounts SET status = 'retired' WHERE id = 1");
    REQUIRE_FALSE(retired);
    CHECK(retired.error().message.find("CHECK constraint failed") != std::string::npos);
    // Each status the table allowed is still allowed.
    CHECK(reader->exec("UPDATE accounts SET status = 'deactivated' WHERE id = 1"));
    CHECK(reader->exec("UPDATE accounts SET status = 'archived' WHERE id = 1"));
    CHECK(reader->exec("UPDATE accounts SET status = 'active' WHERE id = 1"));
    {
        auto built = Database::open_memory(); // schema 14 as the migrations build it from nothing
        REQUIRE(built);
        REQUIRE(apply_migrations(*built, 0, 14));
        CHECK(schema_digest(*reader).value() == schema_digest(*built).value());
    }
    // A column added on the connection that migrated lands where one added on a fresh connection does.
    auto definition = [](Database& db) {
        auto s = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'accounts'");
        REQUIRE(s);
        REQUIRE(*s->step());
        return s->column_text(0);
    };
    {
        test::TempDir other;
        auto fresh = Database::open_encrypted(other / "store.db", key, Database::Mode::create_new);
        REQUIRE(fresh);
        REQUIRE(apply_migrations(*fresh, 0, 14));
        fresh = Database::open_encrypted(other / "store.db", key, Database::Mode::open_existing);
        REQUIRE(fresh);
        REQUIRE(migrating->exec("ALTER TABLE accounts ADD COLUMN note TEXT"));
        REQUIRE(fresh->exec("ALTER TABLE accounts ADD COLUMN note TEXT"));
        CHECK(definition(*migrating) == definition(*fresh));
        CHECK(definition(*migrating).find("updated_by   TEXT NOT NULL,") != std::string::npos);
        CHECK(definition(*migrating).find(", note TEXT") != std::string::npos);
    }
    auto check = reader->prepare("PRAGMA integrity_check");
    REQUIRE(check);
    REQUIRE(*check->step());
    CHECK(check->column_text(0) == "ok");
}

TEST_CASE("a store of schema 6 is migrated to the latest on open, and the daily queries are answered from its indexes") {
    test::TempDir dir;
    auto key = random_key();
    {
        auto db = Database::open_encrypted(dir / "store.db", key, Database::Mode::create_new);
        REQUIRE(db);
        REQUIRE(db->exec(("PRAGMA application_id = " + std::to_string(store_application_id)).c_str()));
        REQUIRE(apply_migrations(*db, 0, 6));
        REQUIRE(db->exec("INSERT INTO events VALUES (1, 1, 'admin', 'vault.create', 'x', x'00', zeroblob(32), zeroblob(64))"));
    }
    REQUIRE(reopen(dir / "store.db", key));
    auto db = Database::open_encrypted(dir / "store.db", key, Database::Mode::open_existing);
    REQUIRE(db);
    CHECK(db->query_int("PRAGMA user_version") == latest_schema_version);
    CHECK(check_schema(*db, latest_schema_version));
    // The index is built from the rows already there.
    const std::string indexed = "SELECT count(*) FROM events INDEXED BY events_writing_slots WHERE " + std::string(events_writing_slots);
    CHECK(db->query_int(indexed.c_str()) == 1);

    // What each query plan names: the index, never a scan of the whole table.
    auto plan = [&](const std::string& sql) {
        auto s = db->prepare("EXPLAIN QUERY PLAN " + sql);
        REQUIRE(s);
        std::string text;
        while (*s->step()) text += s->column_text(3) + "\n";
        return text;
    };
    CHECK(plan("SELECT seq FROM events WHERE " + std::string(events_writing_slots) + " ORDER BY seq").find("USING INDEX events_writing_slots") !=
          std::string::npos);
    // Beside other conditions too (the recovery principal's last action, recovery.cpp).
    CHECK(plan("SELECT seq FROM events WHERE " + std::string(events_writing_slots) +
               " AND seq > ? AND actor = ? AND action IN (?, ?) ORDER BY seq DESC LIMIT 1")
              .find("USING INDEX events_writing_slots") != std::string::npos);
    // Writing an event checks that index's condition without building a temporary table of its
    // actions (which an IN list would do at every insert: migration 13).
    {
        auto insert = db->prepare("EXPLAIN INSERT INTO events (seq, time_us, actor, action, target, body, hash, signature) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        REQUIRE(insert);
        std::string opcodes;
        while (*insert->step()) opcodes += insert->column_text(1) + " ";
        CHECK(opcodes.find("IdxInsert") != std::string::npos);
        CHECK(opcodes.find("OpenEphemeral") == std::string::npos);
    }
    // Nor does writing an account check its status against a temporary table of the three
    // values (migration 14), while a status outside them is still refused.
    for (const char* write : {"INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              "UPDATE OR FAIL accounts SET status = CASE status WHEN 'active' THEN 'deactivated' ELSE status END, "
                              "rotation_due = 1, updated_seq = ?, updated_by = ? WHERE unit = ? AND status != 'archived'"}) {
        auto explained = db->prepare(std::string("EXPLAIN ") + write);
        REQUIRE(explained);
        std::string opcodes;
        while (*explained->step()) opcodes += explained->column_text(1) + " ";
        CHECK(opcodes.find("Halt") != std::string::npos);
        CHECK_MESSAGE(opcodes.find("OpenEphemeral") == std::string::npos, write);
    }
    REQUIRE(db->exec("INSERT INTO units VALUES ('35.02.01', 'Ponorogo', zeroblob(32), 1, 1, 1)"));
    CHECK(db->exec("INSERT INTO accounts VALUES (1, '35.02.01', 'x', 'a', '', '', '', 'active', 0, 0, 1, 1, 'admin')"));
    auto retired = db->exec("INSERT INTO accounts VALUES (2, '35.02.01', 'x', 'b', '', '', '', 'retired', 0, 0, 1, 1, 'admin')");
    REQUIRE_FALSE(retired);
    CHECK(retired.error().message.find("CHECK constraint failed") != std::string::npos);
    CHECK(db->query_int("SELECT count(*) FROM accounts") == 1);
    CHECK(plan("SELECT code FROM units u WHERE EXISTS (SELECT 1 FROM grants g WHERE g.unit = u.code AND g.revoked_seq > u.updated_seq)")
              .find("grants_by_unit") != std::string::npos);
    CHECK(plan("SELECT platform FROM accounts WHERE rotation_due = 1 AND status <> 'archived' ORDER BY unit, platform, handle")
              .find("accounts_rotation_due") != std::string::npos);
    CHECK(plan("SELECT id FROM accounts a WHERE (?1 IS NULL OR a.unit = ?1) ORDER BY a.unit, a.platform, a.handle").find("accounts_in_order") !=
          std::string::npos);
    // A table of accounts (account list) is measured, then walked, from that index alone
    // (migration 12): no row of the table is read, and no sort holds the rows.
    const std::string listed = plan(
        "SELECT a.id, a.unit, a.platform, a.handle, a.status, a.email, a.version, a.rotation_due FROM accounts a "
        "WHERE 1 AND (?2 IS NULL OR a.status = ?2) ORDER BY a.unit, a.platform, a.handle");
    CHECK(listed.find("COVERING INDEX accounts_in_order") != std::string::npos);
    CHECK(listed.find("TEMP B-TREE") == std::string::npos);
    CHECK(plan("SELECT id, unit, platform, handle, status, version, rotation_due FROM accounts WHERE (?1 IS NULL OR unit = ?1) AND "
               "(?2 IS NULL OR status = ?2)")
              .find("COVERING INDEX accounts_in_order") != std::string::npos);
    // The accounts with checklist steps left (for_each_incomplete_checklist, and their count in
    // `status`): the covering index in its order, no sort (a sort would hold every account at once).
    const std::string left = plan(
        "SELECT (SELECT a.platform || '/' || a.handle FROM accounts a WHERE a.id = c.account) FROM checklists c "
        "WHERE c.closed_seq IS NULL AND c.steps_left > 0 ORDER BY c.account LIMIT ?");
    CHECK(left.find("COVERING INDEX checklists_left") != std::string::npos);
    CHECK(left.find("TEMP B-TREE") == std::string::npos);
    const std::string counted =
        plan("SELECT count(*) FROM checklists WHERE closed_seq IS NULL AND steps_left > 0");
    CHECK(counted.find("COVERING INDEX checklists_left") != std::string::npos);
    // The facts of an end of term: each account's current password's age from secret_versions_set
    // alone (migration 15), not from the version's row with its sealed box.
    const std::string facts = plan(
        "SELECT a.id, a.unit, a.status = 'active', a.rotation_due, ifnull(v.set_us, 0), a.version FROM accounts a "
        "LEFT JOIN secret_versions v INDEXED BY secret_versions_set ON v.account = a.id AND v.version = a.version "
        "WHERE a.status <> 'archived' ORDER BY a.id");
    CHECK_MESSAGE(facts.find("COVERING INDEX secret_versions_set") != std::string::npos, facts);
    CHECK(facts.find("TEMP B-TREE") == std::string::npos);
    // The overdue check-outs, first to last (status, the admin's first page): from checkouts_by_end
    // in its order (migration 15), not every open check-out read and sorted.
    const std::string overdue = plan(
        "SELECT c.account, a.platform || '/' || a.handle, a.unit, c.holder, c.reason, c.start_us, c.until_us, c.break_glass, "
        "ifnull(c.ended_how, ''), ifnull((SELECT time_us FROM events WHERE seq = c.ended_seq), 0) "
        "FROM checkouts c JOIN accounts a ON a.id = c.account WHERE c.ended_seq IS NULL AND c.until_us <= ?1 ORDER BY c.until_us, c.seq");
    CHECK_MESSAGE(overdue.find("INDEX checkouts_by_end") != std::string::npos, overdue);
    CHECK_MESSAGE(overdue.find("TEMP B-TREE") == std::string::npos, overdue);
    CHECK(plan("SELECT count(*), min(a.unit) FROM checkouts c JOIN accounts a ON a.id = c.account WHERE c.ended_seq IS NULL AND "
               "c.until_us <= ?1")
              .find("INDEX checkouts_by_end") != std::string::npos);
}

TEST_CASE("a store of schema 9 migrated to 10 marks the pending rotations its log says broke the glass, and no other") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(apply_migrations(*db, 0, 9));
    REQUIRE(db->exec("PRAGMA foreign_keys = OFF")); // the rows below stand alone: no units, accounts or people
    // Three pending rotations as a store of version 9 holds them, each beside its secret.pending:
    // flagged; not flagged; not flagged with a reason that spells the flag's field name.
    auto pending = [&](std::int64_t seq, std::int64_t account, std::string actor, bool glass, std::string reason) {
        SecretPending p;
        p.account = account;
        p.version = 2;
        p.key_version = 1;
        p.reason = std::move(reason);
        p.sealed = Bytes(80, 7);
        p.break_glass = glass;
        Event e = p.encode();
        e.seq = static_cast<std::uint64_t>(seq);
        e.time_us = 1'700'000'000'000'000 + seq;
        e.actor = actor;
        Bytes body = *encode_event(e);
        Statement ev = *db->prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, zeroblob(32), zeroblob(64))");
        REQUIRE(ev.bind(1, seq).bind(2, e.time_us).bind(3, actor).bind(4, e.action).bind(5, e.target).bind(6, ByteView(body)).run());
        Statement row = *db->prepare("INSERT INTO pending_secrets VALUES (?, 2, 1, zeroblob(80), 0, ?, ?, ?, ?)");
        REQUIRE(row.bind(1, account).bind(2, p.reason).bind(3, actor).bind(4, seq).bind(5, seq).run());
    };
    pending(1, 1, "operator1", true, "akun diretas");
    pending(2, 2, "admin", false, "pergantian rutin");
    pending(3, 3, "op", false, "break_glass");
    REQUIRE(apply_migrations(*db, 9, 10));
    CHECK(db->query_int("SELECT break_glass FROM pending_secrets WHERE account = 1") == 1);
    CHECK(db->query_int("SELECT break_glass FROM pending_secrets WHERE account = 2") == 0);
    CHECK(db->query_int("SELECT break_glass FROM pending_secrets WHERE account = 3") == 0);
    CHECK(check_schema(*db, 10));
}

TEST_CASE("a store of schema 10 migrated to 11 keeps each checklist as one row, its steps once per policy, and the steps ticked or waiting") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(apply_migrations(*db, 0, 10));
    REQUIRE(db->exec("PRAGMA foreign_keys = OFF")); // the rows below stand alone: no units or accounts
    // The log as far as the migration reads it: two policy.set events among others.
    REQUIRE(db->exec("INSERT INTO events VALUES (1, 1, 'admin', 'vault.create', 'x', x'00', zeroblob(32), zeroblob(64)), "
                     "(5, 5, 'admin', 'policy.set', 'policy', x'00', zeroblob(32), zeroblob(64)), "
                     "(7, 7, 'admin', 'policy.set', 'policy', x'00', zeroblob(32), zeroblob(64))"));
    // Checklist steps as version 10 writes them: (account, opened_seq, position, step, text, waits,
    // wait_until_us, done_seq, done_by, note, closed_seq).
    REQUIRE(db->exec(
        // Opened at 3 under the built-in policy: account 1 open, one step done; account 2 closed at 9
        // with two done; account 3 open with every step done.
        "INSERT INTO checklist_steps VALUES "
        "(1, 3, 1, 'new-password', 'Set the new password', 0, NULL, 4, 'admin', 'sandi baru', NULL), "
        "(1, 3, 2, 'sessions', 'Log out all sessions', 0, NULL, NULL, NULL, NULL, NULL), "
        "(1, 3, 3, 'request', 'Request deactivation', 1, NULL, NULL, NULL, NULL, NULL), "
        "(2, 3, 1, 'new-password', 'Set the new password', 0, NULL, 5, 'admin', '', 9), "
        "(2, 3, 2, 'sessions', 'Log out all sessions', 0, NULL, 6, 'op', 'sudah', 9), "
        "(2, 3, 3, 'request', 'Request deactivation', 1, 20, NULL, NULL, NULL, 9), "
        "(3, 3, 1, 'new-password', 'Set the new password', 0, NULL, 10, 'admin', '', NULL), "
        "(3, 3, 2, 'sessions', 'Log out all sessions', 0, NULL, 11, 'admin', '', NULL), "
        "(3, 3, 3, 'request', 'Request deactivation', 1, 30, 12, 'admin', '', NULL), "
        // Opened at 8, after the policy set at 7 (its own two steps): the first done, the second waiting.
        "(4, 8, 1, 'sessions', 'Keluar dari semua sesi', 0, NULL, 13, 'op', '', NULL), "
        "(4, 8, 2, 'delete', 'Minta akun dihapus', 1, 40, NULL, NULL, NULL, NULL)"));
    REQUIRE(apply_migrations(*db, 10, 11));
    CHECK(check_schema(*db, 11));

    auto rows = [&](const char* sql) {
        auto s = db->prepare(sql);
        REQUIRE(s);
        std::string text;
        while (*s->step()) {
            for (int c = 0; c < s->column_count(); ++c)
                text += (c ? "|" : "") + (s->column_type(c) == Statement::ColumnType::null ? std::string("-") : s->column_text(c));
            text += "\n";
        }
        return text;
    };
    CHECK(rows("SELECT * FROM checklist_step_lists ORDER BY list, position") ==
          "0|1|new-password|Set the new password|0\n"
          "0|2|sessions|Log out all sessions|0\n"
          "0|3|request|Request deactivation|1\n"
          "7|1|sessions|Keluar dari semua sesi|0\n"
          "7|2|delete|Minta akun dihapus|1\n");
    CHECK(rows("SELECT * FROM checklists ORDER BY account, opened_seq") ==
          "1|3|0|2|-\n"
          "2|3|0|1|9\n"
          "3|3|0|0|-\n"
          "4|8|7|1|-\n");
    CHECK(rows("SELECT * FROM checklist_steps ORDER BY account, opened_seq, position") ==
          "1|3|1|-|4|admin|sandi baru\n"
          "2|3|1|-|5|admin|\n"
          "2|3|2|-|6|op|sudah\n"
          "2|3|3|20|-|-|-\n"
          "3|3|1|-|10|admin|\n"
          "3|3|2|-|11|admin|\n"
          "3|3|3|30|12|admin|\n"
          "4|8|1|-|13|op|\n"
          "4|8|2|40|-|-|-\n");
    // What `status` counts: the open checklists with steps left (accounts 1 and 4).
    CHECK(db->query_int("SELECT count(*) FROM checklists WHERE closed_seq IS NULL AND steps_left > 0") == 2);
}
