// Handovers as people carry them out: each step decided under the write lock at one instant with
// the handover's rules, and recorded as its typed event; the completion grants, revokes and
// rotates in the same change. No password is ever opened here.
#include "vault/handover/handover.hpp"
#include "vault/own_reasons.hpp"

#include "vault/audit/audit.hpp"
#include "vault/audit/audit_queries.hpp"
#include "vault/field_rules.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/handover/handover_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/people/people_events.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"
#include "vault/units/units.hpp"

#include <algorithm>

namespace brankas {

namespace {

Actor handover_actor(const Session& session) { return Actor{session.user(), session.role()}; }

// Whether the person is shown the handover: its sub-district is one they see (read_unit, as the
// account list and the audit log leave the others out), or they are one of its parties, who act
// on it (the receiver accepts it, an outgoing custodian releases it, the named witness witnesses).
template <typename Handover>
Result<bool> shown(UnitSight& sight, std::string_view user, const Handover& h) {
    if (h.receiver == user || (h.witness && *h.witness == user)) return true;
    if (std::find(h.outgoing.begin(), h.outgoing.end(), user) != h.outgoing.end()) return true;
    return sight.sees(h.unit);
}

// A handover the person is not shown (another sub-district's, to someone who is no party to
// it) is refused as reading that sub-district is, and the refusal recorded: by `recorder`, the
// session (its own write) or the change the step is part of.
template <typename Recorder, typename Handover>
Status refuse_unless_shown(Recorder& recorder, UnitSight& sight, std::string_view user, const Handover& h) {
    if (BRANKAS_TRY(shown(sight, user, h))) return {};
    BRANKAS_TRY(recorder.permit(policy::Action::read_unit, handover_target(h.id), h.unit));
    return fail_phrased(ErrorCode::internal, i18n::tr_noop("the policy let a handover be read that it would not list"), {});
}

// The step `action` on the handover as it stands, decided for the session's user now; refused
// (access.denied in the same change) when the engine says no. A handover the person is not
// shown is refused first, as reading its sub-district is: the engine's sentence about the step
// would name its people and its state.
Result<HandoverRow> permitted_step(Change& change, policy::Action action, std::int64_t id) {
    HandoverRow row = BRANKAS_TRY(existing_handover(change.db(), id));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(change.session()));
    BRANKAS_TRY(refuse_unless_shown(change, sight, change.session().user(), row));
    policy::Decision d = BRANKAS_TRY(decide_handover_step(change.db(), handover_actor(change.session()), change.now(), action, row));
    if (!d.allowed()) return change.refuse(action, handover_target(id), d);
    return row;
}

// The custodians holding the unit now, or those asked for; sorted, each once.
Result<std::vector<std::string>> outgoing_of(Database& db, const HandoverRequest& rq) {
    std::vector<std::string> outgoing;
    if (rq.outgoing) {
        outgoing = *rq.outgoing;
    } else {
        Statement g = BRANKAS_TRY(db.prepare("SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL"));
        g.bind(1, rq.unit);
        while (BRANKAS_TRY(g.step())) outgoing.push_back(g.column_text(0));
    }
    std::sort(outgoing.begin(), outgoing.end());
    outgoing.erase(std::unique(outgoing.begin(), outgoing.end()), outgoing.end());
    return outgoing;
}

// handover.complete, then the receiver granted the unit with its current key, the outgoing
// custodians revoked, and the unit moved to its standby key (which reaches the receiver and the
// admins only; every version re-sealed to it).
Status append_completion(Change& change, const HandoverRow& row) {
    Session& session = change.session();
    Database& db = change.db();
    BRANKAS_TRY(change.append(HandoverCompleted{step_fields(row)}));

    auto who = BRANKAS_TRY(find_principal(db, row.receiver));
    if (!who || who->status != PrincipalStatus::active)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the receiver '%s' is no longer an active user"), {row.receiver});
    BRANKAS_TRY(change.append(UserGranted{row.receiver, row.unit}));
    const std::int64_t key_version = BRANKAS_TRY(current_unit_key(db, row.unit)).version;
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, row.unit));
    BRANKAS_TRY(seal_unit_key(change, row.unit, key_version, unit_keys, row.receiver, who->box_key));

    bool revoked = false;
    for (const std::string& from : row.outgoing) {
        if (!BRANKAS_TRY(holds_grant(db, from, row.unit))) continue; // revoked since the start
        BRANKAS_TRY(change.append(UserRevoked{from, row.unit}));
        revoked = true;
    }
    if (revoked) return rotate_unit_key(change, row.unit, own_reason(OwnReason::handover_completed, {std::to_string(row.id)}), StandbyChoice::use);
    return add_standby_key(change, row.unit);
}

} // namespace

Result<HandoverInfo> start_handover(Session& session, const HandoverRequest& rq) {
    if (is_blank(rq.note))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a handover needs a note of 1 to %s printable bytes"), {std::to_string(max_reason)});
    // The minutes print the note (live only, as above: check_handover_text is the replay's too).
    BRANKAS_TRY(check_no_hidden_mark(rq.note, i18n::tr_noop("the handover's note")));
    BRANKAS_TRY(check_typed_line(rq.note, i18n::tr_noop("a note")));
    const std::int64_t id = BRANKAS_TRY(session.write([&](Change& change) -> Result<std::int64_t> {
        Database& db = change.db();
        policy::Decision d = BRANKAS_TRY(decide_handover_start(db, handover_actor(session), change.now(), rq.unit));
        if (!d.allowed()) return change.refuse(policy::Action::start_handover, "handover", d);
        HandoverStarted started;
        started.id = BRANKAS_TRY(db.query_int("SELECT ifnull(max(id), 0) + 1 FROM handovers"));
        started.unit = rq.unit;
        started.receiver = rq.receiver;
        started.note = rq.note;
        started.witness = rq.witness;
        started.outgoing = BRANKAS_TRY(outgoing_of(db, rq));
        started.release_asked = true; // the outgoing custodians sign it too (handover release)
        started.accounts = BRANKAS_TRY(current_handed_over(db, rq.unit));
        BRANKAS_TRY(check_handover_start(db, started, session.user()));
        BRANKAS_TRY(change.append(started));
        return started.id;
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> accept_handover(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        HandoverRow row = BRANKAS_TRY(permitted_step(change, policy::Action::accept_handover, id));
        // The receiver signs the list of accounts and versions they take over.
        BRANKAS_TRY(change.append(HandoverAccepted{step_fields(row)}));
        return {};
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> witness_handover(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        HandoverRow row = BRANKAS_TRY(permitted_step(change, policy::Action::witness_handover, id));
        // The witness signs the same list.
        BRANKAS_TRY(change.append(HandoverWitnessed{step_fields(row)}));
        // An admin holds the unit's key: their witness completes the handover in the same change.
        if (session.role() != policy::Role::admin) return {};
        const HandoverRow witnessed = BRANKAS_TRY(existing_handover(change.db(), id));
        policy::Decision d = BRANKAS_TRY(
            decide_handover_step(change.db(), handover_actor(session), change.now(), policy::Action::complete_handover, witnessed));
        if (d.allowed()) BRANKAS_TRY(append_completion(change, witnessed));
        return {};
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> complete_handover(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        HandoverRow row = BRANKAS_TRY(permitted_step(change, policy::Action::complete_handover, id));
        return append_completion(change, row);
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> release_handover(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        HandoverRow row = BRANKAS_TRY(permitted_step(change, policy::Action::release_handover, id));
        // The outgoing custodian signs the same list the receiver accepts.
        BRANKAS_TRY(change.append(HandoverReleased{step_fields(row)}));
        return {};
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> cancel_handover(Session& session, std::int64_t id, std::string_view reason) {
    BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    BRANKAS_TRY(check_handover_text(reason, HandoverText::reason));
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        HandoverRow row = BRANKAS_TRY(permitted_step(change, policy::Action::cancel_handover, id));
        BRANKAS_TRY(change.append(HandoverCancelled{step_fields(row), std::string(reason)}));
        return {};
    }));
    return handover_info(session.db(), id);
}

Result<HandoverInfo> show_handover(Session& session, std::int64_t id) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, handover_target(id)));
    HandoverInfo h = BRANKAS_TRY(handover_info(session.db(), id));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    BRANKAS_TRY(refuse_unless_shown(session, sight, session.user(), h));
    return h;
}

Result<std::vector<HandoverInfo>> list_handovers(Session& session, const std::optional<std::string>& unit) {
    std::vector<HandoverInfo> out;
    BRANKAS_TRY(for_each_handover(session, unit, [&](const HandoverInfo& h) -> Status {
        out.push_back(h);
        return {};
    }));
    return out;
}

Status for_each_handover(Session& session, const std::optional<std::string>& unit, const std::function<Status(const HandoverInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "handovers"));
    if (unit) BRANKAS_TRY(audit_queries::require_unit(session.db(), *unit)); // a mistyped code is not a sub-district without handovers
    Statement s = BRANKAS_TRY(
        session.db().prepare(unit ? "SELECT id FROM handovers WHERE unit = ? ORDER BY id" : "SELECT id FROM handovers ORDER BY id"));
    if (unit) s.bind(1, *unit);
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    while (BRANKAS_TRY(s.step())) {
        HandoverInfo h = BRANKAS_TRY(handover_info(session.db(), s.column_int(0)));
        if (!BRANKAS_TRY(shown(sight, session.user(), h))) continue;
        BRANKAS_TRY(row(h));
    }
    return {};
}

Result<HandoverLookup> lookup_handover(Session& session, std::string_view code) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "handovers"));
    auto wanted = normalize_verification_code(code);
    if (!wanted)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a verification code"), {i18n::echo(code)}, i18n::tr_noop("it looks like 3F9A-C21D"));
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT h.id, e.hash FROM handovers h JOIN events e ON e.seq = h.ended_seq WHERE h.state = 'completed' ORDER BY h.id"));
    std::vector<std::int64_t> found;
    while (BRANKAS_TRY(s.step())) {
        auto raw = s.column_raw(1);
        if (raw.size() != hash_size) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("an event's hash has the wrong length"), {});
        Hash h{};
        std::copy(raw.begin(), raw.end(), h.begin());
        if (handover_verification_code(h) == *wanted) found.push_back(s.column_int(0));
    }
    if (found.empty()) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no completed handover has the verification code %s"), {*wanted});
    // The code printed on another sub-district's minutes tells its people to nobody who may
    // not see the handover itself: refused as `handover show` refuses it.
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    std::vector<HandoverInfo> handovers;
    for (std::int64_t id : found) {
        handovers.push_back(BRANKAS_TRY(handover_info(session.db(), id)));
        BRANKAS_TRY(refuse_unless_shown(session, sight, session.user(), handovers.back()));
    }
    if (found.size() > 1) {
        std::string ids;
        for (std::int64_t id : found) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the verification code %1$s matches %2$s handovers (%3$s)"),
                            {*wanted, std::to_string(found.size()), ids},
                            i18n::tr_noop("compare the handover number printed on the minutes with `brankas handover show ID`"));
    }
    HandoverLookup out;
    out.handover = std::move(handovers.front());
    out.event_seq = static_cast<std::uint64_t>(out.handover.ended.seq);
    out.report = BRANKAS_TRY(verify(session, VerifyOptions{}));
    out.verified_up_to_event = out.report.events >= out.event_seq;
    return out;
}

} // namespace brankas
