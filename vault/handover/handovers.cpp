// Handovers: a unit's accounts move from the outgoing custodians to a receiver. Each step is an
// event decided by the policy engine (and decided again by the projection on replay); the
// completion grants, revokes and rotates in one transaction. No password is ever opened here.
#include "vault/decisions.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/field_rules.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <algorithm>

namespace brankas {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

// The local calendar year of an instant (days to civil date, proleptic Gregorian).
std::int64_t local_year(std::int64_t us, int utc_offset_minutes) {
    std::int64_t seconds = us / 1'000'000 + std::int64_t{utc_offset_minutes} * 60;
    std::int64_t days = seconds / 86'400 - (seconds % 86'400 < 0 ? 1 : 0);
    days += 719'468;
    const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
    const std::int64_t doe = days - era * 146'097;
    const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

std::string three_digits(std::int64_t n) {
    std::string s = std::to_string(n);
    return s.size() < 3 ? std::string(3 - s.size(), '0') + s : s;
}

Result<HandoverStep> step_of(Database& db, std::int64_t seq) {
    HandoverStep step;
    if (seq == 0) return step;
    Statement s = BRANKAS_TRY(db.prepare("SELECT actor, time_us, hash FROM events WHERE seq = ?"));
    s.bind(1, seq);
    if (!BRANKAS_TRY(s.step())) return fail(ErrorCode::store_corrupt, "a handover names an event the log does not have");
    step.by = s.column_text(0);
    step.seq = seq;
    step.time_us = s.column_int(1);
    auto hash = s.column_raw(2);
    if (hash.size() != hash_size) return fail(ErrorCode::store_corrupt, "an event's hash has the wrong length");
    std::copy(hash.begin(), hash.end(), step.hash.begin());
    return step;
}

// One step of a handover as an event: its unit and the digest of its account list, which the
// step's signer vouches for.
Event handover_step(std::string_view action, const HandoverRow& row) {
    Event e;
    e.action = std::string(action);
    e.target = handover_target(row.id);
    e.details.bytes("accounts_digest", Bytes(row.accounts_digest.begin(), row.accounts_digest.end())).text("unit", row.unit);
    return e;
}

} // namespace

std::string handover_verification_code(const Hash& h) {
    std::string code;
    for (std::size_t i = 0; i < 4; ++i) {
        if (i == 2) code += '-';
        code += hex_digits[h[i] >> 4];
        code += hex_digits[h[i] & 15];
    }
    return code;
}

Status Session::permit_handover_step(policy::Action action, std::int64_t id) {
    const HandoverRow row = BRANKAS_TRY(existing_handover(db_, id));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    policy::Request request;
    request.role = role_;
    request.actor = user_;
    request.action = action;
    policy::Facts facts;
    facts.handover = BRANKAS_TRY(handover_facts(db_, row));
    policy::Decision d = policy::decide(request, facts, pol, clock_->now_us());
    if (d.allowed()) return {};
    return record_denial(action, handover_target(id), d);
}

Result<HandoverInfo> Session::start_handover(const HandoverRequest& rq) {
    BRANKAS_TRY(permit(policy::Action::start_handover, "handover", rq.unit));
    if (rq.note.empty() || rq.note.size() > max_reason || !is_printable_utf8(rq.note))
        return fail(ErrorCode::usage, "a handover needs a note of 1 to " + std::to_string(max_reason) + " printable bytes");
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Statement u = BRANKAS_TRY(db_.prepare("SELECT count(*) FROM units WHERE code = ?"));
    u.bind(1, rq.unit);
    BRANKAS_TRY(u.step());
    if (u.column_int(0) == 0) return fail(ErrorCode::usage, "no sub-district " + rq.unit);
    Statement open = BRANKAS_TRY(db_.prepare("SELECT id FROM handovers WHERE unit = ? AND state NOT IN ('completed', 'cancelled')"));
    open.bind(1, rq.unit);
    if (BRANKAS_TRY(open.step()))
        return fail(ErrorCode::usage, "sub-district " + rq.unit + " already has an open handover (" + std::to_string(open.column_int(0)) + ")",
                    "complete or cancel it first");
    auto to = BRANKAS_TRY(find_principal(db_, rq.receiver));
    if (!to || to->status == "disabled") return fail(ErrorCode::usage, "no enabled user '" + rq.receiver + "'");
    if (to->role != "custodian") return fail(ErrorCode::usage, "'" + rq.receiver + "' is a " + to->role + "; a handover goes to a custodian");
    if (BRANKAS_TRY(holds_grant(db_, rq.receiver, rq.unit)))
        return fail(ErrorCode::usage, "'" + rq.receiver + "' already holds sub-district " + rq.unit);

    std::vector<std::string> outgoing;
    if (rq.outgoing) {
        outgoing = *rq.outgoing;
        for (const std::string& from : outgoing)
            if (!BRANKAS_TRY(holds_grant(db_, from, rq.unit)))
                return fail(ErrorCode::usage, "'" + from + "' does not hold sub-district " + rq.unit);
    } else {
        Statement g = BRANKAS_TRY(db_.prepare("SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL"));
        g.bind(1, rq.unit);
        while (BRANKAS_TRY(g.step())) outgoing.push_back(g.column_text(0));
    }
    std::sort(outgoing.begin(), outgoing.end());
    outgoing.erase(std::unique(outgoing.begin(), outgoing.end()), outgoing.end());
    std::string outgoing_text;
    for (const std::string& from : outgoing) outgoing_text += (outgoing_text.empty() ? "" : ",") + from;

    if (rq.witness) {
        auto w = BRANKAS_TRY(find_principal(db_, *rq.witness));
        if (!w || w->status == "disabled") return fail(ErrorCode::usage, "no enabled user '" + *rq.witness + "'");
        if (w->role != "admin" && w->role != "auditor")
            return fail(ErrorCode::usage, "'" + *rq.witness + "' is a " + w->role + "; a witness is an admin or an auditor");
        if (*rq.witness == user_) return fail(ErrorCode::usage, "the witness is a second person, not who starts the handover");
    }

    const std::int64_t id = BRANKAS_TRY(db_.query_int("SELECT ifnull(max(id), 0) + 1 FROM handovers"));
    Event e;
    e.action = std::string(actions::handover_start);
    e.target = handover_target(id);
    e.details.text("unit", rq.unit)
        .text("receiver", rq.receiver)
        .text("outgoing", outgoing_text)
        .text("note", rq.note)
        .bytes("accounts", encode_handed_over(BRANKAS_TRY(current_handed_over(db_, rq.unit))));
    if (rq.witness) e.details.text("witness", *rq.witness);
    BRANKAS_TRY(append(std::move(e)));
    BRANKAS_TRY(tx.commit());
    return handover_info(id);
}

Result<HandoverInfo> Session::accept_handover(std::int64_t id) {
    BRANKAS_TRY(permit_handover_step(policy::Action::accept_handover, id));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    // The receiver signs the list of accounts and versions they take over.
    Event e = handover_step(actions::handover_accept, BRANKAS_TRY(existing_handover(db_, id)));
    BRANKAS_TRY(append(std::move(e)));
    BRANKAS_TRY(tx.commit());
    return handover_info(id);
}

Result<HandoverInfo> Session::witness_handover(std::int64_t id) {
    BRANKAS_TRY(permit_handover_step(policy::Action::witness_handover, id));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    // The witness signs the same list.
    Event e = handover_step(actions::handover_witness, BRANKAS_TRY(existing_handover(db_, id)));
    BRANKAS_TRY(append(std::move(e)));
    // An admin holds the unit's key: their witness completes the handover in the same transaction.
    if (role_ == policy::Role::admin) {
        const HandoverRow witnessed = BRANKAS_TRY(existing_handover(db_, id));
        policy::Request request;
        request.role = role_;
        request.actor = user_;
        request.action = policy::Action::complete_handover;
        policy::Facts facts;
        facts.handover = BRANKAS_TRY(handover_facts(db_, witnessed));
        policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
        if (policy::decide(request, facts, pol, clock_->now_us()).allowed()) BRANKAS_TRY(append_handover_completion(id));
    }
    BRANKAS_TRY(tx.commit());
    return handover_info(id);
}

Result<HandoverInfo> Session::complete_handover(std::int64_t id) {
    BRANKAS_TRY(permit_handover_step(policy::Action::complete_handover, id));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    BRANKAS_TRY(append_handover_completion(id));
    BRANKAS_TRY(tx.commit());
    return handover_info(id);
}

Status Session::append_handover_completion(std::int64_t id) {
    const HandoverRow row = BRANKAS_TRY(existing_handover(db_, id));
    BRANKAS_TRY(append(handover_step(actions::handover_complete, row)));

    // The receiver is granted the unit and receives its current key...
    auto who = BRANKAS_TRY(find_principal(db_, row.receiver));
    if (!who || who->status != "active") return fail(ErrorCode::usage, "the receiver '" + row.receiver + "' is no longer an active user");
    Event g;
    g.action = std::string(actions::user_grant);
    g.target = row.receiver;
    g.details.text("unit", row.unit);
    BRANKAS_TRY(append(std::move(g)));
    UnitPublicKey current = BRANKAS_TRY(current_unit_key(row.unit));
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(row.unit));
    BRANKAS_TRY(seal_unit_key(row.unit, current.version, unit_keys, row.receiver, who->box_key));

    // ...the outgoing custodians lose it, and the unit moves to its standby key, which reaches
    // the receiver and the admins only; every version is re-sealed to it.
    bool revoked = false;
    for (const std::string& from : row.outgoing) {
        if (!BRANKAS_TRY(holds_grant(db_, from, row.unit))) continue; // revoked since the start
        Event r;
        r.action = std::string(actions::user_revoke);
        r.target = from;
        r.details.text("unit", row.unit);
        BRANKAS_TRY(append(std::move(r)));
        revoked = true;
    }
    if (revoked) return rotate_unit_key(row.unit, "handover " + std::to_string(id) + " completed", StandbyChoice::use);
    return add_standby_key(row.unit);
}

Result<HandoverInfo> Session::cancel_handover(std::int64_t id, std::string_view reason) {
    if (reason.size() > max_reason || !is_printable_utf8(reason))
        return fail(ErrorCode::usage, "the reason must be at most " + std::to_string(max_reason) + " printable bytes");
    BRANKAS_TRY(permit_handover_step(policy::Action::cancel_handover, id));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e = handover_step(actions::handover_cancel, BRANKAS_TRY(existing_handover(db_, id)));
    e.details.text("reason", std::string(reason));
    BRANKAS_TRY(append(std::move(e)));
    BRANKAS_TRY(tx.commit());
    return handover_info(id);
}

Result<HandoverInfo> Session::handover(std::int64_t id) {
    BRANKAS_TRY(permit(policy::Action::read_metadata, handover_target(id)));
    return handover_info(id);
}

Result<std::vector<HandoverInfo>> Session::list_handovers(const std::optional<std::string>& unit) {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "handovers"));
    Statement s = BRANKAS_TRY(db_.prepare(unit ? "SELECT id FROM handovers WHERE unit = ? ORDER BY id" : "SELECT id FROM handovers ORDER BY id"));
    if (unit) s.bind(1, *unit);
    std::vector<std::int64_t> ids;
    while (BRANKAS_TRY(s.step())) ids.push_back(s.column_int(0));
    std::vector<HandoverInfo> out;
    for (std::int64_t id : ids) out.push_back(BRANKAS_TRY(handover_info(id)));
    return out;
}

Result<HandoverInfo> Session::handover_info(std::int64_t id) {
    const HandoverRow row = BRANKAS_TRY(existing_handover(db_, id));
    HandoverInfo h;
    h.id = id;
    Statement v = BRANKAS_TRY(db_.prepare("SELECT institution FROM vault"));
    if (BRANKAS_TRY(v.step())) h.institution = v.column_text(0);
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    h.time_zone = pol.time_zone;
    h.unit = row.unit;
    Statement u = BRANKAS_TRY(db_.prepare("SELECT name FROM units WHERE code = ?"));
    u.bind(1, row.unit);
    if (BRANKAS_TRY(u.step())) h.unit_name = u.column_text(0);
    h.receiver = row.receiver;
    h.note = row.note;
    h.state = std::string(policy::handover_state_name(row.state));
    h.outgoing = row.outgoing;
    h.witness = row.witness;
    h.started = BRANKAS_TRY(step_of(db_, row.started_seq));
    h.accepted = BRANKAS_TRY(step_of(db_, row.accepted_seq));
    h.witnessed = BRANKAS_TRY(step_of(db_, row.witnessed_seq));
    h.ended = BRANKAS_TRY(step_of(db_, row.ended_seq));
    for (const HandedOverVersion& handed : row.accounts) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db_, handed.account));
        h.accounts.push_back({a.id, a.unit, a.platform, a.handle, a.email, a.phone, a.status, a.rotation_due, handed.version, handed.fingerprint});
    }
    if (row.state == policy::HandoverState::completed) {
        h.code = handover_verification_code(h.ended.hash);
        // The minutes' number counts the handovers completed in the same local year up to this one.
        const std::int64_t year = local_year(h.ended.time_us, pol.time_zone.utc_offset_minutes);
        Statement n = BRANKAS_TRY(db_.prepare(
            "SELECT e.time_us FROM handovers h JOIN events e ON e.seq = h.ended_seq WHERE h.state = 'completed' AND h.ended_seq <= ?"));
        n.bind(1, row.ended_seq);
        std::int64_t count = 0;
        while (BRANKAS_TRY(n.step())) count += local_year(n.column_int(0), pol.time_zone.utc_offset_minutes) == year;
        h.number = three_digits(count) + "/BAST/" + std::to_string(year);
    }
    return h;
}

Result<HandoverLookup> Session::lookup_handover(std::string_view code) {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "handovers"));
    std::string digits;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (std::string_view(hex_digits).find(c) == std::string_view::npos || c == '\0' || digits.size() == 8)
            return fail(ErrorCode::usage, "'" + std::string(code) + "' is not a verification code", "it looks like 3F9A-C21D");
        digits += c;
    }
    if (digits.size() != 8) return fail(ErrorCode::usage, "'" + std::string(code) + "' is not a verification code", "it looks like 3F9A-C21D");
    const std::string wanted = digits.substr(0, 4) + "-" + digits.substr(4);
    Statement s = BRANKAS_TRY(db_.prepare(
        "SELECT h.id, e.hash FROM handovers h JOIN events e ON e.seq = h.ended_seq WHERE h.state = 'completed' ORDER BY h.id"));
    std::vector<std::int64_t> found;
    while (BRANKAS_TRY(s.step())) {
        auto raw = s.column_raw(1);
        if (raw.size() != hash_size) return fail(ErrorCode::store_corrupt, "an event's hash has the wrong length");
        Hash h{};
        std::copy(raw.begin(), raw.end(), h.begin());
        if (handover_verification_code(h) == wanted) found.push_back(s.column_int(0));
    }
    if (found.empty()) return fail(ErrorCode::usage, "no completed handover has the verification code " + wanted);
    if (found.size() > 1) {
        std::string ids;
        for (std::int64_t id : found) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        return fail(ErrorCode::usage, "the verification code " + wanted + " matches " + std::to_string(found.size()) + " handovers (" + ids + ")",
                    "compare the handover number printed on the minutes with `brankas handover show ID`");
    }
    HandoverLookup out;
    out.handover = BRANKAS_TRY(handover_info(found.front()));
    out.event_seq = static_cast<std::uint64_t>(out.handover.ended.seq);
    out.report = BRANKAS_TRY(brankas::verify(*this, VerifyOptions{}));
    out.verified_up_to_event = out.report.events >= out.event_seq;
    return out;
}

} // namespace brankas
