// The events that add an account and seal a version of its secret, built one way for
// `account add`, `secret set` and `import` (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"
#include "vault/projection.hpp"

#include <string>
#include <string_view>

namespace brankas {

struct AccountFieldsForEvent {
    std::string_view unit, platform, handle, email, phone, url; // handle already normalized
};

// account.add; empty email, phone and url are left out.
[[nodiscard]] inline Event account_added(std::int64_t id, const AccountFieldsForEvent& f) {
    Event e;
    e.action = std::string(actions::account_add);
    e.target = account_target(id);
    e.details.text("unit", std::string(f.unit)).text("platform", std::string(f.platform)).text("handle", std::string(f.handle));
    if (!f.email.empty()) e.details.text("email", std::string(f.email));
    if (!f.phone.empty()) e.details.text("phone", std::string(f.phone));
    if (!f.url.empty()) e.details.text("url", std::string(f.url));
    return e;
}

// secret.set: `sealed` is the payload sealed to the unit's key of `key_version`.
[[nodiscard]] inline Event secret_set(std::int64_t account, std::int64_t version, std::int64_t key_version, bool has_totp,
                                      std::string reason, Bytes sealed) {
    Event e;
    e.action = std::string(actions::secret_set);
    e.target = account_target(account);
    e.details.integer("version", version)
        .integer("key_version", key_version)
        .integer("totp", has_totp ? 1 : 0)
        .text("reason", std::move(reason))
        .bytes("sealed", std::move(sealed));
    return e;
}

} // namespace brankas
