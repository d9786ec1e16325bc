// The rules of a check-out and a check-in, for a person now and for the replay of the event.
#include "vault/accounts/account_tables.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/field_rules.hpp"
#include "vault/encoding.hpp"

#include <algorithm>

namespace brankas {

std::string_view checkout_ending_name(CheckoutEnding ending) noexcept {
    switch (ending) {
    case CheckoutEnding::not_yet: return "";
    case CheckoutEnding::returned: return "returned";
    case CheckoutEnding::expired: return "expired";
    }
    return "";
}

Status check_checkout(const AccountRow& account, std::int64_t version, std::string_view reason) {
    if (reason.size() > max_reason || !is_printable_utf8(reason))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the reason must be at most %s bytes of printable text"), {std::to_string(max_reason)});
    if (account.status == AccountStatus::archived) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("is archived"), {});
    if (account.version == 0) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("has no password yet"), {});
    if (version != account.version) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("was checked out at a version that is not current"), {});
    return {};
}

Result<policy::Decision> decide_checkout(Database& db, const Actor& actor, std::int64_t now, const AccountRow& account,
                                         const CheckoutAsk& ask, const std::optional<OpenCheckout>& open) {
    policy::Request request;
    request.action = policy::Action::checkout;
    request.reason = ask.reason;
    request.break_glass = ask.break_glass;
    request.duration_us = ask.duration_us;
    policy::Facts facts;
    facts.holder = current_holder(open, now);
    facts.account = account.status;
    facts.approval = ask.approval;
    return decide_as(db, actor, now, std::move(request), account.unit, std::move(facts));
}

Result<policy::Decision> decide_checkin(Database& db, const Actor& actor, std::int64_t now, const AccountRow& account,
                                        const std::optional<OpenCheckout>& open) {
    policy::Request request;
    request.action = policy::Action::checkin;
    policy::Facts facts;
    // A hold past its end may still be given back (late): it is open until an event ends it.
    if (open) facts.holder = policy::Holder{open->holder, std::max(open->until_us, now + 1)};
    return decide_as(db, actor, now, std::move(request), account.unit, std::move(facts));
}

} // namespace brankas
