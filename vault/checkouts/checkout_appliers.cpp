// The appliers of the check-outs domain: each decodes its event and decides it again with the
// rules of checkouts.hpp, as the live command did.
#include "vault/accounts/account_tables.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

// Ends a check-out: returned by a person, or expired (past its end, or its account deactivated).
// Where the policy obliges it, the account's password is then due for a change.
Status end_checkout(Database& db, const Event& e, std::int64_t checkout_seq, CheckoutEnding how, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL checkouts SET ended_seq = ?, ended_how = ? WHERE seq = ?"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, checkout_ending_name(how)).bind(3, checkout_seq).run());
    if (!BRANKAS_TRY(stored_policy(db)).rotate_after_checkin) return {};
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, account).run();
}

Status apply_checkout(Database& db, const Event& e) {
    CheckoutTaken taken = BRANKAS_TRY(CheckoutTaken::decode(e));
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    if (auto possible = check_checkout(account, taken.version, taken.reason); !possible)
        return event_refused(e, i18n::tr_noop("checks out an account that %s"), possible.error());
    // The duration asked for is what the event's end says; the engine bounds it by the maximum.
    std::int64_t duration = 0;
    if (__builtin_sub_overflow(taken.until_us, e.time_us, &duration)) return event_refused(e, i18n::tr_noop("has an end out of range"));
    auto open = BRANKAS_TRY(open_checkout(db, account.id));
    CheckoutAsk ask{taken.reason, taken.break_glass, duration, std::nullopt};
    if (taken.request) {
        auto named = BRANKAS_TRY(find_approval(db, *taken.request));
        if (!named) return event_refused(e, i18n::tr_noop("names a request that does not exist"));
        ask.approval = approval_facts(*named, {policy::DualAction::break_glass, e.target, taken.reason, duration});
    }
    policy::Decision d = BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) {
        return decide_checkout(db, actor, e.time_us, account, ask, open);
    }));
    if (taken.until_us != d.expires_us || taken.break_glass != d.obliges(policy::Obligation::flag_break_glass))
        return event_refused(e, i18n::tr_noop("does not record the end or the break-glass flag its decision gave"));
    if (taken.request.has_value() != d.obliges(policy::Obligation::use_approval))
        return event_refused(e, i18n::tr_noop("names a request its decision did not use"));
    if (taken.request) BRANKAS_TRY(end_approval(db, e, *taken.request, policy::ApprovalState::used));
    // A hold past its end is no hold: it ends here, as expired. One that still holds (a policy
    // that shares check-outs) ends as the new one begins: one open check-out per account.
    if (open) BRANKAS_TRY(end_checkout(db, e, open->seq, open->until_us <= e.time_us ? CheckoutEnding::expired : CheckoutEnding::returned, account.id));
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO checkouts (seq, account, holder, reason, version, start_us, until_us, break_glass) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, seq_of(e)).bind(2, account.id).bind(3, e.actor).bind(4, taken.reason).bind(5, taken.version).bind(6, e.time_us)
        .bind(7, taken.until_us).bind(8, taken.break_glass ? 1 : 0).run();
}

Status apply_checkin(Database& db, const Event& e) {
    BRANKAS_TRY(CheckoutReturned::decode(e));
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    auto open = BRANKAS_TRY(open_checkout(db, account.id));
    BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) { return decide_checkin(db, actor, e.time_us, account, open); }));
    if (!open) return event_refused(e, i18n::tr_noop("gives back a check-out that is not open"));
    return end_checkout(db, e, open->seq, CheckoutEnding::returned, account.id);
}

Status apply_checkout_expire(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    BRANKAS_TRY(CheckoutExpired::decode(e));
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    auto open = BRANKAS_TRY(open_checkout(db, account.id));
    if (!open) return event_refused(e, i18n::tr_noop("expires a check-out that is not open"));
    if (open->until_us > e.time_us && account.status != AccountStatus::deactivated)
        return event_refused(e, i18n::tr_noop("expires a check-out before its end"));
    return end_checkout(db, e, open->seq, CheckoutEnding::expired, account.id);
}

} // namespace

std::span<const ActionApplier> checkout_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::checkout, apply_checkout},
        {actions::checkin, apply_checkin},
        {actions::checkout_expire, apply_checkout_expire},
    };
    return appliers;
}

} // namespace brankas
