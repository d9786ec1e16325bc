// The units' key pairs: opening this user's copy, choosing who receives a key, sealing it to
// them, the standby, and rotating a unit to a new key with every version re-sealed.
#include "vault/accounts/accounts.hpp"
#include "vault/change.hpp"
#include "vault/log/actions.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secret_payload.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/session.hpp"
#include "vault/units/unit_events.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/units/units.hpp"

#include <algorithm>

namespace brankas {

namespace {

Actor unit_key_sealer(const Session& session) { return Actor{session.user(), session.role()}; }

// Every principal, for the rule (may_receive_unit_key) to choose from.
Result<std::vector<std::pair<KeyRecipient, PrincipalKeys>>> all_principals(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT name FROM principals ORDER BY name"));
    std::vector<std::string> names;
    while (BRANKAS_TRY(s.step())) names.push_back(s.column_text(0));
    std::vector<std::pair<KeyRecipient, PrincipalKeys>> out;
    for (std::string& name : names) {
        auto p = BRANKAS_TRY(find_principal(db, name));
        if (!p) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a principal went missing"), {});
        out.emplace_back(KeyRecipient{std::move(name), p->box_key}, *p);
    }
    return out;
}

Result<std::int64_t> next_key_version(Database& db, std::string_view unit) { return BRANKAS_TRY(newest_key_version(db, unit)) + 1; }

} // namespace

Result<UnitPublicKey> current_unit_key(Database& db, std::string_view unit) {
    Statement u = BRANKAS_TRY(db.prepare("SELECT public_key, key_version FROM units WHERE code = ?"));
    u.bind(1, unit);
    if (!BRANKAS_TRY(u.step())) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit)});
    UnitPublicKey out;
    auto raw = u.column_raw(0);
    if (raw.size() != out.key.size()) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a sub-district's public key has the wrong length"),
                                                          {});
    std::copy(raw.begin(), raw.end(), out.key.begin());
    out.version = u.column_int(1);
    return out;
}

Result<UnitPublicKey> unit_public_key(Database& db, std::string_view unit, std::int64_t key_version) {
    Statement p = BRANKAS_TRY(db.prepare("SELECT public_key FROM unit_public_keys WHERE unit = ? AND key_version = ?"));
    p.bind(1, unit).bind(2, key_version);
    if (!BRANKAS_TRY(p.step()))
        return fail_phrased(ErrorCode::not_found, i18n::tr_noop("sub-district %1$s has no key version %2$s"),
                            {std::string(unit), std::to_string(key_version)});
    UnitPublicKey out;
    auto raw = p.column_raw(0);
    if (raw.size() != out.key.size()) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a sub-district's public key has the wrong length"),
                                                          {});
    std::copy(raw.begin(), raw.end(), out.key.begin());
    out.version = key_version;
    return out;
}

Result<std::optional<std::int64_t>> standby_key_version(Database& db, std::string_view unit) {
    auto versions = BRANKAS_TRY(unit_key_versions(db, unit));
    return versions ? versions->standby : std::nullopt;
}

Result<std::optional<UnitKeyVersions>> unit_key_versions(Database& db, std::string_view unit) {
    // One row whatever the join finds (an aggregate), its key version NULL when there is no unit.
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT u.key_version, max(p.key_version) FROM units u "
        "LEFT JOIN unit_public_keys p ON p.unit = u.code AND p.key_version > u.key_version WHERE u.code = ?"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    if (s.column_is_null(0)) return std::optional<UnitKeyVersions>{};
    UnitKeyVersions out{s.column_int(0), std::nullopt};
    if (!s.column_is_null(1)) out.standby = s.column_int(1);
    return std::optional<UnitKeyVersions>(out);
}

Result<UnitKeys> current_and_standby_keys(Database& db, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT u.public_key, u.key_version, p.public_key, p.key_version FROM units u "
        "LEFT JOIN unit_public_keys p ON p.unit = u.code AND p.key_version > u.key_version WHERE u.code = ? "
        "ORDER BY p.key_version DESC LIMIT 1"));
    s.bind(1, unit);
    if (!BRANKAS_TRY(s.step())) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit)});
    auto key_of = [&s](int column, UnitPublicKey& out) -> Status {
        auto raw = s.column_raw(column);
        if (raw.size() != out.key.size())
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a sub-district's public key has the wrong length"), {});
        std::copy(raw.begin(), raw.end(), out.key.begin());
        out.version = s.column_int(column + 1);
        return {};
    };
    UnitKeys keys;
    BRANKAS_TRY(key_of(0, keys.current));
    if (!s.column_is_null(3)) BRANKAS_TRY(key_of(2, keys.standby.emplace()));
    return keys;
}

Result<BoxKeyPair> unit_key_pair(Session& session, std::string_view unit, std::int64_t key_version) {
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT k.sealed, p.public_key FROM units u "
        "LEFT JOIN unit_public_keys p ON p.unit = u.code AND p.key_version = (CASE WHEN ? = 0 THEN u.key_version ELSE ? END) "
        "LEFT JOIN unit_keys k ON k.unit = u.code AND k.principal = ? AND k.key_version = p.key_version WHERE u.code = ?"));
    s.bind(1, key_version).bind(2, key_version).bind(3, session.user()).bind(4, unit);
    if (!BRANKAS_TRY(s.step())) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit)});
    // "35.02.01", or "35.02.01 (key version 3)" for an older key.
    const i18n::Phrase which = key_version == 0 ? i18n::Phrase::plain(std::string(unit))
                                                : i18n::Phrase(i18n::tr_noop("%1$s (key version %2$s)"),
                                                               {i18n::Phrase::plain(std::string(unit)), i18n::Phrase::plain(std::to_string(key_version))});
    if (s.column_is_null(1)) return fail_phrase(ErrorCode::store_corrupt, i18n::Phrase(i18n::tr_noop("sub-district %s has no public key"), {which}));
    if (s.column_is_null(0)) {
        const i18n::Phrase none(i18n::tr_noop("user '%1$s' holds no key for sub-district %2$s"), {i18n::Phrase::plain(session.user()), which});
        if (policy::role_holds_unit_keys(session.role()) && key_version == 0)
            return fail_phrase(ErrorCode::denied, none, i18n::tr_noop("an admin can grant it with `brankas user grant`"));
        return fail_phrase(ErrorCode::denied, none);
    }
    auto opened = open_sealed(session.box_keys(), s.column_raw(0));
    if (!opened || opened->size() != box_secret_key_size)
        return fail_phrase(ErrorCode::store_corrupt, i18n::Phrase(i18n::tr_noop("the key sealed to you for sub-district %s does not open"), {which}));
    BoxKeyPair pair = BoxKeyPair::from_secret(*opened);
    // The opened key must be the unit's published one: a key sealed to us by someone else is
    // worthless, and secrets sealed to the published key would not open with it anyway.
    if (!std::ranges::equal(pair.public_key(), s.column_raw(1)))
        return fail_phrase(ErrorCode::store_corrupt,
                           i18n::Phrase(i18n::tr_noop("the key sealed to you for sub-district %s does not match its public key"), {which}));
    return pair;
}

Result<std::vector<KeyRecipient>> unit_key_recipients(Database& db, std::string_view unit) {
    std::vector<KeyRecipient> out;
    for (auto& [recipient, principal] : BRANKAS_TRY(all_principals(db))) {
        policy::UnitScope scope = BRANKAS_TRY(holds_grant(db, recipient.name, unit)) ? policy::UnitScope::granted : policy::UnitScope::not_granted;
        if (may_receive_unit_key(principal, KeyVersionKind::current, scope)) out.push_back(std::move(recipient));
    }
    return out;
}

Result<std::vector<KeyRecipient>> key_history_recipients(Database& db) {
    // The recovery principal too, so that the vault outlives its admins.
    std::vector<KeyRecipient> out;
    for (auto& [recipient, principal] : BRANKAS_TRY(all_principals(db)))
        if (may_receive_unit_key(principal, KeyVersionKind::other, policy::UnitScope::not_granted)) out.push_back(std::move(recipient));
    return out;
}

Status seal_unit_key(Change& change, std::string_view unit, std::int64_t key_version, const BoxKeyPair& unit_keys,
                     std::string_view principal, const PublicKey& principal_box_key) {
    BRANKAS_TRY(check_unit_key_seal(change.db(), unit_key_sealer(change.session()), {unit, key_version, principal}));
    UnitKeySealed sealed{std::string(unit), key_version, std::string(principal), {}};
    Bytes box = seal_to(principal_box_key, unit_keys.secret_key().view());
    if (box.size() != sealed.sealed.size()) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a sealed unit key has the wrong length"), {});
    std::copy(box.begin(), box.end(), sealed.sealed.begin());
    BRANKAS_TRY(change.append(sealed));
    return {};
}

Status add_standby_key(Change& change, std::string_view unit) {
    Database& db = change.db();
    if (BRANKAS_TRY(standby_key_version(db, unit))) return {};
    BoxKeyPair keys = BoxKeyPair::generate();
    UnitStandbyPublished standby{std::string(unit), BRANKAS_TRY(next_key_version(db, unit)), keys.public_key()};
    BRANKAS_TRY(change.append(standby));
    for (const KeyRecipient& r : BRANKAS_TRY(key_history_recipients(db)))
        BRANKAS_TRY(seal_unit_key(change, unit, standby.key_version, keys, r.name, r.box_key));
    return {};
}

Result<std::vector<std::string>> append_unit(Change& change, std::string_view code, std::string_view name) {
    BoxKeyPair keys = BoxKeyPair::generate();
    BRANKAS_TRY(change.append(UnitAdded{std::string(code), std::string(name), keys.public_key()}));
    std::vector<std::string> holders;
    for (const KeyRecipient& r : BRANKAS_TRY(unit_key_recipients(change.db(), code))) {
        BRANKAS_TRY(seal_unit_key(change, code, 1, keys, r.name, r.box_key));
        holders.push_back(r.name);
    }
    // The next key waits, sealed to admins only, for the rotation that ends this unit's first term.
    BRANKAS_TRY(add_standby_key(change, code));
    return holders;
}

Status rotate_unit_key(Change& change, std::string_view unit, std::string_view reason, StandbyChoice choice) {
    Database& db = change.db();
    // Every version is opened with the old key before anything is written: a version that
    // cannot be opened stops the rotation instead of being lost.
    Statement versions = BRANKAS_TRY(db.prepare(
        "SELECT v.account, v.version FROM secret_versions v JOIN accounts a ON a.id = v.account WHERE a.unit = ?1 UNION ALL "
        "SELECT p.account, p.version FROM pending_secrets p JOIN accounts a ON a.id = p.account WHERE a.unit = ?1 ORDER BY 1, 2"));
    versions.bind(1, unit);
    std::vector<std::pair<std::int64_t, std::int64_t>> to_reseal;
    while (BRANKAS_TRY(versions.step())) to_reseal.emplace_back(versions.column_int(0), versions.column_int(1));
    std::vector<SecretBytes> opened;
    for (const auto& [account, version] : to_reseal) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db, account));
        SecretPayload payload = BRANKAS_TRY(open_version(change.session(), a, version));
        opened.push_back(BRANKAS_TRY(encode_secret_payload(payload)));
    }

    // The standby key becomes current when only admins ever held it; when the person losing
    // access may have held it (a disabled admin), a fresh pair is made and the standby is left behind.
    std::int64_t standby = 0; // 0: none usable
    if (choice == StandbyChoice::use) {
        if (auto v = BRANKAS_TRY(standby_key_version(db, unit))) standby = *v;
    }
    if (standby != 0) {
        // Usable only while everyone holding it may still hold a key that is not current.
        Statement h = BRANKAS_TRY(db.prepare("SELECT principal FROM unit_keys WHERE unit = ? AND key_version = ?"));
        h.bind(1, unit).bind(2, standby);
        std::vector<std::string> holders;
        while (BRANKAS_TRY(h.step())) holders.push_back(h.column_text(0));
        for (const std::string& name : holders) {
            auto holder = BRANKAS_TRY(find_principal(db, name));
            if (!holder || !may_receive_unit_key(*holder, KeyVersionKind::other, policy::UnitScope::not_granted)) standby = 0;
        }
    }
    UnitRotated rotated{std::string(unit), standby, std::string(reason), std::nullopt};
    std::optional<BoxKeyPair> fresh;
    if (standby == 0) {
        fresh = BoxKeyPair::generate();
        rotated.key_version = BRANKAS_TRY(next_key_version(db, unit));
        rotated.public_key = fresh->public_key();
    }
    BoxKeyPair new_keys = fresh ? std::move(*fresh) : BRANKAS_TRY(unit_key_pair(change.session(), unit, rotated.key_version));
    BRANKAS_TRY(change.append(rotated));
    Statement has_copy = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
    for (const KeyRecipient& r : BRANKAS_TRY(unit_key_recipients(db, unit))) {
        has_copy.reset();
        has_copy.bind(1, unit).bind(2, r.name).bind(3, rotated.key_version);
        BRANKAS_TRY(has_copy.step());
        if (has_copy.column_int(0) == 0) BRANKAS_TRY(seal_unit_key(change, unit, rotated.key_version, new_keys, r.name, r.box_key));
    }
    for (std::size_t i = 0; i < opened.size(); ++i) {
        BRANKAS_TRY(change.append(SecretResealed{to_reseal[i].first, to_reseal[i].second, rotated.key_version,
                                                 seal_to(new_keys.public_key(), opened[i].view())}));
    }
    return add_standby_key(change, unit);
}

} // namespace brankas
