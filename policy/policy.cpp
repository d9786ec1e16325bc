#include "policy/policy.hpp"

#include "i18n/translate.hpp"
#include "policy/built_in_checklist.hpp"

#include <array>

namespace brankas::policy {

namespace {

constexpr std::array actions{
    Action::read_metadata, Action::manage_units,    Action::manage_accounts, Action::manage_people,
    Action::manage_terms,  Action::set_policy,      Action::write_secret,    Action::read_secret,
    Action::read_history,  Action::take_checkpoint, Action::checkout,        Action::checkin,
    Action::rotate,        Action::enforce,         Action::tick_checklist,  Action::create_backup, Action::recover,
    Action::start_handover,
    Action::accept_handover, Action::witness_handover, Action::cancel_handover, Action::complete_handover,
    Action::read_unit,
    Action::approve,
    Action::release_handover,
};

} // namespace

namespace {

struct BuiltInStep {
    const char* id;
    const char* text; // marked with tr_noop: a face shows it in its reader's language
    bool waits;
};

// What a district does to take a platform account out of a dissolved team's hands, in the
// order it must happen: the password and the recovery addresses first, so nobody from the
// old team can get back in while the platform's deactivation is pending.
constexpr std::array built_in_steps{
    BuiltInStep{"new-password", i18n::tr_noop("Set the new password (from brankas) on the platform"), false},
    BuiltInStep{"recovery", i18n::tr_noop("Move the recovery e-mail and phone to the district's"), false},
    BuiltInStep{"sessions", i18n::tr_noop("Log out all sessions"), false},
    BuiltInStep{"request", i18n::tr_noop("Request deactivation on the platform"), false},
    BuiltInStep{"waiting", i18n::tr_noop("Platform waiting period"), true},
    BuiltInStep{"confirmed", i18n::tr_noop("Confirmed deactivated"), false},
};

} // namespace

std::vector<ChecklistStep> Policy::default_checklist() {
    std::vector<ChecklistStep> steps;
    for (const BuiltInStep& s : built_in_steps) steps.push_back({s.id, s.text, s.waits});
    return steps;
}

const char* built_in_step_text(std::string_view id, std::string_view text) noexcept {
    for (const BuiltInStep& s : built_in_steps)
        if (id == s.id && text == s.text) return s.text;
    return nullptr;
}

std::string_view action_name(Action action) noexcept {
    switch (action) {
    case Action::read_metadata: return "read_metadata";
    case Action::manage_units: return "manage_units";
    case Action::manage_accounts: return "manage_accounts";
    case Action::manage_people: return "manage_people";
    case Action::manage_terms: return "manage_terms";
    case Action::set_policy: return "set_policy";
    case Action::write_secret: return "write_secret";
    case Action::read_secret: return "read_secret";
    case Action::read_history: return "read_history";
    case Action::take_checkpoint: return "take_checkpoint";
    case Action::checkout: return "checkout";
    case Action::checkin: return "checkin";
    case Action::rotate: return "rotate";
    case Action::enforce: return "enforce";
    case Action::tick_checklist: return "tick_checklist";
    case Action::create_backup: return "create_backup";
    case Action::recover: return "recover";
    case Action::start_handover: return "start_handover";
    case Action::accept_handover: return "accept_handover";
    case Action::witness_handover: return "witness_handover";
    case Action::cancel_handover: return "cancel_handover";
    case Action::complete_handover: return "complete_handover";
    case Action::read_unit: return "read_unit";
    case Action::approve: return "approve";
    case Action::release_handover: return "release_handover";
    }
    return "unknown";
}

// Each completes "a custodian may not ..." and "the policy forbids a custodian to ...": a phrase of
// the catalogue, which the engine's reasons name (its result is a NUL-terminated literal).
std::string_view action_description(Action action) noexcept {
    switch (action) {
    case Action::read_metadata: return i18n::tr_noop("read the vault's metadata");
    case Action::manage_units: return i18n::tr_noop("manage sub-districts");
    case Action::manage_accounts: return i18n::tr_noop("manage accounts");
    case Action::manage_people: return i18n::tr_noop("manage users");
    case Action::manage_terms: return i18n::tr_noop("manage terms");
    case Action::set_policy: return i18n::tr_noop("set the policy");
    case Action::write_secret: return i18n::tr_noop("set passwords");
    case Action::read_secret: return i18n::tr_noop("read passwords");
    case Action::read_history: return i18n::tr_noop("read password history");
    case Action::take_checkpoint: return i18n::tr_noop("take checkpoints");
    case Action::checkout: return i18n::tr_noop("check passwords out");
    case Action::checkin: return i18n::tr_noop("check passwords in");
    case Action::rotate: return i18n::tr_noop("rotate passwords");
    case Action::enforce: return i18n::tr_noop("run the end-of-term enforcement");
    case Action::tick_checklist: return i18n::tr_noop("tick deactivation checklists");
    case Action::create_backup: return i18n::tr_noop("create backups");
    case Action::recover: return i18n::tr_noop("reset an admin's passphrase or enroll an admin with the recovery shares");
    case Action::start_handover: return i18n::tr_noop("start handovers");
    case Action::accept_handover: return i18n::tr_noop("accept handovers");
    case Action::witness_handover: return i18n::tr_noop("witness handovers");
    case Action::cancel_handover: return i18n::tr_noop("cancel handovers");
    case Action::complete_handover: return i18n::tr_noop("complete handovers");
    case Action::read_unit: return i18n::tr_noop("see accounts and events");
    case Action::approve: return i18n::tr_noop("approve or reject requests under dual control");
    case Action::release_handover: return i18n::tr_noop("release handovers");
    }
    return i18n::tr_noop("do that");
}

std::optional<Action> parse_action(std::string_view name) noexcept {
    for (Action a : actions)
        if (action_name(a) == name) return a;
    return std::nullopt;
}

std::span<const Action> all_actions() noexcept { return actions; }

std::string_view dual_action_name(DualAction a) noexcept {
    switch (a) {
    case DualAction::break_glass: return "break_glass";
    case DualAction::policy_set: return "policy_set";
    case DualAction::rekey: return "rekey";
    case DualAction::recovery_split: return "recovery_split";
    }
    return "unknown";
}

std::string_view dual_action_description(DualAction a) noexcept {
    switch (a) {
    case DualAction::break_glass: return i18n::tr_noop("a break-glass check-out");
    case DualAction::policy_set: return i18n::tr_noop("setting the policy");
    case DualAction::rekey: return i18n::tr_noop("disabling a person with a new store key");
    case DualAction::recovery_split: return i18n::tr_noop("a new recovery split");
    }
    return i18n::tr_noop("that");
}

std::optional<DualAction> parse_dual_action(std::string_view name) noexcept {
    for (DualAction a : {DualAction::break_glass, DualAction::policy_set, DualAction::rekey, DualAction::recovery_split})
        if (dual_action_name(a) == name) return a;
    return std::nullopt;
}

bool DualControl::covers(DualAction a) const noexcept {
    for (DualAction x : actions)
        if (x == a) return true;
    return false;
}

} // namespace brankas::policy
