// The store's schema, as numbered migrations. At every open the schema found in the file must
// be exactly the one these migrations produce for its version: anyone who unlocks holds K_db
// and could add a trigger, view or table with the sqlcipher shell, so anything else is refused
// as tampering.
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/store/database.hpp"

namespace brankas {

inline constexpr std::int64_t store_application_id = 0x42524b53; // "BRKS"
inline constexpr int latest_schema_version = 15;
// The condition of the index of the events that write a keyring slot (migration 13): a query
// that repeats it word for word, as a term of its WHERE, is answered from that index. In
// parentheses, so that it stays one term beside the query's other conditions.
inline constexpr const char* events_writing_slots =
    "(action = 'vault.create' OR action = 'user.add' OR action = 'user.enroll' OR action = 'user.passwd' OR "
    "action = 'recovery.split' OR action = 'recovery.reset' OR action = 'recovery.enroll')";
// Stores older than this come from development builds before the first release: their events
// follow rules that changed since (custodian access without terms, the enforcer creating unit
// keys), so no replay by this version could verify them. They are refused, not migrated.
inline constexpr int oldest_supported_schema_version = 5;

// On a new, empty store: stamps the application id and applies every migration.
[[nodiscard]] Status create_schema(Database& db);
// On an existing store: checks the application id and version, applies pending migrations
// (each in its own transaction), then checks the schema is exactly the expected one.
[[nodiscard]] Status upgrade_and_check_schema(Database& db);
// Just the exact-schema check, for a store at `version`.
[[nodiscard]] Status check_schema(Database& db, int version);
// BLAKE2b-256 of the schema as the exact-schema check reads it from sqlite_master (every entry's
// type, name, table and SQL, each length-prefixed, in order of type and name).
[[nodiscard]] Result<Hash> schema_digest(Database& db);
// schema_digest() of the schema the migrations build for latest_schema_version. An open compares
// the file's digest with it instead of building that schema in memory to compare with, which
// took most of an open's work; only a file that differs gets the full comparison, which names
// what differs. A unit test checks it against the migrations (a new migration changes it).
extern const Hash latest_schema_digest;
// Builds the schema of `version` in `db` (used for the replay projection too).
[[nodiscard]] Status apply_migrations(Database& db, int from_version, int to_version);

} // namespace brankas
