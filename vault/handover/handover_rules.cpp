// The rules of handovers, written once: the command checks a step with them before it appends
// the event, the replay checks the event with them before it changes the tables.
#include "policy/role.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/handover/handover.hpp"
#include "vault/handover/handover_events.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

namespace {

// An enabled principal of one of `roles`: not_found when nobody has the name, conflict when they
// are disabled or have another role. `as_what` is the rule, a literal marked for the catalogue.
Status check_party(Database& db, const std::string& name, std::initializer_list<policy::Role> roles, const char* as_what) {
    auto who = BRANKAS_TRY(find_principal(db, name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no enabled user '%s'"), {std::string(name)});
    if (who->status == PrincipalStatus::disabled) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("no enabled user '%s'"), {name});
    for (policy::Role r : roles)
        if (who->role == r) return {};
    return fail_phrase(ErrorCode::conflict,
                       i18n::Phrase(i18n::tr_noop("'%1$s' has the role %2$s; %3$s"), {i18n::Phrase::plain(name), policy::role_word(who->role), i18n::Phrase(as_what)}));
}

} // namespace

Status check_handover_text(std::string_view text, HandoverText what) {
    const bool empty_ok = what == HandoverText::reason;
    if ((text.empty() && !empty_ok) || text.size() > max_reason || !is_printable_utf8(text))
        return fail_phrased(ErrorCode::usage,
                            what == HandoverText::note ? i18n::tr_noop("a handover needs a note of 1 to %s printable bytes")
                                                       : i18n::tr_noop("the reason must be at most %s printable bytes"),
                            {std::to_string(max_reason)});
    return {};
}

Status check_handover_start(Database& db, const HandoverStarted& h, std::string_view starter) {
    if (h.id != BRANKAS_TRY(db.query_int("SELECT ifnull(max(id), 0) + 1 FROM handovers")))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("handover %s is not the next handover"), {std::to_string(h.id)});
    BRANKAS_TRY(check_handover_text(h.note, HandoverText::note));
    if (!BRANKAS_TRY(unit_exists(db, h.unit))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {std::string(h.unit)});
    Statement open = BRANKAS_TRY(db.prepare("SELECT id FROM handovers WHERE unit = ? AND state NOT IN ('completed', 'cancelled')"));
    open.bind(1, h.unit);
    if (BRANKAS_TRY(open.step()))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("sub-district %1$s already has an open handover (%2$s)"),
                            {h.unit, std::to_string(open.column_int(0))}, i18n::tr_noop("complete or cancel it first"));
    BRANKAS_TRY(check_party(db, h.receiver, {policy::Role::custodian}, i18n::tr_noop("a handover goes to a custodian")));
    if (BRANKAS_TRY(holds_grant(db, h.receiver, h.unit)))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("'%1$s' already holds sub-district %2$s"), {h.receiver, h.unit});
    for (const std::string& from : h.outgoing)
        if (!BRANKAS_TRY(holds_grant(db, from, h.unit)))
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("'%1$s' does not hold sub-district %2$s"), {from, h.unit});
    if (h.witness) {
        BRANKAS_TRY(check_party(db, *h.witness, {policy::Role::admin, policy::Role::auditor}, i18n::tr_noop("a witness is an admin or an auditor")));
        if (*h.witness == starter)
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("the witness is a second person, not who starts the handover"), {});
    }
    // The list is exactly the unit's accounts with a password, at their current versions.
    if (h.accounts != BRANKAS_TRY(current_handed_over(db, h.unit)))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("the list does not hold the sub-district's accounts at their current versions"), {});
    return {};
}

Result<policy::Decision> decide_handover_start(Database& db, const Actor& actor, std::int64_t now_us, std::string_view unit) {
    policy::Request request;
    request.action = policy::Action::start_handover;
    return decide_as(db, actor, now_us, request, unit);
}

Result<policy::Decision> decide_handover_step(Database& db, const Actor& actor, std::int64_t now_us, policy::Action action,
                                              const HandoverRow& row) {
    policy::Request request;
    request.action = action;
    policy::Facts facts;
    facts.handover = BRANKAS_TRY(handover_facts(db, row));
    return decide_as(db, actor, now_us, request, {}, std::move(facts));
}

} // namespace brankas
