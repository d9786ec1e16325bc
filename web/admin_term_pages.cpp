// The admin's terms (masa tugas): the windows in which a sub-district's accounts are usable.
// Adding, extending and ending one, as `term add/extend/end` do: dates are whole days in the
// policy's zone, and a term ends at the end of its last day.
#include "faces/dates.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

const char* term_state(const TermInfo& t, std::int64_t now, std::int64_t grace_us) {
    if (now < t.start_us) return tr_noop("upcoming");
    if (now < t.end_us) return tr_noop("under way");
    if (now < t.end_us + grace_us) return tr_noop("in its grace period");
    return tr_noop("ended");
}

// The first instant of the day a date field names; ErrorCode::usage, in the reader's language.
Result<std::int64_t> day_of(const Visit& visit, std::string_view name, const policy::TimeZone& zone) {
    std::string text = field(visit, name);
    auto at = parse_date(text, zone);
    if (!at) return fail(ErrorCode::usage, fill(visit.t.tr(tr_noop("'%s' is not a date: write it as YYYY-MM-DD.")), {text}));
    return *at;
}

// The add form as it was sent, shown again above the reason it was refused; or, where `row` names
// a term, that term's extend or end form (`row_form`), its field as sent.
enum class RowForm { none, extend, end };
struct TermAgain {
    std::string name, start, end, units;
    std::string problem; // translated
    int status = 200;
    RowForm row_form = RowForm::none;
    std::string row, row_value;
};

Result<Reply> terms_page_with(Site& site, Visit& visit, const TermAgain* again) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Terms")},
        {"T_INTRO", tr_noop("A sub-district's accounts are usable inside a term and its grace period; after it, the enforcer deactivates them.")},
        {"T_NONE", tr_noop("There are no terms yet.")},
        {"T_FROM", tr_noop("First day")},
        {"T_LAST", tr_noop("Last day")},
        {"T_UNITS", tr_noop("Sub-districts")},
        {"T_UNITS_HINT", tr_noop("Region codes separated by commas; empty: every sub-district, including those added later.")},
        {"T_OWN_ENDS", tr_noop("Own ends")},
        {"T_EXTEND", tr_noop("Extend")},
        {"T_NEW_LAST", tr_noop("New last day")},
        {"T_END", tr_noop("End now")},
        {"T_END_HINT", tr_noop("Ending a term closes it today for the sub-districts named (empty: all of them).")},
        {"T_ADD", tr_noop("Add a term")},
        {"T_NAME", tr_noop("Name")},
        {"T_SUBMIT", tr_noop("Add the term")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_terms, "admin/terms"));
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    const policy::TimeZone& zone = policy.time_zone;
    std::int64_t now = site.clock().now_us();
    Page page(visit.t, "admin_terms");
    admin_menu(page, "terms");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    body.SetValue("ZONE", zone.name);
    auto terms = BRANKAS_TRY(brankas::list_terms(vault));
    if (terms.empty()) body.ShowSection("EMPTY");
    bool row_shown = false;
    for (const TermInfo& t : terms) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("TERM");
        row->SetValue("NAME", t.name);
        row->SetValue("CSRF", visit.person->csrf);
        row->SetValue("FROM", format_date(t.start_us, zone));
        row->SetValue("LAST", format_last_day(t.end_us, zone));
        set_text(*row, "STATE", visit.t.tr(term_state(t, now, policy.term_grace_us)));
        std::vector<std::string> named, own;
        for (const TermUnitEnd& u : t.units) {
            if (!t.all_units) named.push_back(u.unit);
            if (u.end_us) own.push_back(u.unit + " " + format_last_day(*u.end_us, zone));
        }
        if (t.all_units) set_text(*row, "UNITS", visit.t.tr(tr_noop("every sub-district")));
        else row->SetValue("UNITS", joined_list(named));
        if (!own.empty()) row->SetValueAndShowSection("OWN", joined_list(own), "HAS_OWN");
        if (now < t.end_us + policy.term_grace_us) {
            ctemplate::TemplateDictionary* open = row->AddSectionDictionary("OPEN");
            if (again && again->row_form != RowForm::none && again->row == t.name) {
                const bool extend = again->row_form == RowForm::extend;
                open->SetValueAndShowSection("PROBLEM", again->problem, extend ? "EXTEND_PROBLEM" : "END_PROBLEM");
                open->SetValue(extend ? "TYPED_END" : "TYPED_UNITS", again->row_value);
                row_shown = true;
            }
        }
    }
    // The term is no longer open (its grace period ran out meanwhile): the sentence alone.
    if (again && again->row_form != RowForm::none && !row_shown) body.SetValueAndShowSection("PROBLEM", again->problem, "PROBLEM_ALONE");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Terms")));
    static constexpr Notice notices[] = {
        {"add", tr_noop("The term is added.")},
        {"extend", tr_noop("The term is extended.")},
        {"end", tr_noop("The term is ended.")},
    };
    notice_from_query(visit, frame, notices);
    if (again && again->row_form == RowForm::none) {
        body.SetValueAndShowSection("PROBLEM", again->problem, "HAS_PROBLEM");
        body.SetValue("NEW_NAME", again->name);
        body.SetValue("NEW_START", again->start);
        body.SetValue("NEW_END", again->end);
        body.SetValue("NEW_UNITS", again->units);
    }
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->status : 200);
}

Result<Reply> terms_page(Site& site, Visit& visit) { return terms_page_with(site, visit, nullptr); }

Result<Reply> add_term(Site& site, Visit& visit) {
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    Status added = [&]() -> Status {
        std::int64_t start = BRANKAS_TRY(day_of(visit, "start", zone));
        std::int64_t end = BRANKAS_TRY(day_of(visit, "end", zone)) + policy::day_us;
        BRANKAS_TRY(brankas::add_term(vault, field(visit, "name"), start, end, field_list(visit, "units")));
        return {};
    }();
    if (added) return Reply::redirect("/admin/terms?done=add");
    // A date it cannot read, an end before the start, a name taken, a sub-district that is none:
    // said above the same form, filled in as sent; a refusal by the engine is the refusal page.
    auto refused = refusal_of_fields(visit, added.error());
    if (!refused) return std::unexpected(added.error());
    TermAgain again{field(visit, "name"), field(visit, "start"), field(visit, "end"), field(visit, "units"), std::move(refused->sentence),
                    refused->status, RowForm::none, {}, {}};
    return terms_page_with(site, visit, &again);
}

// A row's form refused for what it says (a date it cannot read, an end before the last one, a
// sub-district that is none, a term not yet begun): the terms page again, the sentence and the
// field as sent in that term's row; a refusal by the engine is the refusal page.
Result<Reply> row_refused(Site& site, Visit& visit, RowForm form, const Error& e) {
    auto refused = refusal_of_fields(visit, e);
    if (!refused) return std::unexpected(e);
    TermAgain again{{}, {}, {}, {}, std::move(refused->sentence), refused->status, form, field(visit, "name"),
                    field(visit, form == RowForm::extend ? "end" : "units")};
    return terms_page_with(site, visit, &again);
}

Result<Reply> extend_term(Site& site, Visit& visit) {
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    Status extended = [&]() -> Status {
        std::int64_t end = BRANKAS_TRY(day_of(visit, "end", zone)) + policy::day_us;
        BRANKAS_TRY(brankas::extend_term(vault, field(visit, "name"), end, field_list(visit, "units")));
        return {};
    }();
    if (!extended) return row_refused(site, visit, RowForm::extend, extended.error());
    return Reply::redirect("/admin/terms?done=extend");
}

Result<Reply> end_term(Site& site, Visit& visit) {
    if (!confirmed(visit)) {
        BRANKAS_TRY(admin_gate(visit, policy::Action::manage_terms, "admin/terms"));
        std::string name = field(visit, "name"), units = field(visit, "units");
        std::string what = units.empty() ? fill(visit.t.tr(tr_noop("The term %s ends today for all its sub-districts.")), {name})
                                         : fill(visit.t.tr(tr_noop("The term %1$s ends today for %2$s.")), {name, joined_list(split_list(units))});
        what += " " + std::string(visit.t.tr(tr_noop("Once its grace period is over, the enforcer deactivates the accounts that no other term "
                                                      "covers.")));
        return confirmation_page(visit, {tr_noop("End this term now?"), std::move(what), fill(visit.t.tr(tr_noop("End %s now")), {name}),
                                         {{"name", name}, {"units", units}}});
    }
    auto ended = brankas::end_term(visit.person->vault, field(visit, "name"), field_list(visit, "units"));
    if (!ended) return row_refused(site, visit, RowForm::end, ended.error());
    return Reply::redirect("/admin/terms?done=end");
}

} // namespace

std::span<const Route> admin_term_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin/terms", Who::signed_in, &terms_page},
        Route{Method::post, "/admin/terms", Who::signed_in, &add_term},
        Route{Method::post, "/admin/terms/extend", Who::signed_in, &extend_term},
        Route{Method::post, "/admin/terms/end", Who::signed_in, &end_term},
    };
    return routes;
}

} // namespace brankas::web
