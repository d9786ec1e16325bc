// The admin's sub-districts and people: adding a sub-district; adding a person (their one-time
// enrollment code shown once, on the answer to the form), granting and revoking a custodian's
// sub-districts, disabling a person. The same Session functions as `unit add` and `user
// add/grant/revoke/disable`; the engine decides each.
#include "faces/dates.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>

namespace brankas::web {

namespace {

// A form of these pages as it was sent, shown again above the reason it was refused. `disabling`
// names the person whose disable form it was (its reason and re-key box kept in that row).
struct FormAgain {
    std::string code, name, role, unit;
    FieldsRefused refused;
    std::string disabling, reason;
    bool rekey = false;
};

Result<Reply> units_page_with(Visit& visit, const FormAgain* again) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Sub-districts")},
        {"T_INTRO", tr_noop("Each sub-district has its own key: only the people granted it can open its passwords.")},
        {"T_CODE", tr_noop("Region code")},
        {"T_NAME", tr_noop("Name")},
        {"T_ACCOUNTS", tr_noop("Accounts")},
        {"T_HOLDERS", tr_noop("Who holds its key")},
        {"T_NONE", tr_noop("There are no sub-districts yet.")},
        {"T_ADD", tr_noop("Add a sub-district")},
        {"T_CODE_HINT", tr_noop("The official code of the sub-district, e.g. 35.02.01.")},
        {"T_SUBMIT", tr_noop("Add the sub-district")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_units, "admin/units"));
    Page page(visit.t, "admin_units");
    admin_menu(page, "units");
    page.words(words);
    page.body().SetValue("CSRF", visit.person->csrf);
    auto units = BRANKAS_TRY(brankas::list_units(vault));
    if (units.empty()) page.body().ShowSection("EMPTY");
    for (const UnitInfo& u : units) {
        ctemplate::TemplateDictionary* row = page.body().AddSectionDictionary("UNIT");
        row->SetValue("CODE", u.code);
        row->SetValue("NAME", u.name);
        row->SetIntValue("ACCOUNTS", static_cast<long>(u.accounts));
        row->SetValue("HOLDERS", joined_list(u.key_holders));
    }
    Frame frame = visit.frame(visit.t.tr(tr_noop("Sub-districts")));
    static constexpr Notice notices[] = {{"add", tr_noop("The sub-district is added, with a key of its own.")}};
    notice_from_query(visit, frame, notices);
    if (again) {
        page.body().SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
        page.body().SetValue("NEW_CODE", again->code);
        page.body().SetValue("NEW_NAME", again->name);
    }
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> units_page(Site&, Visit& visit) { return units_page_with(visit, nullptr); }

Result<Reply> add_unit(Site&, Visit& visit) {
    auto added = brankas::add_unit(visit.person->vault, field(visit, "code"), field(visit, "name"));
    if (added) return Reply::redirect("/admin/units?done=add");
    auto refused = refusal_of_fields(visit, added.error());
    if (!refused) return std::unexpected(added.error());
    FormAgain again{field(visit, "code"), field(visit, "name"), {}, {}, std::move(*refused), {}, {}, false};
    return units_page_with(visit, &again);
}

Result<Reply> people_page_with(Visit& visit, const FormAgain* again) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("People")},
        {"T_INTRO", tr_noop("Who can open the vault, in which role, and which sub-districts a custodian keeps.")},
        {"T_UNITS", tr_noop("Sub-districts")},
        {"T_GRANT", tr_noop("Grant")},
        {"T_REVOKE", tr_noop("Revoke")},
        {"T_REVOKE_HINT", tr_noop("Revoking gives the sub-district a new key and marks its passwords for a change.")},
        {"T_DISABLE", tr_noop("Disable")},
        {"T_REKEY", tr_noop("also give the store a new key")},
        {"T_DISABLE_REASON", tr_noop("Reason (needed when a second person must approve the new key)")},
        {"T_REKEY_HINT", tr_noop("With a new key, a copy of the old key (or of the store) that the person may have kept opens nothing "
                                 "written from now on; everyone signed in signs in again.")},
        {"T_DISABLE_HINT", tr_noop("A disabled person can no longer open the vault; the sub-districts whose key they held get new keys.")},
        {"T_ADD", tr_noop("Add a person")},
        {"T_NAME", tr_noop("Name")},
        {"T_NAME_HINT", tr_noop("The name they sign in with: lower-case letters, digits, '.', '_' or '-'.")},
        {"T_ROLE", tr_noop("Role")},
        {"T_UNIT", tr_noop("Sub-district (custodians)")},
        {"T_NO_UNIT", tr_noop("none")},
        {"T_SUBMIT", tr_noop("Add and show the enrollment code")},
        {"T_ADMIN", tr_noop("admin")},
        {"T_CUSTODIAN", tr_noop("custodian")},
        {"T_AUDITOR", tr_noop("auditor")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_people, "admin/people"));
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    auto units = BRANKAS_TRY(brankas::list_units(vault));
    Page page(visit.t, "admin_people");
    admin_menu(page, "people");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    for (const UnitInfo& u : units) {
        ctemplate::TemplateDictionary* option = body.AddSectionDictionary("UNIT_OPTION");
        option->SetValue("CODE", u.code);
        option->SetValue("NAME", u.name);
        if (again && u.code == again->unit) option->ShowSection("SELECTED");
    }
    if (again && again->disabling.empty()) {
        body.SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
        body.SetValue("NEW_NAME", again->name);
        body.ShowSection(again->role == "auditor" ? "AUDITOR_CHOSEN" : again->role == "admin" ? "ADMIN_CHOSEN" : "CUSTODIAN_CHOSEN");
    }
    bool disable_shown = false;
    for (const UserInfo& u : BRANKAS_TRY(brankas::list_users(vault))) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("PERSON");
        row->SetValue("NAME", u.name);
        row->SetValue("CSRF", visit.person->csrf);
        set_text(*row, "ROLE", visit.t.tr(role_label(u.role)));
        set_text(*row, "STATUS", visit.t.tr(person_status_label(u.status)));
        row->SetValue("STATUS_CLASS", u.status == "active" ? "active" : "archived");
        if (u.slot && u.slot->kind == SlotKind::enrollment && u.slot->expires_us != 0)
            row->SetValueAndShowSection("EXPIRES", fill(visit.t.tr(tr_noop("enrollment code valid until %s")),
                                                        {format_zoned(u.slot->expires_us, policy.time_zone)}),
                                        "HAS_EXPIRES");
        if (u.role == "custodian") {
            ctemplate::TemplateDictionary* keeps = row->AddSectionDictionary("CUSTODIAN");
            keeps->SetValue("UNITS", joined_list(u.units));
            if (u.status != "disabled") {
                ctemplate::TemplateDictionary* grant = keeps->AddSectionDictionary("CAN_GRANT");
                for (const UnitInfo& unit : units) {
                    if (std::find(u.units.begin(), u.units.end(), unit.code) != u.units.end()) continue;
                    grant->AddSectionDictionary("GRANT_OPTION")->SetValue("CODE", unit.code);
                }
                if (!u.units.empty()) {
                    ctemplate::TemplateDictionary* revoke = keeps->AddSectionDictionary("CAN_REVOKE");
                    for (const std::string& code : u.units) revoke->AddSectionDictionary("REVOKE_OPTION")->SetValue("CODE", code);
                }
            }
        }
        if (u.status != "disabled" && u.name != vault.user() && (u.role == "admin" || u.role == "custodian" || u.role == "auditor")) {
            ctemplate::TemplateDictionary* form = row->AddSectionDictionary("CAN_DISABLE");
            if (again && !again->disabling.empty() && again->disabling == u.name) {
                form->SetValueAndShowSection("PROBLEM", again->refused.sentence, "DISABLE_PROBLEM");
                form->SetValue("TYPED_REASON", again->reason);
                if (again->rekey) form->ShowSection("REKEY_CHECKED");
                disable_shown = true;
            }
        }
    }
    // The person is no longer offered the form (disabled meanwhile): the sentence alone.
    if (again && !again->disabling.empty() && !disable_shown)
        body.SetValueAndShowSection("PROBLEM", again->refused.sentence, "PROBLEM_ALONE");
    Frame frame = visit.frame(visit.t.tr(tr_noop("People")));
    static constexpr Notice notices[] = {
        {"grant", tr_noop("The sub-district is granted: its key is sealed to the custodian.")},
        {"revoke", tr_noop("The sub-district is revoked. It has a new key, and its passwords are due for a change on the platform.")},
        {"disable", tr_noop("The person is disabled.")},
        {"rekey", tr_noop("The person is disabled, and the store is now encrypted under a new key: everyone else signs in again.")},
        {"rekey-unfinished", tr_noop("The person is disabled. The store could not be encrypted under its new key yet (is the disk "
                                     "full?); the next opening of the vault finishes it.")},
    };
    notice_from_query(visit, frame, notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> admin_people_page(Site&, Visit& visit) { return people_page_with(visit, nullptr); }

// The answer to the form shows the code once: it is in no page the browser keeps or can fetch again.
Result<Reply> add_person_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Enrollment code, shown once")},
        {"T_GIVE", tr_noop("Give this code to the person yourself, not by chat or e-mail. With it they choose their own passphrase.")},
        {"T_HOW", tr_noop("They open this vault's address in a browser and enroll there with their name and this code.")},
        {"T_BACK", tr_noop("Back to the people")},
    };
    Session& vault = visit.person->vault;
    std::string name = field(visit, "name");
    auto role = policy::parse_role(field(visit, "role"));
    if (!role || (*role != policy::Role::admin && *role != policy::Role::custodian && *role != policy::Role::auditor))
        return fail(ErrorCode::usage, std::string(visit.t.tr(tr_noop("Choose admin, custodian or auditor."))));
    std::vector<std::string> units;
    if (std::string unit = field(visit, "unit"); !unit.empty() && *role == policy::Role::custodian) units.push_back(unit);
    auto added = add_person(vault, name, *role, units);
    if (!added) {
        auto refused = refusal_of_fields(visit, added.error());
        if (!refused) return std::unexpected(added.error());
        FormAgain again{{}, name, field(visit, "role"), field(visit, "unit"), std::move(*refused), {}, {}, false};
        return people_page_with(visit, &again);
    }
    EnrollmentCode code = std::move(*added);
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    Page page(visit.t, "admin_code");
    admin_menu(page, "people");
    page.words(words);
    page.body().SetValue("NAME", name);
    page.secret("CODE", code.code);
    page.body().SetValue("ADDED", fill(visit.t.tr(tr_noop("%1$s is added as %2$s.")), {name, visit.t.tr(role_label(policy::role_name(*role)))}));
    page.body().SetValue("UNTIL", fill(visit.t.tr(tr_noop("Valid until %s.")), {format_zoned(code.expires_us, policy.time_zone)}));
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Enrollment code, shown once"))))));
}

Result<Reply> grant(Site&, Visit& visit) {
    BRANKAS_TRY(brankas::grant(visit.person->vault, field(visit, "name"), field(visit, "unit")));
    return Reply::redirect("/admin/people?done=grant");
}

Result<Reply> revoke(Site&, Visit& visit) {
    if (!confirmed(visit)) {
        BRANKAS_TRY(admin_gate(visit, policy::Action::manage_people, "admin/people"));
        std::string name = field(visit, "name"), unit = field(visit, "unit");
        return confirmation_page(
            visit, {tr_noop("Revoke this sub-district?"),
                    fill(visit.t.tr(tr_noop("%1$s will no longer open the passwords of %2$s. The sub-district gets a new key, and its "
                                            "passwords are marked for a change on the platform.")),
                         {name, unit}),
                    fill(visit.t.tr(tr_noop("Revoke %2$s from %1$s")), {name, unit}),
                    {{"name", name}, {"unit", unit}}});
    }
    BRANKAS_TRY(brankas::revoke(visit.person->vault, field(visit, "name"), field(visit, "unit")));
    return Reply::redirect("/admin/people?done=revoke");
}

// `user disable NAME [--rekey]`: the people room's disable_user. With the re-key the store moves
// to a fresh key; every other open session then signs in again (web/site.cpp).
Result<Reply> disable(Site&, Visit& visit) {
    Session& vault = visit.person->vault;
    const bool rekey = field(visit, "rekey") == "1";
    auto refused_here = [&](const Error& e) -> Result<Reply> {
        // What the vault does not take of the form (a reason longer than it keeps, a request that
        // is no number) comes back in the person's row, as it was sent; the engine's refusal is
        // the refusal page.
        auto refused = refusal_of_fields(visit, e);
        if (!refused) return std::unexpected(e);
        FormAgain again{{}, {}, {}, {}, std::move(*refused), field(visit, "name"), field(visit, "reason"), rekey};
        return people_page_with(visit, &again);
    };
    if (!confirmed(visit)) BRANKAS_TRY(admin_gate(visit, policy::Action::manage_people, "admin/people"));
    auto request = request_in_form(visit);
    if (!request) return refused_here(request.error());
    DisableAsk ask{rekey ? StoreRekey::yes : StoreRekey::no, field(visit, "reason"), *request};
    if (!confirmed(visit)) {
        // What the vault would refuse of the form is said now, not after the confirming click.
        if (auto checked = check_disable_ask(vault, ask); !checked) return refused_here(checked.error());
        std::string name = field(visit, "name"), request_field = field(visit, "request");
        std::string what = fill(visit.t.tr(tr_noop("%s will no longer open the vault, and the sub-districts whose key they held get new keys.")),
                                {name});
        if (rekey && !ask.request && BRANKAS_TRY(policy_in_force(vault)).dual_control.covers(policy::DualAction::rekey))
            what = fill(visit.t.tr(tr_noop("A new key for the store needs a second person's approval: this asks for it, and %s stays "
                                           "active until the approval is used.")),
                        {name});
        else if (rekey)
            what += " " + std::string(visit.t.tr(tr_noop("The store is also encrypted under a new key: everyone else who is signed in "
                                                          "signs in again.")));
        return confirmation_page(visit, {tr_noop("Disable this person?"), std::move(what), fill(visit.t.tr(tr_noop("Disable %s")), {name}),
                                         {{"name", name}, {"rekey", rekey ? "1" : ""}, {"reason", field(visit, "reason")}, {"request", request_field}}});
    }
    const std::uint32_t generation_before = vault.store_generation();
    auto disabled = disable_user(vault, field(visit, "name"), ask);
    if (!disabled) return refused_here(disabled.error());
    DisableReceipt receipt = std::move(*disabled);
    // Under dual control the re-key waits for a second person: the request's page says how it goes on.
    if (receipt.awaiting) return Reply::redirect("/approvals/" + std::to_string(receipt.awaiting->request) + "?done=requested-rekey");
    // From here the disable has committed, whatever follows.
    if (!rekey) return Reply::redirect("/admin/people?done=disable");
    return Reply::redirect(vault.store_generation() == generation_before ? "/admin/people?done=rekey-unfinished" : "/admin/people?done=rekey");
}

} // namespace

std::span<const Route> admin_people_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin/units", Who::signed_in, &units_page},
        Route{Method::post, "/admin/units", Who::signed_in, &add_unit},
        Route{Method::get, "/admin/people", Who::signed_in, &admin_people_page},
        Route{Method::post, "/admin/people", Who::signed_in, &add_person_page},
        Route{Method::post, "/admin/people/grant", Who::signed_in, &grant},
        Route{Method::post, "/admin/people/revoke", Who::signed_in, &revoke},
        Route{Method::post, "/admin/people/disable", Who::signed_in, &disable},
    };
    return routes;
}

} // namespace brankas::web
