// What the admin's pages (web/admin_*.cpp) share: the gate in front of each page, which asks the
// engine and records a refusal as access.denied (a custodian or auditor who opens an admin page
// gets 403, never the page), the admin's menu, and reading a form's plain fields.
#pragma once

#include "policy/policy.hpp"
#include "vault/error.hpp"
#include "web/site.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brankas::web {

// The engine's permission for `action` on the admin page `target` ("admin/people"), or the
// recorded refusal.
[[nodiscard]] Status admin_gate(Visit& visit, policy::Action action, std::string_view target);

// The admin's menu above each admin page, with `current` ("people") marked.
void admin_menu(Page& page, std::string_view current);

// A role as `user list` names it ("custodian"), as a message of the catalogue to translate.
[[nodiscard]] const char* role_label(std::string_view role);
// A person's status as `user list` names it ("active", "disabled", "pending"), likewise.
[[nodiscard]] const char* person_status_label(std::string_view status);

// A refusal of what a form's fields say (a usage error: 400; a conflict, such as a name taken:
// 409; something named that is none: 404), in the reader's language, to show above the same form
// filled in as it was sent; nullopt for any other error (a refusal by the engine is the refusal
// page, as on every form).
struct FieldsRefused {
    int status = 400;
    std::string sentence;
};
// With FieldHint::shown, a usage error's hint follows its sentence: for a form whose fields' hints
// say what a valid value is and no command to type (an account's details: where a handle goes
// wrong, how a phone number is written), so that the browser says what the command line does.
enum class FieldHint { left_out, shown };
[[nodiscard]] std::optional<FieldsRefused> refusal_of_fields(const Visit& visit, const Error& e, FieldHint hint = FieldHint::left_out);

// A field of the posted form, with surrounding blanks removed; empty when absent.
[[nodiscard]] std::string field(const Visit& visit, std::string_view name);
// The values of a field that lists several, one per line or separated by commas ("35.02.01,
// 35.02.02"), blanks removed, empty entries dropped.
[[nodiscard]] std::vector<std::string> field_list(const Visit& visit, std::string_view name);
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

// The n-th group of the route's pattern as a positive number; ErrorCode::not_found otherwise
// (`what` names it in the error: "account", "handover").
[[nodiscard]] Result<std::int64_t> number_in_path(const Visit& visit, std::size_t n, std::string_view what);
// The form's "request" (under dual control, the approved request to use): none when it is empty,
// a usage error unless it is a number from 1.
[[nodiscard]] Result<std::optional<std::int64_t>> request_in_form(const Visit& visit);

// A value set in `dict` (escaped when expanded).
void set_text(ctemplate::TemplateDictionary& dict, const char* marker, std::string_view value);

// The keyring slots that are not the ones the log recorded, each in `brankas status`'s sentence in
// the reader's language: those damaged or missing, or (`damaged_only`) only the damaged ones, of
// which `audit verify` speaks (a disabled person's slot goes: missing is no verification's business).
[[nodiscard]] Result<std::vector<std::string>> slot_sentences(Session& vault, const Translator& t, bool damaged_only);
// "a, b, c", or `none` when empty.
[[nodiscard]] std::string joined_list(const std::vector<std::string>& items, std::string_view none = "-");

// The notice a page shows after one of its forms: the `done` query parameter looked up in
// `notices` (marker -> message), translated.
struct Notice {
    const char* done;
    const char* msgid;
};
void notice_from_query(const Visit& visit, Frame& frame, std::span<const Notice> notices);

// A step that cannot be taken back in one click (disabling a person, ending a term, revoking a
// sub-district) is asked twice. The row's button posts its form to the step's own address; a
// form without "confirmed=1" does nothing but show confirmation_page(), which says what will
// happen and posts the same fields again with "confirmed=1", beside a link back to the page.
// Nothing of the form goes into an address (a reason stays out of the history and the logs),
// and no script is needed (the CSP allows none inline).
[[nodiscard]] bool confirmed(const Visit& visit);
struct Confirmation {
    const char* heading;                                    // a msgid
    std::string what;                                       // translated: what will happen
    std::string button;                                     // translated: the step, named
    std::vector<std::pair<const char*, std::string>> fields; // the form's fields, carried as sent
};
[[nodiscard]] Result<Reply> confirmation_page(const Visit& visit, const Confirmation& c);

} // namespace brankas::web
