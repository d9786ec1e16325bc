// The policy: the values a district tunes in its policy document, with the defaults that apply
// when it has none. Pure data; document.hpp reads and writes it, engine.hpp decides with it.
#pragma once

#include "policy/role.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

namespace brankas::policy {

inline constexpr std::int64_t second_us = 1'000'000;
inline constexpr std::int64_t minute_us = 60 * second_us;
inline constexpr std::int64_t hour_us = 60 * minute_us;
inline constexpr std::int64_t day_us = 24 * hour_us;

// Everything a person or program may ask for. The role matrix (engine.cpp) says who may do
// which; a policy document can only take permissions away ([[forbid]] rules).
enum class Action {
    read_metadata,   // units, accounts (no secrets), users, terms, the log
    manage_units,    // unit add
    manage_accounts, // account add, edit, archive
    manage_people,   // user add, grant, revoke, disable; enforcer add
    manage_terms,    // term add, extend, end
    set_policy,      // policy set
    write_secret,    // secret set (a new version) for a unit
    read_secret,     // secret show, totp, the pending version of a rotation
    read_history,    // secret history (who, when, why; never the value)
    take_checkpoint, // audit checkpoint
    checkout,        // take an account's password for a stated reason and a limited time
    checkin,         // give it back (your own; an admin may return anyone's)
    rotate,          // start, confirm or abort a two-step password rotation
    enforce,         // the end-of-term job: deactivate, revoke, expire, flag, seal new passwords
    tick_checklist,  // tick a step of an account's deactivation checklist
    create_backup,   // backup create: a signed copy of the whole vault (store and keyring)
    recover,         // the recovery quorum: reset an admin's passphrase or enroll a new admin
    start_handover,    // handover start: a unit's accounts move to another custodian
    accept_handover,   // the receiver accepts a handover, with their own key
    witness_handover,  // a second person witnesses an accepted handover
    cancel_handover,   // cancel a handover before it completes
    complete_handover, // grant the receiver, revoke the outgoing custodians, rotate the unit key
    read_unit,         // see a sub-district's accounts and the events about them (listings,
                       // account show, audit log, reports): what is not permitted is left out
    approve,           // grant or reject another person's request under dual control
    release_handover,  // an outgoing custodian signs that they hand the sub-district over
};

// What a district may put under dual control ([dual_control] actions): it runs only once a
// second person approved a request that describes it exactly.
enum class DualAction {
    break_glass, // a break-glass check-out (outside every term)
    policy_set,  // `policy set`: a new policy document, including one that lifts dual control
    rekey,          // `user disable NAME --rekey`: a person ended and the store moved to a new key
    recovery_split, // `recovery split`: new recovery shares (the old ones open nothing after)
};
[[nodiscard]] std::string_view dual_action_name(DualAction a) noexcept;        // "break_glass", "policy_set", "rekey", "recovery_split"
[[nodiscard]] std::string_view dual_action_description(DualAction a) noexcept; // "a break-glass check-out"
[[nodiscard]] std::optional<DualAction> parse_dual_action(std::string_view name) noexcept;

// [dual_control]: which actions need a second person's approval, who may approve, how long a
// request (and its approvals) stays usable, and how many people besides the requester approve.
struct DualControl {
    std::vector<DualAction> actions; // empty: nothing needs a second person
    std::vector<Role> approvers{Role::admin};
    std::int64_t window_us = 30 * minute_us;
    int count = 1;
    [[nodiscard]] bool covers(DualAction a) const noexcept;
    friend bool operator==(const DualControl&, const DualControl&) = default;
};

// One step of the deactivation checklist that every deactivated account gets.
struct ChecklistStep {
    std::string id;   // what `account checklist REF --done ID` names: [a-z0-9-], at most 32
    std::string text; // what a person reads
    bool waits = false; // the platform's waiting period: can be ticked only once it has passed,
                        // counted from when the step before it was ticked
    friend bool operator==(const ChecklistStep&, const ChecklistStep&) = default;
};

// A [[forbid]] rule of the document: takes `action` away, whatever else permits it, from
// whoever it names: a role, people by name, or both; narrowed to some sub-districts when it
// names units. A rule names at least a role or a person.
struct ForbidRule {
    std::optional<Role> role;        // none: any role (the rule names people)
    Action action = Action::checkout;
    std::vector<std::string> units;  // region codes; empty: wherever the action is done
    std::vector<std::string> people; // principal names; empty: everyone of the role
    int line = 0; // where it stands in the document (0: not from a document)
    // The same rule wherever it stands: a rendered and re-read document moves it.
    friend bool operator==(const ForbidRule& a, const ForbidRule& b) noexcept {
        return a.role == b.role && a.action == b.action && a.units == b.units && a.people == b.people;
    }
};

// The time zone dates are read in (a term's "--end 2029-12-31" ends at the end of that day
// there). Indonesia has three zones and no daylight saving time.
struct TimeZone {
    std::string name = "WIB"; // WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)
    int utc_offset_minutes = 7 * 60;
    friend bool operator==(const TimeZone&, const TimeZone&) = default;
};

struct Policy {
    // [checkout]
    std::int64_t checkout_default_us = 2 * hour_us;
    std::int64_t checkout_max_us = 8 * hour_us;
    bool checkout_reason_required = true;
    // While one person holds an account's check-out, nobody else checks it out or is shown its
    // password (`secret show`, `totp`) unless by break-glass, flagged.
    bool checkout_exclusive = true;
    bool rotate_after_checkin = true; // check-in (and expiry) set "rotation due"
    // [term]
    std::int64_t term_grace_us = 7 * day_us; // accounts stay usable this long after a term ends
    // [rotation]
    std::int64_t max_password_age_us = 180 * day_us; // older current passwords are flagged by enforce
    // [break_glass]: checking out outside every term, with a reason, flagged in the log
    bool break_glass_allowed = true;
    std::vector<Role> break_glass_roles{Role::admin};
    // Whether a reveal (`secret show`, `totp`) outside every term follows the check-out's rule:
    // only with break-glass, flagged. false: an admin reveals there as inside a term, a custodian
    // not at all.
    bool break_glass_reveals = true;
    // [handover]
    bool handover_witness_required = false; // a handover completes only once witnessed
    bool handover_rotate_before_accept = false; // every account handed over has a new password before acceptance
    // a handover that asks for it completes only once every outgoing custodian released it;
    // false lets an admin complete it without them (a custodian who is gone), and the minutes say so
    bool handover_release_required = true;
    // [enrollment]
    std::int64_t enrollment_code_lifetime_us = 72 * hour_us;
    // [vault]
    TimeZone time_zone;
    // [web]: a browser session (`brankas serve`) ends, and its unlocked keys are wiped, after this
    // long without a request, and this long after sign-in however busy it is
    std::int64_t web_idle_timeout_us = 10 * minute_us;
    std::int64_t web_session_lifetime_us = 8 * hour_us;
    // [deactivation]
    std::int64_t platform_waiting_period_us = 7 * day_us;
    std::vector<ChecklistStep> checklist = default_checklist();
    // [dual_control]
    DualControl dual_control;
    // [[forbid]]
    std::vector<ForbidRule> forbid;

    [[nodiscard]] static std::vector<ChecklistStep> default_checklist();
    friend bool operator==(const Policy&, const Policy&) = default;
};

[[nodiscard]] std::string_view action_name(Action action) noexcept;        // "checkout", "read_secret"
[[nodiscard]] std::string_view action_description(Action action) noexcept; // "check passwords out"
[[nodiscard]] std::optional<Action> parse_action(std::string_view name) noexcept;
[[nodiscard]] std::span<const Action> all_actions() noexcept;

} // namespace brankas::policy
