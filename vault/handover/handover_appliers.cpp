#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

#include "policy/role.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/encoding.hpp"
#include "vault/decisions.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/field_rules.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"

#include <algorithm>

namespace brankas {

namespace {

// The engine's decision for the event's actor, with the policy and the handover as they stood.
Status require(Database& db, const Event& e, policy::Action action, std::optional<policy::HandoverFacts> handover) {
    auto actor = BRANKAS_TRY(find_principal(db, e.actor));
    if (!actor || actor->status != PrincipalStatus::active) return event_refused(e, "is by '" + e.actor + "', who is not an active user");
    const std::optional<policy::Role> role = actor->role;
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    policy::Request request;
    request.role = *role;
    request.actor = e.actor;
    request.action = action;
    policy::Facts facts;
    facts.handover = std::move(handover);
    policy::Decision d = policy::decide(request, facts, pol, e.time_us);
    if (!d.allowed()) return event_refused(e, "is not allowed: " + d.denial());
    return {};
}

Result<HandoverRow> handover_of(Database& db, const Event& e) {
    auto id = parse_handover_target(e.target);
    if (!id) return event_refused(e, "does not name a handover");
    auto row = BRANKAS_TRY(find_handover(db, *id));
    if (!row) return event_refused(e, "names a handover that does not exist");
    return std::move(*row);
}

// The receiver's and the witness's signatures cover the list of accounts the start recorded.
Status check_digest(const Event& e, const HandoverRow& row) {
    auto digest = e.details.get_array<hash_size>("accounts_digest");
    if (!digest || *digest != row.accounts_digest) return event_refused(e, "does not carry the digest of the accounts handed over");
    if (e.details.get_text("unit") != row.unit) return event_refused(e, "does not name the handover's sub-district");
    return {};
}

Result<std::vector<std::string>> name_list(const Event& e, std::string_view key) {
    std::string text = BRANKAS_TRY(required_text(e, key));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        out.push_back(text.substr(start, comma - start));
        if (!is_valid_principal_name(out.back()) || (out.size() > 1 && out[out.size() - 2] >= out.back()) || comma + 1 == text.size())
            return event_refused(e, "has a malformed '" + std::string(key) + "' list");
        start = comma + 1;
    }
    return out;
}

Status set_state(Database& db, const Event& e, std::int64_t id, std::string_view state, const char* seq_column) {
    std::string sql = "UPDATE OR FAIL handovers SET state = ?, " + std::string(seq_column) + " = ? WHERE id = ?";
    Statement s = BRANKAS_TRY(db.prepare(sql.c_str()));
    return s.bind(1, state).bind(2, seq_of(e)).bind(3, id).run();
}

} // namespace

static Status apply_handover_start(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::start_handover, std::nullopt));
    auto id = parse_handover_target(e.target);
    if (!id || *id != BRANKAS_TRY(db.query_int("SELECT ifnull(max(id), 0) + 1 FROM handovers")))
        return event_refused(e, "does not name the next handover");
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    std::string receiver = BRANKAS_TRY(required_text(e, "receiver"));
    std::string note = BRANKAS_TRY(required_text(e, "note"));
    std::vector<std::string> outgoing = BRANKAS_TRY(name_list(e, "outgoing"));
    auto accounts_bytes = e.details.get_bytes("accounts");
    if (!accounts_bytes) return event_refused(e, "lacks its 'accounts' field");
    auto accounts = decode_handed_over(*accounts_bytes);
    if (!accounts) return event_refused(e, "has a malformed list of accounts");
    if (note.empty() || note.size() > max_reason || !is_printable_utf8(note)) return event_refused(e, "has a malformed note");

    Statement u = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
    u.bind(1, unit);
    BRANKAS_TRY(u.step());
    if (u.column_int(0) == 0) return event_refused(e, "names sub-district " + unit + ", which does not exist");
    Statement open = BRANKAS_TRY(db.prepare("SELECT count(*) FROM handovers WHERE unit = ? AND state NOT IN ('completed', 'cancelled')"));
    open.bind(1, unit);
    BRANKAS_TRY(open.step());
    if (open.column_int(0) != 0) return event_refused(e, "starts a second open handover of " + unit);

    auto to = BRANKAS_TRY(find_principal(db, receiver));
    if (!to || to->role != policy::Role::custodian || to->status == PrincipalStatus::disabled)
        return event_refused(e, "hands over to '" + receiver + "', who is not an enabled custodian");
    if (BRANKAS_TRY(holds_grant(db, receiver, unit))) return event_refused(e, "hands over to someone who already holds " + unit);
    for (const std::string& from : outgoing)
        if (!BRANKAS_TRY(holds_grant(db, from, unit))) return event_refused(e, "names '" + from + "' as outgoing, who does not hold " + unit);
    std::optional<std::string> witness;
    if (e.details.fields().contains("witness")) {
        witness = BRANKAS_TRY(required_text(e, "witness"));
        auto w = BRANKAS_TRY(find_principal(db, *witness));
        if (!w || (w->role != policy::Role::admin && w->role != policy::Role::auditor) || w->status == PrincipalStatus::disabled ||
            *witness == e.actor)
            return event_refused(e, "names a witness who is not another enabled admin or auditor");
    }
    for (const auto& [key, value] : e.details.fields())
        if (key != "unit" && key != "receiver" && key != "note" && key != "outgoing" && key != "accounts" && key != "witness")
            return event_refused(e, "has an unexpected field '" + key + "'");
    // The list is exactly the unit's accounts with a password, at their current versions.
    if (*accounts != BRANKAS_TRY(current_handed_over(db, unit)))
        return event_refused(e, "does not list the sub-district's accounts at their current versions");

    Hash digest = blake2b_256(*accounts_bytes);
    Statement h = BRANKAS_TRY(db.prepare(
        "INSERT INTO handovers (id, unit, started_by, receiver, witness, note, accounts_digest, state, started_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'started', ?)"));
    h.bind(1, *id).bind(2, unit).bind(3, e.actor).bind(4, receiver);
    if (witness) h.bind(5, *witness); else h.bind_null(5);
    BRANKAS_TRY(h.bind(6, note).bind(7, ByteView(digest)).bind(8, seq_of(e)).run());
    Statement o = BRANKAS_TRY(db.prepare("INSERT INTO handover_outgoing (handover, principal) VALUES (?, ?)"));
    for (const std::string& from : outgoing) {
        o.reset();
        BRANKAS_TRY(o.bind(1, *id).bind(2, from).run());
    }
    Statement a = BRANKAS_TRY(db.prepare("INSERT INTO handover_accounts (handover, account, version, fingerprint) VALUES (?, ?, ?, ?)"));
    for (const HandedOverVersion& v : *accounts) {
        a.reset();
        BRANKAS_TRY(a.bind(1, *id).bind(2, v.account).bind(3, v.version).bind(4, ByteView(v.fingerprint)).run());
    }
    return {};
}

namespace {

// A step on an existing handover: the handover named, its digest and unit carried, and the
// engine's leave for the actor with the handover as it stood.
Result<HandoverRow> allowed_step(Database& db, const Event& e, policy::Action action) {
    HandoverRow row = BRANKAS_TRY(handover_of(db, e));
    BRANKAS_TRY(check_digest(e, row));
    policy::HandoverFacts facts = BRANKAS_TRY(handover_facts(db, row));
    BRANKAS_TRY(require(db, e, action, std::move(facts)));
    return row;
}

} // namespace

static Status apply_handover_accept(Database& db, const Event& e) {
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::accept_handover));
    return set_state(db, e, row.id, "accepted", "accepted_seq");
}

static Status apply_handover_witness(Database& db, const Event& e) {
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::witness_handover));
    BRANKAS_TRY(set_state(db, e, row.id, "witnessed", "witnessed_seq"));
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL handovers SET witnessed_by = ? WHERE id = ?"));
    return s.bind(1, e.actor).bind(2, row.id).run();
}

static Status apply_handover_cancel(Database& db, const Event& e) {
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    if (reason.size() > max_reason || !is_printable_utf8(reason)) return event_refused(e, "has a malformed reason");
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::cancel_handover));
    return set_state(db, e, row.id, "cancelled", "ended_seq");
}

// The completion itself: the grant, the revocations and the unit key's rotation follow it in
// the same transaction as events of their own (user.grant, user.revoke, unit.rotate).
static Status apply_handover_complete(Database& db, const Event& e) {
    HandoverRow row = BRANKAS_TRY(allowed_step(db, e, policy::Action::complete_handover));
    BRANKAS_TRY(set_state(db, e, row.id, "completed", "ended_seq"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    if (pol.handover_rotate_before_accept) return {}; // the passwords were changed before acceptance
    // Every account handed over gets a new password: the outgoing team knew the old one.
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE status != 'archived' AND id IN "
        "(SELECT account FROM handover_accounts WHERE handover = ?)"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, row.id).run();
}

namespace {

constexpr ActionApplier appliers[] = {
    {actions::handover_start, apply_handover_start},     {actions::handover_accept, apply_handover_accept},
    {actions::handover_witness, apply_handover_witness}, {actions::handover_cancel, apply_handover_cancel},
    {actions::handover_complete, apply_handover_complete},
};

} // namespace

std::span<const ActionApplier> handover_appliers() { return appliers; }

} // namespace brankas
