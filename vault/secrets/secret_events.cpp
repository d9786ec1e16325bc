#include "vault/secrets/secret_events.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Event SecretSet::encode() const {
    Event e;
    e.action = std::string(actions::secret_set);
    e.target = account_target(account);
    e.details.integer("version", version)
        .integer("key_version", key_version)
        .integer("totp", has_totp ? 1 : 0)
        .text("reason", reason)
        .bytes("sealed", sealed);
    return e;
}

Result<SecretSet> SecretSet::decode(const Event& e) {
    EventFields f(e);
    SecretSet s;
    s.account = BRANKAS_TRY(account_of_target(e));
    s.version = BRANKAS_TRY(f.integer("version"));
    s.key_version = BRANKAS_TRY(f.integer("key_version"));
    s.has_totp = BRANKAS_TRY(f.flag("totp"));
    s.reason = BRANKAS_TRY(f.text("reason"));
    s.sealed = BRANKAS_TRY(f.bytes("sealed"));
    BRANKAS_TRY(f.finish());
    return s;
}

} // namespace brankas
