// Check-outs: an account's password taken for a stated reason and a limited time, exclusively,
// inside its unit's term (or with break-glass), and given back. The decision and the event are
// made under the write lock, so two people cannot both take the same account; the password is
// returned only after the event committed.
#pragma once

#include "vault/accounts/accounts.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/secrets/secret_payload.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;
struct AccountRow;

struct CheckoutRequest {
    std::string reason;                      // with a request: empty takes the request's
    std::optional<std::int64_t> duration_us; // none: the policy's default (or the request's)
    bool break_glass = false;
    std::optional<std::int64_t> approval_request = std::nullopt; // dual control: the approved request to use (`--request ID`)
};

// A check-out that committed: the password, shown only now.
struct CheckoutReceipt {
    AccountInfo account;
    std::int64_t version = 0;
    SecretPayload payload;
    std::int64_t until_us = 0;
    bool break_glass = false;
    std::optional<std::int64_t> request;           // the approved request it used
    std::optional<AwaitingApproval> awaiting;      // set instead of everything above but the account
};

struct CheckinReceipt {
    AccountInfo account;
    std::string holder;
    bool rotation_due = false;
};

// How a check-out ended (the checkouts table's ended_how).
enum class CheckoutEnding { not_yet, returned, expired };
[[nodiscard]] std::string_view checkout_ending_name(CheckoutEnding ending) noexcept; // "", "returned", "expired"

struct CheckoutInfo {
    std::int64_t account = 0;
    std::string ref, unit, holder, reason;
    std::int64_t start_us = 0, until_us = 0;
    bool break_glass = false;
    CheckoutEnding ended = CheckoutEnding::not_yet;
    std::int64_t ended_us = 0;
};

enum class WhichCheckouts { open, all };

[[nodiscard]] Result<CheckoutReceipt> checkout(Session& session, std::int64_t account, const CheckoutRequest& request);
[[nodiscard]] Result<CheckinReceipt> checkin(Session& session, std::int64_t account);
[[nodiscard]] Result<std::vector<CheckoutInfo>> list_checkouts(Session& session, WhichCheckouts which);
// The check-outs of list_checkouts, in its order, each handed to `row` as it is read and not
// kept. The first error `row` returns stops it.
[[nodiscard]] Status for_each_checkout(Session& session, WhichCheckouts which, const std::function<Status(const CheckoutInfo&)>& row);
// The open check-outs past their end at `now_us` (their until at or before it) that the person
// sees: how many there are, and the first `first` of them (none: every one) in list_checkouts'
// order, each handed to `row`. After a national term ends, thousands may be overdue at once, and
// the admin's first page shows a few of them with their number.
[[nodiscard]] Result<std::int64_t> count_overdue_checkouts(Session& session, std::int64_t now_us);
[[nodiscard]] Status for_each_overdue_checkout(Session& session, std::int64_t now_us, std::optional<std::size_t> first,
                                               const std::function<Status(const CheckoutInfo&)>& row);

// ---- the rules a live check-out (or check-in) and its replay both apply ----

// What a person asks for; the replay reads it back from the event (the duration from its end).
struct CheckoutAsk {
    std::string reason;
    bool break_glass = false;
    std::optional<std::int64_t> duration_us;
    std::optional<policy::ApprovalFacts> approval = std::nullopt; // the request it names, as approval_facts() reads it
};
// The account can be checked out at `version` at all: not archived, with a password, that one
// current; a reason of printable text within bounds.
[[nodiscard]] Status check_checkout(const AccountRow& account, std::int64_t version, std::string_view reason);
// The engine's decision: role, grant and term, the account's status, the current hold, the
// reason and the duration.
[[nodiscard]] Result<policy::Decision> decide_checkout(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                                       const CheckoutAsk& ask, const std::optional<OpenCheckout>& open);
// The engine's decision on giving back the open check-out (late is allowed: it is open until
// an event ends it).
[[nodiscard]] Result<policy::Decision> decide_checkin(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                                      const std::optional<OpenCheckout>& open);

} // namespace brankas
