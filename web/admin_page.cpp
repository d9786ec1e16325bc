#include "web/admin_page.hpp"

#include "faces/error_text.hpp"
#include "faces/slot_problems.hpp"

#include <charconv>

namespace brankas::web {

Status admin_gate(Visit& visit, policy::Action action, std::string_view target) {
    return visit.person->vault.permit(action, target);
}

void admin_menu(Page& page, std::string_view current) {
    struct Item {
        const char* id;
        const char* path;
        const char* msgid;
    };
    static constexpr Item items[] = {
        {"status", "/admin", tr_noop("Status")},
        {"accounts", "/admin/accounts", tr_noop("Accounts")},
        {"units", "/admin/units", tr_noop("Sub-districts")},
        {"people", "/admin/people", tr_noop("People")},
        {"terms", "/admin/terms", tr_noop("Terms")},
        {"handovers", "/admin/handovers", tr_noop("Handovers")},
        {"policy", "/admin/policy", tr_noop("Policy")},
    };
    ctemplate::TemplateDictionary* menu = page.body().AddIncludeDictionary("ADMIN_MENU");
    menu->SetFilename("templates/admin_menu.tpl");
    static constexpr Words words[] = {{"T_MENU", tr_noop("Administration")}};
    page.words(*menu, words);
    for (const Item& item : items) {
        ctemplate::TemplateDictionary* row = menu->AddSectionDictionary("ITEM");
        row->SetValue("ID", item.id);
        row->SetValue("PATH", item.path);
        set_text(*row, "LABEL", page.t().tr(item.msgid));
        if (current == item.id) row->ShowSection("CURRENT");
    }
}

const char* role_label(std::string_view role) {
    if (role == "admin") return tr_noop("admin");
    if (role == "custodian") return tr_noop("custodian");
    if (role == "auditor") return tr_noop("auditor");
    if (role == "enforcer") return tr_noop("enforcer");
    return tr_noop("recovery");
}

const char* person_status_label(std::string_view status) {
    if (status == "active") return tr_noop("active");
    if (status == "disabled") return tr_noop("disabled");
    return tr_noop("waiting to enroll");
}

std::optional<FieldsRefused> refusal_of_fields(const Visit& visit, const Error& e, FieldHint hint) {
    if (e.code != ErrorCode::usage && e.code != ErrorCode::conflict && e.code != ErrorCode::not_found) return std::nullopt;
    faces::ErrorText text = faces::error_text(e, [&](const char* id) { return visit.t.tr(id); });
    if (hint == FieldHint::shown && e.code == ErrorCode::usage && !text.hint.empty()) text.message += ": " + text.hint;
    return FieldsRefused{http_status(e.code), std::move(text.message)};
}

std::string field(const Visit& visit, std::string_view name) {
    std::string value = visit.form ? visit.form->text(name).value_or("") : visit.query(name);
    std::size_t first = value.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    std::size_t last = value.find_last_not_of(" \t\r\n");
    return value.substr(first, last - first + 1);
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        std::size_t first = item.find_first_not_of(" \t\r");
        if (first != std::string::npos) out.push_back(item.substr(first, item.find_last_not_of(" \t\r") - first + 1));
        item.clear();
    };
    for (char c : text) {
        if (c == ',' || c == '\n') flush();
        else item += c;
    }
    flush();
    return out;
}

std::vector<std::string> field_list(const Visit& visit, std::string_view name) { return split_list(field(visit, name)); }

Result<std::int64_t> number_in_path(const Visit& visit, std::size_t n, std::string_view what) {
    std::string text = visit.match(n);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return fail(ErrorCode::not_found, "no " + std::string(what) + " " + text);
    return id;
}

Result<std::optional<std::int64_t>> request_in_form(const Visit& visit) {
    std::string asked = visit.form->text("request").value_or("");
    if (asked.empty()) return std::optional<std::int64_t>{};
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(asked.data(), asked.data() + asked.size(), number);
    if (ec != std::errc() || end != asked.data() + asked.size() || number <= 0)
        return fail(ErrorCode::usage, std::string(visit.t.tr(tr_noop("A request's number is 1 or more."))));
    return std::optional<std::int64_t>(number);
}

Result<std::vector<std::string>> slot_sentences(Session& vault, const Translator& t, bool damaged_only) {
    std::vector<std::string> out;
    for (const SlotCheck& c : BRANKAS_TRY(check_slots(vault))) {
        if (damaged_only && c.state != SlotState::damaged) continue;
        if (auto line = faces::slot_problem(c, c.principal, [&t](const char* id) { return t.tr(id); })) out.push_back(std::move(*line));
    }
    return out;
}

void set_text(ctemplate::TemplateDictionary& dict, const char* marker, std::string_view value) {
    dict.SetValue(marker, ctemplate::TemplateString(value.data(), value.size()));
}

std::string joined_list(const std::vector<std::string>& items, std::string_view none) {
    if (items.empty()) return std::string(none);
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

void notice_from_query(const Visit& visit, Frame& frame, std::span<const Notice> notices) {
    std::string done = visit.query("done");
    for (const Notice& n : notices)
        if (done == n.done) frame.notice = std::string(visit.t.tr(n.msgid));
}

bool confirmed(const Visit& visit) { return visit.form && visit.form->text("confirmed").value_or("") == "1"; }

Result<Reply> confirmation_page(const Visit& visit, const Confirmation& c) {
    static constexpr Words words[] = {{"T_BACK", tr_noop("No, back to the page")}};
    Page page(visit.t, "confirm");
    page.words(words);
    auto& body = page.body();
    std::string_view heading = visit.t.tr(c.heading);
    set_text(body, "HEADING", heading);
    body.SetValue("WHAT", c.what);
    body.SetValue("BUTTON", c.button);
    body.SetValue("ACTION", visit.path);
    body.SetValue("CSRF", visit.person->csrf);
    body.SetValue("BACK_TO", visit.form_page.empty() ? std::string("/accounts") : visit.form_page);
    for (const auto& [name, value] : c.fields) {
        ctemplate::TemplateDictionary* field = body.AddSectionDictionary("FIELD");
        field->SetValue("NAME", name);
        field->SetValue("VALUE", value);
    }
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(heading))));
}

} // namespace brankas::web
