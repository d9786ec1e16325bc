// The appliers of checkouts: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

// The decision for the event's actor, with the policy in force and the facts as they stood.
Result<policy::Decision> decide_for(Database& db, const Event& e, policy::Request request, policy::Facts facts,
                                    const policy::Policy& pol) {
    Actor actor = BRANKAS_TRY(active_actor(db, e));
    request.role = actor.role;
    request.actor = e.actor;
    return policy::decide(request, facts, pol, e.time_us);
}

// Ends a check-out: returned by a person, or expired (past its end, or its account deactivated).
Status end_checkout(Database& db, const Event& e, std::int64_t checkout_seq, std::string_view how, std::int64_t account,
                    const policy::Policy& pol) {
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL checkouts SET ended_seq = ?, ended_how = ? WHERE seq = ?"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, how).bind(3, checkout_seq).run());
    if (!pol.rotate_after_checkin) return {};
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, account).run();
}

Status apply_checkout(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t until = BRANKAS_TRY(required_integer(e, "until_us"));
    std::int64_t break_glass = BRANKAS_TRY(required_integer(e, "break_glass"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    if (break_glass != 0 && break_glass != 1) return event_refused(e, "has a malformed 'break_glass' field");
    if (facts.status == "archived") return event_refused(e, "checks out an archived account");
    if (version < 1 || version != facts.version) return event_refused(e, "checks out a version that is not current");
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    // A hold past its end is no hold: it ends here, as expired.
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    if (open && open->until_us <= e.time_us) {
        BRANKAS_TRY(end_checkout(db, e, open->seq, "expired", facts.id, pol));
        open.reset();
    }
    policy::Facts f = BRANKAS_TRY(unit_facts(db, e.actor, facts.unit, pol, e.time_us));
    if (open) f.holder = policy::Holder{open->holder, open->until_us};
    policy::Request request;
    request.action = policy::Action::checkout;
    request.reason = reason;
    request.break_glass = break_glass == 1;
    // The duration asked for is what the event's end says; the engine bounds it by the maximum.
    std::int64_t duration = 0;
    if (__builtin_sub_overflow(until, e.time_us, &duration)) return event_refused(e, "has an end out of range");
    request.duration_us = duration;
    policy::Decision d = BRANKAS_TRY(decide_for(db, e, request, f, pol));
    if (!d.allowed()) return event_refused(e, "is not allowed: " + d.denial());
    if (facts.status == "deactivated" && break_glass == 0) return event_refused(e, "checks out a deactivated account without break-glass");
    if (open) {
        // Not exclusive: the earlier hold ends as the new one begins (one open check-out each).
        BRANKAS_TRY(end_checkout(db, e, open->seq, "returned", facts.id, pol));
    }
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO checkouts (seq, account, holder, reason, version, start_us, until_us, break_glass) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, seq_of(e)).bind(2, facts.id).bind(3, e.actor).bind(4, reason).bind(5, version).bind(6, e.time_us)
        .bind(7, until).bind(8, break_glass).run();
}

Status apply_checkin(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (!e.details.fields().empty()) return event_refused(e, "carries unexpected details");
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    policy::Facts f = BRANKAS_TRY(unit_facts(db, e.actor, facts.unit, pol, e.time_us));
    // A hold past its end may still be given back (late): it is open until an event ends it.
    if (open) f.holder = policy::Holder{open->holder, std::max(open->until_us, e.time_us + 1)};
    policy::Request request;
    request.action = policy::Action::checkin;
    policy::Decision d = BRANKAS_TRY(decide_for(db, e, request, f, pol));
    if (!d.allowed() || !open) return event_refused(e, "is not allowed: " + d.denial());
    return end_checkout(db, e, open->seq, "returned", facts.id, pol);
}

Status apply_checkout_expire(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (!e.details.fields().empty()) return event_refused(e, "carries unexpected details");
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    if (!open) return event_refused(e, "expires a check-out that is not open");
    if (open->until_us > e.time_us && facts.status != "deactivated")
        return event_refused(e, "expires a check-out before its end");
    return end_checkout(db, e, open->seq, "expired", facts.id, BRANKAS_TRY(stored_policy(db)));
}

constexpr ActionApplier appliers[] = {
    {actions::checkout, apply_checkout},
    {actions::checkin, apply_checkin},
    {actions::checkout_expire, apply_checkout_expire},
};

} // namespace

std::span<const ActionApplier> checkout_appliers() { return appliers; }

} // namespace brankas
