// The steps of a rotation as a person takes them, each decided under the write lock at one
// instant; the pending password is returned only after its event committed.
#include "vault/rotation/rotation.hpp"
#include "vault/field_rules.hpp"

#include "vault/accounts/account_tables.hpp"
#include "vault/encoding.hpp"
#include "vault/log/actions.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

namespace brankas {

namespace {

AccountRow account_row_for_rotation(const AccountInfo& a) { return AccountRow{a.id, a.unit, a.status, a.version}; }

// "account X is archived and cannot change", or "X already has a pending rotation" and what to do.
// "tiktok/x has no password yet": the account, then a rule's sentence about it (phrase_of keeps the
// rule's own message id, so a face says both in its reader's language).
i18n::Phrase rotated_account_and_refusal(const AccountInfo& a, const Error& why, bool archived) {
    return i18n::Phrase(archived ? i18n::tr_noop("account %1$s %2$s") : i18n::tr_noop("%1$s %2$s"), {i18n::Phrase::plain(a.ref()), phrase_of(why)});
}

std::unexpected<Error> cannot_start(const AccountInfo& a, const Error& why) {
    if (a.status == AccountStatus::archived) return fail_phrase(why.code, rotated_account_and_refusal(a, why, true));
    return fail_phrase(why.code, rotated_account_and_refusal(a, why, false), i18n::tr_noop("confirm it with `brankas rotate %s --confirm` or drop it with --abort"), {shell_word(a.ref())});
}

bool password_only(const SecretPayload& p) { return !p.totp && p.recovery_codes.size() == 0 && p.notes.size() == 0; }

} // namespace

Status append_pending(Change& change, const AccountInfo& account, const SecretPayload& payload, std::string_view reason, BreakGlass flagged) {
    UnitPublicKey unit = BRANKAS_TRY(current_unit_key(change.db(), account.unit));
    SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(payload));
    SecretPending pending;
    pending.account = account.id;
    pending.version = next_version(account.version);
    pending.key_version = unit.version;
    pending.has_totp = payload.totp.has_value();
    pending.reason = std::string(reason);
    pending.break_glass = flagged == BreakGlass::yes;
    pending.sealed = seal_to(unit.key, plaintext.view());
    BRANKAS_TRY(change.append(pending));
    return {};
}

Result<std::optional<std::int64_t>> pending_rotation(Session& session, std::int64_t account) {
    return pending_version(session.db(), account);
}

Result<PendingRotation> start_rotation(Session& session, std::int64_t id, const PasswordRules& rules, std::string_view reason,
                                       BreakGlass glass) {
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    BRANKAS_TRY(check_read_reason(reason));
    if (auto blocked = account_may_change(a.status); !blocked) return cannot_start(a, blocked.error());
    SecretBytes password = BRANKAS_TRY(generate_password(rules));
    return session.write([&](Change& change) -> Result<PendingRotation> {
        a = BRANKAS_TRY(account_by_id(change.db(), id)); // as it is under the write lock
        policy::Decision d = BRANKAS_TRY(decide_rotation_start(change.db(), Actor{session.user(), session.role()}, change.now(), account_row_for_rotation(a), reason, glass));
        if (!d.allowed()) return change.refuse(policy::Action::rotate, account_target(id), d);
        if (auto blocked = rotation_may_start(change.db(), account_row_for_rotation(a)); !blocked) return cannot_start(a, blocked.error());
        // The TOTP seed, recovery codes and notes stay with the account: only the password changes.
        const std::int64_t version = next_version(a.version);
        SecretPayload payload{static_cast<std::uint64_t>(id), static_cast<std::uint32_t>(version),
                              SecretBytes::copy_of(password.view()), std::nullopt, SecretBytes{}, SecretBytes{}};
        if (a.version > 0) BRANKAS_TRY(carry_over(session, a, payload));
        const bool flagged = d.obliges(policy::Obligation::flag_break_glass);
        BRANKAS_TRY(append_pending(change, a, payload, reason, flagged ? BreakGlass::yes : BreakGlass::no));
        return PendingRotation{std::move(a), version, std::move(password), flagged};
    });
}

namespace {

// The engine's decision on `session` finishing the rotation of `a`, under the write lock: a
// refusal is recorded (access.denied) and returned, before whether one is pending.
Result<policy::Decision> may_finish(Session& session, Change& change, const AccountInfo& a) {
    auto pending = BRANKAS_TRY(pending_secret(change.db(), a.id));
    policy::Decision d = BRANKAS_TRY(decide_rotation_finish(change.db(), Actor{session.user(), session.role()}, change.now(), account_row_for_rotation(a), pending));
    if (!d.allowed()) return change.refuse(policy::Action::rotate, account_target(a.id), d);
    return d;
}

} // namespace

Result<ConfirmedRotation> confirm_rotation(Session& session, std::int64_t id) {
    return session.write([&](Change& change) -> Result<ConfirmedRotation> {
        AccountInfo a = BRANKAS_TRY(account_by_id(change.db(), id));
        policy::Decision d = BRANKAS_TRY(may_finish(session, change, a));
        auto pending = pending_for(change.db(), account_row_for_rotation(a));
        if (!pending)
            return fail_phrase(pending.error().code, rotated_account_and_refusal(a, pending.error(), false), i18n::tr_noop("start one with `brankas rotate %s`"), {shell_word(a.ref())});
        if (auto stale = pending_may_confirm(*pending); !stale)
            return fail_phrase(stale.error().code, rotated_account_and_refusal(a, stale.error(), false),
                               i18n::tr_noop("drop it with `brankas rotate %s --abort` and start again"), {shell_word(a.ref())});
        SecretConfirmed confirm{id, pending->version, std::nullopt, d.obliges(policy::Obligation::flag_break_glass)};
        // A new password changes only the password: a pending version that carries nothing else
        // (a person's `rotate`, or the enforcer's fresh password) takes the TOTP seed, recovery
        // codes and notes of the current version along, sealed again as the confirmed version.
        SecretPayload next = BRANKAS_TRY(open_version(session, a, pending->version));
        if (password_only(next) && a.version > 0) {
            BRANKAS_TRY(carry_over(session, a, next));
            if (!password_only(next)) {
                UnitPublicKey unit = BRANKAS_TRY(current_unit_key(change.db(), a.unit));
                SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(next));
                confirm.completed = CompletedVersion{unit.version, next.totp.has_value(), seal_to(unit.key, plaintext.view())};
            }
        }
        BRANKAS_TRY(change.append(confirm));
        return ConfirmedRotation{confirm.version, confirm.completed.has_value(), confirm.break_glass};
    });
}

Result<AbortedRotation> abort_rotation(Session& session, std::int64_t id) {
    return session.write([&](Change& change) -> Result<AbortedRotation> {
        AccountInfo a = BRANKAS_TRY(account_by_id(change.db(), id));
        policy::Decision d = BRANKAS_TRY(may_finish(session, change, a));
        auto pending = pending_for(change.db(), account_row_for_rotation(a));
        if (!pending) return fail_phrase(pending.error().code, rotated_account_and_refusal(a, pending.error(), false));
        SecretAborted aborted{id, pending->version, d.obliges(policy::Obligation::flag_break_glass)};
        BRANKAS_TRY(change.append(aborted));
        return AbortedRotation{aborted.version, aborted.break_glass};
    });
}

} // namespace brankas
