#include "vault/units/unit_tables.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/units/units.hpp"

namespace brankas {

Result<bool> unit_exists(Database& db, std::string_view code) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
    s.bind(1, code);
    BRANKAS_TRY(s.step());
    return s.column_int(0) > 0;
}

Result<std::int64_t> unit_key_version(Database& db, const Event& e, std::string_view code) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT key_version FROM units WHERE code = ?"));
    s.bind(1, code);
    if (!BRANKAS_TRY(s.step())) return event_refused(e, i18n::tr_noop("names sub-district %s, which does not exist"), {std::string(code)});
    return s.column_int(0);
}

Result<std::optional<std::int64_t>> standby_version(Database& db, const Event& e, std::string_view unit) {
    return BRANKAS_TRY(unit_key_versions(db, e, unit)).standby;
}

Result<UnitKeyVersions> unit_key_versions(Database& db, const Event& e, std::string_view unit) {
    auto versions = BRANKAS_TRY(unit_key_versions(db, unit));
    if (!versions) return event_refused(e, i18n::tr_noop("names sub-district %s, which does not exist"), {std::string(unit)});
    return *versions;
}

Result<std::int64_t> newest_key_version(Database& db, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT ifnull(max(key_version), 0) FROM unit_public_keys WHERE unit = ?"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    return s.column_int(0);
}

namespace {

// The unit's row names key `version` and its public half.
Status set_unit_row_key(Database& db, const Event& e, std::string_view unit, std::int64_t version, const PublicKey& key) {
    Statement u = BRANKAS_TRY(db.prepare("UPDATE OR FAIL units SET public_key = ?, key_version = ?, updated_seq = ? WHERE code = ?"));
    return u.bind(1, key).bind(2, version).bind(3, seq_of(e)).bind(4, unit).run();
}

// Every account of the unit not archived needs a new password.
Status flag_unit_accounts(Database& db, const Event& e, std::string_view unit) {
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE unit = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run();
}

} // namespace

Status set_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version, const PublicKey& key) {
    BRANKAS_TRY(set_unit_row_key(db, e, unit, version, key));
    return flag_unit_accounts(db, e, unit);
}

Status switch_unit_row_key(Database& db, const Event& e, std::string_view unit, std::int64_t version) {
    Statement k = BRANKAS_TRY(db.prepare("SELECT public_key FROM unit_public_keys WHERE unit = ? AND key_version = ?"));
    k.bind(1, unit).bind(2, version);
    if (!BRANKAS_TRY(k.step())) return event_refused(e, i18n::tr_noop("switches to a key that was never published"));
    PublicKey key{};
    auto raw = k.column_raw(0);
    if (raw.size() != key.size()) return event_refused(e, i18n::tr_noop("switches to a malformed key"));
    std::copy(raw.begin(), raw.end(), key.begin());
    k.reset();
    return set_unit_row_key(db, e, unit, version, key);
}

Status switch_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version) {
    BRANKAS_TRY(switch_unit_row_key(db, e, unit, version));
    return flag_unit_accounts(db, e, unit);
}

} // namespace brankas
