// Sub-districts (kecamatan) and their X25519 key pairs. A unit's secret key exists only
// sealed to the principals who may read its passwords (every admin and the unit's custodians)
// and to the recovery principal, which holds them so that the vault survives its admins.
#include "vault/field_rules.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <algorithm>

namespace brankas {

Result<BoxKeyPair> Session::unit_key_pair(std::string_view unit, std::int64_t key_version) {
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT k.sealed, p.public_key FROM units u "
        "LEFT JOIN unit_public_keys p ON p.unit = u.code AND p.key_version = (CASE WHEN ? = 0 THEN u.key_version ELSE ? END) "
        "LEFT JOIN unit_keys k ON k.unit = u.code AND k.principal = ? AND k.key_version = p.key_version WHERE u.code = ?"));
    s.bind(1, key_version).bind(2, key_version).bind(3, user_).bind(4, unit);
    if (!BRANKAS_TRY(s.step())) return fail(ErrorCode::usage, "no sub-district " + std::string(unit));
    std::string which = key_version == 0 ? "" : " (key version " + std::to_string(key_version) + ")";
    if (s.column_is_null(1)) return fail(ErrorCode::store_corrupt, "sub-district " + std::string(unit) + " has no public key" + which);
    if (s.column_is_null(0))
        return fail(ErrorCode::denied, "user '" + user_ + "' holds no key for sub-district " + std::string(unit) + which,
                    policy::role_holds_unit_keys(role_) && key_version == 0 ? "an admin can grant it with `brankas user grant`" : "");
    auto opened = open_sealed(box_keys_, s.column_raw(0));
    if (!opened || opened->size() != box_secret_key_size)
        return fail(ErrorCode::store_corrupt, "the key sealed to you for sub-district " + std::string(unit) + which + " does not open");
    BoxKeyPair pair = BoxKeyPair::from_secret(*opened);
    // The opened key must be the unit's published one: a key sealed to us by someone else is
    // worthless, and secrets sealed to the published key would not open with it anyway.
    if (!std::ranges::equal(pair.public_key(), s.column_raw(1)))
        return fail(ErrorCode::store_corrupt, "the key sealed to you for sub-district " + std::string(unit) + which +
                                                  " does not match its public key");
    return pair;
}

namespace {

Result<std::vector<std::pair<std::string, PublicKey>>> read_recipients(Statement& s) {
    std::vector<std::pair<std::string, PublicKey>> out;
    while (BRANKAS_TRY(s.step())) {
        PublicKey key{};
        auto raw = s.column_raw(1);
        if (raw.size() != key.size()) return fail(ErrorCode::store_corrupt, "a principal's box key has the wrong length");
        std::copy(raw.begin(), raw.end(), key.begin());
        out.emplace_back(s.column_text(0), key);
    }
    return out;
}

} // namespace

Result<std::vector<std::pair<std::string, PublicKey>>> Session::unit_key_recipients(std::string_view unit) {
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT name, box_key FROM principals WHERE status != 'disabled' AND (role IN ('admin', 'recovery') OR (role = 'custodian' AND "
        "name IN (SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL))) ORDER BY name"));
    s.bind(1, unit);
    return read_recipients(s);
}

Result<std::vector<std::pair<std::string, PublicKey>>> Session::key_history_recipients() {
    // The recovery principal too, so that the vault outlives its admins.
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT name, box_key FROM principals WHERE status != 'disabled' AND role IN ('admin', 'recovery') ORDER BY name"));
    return read_recipients(s);
}

Result<std::optional<std::int64_t>> Session::standby_key_version(std::string_view unit) {
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT max(p.key_version) FROM unit_public_keys p JOIN units u ON u.code = p.unit WHERE p.unit = ? "
        "AND p.key_version > u.key_version"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    if (s.column_is_null(0)) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

Status Session::add_standby_key(std::string_view unit) {
    if (BRANKAS_TRY(standby_key_version(unit))) return {};
    Statement n = BRANKAS_TRY(db_.prepare("SELECT ifnull(max(key_version), 0) + 1 FROM unit_public_keys WHERE unit = ?"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    const std::int64_t version = n.column_int(0);
    BoxKeyPair keys = BoxKeyPair::generate();
    Event e;
    e.action = std::string(actions::unit_standby);
    e.target = std::string(unit);
    e.details.bytes("public_key", Bytes(keys.public_key().begin(), keys.public_key().end())).integer("key_version", version);
    BRANKAS_TRY(append(std::move(e)));
    for (const auto& [principal, box_key] : BRANKAS_TRY(key_history_recipients()))
        BRANKAS_TRY(seal_unit_key(unit, version, keys, principal, box_key));
    return {};
}

Result<Session::UnitPublicKey> Session::current_unit_key(std::string_view unit) {
    Statement u = BRANKAS_TRY(db_.prepare("SELECT public_key, key_version FROM units WHERE code = ?"));
    u.bind(1, unit);
    if (!BRANKAS_TRY(u.step())) return fail(ErrorCode::store_corrupt, "an account belongs to a missing sub-district");
    UnitPublicKey out;
    auto raw = u.column_raw(0);
    if (raw.size() != out.key.size()) return fail(ErrorCode::store_corrupt, "a sub-district's public key has the wrong length");
    std::copy(raw.begin(), raw.end(), out.key.begin());
    out.version = u.column_int(1);
    return out;
}

Status Session::seal_unit_key(std::string_view unit, std::int64_t key_version, const BoxKeyPair& unit_keys,
                            std::string_view principal, const PublicKey& principal_box_key) {
    Event e;
    e.action = std::string(actions::unit_key);
    e.target = std::string(unit);
    e.details.text("principal", std::string(principal))
        .integer("key_version", key_version)
        .bytes("sealed", seal_to(principal_box_key, unit_keys.secret_key().view()));
    BRANKAS_TRY(append(std::move(e)));
    return {};
}

Result<std::vector<std::string>> Session::append_unit(std::string_view code, std::string_view name) {
    BoxKeyPair keys = BoxKeyPair::generate();
    Event e;
    e.action = std::string(actions::unit_add);
    e.target = std::string(code);
    e.details.text("name", std::string(name)).bytes("public_key", Bytes(keys.public_key().begin(), keys.public_key().end()));
    BRANKAS_TRY(append(std::move(e)));
    std::vector<std::string> holders;
    for (const auto& [principal, box_key] : BRANKAS_TRY(unit_key_recipients(code))) {
        BRANKAS_TRY(seal_unit_key(code, 1, keys, principal, box_key));
        holders.push_back(principal);
    }
    // The next key waits, sealed to admins only, for the rotation that ends this unit's first term.
    BRANKAS_TRY(add_standby_key(code));
    return holders;
}

Result<UnitInfo> Session::add_unit(std::string_view code, std::string_view name) {
    if (!is_valid_unit_code(code))
        return fail(ErrorCode::usage, "'" + std::string(code) + "' is not a kecamatan region code",
                    "use the official code NN.NN.NN, e.g. 35.02.01");
    if (!is_valid_unit_name(name))
        return fail(ErrorCode::usage, "the sub-district name must be 1 to " + std::to_string(max_unit_name) + " bytes of printable text");
    BRANKAS_TRY(permit(policy::Action::manage_units, code));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Statement exists = BRANKAS_TRY(db_.prepare("SELECT name FROM units WHERE code = ?"));
    exists.bind(1, code);
    if (BRANKAS_TRY(exists.step()))
        return fail(ErrorCode::usage, "sub-district " + std::string(code) + " already exists (" + exists.column_text(0) + ")");
    UnitInfo added{std::string(code), std::string(name), 1, 0, BRANKAS_TRY(append_unit(code, name))};
    BRANKAS_TRY(tx.commit());
    return added;
}

Status Session::rotate_unit(std::string_view code, std::string_view reason) {
    if (reason.empty() || reason.size() > max_reason || !is_printable_utf8(reason))
        return fail(ErrorCode::usage, "say why the key is rotated: 1 to " + std::to_string(max_reason) + " bytes of printable text");
    BRANKAS_TRY(permit(policy::Action::manage_people, code));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Statement exists = BRANKAS_TRY(db_.prepare("SELECT count(*) FROM units WHERE code = ?"));
    exists.bind(1, code);
    BRANKAS_TRY(exists.step());
    if (exists.column_int(0) == 0) return fail(ErrorCode::usage, "no sub-district " + std::string(code));
    // Whoever asks for a rotation by hand suspects the key: a fresh pair, not the standby.
    BRANKAS_TRY(rotate_unit_key(code, reason, StandbyChoice::discard));
    return tx.commit();
}

Result<std::vector<std::string>> Session::units_owing_rotation() {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "units"));
    // A grant ended after the unit's key last changed: the person it ended still holds the key.
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT code FROM units u WHERE EXISTS (SELECT 1 FROM grants g WHERE g.unit = u.code AND g.revoked_seq > u.updated_seq) "
        "ORDER BY code"));
    std::vector<std::string> out;
    while (BRANKAS_TRY(s.step())) out.push_back(s.column_text(0));
    return out;
}

Result<std::vector<UnitInfo>> Session::list_units() {
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT code, name, key_version, (SELECT count(*) FROM accounts a WHERE a.unit = u.code) FROM units u ORDER BY code"));
    std::vector<UnitInfo> out;
    while (BRANKAS_TRY(s.step())) out.push_back({s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3), {}});
    Statement h = BRANKAS_TRY(db_.prepare(
        "SELECT k.principal FROM unit_keys k JOIN units u ON u.code = k.unit AND u.key_version = k.key_version WHERE k.unit = ? "
        "ORDER BY k.principal"));
    for (auto& u : out) {
        h.reset();
        h.bind(1, u.code);
        while (BRANKAS_TRY(h.step())) u.key_holders.push_back(h.column_text(0));
    }
    return out;
}

} // namespace brankas
