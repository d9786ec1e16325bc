#include "policy/engine.hpp"

#include "policy/document.hpp"
#include "policy/instant.hpp"
#include "policy/unit_dependence.hpp"

#include <algorithm>
#include <map>

namespace brankas::policy {

// ---- terms ----

// English, as --json writes it; each a literal of the catalogue, for a face to translate.
std::string_view term_state_name(TermState state) noexcept {
    switch (state) {
    case TermState::none: return i18n::tr_noop("no term");
    case TermState::upcoming: return i18n::tr_noop("before its term");
    case TermState::active: return i18n::tr_noop("inside its term");
    case TermState::grace: return i18n::tr_noop("in its grace period");
    case TermState::ended: return i18n::tr_noop("after its term");
    }
    return "unknown";
}

TermState term_state(const std::vector<TermWindow>& windows, std::int64_t grace_us, std::int64_t now_us) {
    if (windows.empty()) return TermState::none;
    // Each window on its own, then the best of them: a unit inside any term is inside a term.
    auto rank = [](TermState s) {
        switch (s) {
        case TermState::active: return 4;
        case TermState::grace: return 3;
        case TermState::upcoming: return 2;
        case TermState::ended: return 1;
        case TermState::none: return 0;
        }
        return 0;
    };
    TermState best = TermState::none;
    for (const TermWindow& w : windows) {
        TermState s;
        // The end decides first, so a window ended before it began (`term end` early) is over,
        // even while its start is still to come.
        if (w.end_us <= w.start_us)
            s = TermState::ended;
        else if (now_us >= w.end_us)
            s = now_us < saturating_add(w.end_us, std::max<std::int64_t>(grace_us, 0)) ? TermState::grace : TermState::ended;
        else if (now_us >= w.start_us)
            s = TermState::active;
        else
            s = TermState::upcoming;
        if (rank(s) > rank(best)) best = s;
    }
    return best;
}

// The state names below are what --json writes, and literals of the catalogue too: a face
// translates them (tr) where it puts one into a sentence.
std::string_view account_status_name(AccountStatus status) noexcept {
    switch (status) {
    case AccountStatus::active: return i18n::tr_noop("active");
    case AccountStatus::deactivated: return i18n::tr_noop("deactivated");
    case AccountStatus::archived: return i18n::tr_noop("archived");
    }
    return "unknown";
}

std::optional<AccountStatus> parse_account_status(std::string_view name) noexcept {
    for (AccountStatus s : {AccountStatus::active, AccountStatus::deactivated, AccountStatus::archived})
        if (account_status_name(s) == name) return s;
    return std::nullopt;
}

std::string_view handover_state_name(HandoverState state) noexcept {
    switch (state) {
    case HandoverState::started: return i18n::tr_noop("started");
    case HandoverState::accepted: return i18n::tr_noop("accepted");
    case HandoverState::witnessed: return i18n::tr_noop("witnessed");
    case HandoverState::completed: return i18n::tr_noop("completed");
    case HandoverState::cancelled: return i18n::tr_noop("cancelled");
    }
    return "unknown";
}

std::string_view approval_state_name(ApprovalState state) noexcept {
    switch (state) {
    case ApprovalState::pending: return i18n::tr_noop("pending");
    case ApprovalState::rejected: return i18n::tr_noop("rejected");
    case ApprovalState::used: return i18n::tr_noop("used");
    }
    return "unknown";
}

std::string_view obligation_name(Obligation o) noexcept {
    switch (o) {
    case Obligation::record_reason: return "record_reason";
    case Obligation::flag_break_glass: return "flag_break_glass";
    case Obligation::expire_at: return "expire_at";
    case Obligation::rotate_after_checkin: return "rotate_after_checkin";
    case Obligation::use_approval: return "use_approval";
    }
    return "unknown";
}

std::string_view obligation_description(Obligation o) noexcept {
    switch (o) {
    case Obligation::record_reason: return i18n::tr_noop("the reason is recorded");
    case Obligation::flag_break_glass: return i18n::tr_noop("flagged as break-glass in the log");
    case Obligation::expire_at: return i18n::tr_noop("ends by itself at its time");
    case Obligation::rotate_after_checkin: return i18n::tr_noop("the password is due for a change once it is checked in");
    case Obligation::use_approval: return i18n::tr_noop("uses up the approved request");
    }
    return i18n::tr_noop("the reason is recorded");
}

bool Decision::obliges(Obligation o) const noexcept {
    return std::find(obligations.begin(), obligations.end(), o) != obligations.end();
}

std::string Decision::denial() const {
    const Reason* r = denying_reason();
    return r ? r->text : std::string();
}

const Reason* Decision::denying_reason() const noexcept {
    for (const Reason& r : reasons)
        if (r.effect == Effect::forbid) return &r;
    return nullptr;
}

namespace {

// ---- sentences ----
//
// Every reason is an i18n::Phrase: whole sentences with "%1$s" where a piece goes, the pieces
// themselves phrases of the catalogue (a role, an action, where a unit stands) or plain values
// (names, times, numbers). Its English (Reason::text) is what `policy explain --json` and the
// audit log's refusals keep; each face says it in its reader's language.

using i18n::Phrase;
using i18n::tr_noop;

Phrase plain(std::string s) { return Phrase::plain(std::move(s)); }
Phrase number(std::int64_t n) { return plain(std::to_string(n)); }

// "an admin", "a custodian": the role as the subject of a sentence.
Phrase a_role(Role role) {
    switch (role) {
    case Role::admin: return Phrase(tr_noop("an admin"));
    case Role::custodian: return Phrase(tr_noop("a custodian"));
    case Role::auditor: return Phrase(tr_noop("an auditor"));
    case Role::enforcer: return Phrase(tr_noop("an enforcer"));
    case Role::recovery: return Phrase(tr_noop("a recovery"));
    }
    return plain(std::string(role_name(role)));
}

// The role matrix's refusals, which the default deny shares: their pieces are a role (a_role) and an
// action's description, so denial_phrase can know each exactly.
constexpr const char* may_not = tr_noop("%1$s may not %2$s");
constexpr const char* may_not_ungranted = tr_noop("%1$s may not %2$s of a sub-district they are not granted");

// "it is after its term", "it has no term": where the unit stands, as the end of a sentence.
Phrase unit_stands(TermState state) {
    switch (state) {
    case TermState::none: return Phrase(tr_noop("it has no term"));
    case TermState::upcoming: return Phrase(tr_noop("it is before its term"));
    case TermState::active: return Phrase(tr_noop("it is inside its term"));
    case TermState::grace: return Phrase(tr_noop("it is in its grace period"));
    case TermState::ended: return Phrase(tr_noop("it is after its term"));
    }
    return plain("it is " + std::string(term_state_name(state)));
}

// "a, b or c"
Phrase one_of(const std::vector<std::string>& list) {
    if (list.size() < 2) return plain(list.empty() ? std::string() : list.front());
    std::string head;
    for (std::size_t i = 0; i + 1 < list.size(); ++i) head += (i == 0 ? "" : ", ") + list[i];
    return Phrase(tr_noop("%1$s or %2$s"), {plain(head), plain(list.back())});
}

// "'ani', 'budi'": names, each in quotes, as one plain value.
Phrase quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return plain(std::move(out));
}

bool inside_term(TermState s) { return s == TermState::active || s == TermState::grace; }

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// ---- the built-in role matrix ----

// What the matrix grants a role for an action, before scope and terms are looked at.
enum class Grant {
    never,
    always,
    own_units,         // only on a sub-district the principal is granted
    own_units_in_term, // and only while that sub-district is inside a term (or its grace period)
};

Grant matrix(Role role, Action action) {
    switch (role) {
    case Role::admin:
        // Everything but the quorum's act (one admin must not take over another admin's
        // identity without the shares) and accepting a handover (the receiver accepts with
        // their own key, and is always a custodian).
        // Nor releasing one: only an outgoing custodian, who held the sub-district, signs that.
        return action == Action::recover || action == Action::accept_handover || action == Action::release_handover ? Grant::never
                                                                                                                      : Grant::always;
    case Role::custodian:
        switch (action) {
        case Action::accept_handover: return Grant::always; // only their own: handover() decides
        case Action::release_handover: return Grant::always; // only as an outgoing custodian: handover() decides
        case Action::approve: return Grant::always;         // only if the policy names custodians: approval() decides
        case Action::read_metadata:
        case Action::take_checkpoint: return Grant::always;
        case Action::read_history:
        case Action::read_unit:
        case Action::checkin: return Grant::own_units;
        case Action::read_secret:
        case Action::write_secret:
        case Action::checkout:
        case Action::rotate:
        case Action::tick_checklist: return Grant::own_units_in_term;
        default: return Grant::never;
        }
    case Role::auditor:
        // The whole history, never a value: auditors hold no unit key either. A backup gives
        // an auditor nothing new (they hold K_db already, and the slots in it are sealed to
        // other people's passphrases) and lets oversight keep a signed copy of its own that
        // the admins cannot quietly replace.
        return action == Action::read_metadata || action == Action::take_checkpoint || action == Action::read_history ||
                       action == Action::read_unit || action == Action::create_backup ||
                       action == Action::witness_handover || action == Action::approve
                   ? Grant::always
                   : Grant::never;
    case Role::enforcer:
        // It seals new passwords it cannot read back (the pending version of an account it
        // deactivated, under `enforce`), and never sets a current one; it holds no unit key.
        return action == Action::read_metadata || action == Action::read_unit || action == Action::enforce
                   ? Grant::always
                   : Grant::never;
    case Role::recovery:
        // The quorum brings people back and nothing else. It holds every unit key so that the
        // vault survives its admins, yet reads no password: whoever it enrolls reads through the
        // ordinary, logged paths, as a person with a name.
        return action == Action::recover ? Grant::always : Grant::never;
    }
    return Grant::never;
}

class Deciding {
public:
    Deciding(const Request& request, const Facts& facts, const Policy& policy, std::int64_t now_us)
        : rq_(request), facts_(facts), policy_(policy), now_(now_us) {}

    // What this reads about a unit is listed by unit_dependence (below): change them together.
    Decision run() {
        bool permitted = role_matrix();
        if (permitted && rq_.action == Action::checkout) checkout();
        if (permitted && rq_.action == Action::checkin) checkin();
        if (permitted && rq_.action == Action::read_secret) reveal();
        if (permitted && rotation_start_in_term_only_) rotation_start();
        if (permitted && rotation_finish_in_term_only_) rotation_finish();
        if (permitted && is_handover_step(rq_.action)) handover();
        if (permitted && rq_.action == Action::approve) approval();
        // A new policy is decided under the one in force: lifting dual control needs it too.
        if (permitted && rq_.action == Action::set_policy) dual_control(DualAction::policy_set);
        if (permitted && rq_.action == Action::manage_people && rq_.step) dual_control(*rq_.step);
        // A request named where dual control was not decided (a check-out inside its term needs no
        // approval): it must hold all the same, for the break-glass it would have been, and it is
        // not used (the event names no request, as its replay expects).
        if (permitted && facts_.approval && !request_decided_ &&
            (rq_.action == Action::checkout || rq_.action == Action::read_secret || rq_.action == Action::rotate) &&
            request_holds(DualAction::break_glass))
            add("dual-control", Effect::note, Phrase(tr_noop("no approval is needed here: request %s is not used"), {number(facts_.approval->id)}));
        forbid_rules();

        bool forbidden = std::any_of(d_.reasons.begin(), d_.reasons.end(), [](const Reason& r) { return r.effect == Effect::forbid; });
        if (!forbidden && permitted) {
            d_.verdict = Verdict::allow;
        } else {
            if (!forbidden) add("default-deny", Effect::forbid, Phrase(may_not, {a_role(rq_.role), description()}));
            d_.verdict = Verdict::deny;
            // Obligations are what the caller does when it goes ahead; a denied request does not.
            d_.obligations.clear();
            d_.expires_us = 0;
            // A request helps only when nothing else stands in the way.
            d_.awaits_approval = d_.awaits_approval && std::all_of(d_.reasons.begin(), d_.reasons.end(), [](const Reason& r) {
                return r.effect != Effect::forbid || r.rule == "dual-control";
            });
        }
        return std::move(d_);
    }

private:
    void add(std::string rule, Effect effect, Phrase phrase) {
        std::string text = phrase.english();
        d_.reasons.push_back({std::move(rule), effect, std::move(text), std::move(phrase)});
    }
    void oblige(Obligation o) {
        if (!d_.obliges(o)) d_.obligations.push_back(o);
    }
    // The action's description is a literal of the catalogue (policy.cpp marks them).
    Phrase description() const { return Phrase(action_description(rq_.action).data()); }
    Phrase when(std::int64_t us) const { return plain(format_local_time(us, policy_.time_zone)); }
    TermState term() const { return facts_.term.value_or(TermState::none); }

    // The matrix always speaks first, so `policy explain` shows it whatever else decides.
    // Returns whether it permits.
    bool role_matrix() {
        Grant g = matrix(rq_.role, rq_.action);
        Phrase who = a_role(rq_.role);
        if (g == Grant::never) {
            add("role-matrix", Effect::forbid, Phrase(may_not, {who, description()}));
            return false;
        }
        if (g == Grant::always) {
            add("role-matrix", Effect::permit, Phrase(tr_noop("%1$s may %2$s"), {who, description()}));
            return true;
        }
        if (facts_.scope != UnitScope::granted) {
            add("role-matrix", Effect::forbid, Phrase(may_not_ungranted, {who, description()}));
            return false;
        }
        if (g == Grant::own_units) {
            add("role-matrix", Effect::permit, Phrase(tr_noop("%1$s may %2$s of a sub-district they are granted"), {who, description()}));
            return true;
        }
        add("role-matrix", Effect::permit, Phrase(tr_noop("%1$s may %2$s of a sub-district they are granted, inside its term"), {who, description()}));
        // A check-out, a reveal or the start of a rotation (which shows the new password) outside
        // the term may still break the glass: checkout(), reveal() and rotation_start() decide that;
        // rotation_finish() decides who may finish a rotation started that way.
        rotation_start_in_term_only_ = starts_rotation();
        rotation_finish_in_term_only_ = finishes_rotation();
        if (rq_.action != Action::checkout && rq_.action != Action::read_secret && !rotation_start_in_term_only_ &&
            !rotation_finish_in_term_only_)
            term_window();
        return true;
    }

    Phrase usable_only_in_term() const {
        return Phrase(tr_noop("sub-district accounts are usable only inside a term: %s"), {unit_stands(term())});
    }

    void term_window() {
        if (inside_term(term()))
            add("term-window", Effect::permit, term_sentence());
        else
            add("term-window", Effect::forbid, usable_only_in_term());
    }

    // "it is inside its term 'Pemilu 2029', until ...", for a unit inside a term or its grace.
    Phrase term_sentence() const {
        Phrase s = unit_stands(term());
        if (facts_.term_name)
            s = Phrase(term() == TermState::grace ? tr_noop("%1$s after '%2$s'") : tr_noop("%1$s '%2$s'"), {std::move(s), plain(*facts_.term_name)});
        if (facts_.term_end_us) {
            std::int64_t until = *facts_.term_end_us;
            if (term() == TermState::grace) until = saturating_add(until, policy_.term_grace_us);
            s = Phrase(tr_noop("%1$s, until %2$s"), {std::move(s), when(until)});
        }
        return s;
    }

    bool may_break_glass() const {
        const auto& roles = policy_.break_glass_roles;
        return policy_.break_glass_allowed && std::find(roles.begin(), roles.end(), rq_.role) != roles.end();
    }

    void checkout() {
        checkout_window();
        if (facts_.account == AccountStatus::deactivated && !rq_.break_glass)
            add("account-status", Effect::forbid, Phrase(tr_noop("the account is deactivated: only a break-glass check-out may take it")));
        checkout_holder();
        if (is_blank(rq_.reason)) {
            if (policy_.checkout_reason_required)
                add("reason-required", Effect::forbid, Phrase(tr_noop("a check-out needs a reason (the policy requires one)")));
        } else {
            oblige(Obligation::record_reason);
            add("reason-required", Effect::note, Phrase(tr_noop("the reason is recorded with the check-out")));
        }
        checkout_duration();
    }

    bool revealing() const { return rq_.action == Action::read_secret; }
    bool starts_rotation() const { return rq_.action == Action::rotate && rq_.rotation == RotationStep::start; }
    bool finishes_rotation() const { return rq_.action == Action::rotate && rq_.rotation == RotationStep::finish; }

    // "...; with a reason, `--break-glass` checks it out anyway, flagged in the log" when this
    // person may break the glass.
    Phrase or_break_glass(Phrase s) const {
        if (!may_break_glass()) return s;
        return Phrase(revealing()         ? tr_noop("%s; with a reason, `--break-glass` shows it anyway, flagged in the log")
                      : starts_rotation() ? tr_noop("%s; with a reason, `--break-glass` starts the rotation anyway, flagged in the log")
                                          : tr_noop("%s; with a reason, `--break-glass` checks it out anyway, flagged in the log"),
                      {std::move(s)});
    }

    // Whether the glass may be broken here, adding the reasons it may not. `where` says what it
    // would be broken for ("it is after its term", "it is checked out by siti until ...").
    bool glass_may_break(const Phrase& where) {
        bool ok = true;
        if (!policy_.break_glass_allowed) {
            add("break-glass", Effect::forbid,
                Phrase(revealing()         ? tr_noop("the policy allows no break-glass reveals (%s)")
                       : starts_rotation() ? tr_noop("the policy allows no break-glass rotations (%s)")
                                           : tr_noop("the policy allows no break-glass check-outs (%s)"),
                       {where}));
            ok = false;
        } else if (!may_break_glass()) {
            add("break-glass", Effect::forbid, Phrase(tr_noop("the policy does not let %1$s break the glass (%2$s)"), {a_role(rq_.role), where}));
            ok = false;
        }
        // Always, whatever the policy says about ordinary check-outs: the log must say why.
        if (is_blank(rq_.reason)) {
            add("break-glass", Effect::forbid,
                Phrase(revealing()         ? tr_noop("a break-glass reveal needs a reason")
                       : starts_rotation() ? tr_noop("a break-glass rotation needs a reason")
                                           : tr_noop("a break-glass check-out needs a reason")));
            ok = false;
        }
        return ok;
    }

    // Outside every term: only by break-glass, flagged.
    void outside_term_by_glass() {
        if (!rq_.break_glass) {
            add("term-window", Effect::forbid, or_break_glass(usable_only_in_term()));
            return;
        }
        if (!glass_may_break(unit_stands(term()))) return;
        add("break-glass", Effect::permit,
            Phrase(revealing()         ? tr_noop("break-glass outside every term (%s): the reveal is flagged in the log")
                   : starts_rotation() ? tr_noop("break-glass outside every term (%s): the rotation is flagged in the log")
                                       : tr_noop("break-glass outside every term (%s): the check-out is flagged in the log"),
                   {unit_stands(term())}));
        oblige(Obligation::flag_break_glass);
        dual_control(DualAction::break_glass);
    }

    // ---- dual control ----

    Phrase names(const std::vector<std::string>& list) const {
        std::string out;
        for (const std::string& n : list) out += (out.empty() ? "" : ", ") + n;
        return plain(out);
    }

    // An action the policy puts under dual control runs only with a request that a second
    // person approved, that asked for exactly this, by this person, unused and unexpired.
    void dual_control(DualAction what) {
        request_decided_ = true;
        const DualControl& dc = policy_.dual_control;
        const Phrase action(dual_action_description(what).data());
        if (!dc.covers(what)) {
            if (facts_.approval && request_holds(what))
                add("dual-control", Effect::note,
                    Phrase(tr_noop("the policy does not put %1$s under dual control: request %2$s is not used"), {action, number(facts_.approval->id)}));
            return;
        }
        if (!facts_.approval) {
            if (revealing()) {
                // A read names no request: the glass that shows a password under dual control is
                // a check-out that used one (it shows the password too).
                add("dual-control", Effect::forbid,
                    Phrase(tr_noop("the policy puts %s under dual control: outside every term only a check-out with an approved request shows the password (`checkout --break-glass`, then `--request ID` once approved)"),
                           {action}));
                return;
            }
            if (dc.count == 1)
                add("dual-control", Effect::forbid,
                    Phrase(tr_noop("the policy puts %s under dual control: it needs the approval of one other person (a request, then `--request ID` once approved)"),
                           {action}));
            else
                add("dual-control", Effect::forbid,
                    Phrase(tr_noop("the policy puts %1$s under dual control: it needs the approval of %2$s other people (a request, then `--request ID` once approved)"),
                           {action, number(dc.count)}));
            d_.awaits_approval = true;
            return;
        }
        if (!request_holds(what)) return;
        const ApprovalFacts& a = *facts_.approval;
        add("dual-control", Effect::permit,
            Phrase(tr_noop("request %1$s was approved by %2$s, valid until %3$s"), {number(a.id), names(a.granted_by), when(a.expires_us)}));
        oblige(Obligation::use_approval);
    }

    // Whether the request named holds for `what`: a second person approved it, it asked for
    // exactly this, by this person, and it is unused and unexpired; if not, the reason it does not
    // is added. Asked whether or not the policy needs a request here: a request named is never
    // only a reason (or a length) to borrow.
    bool request_holds(DualAction what) {
        const DualControl& dc = policy_.dual_control;
        const ApprovalFacts& a = *facts_.approval;
        const Phrase r = number(a.id);
        if (a.action != what || !a.matches)
            add("dual-control", Effect::forbid,
                Phrase(tr_noop("request %s asked for something else: the action must match its request exactly (target, reason, options)"), {r}));
        else if (a.requester != rq_.actor)
            add("dual-control", Effect::forbid, Phrase(tr_noop("request %1$s was made by %2$s: only they may use it"), {r, plain(a.requester)}));
        else if (a.state == ApprovalState::used)
            add("dual-control", Effect::forbid, Phrase(tr_noop("request %s was used already: an approval is used once"), {r}));
        else if (a.state == ApprovalState::rejected)
            add("dual-control", Effect::forbid, Phrase(tr_noop("request %s was rejected"), {r}));
        else if (now_ >= a.expires_us)
            add("dual-control", Effect::forbid, Phrase(tr_noop("request %1$s expired at %2$s"), {r, when(a.expires_us)}));
        else if (static_cast<int>(a.granted_by.size()) < dc.count)
            add("dual-control", Effect::forbid,
                Phrase(tr_noop("request %1$s has %2$s of the %3$s approval(s) the policy needs"),
                       {r, number(static_cast<std::int64_t>(a.granted_by.size())), number(dc.count)}));
        else
            return true;
        return false;
    }

    // Granting or rejecting a request: a second person of a role the policy names, while the
    // request is pending and unexpired, once each.
    void approval() {
        if (!facts_.approval) {
            add("approver", Effect::forbid, Phrase(tr_noop("there is no such request")));
            return;
        }
        const ApprovalFacts& a = *facts_.approval;
        const Phrase r = number(a.id);
        const auto& roles = policy_.dual_control.approvers;
        if (std::find(roles.begin(), roles.end(), rq_.role) == roles.end())
            add("approver", Effect::forbid, Phrase(tr_noop("the policy does not let %s approve or reject requests"), {a_role(rq_.role)}));
        else if (a.requester == rq_.actor)
            add("approver", Effect::forbid,
                Phrase(tr_noop("nobody approves or rejects their own request: request %1$s is %2$s's"), {r, plain(a.requester)}));
        else if (a.state != ApprovalState::pending)
            add("approver", Effect::forbid,
                Phrase(a.state == ApprovalState::used ? tr_noop("request %s is used, no longer pending") : tr_noop("request %s is rejected, no longer pending"),
                       {r}));
        else if (now_ >= a.expires_us)
            add("approver", Effect::forbid, Phrase(tr_noop("request %1$s expired at %2$s"), {r, when(a.expires_us)}));
        else if (std::find(a.granted_by.begin(), a.granted_by.end(), rq_.actor) != a.granted_by.end())
            add("approver", Effect::forbid, Phrase(tr_noop("you approved request %s already"), {r}));
        else
            add("approver", Effect::permit,
                Phrase(tr_noop("a second person decides request %1$s (%2$s's), pending until %3$s"), {r, plain(a.requester), when(a.expires_us)}));
    }

    // Someone else holds the account now, and the policy makes check-outs exclusive.
    bool held_by_another() const {
        return facts_.holder && facts_.holder->until_us > now_ && facts_.holder->name != rq_.actor && policy_.checkout_exclusive;
    }

    void checkout_window() {
        if (inside_term(term())) {
            add("term-window", Effect::permit, term_sentence());
            if (rq_.break_glass && !held_by_another())
                add("break-glass", Effect::note, Phrase(tr_noop("break-glass is not needed inside a term: the check-out is an ordinary one")));
            return;
        }
        outside_term_by_glass();
    }

    // A held check-out is exclusive: nobody else checks the account out or is shown its
    // password until it ends, unless the policy shares check-outs or by break-glass (flagged).
    void checkout_holder() {
        if (!facts_.holder) return;
        const Holder& h = *facts_.holder;
        if (h.until_us <= now_) {
            add("exclusive", Effect::note, Phrase(tr_noop("the check-out by %1$s ended at %2$s"), {plain(h.name), when(h.until_us)}));
            return;
        }
        if (h.name == rq_.actor) {
            if (rq_.action == Action::checkout && policy_.checkout_exclusive)
                add("exclusive", Effect::forbid, Phrase(tr_noop("you already hold it until %s"), {when(h.until_us)}));
            else
                add("exclusive", Effect::note, Phrase(tr_noop("you hold its check-out until %s"), {when(h.until_us)}));
            return;
        }
        const Phrase held(tr_noop("it is checked out by %1$s until %2$s"), {plain(h.name), when(h.until_us)});
        if (!policy_.checkout_exclusive) {
            add("exclusive", Effect::note, Phrase(tr_noop("%s (the policy allows sharing it)"), {held}));
            return;
        }
        if (!rq_.break_glass) {
            add("exclusive", Effect::forbid, or_break_glass(held));
            return;
        }
        if (!glass_may_break(held)) return;
        add("exclusive", Effect::permit,
            Phrase(revealing() ? tr_noop("break-glass past the check-out by %s: the reveal is flagged in the log")
                               : tr_noop("break-glass past the check-out by %s: the check-out is flagged in the log"),
                   {plain(h.name)}));
        oblige(Obligation::flag_break_glass);
    }

    // `secret show` and `totp`: always for a reason; outside every term by the check-out's rule
    // (break-glass, flagged) unless the policy says otherwise; never past another's hold.
    void reveal() {
        if (inside_term(term())) {
            add("term-window", Effect::permit, term_sentence());
        } else if (policy_.break_glass_reveals) {
            outside_term_by_glass();
        } else if (rq_.role == Role::admin) {
            add("term-window", Effect::note,
                Phrase(tr_noop("%s; the policy lets an admin reveal outside every term without break-glass"), {unit_stands(term())}));
        } else {
            add("term-window", Effect::forbid, usable_only_in_term());
        }
        checkout_holder();
        if (is_blank(rq_.reason)) {
            add("reason-required", Effect::forbid, Phrase(tr_noop("a password is shown only for a reason")));
        } else {
            oblige(Obligation::record_reason);
            add("reason-required", Effect::note, Phrase(tr_noop("the reason is recorded with the reveal")));
        }
    }

    // A custodian's rotation start shows them the new password: inside a term as any rotation,
    // outside every term only by break-glass, as a check-out (the roles the policy names, a
    // reason, flagged, and under dual control only with an approval, which a rotation cannot
    // name). An admin's rotation is not bound to terms: it is how passwords change after one.
    void rotation_start() {
        if (!inside_term(term())) {
            outside_term_by_glass();
            return;
        }
        add("term-window", Effect::permit, term_sentence());
        if (rq_.break_glass) add("break-glass", Effect::note, Phrase(tr_noop("break-glass is not needed inside a term: the rotation is an ordinary one")));
    }

    // A custodian confirms or aborts a rotation inside a term as any other. Outside every term only
    // the one who started it by break-glass may: they set that password on the platform and are
    // the one who knows whether it took, and until it is confirmed the vault's current password
    // is the old one. The finish shows no password, so it asks for no reason, no second glass and
    // no approval (the start had them); it is flagged too, so the log shows where the episode ends.
    void rotation_finish() {
        if (inside_term(term())) {
            add("term-window", Effect::permit, term_sentence());
            return;
        }
        const std::optional<PendingRotationFacts>& pending = facts_.pending_rotation;
        if (pending && pending->break_glass && pending->started_by == rq_.actor) {
            add("term-window", Effect::note, usable_only_in_term());
            add("break-glass", Effect::permit,
                Phrase(tr_noop("%s started this rotation by break-glass outside every term: they may confirm or abort it, flagged in the log"),
                       {plain(rq_.actor)}));
            oblige(Obligation::flag_break_glass);
            return;
        }
        add("term-window", Effect::forbid, usable_only_in_term());
        if (pending && pending->break_glass)
            add("break-glass", Effect::note,
                Phrase(tr_noop("%s started this rotation by break-glass: outside every term only they, or an admin, may confirm or abort it"),
                       {plain(pending->started_by)}));
    }

    void checkout_duration() {
        std::int64_t duration = rq_.duration_us.value_or(policy_.checkout_default_us);
        Phrase most = plain(format_duration(policy_.checkout_max_us));
        if (duration <= 0) {
            add("max-duration", Effect::forbid, Phrase(tr_noop("a check-out must last some time, at most %s"), {most}));
            return;
        }
        if (duration > policy_.checkout_max_us) {
            add("max-duration", Effect::forbid, Phrase(tr_noop("a check-out may last at most %1$s, not %2$s"), {most, plain(format_duration(duration))}));
            return;
        }
        d_.expires_us = saturating_add(now_, duration);
        oblige(Obligation::expire_at);
        add("max-duration", Effect::note, Phrase(tr_noop("the check-out lasts %1$s, until %2$s"), {plain(format_duration(duration)), when(d_.expires_us)}));
    }

    // A handover's state as the end of a sentence: "this one is witnessed".
    static Phrase this_one_is(HandoverState state) {
        switch (state) {
        case HandoverState::started: return Phrase(tr_noop("this one is started"));
        case HandoverState::accepted: return Phrase(tr_noop("this one is accepted"));
        case HandoverState::witnessed: return Phrase(tr_noop("this one is witnessed"));
        case HandoverState::completed: return Phrase(tr_noop("this one is completed"));
        case HandoverState::cancelled: return Phrase(tr_noop("this one is cancelled"));
        }
        return plain("this one is " + std::string(handover_state_name(state)));
    }
    // "the handover is accepted, ..." with the state first.
    static Phrase the_handover_is(HandoverState state) {
        switch (state) {
        case HandoverState::started: return Phrase(tr_noop("the handover is started"));
        case HandoverState::accepted: return Phrase(tr_noop("the handover is accepted"));
        case HandoverState::witnessed: return Phrase(tr_noop("the handover is witnessed"));
        case HandoverState::completed: return Phrase(tr_noop("the handover is completed"));
        case HandoverState::cancelled: return Phrase(tr_noop("the handover is cancelled"));
        }
        return plain("the handover is " + std::string(handover_state_name(state)));
    }

    // Who may act at each step of a handover, and in which state.
    void handover() {
        if (!facts_.handover) {
            add("handover", Effect::forbid, Phrase(tr_noop("there is no such handover")));
            return;
        }
        const HandoverFacts& h = *facts_.handover;
        auto is_party = [&](std::string_view who) {
            return who == h.receiver || std::find(h.outgoing.begin(), h.outgoing.end(), who) != h.outgoing.end();
        };
        switch (rq_.action) {
        case Action::accept_handover:
            if (h.state != HandoverState::started)
                add("handover-state", Effect::forbid, Phrase(tr_noop("only a started handover can be accepted; %s"), {this_one_is(h.state)}));
            else if (rq_.actor != h.receiver)
                add("handover-receiver", Effect::forbid, Phrase(tr_noop("only the receiver, '%s', may accept this handover"), {plain(h.receiver)}));
            else if (policy_.handover_rotate_before_accept && h.unrotated > 0)
                add("rotate-before-accept", Effect::forbid,
                    Phrase(tr_noop("%s account(s) still have the password handed over; the policy requires a new one before acceptance"),
                           {number(h.unrotated)}));
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-receiver", Effect::permit, Phrase(tr_noop("the receiver accepts the handover with their own key")));
            return;
        case Action::witness_handover:
            if (h.state != HandoverState::accepted)
                add("handover-state", Effect::forbid, Phrase(tr_noop("only an accepted handover can be witnessed; %s"), {this_one_is(h.state)}));
            else if (h.witness && rq_.actor != *h.witness)
                add("handover-witness", Effect::forbid, Phrase(tr_noop("only the named witness, '%s', may witness this handover"), {plain(*h.witness)}));
            else if (rq_.actor == h.started_by || is_party(rq_.actor))
                add("handover-witness", Effect::forbid, Phrase(tr_noop("a witness is a second person: not who started the handover, nor a party to it")));
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-witness", Effect::permit, Phrase(tr_noop("a second person witnesses the accepted handover")));
            return;
        case Action::cancel_handover:
            if (h.state == HandoverState::completed || h.state == HandoverState::cancelled)
                add("handover-state", Effect::forbid, Phrase(tr_noop("a handover can be cancelled only before it completes; %s"), {this_one_is(h.state)}));
            else
                add("handover-state", Effect::permit, Phrase(tr_noop("%s, not yet complete"), {the_handover_is(h.state)}));
            return;
        case Action::complete_handover: {
            const bool needs_witness = policy_.handover_witness_required || h.witness.has_value();
            const bool signed_enough = h.state == HandoverState::witnessed || (h.state == HandoverState::accepted && !needs_witness);
            if (signed_enough && h.unlisted > 0)
                forbid_unlisted(h);
            else if (signed_enough && release_missing(h))
                return;
            else if (signed_enough)
                add("handover-state", Effect::permit, Phrase(tr_noop("%s and has every signature it needs"), {the_handover_is(h.state)}));
            else if (h.state == HandoverState::accepted)
                add("handover-witness", Effect::forbid,
                    Phrase(h.witness ? tr_noop("the handover needs a witness first (one was named)")
                                     : tr_noop("the handover needs a witness first (the policy requires one)")));
            else
                add("handover-state", Effect::forbid,
                    Phrase(tr_noop("a handover completes only once accepted (and witnessed when needed); %s"), {this_one_is(h.state)}));
            return;
        }
        case Action::release_handover: {
            const bool open = h.state == HandoverState::started || h.state == HandoverState::accepted || h.state == HandoverState::witnessed;
            if (!open)
                add("handover-state", Effect::forbid, Phrase(tr_noop("a handover can be released only before it completes; %s"), {this_one_is(h.state)}));
            else if (std::find(h.outgoing.begin(), h.outgoing.end(), rq_.actor) == h.outgoing.end())
                add("handover-release", Effect::forbid,
                    h.outgoing.empty() ? Phrase(tr_noop("this handover has no outgoing custodian to release it"))
                                       : Phrase(tr_noop("only an outgoing custodian (%s) may release this handover"), {quoted_list(h.outgoing)}));
            else if (std::find(h.released.begin(), h.released.end(), rq_.actor) != h.released.end())
                add("handover-release", Effect::forbid, Phrase(tr_noop("'%s' released this handover already"), {plain(rq_.actor)}));
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-release", Effect::permit, Phrase(tr_noop("an outgoing custodian releases the sub-district with their own key")));
            return;
        }
        default: return;
        }
    }

    // The outgoing custodians who have not released a handover that asks for it: the policy's
    // [handover] release_required forbids the completion, or lets it go ahead with a note (the
    // minutes then say it was completed without them). True when the completion is forbidden.
    bool release_missing(const HandoverFacts& h) {
        if (!h.release_asked) return false;
        std::vector<std::string> missing;
        for (const std::string& from : h.outgoing)
            if (std::find(h.released.begin(), h.released.end(), from) == h.released.end()) missing.push_back(from);
        if (missing.empty()) {
            if (!h.outgoing.empty()) add("handover-release", Effect::note, Phrase(tr_noop("every outgoing custodian released the handover")));
            return false;
        }
        if (policy_.handover_release_required) {
            add("handover-release", Effect::forbid,
                Phrase(tr_noop("the outgoing custodian(s) %s have not released the handover; the policy requires it ([handover] release_required)"),
                       {quoted_list(missing)}));
            return true;
        }
        add("handover-release", Effect::note,
            Phrase(tr_noop("completed without the release of %s: the policy allows it ([handover] release_required = false)"), {quoted_list(missing)}));
        return false;
    }

    // The receiver's and the witness's signatures, and the minutes, cover the accounts listed
    // at the start: an account that got its password since is in none of them, yet would pass
    // to the receiver with the unit.
    void forbid_unlisted(const HandoverFacts& h) {
        add("handover-accounts", Effect::forbid,
            Phrase(tr_noop("%s account(s) of the sub-district got a password after the handover started and are not in it; cancel it and start a new one"),
                   {number(h.unlisted)}));
    }

    void checkin() {
        if (!facts_.holder) {
            add("not-held", Effect::forbid, Phrase(tr_noop("it is not checked out")));
            return;
        }
        const Holder& h = *facts_.holder;
        if (h.until_us <= now_) {
            add("not-held", Effect::forbid, Phrase(tr_noop("it is not checked out (the check-out by %1$s ended at %2$s)"), {plain(h.name), when(h.until_us)}));
            return;
        }
        if (h.name != rq_.actor) {
            if (rq_.role != Role::admin) {
                add("not-held", Effect::forbid, Phrase(tr_noop("it is checked out by %s"), {plain(h.name)}));
                return;
            }
            add("not-held", Effect::note, Phrase(tr_noop("an admin returns %s's check-out"), {plain(h.name)}));
        } else {
            add("not-held", Effect::note, Phrase(tr_noop("you hold it until %s"), {when(h.until_us)}));
        }
        if (policy_.rotate_after_checkin) {
            oblige(Obligation::rotate_after_checkin);
            add("rotate-after-checkin", Effect::note, Phrase(tr_noop("the policy sets rotation due after a check-in")));
        }
    }

    // Whether a [[forbid]] rule speaks to this request: its action, and each of role, people and
    // units that it names (a rule naming units speaks only to a request about one of them).
    bool forbid_applies(const ForbidRule& f) const {
        auto names = [](const std::vector<std::string>& list, std::string_view x) { return std::find(list.begin(), list.end(), x) != list.end(); };
        if (f.action != rq_.action) return false;
        if (f.role && *f.role != rq_.role) return false;
        if (!f.people.empty() && !names(f.people, rq_.actor)) return false;
        if (!f.units.empty() && (!facts_.unit || !names(f.units, *facts_.unit))) return false;
        return true;
    }

    void forbid_rules() {
        for (const ForbidRule& f : policy_.forbid) {
            if (!forbid_applies(f)) continue;
            Phrase who = f.people.empty() ? (f.role ? a_role(*f.role) : Phrase(tr_noop("anyone")))
                                          : f.role ? Phrase(tr_noop("%1$s (%2$s)"), {one_of(f.people), a_role(*f.role)})
                                                   : one_of(f.people);
            Phrase text = f.units.empty() ? Phrase(tr_noop("the policy forbids %1$s to %2$s"), {std::move(who), description()})
                                          : Phrase(tr_noop("the policy forbids %1$s to %2$s in %3$s"), {std::move(who), description(), one_of(f.units)});
            if (f.line > 0)
                add("forbid line " + std::to_string(f.line), Effect::forbid, Phrase(tr_noop("%1$s (line %2$s)"), {std::move(text), number(f.line)}));
            else
                add("forbid", Effect::forbid, std::move(text));
        }
    }

    const Request& rq_;
    const Facts& facts_;
    const Policy& policy_;
    std::int64_t now_;
    Decision d_;
    bool rotation_start_in_term_only_ = false; // a rotation's start that the matrix grants only inside a term
    bool rotation_finish_in_term_only_ = false; // a rotation's confirmation or abort, likewise
    bool request_decided_ = false; // dual_control() looked at the request named, or at its absence
};

} // namespace

bool is_handover_step(Action a) noexcept {
    return a == Action::accept_handover || a == Action::witness_handover || a == Action::cancel_handover ||
           a == Action::complete_handover || a == Action::release_handover;
}

Decision decide(const Request& request, const Facts& facts, const Policy& policy, std::int64_t now_us) {
    return Deciding(request, facts, policy, now_us).run();
}

UnitDependence unit_dependence(const Request& rq, const Policy& policy) {
    UnitDependence d;
    // What Deciding::run reads besides the role matrix and the forbid rules.
    if (rq.action == Action::checkout || rq.action == Action::checkin || rq.action == Action::read_secret ||
        rq.action == Action::approve || rq.action == Action::set_policy || rq.step || is_handover_step(rq.action)) {
        d.every_fact = true;
        return d;
    }
    // role_matrix: the grant for own_units; the term too for own_units_in_term (term_window; a
    // rotation's finish reads the pending rotation besides, which is the account's, not the unit's).
    switch (matrix(rq.role, rq.action)) {
    case Grant::never:
    case Grant::always: break;
    case Grant::own_units: d.scope = true; break;
    case Grant::own_units_in_term: d.scope = d.term = true; break;
    }
    // forbid_rules: a rule that applies to this person and action and names units.
    for (const ForbidRule& f : policy.forbid) {
        if (f.action != rq.action || (f.role && *f.role != rq.role)) continue;
        if (!f.people.empty() && std::find(f.people.begin(), f.people.end(), rq.actor) == f.people.end()) continue;
        d.named_units.insert(d.named_units.end(), f.units.begin(), f.units.end());
    }
    return d;
}

std::optional<Phrase> denial_phrase(std::string_view stored) {
    // Every sentence the two can make, by its English, built once.
    static const std::map<std::string, Phrase, std::less<>> known = [] {
        std::map<std::string, Phrase, std::less<>> m;
        for (const char* sentence : {may_not, may_not_ungranted})
            for (Role r : {Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery})
                for (Action a : all_actions()) {
                    Phrase p(sentence, {a_role(r), Phrase(action_description(a).data())});
                    std::string english = p.english();
                    m.emplace(std::move(english), std::move(p));
                }
        return m;
    }();
    auto it = known.find(stored);
    if (it == known.end()) return std::nullopt;
    return it->second;
}

bool role_may(Role role, Action action, UnitScope scope) noexcept {
    switch (matrix(role, action)) {
    case Grant::never: return false;
    case Grant::always: return true;
    case Grant::own_units:
    case Grant::own_units_in_term: return scope == UnitScope::granted;
    }
    return false;
}

} // namespace brankas::policy
