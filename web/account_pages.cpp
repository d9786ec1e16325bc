// The custodian's daily flow: the accounts of their sub-districts, an account's page, check out
// with a reason and a duration, the password shown once (after its event committed), check in.
// Every decision is the engine's, through the same vault functions as the command line.
#include "faces/dates.hpp"
#include "policy/document.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/log/actions.hpp"
#include "vault/units/units.hpp"
#include "web/admin_page.hpp"
#include "web/durations.hpp"
#include "web/site.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

namespace brankas::web {

namespace {

const char* status_words(AccountStatus status) {
    switch (status) {
    case AccountStatus::active: return tr_noop("active");
    case AccountStatus::deactivated: return tr_noop("deactivated");
    case AccountStatus::archived: return tr_noop("archived");
    }
    return tr_noop("active");
}

Result<std::int64_t> account_of_page(const Visit& visit) {
    std::string text = visit.match(1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return fail(ErrorCode::not_found, "no account " + text);
    return id;
}

// The account of the page, once the person may read it (readable_account): asked first by every
// route of an account, before anything is done.
Result<AccountInfo> readable_account_of_page(Visit& visit) {
    return readable_account(visit.person->vault, BRANKAS_TRY(account_of_page(visit)));
}

// The open check-outs, by account.
Result<std::map<std::int64_t, CheckoutInfo>> open_checkouts(Session& vault) {
    std::map<std::int64_t, CheckoutInfo> out;
    for (CheckoutInfo& c : BRANKAS_TRY(list_checkouts(vault, WhichCheckouts::open))) out.emplace(c.account, std::move(c));
    return out;
}

// "held by siti until 2029-03-01 14:00 WIB", or "overdue since ..." once past its end.
std::string hold_text(const Translator& t, const CheckoutInfo& c, const policy::TimeZone& zone, std::int64_t now_us) {
    const char* msg = c.until_us <= now_us ? tr_noop("held by %s, overdue since %s") : tr_noop("held by %s until %s");
    return fill(t.tr(msg), {c.holder, format_zoned(c.until_us, zone)});
}

// The accounts a list page shows at most: a national vault's list stays a small page, and the
// server reads the rows one at a time (for_each_account), never the whole list.
constexpr std::size_t accounts_per_page = 100;

// The page asked for (`?page=N`, from 1); anything else is the first.
std::size_t page_asked(const Visit& visit) {
    std::string text = visit.query("page");
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() && end == text.data() + text.size() && n >= 1 && n <= 1'000'000 ? n : 1;
}

Result<Reply> list_page(Site& site, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Accounts")},
        {"T_INTRO", tr_noop("The accounts of your sub-districts. Open one to check its password out.")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_ACCOUNT", tr_noop("Account")},
        {"T_STATUS", tr_noop("Status")},
        {"T_HOLDER", tr_noop("Checked out")},
        {"T_NONE", tr_noop("There are no accounts of your sub-districts.")},
        {"T_PAST_END", tr_noop("There are no accounts on this page: the list is shorter.")},
        {"T_EARLIER", tr_noop("Previous accounts")},
        {"T_LATER", tr_noop("Next accounts")},
    };
    Session& vault = visit.person->vault;
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    auto held = BRANKAS_TRY(open_checkouts(vault));
    std::int64_t now = site.clock().now_us();
    Page page(visit.t, "accounts");
    page.words(words);
    // An admin and an auditor see every sub-district's accounts, not "your" sub-districts'; an
    // auditor checks none out.
    const char* intro = vault.role() == policy::Role::auditor
                            ? tr_noop("The accounts of every sub-district. Open one to read its details and history: an auditor "
                                      "checks no password out.")
                        : vault.role() == policy::Role::admin ? tr_noop("The accounts of every sub-district. Open one to check its password out.")
                                                              : nullptr;
    if (intro != nullptr) {
        std::string_view text = visit.t.tr(intro);
        page.body().SetValue("T_INTRO", ctemplate::TemplateString(text.data(), text.size()));
        std::string_view none = visit.t.tr(tr_noop("There are no accounts yet."));
        page.body().SetValue("T_NONE", ctemplate::TemplateString(none.data(), none.size()));
    }
    const std::size_t number = page_asked(visit);
    const std::size_t skip = (number - 1) * accounts_per_page;
    // The accounts of the sub-districts the engine lets this person see (read_unit, as `account
    // list` asks it: a custodian their own, an admin or auditor every one, less what a [[forbid]]
    // rule takes away); for_each_account leaves out the rest, and hands the rows over one by one.
    ctemplate::TemplateDictionary* unit = nullptr;
    std::string current_unit;
    std::vector<std::pair<std::string, ctemplate::TemplateDictionary*>> headings; // each sub-district's, for its name
    std::size_t passed = 0, shown = 0;
    bool more = false;
    Status walked = for_each_account(vault, {}, AccountTimes::leave_out, [&](const AccountInfo& a) -> Status {
        if (passed++ < skip) return {};
        if (shown == accounts_per_page) {
            more = true; // one row past the page: there is a next one, and the walk stops here
            return fail(ErrorCode::conflict, "the page is full");
        }
        if (unit == nullptr || current_unit != a.unit) {
            unit = page.body().AddSectionDictionary("UNIT");
            unit->SetValue("CODE", a.unit);
            current_unit = a.unit;
            headings.emplace_back(a.unit, unit);
        }
        ctemplate::TemplateDictionary* row = unit->AddSectionDictionary("ACCOUNT");
        row->SetIntValue("ID", static_cast<long>(a.id));
        row->SetValue("PLATFORM", a.platform);
        row->SetValue("HANDLE", a.handle);
        std::string_view status = visit.t.tr(status_words(a.status));
        row->SetValue("STATUS", ctemplate::TemplateString(status.data(), status.size()));
        row->SetValue("STATUS_CLASS", std::string(account_status_name(a.status)));
        if (a.rotation_due) {
            std::string_view due = visit.t.tr(tr_noop("password change due"));
            row->SetValueAndShowSection("ROTATION", ctemplate::TemplateString(due.data(), due.size()), "ROTATION_DUE");
        }
        if (auto c = held.find(a.id); c != held.end())
            row->SetValueAndShowSection("HOLD", hold_text(visit.t, c->second, policy.time_zone, now), "HELD");
        else
            row->SetValueAndShowSection("FREE", std::string(visit.t.tr(tr_noop("available"))), "NOT_HELD");
        ++shown;
        return {};
    });
    if (!walked && !more) return std::unexpected(walked.error());
    // Each heading names its sub-district as people know it, beside the code: only the names of
    // the sub-districts on this page are read.
    std::set<std::string> codes;
    for (const auto& h : headings) codes.insert(h.first);
    const auto names = BRANKAS_TRY(unit_names(vault, codes));
    for (const auto& [code, heading] : headings)
        if (auto n = names.find(code); n != names.end()) heading->SetValue("NAME", n->second);
    // Past the last page (a link kept from when there were more): not "no accounts", and the
    // way back leads to the last page that has some.
    const bool past_end = shown == 0 && passed > 0;
    if (shown == 0) page.body().ShowSection(past_end ? "PAST_END" : "EMPTY");
    const std::size_t last_page = (passed + accounts_per_page - 1) / accounts_per_page;
    if (number > 1) page.body().SetValueAndShowSection("EARLIER_PAGE", std::to_string(past_end ? last_page : number - 1), "EARLIER");
    if (more) page.body().SetValueAndShowSection("LATER_PAGE", std::to_string(number + 1), "LATER");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Accounts")));
    if (visit.query("done") == "enrolled") frame.notice = std::string(visit.t.tr(tr_noop("You are enrolled; your passphrase now opens the vault.")));
    return Reply::page(BRANKAS_TRY(page.render(frame)));
}

// Break-glass, as `checkout --break-glass --reason`: offered to those the policy lets break the
// glass on an account they may see; the engine decides (outside every term, past another person's hold; refused where the CLI refuses
// it). Under dual control it records a request instead; the requester's approved requests for
// this account are offered here once each, as `checkout --break-glass --request ID`.
// A check-out form as it was sent, shown again below the reason it was refused (a reason longer
// than the vault takes, a hold someone took meanwhile): nothing typed is lost.
struct CheckoutAgain {
    std::string reason, duration;
    bool break_glass = false;
    FieldsRefused refused;
};

// The lengths a check-out may ask for, the one chosen (as sent: `chosen`, else the policy's
// default) selected.
void duration_options(const Visit& visit, ctemplate::TemplateDictionary& form, const policy::Policy& policy, const std::string* chosen) {
    const auto choices = duration_choices(policy);
    const bool sent = chosen != nullptr && std::any_of(choices.begin(), choices.end(),
                                                       [&](std::int64_t d) { return policy::format_duration(d) == *chosen; });
    for (std::int64_t d : choices) {
        const bool selected = sent ? policy::format_duration(d) == *chosen : d == policy.checkout_default_us;
        ctemplate::TemplateDictionary* choice = form.AddSectionDictionary("DURATION");
        ctemplate::TemplateDictionary* option = choice->AddSectionDictionary(selected ? "SELECTED" : "OTHER");
        option->SetValue("VALUE", policy::format_duration(d));
        option->SetValue("LABEL", duration_label(visit.t, d));
    }
}

void break_glass_forms(const Visit& visit, Page& page, const policy::Policy& policy, const AccountInfo& a, std::int64_t now,
                       const CheckoutAgain* again) {
    ctemplate::TemplateDictionary* form = page.body().AddSectionDictionary("BREAK_GLASS");
    form->SetIntValue("ID", static_cast<long>(a.id));
    form->SetValue("CSRF", visit.person->csrf);
    const bool sent_here = again != nullptr && again->break_glass;
    if (sent_here) {
        form->ShowSection("OPEN");
        form->SetValue("TYPED_REASON", again->reason);
    }
    duration_options(visit, *form, policy, sent_here ? &again->duration : nullptr);
    if (policy.dual_control.actions.empty()) return;
    // Reading what waits is not a change: if the listing is refused, the page simply offers none.
    auto waiting = list_approvals(visit.person->vault, WhichApprovals::waiting);
    if (!waiting) return;
    for (const ApprovalInfo& r : *waiting) {
        if (r.row.requester != visit.person->vault.user() || r.ref != a.ref() || r.standing(now) != "approved") continue;
        ctemplate::TemplateDictionary* use = page.body().AddSectionDictionary("APPROVED");
        use->SetIntValue("ID", static_cast<long>(a.id));
        use->SetIntValue("REQUEST", static_cast<long>(r.row.id));
        use->SetValue("CSRF", visit.person->csrf);
        use->SetValue("TEXT", fill(visit.t.tr(tr_noop("Request %1$s: %2$s, for %3$s, usable once until %4$s.")),
                                   {std::to_string(r.row.id), r.row.asked.reason, duration_label(visit.t, r.row.asked.duration_us),
                                    format_zoned(r.row.expires_us, policy.time_zone)}));
    }
}

Result<Reply> account_page_with(Site& site, Visit& visit, const CheckoutAgain* again) {
    static constexpr Words words[] = {
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_STATUS", tr_noop("Status")},
        {"T_EMAIL", tr_noop("Login e-mail")},
        {"T_PHONE", tr_noop("Login phone")},
        {"T_URL", tr_noop("Address")},
        {"T_HOLD", tr_noop("Check-out")},
        {"T_REASON", tr_noop("Reason")},
        {"T_REASON_HINT", tr_noop("Why you need it: it is kept in the audit log.")},
        {"T_DURATION", tr_noop("For how long")},
        {"T_CHECKOUT", tr_noop("Check out and show the password")},
        {"T_CHECKIN", tr_noop("Check in")},
        {"T_CHECKIN_HINT", tr_noop("Give it back when you are done: the password is then due for a change.")},
        {"T_BACK", tr_noop("Back to the accounts")},
        {"T_NO_PASSWORD", tr_noop("This account has no password in the vault yet.")},
        {"T_ROTATION", tr_noop("Change the password")},
        {"T_CHECKLIST", tr_noop("Deactivation checklist")},
        {"T_BREAK_GLASS", tr_noop("Break-glass check-out")},
        {"T_BREAK_GLASS_HINT", tr_noop("Only in an emergency: outside every term, or while someone else holds the account. It is flagged in the audit log, and the policy may ask a second person to approve it first.")},
        {"T_BREAK_GLASS_REASON_HINT", tr_noop("Say what happened: a reason is required.")},
        {"T_BREAK_GLASS_SUBMIT", tr_noop("Break the glass")},
        {"T_APPROVED", tr_noop("Approved for you")},
        {"T_USE", tr_noop("Use the approval and show the password")},
        {"T_AUDITOR", tr_noop("An auditor reads the accounts and their history, never a password: nothing is checked out here.")},
    };
    Session& vault = visit.person->vault;
    // The page shows who holds the account and why: its history, which the engine lets a
    // custodian read on their own sub-districts only. A refusal is an access.denied event.
    AccountInfo a = BRANKAS_TRY(readable_account_of_page(visit));
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    auto held = BRANKAS_TRY(open_checkouts(vault));
    std::int64_t now = site.clock().now_us();

    Page page(visit.t, "account");
    page.words(words);
    auto& body = page.body();
    body.SetIntValue("ID", static_cast<long>(a.id));
    body.SetValue("PLATFORM", a.platform);
    body.SetValue("HANDLE", a.handle);
    body.SetValue("UNIT", a.unit);
    std::string_view status = visit.t.tr(status_words(a.status));
    body.SetValue("STATUS", ctemplate::TemplateString(status.data(), status.size()));
    body.SetValue("STATUS_CLASS", std::string(account_status_name(a.status)));
    if (a.rotation_due) body.SetValueAndShowSection("ROTATION", std::string(visit.t.tr(tr_noop("password change due"))), "ROTATION_DUE");
    if (!a.email.empty()) body.SetValueAndShowSection("EMAIL", a.email, "HAS_EMAIL");
    if (!a.phone.empty()) body.SetValueAndShowSection("PHONE", a.phone, "HAS_PHONE");
    if (!a.url.empty()) body.SetValueAndShowSection("URL", a.url, "HAS_URL");
    body.SetValue("CSRF", visit.person->csrf);
    // An auditor may never check out, give back or change a password (the role matrix, which no
    // policy widens; they hold no sub-district's key): offered nothing that could only be refused
    // and recorded as a refusal in their name.
    const bool auditor = vault.role() == policy::Role::auditor;
    if (auditor) body.ShowSection("AUDITOR");
    else body.ShowSection("CAN_ROTATE");
    if (auto c = held.find(a.id); c != held.end()) {
        ctemplate::TemplateDictionary* hold = body.AddSectionDictionary("HELD");
        hold->SetValue("HOLD", hold_text(visit.t, c->second, policy.time_zone, now));
        if (!c->second.reason.empty()) hold->SetValueAndShowSection("REASON", c->second.reason, "HAS_REASON");
        // Offered to whoever sees the hold; the engine decides whether they may give it back.
        if (!auditor) hold->ShowSection("CAN_CHECKIN");
    } else if (a.version == 0) {
        body.ShowSection("NO_PASSWORD");
    } else if (!auditor) {
        ctemplate::TemplateDictionary* form = body.AddSectionDictionary("CAN_CHECKOUT");
        const bool sent_here = again != nullptr && !again->break_glass;
        form->ShowSection(policy.checkout_reason_required ? "REASON_REQUIRED" : "REASON_OPTIONAL");
        if (sent_here) form->SetValue("TYPED_REASON", again->reason);
        duration_options(visit, *form, policy, sent_here ? &again->duration : nullptr);
    }
    if (again) body.SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
    // Offered to the roles the policy lets break the glass (the engine decides again when sent).
    const auto& breakers = policy.break_glass_roles;
    if (a.version != 0 && a.status != AccountStatus::archived && policy.break_glass_allowed &&
        std::find(breakers.begin(), breakers.end(), vault.role()) != breakers.end())
        break_glass_forms(visit, page, policy, a, now, again);
    Frame frame = visit.frame(a.ref());
    std::string done = visit.query("done");
    if (done == "checkin") frame.notice = std::string(visit.t.tr(tr_noop("Checked in. Thank you.")));
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> account_page(Site& site, Visit& visit) { return account_page_with(site, visit, nullptr); }

Result<Reply> take(Site& site, Visit& visit) {
    Session& vault = visit.person->vault;
    std::int64_t id = BRANKAS_TRY(readable_account_of_page(visit)).id;
    CheckoutRequest request;
    request.reason = visit.form->text("reason").value_or("");
    // `checkout --break-glass`, and under dual control `--request ID`: an approved request, whose
    // reason and length are used unless the form gives them.
    request.break_glass = visit.form->text("break_glass").value_or("") == "1";
    request.approval_request = BRANKAS_TRY(request_in_form(visit));
    std::string duration = visit.form->text("duration").value_or("");
    if (!duration.empty()) {
        request.duration_us = policy::parse_duration(duration);
        if (!request.duration_us || *request.duration_us <= 0)
            return fail(ErrorCode::usage, std::string(visit.t.tr(tr_noop("Choose how long you need the account."))));
    }
    // The password comes back only once the check-out is in the log.
    auto taken = checkout(vault, id, request);
    if (!taken) {
        // What the vault does not take of the form (a reason too long, a hold taken meanwhile)
        // is said above the same form, filled in as it was sent; a refusal by the engine is the
        // refusal page, as on every form.
        auto refused = refusal_of_fields(visit, taken.error());
        if (!refused) return std::unexpected(taken.error());
        CheckoutAgain again{request.reason, duration, request.break_glass, std::move(*refused)};
        return account_page_with(site, visit, &again);
    }
    CheckoutReceipt receipt = std::move(*taken);
    // Dual control: nothing was checked out; the request it recorded waits for a second person.
    if (receipt.awaiting) return Reply::redirect("/approvals/" + std::to_string(receipt.awaiting->request) + "?done=requested");
    Reveal reveal{id, std::move(receipt), std::nullopt};
    if (reveal.receipt.payload.totp) reveal.totp_code = BRANKAS_TRY(totp_code_at(*reveal.receipt.payload.totp, site.clock().now_us()));
    // Kept until the page is fetched: only what the page shows (the password and the code), not
    // the TOTP seed, the recovery codes or the notes, which go (wiped) here.
    reveal.receipt.payload.totp.reset();
    reveal.receipt.payload.recovery_codes = SecretBytes();
    reveal.receipt.payload.notes = SecretBytes();
    visit.person->keep_reveal(std::move(reveal));
    return Reply::redirect("/accounts/" + std::to_string(id) + "/password");
}

Result<Reply> reveal_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("The login, shown once")},
        {"T_USERNAME", tr_noop("Username")},
        {"T_EMAIL", tr_noop("Login e-mail")},
        {"T_PASSWORD", tr_noop("Password")},
        {"T_TOTP", tr_noop("Code (two-step login)")},
        {"T_COPY", tr_noop("Copy")},
        {"T_COPIED", tr_noop("Copied. The clipboard is cleared in 45 seconds.")},
        {"T_ONCE", tr_noop("This page is shown once and is not kept by the browser. Leave it open while you log in.")},
        {"T_CHECKIN", tr_noop("Check in")},
        {"T_BACK", tr_noop("Back to the account")},
    };
    std::int64_t id = BRANKAS_TRY(account_of_page(visit));
    // Taken out of the session: a second visit finds nothing. Wiped when this request ends. (A
    // HEAD, which shows nothing, never gets here: web/site.cpp, refuse_head.)
    std::optional<Reveal> kept = visit.person->take_reveal(id);
    if (!kept) return Reply::redirect("/accounts/" + std::to_string(id));
    Reveal reveal = std::move(*kept);
    policy::Policy policy = BRANKAS_TRY(policy_in_force(visit.person->vault));
    const AccountInfo& a = reveal.receipt.account;
    Page page(visit.t, "reveal");
    page.words(words);
    auto& body = page.body();
    body.SetIntValue("ID", static_cast<long>(id));
    body.SetValue("REF", a.ref());
    body.SetValue("USERNAME", a.handle);
    if (!a.email.empty()) body.SetValueAndShowSection("EMAIL", a.email, "HAS_EMAIL");
    page.secret("PASSWORD", reveal.receipt.payload.password);
    if (reveal.totp_code) {
        body.ShowSection("HAS_TOTP");
        page.secret("TOTP", *reveal.totp_code);
    }
    body.SetValue("UNTIL", fill(visit.t.tr(tr_noop("It is yours until %s.")), {format_zoned(reveal.receipt.until_us, policy.time_zone)}));
    body.SetValue("CSRF", visit.person->csrf);
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(a.ref()))));
}

Result<Reply> give_back(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(readable_account_of_page(visit)).id;
    BRANKAS_TRY(checkin(visit.person->vault, id));
    (void)visit.person->take_reveal(id); // a password not fetched before the check-in is not shown after it
    return Reply::redirect("/accounts/" + std::to_string(id) + "?done=checkin");
}

} // namespace

std::span<const Route> account_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/accounts", Who::signed_in, &list_page},
        Route{Method::get, R"(/accounts/(\d+))", Who::signed_in, &account_page},
        Route{Method::post, R"(/accounts/(\d+)/checkout)", Who::signed_in, &take},
        Route{Method::get, R"(/accounts/(\d+)/password)", Who::signed_in, &reveal_page},
        Route{Method::post, R"(/accounts/(\d+)/checkin)", Who::signed_in, &give_back},
    };
    return routes;
}

} // namespace brankas::web
