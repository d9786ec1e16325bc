#include "vault/rotation/rotation_events.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Event rotation_event_on(std::string_view action, std::int64_t account) {
    Event e;
    e.action = std::string(action);
    e.target = account_target(account);
    return e;
}

// The flag of a rotation's step taken by break-glass: written only when set, so a rotation
// without break-glass has the bytes it always had.
void write_break_glass(Event& e, bool break_glass) {
    if (break_glass) e.details.integer("break_glass", 1);
}

// Present only as 1: one encoding for each meaning.
Result<bool> read_break_glass(EventFields& f) {
    auto glass = BRANKAS_TRY(f.optional_integer("break_glass"));
    if (glass && *glass != 1) return f.refuse(i18n::tr_noop("has a 'break_glass' field other than 1"));
    return glass.has_value();
}

} // namespace

Event SecretPending::encode() const {
    Event e = encode_sealed_version(actions::secret_pending, *this);
    write_break_glass(e, break_glass);
    return e;
}

Result<SecretPending> SecretPending::decode(const Event& e) {
    EventFields f(e);
    SecretPending p{BRANKAS_TRY(decode_sealed_fields(e, f))};
    p.break_glass = BRANKAS_TRY(read_break_glass(f));
    BRANKAS_TRY(f.finish());
    return p;
}

Event SecretConfirmed::encode() const {
    Event e = rotation_event_on(actions::secret_confirm, account);
    e.details.integer("version", version);
    if (completed)
        e.details.integer("key_version", completed->key_version)
            .integer("totp", completed->has_totp ? 1 : 0)
            .bytes("sealed", completed->sealed);
    write_break_glass(e, break_glass);
    return e;
}

Result<SecretConfirmed> SecretConfirmed::decode(const Event& e) {
    EventFields f(e);
    SecretConfirmed c;
    c.account = BRANKAS_TRY(account_of_target(e));
    c.version = BRANKAS_TRY(f.integer("version"));
    // Either the version alone, or all three fields of the completed version.
    if (f.has("key_version") || f.has("totp") || f.has("sealed")) {
        CompletedVersion completed;
        completed.key_version = BRANKAS_TRY(f.integer("key_version"));
        completed.has_totp = BRANKAS_TRY(f.flag("totp"));
        completed.sealed = BRANKAS_TRY(sealed_secret_field(f));
        c.completed = std::move(completed);
    }
    c.break_glass = BRANKAS_TRY(read_break_glass(f));
    BRANKAS_TRY(f.finish());
    return c;
}

Event SecretAborted::encode() const {
    Event e = rotation_event_on(actions::secret_abort, account);
    e.details.integer("version", version);
    write_break_glass(e, break_glass);
    return e;
}

Result<SecretAborted> SecretAborted::decode(const Event& e) {
    EventFields f(e);
    SecretAborted a;
    a.account = BRANKAS_TRY(account_of_target(e));
    a.version = BRANKAS_TRY(f.integer("version"));
    a.break_glass = BRANKAS_TRY(read_break_glass(f));
    BRANKAS_TRY(f.finish());
    return a;
}

Event AccountFlagged::encode() const {
    Event e = rotation_event_on(actions::account_flag, account);
    e.details.text("reason", reason);
    return e;
}

Result<AccountFlagged> AccountFlagged::decode(const Event& e) {
    EventFields f(e);
    AccountFlagged a;
    a.account = BRANKAS_TRY(account_of_target(e));
    a.reason = BRANKAS_TRY(f.text("reason"));
    BRANKAS_TRY(f.finish());
    return a;
}

} // namespace brankas
