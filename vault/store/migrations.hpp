// The SQL that takes the store from one schema version to the next.
#pragma once

#include <span>

namespace brankas {

// Migration N (element N-1) takes the store from version N-1 to N; there are
// latest_schema_version of them. Never edit a released migration: add one.
[[nodiscard]] std::span<const char* const> schema_migrations() noexcept;
// Whether migration N edits a definition in sqlite_master in place (PRAGMA writable_schema)
// rather than by DDL: the migrating connection must then move the schema cookie on and read the
// schema again itself (schema.cpp).
[[nodiscard]] bool migration_edits_definitions(int version) noexcept;

} // namespace brankas
