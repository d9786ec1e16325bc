#include "vault/checkouts/checkout_events.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Event checkout_event_on(std::string_view action, std::int64_t account) {
    Event e;
    e.action = std::string(action);
    e.target = account_target(account);
    return e;
}

// An event whose target is all it says.
Result<std::int64_t> bare_account_event(const Event& e) {
    EventFields f(e);
    std::int64_t account = BRANKAS_TRY(account_of_target(e));
    BRANKAS_TRY(f.finish());
    return account;
}

} // namespace

Event CheckoutTaken::encode() const {
    Event e = checkout_event_on(actions::checkout, account);
    e.details.integer("version", version).integer("until_us", until_us).integer("break_glass", break_glass ? 1 : 0).text("reason", reason);
    // Only when one was used, so a check-out without one has the bytes it always had.
    if (request) e.details.integer("request", *request);
    return e;
}

Result<CheckoutTaken> CheckoutTaken::decode(const Event& e) {
    EventFields f(e);
    CheckoutTaken c;
    c.account = BRANKAS_TRY(account_of_target(e));
    c.version = BRANKAS_TRY(f.integer("version"));
    c.until_us = BRANKAS_TRY(f.integer("until_us"));
    c.break_glass = BRANKAS_TRY(f.flag("break_glass"));
    c.reason = BRANKAS_TRY(f.text("reason"));
    c.request = BRANKAS_TRY(f.optional_integer("request"));
    if (c.request && *c.request <= 0) return f.refuse(i18n::tr_noop("names a request that cannot exist"));
    BRANKAS_TRY(f.finish());
    return c;
}

Event CheckoutReturned::encode() const { return checkout_event_on(actions::checkin, account); }
Result<CheckoutReturned> CheckoutReturned::decode(const Event& e) { return CheckoutReturned{BRANKAS_TRY(bare_account_event(e))}; }

Event CheckoutExpired::encode() const { return checkout_event_on(actions::checkout_expire, account); }
Result<CheckoutExpired> CheckoutExpired::decode(const Event& e) { return CheckoutExpired{BRANKAS_TRY(bare_account_event(e))}; }

} // namespace brankas
