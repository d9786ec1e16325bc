#include "vault/accounts/account_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

void text_if(EventDetails& d, const char* key, const std::optional<std::string>& value) {
    if (value) d.text(key, *value);
}

} // namespace

Result<std::int64_t> account_of_target(const Event& e) {
    auto id = parse_account_target(e.target);
    if (!id) return event_refused(e, i18n::tr_noop("does not name an account"));
    return *id;
}

Event AccountAdded::encode() const {
    Event e;
    e.action = std::string(actions::account_add);
    e.target = account_target(account);
    e.details.text("unit", unit).text("platform", platform).text("handle", handle);
    if (!email.empty()) e.details.text("email", email);
    if (!phone.empty()) e.details.text("phone", phone);
    if (!url.empty()) e.details.text("url", url);
    return e;
}

Result<AccountAdded> AccountAdded::decode(const Event& e) {
    EventFields f(e);
    AccountAdded a;
    a.account = BRANKAS_TRY(account_of_target(e));
    a.unit = BRANKAS_TRY(f.text("unit"));
    a.platform = BRANKAS_TRY(f.text("platform"));
    a.handle = BRANKAS_TRY(f.text("handle"));
    a.email = BRANKAS_TRY(f.optional_text("email")).value_or("");
    a.phone = BRANKAS_TRY(f.optional_text("phone")).value_or("");
    a.url = BRANKAS_TRY(f.optional_text("url")).value_or("");
    BRANKAS_TRY(f.finish());
    return a;
}

Event AccountEdited::encode() const {
    Event e;
    e.action = std::string(actions::account_edit);
    e.target = account_target(account);
    text_if(e.details, "platform", platform);
    text_if(e.details, "handle", handle);
    text_if(e.details, "email", email);
    text_if(e.details, "phone", phone);
    text_if(e.details, "url", url);
    return e;
}

Result<AccountEdited> AccountEdited::decode(const Event& e) {
    EventFields f(e);
    AccountEdited a;
    a.account = BRANKAS_TRY(account_of_target(e));
    a.platform = BRANKAS_TRY(f.optional_text("platform"));
    a.handle = BRANKAS_TRY(f.optional_text("handle"));
    a.email = BRANKAS_TRY(f.optional_text("email"));
    a.phone = BRANKAS_TRY(f.optional_text("phone"));
    a.url = BRANKAS_TRY(f.optional_text("url"));
    BRANKAS_TRY(f.finish());
    if (a.changes_nothing()) return f.refuse(i18n::tr_noop("changes nothing"));
    return a;
}

Event AccountArchived::encode() const {
    Event e;
    e.action = std::string(actions::account_archive);
    e.target = account_target(account);
    return e;
}

Result<AccountArchived> AccountArchived::decode(const Event& e) {
    EventFields f(e);
    AccountArchived a{BRANKAS_TRY(account_of_target(e))};
    BRANKAS_TRY(f.finish());
    return a;
}

} // namespace brankas
