// A prepared statement's parameters and columns: thin wrappers over SQLite's bind and column
// calls (stepping and errors stay with the connection, in database.cpp).
#define SQLITE_HAS_CODEC 1
#include "vault/store/database.hpp"

#include <sqlcipher/sqlite3.h>

namespace brankas {

void Statement::note_bind(int rc) noexcept {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
    note_bind(sqlite3_bind_int64(stmt_.get(), index, value));
    return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
    // An empty view may have a null data pointer, which SQLite would bind as NULL.
    note_bind(sqlite3_bind_text(stmt_.get(), index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bind(int index, ByteView blob) {
    // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
    static const std::uint8_t empty = 0;
    note_bind(sqlite3_bind_blob(stmt_.get(), index, blob.empty() ? &empty : blob.data(), static_cast<int>(blob.size()),
                                SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bind_null(int index) {
    note_bind(sqlite3_bind_null(stmt_.get(), index));
    return *this;
}

int Statement::column_count() const { return sqlite3_column_count(stmt_.get()); }
std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_.get(), index); }
std::string Statement::column_text(int index) const {
    const auto* p = sqlite3_column_text(stmt_.get(), index);
    int n = sqlite3_column_bytes(stmt_.get(), index);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
Bytes Statement::column_blob(int index) const {
    auto v = column_raw(index);
    return Bytes(v.begin(), v.end());
}
bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL; }
Statement::ColumnType Statement::column_type(int index) const {
    switch (sqlite3_column_type(stmt_.get(), index)) {
    case SQLITE_INTEGER: return ColumnType::integer;
    case SQLITE_FLOAT: return ColumnType::real;
    case SQLITE_TEXT: return ColumnType::text;
    case SQLITE_BLOB: return ColumnType::blob;
    default: return ColumnType::null;
    }
}
std::size_t Statement::column_size(int index) const {
    return static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index));
}
ByteView Statement::column_raw(int index) const {
    const void* p = sqlite3_column_blob(stmt_.get(), index);
    int n = sqlite3_column_bytes(stmt_.get(), index);
    return p ? ByteView(static_cast<const std::uint8_t*>(p), static_cast<std::size_t>(n)) : ByteView();
}

} // namespace brankas
