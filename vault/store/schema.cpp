#include "vault/store/schema.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/store/migrations.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace brankas {

namespace {

struct SchemaEntry {
    std::string type, name, table, sql;
    friend bool operator==(const SchemaEntry&, const SchemaEntry&) = default;
};

Result<std::vector<SchemaEntry>> read_schema(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT type, name, tbl_name, ifnull(sql, '') FROM sqlite_master ORDER BY type, name"));
    std::vector<SchemaEntry> out;
    while (BRANKAS_TRY(s.step()))
        out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3)});
    return out;
}

// `what` is a literal marked with tr_noop, with `values` in it (an SQL object's kind and name).
std::unexpected<Error> tampered(const char* what, std::vector<std::string> values = {}) {
    return fail_phrase(ErrorCode::store_corrupt,
                       i18n::Phrase(i18n::tr_noop("the store was tampered with: %s"), {i18n::Phrase::with_plain(what, std::move(values))}),
                       i18n::tr_noop("restore store.db from a backup of this vault"));
}

// After a definition was edited in sqlite_master (inside the migration's transaction): the
// schema cookie moves on, as SQLite's procedure for such an edit asks, so that every other
// connection reads the schema again at its next transaction. Setting the cookie also records
// the new value as the one this connection knows, so it would keep the definitions it parsed
// before the edit (a later ALTER TABLE ... ADD COLUMN on it would then write the column into
// the old text): a cookie write rolled back to a savepoint makes SQLite drop every schema
// this connection parsed, and the next statement reads the edited one.
Status reread_schema_after_edit(Database& db) {
    const std::int64_t cookie = BRANKAS_TRY(db.query_int("PRAGMA schema_version"));
    // PRAGMA takes no bound parameters; the cookie is an integer SQLite gave.
    const std::string set_cookie = "PRAGMA schema_version = " + std::to_string(cookie + 1);
    BRANKAS_TRY(db.exec(set_cookie.c_str()));
    return db.exec(("SAVEPOINT reread_schema; " + set_cookie + "; ROLLBACK TO reread_schema; RELEASE reread_schema").c_str());
}

} // namespace

Status apply_migrations(Database& db, int from_version, int to_version) {
    for (int v = from_version + 1; v <= to_version; ++v) {
        Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db));
        Status migrated = db.exec(schema_migrations()[static_cast<std::size_t>(v - 1)]);
        if (migration_edits_definitions(v)) {
            // However the migration ended, sqlite_master is not writable past it.
            Status closed = db.exec("PRAGMA writable_schema = OFF");
            if (migrated && !closed) migrated = std::move(closed);
            if (migrated) migrated = reread_schema_after_edit(db);
        }
        if (!migrated) return migrated;
        // PRAGMA takes no bound parameters; v is a small integer we produced.
        BRANKAS_TRY(db.exec(("PRAGMA user_version = " + std::to_string(v)).c_str()));
        BRANKAS_TRY(tx.commit());
    }
    return {};
}

Status create_schema(Database& db) {
    if (BRANKAS_TRY(db.query_int("SELECT count(*) FROM sqlite_master")) != 0 ||
        BRANKAS_TRY(db.query_int("PRAGMA user_version")) != 0)
        return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("the store already holds data"), {});
    BRANKAS_TRY(db.exec(("PRAGMA application_id = " + std::to_string(store_application_id)).c_str()));
    return apply_migrations(db, 0, latest_schema_version);
}

const Hash latest_schema_digest = [] {
    Hash h{};
    (void)from_hex("ff3d3bbc8fc658942242293dcbbc0afb997fa657e0ea6fdd152e191a99342064", h);
    return h;
}();

Result<Hash> schema_digest(Database& db) {
    Hasher h;
    for (const SchemaEntry& entry : BRANKAS_TRY(read_schema(db))) {
        for (const std::string* field : {&entry.type, &entry.name, &entry.table, &entry.sql}) {
            // A length before each field: no two lists of entries hash alike.
            const auto size = static_cast<std::uint32_t>(field->size());
            const std::uint8_t length[4] = {static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
                                            static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
            h.update(ByteView(length, sizeof length)).update(as_bytes(*field));
        }
    }
    return h.finish();
}

Status check_schema(Database& db, int version) {
    // The usual case, a file at the latest version that nobody altered, needs no reference.
    if (version == latest_schema_version && BRANKAS_TRY(schema_digest(db)) == latest_schema_digest) return {};
    Database reference = BRANKAS_TRY(Database::open_memory());
    BRANKAS_TRY(apply_migrations(reference, 0, version));
    auto expected = BRANKAS_TRY(read_schema(reference));
    auto actual = BRANKAS_TRY(read_schema(db));
    for (const auto& entry : actual) {
        if (std::find(expected.begin(), expected.end(), entry) == expected.end())
            return tampered(i18n::tr_noop("it holds a %1$s '%2$s' that Brankas did not create"), {entry.type, entry.name});
    }
    for (const auto& entry : expected) {
        if (std::find(actual.begin(), actual.end(), entry) == actual.end())
            return tampered(i18n::tr_noop("its %1$s '%2$s' is missing or altered"), {entry.type, entry.name});
    }
    return {};
}

Status upgrade_and_check_schema(Database& db) {
    if (BRANKAS_TRY(db.query_int("PRAGMA application_id")) != store_application_id)
        return tampered(i18n::tr_noop("it is not a Brankas store (wrong application id)"));
    auto version = BRANKAS_TRY(db.query_int("PRAGMA user_version"));
    if (version > latest_schema_version)
        return fail_phrased(ErrorCode::unsupported, i18n::tr_noop("this vault has schema version %1$s, newer than this brankas knows (%2$s)"),
                            {std::to_string(version), std::to_string(latest_schema_version)}, i18n::tr_noop("upgrade brankas"));
    if (version < 1) return tampered(i18n::tr_noop("it has no schema version"));
    if (version < oldest_supported_schema_version)
        return fail_phrased(ErrorCode::unsupported, i18n::tr_noop("this vault has schema version %s, from a development build of brankas before its first release, whose history this version cannot verify"),
                            {std::to_string(version)}, i18n::tr_noop("create a new vault with `brankas init`"));
    // The file's current schema must be intact before we migrate it, and after.
    BRANKAS_TRY(check_schema(db, static_cast<int>(version)));
    if (version < latest_schema_version) {
        BRANKAS_TRY(apply_migrations(db, static_cast<int>(version), latest_schema_version));
        BRANKAS_TRY(check_schema(db, latest_schema_version));
    }
    return {};
}

} // namespace brankas
