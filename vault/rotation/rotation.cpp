// Two-step rotation: a pending version is generated and sealed (step one), a person sets it on
// the platform, then confirms it (step two) or aborts. Until then the current and the pending
// version are both readable by those who hold the unit's key.
#include "vault/encoding.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

namespace brankas {

Status Session::append_pending(const AccountInfo& account, const SecretPayload& payload, std::string_view reason) {
    UnitPublicKey unit = BRANKAS_TRY(current_unit_key(db_, account.unit));
    SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(payload));
    Event e;
    e.action = std::string(actions::secret_pending);
    e.target = account_target(account.id);
    e.details.integer("version", account.version + 1)
        .integer("key_version", unit.version)
        .integer("totp", payload.totp ? 1 : 0)
        .text("reason", std::string(reason))
        .bytes("sealed", seal_to(unit.key, plaintext.view()));
    BRANKAS_TRY(append(std::move(e)));
    return {};
}

Result<std::optional<std::int64_t>> Session::pending_rotation(std::int64_t account) {
    Statement s = BRANKAS_TRY(db_.prepare("SELECT version FROM pending_secrets WHERE account = ?"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

Result<PendingRotation> Session::start_rotation(std::int64_t account, const PasswordRules& rules) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    if (a.status == AccountStatus::archived) return fail(ErrorCode::usage, "account " + a.ref() + " is archived");
    BRANKAS_TRY(permit(policy::Action::rotate, account_target(account), a.unit));
    SecretBytes password = BRANKAS_TRY(generate_password(rules));

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    a = BRANKAS_TRY(account_by_id(db_, account));
    if (BRANKAS_TRY(pending_rotation(account)))
        return fail(ErrorCode::usage, a.ref() + " already has a pending rotation",
                    "confirm it with `brankas rotate " + a.ref() + " --confirm` or drop it with --abort");
    // The TOTP seed, recovery codes and notes stay with the account: only the password changes.
    SecretPayload payload{static_cast<std::uint64_t>(account), static_cast<std::uint32_t>(a.version + 1),
                          SecretBytes::copy_of(password.view()), std::nullopt, SecretBytes{}, SecretBytes{}};
    if (a.version > 0) BRANKAS_TRY(carry_over(a, payload));
    BRANKAS_TRY(append_pending(a, payload, "rotation"));
    BRANKAS_TRY(tx.commit());
    std::int64_t version = a.version + 1;
    return PendingRotation{std::move(a), version, std::move(password)};
}

Status Session::carry_over(const AccountInfo& a, SecretPayload& payload) {
    auto opened = open_version(a, a.version);
    if (!opened)
        return fail(opened.error().code, "the current version of " + a.ref() +
                                             " cannot be opened to keep its TOTP seed, recovery codes and notes: " + opened.error().message,
                    "an admin can do this");
    payload.totp = std::move(opened->totp);
    payload.recovery_codes = std::move(opened->recovery_codes);
    payload.notes = std::move(opened->notes);
    return {};
}

namespace {

Event rotation_step(std::string_view action, std::int64_t account, std::int64_t version) {
    Event e;
    e.action = std::string(action);
    e.target = account_target(account);
    e.details.integer("version", version);
    return e;
}

} // namespace

Result<ConfirmedRotation> Session::confirm_rotation(std::int64_t account) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    BRANKAS_TRY(permit(policy::Action::rotate, account_target(account), a.unit));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    auto pending = BRANKAS_TRY(pending_rotation(account));
    if (!pending) return fail(ErrorCode::usage, a.ref() + " has no pending rotation", "start one with `brankas rotate " + a.ref() + "`");
    Statement k = BRANKAS_TRY(db_.prepare(
        "SELECT p.key_version = u.key_version FROM pending_secrets p JOIN units u ON u.code = ? WHERE p.account = ?"));
    k.bind(1, a.unit).bind(2, account);
    if (!BRANKAS_TRY(k.step()) || k.column_int(0) == 0)
        return fail(ErrorCode::usage, "the pending password of " + a.ref() + " was sealed before its sub-district's key changed: someone who has left could know it",
                    "drop it with `brankas rotate " + a.ref() + " --abort` and start again");
    Event e = rotation_step(actions::secret_confirm, account, *pending);
    // A new password changes only the password: a pending version that carries nothing else (a
    // person's `rotate`, or the enforcer's fresh password) takes the TOTP seed, recovery codes
    // and notes of the current version along, sealed again as the confirmed version.
    ConfirmedRotation confirmed{*pending, false};
    SecretPayload next = BRANKAS_TRY(open_version(a, *pending));
    auto password_only = [](const SecretPayload& p) { return !p.totp && p.recovery_codes.size() == 0 && p.notes.size() == 0; };
    if (password_only(next) && a.version > 0) {
        BRANKAS_TRY(carry_over(a, next));
        if (!password_only(next)) {
            UnitPublicKey unit = BRANKAS_TRY(current_unit_key(db_, a.unit));
            SecretBytes plaintext = BRANKAS_TRY(encode_secret_payload(next));
            e.details.integer("key_version", unit.version)
                .integer("totp", next.totp ? 1 : 0)
                .bytes("sealed", seal_to(unit.key, plaintext.view()));
            confirmed.carried_over = true;
        }
    }
    BRANKAS_TRY(append(std::move(e)));
    BRANKAS_TRY(tx.commit());
    return confirmed;
}

Status Session::abort_rotation(std::int64_t account) {
    AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
    BRANKAS_TRY(permit(policy::Action::rotate, account_target(account), a.unit));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    auto pending = BRANKAS_TRY(pending_rotation(account));
    if (!pending) return fail(ErrorCode::usage, a.ref() + " has no pending rotation");
    BRANKAS_TRY(append(rotation_step(actions::secret_abort, account, *pending)));
    return tx.commit();
}

} // namespace brankas
