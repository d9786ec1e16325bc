// Setting, listing and reading secret versions as a person does them: decided under the write
// lock at one instant; a version opened (and its sealing checked) before the read event, and
// returned only after it committed.
#include "vault/secrets/secrets.hpp"
#include "vault/field_rules.hpp"

#include "vault/accounts/account_tables.hpp"
#include "vault/encoding.hpp"
#include "vault/log/actions.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

namespace brankas {

namespace {

AccountRow account_row_for_secret(const AccountInfo& a) { return AccountRow{a.id, a.unit, a.status, a.version}; }

Actor secret_writer(const Session& session) { return Actor{session.user(), session.role()}; }

// "account X is archived and cannot change", or "X has a pending rotation" and what to do.
// "tiktok/x has no password yet": the account, then a rule's sentence about it (phrase_of keeps the
// rule's own message id, so a face says both in its reader's language).
i18n::Phrase account_and_refusal(const AccountInfo& a, const Error& why, bool archived) {
    return i18n::Phrase(archived ? i18n::tr_noop("account %1$s %2$s") : i18n::tr_noop("%1$s %2$s"), {i18n::Phrase::plain(a.ref()), phrase_of(why)});
}

std::unexpected<Error> cannot_set(const AccountInfo& a, const Error& why) {
    if (a.status == AccountStatus::archived) return fail_phrase(why.code, account_and_refusal(a, why, true));
    return fail_phrase(why.code, account_and_refusal(a, why, false), i18n::tr_noop("confirm it with `brankas rotate %s --confirm` or drop it with --abort"), {shell_word(a.ref())});
}

SecretPayload payload_of(std::int64_t account, std::int64_t version, const SecretInput& input) {
    SecretPayload payload{static_cast<std::uint64_t>(account), static_cast<std::uint32_t>(version),
                          SecretBytes::copy_of(input.password.view()), std::nullopt,
                          SecretBytes::copy_of(input.recovery_codes.view()), SecretBytes::copy_of(input.notes.view())};
    if (input.totp)
        payload.totp = TotpSeed{SecretBytes::copy_of(input.totp->key.view()), input.totp->algorithm, input.totp->digits,
                                input.totp->period};
    return payload;
}

} // namespace

Result<std::int64_t> set_secret(Session& session, std::int64_t id, const SecretInput& input) {
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    if (auto blocked = secret_may_be_set(session.db(), account_row_for_secret(a)); !blocked) return cannot_set(a, blocked.error());
    if (input.password.empty()) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the password is empty"), {});
    BRANKAS_TRY(check_password_text(input.password.text()));
    BRANKAS_TRY(check_typed_line(input.reason, i18n::tr_noop("a reason")));
    BRANKAS_TRY(check_set_reason(input.reason));
    BRANKAS_TRY(session.permit(policy::Action::write_secret, account_target(id), a.unit));
    return session.write([&](Change& change) -> Result<std::int64_t> {
        // Read again under the write lock: another writer may have added a version meanwhile.
        a = BRANKAS_TRY(account_by_id(change.db(), id));
        if (auto blocked = secret_may_be_set(change.db(), account_row_for_secret(a)); !blocked) return cannot_set(a, blocked.error());
        UnitPublicKey unit = BRANKAS_TRY(current_unit_key(change.db(), a.unit));
        SecretSet set;
        set.account = id;
        set.version = next_version(a.version);
        set.key_version = unit.version;
        set.reason = input.reason;
        SecretPayload payload = payload_of(id, set.version, input);
        if (input.rest == SecretRest::kept) {
            payload.totp.reset();
            payload.recovery_codes = SecretBytes();
            payload.notes = SecretBytes();
            if (a.version > 0) BRANKAS_TRY(carry_over(session, a, payload));
        }
        set.has_totp = payload.totp.has_value();
        SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(payload));
        set.sealed = seal_to(unit.key, plaintext.view());
        BRANKAS_TRY(change.append(set));
        return set.version;
    });
}

Result<std::vector<SecretVersionInfo>> secret_history(Session& session, std::int64_t id) {
    std::vector<SecretVersionInfo> out;
    BRANKAS_TRY(for_each_secret_version(session, id, [&](const SecretVersionInfo& v) -> Status {
        out.push_back(v);
        return {};
    }));
    return out;
}

Status for_each_secret_version(Session& session, std::int64_t id, const std::function<Status(const SecretVersionInfo&)>& row) {
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    BRANKAS_TRY(session.permit(policy::Action::read_history, account_target(id), a.unit));
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT v.version, v.set_by, v.reason, e.time_us, v.has_totp FROM secret_versions v JOIN events e ON e.seq = v.set_seq "
        "WHERE v.account = ? ORDER BY v.version"));
    s.bind(1, id);
    while (BRANKAS_TRY(s.step()))
        BRANKAS_TRY(row({s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3), s.column_int(4) != 0,
                         s.column_int(0) == a.version}));
    return {};
}

Result<RevealedSecret> reveal_secret(Session& session, std::int64_t id, std::string_view reason, SecretPart part,
                                     SecretVersionChoice which, BreakGlass glass) {
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    BRANKAS_TRY(check_read_reason(reason));
    return session.write([&](Change& change) -> Result<RevealedSecret> {
        a = BRANKAS_TRY(account_by_id(change.db(), id)); // as it is under the write lock
        policy::Decision d = BRANKAS_TRY(decide_secret_read(change.db(), secret_writer(session), change.now(), account_row_for_secret(a), reason, glass));
        if (!d.allowed()) return change.refuse(policy::Action::read_secret, account_target(id), d);
        std::int64_t version = a.version;
        if (which == SecretVersionChoice::pending) {
            auto pending = BRANKAS_TRY(pending_version(change.db(), id));
            if (!pending) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s has no pending rotation"), {a.ref()});
            version = *pending;
        } else if (a.version == 0) {
            return fail_phrase(ErrorCode::conflict, i18n::Phrase(i18n::tr_noop("%1$s has no password yet"), {i18n::Phrase::plain(a.ref())}),
                               i18n::tr_noop("store one with `brankas secret set %1$s`"), {shell_word(a.ref())});
        }
        // Opened (and checked) first so a broken version records no read; returned only once
        // the read event committed.
        SecretPayload payload = BRANKAS_TRY(open_version(session, a, version));
        if (part == SecretPart::totp && !payload.totp)
            return fail_phrase(ErrorCode::conflict, i18n::Phrase(i18n::tr_noop("%1$s has no TOTP seed"), {i18n::Phrase::plain(a.ref())}),
                               i18n::tr_noop("add one with `brankas secret set %1$s --totp-file FILE`"), {shell_word(a.ref())});
        const bool flagged = d.obliges(policy::Obligation::flag_break_glass);
        BRANKAS_TRY(change.append(SecretRead{id, version, part, std::string(reason), flagged}));
        return RevealedSecret{std::move(a), version, std::move(payload), flagged};
    });
}

} // namespace brankas
