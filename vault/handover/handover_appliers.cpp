// The appliers of the handover domain: each decodes its event, decides it again with the rules
// of handover.hpp for the event's actor at the event's time, and changes the tables.
#include "vault/crypto/primitives.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/handover/handover.hpp"
#include "vault/handover/handover_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

// A rule's refusal, as the replay names it.
Status fits(const Event& e, Status checked) {
    if (!checked) return event_refused(e, i18n::tr_noop("does not fit: %s"), checked.error());
    return {};
}

Result<HandoverRow> handover_of(Database& db, const Event& e, std::int64_t id) {
    auto row = BRANKAS_TRY(find_handover(db, id));
    if (!row) return event_refused(e, i18n::tr_noop("names a handover that does not exist"));
    return std::move(*row);
}

Status set_state(Database& db, const Event& e, std::int64_t id, policy::HandoverState state, const char* seq_column) {
    std::string sql = "UPDATE OR FAIL handovers SET state = ?, " + std::string(seq_column) + " = ? WHERE id = ?";
    Statement s = BRANKAS_TRY(db.prepare(sql.c_str()));
    return s.bind(1, policy::handover_state_name(state)).bind(2, seq_of(e)).bind(3, id).run();
}

// A step on an existing handover: the handover named, its digest and unit carried (the signer
// vouches for the list the start recorded), and the engine's leave for the actor with the
// handover as it stood.
Result<HandoverRow> allowed_step(Database& db, const Event& e, policy::Action action, const HandoverStepFields& step) {
    HandoverRow row = BRANKAS_TRY(handover_of(db, e, step.id));
    if (step.accounts_digest != row.accounts_digest) return event_refused(e, i18n::tr_noop("does not carry the digest of the accounts handed over"));
    if (step.unit != row.unit) return event_refused(e, i18n::tr_noop("does not name the handover's sub-district"));
    BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) { return decide_handover_step(db, actor, e.time_us, action, row); }));
    return row;
}

Status apply_handover_start(Database& db, const Event& e) {
    HandoverStarted h = BRANKAS_TRY(HandoverStarted::decode(e));
    BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) { return decide_handover_start(db, actor, e.time_us, h.unit); }));
    BRANKAS_TRY(fits(e, check_handover_start(db, h, e.actor)));
    Hash digest = h.accounts_digest();
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO handovers (id, unit, started_by, receiver, witness, note, accounts_digest, state, started_seq, release_asked) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'started', ?, ?)"));
    s.bind(1, h.id).bind(2, h.unit).bind(3, e.actor).bind(4, h.receiver);
    if (h.witness) s.bind(5, *h.witness); else s.bind_null(5);
    BRANKAS_TRY(s.bind(6, h.note).bind(7, ByteView(digest)).bind(8, seq_of(e)).bind(9, std::int64_t{h.release_asked ? 1 : 0}).run());
    Statement o = BRANKAS_TRY(db.prepare("INSERT INTO handover_outgoing (handover, principal) VALUES (?, ?)"));
    for (const std::string& from : h.outgoing) {
        o.reset();
        BRANKAS_TRY(o.bind(1, h.id).bind(2, from).run());
    }
    Statement a = BRANKAS_TRY(db.prepare("INSERT INTO handover_accounts (handover, account, version, fingerprint) VALUES (?, ?, ?, ?)"));
    for (const HandedOverVersion& v : h.accounts) {
        a.reset();
        BRANKAS_TRY(a.bind(1, h.id).bind(2, v.account).bind(3, v.version).bind(4, ByteView(v.fingerprint)).run());
    }
    return {};
}

Status apply_handover_accept(Database& db, const Event& e) {
    HandoverAccepted step = BRANKAS_TRY(HandoverAccepted::decode(e));
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::accept_handover, step));
    return set_state(db, e, row.id, policy::HandoverState::accepted, "accepted_seq");
}

Status apply_handover_witness(Database& db, const Event& e) {
    HandoverWitnessed step = BRANKAS_TRY(HandoverWitnessed::decode(e));
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::witness_handover, step));
    BRANKAS_TRY(set_state(db, e, row.id, policy::HandoverState::witnessed, "witnessed_seq"));
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL handovers SET witnessed_by = ? WHERE id = ?"));
    return s.bind(1, e.actor).bind(2, row.id).run();
}

// An outgoing custodian signs that they hand the sub-district over; the state does not change.
Status apply_handover_release(Database& db, const Event& e) {
    HandoverReleased step = BRANKAS_TRY(HandoverReleased::decode(e));
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::release_handover, step));
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO handover_releases (handover, principal, seq) VALUES (?, ?, ?)"));
    return s.bind(1, row.id).bind(2, e.actor).bind(3, seq_of(e)).run();
}

Status apply_handover_cancel(Database& db, const Event& e) {
    HandoverCancelled step = BRANKAS_TRY(HandoverCancelled::decode(e));
    BRANKAS_TRY(fits(e, check_handover_text(step.reason, HandoverText::reason)));
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::cancel_handover, step));
    return set_state(db, e, row.id, policy::HandoverState::cancelled, "ended_seq");
}

// The completion itself: the grant, the revocations and the unit key's rotation follow it in
// the same transaction as events of their own (user.grant, user.revoke, unit.rotate).
Status apply_handover_complete(Database& db, const Event& e) {
    HandoverCompleted step = BRANKAS_TRY(HandoverCompleted::decode(e));
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::complete_handover, step));
    BRANKAS_TRY(set_state(db, e, row.id, policy::HandoverState::completed, "ended_seq"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    if (pol.handover_rotate_before_accept) return {}; // the passwords were changed before acceptance
    // Every account handed over gets a new password: the outgoing team knew the old one.
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE status != 'archived' AND id IN "
        "(SELECT account FROM handover_accounts WHERE handover = ?)"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, row.id).run();
}

} // namespace

std::span<const ActionApplier> handover_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::handover_start, apply_handover_start},     {actions::handover_accept, apply_handover_accept},
        {actions::handover_witness, apply_handover_witness}, {actions::handover_cancel, apply_handover_cancel},
        {actions::handover_complete, apply_handover_complete}, {actions::handover_release, apply_handover_release},
    };
    return appliers;
}

} // namespace brankas
