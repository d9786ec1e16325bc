// Check-out and check-in as a person does them: decided under the write lock at one instant,
// the password opened (and checked) before the event, shown only after it committed.
#include "vault/checkouts/checkouts.hpp"

#include "vault/accounts/account_tables.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"

namespace brankas {

namespace {

AccountRow account_row_for_checkout(const AccountInfo& a) { return AccountRow{a.id, a.unit, a.status, a.version}; }

Actor checkout_holder(const Session& session) { return Actor{session.user(), session.role()}; }

} // namespace

Result<CheckoutReceipt> checkout(Session& session, std::int64_t id, const CheckoutRequest& request) {
    BRANKAS_TRY(check_typed_line(request.reason, i18n::tr_noop("a reason")));
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    if (auto possible = check_checkout(account_row_for_checkout(a), a.version, request.reason); !possible) {
        const Error& why = possible.error();
        if (why.code == ErrorCode::usage) return std::unexpected(why);
        const i18n::Phrase said(i18n::tr_noop("%1$s %2$s"), {i18n::Phrase::plain(a.ref()), phrase_of(why)});
        if (a.version == 0) return fail_phrase(why.code, said, i18n::tr_noop("store one with `brankas secret set %1$s`"), {shell_word(a.ref())});
        return fail_phrase(why.code, said);
    }
    return session.write([&](Change& change) -> Result<CheckoutReceipt> {
        a = BRANKAS_TRY(account_by_id(change.db(), id)); // as it is under the write lock
        AccountRow row = account_row_for_checkout(a);
        auto open = BRANKAS_TRY(open_checkout(change.db(), id));
        CheckoutAsk ask{request.reason, request.break_glass, request.duration_us, std::nullopt};
        if (request.approval_request) {
            // The request describes the action: what it leaves out is taken from it, and what
            // is given must match it (the engine compares).
            auto named = BRANKAS_TRY(find_approval(change.db(), *request.approval_request));
            if (!named)
                return fail_phrased(ErrorCode::not_found, i18n::tr_noop("there is no request %s"), {std::to_string(*request.approval_request)},
                                    i18n::tr_noop("list them with `brankas approvals --all`"));
            if (ask.reason.empty()) ask.reason = named->asked.reason;
            if (!ask.duration_us) ask.duration_us = named->asked.duration_us;
            if (named->asked.action == policy::DualAction::break_glass) ask.break_glass = true;
            ask.approval = approval_facts(*named, {policy::DualAction::break_glass, account_target(id), ask.reason, *ask.duration_us});
        }
        policy::Decision d = BRANKAS_TRY(decide_checkout(change.db(), checkout_holder(session), change.now(), row, ask, open));
        if (!d.allowed() && d.awaits_approval) {
            // Dual control and no request named: the request is what this records.
            policy::Policy in_force = BRANKAS_TRY(stored_policy(change.db()));
            ApprovalRequested asked{policy::DualAction::break_glass, account_target(id), ask.reason,
                                    ask.duration_us.value_or(in_force.checkout_default_us)};
            SignedEvent recorded = BRANKAS_TRY(change.append(asked));
            CheckoutReceipt pending{std::move(a), 0, {}, 0, false, std::nullopt, std::nullopt};
            pending.awaiting = AwaitingApproval{static_cast<std::int64_t>(recorded.seq), change.now() + in_force.dual_control.window_us};
            return pending;
        }
        if (!d.allowed()) return change.refuse(policy::Action::checkout, account_target(id), d);
        // Opened (and checked) before the event, so a broken version records no check-out.
        SecretPayload payload = BRANKAS_TRY(open_version(session, a, a.version));
        CheckoutTaken taken{id, a.version, d.expires_us, d.obliges(policy::Obligation::flag_break_glass), ask.reason, std::nullopt};
        if (d.obliges(policy::Obligation::use_approval)) taken.request = request.approval_request;
        BRANKAS_TRY(change.append(taken));
        return CheckoutReceipt{std::move(a), taken.version, std::move(payload), taken.until_us, taken.break_glass, taken.request, std::nullopt};
    });
}

Result<CheckinReceipt> checkin(Session& session, std::int64_t id) {
    AccountInfo a = BRANKAS_TRY(account_by_id(session.db(), id));
    CheckinReceipt receipt = BRANKAS_TRY(session.write([&](Change& change) -> Result<CheckinReceipt> {
        auto open = BRANKAS_TRY(open_checkout(change.db(), id));
        if (!open) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s is not checked out"), {a.ref()});
        policy::Decision d = BRANKAS_TRY(decide_checkin(change.db(), checkout_holder(session), change.now(), account_row_for_checkout(a), open));
        if (!d.allowed()) return change.refuse(policy::Action::checkin, account_target(id), d);
        BRANKAS_TRY(change.append(CheckoutReturned{id}));
        return CheckinReceipt{{}, open->holder, d.obliges(policy::Obligation::rotate_after_checkin)};
    }));
    receipt.account = BRANKAS_TRY(account_by_id(session.db(), id));
    return receipt;
}

Result<std::vector<CheckoutInfo>> list_checkouts(Session& session, WhichCheckouts which) {
    std::vector<CheckoutInfo> out;
    BRANKAS_TRY(for_each_checkout(session, which, [&](const CheckoutInfo& c) -> Status {
        out.push_back(c);
        return {};
    }));
    return out;
}

namespace {

// The columns checkout_of() reads, from checkouts c joined to their accounts a.
constexpr const char* checkout_columns =
    "SELECT c.account, a.platform || '/' || a.handle, a.unit, c.holder, c.reason, c.start_us, c.until_us, c.break_glass, "
    "ifnull(c.ended_how, ''), ifnull((SELECT time_us FROM events WHERE seq = c.ended_seq), 0) "
    "FROM checkouts c JOIN accounts a ON a.id = c.account";
// The open check-outs past their end at ?1, in the order of the open ones in list_checkouts.
constexpr const char* overdue_where = " WHERE c.ended_seq IS NULL AND c.until_us <= ?1";
constexpr const char* open_order = " ORDER BY c.until_us, c.seq";

CheckoutInfo checkout_of(Statement& s) {
    std::string how = s.column_text(8);
    CheckoutEnding ended = how == "returned" ? CheckoutEnding::returned : how == "expired" ? CheckoutEnding::expired : CheckoutEnding::not_yet;
    return {s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4), s.column_int(5),
            s.column_int(6), s.column_int(7) != 0, ended, s.column_int(9)};
}

// The rows of `s` whose sub-district the person sees, up to `first` of them, each handed to
// `row`.
Status for_each_seen(Session& session, Statement& s, std::optional<std::size_t> first, const std::function<Status(const CheckoutInfo&)>& row) {
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session)); // only the sub-districts the person may see
    std::size_t handed = 0;
    while ((!first || handed < *first) && BRANKAS_TRY(s.step())) {
        if (!BRANKAS_TRY(sight.sees(s.column_text(2)))) continue;
        BRANKAS_TRY(row(checkout_of(s)));
        ++handed;
    }
    return {};
}

} // namespace

Status for_each_checkout(Session& session, WhichCheckouts which, const std::function<Status(const CheckoutInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "checkouts"));
    std::string sql = checkout_columns;
    sql += which == WhichCheckouts::all ? std::string(" ORDER BY c.seq") : std::string(" WHERE c.ended_seq IS NULL") + open_order;
    Statement s = BRANKAS_TRY(session.db().prepare(sql));
    return for_each_seen(session, s, std::nullopt, row);
}

// Whoever sees every sub-district alike (an admin, an auditor) has them counted by the statement
// alone; anyone else has each row's sub-district asked about, as the listing does.
Result<std::int64_t> count_overdue_checkouts(Session& session, std::int64_t now_us) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "checkouts"));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    if (sight.answers_every_unit_alike()) {
        Statement s = BRANKAS_TRY(session.db().prepare(std::string("SELECT count(*), min(a.unit) FROM checkouts c JOIN accounts a ON a.id = c.account") +
                                                      overdue_where));
        s.bind(1, now_us);
        BRANKAS_TRY(s.step());
        const std::int64_t count = s.column_int(0);
        // One unit's answer is every unit's: that of any unit the rows name.
        if (count == 0 || BRANKAS_TRY(sight.sees(s.column_text(1)))) return count;
        return std::int64_t{0};
    }
    Statement s = BRANKAS_TRY(session.db().prepare(std::string("SELECT a.unit FROM checkouts c JOIN accounts a ON a.id = c.account") + overdue_where));
    s.bind(1, now_us);
    std::int64_t count = 0;
    while (BRANKAS_TRY(s.step()))
        if (BRANKAS_TRY(sight.sees(s.column_text(0)))) ++count;
    return count;
}

Status for_each_overdue_checkout(Session& session, std::int64_t now_us, std::optional<std::size_t> first,
                                 const std::function<Status(const CheckoutInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "checkouts"));
    Statement s = BRANKAS_TRY(session.db().prepare(std::string(checkout_columns) + overdue_where + open_order));
    s.bind(1, now_us);
    return for_each_seen(session, s, first, row);
}

} // namespace brankas
