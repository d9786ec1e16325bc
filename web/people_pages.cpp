// The district's sub-districts and people as the visitor may see them (`unit list`, `user
// list`): the vault leaves out what the policy does not show them (vault/unit_sight), so a
// custodian sees their own sub-districts and the people of those, an admin or an auditor all of
// them. A directory only: adding, granting and disabling are the admin's pages.
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

Result<Reply> custodian_people_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Sub-districts and people")},
        {"T_INTRO", tr_noop("The sub-districts you may see, and the people who keep them.")},
        {"T_UNITS", tr_noop("Sub-districts")},
        {"T_ACCOUNTS", tr_noop("Accounts")},
        {"T_HOLDERS", tr_noop("Who holds its key")},
        {"T_NO_UNITS", tr_noop("You see no sub-district.")},
        {"T_PEOPLE", tr_noop("People")},
        {"T_POSITION", tr_noop("Position")},
        {"T_NIP", tr_noop("NIP")},
    };
    Session& vault = visit.person->vault;
    Page page(visit.t, "people");
    page.words(words);
    auto& body = page.body();
    std::size_t units = 0;
    BRANKAS_TRY(for_each_unit(vault, [&](const UnitInfo& u) -> Status {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("UNIT");
        row->SetValue("CODE", u.code);
        row->SetValue("NAME", u.name);
        row->SetIntValue("ACCOUNTS", static_cast<long>(u.accounts));
        row->SetValue("HOLDERS", joined_list(u.key_holders));
        ++units;
        return {};
    }));
    if (units == 0) body.ShowSection("NO_UNITS");
    for (const UserInfo& u : BRANKAS_TRY(list_users(vault))) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("PERSON");
        row->SetValue("NAME", u.name);
        row->SetValue("FULL_NAME", u.record.full_name.value_or(""));
        set_text(*row, "ROLE", visit.t.tr(role_label(u.role)));
        if (!u.units.empty()) row->SetValueAndShowSection("UNITS", joined_list(u.units), "HAS_UNITS");
        if (u.record.position) row->SetValueAndShowSection("POSITION", *u.record.position, "HAS_POSITION");
        if (u.record.nip) row->SetValueAndShowSection("NIP", *u.record.nip, "HAS_NIP");
    }
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Sub-districts and people"))))));
}

} // namespace

std::span<const Route> people_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/people", Who::signed_in, &custodian_people_page},
    };
    return routes;
}

} // namespace brankas::web
