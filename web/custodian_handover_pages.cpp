// The parties' side of a handover: as the receiver, the handovers that wait for them to accept
// (`handover accept ID`); as an outgoing custodian, the handovers of their sub-district that wait
// for their release (`handover release ID`); as the witness an admin named (an auditor, or
// another admin), the accepted handovers that wait for their witness (`handover witness ID`), and
// those that name no witness while the policy requires one, as a second person may witness them.
// Each button signs with the visitor's own key. Starting, completing and the minutes are the
// admin's pages (web/admin_handover_pages.cpp), which witness too; the engine decides every step,
// and a refusal is its own (403, access.denied).
#include "faces/dates.hpp"
#include "vault/handover/handover.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <span>

namespace brankas::web {

namespace {

bool still_open(const HandoverInfo& h) {
    return h.state == policy::HandoverState::started || h.state == policy::HandoverState::accepted ||
           h.state == policy::HandoverState::witnessed;
}

// Whose lists these are: the person signed in, their role, and whether the policy in force
// requires every handover to be witnessed.
struct Reader {
    std::string_view me;
    policy::Role role;
    bool witness_required;
};

bool to_accept(const HandoverInfo& h, const Reader& r) { return h.receiver == r.me && h.state == policy::HandoverState::started; }

bool is_outgoing(const HandoverInfo& h, std::string_view person) {
    return std::find(h.outgoing.begin(), h.outgoing.end(), person) != h.outgoing.end();
}

// Open, asking its outgoing custodians to release it, and naming this person among them.
bool to_release(const HandoverInfo& h, const Reader& r) { return still_open(h) && h.release_asked && is_outgoing(h, r.me); }

// Accepted and not yet witnessed (a witnessed handover is no longer in the accepted state), and
// waiting for this person: it names them as its witness, or it names none, the policy requires
// one, and they are a second person the engine lets witness it (their role may witness, and they
// neither started it nor are a party to it: its receiver or an outgoing custodian).
bool to_witness(const HandoverInfo& h, const Reader& r) {
    if (h.state != policy::HandoverState::accepted) return false;
    if (h.witness) return *h.witness == r.me;
    return r.witness_required && policy::role_may(r.role, policy::Action::witness_handover, policy::UnitScope::granted) &&
           h.started.by != r.me && h.receiver != r.me && !is_outgoing(h, r.me);
}

const HandoverStep* release_by(const HandoverInfo& h, std::string_view me) {
    for (const HandoverStep& r : h.releases)
        if (r.by == me) return &r;
    return nullptr;
}

// The lists as tabs, each with how many handovers wait there for this person: those of the steps
// the role matrix lets their role take (a custodian accepts and releases, an auditor witnesses),
// and the one shown.
void handover_tabs(Page& page, const Translator& t, std::string_view current, const std::vector<HandoverInfo>& all, const Reader& r) {
    std::size_t accept = 0, release = 0, witness = 0;
    for (const HandoverInfo& h : all) {
        if (to_accept(h, r)) ++accept;
        if (to_release(h, r) && !release_by(h, r.me)) ++release;
        if (to_witness(h, r)) ++witness;
    }
    struct Tab {
        const char* id;
        const char* path;
        const char* msgid;
        std::size_t waiting;
        policy::Action step;
    };
    const Tab tabs[] = {
        {"to-accept", "/handovers/to-accept", tr_noop("To accept (%s)"), accept, policy::Action::accept_handover},
        {"to-release", "/handovers/to-release", tr_noop("To release (%s)"), release, policy::Action::release_handover},
        {"to-witness", "/handovers/to-witness", tr_noop("To witness (%s)"), witness, policy::Action::witness_handover},
    };
    ctemplate::TemplateDictionary* menu = page.body().AddIncludeDictionary("TABS");
    menu->SetFilename("templates/tabs.tpl");
    static constexpr Words words[] = {{"T_MENU", tr_noop("Handovers")}};
    page.words(*menu, words);
    for (const Tab& tab : tabs) {
        if (current != tab.id && !policy::role_may(r.role, tab.step, policy::UnitScope::granted)) continue;
        ctemplate::TemplateDictionary* row = menu->AddSectionDictionary("ITEM");
        row->SetValue("ID", tab.id);
        row->SetValue("PATH", tab.path);
        set_text(*row, "LABEL", fill(t.tr(tab.msgid), {std::to_string(tab.waiting)}));
        if (current == tab.id) row->ShowSection("CURRENT");
    }
}

// What both lists show of a handover: its sub-district, when and by whom it started, the note
// and the accounts it hands over.
ctemplate::TemplateDictionary* handover_card(ctemplate::TemplateDictionary& body, const Visit& visit, const HandoverInfo& h,
                                             const policy::TimeZone& zone) {
    ctemplate::TemplateDictionary* row = body.AddSectionDictionary("HANDOVER");
    row->SetIntValue("ID", static_cast<long>(h.id));
    row->SetValue("UNIT", h.unit + " " + h.unit_name);
    row->SetValue("FROM", joined_list(h.outgoing));
    row->SetValue("RECEIVER", h.receiver);
    row->SetIntValue("ACCOUNT_COUNT", static_cast<long>(h.accounts.size()));
    row->SetValue("STARTED", fill(visit.t.tr(tr_noop("%1$s, by %2$s")), {format_zoned(h.started.time_us, zone), h.started.by}));
    if (!h.note.empty()) row->SetValueAndShowSection("NOTE", h.note, "HAS_NOTE");
    row->SetValue("CSRF", visit.person->csrf);
    for (const HandoverAccount& a : h.accounts) row->AddSectionDictionary("ACCOUNT")->SetValue("REF", a.platform + "/" + a.handle);
    return row;
}

// One of the two lists: the handovers `mine` picks for this person, each a card that `complete`
// may add to, under the tabs.
struct HandoverList {
    const char* tab;
    const char* page; // its template
    const char* title;
    std::span<const Words> words;
    std::span<const Notice> notices;
    bool (*mine)(const HandoverInfo&, const Reader&);
};
using CardExtra = std::function<void(ctemplate::TemplateDictionary& card, const HandoverInfo&, const policy::TimeZone&)>;

Result<Reply> list_page(Visit& visit, const HandoverList& list, const CardExtra& complete) {
    Session& vault = visit.person->vault;
    policy::Policy policy = BRANKAS_TRY(policy_in_force(vault));
    const auto all = BRANKAS_TRY(list_handovers(vault, std::nullopt));
    Page page(visit.t, list.page);
    const Reader reader{vault.user(), vault.role(), policy.handover_witness_required};
    handover_tabs(page, visit.t, list.tab, all, reader);
    page.words(list.words);
    std::size_t shown = 0;
    for (const HandoverInfo& h : all) {
        if (!list.mine(h, reader)) continue;
        ctemplate::TemplateDictionary* card = handover_card(page.body(), visit, h, policy.time_zone);
        if (complete) complete(*card, h, policy.time_zone);
        ++shown;
    }
    if (shown == 0) page.body().ShowSection("EMPTY");
    Frame frame = visit.frame(visit.t.tr(list.title));
    notice_from_query(visit, frame, list.notices);
    return Reply::page(BRANKAS_TRY(page.render(frame)));
}

Result<Reply> to_accept_page(Site&, Visit& visit) {
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
    static constexpr Notice notices[] = {
        {"accepted", tr_noop("Accepted. An admin completes the handover; then the sub-district's accounts are yours.")},
    };
    return list_page(visit, {"to-accept", "handovers_to_accept", tr_noop("Handovers to accept"), words, notices, &to_accept}, {});
}

Result<Reply> to_release_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Handovers to release")},
        {"T_INTRO", tr_noop("An admin started these handovers of a sub-district you keep. Releasing one signs, with your own key, that "
                            "you hand over its accounts; the minutes name your release, and the handover completes only once "
                            "every outgoing custodian released it.")},
        {"T_NONE", tr_noop("No handover waits for your release.")},
        {"T_TO", tr_noop("To")},
        {"T_FROM", tr_noop("From")},
        {"T_ACCOUNTS", tr_noop("Accounts")},
        {"T_NOTE", tr_noop("Note")},
        {"T_STARTED", tr_noop("Started")},
        {"T_RELEASE", tr_noop("Release the handover")},
    };
    static constexpr Notice notices[] = {
        {"released", tr_noop("Released. The minutes name your release; an admin completes the handover.")},
    };
    const std::string me = visit.person->vault.user();
    // A release already given is shown with its event; otherwise the button.
    return list_page(visit, {"to-release", "handovers_to_release", tr_noop("Handovers to release"), words, notices, &to_release},
                     [&](ctemplate::TemplateDictionary& card, const HandoverInfo& h, const policy::TimeZone& zone) {
                         if (const HandoverStep* mine = release_by(h, me))
                             card.SetValueAndShowSection("RELEASED",
                                                         fill(visit.t.tr(tr_noop("You released it on %1$s (event %2$s).")),
                                                              {format_zoned(mine->time_us, zone), std::to_string(mine->seq)}),
                                                         "WAS_RELEASED");
                         else
                             card.ShowSection("CAN_RELEASE");
                     });
}

Result<Reply> to_witness_page(Site&, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Handovers to witness")},
        {"T_INTRO", tr_noop("Their receivers accepted these handovers; each names you as its witness, or names none while the "
                            "policy requires one. Witnessing one signs, with your own key, the same list of accounts the receiver "
                            "signed; the minutes name you as witness, and an admin then completes the handover.")},
        {"T_NONE", tr_noop("No handover waits for your witness.")},
        {"T_TO", tr_noop("To")},
        {"T_FROM", tr_noop("From")},
        {"T_ACCOUNTS", tr_noop("Accounts")},
        {"T_NOTE", tr_noop("Note")},
        {"T_STARTED", tr_noop("Started")},
        {"T_ACCEPTED", tr_noop("Accepted")},
        {"T_NAMED", tr_noop("Witness")},
        {"T_WITNESS", tr_noop("Witness this handover")},
    };
    static constexpr Notice notices[] = {
        {"witnessed", tr_noop("You witnessed the handover.")},
        {"completed", tr_noop("The handover is completed.")},
    };
    return list_page(visit, {"to-witness", "handovers_to_witness", tr_noop("Handovers to witness"), words, notices, &to_witness},
                     // When the receiver signed what the witness is about to sign, and whether the admin named
                     // this witness or the policy asks one of a handover that names none.
                     [&](ctemplate::TemplateDictionary& card, const HandoverInfo& h, const policy::TimeZone& zone) {
                         card.SetValue("ACCEPTED", fill(visit.t.tr(tr_noop("%1$s, by %2$s")),
                                                        {format_zoned(h.accepted.time_us, zone), h.accepted.by}));
                         set_text(card, "NAMED", h.witness ? *h.witness : visit.t.tr(tr_noop("none named; the policy requires one")));
                     });
}

// `handover accept ID`: the handover room's accept_handover, as the receiver.
Result<Reply> accept(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    BRANKAS_TRY(accept_handover(visit.person->vault, id));
    return Reply::redirect("/handovers/to-accept?done=accepted");
}

// `handover release ID`: the handover room's release_handover, as an outgoing custodian.
Result<Reply> release(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    BRANKAS_TRY(release_handover(visit.person->vault, id));
    return Reply::redirect("/handovers/to-release?done=released");
}

// `handover witness ID`: the handover room's witness_handover, as the witness named. An admin's
// witness may complete the handover in the same change (witness_handover); the notice says so.
Result<Reply> witness_as_named(Site&, Visit& visit) {
    std::int64_t id = BRANKAS_TRY(number_in_path(visit, 1, "handover"));
    HandoverInfo h = BRANKAS_TRY(witness_handover_of(visit.person->vault, id));
    return Reply::redirect(h.state == policy::HandoverState::completed ? "/handovers/to-witness?done=completed"
                                                                        : "/handovers/to-witness?done=witnessed");
}

} // namespace

std::span<const Route> custodian_handover_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/handovers/to-accept", Who::signed_in, &to_accept_page},
        Route{Method::post, R"(/handovers/(\d+)/accept)", Who::signed_in, &accept},
        Route{Method::get, "/handovers/to-release", Who::signed_in, &to_release_page},
        Route{Method::post, R"(/handovers/(\d+)/release)", Who::signed_in, &release},
        Route{Method::get, "/handovers/to-witness", Who::signed_in, &to_witness_page},
        Route{Method::post, R"(/handovers/(\d+)/witness)", Who::signed_in, &witness_as_named},
    };
    return routes;
}

} // namespace brankas::web
