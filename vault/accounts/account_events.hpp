// The accounts domain's events (docs/formats.md "Actions"): a struct per action, encode() to
// the event's target and details, decode() checked field by field.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>

namespace brankas {

// account.add: a new account of a unit; empty email, phone and url are left out.
struct AccountAdded {
    std::int64_t account = 0;
    std::string unit, platform, handle, email, phone, url;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<AccountAdded> decode(const Event& event);
};

// account.edit: only the fields that change (an empty text clears email, phone or url).
struct AccountEdited {
    std::int64_t account = 0;
    std::optional<std::string> platform, handle, email, phone, url;
    [[nodiscard]] bool changes_nothing() const { return !platform && !handle && !email && !phone && !url; }
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<AccountEdited> decode(const Event& event);
};

// account.archive: the account is kept, and used no more.
struct AccountArchived {
    std::int64_t account = 0;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<AccountArchived> decode(const Event& event);
};

// The account an event's target names ("account/<id>"), or the refusal naming the event.
[[nodiscard]] Result<std::int64_t> account_of_target(const Event& event);

} // namespace brankas
