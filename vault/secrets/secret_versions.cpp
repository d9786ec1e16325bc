// Opening a stored version. Anyone with a unit's public key can seal, and anyone holding K_db can
// write the tables, so before a version is opened the signed event that sealed it is checked on
// its own (docs/formats.md "Actions"): its hash, its signature, what it sealed and its writer's right.
#include "policy/role.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_log.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

#include <algorithm>

namespace brankas {

namespace {

// What an event sealed, as its action records it.
struct Sealing {
    std::int64_t account = 0;
    std::int64_t version = 0;
    Bytes sealed;
};

// A pending version is written like a new one (by its own event, or as a fresh password on the
// event that ended its unit), then confirmed; a confirmation that completed the version seals it
// again. nullopt: the event seals nothing of `account`.
Result<std::optional<Sealing>> sealing_of(const Event& e, const AccountInfo& account) {
    auto of = [](const auto& v) { return std::optional<Sealing>(Sealing{v.account, v.version, v.sealed}); };
    if (e.action == actions::unit_deactivate) {
        UnitDeactivated ending = BRANKAS_TRY(UnitDeactivated::decode(e));
        if (ending.unit != account.unit) return std::optional<Sealing>{};
        for (FreshPassword& f : ending.fresh)
            if (f.account == account.id) return std::optional<Sealing>(Sealing{f.account, f.version, std::move(f.sealed)});
        return std::optional<Sealing>{};
    }
    if (e.action == actions::secret_set) return of(BRANKAS_TRY(SecretSet::decode(e)));
    if (e.action == actions::secret_pending) return of(BRANKAS_TRY(SecretPending::decode(e)));
    if (e.action == actions::secret_reseal) return of(BRANKAS_TRY(SecretResealed::decode(e)));
    if (e.action == actions::secret_confirm) {
        SecretConfirmed c = BRANKAS_TRY(SecretConfirmed::decode(e));
        if (c.completed) return std::optional<Sealing>(Sealing{c.account, c.version, std::move(c.completed->sealed)});
    }
    return std::optional<Sealing>{};
}

} // namespace

Status check_sealing_event(Database& db, std::int64_t seq, const AccountInfo& account, std::int64_t version, ByteView sealed) {
    // `why` is a literal marked with tr_noop, with `values` in it.
    auto tampered = [&](const char* why, std::vector<std::string> values = {}) {
        return fail_phrase(ErrorCode::store_corrupt,
                           i18n::Phrase(i18n::tr_noop("version %1$s of %2$s cannot be trusted: %3$s"),
                                        {i18n::Phrase::plain(std::to_string(version)), i18n::Phrase::plain(account.ref()),
                                         i18n::Phrase::with_plain(why, std::move(values))}),
                           i18n::tr_noop("run `brankas audit verify`"));
    };
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT e.body, e.hash, e.signature, e.actor, (SELECT hash FROM events WHERE seq = e.seq - 1) FROM events e WHERE e.seq = ?"));
    s.bind(1, seq);
    if (!BRANKAS_TRY(s.step())) return tampered(i18n::tr_noop("the event that sealed it is missing"));
    Bytes body = s.column_blob(0);
    auto stored_hash = s.column_raw(1);
    auto signature_raw = s.column_raw(2);
    std::string actor = s.column_text(3);
    Hash previous = genesis_previous_hash;
    if (seq > 1) {
        auto p = s.column_raw(4);
        if (p.size() != previous.size()) return tampered(i18n::tr_noop("the log before it is broken"));
        std::copy(p.begin(), p.end(), previous.begin());
    }
    Hash hash = chain_hash(previous, body);
    if (!std::ranges::equal(hash, stored_hash) || signature_raw.size() != signature_size) return tampered(i18n::tr_noop("its event does not hash"));
    Signature signature{};
    std::copy(signature_raw.begin(), signature_raw.end(), signature.begin());

    // Only authenticated bytes are parsed: first the signature, with the key the writer held then.
    Statement key = BRANKAS_TRY(db.prepare(
        "SELECT public_key FROM signing_keys WHERE principal = ? AND introduced_seq < ? AND (retired_seq IS NULL OR retired_seq >= ?)"));
    key.bind(1, actor).bind(2, seq).bind(3, seq);
    if (!BRANKAS_TRY(key.step())) return tampered(i18n::tr_noop("its writer had no signing key then"));
    PublicKey writer_key{};
    auto wk = key.column_raw(0);
    if (wk.size() != writer_key.size()) return tampered(i18n::tr_noop("its writer's key is malformed"));
    std::copy(wk.begin(), wk.end(), writer_key.begin());
    if (!verify_signature(writer_key, event_signing_message(hash), signature)) return tampered(i18n::tr_noop("its signature is not valid"));

    auto event = decode_event(body);
    if (!event) return tampered(i18n::tr_noop("its event does not decode"));
    auto sealing = sealing_of(*event, account);
    if (!sealing) return tampered(i18n::tr_noop("its event does not decode"));
    if (!*sealing || event->actor != actor || (*sealing)->account != account.id || (*sealing)->version != version ||
        !std::ranges::equal((*sealing)->sealed, sealed))
        return tampered(i18n::tr_noop("it is not what its event sealed"));

    // The writer's right, by the role matrix the appliers decide with: the permission their
    // applier requires of its writer, with their grant of the unit at that moment. (The term
    // and the policy document then are the replay's to check: `audit verify`.)
    Statement w = BRANKAS_TRY(db.prepare(
        "SELECT role, (SELECT count(*) FROM grants WHERE principal = p.name AND unit = ? AND granted_seq < ? AND "
        "(revoked_seq IS NULL OR revoked_seq > ?)) FROM principals p WHERE name = ?"));
    w.bind(1, account.unit).bind(2, seq).bind(3, seq).bind(4, actor);
    if (!BRANKAS_TRY(w.step())) return tampered(i18n::tr_noop("its writer is not a user"));
    auto role = policy::parse_role(w.column_text(0));
    const auto scope = w.column_int(1) > 0 ? policy::UnitScope::granted : policy::UnitScope::not_granted;
    auto action = role ? sealing_action(event->action, *role) : std::nullopt;
    if (!action || !policy::role_may(*role, *action, scope)) return tampered(i18n::tr_noop("its writer, %s, was not allowed to write it"), {actor});
    return {};
}

Result<SecretPayload> open_version(Session& session, const AccountInfo& account, std::int64_t version) {
    auto stored = BRANKAS_TRY(stored_version(session.db(), account.id, version));
    if (!stored) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("%1$s has no version %2$s"), {account.ref(), std::to_string(version)});
    BRANKAS_TRY(check_sealing_event(session.db(), stored->sealed_seq, account, version, stored->sealed));
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, account.unit, stored->key_version));
    auto plaintext = open_sealed(unit_keys, stored->sealed);
    if (!plaintext)
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("version %1$s of %2$s does not open with its sub-district's key"),
                            {std::to_string(version), account.ref()});
    return decode_secret_payload(plaintext->view(), static_cast<std::uint64_t>(account.id), static_cast<std::uint32_t>(version));
}

Status carry_over(Session& session, const AccountInfo& a, SecretPayload& payload) {
    auto opened = open_version(session, a, a.version);
    if (!opened)
        return fail_phrase(opened.error().code,
                           i18n::Phrase(i18n::tr_noop("the current version of %1$s cannot be opened to keep its TOTP seed, recovery codes and notes: %2$s"),
                                        {i18n::Phrase::plain(a.ref()), phrase_of(opened.error())}),
                           i18n::tr_noop("an admin can do this"));
    payload.totp = std::move(opened->totp);
    payload.recovery_codes = std::move(opened->recovery_codes);
    payload.notes = std::move(opened->notes);
    return {};
}

} // namespace brankas
