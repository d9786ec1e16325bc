#include "vault/enforcement/enforcement_events.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Event on_unit(std::string_view action, const std::string& unit) {
    Event e;
    e.action = std::string(action);
    e.target = unit;
    return e;
}

} // namespace

Event UnitDeactivated::encode() const {
    Event e = on_unit(actions::unit_deactivate, unit);
    e.details.text("term", term).integer("accounts", accounts).text("custodians", custodians);
    if (key_version) e.details.integer("key_version", *key_version);
    return e;
}

Result<UnitDeactivated> UnitDeactivated::decode(const Event& e) {
    EventFields f(e);
    UnitDeactivated u;
    u.unit = e.target;
    u.term = BRANKAS_TRY(f.text("term"));
    u.accounts = BRANKAS_TRY(f.integer("accounts"));
    u.custodians = BRANKAS_TRY(f.text("custodians"));
    u.key_version = BRANKAS_TRY(f.optional_integer("key_version"));
    BRANKAS_TRY(f.finish());
    return u;
}

Event UnitReactivated::encode() const {
    Event e = on_unit(actions::unit_reactivate, unit);
    e.details.text("term", term).integer("accounts", accounts).integer("unfinished_checklists", unfinished_checklists);
    return e;
}

Result<UnitReactivated> UnitReactivated::decode(const Event& e) {
    EventFields f(e);
    UnitReactivated u;
    u.unit = e.target;
    u.term = BRANKAS_TRY(f.text("term"));
    u.accounts = BRANKAS_TRY(f.integer("accounts"));
    u.unfinished_checklists = BRANKAS_TRY(f.integer("unfinished_checklists"));
    BRANKAS_TRY(f.finish());
    return u;
}

Event ChecklistTicked::encode() const {
    Event e;
    e.action = std::string(actions::checklist_tick);
    e.target = account_target(account);
    e.details.text("step", step).text("note", note);
    if (version) e.details.integer("version", *version); // absent in ticks written before the field
    return e;
}

Result<ChecklistTicked> ChecklistTicked::decode(const Event& e) {
    EventFields f(e);
    ChecklistTicked t;
    t.account = BRANKAS_TRY(account_of_target(e));
    t.step = BRANKAS_TRY(f.text("step"));
    t.note = BRANKAS_TRY(f.text("note"));
    t.version = BRANKAS_TRY(f.optional_integer("version"));
    BRANKAS_TRY(f.finish());
    return t;
}

} // namespace brankas
