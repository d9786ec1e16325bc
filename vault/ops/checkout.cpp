// Check-out: an account's password taken for a stated reason and a limited time, exclusively,
// inside its unit's term (or with break-glass). The decision and the event are made under the
// write lock, so two people cannot both take the same account; the password is returned only
// after the event committed.
#include "vault/encoding.hpp"
#include "vault/facts.hpp"
#include "vault/names.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

namespace brankas {

namespace {

// The hold that counts now: open and not past its end.
std::optional<policy::Holder> current_holder(const std::optional<OpenCheckout>& open, std::int64_t now_us) {
    if (!open || open->until_us <= now_us) return std::nullopt;
    return policy::Holder{open->holder, open->until_us};
}

} // namespace

Result<CheckoutReceipt> Session::checkout(std::int64_t account, const CheckoutRequest& request) {
    AccountInfo a = BRANKAS_TRY(account_by_id(account));
    if (request.reason.size() > max_reason || !is_printable_utf8(request.reason))
        return fail(ErrorCode::usage, "the reason must be at most " + std::to_string(max_reason) + " bytes of printable text");
    if (a.status == "archived") return fail(ErrorCode::usage, "account " + a.ref() + " is archived");
    if (a.version == 0)
        return fail(ErrorCode::usage, a.ref() + " has no password yet", "store one with `brankas secret set " + a.ref() + "`");
    const std::string target = account_target(account);

    std::optional<policy::Decision> denied;
    {
        Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
        a = BRANKAS_TRY(account_by_id(account)); // as it is under the write lock
        policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
        auto holder = current_holder(BRANKAS_TRY(open_checkout(db_, account)), clock_->now_us());
        policy::Request r;
        r.action = policy::Action::checkout;
        r.reason = request.reason;
        r.break_glass = request.break_glass;
        r.duration_us = request.duration_us;
        policy::Decision d = BRANKAS_TRY(decide_now(r, std::move(holder), a.unit, pol));
        if (d.allowed() && a.status == "deactivated" && !request.break_glass) {
            d.verdict = policy::Verdict::deny;
            d.reasons.push_back({"account-status", policy::Effect::forbid,
                                 "the account is deactivated: only a break-glass check-out may take it"});
        }
        if (d.allowed()) {
            // Opened (and checked) before the event, so a broken version records no check-out.
            SecretPayload payload = BRANKAS_TRY(open_version(a, a.version));
            bool break_glass = d.obliges(policy::Obligation::flag_break_glass);
            Event e;
            e.action = std::string(actions::checkout);
            e.target = target;
            e.details.integer("version", a.version)
                .integer("until_us", d.expires_us)
                .integer("break_glass", break_glass ? 1 : 0)
                .text("reason", request.reason);
            BRANKAS_TRY(append(std::move(e)));
            BRANKAS_TRY(tx.commit());
            std::int64_t version = a.version;
            return CheckoutReceipt{std::move(a), version, std::move(payload), d.expires_us, break_glass};
        }
        denied = std::move(d);
    }
    // The refusal is recorded after the write transaction was given up.
    return std::unexpected(record_denial(policy::Action::checkout, target, *denied).error());
}

Result<CheckinReceipt> Session::checkin(std::int64_t account) {
    AccountInfo a = BRANKAS_TRY(account_by_id(account));
    const std::string target = account_target(account);
    std::optional<policy::Decision> denied;
    {
        Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
        auto open = BRANKAS_TRY(open_checkout(db_, account));
        if (!open) return fail(ErrorCode::usage, a.ref() + " is not checked out");
        policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
        // A hold past its end may still be given back (late): it is open until an event ends it.
        policy::Holder holder{open->holder, std::max(open->until_us, clock_->now_us() + 1)};
        policy::Request r;
        r.action = policy::Action::checkin;
        policy::Decision d = BRANKAS_TRY(decide_now(r, std::move(holder), a.unit, pol));
        if (d.allowed()) {
            Event e;
            e.action = std::string(actions::checkin);
            e.target = target;
            BRANKAS_TRY(append(std::move(e)));
            BRANKAS_TRY(tx.commit());
            bool due = d.obliges(policy::Obligation::rotate_after_checkin);
            a = BRANKAS_TRY(account_by_id(account));
            return CheckinReceipt{std::move(a), open->holder, due};
        }
        denied = std::move(d);
    }
    return std::unexpected(record_denial(policy::Action::checkin, target, *denied).error());
}

Result<std::vector<CheckoutInfo>> Session::list_checkouts(bool include_ended) {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "checkouts"));
    std::string sql =
        "SELECT c.account, a.platform || '/' || a.handle, a.unit, c.holder, c.reason, c.start_us, c.until_us, c.break_glass, "
        "ifnull(c.ended_how, ''), ifnull((SELECT time_us FROM events WHERE seq = c.ended_seq), 0) "
        "FROM checkouts c JOIN accounts a ON a.id = c.account";
    sql += include_ended ? " ORDER BY c.seq" : " WHERE c.ended_seq IS NULL ORDER BY c.until_us, c.seq";
    Statement s = BRANKAS_TRY(db_.prepare(sql));
    std::vector<CheckoutInfo> out;
    while (BRANKAS_TRY(s.step()))
        out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4), s.column_int(5),
                       s.column_int(6), s.column_int(7) != 0, s.column_text(8), s.column_int(9)});
    return out;
}

} // namespace brankas
