// The policy engine: decide(request, facts, policy, now) -> allow or deny, every rule and fact
// that led there, and what the caller must do if it goes ahead. Default deny; an explicit
// forbid beats any permit. Pure: no I/O, no clock of its own, nothing from vault/.
#pragma once

#include "i18n/translate.hpp"
#include "policy/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas::policy {

// Whether the request is about a unit the principal is granted (custodians are scoped).
enum class UnitScope { none, granted, not_granted };

// Where a unit stands in its terms at a moment.
enum class TermState {
    none,     // no term has ever covered the unit
    upcoming, // covered only by terms that have not started
    active,   // inside a term
    grace,    // a term ended less than the grace period ago
    ended,    // every term it had ended more than the grace period ago (enforce deactivates it)
};
[[nodiscard]] std::string_view term_state_name(TermState state) noexcept; // "inside its term", "after its term", ...

// One term's window for one unit: [start_us, end_us). end_us is where `term extend` or
// `term end` left it for that unit.
struct TermWindow {
    std::string term;
    std::int64_t start_us = 0;
    std::int64_t end_us = 0;
};

// active beats grace beats upcoming beats ended; none only without windows.
[[nodiscard]] TermState term_state(const std::vector<TermWindow>& windows, std::int64_t grace_us, std::int64_t now_us);

// An account's standing: in use, deactivated at the end of its unit's term (only break-glass
// takes it), or archived for good.
enum class AccountStatus { active, deactivated, archived };
[[nodiscard]] std::string_view account_status_name(AccountStatus status) noexcept; // "active", ...
[[nodiscard]] std::optional<AccountStatus> parse_account_status(std::string_view name) noexcept;

// Who holds an account's check-out now (an expired one is no longer a hold: leave it out).
struct Holder {
    std::string name;
    std::int64_t until_us = 0;
};

// Which step of a rotation a `rotate` request takes. The start shows the person the new
// password: for a custodian, outside every term it follows the check-out's rule (break-glass,
// flagged). Confirming or aborting shows nothing: outside every term only the one who started
// that rotation by break-glass may do it (Facts::pending_rotation), flagged as well.
enum class RotationStep { finish, start };

struct Request {
    Role role = Role::custodian;
    std::string actor;                     // the principal's name (a holder is compared with it)
    Action action = Action::read_metadata;
    std::string reason;                    // as given; may be empty
    bool break_glass = false;              // the person asked for it (`--break-glass`): a check-out,
                                           // a reveal or a rotation's start outside every term, or
                                           // a check-out or reveal past another's hold
    std::optional<std::int64_t> duration_us; // checkout: what was asked for; none: the default
    RotationStep rotation = RotationStep::finish; // rotate: the step (a confirmation or an abort unless told)
    // manage_people: the step that the policy may put under dual control (`user disable --rekey`:
    // rekey; `recovery split`: recovery_split); none for the rest of managing people.
    std::optional<DualAction> step;
};

// The pending rotation a confirmation or an abort finishes: who started it, and whether that
// start broke the glass (a custodian outside every term, flagged in its secret.pending).
struct PendingRotationFacts {
    std::string started_by;
    bool break_glass = false;
};

// Where a handover stands (vault/ops/handover.cpp). "witnessed" comes only after "accepted".
enum class HandoverState { started, accepted, witnessed, completed, cancelled };
[[nodiscard]] std::string_view handover_state_name(HandoverState state) noexcept; // "started", ...

// The handover a request acts on: its state and its parties.
struct HandoverFacts {
    HandoverState state = HandoverState::started;
    std::string started_by, receiver;
    std::vector<std::string> outgoing;
    std::optional<std::string> witness; // the witness named at start, if any
    std::size_t unrotated = 0;          // accounts whose password is still the version handed over
    std::size_t unlisted = 0;           // the unit's accounts with a password that the start did not list
    bool release_asked = false;         // the start asks the outgoing custodians to release it (logs
                                        // written before `handover release` existed do not)
    std::vector<std::string> released;  // the outgoing custodians who released it
};

// Where a request under dual control stands (vault/approvals/). Approved is not a state of its
// own: a pending request with enough grants is approved under the policy in force.
enum class ApprovalState { pending, rejected, used };
[[nodiscard]] std::string_view approval_state_name(ApprovalState state) noexcept; // "pending", ...

// The request a dual-controlled action names (`--request ID`), or the one being approved.
struct ApprovalFacts {
    std::int64_t id = 0;
    DualAction action = DualAction::break_glass; // what it asks for
    std::string requester;
    ApprovalState state = ApprovalState::pending;
    std::vector<std::string> granted_by; // who granted it, in order
    std::int64_t expires_us = 0;         // no grant and no use at or after this instant
    bool matches = false;                // the action describes exactly what the request asked
                                         // (target, reason, options): the caller compares
};

// What the engine knows about the world. Only what is relevant to the action needs filling in;
// a fact left at its default is reported as such by explain.
struct Facts {
    UnitScope scope = UnitScope::none;
    std::optional<TermState> term;  // set for actions on a unit's account
    std::optional<std::string> unit; // the sub-district the request is about (forbid rules name units)
    std::optional<Holder> holder;   // checkout, checkin, read_secret: the account's current hold
    std::optional<AccountStatus> account; // checkout: the account's status
    std::optional<std::string> term_name; // the term that makes it active or in grace, for reasons
    std::optional<std::int64_t> term_end_us; // its end (with grace: end + grace is the deadline)
    std::optional<HandoverFacts> handover; // accept, witness, cancel and complete a handover
    std::optional<ApprovalFacts> approval; // approve; a dual-controlled action: the request it names
    std::optional<PendingRotationFacts> pending_rotation; // rotate's finishing step: the rotation it finishes
};

enum class Verdict { allow, deny };

// One line of the explanation: which rule spoke, what it found and whether it permits, forbids
// or only informs.
enum class Effect { permit, forbid, note };
struct Reason {
    std::string rule; // a stable id: "role-matrix", "term-window", "break-glass", "exclusive",
                      // "reason-required", "max-duration", "forbid line 12", "default-deny"
    Effect effect = Effect::note;
    std::string text; // one sentence for a person, in English (`policy explain --json` keeps it)
    i18n::Phrase phrase; // the same sentence for a face to say in its reader's language (faces::reason_text)
};

enum class Obligation {
    record_reason,         // the reason goes into the event
    flag_break_glass,      // the event is marked break-glass
    expire_at,             // the check-out ends at Decision::expires_us
    rotate_after_checkin,  // check-in sets "rotation due"
    use_approval,          // the event names the request (Facts::approval), which is used up
};
[[nodiscard]] std::string_view obligation_name(Obligation o) noexcept;
// What an obligation asks, for a person, beside its name (which --json writes): a literal of the
// catalogue ("the reason is recorded"), for a face to translate.
[[nodiscard]] std::string_view obligation_description(Obligation o) noexcept;

struct Decision {
    Verdict verdict = Verdict::deny;
    std::vector<Reason> reasons;
    std::vector<Obligation> obligations;
    std::int64_t expires_us = 0; // with expire_at
    // Denied only because the action is under dual control and named no request: the caller
    // may record a request for it instead (vault/approvals/).
    bool awaits_approval = false;

    [[nodiscard]] bool allowed() const noexcept { return verdict == Verdict::allow; }
    [[nodiscard]] bool obliges(Obligation o) const noexcept;
    // The sentence a denied person reads: the first forbidding reason (or default deny's).
    [[nodiscard]] std::string denial() const;
    // The reason that denial() gives, for a face to say in its reader's language; null when allowed.
    [[nodiscard]] const Reason* denying_reason() const noexcept;
};

[[nodiscard]] Decision decide(const Request& request, const Facts& facts, const Policy& policy, std::int64_t now_us);

// The phrase of a refusal's English as denial() wrote it into an access.denied event, when every
// piece of it comes from a closed set, so that the exact text names one phrase: the role matrix's
// refusals and the default deny ("a custodian may not manage users", "... of a sub-district they
// are not granted": a role and an action). nullopt for any other text; a refusal that names a
// person, a term, a time, a number or a policy line is shown as it was written.
[[nodiscard]] std::optional<i18n::Phrase> denial_phrase(std::string_view stored);

// Whether the built-in role matrix lets `role` perform `action` at all, given whether the
// principal holds the unit (`scope`): the first rule decide() applies, without the term, the
// policy document or any other fact. For a question about the past where only the grant is
// known (who may have sealed a secret version, vault/secrets/), never instead of decide().
[[nodiscard]] bool role_may(Role role, Action action, UnitScope scope) noexcept;

// The steps taken on an existing handover (accept, witness, cancel, complete, release): decided with its
// HandoverFacts.
[[nodiscard]] bool is_handover_step(Action a) noexcept;

} // namespace brankas::policy
