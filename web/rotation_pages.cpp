// The custodian's extras on an account: a password change in two steps (start: a generated
// pending password, shown once its event committed; set it on the platform; then confirm or
// abort; until then the pending password can be shown again, each time an event), and the
// deactivation checklist of an account whose term ended. The engine decides each step.
#include "faces/dates.hpp"
#include "policy/built_in_checklist.hpp"
#include "policy/engine.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/log/actions.hpp"
#include "vault/secrets/secrets.hpp"
#include "web/admin_page.hpp"
#include "web/site.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace brankas::web {

namespace {

constexpr Words rotation_words[] = {
    {"T_BACK", tr_noop("Back to the account")},
    {"T_HEADING", tr_noop("Password change of")},
    {"T_INTRO", tr_noop("A new password is generated and kept as pending. Set it on the platform, then confirm it here; "
                        "until then the old one stays valid and both can be read.")},
    {"T_START", tr_noop("Generate a new password")},
    {"T_PENDING", tr_noop("Pending password")},
    {"T_COPY", tr_noop("Copy")},
    {"T_SET_IT", tr_noop("Set this password on the platform now, then confirm the change.")},
    {"T_REASON", tr_noop("Reason")},
    {"T_REASON_HINT", tr_noop("Why you need it: it is kept in the audit log.")},
    {"T_SHOW", tr_noop("Show the pending password")},
    {"T_CONFIRM", tr_noop("It is set on the platform: confirm")},
    {"T_ABORT", tr_noop("Abort the change")},
    {"T_BREAK_GLASS", tr_noop("Break the glass: the sub-district is outside every term (flagged in the audit log)")},
};

Result<std::int64_t> rotated_account_of_page(const Visit& visit) {
    std::string text = visit.match(1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return fail(ErrorCode::not_found, "no account " + text);
    return id;
}

// The account, once the engine lets this person read it and its history (a custodian of another
// sub-district: 403 and an access.denied event, never the page): asked first by every route here.
Result<AccountInfo> page_account(Visit& visit) {
    return readable_account(visit.person->vault, BRANKAS_TRY(rotated_account_of_page(visit)));
}

// A step's form as it was sent (its reason, the break-glass box), shown again below the reason it
// was refused: nothing typed is lost.
struct StepAgain {
    std::string reason;
    bool break_glass = false;
    FieldsRefused refused;
};

// The rotation page; `shown` is a password to show once (just generated, or asked for again).
Result<Reply> rotation_page(Visit& visit, const AccountInfo& a, const SecretBytes* shown, std::int64_t shown_version,
                            std::optional<std::string> notice = std::nullopt, const StepAgain* again = nullptr) {
    Session& vault = visit.person->vault;
    std::optional<std::int64_t> pending = BRANKAS_TRY(pending_rotation(vault, a.id));
    Page page(visit.t, "rotation");
    page.words(rotation_words);
    auto& body = page.body();
    body.SetIntValue("ID", static_cast<long>(a.id));
    // The heading may break after the platform, never inside the handle ("panwascam.jeti" / "s").
    body.SetValue("REF_PLATFORM", a.platform);
    body.SetValue("REF_HANDLE", a.handle);
    body.SetValue("CSRF", visit.person->csrf);
    if (shown) {
        ctemplate::TemplateDictionary* s = body.AddSectionDictionary("SHOWN");
        s->SetValue("VERSION_TEXT", fill(visit.t.tr(tr_noop("Version %s, shown once: this page is not kept.")), {std::to_string(shown_version)}));
        page.secret("PASSWORD", *shown);
        // The secret marker sits in the body's dictionary; the section sees it from there.
    }
    // A refused step comes back in the form that is offered now (the one it was sent from, unless
    // another tab started or ended the change meanwhile).
    ctemplate::TemplateDictionary* offered = nullptr;
    if (pending) {
        offered = body.AddSectionDictionary("PENDING");
        offered->SetValue("PENDING_TEXT", fill(visit.t.tr(tr_noop("Version %s is pending: set it on the platform, then confirm.")),
                                               {std::to_string(*pending)}));
    } else {
        offered = body.AddSectionDictionary("NONE_PENDING");
    }
    if (again) {
        offered->SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
        offered->SetValue("TYPED_REASON", again->reason);
    }
    // Outside every term a custodian starts a rotation only by break-glass, where the policy lets
    // their role break it (the engine decides; this only offers the box).
    const policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    const auto& breakers = policy.break_glass_roles;
    if (!pending && vault.role() == policy::Role::custodian && policy.break_glass_allowed &&
        std::find(breakers.begin(), breakers.end(), vault.role()) != breakers.end()) {
        ctemplate::TemplateDictionary* box = offered->AddSectionDictionary("CAN_BREAK_GLASS");
        if (again && again->break_glass) box->ShowSection("GLASS_CHECKED");
    }
    Frame frame = visit.frame(a.ref());
    frame.notice = std::move(notice);
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> show_rotation(Site&, Visit& visit) {
    AccountInfo a = BRANKAS_TRY(page_account(visit));
    // A role the matrix never lets rotate (an auditor) is refused the page as an admin's page is
    // refused to them: by the engine, recorded as access.denied, never a form whose every step
    // could only be refused. (Whether a custodian may rotate depends on the term and on the
    // break-glass the form carries: the steps ask.)
    Session& vault = visit.person->vault;
    if (!policy::role_may(vault.role(), policy::Action::rotate, policy::UnitScope::granted))
        BRANKAS_TRY(permit_on_account(vault, policy::Action::rotate, a));
    std::optional<std::string> notice;
    std::string done = visit.query("done");
    if (done == "confirmed") notice = std::string(visit.t.tr(tr_noop("The new password is now the current one.")));
    if (done == "aborted") notice = std::string(visit.t.tr(tr_noop("The change is aborted; the current password stays.")));
    // The custodian who broke the glass to start it finished it outside every term: flagged too.
    if (notice && visit.query("flagged") == "1")
        *notice += " " + std::string(visit.t.tr(tr_noop("It ended a break-glass rotation: flagged in the audit log.")));
    return rotation_page(visit, a, nullptr, 0, std::move(notice));
}

// What the vault does not take of a step's form (a reason missing or longer than it keeps) is said
// above the same form, filled in as it was sent; a refusal by the engine is the refusal page.
Result<Reply> step_refused(Visit& visit, const AccountInfo& a, const Error& e) {
    auto refused = refusal_of_fields(visit, e);
    if (!refused) return std::unexpected(e);
    StepAgain again{visit.form->text("reason").value_or(""), visit.form->text("break_glass").value_or("") == "1", std::move(*refused)};
    return rotation_page(visit, a, nullptr, 0, std::nullopt, &again);
}

Result<Reply> start_rotation_page(Site&, Visit& visit) {
    AccountInfo a = BRANKAS_TRY(page_account(visit));
    // The pending password comes back only once its event is in the log.
    const BreakGlass glass = visit.form->text("break_glass").value_or("") == "1" ? BreakGlass::yes : BreakGlass::no;
    const std::string reason = visit.form->text("reason").value_or("");
    auto started = start_rotation(visit.person->vault, a.id, reason, glass);
    if (!started) return step_refused(visit, a, started.error());
    return rotation_page(visit, a, &started->password, started->version);
}

Result<Reply> show_pending(Site&, Visit& visit) {
    AccountInfo a = BRANKAS_TRY(page_account(visit));
    auto r = reveal_secret(visit.person->vault, a.id, visit.form->text("reason").value_or(""), SecretPart::password, SecretVersionChoice::pending);
    if (!r) return step_refused(visit, a, r.error());
    return rotation_page(visit, a, &r->payload.password, r->version);
}

Result<Reply> confirm(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(page_account(visit)).id;
    ConfirmedRotation c = BRANKAS_TRY(confirm_rotation(visit.person->vault, id));
    return Reply::redirect("/accounts/" + std::to_string(id) + "/rotation?done=confirmed" + (c.break_glass ? "&flagged=1" : ""));
}

Result<Reply> abort(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(page_account(visit)).id;
    AbortedRotation r = BRANKAS_TRY(abort_rotation(visit.person->vault, id));
    return Reply::redirect("/accounts/" + std::to_string(id) + "/rotation?done=aborted" + (r.break_glass ? "&flagged=1" : ""));
}

// A step's tick as it was sent (its note), shown again below the reason it was refused.
struct TickAgain {
    std::string step, note;
    FieldsRefused refused;
};

Result<Reply> checklist_page_with(Visit& visit, const TickAgain* again) {
    static constexpr Words words[] = {
        {"T_BACK", tr_noop("Back to the account")},
        {"T_HEADING", tr_noop("Deactivation checklist of")},
        {"T_NOTE", tr_noop("Note")},
        {"T_TICK", tr_noop("Done")},
        {"T_COMPLETE", tr_noop("Every step is done.")},
    };
    Session& vault = visit.person->vault;
    AccountInfo a = BRANKAS_TRY(page_account(visit));
    bool problem_shown = false;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    auto list = BRANKAS_TRY(checklist(vault, a.id));
    Page page(visit.t, "checklist");
    page.words(words);
    auto& body = page.body();
    body.SetIntValue("ID", static_cast<long>(a.id));
    // The heading may break after the platform, never inside the handle ("panwascam.jeti" / "s").
    body.SetValue("REF_PLATFORM", a.platform);
    body.SetValue("REF_HANDLE", a.handle);
    if (!list) {
        body.SetValueAndShowSection("NO_LIST_TEXT", std::string(visit.t.tr(tr_noop("This account has no open deactivation checklist."))),
                                    "NO_LIST");
    } else {
        ctemplate::TemplateDictionary* l = body.AddSectionDictionary("LIST");
        l->SetValue("OPENED", fill(visit.t.tr(tr_noop("Opened %s.")), {format_zoned(list->opened_us, zone)}));
        for (const ChecklistStepInfo& s : list->steps) {
            ctemplate::TemplateDictionary* step = l->AddSectionDictionary("STEP");
            step->SetValue("STEP_ID", s.id);
            // A built-in step in the visitor's language; a step the policy wrote, as written.
            const char* built_in = policy::built_in_step_text(s.id, s.text);
            step->SetValue("TEXT", built_in != nullptr ? std::string(visit.t.tr(built_in)) : s.text);
            if (s.done) {
                std::string done = fill(visit.t.tr(tr_noop("done %s by %s")), {format_zoned(s.done_us, zone), s.done_by});
                if (!s.note.empty()) done += ": " + s.note;
                step->SetValueAndShowSection("DONE_TEXT", done, "DONE");
            } else {
                if (s.waits && s.wait_until_us)
                    step->SetValueAndShowSection("WAIT_TEXT", fill(visit.t.tr(tr_noop("not before %s")), {format_zoned(*s.wait_until_us, zone)}),
                                                 "WAITS");
                // An auditor never ticks a step (the role matrix): no form that could only be refused.
                if (vault.role() != policy::Role::auditor) {
                    ctemplate::TemplateDictionary* open = step->AddSectionDictionary("OPEN");
                    open->SetValue("CSRF", visit.person->csrf);
                    if (again && again->step == s.id) {
                        open->SetValueAndShowSection("PROBLEM", again->refused.sentence, "HAS_PROBLEM");
                        open->SetValue("TYPED_NOTE", again->note);
                        problem_shown = true;
                    }
                }
            }
        }
        if (list->complete()) l->ShowSection("COMPLETE");
    }
    // The step is no longer open (ticked meanwhile in another tab): the sentence alone.
    if (again && !problem_shown) body.SetValueAndShowSection("PROBLEM", again->refused.sentence, "PROBLEM_ALONE");
    Frame frame = visit.frame(a.ref());
    if (visit.query("done") == "1") frame.notice = std::string(visit.t.tr(tr_noop("The step is ticked in the log.")));
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> checklist_page(Site&, Visit& visit) { return checklist_page_with(visit, nullptr); }

Result<Reply> tick(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(page_account(visit)).id;
    const std::string step = visit.form->text("step").value_or(""), note = visit.form->text("note").value_or("");
    auto ticked = tick_checklist(visit.person->vault, id, step, note);
    if (ticked) return Reply::redirect("/accounts/" + std::to_string(id) + "/checklist?done=1");
    // A note longer than the vault keeps (or a step not yet due) is said at the step, its note as typed.
    auto refused = refusal_of_fields(visit, ticked.error());
    if (!refused) return std::unexpected(ticked.error());
    TickAgain again{step, note, std::move(*refused)};
    return checklist_page_with(visit, &again);
}

} // namespace

std::span<const Route> rotation_routes() {
    static constexpr std::array routes{
        Route{Method::get, R"(/accounts/(\d+)/rotation)", Who::signed_in, &show_rotation},
        Route{Method::post, R"(/accounts/(\d+)/rotation/start)", Who::signed_in, &start_rotation_page},
        Route{Method::post, R"(/accounts/(\d+)/rotation/show)", Who::signed_in, &show_pending},
        Route{Method::post, R"(/accounts/(\d+)/rotation/confirm)", Who::signed_in, &confirm},
        Route{Method::post, R"(/accounts/(\d+)/rotation/abort)", Who::signed_in, &abort},
        Route{Method::get, R"(/accounts/(\d+)/checklist)", Who::signed_in, &checklist_page},
        Route{Method::post, R"(/accounts/(\d+)/checklist)", Who::signed_in, &tick},
    };
    return routes;
}

} // namespace brankas::web
