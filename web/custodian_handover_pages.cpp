// The incoming custodian's side of a handover (`handover accept ID`): the handovers that name
// this person as receiver and wait for them, what each hands over and from whom, and the accept
// button, signed with their own key. Starting, witnessing, completing and the minutes are the
// admin's pages (web/admin_handover_pages.cpp); the engine decides every step.
#include "faces/dates.hpp"
#include "vault/handover/handover.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

Result<Reply> incoming_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Handovers to accept")},
        {"T_INTRO", tr_noop("An admin started these handovers to you. Accepting one signs, with your own key, that you take over "
                            "the sub-district's accounts; the admin then completes it and prints the minutes.")},
        {"T_NONE", tr_noop("No handover waits for you.")},
        {"T_FROM", tr_noop("From")},
        {"T_ACCOUNTS", tr_noop("Accounts")},
        {"T_NOTE", tr_noop("Note")},
        {"T_STARTED", tr_noop("Started")},
        {"T_ACCEPT", tr_noop("Accept the handover")},
    };
    Session& vault = visit.person->vault;
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    Page page(visit.t, "handovers_incoming");
    page.words(words);
    auto& body = page.body();
    std::size_t shown = 0;
    for (const HandoverInfo& h : BRANKAS_TRY(list_handovers(vault, std::nullopt))) {
        if (h.receiver != vault.user() || h.state != policy::HandoverState::started) continue;
        ctemplate::TemplateDictionary* row = body.AddSectionDictionary("HANDOVER");
        row->SetIntValue("ID", static_cast<long>(h.id));
        row->SetValue("UNIT", h.unit + " " + h.unit_name);
        row->SetValue("FROM", joined_list(h.outgoing));
        row->SetIntValue("ACCOUNT_COUNT", static_cast<long>(h.accounts.size()));
        row->SetValue("STARTED", fill(visit.t.tr(tr_noop("%1$s, by %2$s")), {format_zoned(h.started.time_us, policy.time_zone), h.started.by}));
        if (!h.note.empty()) row->SetValueAndShowSection("NOTE", h.note, "HAS_NOTE");
        row->SetValue("CSRF", visit.person->csrf);
        for (const HandoverAccount& a : h.accounts) row->AddSectionDictionary("ACCOUNT")->SetValue("REF", a.platform + "/" + a.handle);
        ++shown;
    }
    if (shown == 0) body.ShowSection("EMPTY");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Handovers to accept")));
    static constexpr Notice notices[] = {
        {"accepted", tr_noop("Accepted. An admin completes the handover; then the sub-district's accounts are yours.")},
    };
    notice_from_query(visit, frame, notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)));
}

// `handover accept ID`: the handover room's accept_handover, as the receiver.
Result<Reply> accept(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    BRANKAS_TRY(accept_handover(visit.person->vault, id));
    return Reply::redirect("/handovers/to-accept?done=accepted");
}

constexpr std::array routes{
    Route{Method::get, "/handovers/to-accept", Who::signed_in, &incoming_page},
    Route{Method::post, R"(/handovers/(\d+)/accept)", Who::signed_in, &accept},
};

} // namespace

std::span<const Route> handover_accept_routes() { return routes; }

} // namespace brankas::web
