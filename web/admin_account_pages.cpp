// The admin's accounts: every account of every sub-district, adding one, editing its details,
// archiving it, and giving it a new password (typed twice, or generated). The same vault
// functions as `account add/edit/archive` and `secret set`; the engine decides each.
#include "vault/accounts/accounts.hpp"
#include "vault/field_rules.hpp"
#include "vault/secrets/password_generator.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace brankas::web {

namespace {

const char* status_label(AccountStatus status) {
    switch (status) {
    case AccountStatus::active: return tr_noop("active");
    case AccountStatus::deactivated: return tr_noop("deactivated");
    case AccountStatus::archived: return tr_noop("archived");
    }
    return tr_noop("active");
}

// The platforms by the names refs use, two of which are words of English: they are said in
// the reader's language beside the name.
void platform_choices(ctemplate::TemplateDictionary& dict, std::string_view chosen, const Translator& t) {
    for (std::string_view p : platforms) {
        ctemplate::TemplateDictionary* option = dict.AddSectionDictionary("PLATFORM_OPTION");
        set_text(*option, "VALUE", p);
        set_text(*option, "LABEL", p == "email"   ? std::string_view(t.tr(tr_noop("email (an e-mail box)")))
                                   : p == "other" ? std::string_view(t.tr(tr_noop("other (any other platform)")))
                                                  : p);
        if (p == chosen) option->ShowSection("SELECTED");
    }
}

// The add form as it was sent, shown again above the reason it was refused: nothing typed is lost.
struct AddAgain {
    std::string unit, platform, handle, email, phone, url;
    std::string problem; // translated
    int status = 200;
};

Result<Reply> accounts_page(Visit& visit, const AddAgain* again) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Accounts")},
        {"T_INTRO", tr_noop("Every account of every sub-district. Open one to edit it, archive it or give it a new password.")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_NONE", tr_noop("There are no accounts yet.")},
        {"T_ADD", tr_noop("Add an account")},
        {"T_PLATFORM", tr_noop("Platform")},
        {"T_HANDLE", tr_noop("Username on the platform")},
        {"T_EMAIL", tr_noop("Login e-mail")},
        {"T_PHONE", tr_noop("Login phone")},
        {"T_URL", tr_noop("Address")},
        {"T_OPTIONAL", tr_noop("optional")},
        {"T_SUBMIT", tr_noop("Add the account")},
        {"T_NO_UNITS", tr_noop("Add a sub-district first: every account belongs to one.")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_accounts, "admin/accounts"));
    Page page(visit.t, "admin_accounts");
    admin_menu(page, "accounts");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    auto units = BRANKAS_TRY(brankas::list_units(vault));
    if (units.empty()) body.ShowSection("NO_UNITS");
    else {
        ctemplate::TemplateDictionary* form = body.AddSectionDictionary("ADD_FORM");
        for (const UnitInfo& u : units) {
            ctemplate::TemplateDictionary* option = form->AddSectionDictionary("UNIT_OPTION");
            option->SetValue("CODE", u.code);
            option->SetValue("NAME", u.name);
            if (again && u.code == again->unit) option->ShowSection("SELECTED");
        }
        platform_choices(*form, again ? std::string_view(again->platform) : std::string_view("instagram"), visit.t);
        if (again) {
            form->SetValueAndShowSection("PROBLEM", again->problem, "HAS_PROBLEM");
            form->SetValue("HANDLE", again->handle);
            form->SetValue("EMAIL", again->email);
            form->SetValue("PHONE", again->phone);
            form->SetValue("URL", again->url);
        }
    }
    ctemplate::TemplateDictionary* group = nullptr;
    std::string current;
    std::size_t shown = 0;
    for (const AccountInfo& a : BRANKAS_TRY(list_accounts(vault, {}))) {
        if (group == nullptr || current != a.unit) {
            group = body.AddSectionDictionary("UNIT");
            group->SetValue("CODE", a.unit);
            auto u = std::find_if(units.begin(), units.end(), [&](const UnitInfo& info) { return info.code == a.unit; });
            if (u != units.end()) group->SetValue("NAME", u->name);
            current = a.unit;
        }
        ctemplate::TemplateDictionary* row = group->AddSectionDictionary("ACCOUNT");
        row->SetIntValue("ID", static_cast<long>(a.id));
        row->SetValue("PLATFORM", a.platform);
        row->SetValue("HANDLE", a.handle);
        set_text(*row, "STATUS", visit.t.tr(status_label(a.status)));
        row->SetValue("STATUS_CLASS", std::string(account_status_name(a.status)));
        if (a.rotation_due) set_text(*row->AddSectionDictionary("ROTATION_DUE"), "ROTATION", visit.t.tr(tr_noop("password change due")));
        if (a.version == 0) set_text(*row->AddSectionDictionary("NO_PASSWORD"), "TEXT", visit.t.tr(tr_noop("no password yet")));
        ++shown;
    }
    if (shown == 0) body.ShowSection("EMPTY");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Accounts")));
    static constexpr Notice notices[] = {{"archive", tr_noop("The account is archived.")}};
    notice_from_query(visit, frame, notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->status : 200);
}

Result<Reply> admin_list_page(Site&, Visit& visit) { return accounts_page(visit, nullptr); }

Result<Reply> add(Site&, Visit& visit) {
    AccountInput input{field(visit, "platform"), field(visit, "handle"), field(visit, "email"), field(visit, "phone"), field(visit, "url")};
    const std::string unit = field(visit, "unit");
    auto added = add_account(visit.person->vault, unit, input);
    if (added) return Reply::redirect("/admin/accounts/" + std::to_string(added->id) + "?done=add");
    // What was typed wrong (a handle, an address, one that exists already, a sub-district gone
    // meanwhile) is said above the same form, filled in as it was sent; a refusal by the engine
    // is the refusal page, as on every form.
    auto refused = refusal_of_fields(visit, added.error(), FieldHint::shown);
    if (!refused) return std::unexpected(added.error());
    AddAgain again{unit, input.platform, input.handle, input.email, input.phone, input.url, std::move(refused->sentence), refused->status};
    return accounts_page(visit, &again);
}

// One of the account's forms as it was sent, shown again below the reason it was refused: the
// details, or the new password's reason (a typed password is never put back into a page: its two
// fields come back empty, and the page says so) or the generated one's length and reason.
enum class AccountForm { details, password, generate };
struct EditAgain {
    AccountForm form = AccountForm::details;
    std::string platform, handle, email, phone, url;
    std::string length, reason;
    FieldsRefused refused;
};

Result<Reply> admin_account_page_with(Visit& visit, const EditAgain* again) {
    static constexpr Words words[] = {
        {"T_BACK", tr_noop("Back to the accounts")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_STATUS", tr_noop("Status")},
        {"T_VERSION", tr_noop("Password version")},
        {"T_EDIT", tr_noop("Details")},
        {"T_PLATFORM", tr_noop("Platform")},
        {"T_HANDLE", tr_noop("Username on the platform")},
        {"T_EMAIL", tr_noop("Login e-mail")},
        {"T_PHONE", tr_noop("Login phone")},
        {"T_URL", tr_noop("Address")},
        {"T_SAVE", tr_noop("Save the details")},
        {"T_PASSWORD_HEADING", tr_noop("New password")},
        {"T_PASSWORD_INTRO", tr_noop("Store the password the account has on the platform now. The vault keeps the older ones.")},
        {"T_PASSWORD", tr_noop("Password")},
        {"T_PASSWORD_AGAIN", tr_noop("The password again")},
        {"T_REASON", tr_noop("Reason")},
        {"T_STORE", tr_noop("Store this password")},
        {"T_GENERATE_HEADING", tr_noop("Or let the vault make one")},
        {"T_LENGTH", tr_noop("Length")},
        {"T_GENERATE", tr_noop("Generate and store a password")},
        {"T_GENERATE_HINT", tr_noop("Nobody sees it now: whoever changes the password on the platform checks it out.")},
        {"T_ARCHIVE_HEADING", tr_noop("Archive")},
        {"T_ARCHIVE_HINT", tr_noop("An archived account stays in the vault and its history, but nobody can check it out or change it.")},
        {"T_ARCHIVE", tr_noop("Archive this account")},
        {"T_TYPE_AGAIN", tr_noop("Type the password in both fields again: a page never shows it.")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_accounts, "admin/accounts"));
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "account"));
    AccountInfo a = BRANKAS_TRY(find_account(vault, std::to_string(id)));
    Page page(visit.t, "admin_account");
    admin_menu(page, "accounts");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    body.SetIntValue("ID", static_cast<long>(a.id));
    body.SetValue("REF_PLATFORM", a.platform);
    body.SetValue("REF_HANDLE", a.handle);
    body.SetValue("UNIT", a.unit);
    set_text(body, "STATUS", visit.t.tr(status_label(a.status)));
    body.SetValue("STATUS_CLASS", std::string(account_status_name(a.status)));
    if (a.version == 0) set_text(body, "VERSION", visit.t.tr(tr_noop("no password yet")));
    else body.SetIntValue("VERSION", static_cast<long>(a.version));
    if (a.rotation_due) set_text(*body.AddSectionDictionary("ROTATION_DUE"), "ROTATION", visit.t.tr(tr_noop("password change due")));
    if (a.status != AccountStatus::archived) {
        ctemplate::TemplateDictionary* forms = body.AddSectionDictionary("CHANGEABLE");
        const EditAgain* details = again && again->form == AccountForm::details ? again : nullptr;
        forms->SetValue("HANDLE", details ? details->handle : a.handle);
        forms->SetValue("EMAIL", details ? details->email : a.email);
        forms->SetValue("PHONE", details ? details->phone : a.phone);
        forms->SetValue("URL", details ? details->url : a.url);
        platform_choices(*forms, details ? details->platform : a.platform, visit.t);
        forms->SetValue("LENGTH", again && again->form == AccountForm::generate ? again->length : std::string("20"));
        if (again) {
            const char* problem = again->form == AccountForm::details    ? "HAS_PROBLEM"
                                  : again->form == AccountForm::password ? "PASSWORD_PROBLEM"
                                                                         : "GENERATE_PROBLEM";
            forms->SetValueAndShowSection("PROBLEM", again->refused.sentence, problem);
            forms->SetValue(again->form == AccountForm::password ? "PASSWORD_REASON" : "GENERATE_REASON", again->reason);
        }
        forms->SetIntValue("MIN_LENGTH", static_cast<long>(min_generated_length));
        forms->SetIntValue("MAX_LENGTH", static_cast<long>(max_generated_length));
    }
    Frame frame = visit.frame(a.ref());
    static constexpr Notice notices[] = {
        {"add", tr_noop("The account is added. Give it its password below.")},
        {"edit", tr_noop("The details are saved.")},
        {"password", tr_noop("The password is stored as a new version.")},
        {"generated", tr_noop("A generated password is stored as a new version. Check the account out to see it.")},
    };
    notice_from_query(visit, frame, notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> admin_account_page(Site&, Visit& visit) { return admin_account_page_with(visit, nullptr); }

Result<Reply> edit(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "account"));
    AccountEdit change{field(visit, "platform"), field(visit, "handle"), field(visit, "email"), field(visit, "phone"), field(visit, "url")};
    auto edited = edit_account(visit.person->vault, id, change);
    if (edited) return Reply::redirect("/admin/accounts/" + std::to_string(id) + "?done=edit");
    // As on the add form: what the vault does not take is said above the same form, filled in
    // as it was sent; a refusal by the engine is the refusal page.
    auto refused = refusal_of_fields(visit, edited.error(), FieldHint::shown);
    if (!refused) return std::unexpected(edited.error());
    EditAgain again{AccountForm::details, field(visit, "platform"), field(visit, "handle"), field(visit, "email"), field(visit, "phone"),
                    field(visit, "url"), {}, {}, std::move(*refused)};
    return admin_account_page_with(visit, &again);
}

Result<Reply> archive(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "account"));
    BRANKAS_TRY(archive_account(visit.person->vault, id));
    return Reply::redirect("/admin/accounts?done=archive");
}

// A new password's form refused for what it says (the two passwords differ, a reason longer than
// the vault keeps): the account's page again, the reason (and the length asked for) as sent, the
// sentence above; a refusal by the engine is the refusal page.
Result<Reply> password_refused(Visit& visit, AccountForm form, const Error& e) {
    auto refused = refusal_of_fields(visit, e);
    if (!refused) return std::unexpected(e);
    EditAgain again{form, {}, {}, {}, {}, {}, field(visit, "length"), field(visit, "reason"), std::move(*refused)};
    return admin_account_page_with(visit, &again);
}

// A typed password: the two fields must agree. Read from the form into secure memory only.
Result<Reply> set_password(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "account"));
    std::optional<SecretBytes> typed = visit.form->secret("password");
    std::optional<SecretBytes> again = visit.form->secret("password_again");
    if (!typed || typed->size() == 0)
        return password_refused(visit, AccountForm::password, Error{ErrorCode::usage, std::string(visit.t.tr(tr_noop("Type the password.")))});
    if (!again || !typed->equals(ByteView(again->data(), again->size())))
        return password_refused(visit, AccountForm::password,
                                Error{ErrorCode::usage, std::string(visit.t.tr(tr_noop("The two passwords differ. Type them again.")))});
    SecretInput input;
    input.password = std::move(*typed);
    input.reason = field(visit, "reason");
    input.rest = SecretRest::kept; // the form asks for the password only: the TOTP seed and the rest stay
    auto stored = brankas::set_secret(visit.person->vault, id, input);
    if (!stored) return password_refused(visit, AccountForm::password, stored.error());
    return Reply::redirect("/admin/accounts/" + std::to_string(id) + "?done=password");
}

// A generated password, as `secret set --generate --length N`: stored, never shown here.
Result<Reply> generate(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "account"));
    std::string length_text = field(visit, "length");
    PasswordRules rules;
    auto [end, ec] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), rules.length);
    if (ec != std::errc() || end != length_text.data() + length_text.size())
        return password_refused(visit, AccountForm::generate,
                                Error{ErrorCode::usage, std::string(visit.t.tr(tr_noop("The length must be a number.")))});
    SecretInput input;
    auto generated = generate_password(rules);
    if (!generated) return password_refused(visit, AccountForm::generate, generated.error());
    input.password = std::move(*generated);
    input.reason = field(visit, "reason");
    input.rest = SecretRest::kept;
    auto stored = brankas::set_secret(visit.person->vault, id, input);
    if (!stored) return password_refused(visit, AccountForm::generate, stored.error());
    return Reply::redirect("/admin/accounts/" + std::to_string(id) + "?done=generated");
}

} // namespace

std::span<const Route> admin_account_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin/accounts", Who::signed_in, &admin_list_page},
        Route{Method::post, "/admin/accounts", Who::signed_in, &add},
        Route{Method::get, R"(/admin/accounts/(\d+))", Who::signed_in, &admin_account_page},
        Route{Method::post, R"(/admin/accounts/(\d+)/edit)", Who::signed_in, &edit},
        Route{Method::post, R"(/admin/accounts/(\d+)/archive)", Who::signed_in, &archive},
        Route{Method::post, R"(/admin/accounts/(\d+)/password)", Who::signed_in, &set_password},
        Route{Method::post, R"(/admin/accounts/(\d+)/generate)", Who::signed_in, &generate},
    };
    return routes;
}

} // namespace brankas::web
