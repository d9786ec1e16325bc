// Secret versions: each is a cereal-encoded payload naming its account and version, sealed to
// the unit's public key. Anyone with the public key can seal, so before a version is opened
// the signed event that wrote it is checked: its hash, its signature and its writer's right.
#include "vault/encoding.hpp"
#include "vault/log/event_log.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/field_rules.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <algorithm>

namespace brankas {

namespace {

std::string_view part_name(SecretPart part) { return part == SecretPart::password ? "password" : "totp"; }

} // namespace

Result<std::int64_t> Session::set_secret(std::int64_t account, const SecretInput& input) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    if (a.status == AccountStatus::archived) return fail(ErrorCode::usage, "account " + a.ref() + " is archived");
    if (input.password.empty()) return fail(ErrorCode::usage, "the password is empty");
    if (BRANKAS_TRY(pending_rotation(account)))
        return fail(ErrorCode::usage, a.ref() + " has a pending rotation",
                    "confirm it with `brankas rotate " + a.ref() + " --confirm` or drop it with --abort");
    if (input.reason.size() > max_reason || !is_printable_utf8(input.reason))
        return fail(ErrorCode::usage, "the reason must be at most " + std::to_string(max_reason) + " bytes of printable text");
    BRANKAS_TRY(permit(policy::Action::write_secret, account_target(account), a.unit));

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    UnitPublicKey unit = BRANKAS_TRY(current_unit_key(db_, a.unit));
    // Re-read under the write lock: another writer may have added a version meanwhile.
    a = BRANKAS_TRY(account_by_id(db_, account));
    std::int64_t version = a.version + 1;

    SecretPayload payload{static_cast<std::uint64_t>(account), static_cast<std::uint32_t>(version),
                          SecretBytes::copy_of(input.password.view()), std::nullopt,
                          SecretBytes::copy_of(input.recovery_codes.view()), SecretBytes::copy_of(input.notes.view())};
    if (input.totp)
        payload.totp = TotpSeed{SecretBytes::copy_of(input.totp->key.view()), input.totp->algorithm, input.totp->digits,
                                input.totp->period};
    SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(payload));
    BRANKAS_TRY(append(SecretSet{account, version, unit.version, input.totp.has_value(), input.reason, seal_to(unit.key, plaintext.view())}.encode()));
    BRANKAS_TRY(tx.commit());
    return version;
}

Result<std::vector<SecretVersionInfo>> Session::secret_history(std::int64_t account) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    BRANKAS_TRY(permit(policy::Action::read_history, account_target(account), a.unit));
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT v.version, v.set_by, v.reason, e.time_us, v.has_totp FROM secret_versions v JOIN events e ON e.seq = v.set_seq "
        "WHERE v.account = ? ORDER BY v.version"));
    s.bind(1, account);
    std::vector<SecretVersionInfo> out;
    while (BRANKAS_TRY(s.step()))
        out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3), s.column_int(4) != 0,
                       s.column_int(0) == a.version});
    return out;
}

Status Session::check_sealing_event(std::int64_t seq, const AccountInfo& account, std::int64_t version, ByteView sealed) {
    auto tampered = [&](const std::string& why) {
        return fail(ErrorCode::store_corrupt, "version " + std::to_string(version) + " of " + account.ref() +
                                                  " cannot be trusted: " + why,
                    "run `brankas audit verify`");
    };
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT e.body, e.hash, e.signature, e.actor, (SELECT hash FROM events WHERE seq = e.seq - 1) FROM events e WHERE e.seq = ?"));
    s.bind(1, seq);
    if (!BRANKAS_TRY(s.step())) return tampered("the event that sealed it is missing");
    Bytes body = s.column_blob(0);
    auto stored_hash = s.column_raw(1);
    auto signature_raw = s.column_raw(2);
    std::string actor = s.column_text(3);
    Hash previous = genesis_previous_hash;
    if (seq > 1) {
        auto p = s.column_raw(4);
        if (p.size() != previous.size()) return tampered("the log before it is broken");
        std::copy(p.begin(), p.end(), previous.begin());
    }
    Hash hash = chain_hash(previous, body);
    if (!std::ranges::equal(hash, stored_hash) || signature_raw.size() != signature_size) return tampered("its event does not hash");
    Signature signature{};
    std::copy(signature_raw.begin(), signature_raw.end(), signature.begin());

    // Only authenticated bytes are parsed: first the signature, with the key the writer held then.
    Statement key = BRANKAS_TRY(db_.prepare(
        "SELECT public_key FROM signing_keys WHERE principal = ? AND introduced_seq < ? AND (retired_seq IS NULL OR retired_seq >= ?)"));
    key.bind(1, actor).bind(2, seq).bind(3, seq);
    if (!BRANKAS_TRY(key.step())) return tampered("its writer had no signing key then");
    PublicKey writer_key{};
    auto wk = key.column_raw(0);
    if (wk.size() != writer_key.size()) return tampered("its writer's key is malformed");
    std::copy(wk.begin(), wk.end(), writer_key.begin());
    if (!verify_signature(writer_key, event_signing_message(hash), signature)) return tampered("its signature is not valid");

    auto event = decode_event(body);
    if (!event) return tampered("its event does not decode");
    // A pending version is written like a new one (by its own event), then confirmed.
    bool sets = event->action == actions::secret_set || event->action == actions::secret_pending ||
                event->action == actions::secret_confirm; // a confirmation that completed the version
    bool reseals = event->action == actions::secret_reseal;
    auto sealed_field = event->details.get_bytes("sealed");
    if ((!sets && !reseals) || event->actor != actor || event->target != account_target(account.id) ||
        event->details.get_integer("version") != version || !sealed_field || !std::ranges::equal(*sealed_field, sealed))
        return tampered("it is not what its event sealed");

    // The writer's right: an admin (or the enforcer, which seals without reading), or a
    // custodian granted the unit at that moment. Re-sealing after a rotation is an admin's.
    Statement w = BRANKAS_TRY(db_.prepare(
        "SELECT role, (SELECT count(*) FROM grants WHERE principal = p.name AND unit = ? AND granted_seq < ? AND "
        "(revoked_seq IS NULL OR revoked_seq > ?)) FROM principals p WHERE name = ?"));
    w.bind(1, account.unit).bind(2, seq).bind(3, seq).bind(4, actor);
    if (!BRANKAS_TRY(w.step())) return tampered("its writer is not a user");
    std::string role = w.column_text(0);
    bool allowed = role == "admin" || (event->action == actions::secret_pending && role == "enforcer") ||
                   (sets && role == "custodian" && w.column_int(1) > 0);
    if (!allowed) return tampered("its writer, " + actor + ", was not allowed to write it");
    return {};
}

Result<SecretPayload> Session::open_version(const AccountInfo& account, std::int64_t version) {
    // A version is current or older (secret_versions) or the pending one of a rotation.
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT sealed, key_version, sealed_seq FROM secret_versions WHERE account = ?1 AND version = ?2 UNION ALL "
        "SELECT sealed, key_version, sealed_seq FROM pending_secrets WHERE account = ?1 AND version = ?2"));
    s.bind(1, account.id).bind(2, version);
    if (!BRANKAS_TRY(s.step())) return fail(ErrorCode::usage, account.ref() + " has no version " + std::to_string(version));
    Bytes sealed = s.column_blob(0);
    std::int64_t key_version = s.column_int(1);
    std::int64_t sealed_seq = s.column_int(2);
    BRANKAS_TRY(check_sealing_event(sealed_seq, account, version, sealed));
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(*this, account.unit, key_version));
    auto plaintext = open_sealed(unit_keys, sealed);
    if (!plaintext)
        return fail(ErrorCode::store_corrupt, "version " + std::to_string(version) + " of " + account.ref() +
                                                  " does not open with its sub-district's key");
    return decode_secret_payload(plaintext->view(), static_cast<std::uint64_t>(account.id), static_cast<std::uint32_t>(version));
}

Result<RevealedSecret> Session::reveal_secret(std::int64_t account, std::string_view reason, SecretPart part,
                                            SecretVersionChoice which) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    if (reason.empty() || reason.size() > max_reason || !is_printable_utf8(reason))
        return fail(ErrorCode::usage, "a reason is required (at most " + std::to_string(max_reason) + " bytes of printable text)");
    BRANKAS_TRY(permit(policy::Action::read_secret, account_target(account), a.unit));
    std::int64_t version = a.version;
    if (which == SecretVersionChoice::pending) {
        auto pending = BRANKAS_TRY(pending_rotation(account));
        if (!pending) return fail(ErrorCode::usage, a.ref() + " has no pending rotation");
        version = *pending;
    } else if (a.version == 0) {
        return fail(ErrorCode::usage, a.ref() + " has no password yet", "store one with `brankas secret set " + a.ref() + "`");
    }
    // Opened (and checked) first so a broken version records no read; shown only after the
    // read event committed.
    SecretPayload payload = BRANKAS_TRY(open_version(a, version));
    if (part == SecretPart::totp && !payload.totp)
        return fail(ErrorCode::usage, a.ref() + " has no TOTP seed", "add one with `brankas secret set " + a.ref() + " --totp-file FILE`");
    Event e;
    e.action = std::string(actions::secret_read);
    e.target = account_target(account);
    e.details.integer("version", version).text("what", std::string(part_name(part))).text("reason", std::string(reason));
    BRANKAS_TRY(record(std::move(e)));
    return RevealedSecret{std::move(a), version, std::move(payload)};
}

} // namespace brankas
