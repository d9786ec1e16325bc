// The admin's first page: the vault's state as `status` shows it (the store, the log, the last
// checkpoint, the recovery shares) and what needs a person now: passwords due for a change,
// overdue check-outs, unfinished deactivation checklists, sub-districts owing a new key, keyring
// slots damaged or missing.
#include "faces/dates.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/crypto/bytes.hpp"
#include "web/admin_page.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

// A group of what needs attention lists at most this many: after a national term ends, tens of
// thousands of accounts owe a new password and have checklist steps left, thousands of check-outs
// may be overdue and every sub-district owe a new key, and the page says how many (as `brankas
// status` does; its --json lists every one).
constexpr std::size_t listed_at_most = 100;

// `count` of them, `items` the first of them.
void attention(ctemplate::TemplateDictionary& body, const char* heading, std::int64_t count, std::vector<std::string> items,
               const Translator& t) {
    if (count == 0) return;
    ctemplate::TemplateDictionary* group = body.AddSectionDictionary("ATTENTION");
    set_text(*group, "HEADING", t.tr(heading));
    group->SetIntValue("COUNT", static_cast<long>(count));
    for (const std::string& i : items) group->AddSectionDictionary("ITEM")->SetValue("TEXT", i);
    if (count > static_cast<std::int64_t>(items.size()))
        group->AddSectionDictionary("ITEM")->SetValue(
            "TEXT", fill(t.tr(tr_noop("and %s more (brankas status --json lists every one)")), {std::to_string(count - static_cast<std::int64_t>(items.size()))}));
}
void attention(ctemplate::TemplateDictionary& body, const char* heading, std::vector<std::string> items, const Translator& t) {
    const auto count = static_cast<std::int64_t>(items.size());
    attention(body, heading, count, std::move(items), t);
}

Result<Reply> status_page(Site& site, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("The vault")},
        {"T_INSTITUTION", tr_noop("Institution")},
        {"T_LOG", tr_noop("Audit log")},
        {"T_HEAD", tr_noop("Head of the chain")},
        {"T_STORE", tr_noop("Store")},
        {"T_CHECKPOINT", tr_noop("Last checkpoint")},
        {"T_RECOVERY", tr_noop("Recovery shares")},
        {"T_PEOPLE", tr_noop("People")},
        {"T_NEEDS", tr_noop("Needs attention")},
        {"T_NOTHING", tr_noop("Nothing needs attention.")},
    };
    Session& vault = visit.person->vault;
    BRANKAS_TRY(admin_gate(visit, policy::Action::manage_people, "admin/status"));
    VaultStatus s = BRANKAS_TRY(vault_status(vault));
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    const Translator& t = visit.t;
    Page page(visit.t, "admin_status");
    admin_menu(page, "status");
    page.words(words);
    auto& body = page.body();
    body.SetValue("INSTITUTION", s.institution);
    body.SetValue("LOG", fill(t.tr(tr_noop("%1$s events, the last on %2$s")), {std::to_string(s.events), format_zoned(s.last_event_us, zone)}));
    body.SetValue("HEAD", to_hex(s.head));
    body.SetValue("STORE", fill(t.tr(tr_noop("schema %1$s, SQLCipher %2$s, key generation %3$s")),
                                {std::to_string(s.schema_version), s.cipher_version, std::to_string(s.store_generation)}));
    if (s.last_checkpoint_seq)
        body.SetValue("CHECKPOINT", fill(t.tr(tr_noop("at event %1$s, by %2$s")), {std::to_string(*s.last_checkpoint_seq), s.last_checkpoint_signer}));
    else set_text(body, "CHECKPOINT", t.tr(tr_noop("none taken yet")));
    if (s.recovery)
        body.SetValue("RECOVERY", fill(t.tr(tr_noop("%1$s of %2$s shares, split on %3$s by %4$s")),
                                       {std::to_string(s.recovery->threshold), std::to_string(s.recovery->shares),
                                        format_zoned(s.recovery->split_us, zone), s.recovery->split_by}));
    else set_text(body, "RECOVERY", t.tr(tr_noop("none")));
    body.SetValue("PEOPLE", fill(t.tr(tr_noop("%1$s active of %2$s")), {std::to_string(s.active_people), std::to_string(s.people)}));

    std::int64_t now = site.clock().now_us();
    std::vector<std::string> due, overdue, checklists, owing;
    // Each list counted, and read only as far as the page shows it (the accounts from the index
    // of just those accounts).
    auto keep_in = [](std::vector<std::string>& list) {
        return [&list](std::string_view ref) -> Status {
            list.emplace_back(ref);
            return {};
        };
    };
    const std::int64_t due_count = BRANKAS_TRY(count_accounts_owing_rotation(vault));
    BRANKAS_TRY(for_each_account_owing_rotation(vault, listed_at_most, keep_in(due)));
    const std::int64_t checklist_count = BRANKAS_TRY(brankas::count_incomplete_checklists(vault));
    BRANKAS_TRY(brankas::for_each_incomplete_checklist(vault, listed_at_most, keep_in(checklists)));
    const std::int64_t overdue_count = BRANKAS_TRY(count_overdue_checkouts(vault, now));
    BRANKAS_TRY(for_each_overdue_checkout(vault, now, listed_at_most, [&](const CheckoutInfo& c) -> Status {
        overdue.push_back(fill(t.tr(tr_noop("%1$s, held by %2$s, overdue since %3$s")), {c.ref, c.holder, format_zoned(c.until_us, zone)}));
        return {};
    }));
    const std::int64_t owing_count = BRANKAS_TRY(brankas::count_units_owing_rotation(vault));
    BRANKAS_TRY(brankas::for_each_unit_owing_rotation(vault, listed_at_most, keep_in(owing)));
    std::vector<std::string> slots = BRANKAS_TRY(slot_sentences(vault, t, false));
    bool nothing = due_count == 0 && overdue_count == 0 && checklist_count == 0 && owing_count == 0 && slots.empty();
    attention(body, tr_noop("Passwords due for a change"), due_count, std::move(due), t);
    attention(body, tr_noop("Overdue check-outs"), overdue_count, std::move(overdue), t);
    attention(body, tr_noop("Deactivated accounts with checklist steps left"), checklist_count, std::move(checklists), t);
    attention(body, tr_noop("Sub-districts whose old custodians still hold the key"), owing_count, std::move(owing), t);
    attention(body, tr_noop("Keyring slots"), std::move(slots), t);
    if (nothing) body.ShowSection("NOTHING");
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(t.tr(tr_noop("The vault"))))));
}

} // namespace

std::span<const Route> admin_status_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/admin", Who::signed_in, &status_page},
    };
    return routes;
}

} // namespace brankas::web
