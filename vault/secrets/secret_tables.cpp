#include "vault/secrets/secret_tables.hpp"

namespace brankas {

Result<std::optional<StoredVersion>> stored_version(Database& db, std::int64_t account, std::int64_t version) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT sealed, key_version, sealed_seq FROM secret_versions WHERE account = ?1 AND version = ?2 UNION ALL "
        "SELECT sealed, key_version, sealed_seq FROM pending_secrets WHERE account = ?1 AND version = ?2"));
    s.bind(1, account).bind(2, version);
    if (!BRANKAS_TRY(s.step())) return std::optional<StoredVersion>{};
    return std::optional<StoredVersion>(StoredVersion{s.column_blob(0), s.column_int(1), s.column_int(2)});
}

} // namespace brankas
