// The policy in force (`policy show`) and `policy explain` for a chosen person, action and
// account or handover: the facts the engine found, its decision and the rules that made it.
// Explaining records nothing, so its form is a GET.
#include "faces/dates.hpp"
#include "faces/error_text.hpp"
#include "policy/document.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>
#include <charconv>

namespace brankas::web {

namespace {

const char* effect_label(policy::Effect e) {
    switch (e) {
    case policy::Effect::permit: return tr_noop("permits");
    case policy::Effect::forbid: return tr_noop("forbids");
    case policy::Effect::note: return tr_noop("notes");
    }
    return tr_noop("notes");
}

const char* scope_label(policy::UnitScope s) {
    switch (s) {
    case policy::UnitScope::none: return tr_noop("not about a sub-district");
    case policy::UnitScope::granted: return tr_noop("granted to this person");
    case policy::UnitScope::not_granted: return tr_noop("not granted to this person");
    }
    return tr_noop("not about a sub-district");
}

// The question the form asks, from its fields; nullopt when no person was chosen yet.
Result<std::optional<ExplainQuestion>> question_of(Session& vault, const Visit& visit, std::int64_t now) {
    std::string as = field(visit, "as");
    if (as.empty()) return std::optional<ExplainQuestion>{};
    ExplainQuestion q;
    q.user = as;
    q.at_us = now;
    auto action = policy::parse_action(field(visit, "action"));
    if (!action) return fail(ErrorCode::usage, std::string(visit.t.tr(tr_noop("Choose an action."))));
    q.action = *action;
    std::string target = field(visit, "target");
    if (policy::is_handover_step(*action)) {
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), id);
        if (ec != std::errc() || end != target.data() + target.size() || id < 1)
            return fail(ErrorCode::usage, std::string(visit.t.tr(tr_noop("A handover step needs the handover's number."))));
        q.handover = id;
    } else if (!target.empty()) {
        q.account = BRANKAS_TRY(find_account(vault, target)).id;
    }
    return std::optional<ExplainQuestion>{std::move(q)};
}

void show_explanation(Page& page, const Translator& t, const Explanation& x, const policy::TimeZone& zone) {
    ctemplate::TemplateDictionary* out = page.body().AddSectionDictionary("EXPLANATION");
    const policy::Decision& d = x.decision;
    out->SetValue("VERDICT_CLASS", d.allowed() ? "allow" : "deny");
    set_text(*out, "VERDICT", t.tr(d.allowed() ? tr_noop("Allowed") : tr_noop("Refused")));
    // The role and the action in the reader's words; the action's name too, as the form lists it.
    std::string question = x.user + " (" + std::string(t.tr(role_label(x.role))) + "): " + std::string(policy::action_name(x.action)) + " (" +
                           std::string(t.tr(policy::action_description(x.action).data())) + ")";
    if (x.account) question += " " + x.account->ref();
    if (x.handover) question += " #" + std::to_string(*x.handover);
    out->SetValue("QUESTION", question + " @ " + format_zoned(x.at_us, zone));
    if (x.account) {
        ctemplate::TemplateDictionary* f = out->AddSectionDictionary("ACCOUNT_FACTS");
        f->SetValue("UNIT", x.account->unit);
        set_text(*f, "SCOPE", t.tr(scope_label(x.facts.scope)));
        std::string term = x.facts.term ? std::string(t.tr(policy::term_state_name(*x.facts.term).data())) : std::string(t.tr(tr_noop("no term")));
        if (x.facts.term_name) term += " (" + *x.facts.term_name + ")";
        f->SetValue("TERM", term);
        f->SetValue("HOLDER", x.facts.holder ? x.facts.holder->name + " " + format_zoned(x.facts.holder->until_us, zone)
                                             : std::string(t.tr(tr_noop("nobody"))));
    } else if (x.handover && x.facts.handover) {
        ctemplate::TemplateDictionary* f = out->AddSectionDictionary("HANDOVER_FACTS");
        const policy::HandoverFacts& h = *x.facts.handover;
        f->SetValue("UNIT", x.handover_unit);
        set_text(*f, "STATE", t.tr(policy::handover_state_name(h.state).data()));
        f->SetValue("RECEIVER", h.receiver);
        f->SetValue("OUTGOING", joined_list(h.outgoing));
        f->SetValue("WITNESS", h.witness ? *h.witness : "-");
    }
    for (const policy::Reason& r : d.reasons) {
        ctemplate::TemplateDictionary* row = out->AddSectionDictionary("REASON");
        row->SetValue("RULE", r.rule);
        set_text(*row, "EFFECT", t.tr(effect_label(r.effect)));
        row->SetValue("TEXT", faces::reason_text(r, [&](const char* id) { return t.tr(id); }));
    }
    for (policy::Obligation o : d.obligations) {
        ctemplate::TemplateDictionary* row = out->AddSectionDictionary("OBLIGATION");
        row->SetValue("NAME", std::string(policy::obligation_name(o)));
        // What it asks in the reader's language, as `policy explain` says it beside the name.
        set_text(*row, "LABEL", t.tr(policy::obligation_description(o).data()));
    }
}

Result<Reply> policy_page(Site& site, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Policy")},
        {"T_IN_FORCE", tr_noop("The policy in force")},
        {"T_EXPLAIN", tr_noop("Explain a decision")},
        {"T_EXPLAIN_INTRO", tr_noop("Ask the engine what it would decide for a person now, and why. Nothing is recorded.")},
        {"T_AS", tr_noop("Person")},
        {"T_ACTION", tr_noop("Action")},
        {"T_TARGET", tr_noop("Account (platform/handle or number), or the handover's number")},
        {"T_ASK", tr_noop("Explain")},
        {"T_FACTS", tr_noop("Facts")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_SCOPE", tr_noop("Access")},
        {"T_TERM", tr_noop("Term")},
        {"T_HOLDER", tr_noop("Checked out by")},
        {"T_STATE", tr_noop("State")},
        {"T_RECEIVER", tr_noop("Receiver")},
        {"T_OUTGOING", tr_noop("Outgoing")},
        {"T_WITNESS", tr_noop("Witness")},
        {"T_RULES", tr_noop("Rules")},
        {"T_OBLIGATIONS", tr_noop("Obligations")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::set_policy, "admin/policy"));
    PolicyState state = BRANKAS_TRY(brankas::policy_state(vault));
    const policy::TimeZone& zone = state.policy.time_zone;
    Page page(visit.t, "admin_policy");
    admin_menu(page, "policy");
    page.words(words);
    auto& body = page.body();
    if (state.document) {
        body.SetValue("DOCUMENT", *state.document);
        body.SetValue("SET", fill(visit.t.tr(tr_noop("Set by %1$s on %2$s.")), {state.set_by, format_zoned(state.set_us, zone)}));
    } else {
        // The defaults as `policy show` writes them, their comments in the reader's language.
        body.SetValue("DOCUMENT", policy::render_policy_document(state.policy, [&](const char* id) { return std::string(visit.t.tr(id)); }));
        set_text(body, "SET", visit.t.tr(tr_noop("No policy was set: the built-in defaults are in force.")));
    }
    std::string chosen_as = field(visit, "as"), chosen_action = field(visit, "action");
    body.SetValue("AS", chosen_as);
    body.SetValue("TARGET", field(visit, "target"));
    for (const UserInfo& u : BRANKAS_TRY(brankas::list_users(vault))) {
        ctemplate::TemplateDictionary* option = body.AddSectionDictionary("PERSON_OPTION");
        option->SetValue("NAME", u.name);
        if (u.name == chosen_as) option->ShowSection("SELECTED");
    }
    for (policy::Action a : policy::all_actions()) {
        ctemplate::TemplateDictionary* option = body.AddSectionDictionary("ACTION_OPTION");
        option->SetValue("VALUE", std::string(policy::action_name(a)));
        set_text(*option, "LABEL", visit.t.tr(policy::action_description(a).data()));
        if (policy::action_name(a) == chosen_action) option->ShowSection("SELECTED");
    }
    if (auto q = BRANKAS_TRY(question_of(vault, visit, site.clock().now_us())))
        show_explanation(page, visit.t, BRANKAS_TRY(brankas::explain(vault, *q)), zone);
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Policy"))))));
}

} // namespace

std::span<const Route> admin_policy_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin/policy", Who::signed_in, &policy_page},
    };
    return routes;
}

} // namespace brankas::web
