#include "policy/engine.hpp"

#include "policy/document.hpp"
#include "policy/instant.hpp"

#include <algorithm>

namespace brankas::policy {

// ---- terms ----

std::string_view term_state_name(TermState state) noexcept {
    switch (state) {
    case TermState::none: return "no term";
    case TermState::upcoming: return "before its term";
    case TermState::active: return "inside its term";
    case TermState::grace: return "in its grace period";
    case TermState::ended: return "after its term";
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

std::string_view account_status_name(AccountStatus status) noexcept {
    switch (status) {
    case AccountStatus::active: return "active";
    case AccountStatus::deactivated: return "deactivated";
    case AccountStatus::archived: return "archived";
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
    case HandoverState::started: return "started";
    case HandoverState::accepted: return "accepted";
    case HandoverState::witnessed: return "witnessed";
    case HandoverState::completed: return "completed";
    case HandoverState::cancelled: return "cancelled";
    }
    return "unknown";
}

std::string_view approval_state_name(ApprovalState state) noexcept {
    switch (state) {
    case ApprovalState::pending: return "pending";
    case ApprovalState::rejected: return "rejected";
    case ApprovalState::used: return "used";
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

bool Decision::obliges(Obligation o) const noexcept {
    return std::find(obligations.begin(), obligations.end(), o) != obligations.end();
}

std::string Decision::denial() const {
    for (const Reason& r : reasons)
        if (r.effect == Effect::forbid) return r.text;
    return {};
}

namespace {

// ---- sentences ----

std::string with_article(std::string_view word) {
    bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(word);
}

std::string a_role(Role role) { return with_article(role_name(role)); }

// "it is after its term", "it has no term": where the unit stands, as the end of a sentence.
std::string unit_stands(TermState state) {
    if (state == TermState::none) return "it has no term";
    return "it is " + std::string(term_state_name(state));
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "'ani', 'budi'"
std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + quoted(n);
    return out;
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

    Decision run() {
        bool permitted = role_matrix();
        if (permitted && rq_.action == Action::checkout) checkout();
        if (permitted && rq_.action == Action::checkin) checkin();
        if (permitted && rq_.action == Action::read_secret) reveal();
        if (permitted && is_handover_step(rq_.action)) handover();
        if (permitted && rq_.action == Action::approve) approval();
        // A new policy is decided under the one in force: lifting dual control needs it too.
        if (permitted && rq_.action == Action::set_policy) dual_control(DualAction::policy_set);
        forbid_rules();

        bool forbidden = std::any_of(d_.reasons.begin(), d_.reasons.end(), [](const Reason& r) { return r.effect == Effect::forbid; });
        if (!forbidden && permitted) {
            d_.verdict = Verdict::allow;
        } else {
            if (!forbidden) add("default-deny", Effect::forbid, a_role(rq_.role) + " may not " + description());
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
    void add(std::string rule, Effect effect, std::string text) {
        d_.reasons.push_back({std::move(rule), effect, std::move(text)});
    }
    void oblige(Obligation o) {
        if (!d_.obliges(o)) d_.obligations.push_back(o);
    }
    std::string description() const { return std::string(action_description(rq_.action)); }
    std::string when(std::int64_t us) const { return format_local_time(us, policy_.time_zone); }
    TermState term() const { return facts_.term.value_or(TermState::none); }

    // The matrix always speaks first, so `policy explain` shows it whatever else decides.
    // Returns whether it permits.
    bool role_matrix() {
        Grant g = matrix(rq_.role, rq_.action);
        std::string who = a_role(rq_.role);
        if (g == Grant::never) {
            add("role-matrix", Effect::forbid, who + " may not " + description());
            return false;
        }
        if (g == Grant::always) {
            add("role-matrix", Effect::permit, who + " may " + description());
            return true;
        }
        if (facts_.scope != UnitScope::granted) {
            add("role-matrix", Effect::forbid, who + " may not " + description() + " of a sub-district they are not granted");
            return false;
        }
        if (g == Grant::own_units) {
            add("role-matrix", Effect::permit, who + " may " + description() + " of a sub-district they are granted");
            return true;
        }
        add("role-matrix", Effect::permit, who + " may " + description() + " of a sub-district they are granted, inside its term");
        // A check-out or a reveal outside the term may still break the glass: checkout() and
        // reveal() decide that.
        if (rq_.action != Action::checkout && rq_.action != Action::read_secret) term_window();
        return true;
    }

    void term_window() {
        if (inside_term(term()))
            add("term-window", Effect::permit, term_sentence());
        else
            add("term-window", Effect::forbid, "sub-district accounts are usable only inside a term: " + unit_stands(term()));
    }

    // "it is inside its term 'Pemilu 2029', until ...", for a unit inside a term or its grace.
    std::string term_sentence() const {
        std::string s = unit_stands(term());
        if (facts_.term_name) s += term() == TermState::grace ? " after " + quoted(*facts_.term_name) : " " + quoted(*facts_.term_name);
        if (facts_.term_end_us) {
            std::int64_t until = *facts_.term_end_us;
            if (term() == TermState::grace) until = saturating_add(until, policy_.term_grace_us);
            s += ", until " + when(until);
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
            add("account-status", Effect::forbid, "the account is deactivated: only a break-glass check-out may take it");
        checkout_holder();
        if (is_blank(rq_.reason)) {
            if (policy_.checkout_reason_required) add("reason-required", Effect::forbid, "a check-out needs a reason (the policy requires one)");
        } else {
            oblige(Obligation::record_reason);
            add("reason-required", Effect::note, "the reason is recorded with the check-out");
        }
        checkout_duration();
    }

    // What a check-out or a reveal is called in a sentence, and what `--break-glass` does to it.
    struct Taking {
        std::string_view noun;  // "check-out", "reveal"
        std::string_view glass; // "checks it out", "shows it"
    };
    Taking taking() const {
        if (rq_.action == Action::read_secret) return {"reveal", "shows it"};
        return {"check-out", "checks it out"};
    }

    // Whether the glass may be broken here, adding the reasons it may not. `where` says what it
    // would be broken for ("it is after its term", "it is checked out by siti until ...").
    bool glass_may_break(const std::string& where) {
        bool ok = true;
        if (!policy_.break_glass_allowed) {
            add("break-glass", Effect::forbid, "the policy allows no break-glass " + std::string(taking().noun) + "s (" + where + ")");
            ok = false;
        } else if (!may_break_glass()) {
            add("break-glass", Effect::forbid, "the policy does not let " + a_role(rq_.role) + " break the glass (" + where + ")");
            ok = false;
        }
        // Always, whatever the policy says about ordinary check-outs: the log must say why.
        if (is_blank(rq_.reason)) {
            add("break-glass", Effect::forbid, "a break-glass " + std::string(taking().noun) + " needs a reason");
            ok = false;
        }
        return ok;
    }

    // Outside every term: only by break-glass, flagged.
    void outside_term_by_glass() {
        if (!rq_.break_glass) {
            std::string s = "sub-district accounts are usable only inside a term: " + unit_stands(term());
            if (may_break_glass()) s += "; with a reason, `--break-glass` " + std::string(taking().glass) + " anyway, flagged in the log";
            add("term-window", Effect::forbid, std::move(s));
            return;
        }
        if (!glass_may_break(unit_stands(term()))) return;
        add("break-glass", Effect::permit,
            "break-glass outside every term (" + unit_stands(term()) + "): the " + std::string(taking().noun) + " is flagged in the log");
        oblige(Obligation::flag_break_glass);
        dual_control(DualAction::break_glass);
    }

    // ---- dual control ----

    std::string people(int n) const { return n == 1 ? "one other person" : std::to_string(n) + " other people"; }
    std::string request_name(const ApprovalFacts& a) const { return "request " + std::to_string(a.id); }
    std::string names(const std::vector<std::string>& list) const {
        std::string out;
        for (const std::string& n : list) out += (out.empty() ? "" : ", ") + n;
        return out;
    }

    // An action the policy puts under dual control runs only with a request that a second
    // person approved, that asked for exactly this, by this person, unused and unexpired.
    void dual_control(DualAction what) {
        const DualControl& dc = policy_.dual_control;
        const std::string action(dual_action_description(what));
        if (!dc.covers(what)) {
            if (facts_.approval)
                add("dual-control", Effect::note, "the policy does not put " + action + " under dual control: " + request_name(*facts_.approval) + " is not used");
            return;
        }
        if (!facts_.approval) {
            add("dual-control", Effect::forbid,
                "the policy puts " + action + " under dual control: it needs the approval of " + people(dc.count) +
                    " (a request, then `--request ID` once approved)");
            d_.awaits_approval = true;
            return;
        }
        const ApprovalFacts& a = *facts_.approval;
        const std::string r = request_name(a);
        if (a.action != what || !a.matches)
            add("dual-control", Effect::forbid, r + " asked for something else: the action must match its request exactly (target, reason, options)");
        else if (a.requester != rq_.actor)
            add("dual-control", Effect::forbid, r + " was made by " + a.requester + ": only they may use it");
        else if (a.state == ApprovalState::used)
            add("dual-control", Effect::forbid, r + " was used already: an approval is used once");
        else if (a.state == ApprovalState::rejected)
            add("dual-control", Effect::forbid, r + " was rejected");
        else if (now_ >= a.expires_us)
            add("dual-control", Effect::forbid, r + " expired at " + when(a.expires_us));
        else if (static_cast<int>(a.granted_by.size()) < dc.count)
            add("dual-control", Effect::forbid,
                r + " has " + std::to_string(a.granted_by.size()) + " of the " + std::to_string(dc.count) + " approval(s) the policy needs");
        else {
            add("dual-control", Effect::permit, r + " was approved by " + names(a.granted_by) + ", valid until " + when(a.expires_us));
            oblige(Obligation::use_approval);
        }
    }

    // Granting or rejecting a request: a second person of a role the policy names, while the
    // request is pending and unexpired, once each.
    void approval() {
        if (!facts_.approval) {
            add("approver", Effect::forbid, "there is no such request");
            return;
        }
        const ApprovalFacts& a = *facts_.approval;
        const std::string r = request_name(a);
        const auto& roles = policy_.dual_control.approvers;
        if (std::find(roles.begin(), roles.end(), rq_.role) == roles.end())
            add("approver", Effect::forbid, "the policy does not let " + a_role(rq_.role) + " approve or reject requests");
        else if (a.requester == rq_.actor)
            add("approver", Effect::forbid, "nobody approves or rejects their own request: " + r + " is " + a.requester + "'s");
        else if (a.state != ApprovalState::pending)
            add("approver", Effect::forbid, r + " is " + std::string(approval_state_name(a.state)) + ", no longer pending");
        else if (now_ >= a.expires_us)
            add("approver", Effect::forbid, r + " expired at " + when(a.expires_us));
        else if (std::find(a.granted_by.begin(), a.granted_by.end(), rq_.actor) != a.granted_by.end())
            add("approver", Effect::forbid, "you approved " + r + " already");
        else
            add("approver", Effect::permit, "a second person decides " + r + " (" + a.requester + "'s), pending until " + when(a.expires_us));
    }

    // Someone else holds the account now, and the policy makes check-outs exclusive.
    bool held_by_another() const {
        return facts_.holder && facts_.holder->until_us > now_ && facts_.holder->name != rq_.actor && policy_.checkout_exclusive;
    }

    void checkout_window() {
        if (inside_term(term())) {
            add("term-window", Effect::permit, term_sentence());
            if (rq_.break_glass && !held_by_another())
                add("break-glass", Effect::note, "break-glass is not needed inside a term: the check-out is an ordinary one");
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
            add("exclusive", Effect::note, "the check-out by " + h.name + " ended at " + when(h.until_us));
            return;
        }
        if (h.name == rq_.actor) {
            if (rq_.action == Action::checkout && policy_.checkout_exclusive)
                add("exclusive", Effect::forbid, "you already hold it until " + when(h.until_us));
            else
                add("exclusive", Effect::note, "you hold its check-out until " + when(h.until_us));
            return;
        }
        const std::string held = "it is checked out by " + h.name + " until " + when(h.until_us);
        if (!policy_.checkout_exclusive) {
            add("exclusive", Effect::note, held + " (the policy allows sharing it)");
            return;
        }
        if (!rq_.break_glass) {
            std::string s = held;
            if (may_break_glass()) s += "; with a reason, `--break-glass` " + std::string(taking().glass) + " anyway, flagged in the log";
            add("exclusive", Effect::forbid, std::move(s));
            return;
        }
        if (!glass_may_break(held)) return;
        add("exclusive", Effect::permit, "break-glass past the check-out by " + h.name + ": the " + std::string(taking().noun) + " is flagged in the log");
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
            add("term-window", Effect::note, unit_stands(term()) + "; the policy lets an admin reveal outside every term without break-glass");
        } else {
            add("term-window", Effect::forbid, "sub-district accounts are usable only inside a term: " + unit_stands(term()));
        }
        checkout_holder();
        if (is_blank(rq_.reason)) {
            add("reason-required", Effect::forbid, "a password is shown only for a reason");
        } else {
            oblige(Obligation::record_reason);
            add("reason-required", Effect::note, "the reason is recorded with the reveal");
        }
    }

    void checkout_duration() {
        std::int64_t duration = rq_.duration_us.value_or(policy_.checkout_default_us);
        std::string most = format_duration(policy_.checkout_max_us);
        if (duration <= 0) {
            add("max-duration", Effect::forbid, "a check-out must last some time, at most " + most);
            return;
        }
        if (duration > policy_.checkout_max_us) {
            add("max-duration", Effect::forbid, "a check-out may last at most " + most + ", not " + format_duration(duration));
            return;
        }
        d_.expires_us = saturating_add(now_, duration);
        oblige(Obligation::expire_at);
        add("max-duration", Effect::note, "the check-out lasts " + format_duration(duration) + ", until " + when(d_.expires_us));
    }

    // Who may act at each step of a handover, and in which state.
    void handover() {
        if (!facts_.handover) {
            add("handover", Effect::forbid, "there is no such handover");
            return;
        }
        const HandoverFacts& h = *facts_.handover;
        const std::string state(handover_state_name(h.state));
        auto is_party = [&](std::string_view who) {
            return who == h.receiver || std::find(h.outgoing.begin(), h.outgoing.end(), who) != h.outgoing.end();
        };
        switch (rq_.action) {
        case Action::accept_handover:
            if (h.state != HandoverState::started)
                add("handover-state", Effect::forbid, "only a started handover can be accepted; this one is " + state);
            else if (rq_.actor != h.receiver)
                add("handover-receiver", Effect::forbid, "only the receiver, " + quoted(h.receiver) + ", may accept this handover");
            else if (policy_.handover_rotate_before_accept && h.unrotated > 0)
                add("rotate-before-accept", Effect::forbid,
                    std::to_string(h.unrotated) + " account(s) still have the password handed over; the policy requires a new one before acceptance");
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-receiver", Effect::permit, "the receiver accepts the handover with their own key");
            return;
        case Action::witness_handover:
            if (h.state != HandoverState::accepted)
                add("handover-state", Effect::forbid, "only an accepted handover can be witnessed; this one is " + state);
            else if (h.witness && rq_.actor != *h.witness)
                add("handover-witness", Effect::forbid, "only the named witness, " + quoted(*h.witness) + ", may witness this handover");
            else if (rq_.actor == h.started_by || is_party(rq_.actor))
                add("handover-witness", Effect::forbid, "a witness is a second person: not who started the handover, nor a party to it");
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-witness", Effect::permit, "a second person witnesses the accepted handover");
            return;
        case Action::cancel_handover:
            if (h.state == HandoverState::completed || h.state == HandoverState::cancelled)
                add("handover-state", Effect::forbid, "a handover can be cancelled only before it completes; this one is " + state);
            else
                add("handover-state", Effect::permit, "the handover is " + state + ", not yet complete");
            return;
        case Action::complete_handover: {
            const bool needs_witness = policy_.handover_witness_required || h.witness.has_value();
            const bool signed_enough = h.state == HandoverState::witnessed || (h.state == HandoverState::accepted && !needs_witness);
            if (signed_enough && h.unlisted > 0)
                forbid_unlisted(h);
            else if (signed_enough && release_missing(h))
                return;
            else if (signed_enough)
                add("handover-state", Effect::permit, "the handover is " + state + " and has every signature it needs");
            else if (h.state == HandoverState::accepted)
                add("handover-witness", Effect::forbid,
                    std::string("the handover needs a witness first (") + (h.witness ? "one was named" : "the policy requires one") + ")");
            else
                add("handover-state", Effect::forbid, "a handover completes only once accepted (and witnessed when needed); this one is " + state);
            return;
        }
        case Action::release_handover: {
            const bool open = h.state == HandoverState::started || h.state == HandoverState::accepted || h.state == HandoverState::witnessed;
            if (!open)
                add("handover-state", Effect::forbid, "a handover can be released only before it completes; this one is " + state);
            else if (std::find(h.outgoing.begin(), h.outgoing.end(), rq_.actor) == h.outgoing.end())
                add("handover-release", Effect::forbid,
                    h.outgoing.empty() ? std::string("this handover has no outgoing custodian to release it")
                                       : "only an outgoing custodian (" + quoted_list(h.outgoing) + ") may release this handover");
            else if (std::find(h.released.begin(), h.released.end(), rq_.actor) != h.released.end())
                add("handover-release", Effect::forbid, quoted(rq_.actor) + " released this handover already");
            else if (h.unlisted > 0)
                forbid_unlisted(h);
            else
                add("handover-release", Effect::permit, "an outgoing custodian releases the sub-district with their own key");
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
            if (!h.outgoing.empty()) add("handover-release", Effect::note, "every outgoing custodian released the handover");
            return false;
        }
        if (policy_.handover_release_required) {
            add("handover-release", Effect::forbid,
                "the outgoing custodian(s) " + quoted_list(missing) +
                    " have not released the handover; the policy requires it ([handover] release_required)");
            return true;
        }
        add("handover-release", Effect::note,
            "completed without the release of " + quoted_list(missing) + ": the policy allows it ([handover] release_required = false)");
        return false;
    }

    // The receiver's and the witness's signatures, and the minutes, cover the accounts listed
    // at the start: an account that got its password since is in none of them, yet would pass
    // to the receiver with the unit.
    void forbid_unlisted(const HandoverFacts& h) {
        add("handover-accounts", Effect::forbid,
            std::to_string(h.unlisted) +
                " account(s) of the sub-district got a password after the handover started and are not in it; cancel it and start a new one");
    }

    void checkin() {
        if (!facts_.holder) {
            add("not-held", Effect::forbid, "it is not checked out");
            return;
        }
        const Holder& h = *facts_.holder;
        if (h.until_us <= now_) {
            add("not-held", Effect::forbid, "it is not checked out (the check-out by " + h.name + " ended at " + when(h.until_us) + ")");
            return;
        }
        if (h.name != rq_.actor) {
            if (rq_.role != Role::admin) {
                add("not-held", Effect::forbid, "it is checked out by " + h.name);
                return;
            }
            add("not-held", Effect::note, "an admin returns " + h.name + "'s check-out");
        } else {
            add("not-held", Effect::note, "you hold it until " + when(h.until_us));
        }
        if (policy_.rotate_after_checkin) {
            oblige(Obligation::rotate_after_checkin);
            add("rotate-after-checkin", Effect::note, "the policy sets rotation due after a check-in");
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
        auto joined = [](const std::vector<std::string>& list) {
            std::string out;
            for (std::size_t i = 0; i < list.size(); ++i) out += (i == 0 ? "" : i + 1 == list.size() ? " or " : ", ") + list[i];
            return out;
        };
        for (const ForbidRule& f : policy_.forbid) {
            if (!forbid_applies(f)) continue;
            std::string who = f.people.empty() ? (f.role ? a_role(*f.role) : std::string("anyone"))
                                               : joined(f.people) + (f.role ? " (" + a_role(*f.role) + ")" : std::string());
            std::string text = "the policy forbids " + who + " to " + description();
            if (!f.units.empty()) text += " in " + joined(f.units);
            if (f.line > 0)
                add("forbid line " + std::to_string(f.line), Effect::forbid, text + " (line " + std::to_string(f.line) + ")");
            else
                add("forbid", Effect::forbid, std::move(text));
        }
    }

    const Request& rq_;
    const Facts& facts_;
    const Policy& policy_;
    std::int64_t now_;
    Decision d_;
};

} // namespace

bool is_handover_step(Action a) noexcept {
    return a == Action::accept_handover || a == Action::witness_handover || a == Action::cancel_handover ||
           a == Action::complete_handover || a == Action::release_handover;
}

Decision decide(const Request& request, const Facts& facts, const Policy& policy, std::int64_t now_us) {
    return Deciding(request, facts, policy, now_us).run();
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
