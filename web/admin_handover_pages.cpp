// The admin's handovers (serah terima): starting one for a sub-district, witnessing, completing
// and cancelling it, and its printable minutes once complete: the very Berita Acara `handover
// minutes --format html` writes (faces/handover_minutes.cpp), for A4. The receiver accepts with
// their own key (`handover accept`), the outgoing custodian releases it with theirs (`handover
// release`), an auditor named as witness witnesses with theirs (`handover witness`), each on
// their own page (web/custodian_handover_pages.cpp); every step is the engine's decision.
#include "faces/dates.hpp"
#include "faces/handover_minutes.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>
#include <cstring>

namespace brankas::web {

namespace {

const char* state_label(policy::HandoverState state) {
    switch (state) {
    case policy::HandoverState::started: return tr_noop("waiting for the receiver to accept");
    case policy::HandoverState::accepted: return tr_noop("accepted, waiting to be completed");
    case policy::HandoverState::witnessed: return tr_noop("witnessed, waiting to be completed");
    case policy::HandoverState::completed: return tr_noop("completed");
    case policy::HandoverState::cancelled: return tr_noop("cancelled");
    }
    return "";
}

// Whether the outgoing custodians' releases (`handover release`, on their /handovers/to-release)
// are still awaited, all given, or were never asked for (a handover started before releases).
std::string release_label(const HandoverInfo& h, const Translator& t) {
    if (!h.release_asked) return std::string(t.tr(tr_noop("not asked (started before releases were asked for)")));
    const std::vector<std::string> missing = h.unreleased();
    if (missing.empty()) return std::string(t.tr(tr_noop("given by every outgoing custodian")));
    if (h.state == policy::HandoverState::completed || h.state == policy::HandoverState::cancelled)
        return fill(t.tr(tr_noop("never given by %s")), {joined_list(missing)});
    return fill(t.tr(tr_noop("still awaited from %s")), {joined_list(missing)});
}

bool open(const HandoverInfo& h) { return h.state != policy::HandoverState::completed && h.state != policy::HandoverState::cancelled; }

// The start form as it was sent, shown again above the reason it was refused: the note typed for
// the minutes is not lost.
struct StartAgain {
    HandoverRequest request;
    std::string problem; // translated
    int status = 200;
};

Result<Reply> handovers_page(Visit& visit, const StartAgain* again) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Handovers")},
        {"T_INTRO", tr_noop("A handover moves a sub-district's accounts from its outgoing custodians to the next one: started here, "
                            "accepted by the receiver with their own key, witnessed when the policy asks, then completed.")},
        {"T_NONE", tr_noop("There are no handovers yet.")},
        {"T_START", tr_noop("Start a handover")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_RECEIVER", tr_noop("Receiver (a custodian)")},
        {"T_WITNESS", tr_noop("Witness (optional: an admin or auditor)")},
        {"T_NO_WITNESS", tr_noop("none")},
        {"T_NOTE", tr_noop("Note for the minutes")},
        {"T_SUBMIT", tr_noop("Start the handover")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::start_handover, "admin/handovers"));
    Page page(visit.t, "admin_handovers");
    admin_menu(page, "handovers");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    auto handovers = BRANKAS_TRY(handovers_in_vault(vault));
    if (handovers.empty()) body.ShowSection("EMPTY");
    for (const HandoverInfo& h : handovers) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("HANDOVER");
        row->SetIntValue("ID", static_cast<long>(h.id));
        row->SetValue("UNIT", h.unit + " " + h.unit_name);
        row->SetValue("PARTIES", joined_list(h.outgoing) + " \u2192 " + h.receiver);
        set_text(*row, "STATE", visit.t.tr(state_label(h.state)));
        if (!h.number.empty()) row->SetValueAndShowSection("NUMBER", h.number, "HAS_NUMBER");
    }
    const HandoverRequest* sent = again ? &again->request : nullptr;
    for (const UnitInfo& u : BRANKAS_TRY(brankas::list_units(vault))) {
        ctemplate::TemplateDictionary* option = body.AddSectionDictionary("UNIT_OPTION");
        option->SetValue("CODE", u.code);
        option->SetValue("NAME", u.name);
        if (sent && u.code == sent->unit) option->ShowSection("SELECTED");
    }
    for (const UserInfo& u : BRANKAS_TRY(brankas::list_users(vault))) {
        if (u.status == "disabled") continue;
        ctemplate::TemplateDictionary* option = nullptr;
        if (u.role == "custodian") {
            option = body.AddSectionDictionary("RECEIVER_OPTION");
            if (sent && u.name == sent->receiver) option->ShowSection("SELECTED");
        }
        if (u.role == "admin" || u.role == "auditor") {
            option = body.AddSectionDictionary("WITNESS_OPTION");
            if (sent && sent->witness && u.name == *sent->witness) option->ShowSection("SELECTED");
        }
        if (option) option->SetValue("NAME", u.name);
    }
    if (again) {
        body.SetValueAndShowSection("PROBLEM", again->problem, "HAS_PROBLEM");
        body.SetValue("NOTE", again->request.note);
    }
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Handovers"))))), again ? again->status : 200);
}

Result<Reply> handover_list_page(Site&, Visit& visit) { return handovers_page(visit, nullptr); }

Result<Reply> start_handover_page(Site&, Visit& visit) {
    HandoverRequest request;
    request.unit = field(visit, "unit");
    request.receiver = field(visit, "receiver");
    request.note = field(visit, "note");
    if (std::string witness = field(visit, "witness"); !witness.empty()) request.witness = witness;
    auto started = start_handover_of(visit.person->vault, request);
    if (started) return Reply::redirect("/admin/handovers/" + std::to_string(started->id) + "?done=start");
    // What stands in the way (a handover of the sub-district already open, a receiver who holds it
    // already, a note the minutes cannot print) is said above the same form, filled in as sent; a
    // refusal by the engine is the refusal page, as on every form.
    auto refused = refusal_of_fields(visit, started.error());
    if (!refused) return std::unexpected(started.error());
    StartAgain again{std::move(request), std::move(refused->sentence), refused->status};
    return handovers_page(visit, &again);
}

void step(ctemplate::TemplateDictionary& body, const char* marker, const Translator& t, const char* what, const HandoverStep& s,
          const policy::TimeZone& zone) {
    if (s.seq == 0) return;
    ctemplate::TemplateDictionary* row = body.AddSectionDictionary("STEP");
    row->SetValue("WHAT", fill(t.tr(what), {s.by, format_zoned(s.time_us, zone)}));
    row->SetValue("ID", marker);
    row->SetIntValue("SEQ", static_cast<long>(s.seq));
}

// The cancel form as it was sent (its reason), shown again below the reason it was refused.
struct CancelAgain {
    std::string reason;
    FieldsRefused refused;
};

Result<Reply> handover_page_with(Visit& visit, const CancelAgain* again) {
    static constexpr Words words[] = {
        {"T_BACK", tr_noop("Back to the handovers")},
        {"T_UNIT", tr_noop("Sub-district")},
        {"T_OUTGOING", tr_noop("Outgoing")},
        {"T_RECEIVER", tr_noop("Receiver")},
        {"T_WITNESS", tr_noop("Witness")},
        {"T_STATE", tr_noop("State")},
        {"T_RELEASE", tr_noop("Release by the outgoing")},
        {"T_NOTE", tr_noop("Note")},
        {"T_STEPS", tr_noop("Steps")},
        {"T_EVENT", tr_noop("event")},
        {"T_ACCOUNTS", tr_noop("Accounts handed over")},
        {"T_WITNESS_BUTTON", tr_noop("Witness this handover")},
        {"T_COMPLETE", tr_noop("Complete the handover")},
        {"T_COMPLETE_HINT", tr_noop("Completing grants the receiver, revokes the outgoing custodians, gives the sub-district a new key "
                                    "and marks every account handed over for a password change.")},
        {"T_CANCEL", tr_noop("Cancel the handover")},
        {"T_REASON", tr_noop("Reason")},
        {"T_MINUTES", tr_noop("The minutes (Berita Acara), to print")},
        {"T_NUMBER", tr_noop("Number")},
        {"T_CODE", tr_noop("Verification code")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::start_handover, "admin/handovers"));
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    HandoverInfo h = BRANKAS_TRY(handover_of(vault, id));
    const Translator& t = visit.t;
    Page page(visit.t, "admin_handover");
    admin_menu(page, "handovers");
    page.words(words);
    auto& body = page.body();
    body.SetValue("CSRF", visit.person->csrf);
    body.SetIntValue("ID", static_cast<long>(h.id));
    body.SetValue("HEADING", fill(t.tr(tr_noop("Handover %s")), {std::to_string(h.id)}));
    body.SetValue("UNIT", h.unit + " " + h.unit_name);
    body.SetValue("OUTGOING", joined_list(h.outgoing));
    body.SetValue("RECEIVER", h.receiver);
    body.SetValue("WITNESS", h.witness ? *h.witness : "-");
    set_text(body, "STATE", t.tr(state_label(h.state)));
    set_text(body, "RELEASE", release_label(h, t));
    body.SetValue("NOTE", h.note.empty() ? "-" : h.note);
    step(body, "started", t, tr_noop("started by %1$s on %2$s"), h.started, h.time_zone);
    // The outgoing custodians' releases, each signed with their own key (`handover release`).
    for (const HandoverStep& r : h.releases) step(body, "released", t, tr_noop("released by %1$s on %2$s"), r, h.time_zone);
    step(body, "accepted", t, tr_noop("accepted by %1$s on %2$s"), h.accepted, h.time_zone);
    step(body, "witnessed", t, tr_noop("witnessed by %1$s on %2$s"), h.witnessed, h.time_zone);
    step(body, "ended", t, h.state == policy::HandoverState::cancelled ? tr_noop("cancelled by %1$s on %2$s") : tr_noop("completed by %1$s on %2$s"), h.ended,
         h.time_zone);
    if (h.state == policy::HandoverState::completed && !h.unreleased().empty()) {
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("STEP");
        row->SetValue("WHAT", fill(t.tr(tr_noop("completed without the release of %s, as the policy allows")), {joined_list(h.unreleased())}));
        row->SetValue("ID", "unreleased");
        row->SetIntValue("SEQ", static_cast<long>(h.ended.seq));
    }
    for (const HandoverAccount& a : h.accounts) body.AddSectionDictionary("ACCOUNT")->SetValue("REF", a.platform + "/" + a.handle);
    if (open(h)) body.ShowSection("OPEN");
    if (h.state == policy::HandoverState::completed) {
        ctemplate::TemplateDictionary* done = body.AddSectionDictionary("COMPLETED");
        done->SetValue("NUMBER", h.number);
        done->SetValue("CODE", h.code);
    }
    Frame frame = visit.frame(fill(t.tr(tr_noop("Handover %s")), {std::to_string(h.id)}));
    static constexpr Notice notices[] = {
        {"start", tr_noop("The handover is started. The receiver accepts it with their own key (brankas handover accept).")},
        {"witness", tr_noop("You witnessed the handover.")},
        {"complete", tr_noop("The handover is completed.")},
        {"cancel", tr_noop("The handover is cancelled.")},
    };
    notice_from_query(visit, frame, notices);
    if (again) {
        // Beside the cancel form while it is offered; above the page once the handover ended meanwhile.
        body.SetValueAndShowSection("PROBLEM", again->refused.sentence, open(h) ? "HAS_PROBLEM" : "PROBLEM_ALONE");
        body.SetValue("TYPED_REASON", again->reason);
    }
    return Reply::page(BRANKAS_TRY(page.render(frame)), again ? again->refused.status : 200);
}

Result<Reply> handover_page(Site&, Visit& visit) { return handover_page_with(visit, nullptr); }

Result<Reply> witness(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    HandoverInfo h = BRANKAS_TRY(witness_handover_of(visit.person->vault, id));
    // An admin's witness completes the handover when nothing else is missing.
    return Reply::redirect("/admin/handovers/" + std::to_string(id) + (h.state == policy::HandoverState::completed ? "?done=complete" : "?done=witness"));
}

Result<Reply> complete(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    BRANKAS_TRY(complete_handover_of(visit.person->vault, id));
    return Reply::redirect("/admin/handovers/" + std::to_string(id) + "?done=complete");
}

Result<Reply> cancel(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    auto cancelled = cancel_handover_of(visit.person->vault, id, field(visit, "reason"));
    if (cancelled) return Reply::redirect("/admin/handovers/" + std::to_string(id) + "?done=cancel");
    // A reason longer than the vault keeps is said above the page, the reason kept in its form.
    auto refused = refusal_of_fields(visit, cancelled.error());
    if (!refused) return std::unexpected(cancelled.error());
    CancelAgain again{field(visit, "reason"), std::move(*refused)};
    return handover_page_with(visit, &again);
}

// The minutes as a document of their own (no frame, no menu), byte for byte what the command
// line writes. They carry their print style inline (<style> and one style attribute), so this
// page alone allows inline style; it allows no script, no other resource, no form.
Result<Reply> minutes(Site&, Visit& visit) {
    BRANKAS_TRY(admin_gate(visit, policy::Action::start_handover, "admin/handovers"));
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    HandoverInfo h = BRANKAS_TRY(handover_of(visit.person->vault, id));
    if (h.state != policy::HandoverState::completed)
        return fail(ErrorCode::conflict, fill(visit.t.tr(tr_noop("Handover %s is not completed: its minutes exist once it is.")),
                                              {std::to_string(h.id)}));
    std::string text = render_minutes(h, MinutesFormat::html);
    SecretBytes html(text.size());
    std::memcpy(html.data(), text.data(), text.size());
    Reply reply = Reply::page(std::move(html));
    reply.content_security_policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    return reply;
}

} // namespace

std::span<const Route> admin_handover_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin/handovers", Who::signed_in, &handover_list_page},
        Route{Method::post, "/admin/handovers", Who::signed_in, &start_handover_page},
        Route{Method::get, R"(/admin/handovers/(\d+))", Who::signed_in, &handover_page},
        Route{Method::post, R"(/admin/handovers/(\d+)/witness)", Who::signed_in, &witness},
        Route{Method::post, R"(/admin/handovers/(\d+)/complete)", Who::signed_in, &complete},
        Route{Method::post, R"(/admin/handovers/(\d+)/cancel)", Who::signed_in, &cancel},
        Route{Method::get, R"(/admin/handovers/(\d+)/minutes)", Who::signed_in, &minutes},
    };
    return routes;
}

} // namespace brankas::web
