// The policy engine, read as a specification: who may do what, where a sub-district stands in
// its terms, and the rules of a check-out and a check-in.
#include "policy/built_in_checklist.hpp"
#include "policy/engine.hpp"
#include "policy/instant.hpp"
#include "policy/unit_dependence.hpp"

#include "support/forbid_rule.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <limits>

using namespace brankas::policy;
using brankas::test::forbid_rule;

namespace {

// 2030-01-01 00:00 in WIB (UTC+7): the moment every case below is decided at.
constexpr std::int64_t now = 1'893'430'800 * second_us;

Request ask(Role role, Action action, std::string actor = "siti") {
    Request r;
    r.role = role;
    r.action = action;
    r.actor = std::move(actor);
    return r;
}

Request checkout_by(Role role, std::string reason = "posting the results", std::string actor = "siti") {
    Request r = ask(role, Action::checkout, std::move(actor));
    r.reason = std::move(reason);
    return r;
}

Facts on(UnitScope scope, std::optional<TermState> term = std::nullopt) {
    Facts f;
    f.scope = scope;
    f.term = term;
    return f;
}

Facts held_by(std::string holder, std::int64_t until_us, TermState term = TermState::active) {
    Facts f = on(UnitScope::granted, term);
    f.holder = Holder{std::move(holder), until_us};
    return f;
}

Policy policy_where(auto&& change) {
    Policy p;
    change(p);
    return p;
}

// A handover of one unit from operator1 to operator2, started by admin1.
HandoverFacts handover_in(HandoverState state) {
    HandoverFacts h;
    h.state = state;
    h.started_by = "admin1";
    h.receiver = "operator2";
    h.outgoing = {"operator1"};
    return h;
}

// A handover at the step `action` acts on, where the asker ("siti") is the receiver when
// accepting and no party otherwise.
std::optional<HandoverFacts> ready_for(Action action) {
    HandoverFacts h = handover_in(HandoverState::started);
    switch (action) {
    case Action::accept_handover:
        h.receiver = "siti";
        return h;
    case Action::release_handover:
        h.outgoing = {"siti"};
        return h;
    case Action::witness_handover:
    case Action::cancel_handover:
    case Action::complete_handover:
        h.state = HandoverState::accepted;
        return h;
    default: return std::nullopt;
    }
}

// A request by budi for a break-glass check-out, pending, that expires an hour from now.
ApprovalFacts request_by(std::string requester = "budi") {
    ApprovalFacts a;
    a.id = 41;
    a.requester = std::move(requester);
    a.expires_us = now + hour_us;
    a.matches = true;
    return a;
}

bool has_reason(const Decision& d, std::string_view rule, Effect effect) {
    for (const Reason& r : d.reasons)
        if (r.rule == rule && r.effect == effect) return true;
    return false;
}

constexpr std::array roles{Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery};
constexpr std::array term_states{TermState::none, TermState::upcoming, TermState::active, TermState::grace, TermState::ended};
constexpr std::array scopes{UnitScope::none, UnitScope::granted, UnitScope::not_granted};

// When the built-in matrix lets a role do an action.
enum class When {
    never,
    always,
    granted,         // on a sub-district the principal is granted
    granted_in_term, // ... and only inside its term or grace period
    in_term,         // any sub-district, inside its term or grace period (otherwise: break-glass)
};

struct MatrixRow {
    Role role;
    Action action;
    When when;
};

// Every role and every action. A check-out is asked with a reason and the default duration on an
// account nobody holds; a check-in returns the actor's own check-out.
constexpr MatrixRow matrix[] = {
    // admins manage everything; their check-outs too need a term (or break-glass, tested below)
    {Role::admin, Action::read_metadata, When::always},
    {Role::admin, Action::manage_units, When::always},
    {Role::admin, Action::manage_accounts, When::always},
    {Role::admin, Action::manage_people, When::always},
    {Role::admin, Action::manage_terms, When::always},
    {Role::admin, Action::set_policy, When::always},
    {Role::admin, Action::write_secret, When::always},
    {Role::admin, Action::read_secret, When::in_term}, // outside every term: break-glass
    {Role::admin, Action::read_history, When::always},
    {Role::admin, Action::read_unit, When::always},
    {Role::admin, Action::take_checkpoint, When::always},
    {Role::admin, Action::checkout, When::in_term},
    {Role::admin, Action::checkin, When::always},
    {Role::admin, Action::rotate, When::always},
    {Role::admin, Action::enforce, When::always},
    {Role::admin, Action::tick_checklist, When::always},
    {Role::admin, Action::create_backup, When::always},
    {Role::admin, Action::recover, When::never}, // no admin resets another's keys without the quorum
    {Role::admin, Action::start_handover, When::always},
    {Role::admin, Action::accept_handover, When::never},
    {Role::admin, Action::release_handover, When::never},
    {Role::admin, Action::witness_handover, When::always},
    {Role::admin, Action::cancel_handover, When::always},
    {Role::admin, Action::approve, When::always},
    {Role::admin, Action::complete_handover, When::always},
    // custodians: their own sub-districts, and their passwords only inside the term
    {Role::custodian, Action::read_metadata, When::always},
    {Role::custodian, Action::manage_units, When::never},
    {Role::custodian, Action::manage_accounts, When::never},
    {Role::custodian, Action::manage_people, When::never},
    {Role::custodian, Action::manage_terms, When::never},
    {Role::custodian, Action::set_policy, When::never},
    {Role::custodian, Action::write_secret, When::granted_in_term},
    {Role::custodian, Action::read_secret, When::granted_in_term},
    {Role::custodian, Action::read_history, When::granted},
    {Role::custodian, Action::read_unit, When::granted},
    {Role::custodian, Action::take_checkpoint, When::always},
    {Role::custodian, Action::checkout, When::granted_in_term},
    {Role::custodian, Action::checkin, When::granted},
    {Role::custodian, Action::rotate, When::granted_in_term},
    {Role::custodian, Action::enforce, When::never},
    {Role::custodian, Action::recover, When::never},
    {Role::custodian, Action::tick_checklist, When::granted_in_term},
    {Role::custodian, Action::create_backup, When::never}, // a whole-vault copy is beyond one sub-district
    {Role::custodian, Action::start_handover, When::never},
    {Role::custodian, Action::accept_handover, When::always},
    {Role::custodian, Action::release_handover, When::always},
    {Role::custodian, Action::witness_handover, When::never},
    {Role::custodian, Action::cancel_handover, When::never},
    {Role::custodian, Action::approve, When::always},
    {Role::custodian, Action::complete_handover, When::never},
    // auditors: metadata, history and the log; never a password
    {Role::auditor, Action::read_metadata, When::always},
    {Role::auditor, Action::manage_units, When::never},
    {Role::auditor, Action::manage_accounts, When::never},
    {Role::auditor, Action::manage_people, When::never},
    {Role::auditor, Action::manage_terms, When::never},
    {Role::auditor, Action::set_policy, When::never},
    {Role::auditor, Action::write_secret, When::never},
    {Role::auditor, Action::read_secret, When::never},
    {Role::auditor, Action::read_history, When::always},
    {Role::auditor, Action::read_unit, When::always},
    {Role::auditor, Action::take_checkpoint, When::always},
    {Role::auditor, Action::checkout, When::never},
    {Role::auditor, Action::checkin, When::never},
    {Role::auditor, Action::rotate, When::never},
    {Role::auditor, Action::enforce, When::never},
    {Role::auditor, Action::recover, When::never},
    {Role::auditor, Action::tick_checklist, When::never},
    {Role::auditor, Action::create_backup, When::always}, // oversight keeps a signed copy of its own
    {Role::auditor, Action::start_handover, When::never},
    {Role::auditor, Action::accept_handover, When::never},
    {Role::auditor, Action::release_handover, When::never},
    {Role::auditor, Action::witness_handover, When::always},
    {Role::auditor, Action::cancel_handover, When::never},
    {Role::auditor, Action::approve, When::always},
    {Role::auditor, Action::complete_handover, When::never},
    // the enforcer seals new passwords it cannot read back, and runs the end-of-term job
    {Role::enforcer, Action::read_metadata, When::always},
    {Role::enforcer, Action::manage_units, When::never},
    {Role::enforcer, Action::manage_accounts, When::never},
    {Role::enforcer, Action::manage_people, When::never},
    {Role::enforcer, Action::manage_terms, When::never},
    {Role::enforcer, Action::set_policy, When::never},
    {Role::enforcer, Action::write_secret, When::never}, // only the pending version, under enforce
    {Role::enforcer, Action::read_secret, When::never},
    {Role::enforcer, Action::read_history, When::never},
    {Role::enforcer, Action::read_unit, When::always},
    {Role::enforcer, Action::take_checkpoint, When::never},
    {Role::enforcer, Action::checkout, When::never},
    {Role::enforcer, Action::checkin, When::never},
    {Role::enforcer, Action::rotate, When::never},
    {Role::enforcer, Action::enforce, When::always},
    {Role::enforcer, Action::recover, When::never},
    {Role::enforcer, Action::tick_checklist, When::never},
    {Role::enforcer, Action::create_backup, When::never},
    {Role::enforcer, Action::start_handover, When::never},
    {Role::enforcer, Action::accept_handover, When::never},
    {Role::enforcer, Action::release_handover, When::never},
    {Role::enforcer, Action::witness_handover, When::never},
    {Role::enforcer, Action::cancel_handover, When::never},
    {Role::enforcer, Action::approve, When::never},
    {Role::enforcer, Action::complete_handover, When::never},
    // the recovery principal brings people back and does nothing else: it reads no password
    {Role::recovery, Action::read_metadata, When::never},
    {Role::recovery, Action::manage_units, When::never},
    {Role::recovery, Action::manage_accounts, When::never},
    {Role::recovery, Action::manage_people, When::never},
    {Role::recovery, Action::manage_terms, When::never},
    {Role::recovery, Action::set_policy, When::never},
    {Role::recovery, Action::write_secret, When::never},
    {Role::recovery, Action::read_secret, When::never},
    {Role::recovery, Action::read_history, When::never},
    {Role::recovery, Action::read_unit, When::never},
    {Role::recovery, Action::take_checkpoint, When::never},
    {Role::recovery, Action::checkout, When::never},
    {Role::recovery, Action::checkin, When::never},
    {Role::recovery, Action::rotate, When::never},
    {Role::recovery, Action::enforce, When::never},
    {Role::recovery, Action::tick_checklist, When::never},
    {Role::recovery, Action::create_backup, When::never},
    {Role::recovery, Action::recover, When::always},
    {Role::recovery, Action::start_handover, When::never},
    {Role::recovery, Action::accept_handover, When::never},
    {Role::recovery, Action::release_handover, When::never},
    {Role::recovery, Action::witness_handover, When::never},
    {Role::recovery, Action::cancel_handover, When::never},
    {Role::recovery, Action::approve, When::never},
    {Role::recovery, Action::complete_handover, When::never},
};

bool expected(When when, UnitScope scope, TermState term) {
    bool in_term = term == TermState::active || term == TermState::grace;
    switch (when) {
    case When::never: return false;
    case When::always: return true;
    case When::granted: return scope == UnitScope::granted;
    case When::granted_in_term: return scope == UnitScope::granted && in_term;
    case When::in_term: return in_term;
    }
    return false;
}

} // namespace

TEST_CASE("the role matrix covers every role and action") {
    for (Role role : roles)
        for (Action action : all_actions()) {
            CAPTURE(role_name(role));
            CAPTURE(action_name(action));
            int rows = 0;
            for (const MatrixRow& row : matrix) rows += row.role == role && row.action == action;
            CHECK(rows == 1);
        }
}

TEST_CASE("the role matrix: every role, action, term state and scope") {
    Policy policy;
    // Every role the matrix lets approve is named an approver here; whom the policy names by
    // default is a question for the dual-control tests.
    policy.dual_control.approvers = {Role::admin, Role::custodian, Role::auditor};
    for (const MatrixRow& row : matrix)
        for (TermState term : term_states)
            for (UnitScope scope : scopes) {
                CAPTURE(role_name(row.role));
                CAPTURE(action_name(row.action));
                CAPTURE(term_state_name(term));
                CAPTURE(static_cast<int>(scope));
                Request request = ask(row.role, row.action);
                request.reason = "posting the results";
                Facts facts = on(scope, term);
                if (row.action == Action::checkin) facts.holder = Holder{"siti", now + hour_us};
                facts.handover = ready_for(row.action);
                if (row.action == Action::approve) facts.approval = request_by();
                Decision d = decide(request, facts, policy, now);
                CHECK(d.allowed() == expected(row.when, scope, term));
                // The matrix always speaks first, whatever decides.
                REQUIRE_FALSE(d.reasons.empty());
                CHECK(d.reasons.front().rule == "role-matrix");
                CHECK(d.denial().empty() == d.allowed());
            }
}

TEST_CASE("role_may: the matrix alone, with the grant and without the term") {
    // What the matrix row says, whatever the term: a row that needs a term (or break-glass) is
    // possible; a row that needs the grant is possible only with it.
    auto possible = [](When when, UnitScope scope) {
        switch (when) {
        case When::never: return false;
        case When::always:
        case When::in_term: return true;
        case When::granted:
        case When::granted_in_term: return scope == UnitScope::granted;
        }
        return false;
    };
    for (const MatrixRow& row : matrix)
        for (UnitScope scope : scopes) {
            CAPTURE(role_name(row.role));
            CAPTURE(action_name(row.action));
            CAPTURE(static_cast<int>(scope));
            CHECK(role_may(row.role, row.action, scope) == possible(row.when, scope));
        }
}

TEST_CASE("role_may: who may write a sealed version") {
    struct Row {
        Role role;
        Action action;
        UnitScope scope;
        bool may;
    };
    const Row table[] = {
        {Role::admin, Action::write_secret, UnitScope::not_granted, true},
        {Role::admin, Action::rotate, UnitScope::none, true},
        {Role::admin, Action::manage_people, UnitScope::none, true},      // a re-seal after a key rotation
        {Role::custodian, Action::write_secret, UnitScope::granted, true},
        {Role::custodian, Action::write_secret, UnitScope::not_granted, false},
        {Role::custodian, Action::rotate, UnitScope::granted, true},
        {Role::custodian, Action::rotate, UnitScope::not_granted, false},
        {Role::custodian, Action::manage_people, UnitScope::granted, false}, // never a re-seal
        {Role::enforcer, Action::enforce, UnitScope::none, true},          // its fresh pending password
        {Role::enforcer, Action::write_secret, UnitScope::none, false},
        {Role::enforcer, Action::rotate, UnitScope::none, false},
        {Role::auditor, Action::write_secret, UnitScope::none, false},
        {Role::recovery, Action::write_secret, UnitScope::none, false},
        {Role::recovery, Action::manage_people, UnitScope::none, false},
    };
    for (const Row& row : table) {
        CAPTURE(role_name(row.role));
        CAPTURE(action_name(row.action));
        CHECK(role_may(row.role, row.action, row.scope) == row.may);
    }
}

TEST_CASE("a refusal of the role matrix is known again from its English, and no other text is") {
    // Every refusal the matrix makes, for every role and action, read back as the phrase it was.
    std::size_t known = 0;
    for (Role role : {Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery})
        for (Action action : all_actions())
            for (UnitScope scope : {UnitScope::none, UnitScope::not_granted}) {
                Decision d = decide(ask(role, action), on(scope, TermState::active), Policy{}, now);
                const Reason* r = d.denying_reason();
                if (r == nullptr || r->rule != "role-matrix") continue;
                CAPTURE(r->text);
                auto phrase = denial_phrase(r->text);
                REQUIRE(phrase);
                CHECK(phrase->english() == r->text);
                ++known;
            }
    CHECK(known > 40);
    auto custodian = denial_phrase("a custodian may not manage users");
    REQUIRE(custodian);
    CHECK(custodian->in([](const char* id) -> std::string_view {
        if (std::string_view(id) == "%1$s may not %2$s") return "%1$s tidak boleh %2$s";
        if (std::string_view(id) == "a custodian") return "petugas kecamatan";
        if (std::string_view(id) == "manage users") return "mengelola pengguna";
        return id;
    }) == "petugas kecamatan tidak boleh mengelola pengguna");
    // A sentence with other values, a near miss, or text a person could have typed: shown as written.
    for (std::string_view other : {"a check-out may last at most 8h, not 99d", "a custodian may not manage users.", "A custodian may not manage users",
                                   "a custodian may not fly", "siti may not manage users", "", "the policy forbids siti to check passwords out (line 2)"}) {
        CAPTURE(other);
        CHECK_FALSE(denial_phrase(other));
    }
}

TEST_CASE("a missing term fact counts as no term") {
    Decision read = decide(ask(Role::custodian, Action::read_secret), on(UnitScope::granted), Policy{}, now);
    CHECK_FALSE(read.allowed());
    CHECK(read.denial() == "sub-district accounts are usable only inside a term: it has no term");
    CHECK_FALSE(decide(checkout_by(Role::admin), on(UnitScope::none), Policy{}, now).allowed());
    // Actions that do not depend on a term need no term fact.
    CHECK(decide(ask(Role::custodian, Action::read_history), on(UnitScope::granted), Policy{}, now).allowed());
    CHECK(decide(ask(Role::admin, Action::read_history), on(UnitScope::none), Policy{}, now).allowed());
    // A reveal without a term fact is a reveal outside every term: break-glass.
    CHECK_FALSE(decide(ask(Role::admin, Action::read_secret), on(UnitScope::none), Policy{}, now).allowed());
}

TEST_CASE("matrix denials are one sentence naming the role and the action") {
    struct Row {
        Role role;
        Action action;
        UnitScope scope;
        std::string_view sentence;
    };
    const Row table[] = {
        {Role::auditor, Action::read_secret, UnitScope::none, "an auditor may not read passwords"},
        {Role::enforcer, Action::read_secret, UnitScope::none, "an enforcer may not read passwords"},
        {Role::enforcer, Action::checkout, UnitScope::none, "an enforcer may not check passwords out"},
        {Role::custodian, Action::manage_people, UnitScope::none, "a custodian may not manage users"},
        {Role::custodian, Action::set_policy, UnitScope::none, "a custodian may not set the policy"},
        {Role::custodian, Action::read_secret, UnitScope::not_granted, "a custodian may not read passwords of a sub-district they are not granted"},
        {Role::custodian, Action::write_secret, UnitScope::not_granted, "a custodian may not set passwords of a sub-district they are not granted"},
        {Role::custodian, Action::read_history, UnitScope::not_granted, "a custodian may not read password history of a sub-district they are not granted"},
        {Role::auditor, Action::enforce, UnitScope::none, "an auditor may not run the end-of-term enforcement"},
        {Role::auditor, Action::tick_checklist, UnitScope::none, "an auditor may not tick deactivation checklists"},
        {Role::recovery, Action::read_metadata, UnitScope::none, "a recovery may not read the vault's metadata"},
    };
    for (const Row& row : table) {
        CAPTURE(row.sentence);
        Decision d = decide(ask(row.role, row.action), on(row.scope, TermState::active), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == row.sentence);
    }
}

TEST_CASE("a granted custodian outside the term is told where the sub-district stands") {
    struct Row {
        std::optional<TermState> term;
        std::string_view sentence;
    };
    const Row table[] = {
        {std::nullopt, "sub-district accounts are usable only inside a term: it has no term"},
        {TermState::none, "sub-district accounts are usable only inside a term: it has no term"},
        {TermState::upcoming, "sub-district accounts are usable only inside a term: it is before its term"},
        {TermState::ended, "sub-district accounts are usable only inside a term: it is after its term"},
    };
    for (const Row& row : table) {
        CAPTURE(row.sentence);
        Decision d = decide(ask(Role::custodian, Action::read_secret), on(UnitScope::granted, row.term), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == row.sentence);
        CHECK(has_reason(d, "role-matrix", Effect::permit));
        CHECK(has_reason(d, "term-window", Effect::forbid));
    }
}

TEST_CASE("the recovery principal may recover and may not read a password") {
    Decision recover = decide(ask(Role::recovery, Action::recover), on(UnitScope::none), Policy{}, now);
    CHECK(recover.allowed());
    CHECK(has_reason(recover, "role-matrix", Effect::permit));
    Decision read = decide(ask(Role::recovery, Action::read_secret), on(UnitScope::granted, TermState::active), Policy{}, now);
    CHECK_FALSE(read.allowed());
    CHECK(read.denial() == "a recovery may not read passwords");
    Decision admin = decide(ask(Role::admin, Action::recover), on(UnitScope::none), Policy{}, now);
    CHECK_FALSE(admin.allowed());
    CHECK(admin.denial() == "an admin may not reset an admin's passphrase or enroll an admin with the recovery shares");
}

TEST_CASE("term_state: active beats grace beats upcoming beats ended") {
    const std::int64_t grace = 7 * day_us;
    struct Row {
        std::string_view name;
        std::vector<TermWindow> windows;
        TermState state;
    };
    const Row table[] = {
        {"no windows", {}, TermState::none},
        {"inside", {{"Pemilu 2029", now - day_us, now + day_us}}, TermState::active},
        {"starts exactly now", {{"Pemilu 2029", now, now + day_us}}, TermState::active},
        {"ends exactly now: grace begins", {{"Pemilu 2029", now - day_us, now}}, TermState::grace},
        {"a microsecond before the grace ends", {{"Pemilu 2029", now - 30 * day_us, now - grace + 1}}, TermState::grace},
        {"grace ends exactly now", {{"Pemilu 2029", now - 30 * day_us, now - grace}}, TermState::ended},
        {"long ended", {{"Pemilu 2024", now - 900 * day_us, now - 800 * day_us}}, TermState::ended},
        {"not started", {{"Pilkada 2030", now + day_us, now + 90 * day_us}}, TermState::upcoming},
        {"ended before it began", {{"Pilkada 2030", now + day_us, now - 30 * day_us}}, TermState::ended},
        {"ended and upcoming", {{"Pemilu 2024", now - 900 * day_us, now - 800 * day_us}, {"Pilkada 2030", now + day_us, now + 90 * day_us}},
         TermState::upcoming},
        {"grace and upcoming", {{"Pemilu 2029", now - 30 * day_us, now - day_us}, {"Pilkada 2030", now + day_us, now + 90 * day_us}},
         TermState::grace},
        {"grace and active", {{"Pemilu 2029", now - 30 * day_us, now - day_us}, {"Pilkada 2030", now - hour_us, now + 90 * day_us}},
         TermState::active},
        {"active listed after ended", {{"Pemilu 2024", now - 900 * day_us, now - 800 * day_us}, {"Pemilu 2029", now - day_us, now + day_us}},
         TermState::active},
    };
    for (const Row& row : table) {
        CAPTURE(row.name);
        CHECK(term_state(row.windows, grace, now) == row.state);
    }
}

TEST_CASE("term_state with no grace period: the end is the end") {
    std::vector<TermWindow> ends_now{{"Pemilu 2029", now - day_us, now}};
    CHECK(term_state(ends_now, 0, now) == TermState::ended);
    CHECK(term_state(ends_now, 0, now - 1) == TermState::active);
    // A window ending at the very end of time does not wrap around with its grace.
    std::vector<TermWindow> forever{{"forever", 0, std::numeric_limits<std::int64_t>::max()}};
    CHECK(term_state(forever, 7 * day_us, now) == TermState::active);
}

TEST_CASE("term state names") {
    CHECK(term_state_name(TermState::none) == "no term");
    CHECK(term_state_name(TermState::upcoming) == "before its term");
    CHECK(term_state_name(TermState::active) == "inside its term");
    CHECK(term_state_name(TermState::grace) == "in its grace period");
    CHECK(term_state_name(TermState::ended) == "after its term");
}

TEST_CASE("a check-out inside the term is permitted by the term window and expires") {
    Facts facts = on(UnitScope::granted, TermState::active);
    facts.term_name = "Pemilu 2029";
    facts.term_end_us = now + 30 * day_us;
    Decision d = decide(checkout_by(Role::custodian), facts, Policy{}, now);
    REQUIRE(d.allowed());
    CHECK(has_reason(d, "term-window", Effect::permit));
    CHECK(d.obliges(Obligation::expire_at));
    CHECK(d.obliges(Obligation::record_reason));
    CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
    CHECK(d.expires_us == now + 2 * hour_us); // the default duration
    bool named = false;
    for (const Reason& r : d.reasons)
        if (r.rule == "term-window") named = r.text == "it is inside its term 'Pemilu 2029', until 2030-01-31 00:00 WIB";
    CHECK(named);
}

TEST_CASE("a check-out in the grace period names the deadline") {
    Facts facts = on(UnitScope::granted, TermState::grace);
    facts.term_name = "Pemilu 2029";
    facts.term_end_us = now - day_us;
    Decision d = decide(checkout_by(Role::custodian), facts, Policy{}, now);
    REQUIRE(d.allowed());
    bool named = false;
    for (const Reason& r : d.reasons)
        if (r.rule == "term-window") named = r.text == "it is in its grace period after 'Pemilu 2029', until 2030-01-07 00:00 WIB";
    CHECK(named);
}

TEST_CASE("check-out: the duration asked for, the default and the maximum") {
    Facts facts = on(UnitScope::granted, TermState::active);
    SUBCASE("the default duration sets the expiry") {
        Decision d = decide(checkout_by(Role::admin), facts, Policy{}, now);
        REQUIRE(d.allowed());
        CHECK(d.expires_us == now + 2 * hour_us);
    }
    SUBCASE("a duration asked for sets the expiry") {
        Request r = checkout_by(Role::admin);
        r.duration_us = 30 * minute_us;
        Decision d = decide(r, facts, Policy{}, now);
        REQUIRE(d.allowed());
        CHECK(d.expires_us == now + 30 * minute_us);
    }
    SUBCASE("exactly the maximum is allowed") {
        Request r = checkout_by(Role::admin);
        r.duration_us = 8 * hour_us;
        CHECK(decide(r, facts, Policy{}, now).allowed());
    }
    SUBCASE("longer than the maximum is refused, naming the maximum") {
        Request r = checkout_by(Role::admin);
        r.duration_us = 8 * hour_us + 1 * second_us;
        Decision d = decide(r, facts, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "max-duration", Effect::forbid));
        CHECK(d.denial() == "a check-out may last at most 8h, not 8h1s");
        CHECK(d.obligations.empty());
        CHECK(d.expires_us == 0);
    }
    SUBCASE("zero or less is refused") {
        Request r = checkout_by(Role::admin);
        r.duration_us = 0;
        CHECK(decide(r, facts, Policy{}, now).denial() == "a check-out must last some time, at most 8h");
        r.duration_us = -hour_us;
        CHECK_FALSE(decide(r, facts, Policy{}, now).allowed());
    }
    SUBCASE("a default longer than the maximum is refused too") {
        Policy p = policy_where([](Policy& x) { x.checkout_default_us = 10 * hour_us; });
        CHECK(has_reason(decide(checkout_by(Role::admin), facts, p, now), "max-duration", Effect::forbid));
    }
}

TEST_CASE("check-out: a reason") {
    Facts facts = on(UnitScope::granted, TermState::active);
    SUBCASE("is required by default") {
        Decision d = decide(checkout_by(Role::custodian, ""), facts, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "reason-required", Effect::forbid));
        CHECK(d.denial() == "a check-out needs a reason (the policy requires one)");
    }
    SUBCASE("of blanks only is no reason") {
        CHECK_FALSE(decide(checkout_by(Role::custodian, "  \t"), facts, Policy{}, now).allowed());
    }
    SUBCASE("may be left out when the policy says so, and is then not recorded") {
        Policy p = policy_where([](Policy& x) { x.checkout_reason_required = false; });
        Decision d = decide(checkout_by(Role::custodian, ""), facts, p, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::record_reason));
    }
    SUBCASE("given is recorded") {
        CHECK(decide(checkout_by(Role::custodian), facts, Policy{}, now).obliges(Obligation::record_reason));
    }
}

TEST_CASE("check-out: one holder at a time") {
    SUBCASE("another holder is named, with the time in the district's zone") {
        Decision d = decide(checkout_by(Role::admin), held_by("budi", now + 3 * hour_us), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "exclusive", Effect::forbid));
        CHECK(d.denial() == "it is checked out by budi until 2030-01-01 03:00 WIB; with a reason, `--break-glass` checks it out anyway, flagged in the log");
    }
    SUBCASE("in WITA the same hold ends an hour later on the clock") {
        Policy p = policy_where([](Policy& x) { x.time_zone = {"WITA", 8 * 60}; });
        CHECK(decide(checkout_by(Role::admin), held_by("budi", now + 3 * hour_us), p, now).denial().starts_with(
              "it is checked out by budi until 2030-01-01 04:00 WITA;"));
    }
    SUBCASE("the actor's own hold") {
        Decision d = decide(checkout_by(Role::custodian), held_by("siti", now + 90 * minute_us), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "you already hold it until 2030-01-01 01:30 WIB");
    }
    SUBCASE("an expired hold is no hold") {
        CHECK(decide(checkout_by(Role::custodian), held_by("budi", now), Policy{}, now).allowed());
        CHECK(decide(checkout_by(Role::custodian), held_by("budi", now - hour_us), Policy{}, now).allowed());
    }
    SUBCASE("a hold ending a microsecond from now still holds") {
        CHECK_FALSE(decide(checkout_by(Role::custodian), held_by("budi", now + 1), Policy{}, now).allowed());
    }
    SUBCASE("a policy that shares check-outs only notes the other holder") {
        Policy p = policy_where([](Policy& x) { x.checkout_exclusive = false; });
        Decision d = decide(checkout_by(Role::custodian), held_by("budi", now + hour_us), p, now);
        CHECK(d.allowed());
        CHECK(has_reason(d, "exclusive", Effect::note));
    }
}

TEST_CASE("check-out outside every term: break-glass") {
    Facts ended = on(UnitScope::granted, TermState::ended);
    SUBCASE("without --break-glass an admin is told about it") {
        Decision d = decide(checkout_by(Role::admin), ended, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "term-window", Effect::forbid));
        CHECK(d.denial() ==
              "sub-district accounts are usable only inside a term: it is after its term; "
              "with a reason, `--break-glass` checks it out anyway, flagged in the log");
    }
    SUBCASE("a custodian, who may not break the glass, is not told about it") {
        CHECK(decide(checkout_by(Role::custodian), ended, Policy{}, now).denial() ==
              "sub-district accounts are usable only inside a term: it is after its term");
    }
    SUBCASE("an admin breaks the glass with a reason, and the event is flagged") {
        for (std::optional<TermState> term : {std::optional<TermState>{}, std::optional{TermState::none},
                                              std::optional{TermState::upcoming}, std::optional{TermState::ended}}) {
            Request r = checkout_by(Role::admin);
            r.break_glass = true;
            Decision d = decide(r, on(UnitScope::none, term), Policy{}, now);
            CHECK(d.allowed());
            CHECK(has_reason(d, "break-glass", Effect::permit));
            CHECK(d.obliges(Obligation::flag_break_glass));
            CHECK(d.obliges(Obligation::record_reason));
            CHECK(d.obliges(Obligation::expire_at));
        }
    }
    SUBCASE("break-glass always needs a reason, even when check-outs do not") {
        Policy p = policy_where([](Policy& x) { x.checkout_reason_required = false; });
        Request r = checkout_by(Role::admin, "");
        r.break_glass = true;
        Decision d = decide(r, ended, p, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "a break-glass check-out needs a reason");
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
    }
    SUBCASE("not when the policy allows no break-glass") {
        Policy p = policy_where([](Policy& x) { x.break_glass_allowed = false; });
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, ended, p, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "the policy allows no break-glass check-outs (it is after its term)");
        // ... and an admin asking without it is not pointed at it.
        CHECK(decide(checkout_by(Role::admin), ended, p, now).denial() ==
              "sub-district accounts are usable only inside a term: it is after its term");
    }
    SUBCASE("not for a custodian by default") {
        Request r = checkout_by(Role::custodian);
        r.break_glass = true;
        Decision d = decide(r, ended, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "the policy does not let a custodian break the glass (it is after its term)");
    }
    SUBCASE("for a custodian of their own sub-district when the policy adds custodians") {
        Policy p = policy_where([](Policy& x) { x.break_glass_roles = {Role::admin, Role::custodian}; });
        Request r = checkout_by(Role::custodian);
        r.break_glass = true;
        Decision d = decide(r, ended, p, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::flag_break_glass));
        CHECK(decide(checkout_by(Role::custodian), ended, p, now).denial().find("--break-glass") != std::string::npos);
        // Never for a sub-district they are not granted.
        CHECK_FALSE(decide(r, on(UnitScope::not_granted, TermState::ended), p, now).allowed());
    }
    SUBCASE("inside a term break-glass is not needed and not flagged") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, on(UnitScope::none, TermState::active), Policy{}, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
        CHECK(has_reason(d, "break-glass", Effect::note));
    }
    SUBCASE("break-glass gets past another holder too, flagged") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, held_by("budi", now + hour_us, TermState::ended), Policy{}, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::flag_break_glass));
        CHECK(has_reason(d, "exclusive", Effect::permit));
    }
}

TEST_CASE("check-out of a deactivated account: only break-glass takes it") {
    auto deactivated = [](TermState term) {
        Facts f = on(UnitScope::granted, term);
        f.account = AccountStatus::deactivated;
        return f;
    };
    SUBCASE("inside a term the account's status still decides") {
        Decision d = decide(checkout_by(Role::admin), deactivated(TermState::active), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "account-status", Effect::forbid));
        CHECK(d.denial() == "the account is deactivated: only a break-glass check-out may take it");
    }
    SUBCASE("after the term the term window speaks first") {
        Decision d = decide(checkout_by(Role::admin), deactivated(TermState::ended), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "account-status", Effect::forbid));
        CHECK(d.denial().starts_with("sub-district accounts are usable only inside a term"));
    }
    SUBCASE("break-glass takes it, flagged") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, deactivated(TermState::ended), Policy{}, now);
        CHECK(d.allowed());
        CHECK_FALSE(has_reason(d, "account-status", Effect::forbid));
        CHECK(d.obliges(Obligation::flag_break_glass));
    }
    SUBCASE("an active account, or none named, is no obstacle") {
        Facts f = on(UnitScope::granted, TermState::active);
        f.account = AccountStatus::active;
        CHECK(decide(checkout_by(Role::admin), f, Policy{}, now).allowed());
        CHECK(decide(checkout_by(Role::admin), on(UnitScope::granted, TermState::active), Policy{}, now).allowed());
    }
    SUBCASE("account status names") {
        for (AccountStatus s : {AccountStatus::active, AccountStatus::deactivated, AccountStatus::archived})
            CHECK(parse_account_status(account_status_name(s)) == s);
        CHECK_FALSE(parse_account_status("gone").has_value());
    }
}

TEST_CASE("a forbid rule beats every permit") {
    Policy p = policy_where([](Policy& x) { x.forbid = {forbid_rule(Role::custodian, Action::checkout, 12), forbid_rule(Role::admin, Action::checkout, 15)}; });
    SUBCASE("the matrix's") {
        Decision d = decide(checkout_by(Role::custodian), on(UnitScope::granted, TermState::active), p, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.reasons.front().rule == "role-matrix");
        CHECK(d.reasons.front().effect == Effect::permit);
        CHECK(has_reason(d, "forbid line 12", Effect::forbid));
        CHECK(d.denial() == "the policy forbids a custodian to check passwords out (line 12)");
        CHECK(d.obligations.empty());
    }
    SUBCASE("break-glass") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, on(UnitScope::none, TermState::ended), p, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "break-glass", Effect::permit));
        CHECK(d.denial() == "the policy forbids an admin to check passwords out (line 15)");
    }
    SUBCASE("only the role and action it names") {
        CHECK(decide(ask(Role::custodian, Action::checkin), held_by("siti", now + hour_us), p, now).allowed());
        CHECK(decide(checkout_by(Role::auditor), on(UnitScope::none, TermState::active), p, now).denial() ==
              "an auditor may not check passwords out");
    }
    SUBCASE("a rule built in code, without a line") {
        Policy q = policy_where([](Policy& x) { x.forbid = {forbid_rule(Role::auditor, Action::read_history, 0)}; });
        Decision d = decide(ask(Role::auditor, Action::read_history), on(UnitScope::none), q, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "the policy forbids an auditor to read password history");
    }
}

TEST_CASE("check-in") {
    SUBCASE("of your own check-out obliges a rotation") {
        Decision d = decide(ask(Role::custodian, Action::checkin), held_by("siti", now + hour_us), Policy{}, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::rotate_after_checkin));
    }
    SUBCASE("without rotation when the policy says so") {
        Policy p = policy_where([](Policy& x) { x.rotate_after_checkin = false; });
        Decision d = decide(ask(Role::custodian, Action::checkin), held_by("siti", now + hour_us), p, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::rotate_after_checkin));
    }
    SUBCASE("of someone else's check-out is refused, naming the holder") {
        Decision d = decide(ask(Role::custodian, Action::checkin), held_by("budi", now + hour_us), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "not-held", Effect::forbid));
        CHECK(d.denial() == "it is checked out by budi");
    }
    SUBCASE("an admin may return anyone's") {
        Decision d = decide(ask(Role::admin, Action::checkin, "rina"), held_by("budi", now + hour_us), Policy{}, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::rotate_after_checkin));
    }
    SUBCASE("of what nobody holds is refused") {
        Decision d = decide(ask(Role::admin, Action::checkin), on(UnitScope::granted, TermState::active), Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "it is not checked out");
    }
    SUBCASE("of an expired check-out is refused: the enforcer expires it") {
        CHECK_FALSE(decide(ask(Role::custodian, Action::checkin), held_by("siti", now), Policy{}, now).allowed());
    }
    SUBCASE("after the term ends, a custodian may still give back what they hold") {
        CHECK(decide(ask(Role::custodian, Action::checkin), held_by("siti", now + hour_us, TermState::ended), Policy{}, now).allowed());
    }
}

TEST_CASE("obligation names") {
    CHECK(obligation_name(Obligation::record_reason) == "record_reason");
    CHECK(obligation_name(Obligation::flag_break_glass) == "flag_break_glass");
    CHECK(obligation_name(Obligation::expire_at) == "expire_at");
    CHECK(obligation_name(Obligation::rotate_after_checkin) == "rotate_after_checkin");
    CHECK(obligation_name(Obligation::use_approval) == "use_approval");
}

TEST_CASE("actions have their names and descriptions") {
    CHECK(all_actions().size() == 25);
    for (Action a : all_actions()) {
        CAPTURE(action_name(a));
        CHECK(parse_action(action_name(a)) == a);
        CHECK(action_description(a) != "do that");
    }
    CHECK(action_name(Action::tick_checklist) == "tick_checklist");
    CHECK(action_name(Action::create_backup) == "create_backup");
    CHECK(action_description(Action::create_backup) == "create backups");
    CHECK(action_name(Action::accept_handover) == "accept_handover");
    CHECK(handover_state_name(HandoverState::witnessed) == "witnessed");
    CHECK(action_description(Action::checkout) == "check passwords out");
    CHECK(action_description(Action::enforce) == "run the end-of-term enforcement");
    CHECK_FALSE(parse_action("Checkout"));
    CHECK_FALSE(parse_action("check passwords out"));
}

TEST_CASE("the default deactivation checklist") {
    std::vector<ChecklistStep> steps = Policy::default_checklist();
    REQUIRE(steps.size() == 6);
    CHECK(steps[0].id == "new-password");
    CHECK(steps[0].text == "Set the new password (from brankas) on the platform");
    CHECK(steps[4].id == "waiting");
    CHECK(steps[4].waits);
    CHECK(steps[5].text == "Confirmed deactivated");
    int waiting = 0;
    for (const ChecklistStep& s : steps) waiting += s.waits;
    CHECK(waiting == 1);
    CHECK(Policy{}.checklist == steps);

    // A face shows a built-in step through the catalogue, and a step the policy wrote as written.
    for (const ChecklistStep& s : steps) CHECK(std::string_view(built_in_step_text(s.id, s.text)) == s.text);
    CHECK(built_in_step_text("sessions", "Log out every session") == nullptr);
    CHECK(built_in_step_text("logout", "Log out all sessions") == nullptr);
}

TEST_CASE("times are shown in the district's zone, to the minute") {
    const TimeZone wib{"WIB", 7 * 60}, wita{"WITA", 8 * 60}, wit{"WIT", 9 * 60};
    CHECK(format_local_time(now, wib) == "2030-01-01 00:00 WIB");
    CHECK(format_local_time(now - 1, wib) == "2029-12-31 23:59 WIB");
    CHECK(format_local_time(now + 59 * second_us, wita) == "2030-01-01 01:00 WITA");
    CHECK(format_local_time(now, wit) == "2030-01-01 02:00 WIT");
    CHECK(format_local_time(0, wib) == "1970-01-01 07:00 WIB");
    CHECK(format_local_time(-8 * hour_us, wib) == "1969-12-31 23:00 WIB");
    CHECK(format_local_time(1'709'164'800 * second_us, wib) == "2024-02-29 07:00 WIB"); // a leap day
    // The ends of the range do not wrap around.
    CHECK(format_local_time(std::numeric_limits<std::int64_t>::max(), wib) == "9999-12-31 23:59 WIB");
    CHECK(format_local_time(std::numeric_limits<std::int64_t>::min(), wib) == "0000-01-01 00:00 WIB");
}

TEST_CASE("who may act at each step of a handover, and in which state") {
    struct Row {
        Role role;
        std::string actor;
        Action action;
        HandoverState state;
        std::optional<std::string> witness;
        bool witness_required;
        std::size_t unrotated;
        bool rotate_before_accept;
        std::string_view denial; // empty: allowed
    };
    const Row table[] = {
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::started, {}, false, 0, false, ""},
        {Role::custodian, "operator1", Action::accept_handover, HandoverState::started, {}, false, 0, false,
         "only the receiver, 'operator2', may accept this handover"},
        {Role::admin, "admin1", Action::accept_handover, HandoverState::started, {}, false, 0, false, "an admin may not accept handovers"},
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::accepted, {}, false, 0, false,
         "only a started handover can be accepted; this one is accepted"},
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::cancelled, {}, false, 0, false,
         "only a started handover can be accepted; this one is cancelled"},
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::started, {}, false, 2, false, ""},
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::started, {}, false, 2, true,
         "2 account(s) still have the password handed over; the policy requires a new one before acceptance"},
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::started, {}, false, 0, true, ""},
        {Role::admin, "admin2", Action::witness_handover, HandoverState::accepted, {}, false, 0, false, ""},
        {Role::auditor, "auditor1", Action::witness_handover, HandoverState::accepted, {}, false, 0, false, ""},
        {Role::admin, "admin2", Action::witness_handover, HandoverState::started, {}, false, 0, false,
         "only an accepted handover can be witnessed; this one is started"},
        {Role::admin, "admin1", Action::witness_handover, HandoverState::accepted, {}, false, 0, false,
         "a witness is a second person: not who started the handover, nor a party to it"},
        {Role::admin, "admin3", Action::witness_handover, HandoverState::accepted, "admin2", false, 0, false,
         "only the named witness, 'admin2', may witness this handover"},
        {Role::admin, "admin2", Action::witness_handover, HandoverState::accepted, "admin2", false, 0, false, ""},
        {Role::custodian, "operator2", Action::witness_handover, HandoverState::accepted, {}, false, 0, false,
         "a custodian may not witness handovers"},
        {Role::admin, "admin1", Action::cancel_handover, HandoverState::started, {}, false, 0, false, ""},
        {Role::admin, "admin1", Action::cancel_handover, HandoverState::witnessed, {}, false, 0, false, ""},
        {Role::admin, "admin1", Action::cancel_handover, HandoverState::completed, {}, false, 0, false,
         "a handover can be cancelled only before it completes; this one is completed"},
        {Role::admin, "admin1", Action::cancel_handover, HandoverState::cancelled, {}, false, 0, false,
         "a handover can be cancelled only before it completes; this one is cancelled"},
        {Role::custodian, "operator2", Action::cancel_handover, HandoverState::started, {}, false, 0, false,
         "a custodian may not cancel handovers"},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, {}, false, 0, false, ""},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, {}, true, 0, false,
         "the handover needs a witness first (the policy requires one)"},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, "admin2", false, 0, false,
         "the handover needs a witness first (one was named)"},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::witnessed, "admin2", true, 0, false, ""},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::started, {}, false, 0, false,
         "a handover completes only once accepted (and witnessed when needed); this one is started"},
        {Role::auditor, "auditor1", Action::complete_handover, HandoverState::witnessed, {}, false, 0, false,
         "an auditor may not complete handovers"},
    };
    for (const Row& row : table) {
        CAPTURE(row.actor);
        CAPTURE(action_name(row.action));
        CAPTURE(handover_state_name(row.state));
        HandoverFacts h = handover_in(row.state);
        h.witness = row.witness;
        h.unrotated = row.unrotated;
        Facts facts;
        facts.handover = h;
        Policy pol = policy_where([&](Policy& p) {
            p.handover_witness_required = row.witness_required;
            p.handover_rotate_before_accept = row.rotate_before_accept;
        });
        Decision d = decide(ask(row.role, row.action, row.actor), facts, pol, now);
        CHECK(d.allowed() == row.denial.empty());
        CHECK(d.denial() == row.denial);
    }
}

TEST_CASE("the outgoing custodian releases a handover, and it completes only once released unless the policy says otherwise") {
    struct Row {
        Role role;
        std::string actor;
        Action action;
        HandoverState state;
        bool release_asked;
        std::vector<std::string> released;
        bool release_required;
        std::string_view denial; // empty: allowed
    };
    const std::string not_released =
        "the outgoing custodian(s) 'operator1' have not released the handover; the policy requires it ([handover] release_required)";
    const Row table[] = {
        // release: by an outgoing custodian, once, before the handover ends
        {Role::custodian, "operator1", Action::release_handover, HandoverState::started, true, {}, true, ""},
        {Role::custodian, "operator1", Action::release_handover, HandoverState::accepted, true, {}, true, ""},
        {Role::custodian, "operator1", Action::release_handover, HandoverState::witnessed, true, {}, true, ""},
        {Role::custodian, "operator1", Action::release_handover, HandoverState::accepted, true, {"operator1"}, true,
         "'operator1' released this handover already"},
        {Role::custodian, "operator2", Action::release_handover, HandoverState::accepted, true, {}, true,
         "only an outgoing custodian ('operator1') may release this handover"},
        {Role::custodian, "operator1", Action::release_handover, HandoverState::completed, true, {}, true,
         "a handover can be released only before it completes; this one is completed"},
        {Role::custodian, "operator1", Action::release_handover, HandoverState::cancelled, true, {}, true,
         "a handover can be released only before it completes; this one is cancelled"},
        {Role::admin, "admin1", Action::release_handover, HandoverState::accepted, true, {}, true, "an admin may not release handovers"},
        {Role::auditor, "auditor1", Action::release_handover, HandoverState::accepted, true, {}, true,
         "an auditor may not release handovers"},
        // complete: the release is required by default
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, true, {}, true, not_released},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, true, {"operator1"}, true, ""},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, true, {}, false, ""},
        // a handover whose start asked no release (an older log) completes as it always did
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, false, {}, true, ""},
        // the other reasons come first
        {Role::admin, "admin1", Action::complete_handover, HandoverState::started, true, {}, true,
         "a handover completes only once accepted (and witnessed when needed); this one is started"},
    };
    for (const Row& row : table) {
        CAPTURE(row.actor);
        CAPTURE(action_name(row.action));
        CAPTURE(handover_state_name(row.state));
        CAPTURE(row.release_required);
        HandoverFacts h = handover_in(row.state);
        h.release_asked = row.release_asked;
        h.released = row.released;
        Facts facts;
        facts.handover = h;
        Policy pol = policy_where([&](Policy& p) { p.handover_release_required = row.release_required; });
        Decision d = decide(ask(row.role, row.action, row.actor), facts, pol, now);
        CHECK(d.allowed() == row.denial.empty());
        CHECK(d.denial() == row.denial);
    }
    SUBCASE("completing without the release says so in the explanation") {
        HandoverFacts h = handover_in(HandoverState::accepted);
        h.release_asked = true;
        Facts facts;
        facts.handover = h;
        Policy pol = policy_where([](Policy& p) { p.handover_release_required = false; });
        Decision d = decide(ask(Role::admin, Action::complete_handover, "admin1"), facts, pol, now);
        REQUIRE(d.allowed());
        CHECK(has_reason(d, "handover-release", Effect::note));
        bool said = false;
        for (const Reason& r : d.reasons)
            said |= r.text == "completed without the release of 'operator1': the policy allows it ([handover] release_required = false)";
        CHECK(said);
    }
    SUBCASE("a handover nobody held needs no release") {
        HandoverFacts h = handover_in(HandoverState::accepted);
        h.outgoing.clear();
        h.release_asked = true;
        Facts facts;
        facts.handover = h;
        CHECK(decide(ask(Role::admin, Action::complete_handover, "admin1"), facts, Policy{}, now).allowed());
        Decision release = decide(ask(Role::custodian, Action::release_handover, "operator1"), facts, Policy{}, now);
        CHECK(release.denial() == "this handover has no outgoing custodian to release it");
    }
}

TEST_CASE("no one signs or completes a handover while an account of its sub-district is missing from it") {
    const std::string missing =
        "2 account(s) of the sub-district got a password after the handover started and are not in it; cancel it and start a new one";
    struct Row {
        Role role;
        std::string actor;
        Action action;
        HandoverState state;
        std::string_view denial;
    };
    const Row table[] = {
        {Role::custodian, "operator2", Action::accept_handover, HandoverState::started, missing},
        {Role::admin, "admin2", Action::witness_handover, HandoverState::accepted, missing},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::accepted, missing},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::witnessed, missing},
        // Cancelling is how it ends, and the other reasons still come first.
        {Role::admin, "admin1", Action::cancel_handover, HandoverState::accepted, ""},
        {Role::custodian, "operator1", Action::accept_handover, HandoverState::started,
         "only the receiver, 'operator2', may accept this handover"},
        {Role::admin, "admin1", Action::complete_handover, HandoverState::started,
         "a handover completes only once accepted (and witnessed when needed); this one is started"},
    };
    for (const Row& row : table) {
        CAPTURE(row.actor);
        CAPTURE(action_name(row.action));
        CAPTURE(handover_state_name(row.state));
        HandoverFacts h = handover_in(row.state);
        h.unlisted = 2;
        Facts facts;
        facts.handover = h;
        Decision d = decide(ask(row.role, row.action, row.actor), facts, Policy{}, now);
        CHECK(d.allowed() == row.denial.empty());
        CHECK(d.denial() == row.denial);
    }
}

TEST_CASE("a handover step without its handover is denied") {
    Decision d = decide(ask(Role::admin, Action::complete_handover), Facts{}, Policy{}, now);
    CHECK_FALSE(d.allowed());
    CHECK(d.denial() == "there is no such handover");
    CHECK(decide(ask(Role::admin, Action::start_handover), Facts{}, Policy{}, now).allowed());
}

// ---- dual control ----

namespace {

Policy dual_break_glass(int count = 1) {
    return policy_where([count](Policy& x) {
        x.dual_control.actions = {DualAction::break_glass};
        x.dual_control.count = count;
    });
}

// siti's break-glass check-out of an account after its term, naming `approval` if given.
Decision glass_by_siti(const Policy& p, std::optional<ApprovalFacts> approval, std::int64_t at = now) {
    Request r = checkout_by(Role::admin);
    r.break_glass = true;
    Facts f = on(UnitScope::none, TermState::ended);
    f.approval = std::move(approval);
    return decide(r, f, p, at);
}

ApprovalFacts approved_request_of(std::string requester, std::vector<std::string> granted_by = {"budi"}) {
    ApprovalFacts a = request_by(std::move(requester));
    a.granted_by = std::move(granted_by);
    return a;
}

} // namespace

namespace {

Request reveal_by(Role role, std::string actor = "siti", std::string reason = "posting the results") {
    Request r = ask(role, Action::read_secret, std::move(actor));
    r.reason = std::move(reason);
    return r;
}

Request with_glass(Request r) {
    r.break_glass = true;
    return r;
}

} // namespace

TEST_CASE("dual control: a break-glass check-out waits for a request when the policy says so") {
    SUBCASE("without dual control nothing changes") {
        Decision d = glass_by_siti(Policy{}, std::nullopt);
        CHECK(d.allowed());
        CHECK_FALSE(d.awaits_approval);
        CHECK_FALSE(d.obliges(Obligation::use_approval));
    }
    SUBCASE("under dual control and without a request: denied, and a request would help") {
        Decision d = glass_by_siti(dual_break_glass(), std::nullopt);
        CHECK_FALSE(d.allowed());
        CHECK(d.awaits_approval);
        CHECK(d.denial() ==
              "the policy puts a break-glass check-out under dual control: it needs the approval of one other person "
              "(a request, then `--request ID` once approved)");
        CHECK(d.obligations.empty());
    }
    SUBCASE("a request helps only when nothing else stands in the way") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        // Break-glass passes another person's hold (flagged), so under dual control a held
        // account's break-glass check-out waits for a request like any other.
        Decision held = decide(r, held_by("budi", now + hour_us, TermState::ended), dual_break_glass(), now);
        CHECK_FALSE(held.allowed());
        CHECK(held.awaits_approval);
        Policy forbidding = dual_break_glass();
        forbidding.forbid.push_back(forbid_rule(Role::admin, Action::checkout, 3));
        CHECK_FALSE(glass_by_siti(forbidding, std::nullopt).awaits_approval);
        Request custodian = checkout_by(Role::custodian); // may not break the glass by default
        custodian.break_glass = true;
        CHECK_FALSE(decide(custodian, on(UnitScope::granted, TermState::ended), dual_break_glass(), now).awaits_approval);
    }
    SUBCASE("inside a term no approval is needed, whatever dual control says") {
        Request r = checkout_by(Role::admin);
        r.break_glass = true;
        Decision d = decide(r, on(UnitScope::none, TermState::active), dual_break_glass(), now);
        CHECK(d.allowed());
        CHECK_FALSE(has_reason(d, "dual-control", Effect::forbid));
    }
}

TEST_CASE("dual control: which request opens a break-glass check-out") {
    struct Row {
        const char* what;
        ApprovalFacts request;
        std::int64_t at;
        bool allowed;
        const char* denial;
    };
    ApprovalFacts used = approved_request_of("siti");
    used.state = ApprovalState::used;
    ApprovalFacts rejected = request_by("siti");
    rejected.state = ApprovalState::rejected;
    ApprovalFacts other_target = approved_request_of("siti");
    other_target.matches = false;
    const Row rows[] = {
        {"approved by another person, unused, in time", approved_request_of("siti"), now, true, ""},
        {"not approved yet", request_by("siti"), now, false, "request 41 has 0 of the 1 approval(s) the policy needs"},
        {"someone else's request", approved_request_of("budi", {"ani"}), now, false, "request 41 was made by budi: only they may use it"},
        {"used already", used, now, false, "request 41 was used already: an approval is used once"},
        {"rejected", rejected, now, false, "request 41 was rejected"},
        {"expired", approved_request_of("siti"), now + hour_us, false, "request 41 expired at 2030-01-01 01:00 WIB"},
        {"for another account, reason or length", other_target, now, false,
         "request 41 asked for something else: the action must match its request exactly (target, reason, options)"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        Decision d = glass_by_siti(dual_break_glass(), row.request, row.at);
        CHECK(d.allowed() == row.allowed);
        CHECK(d.denial() == row.denial);
        CHECK(d.obliges(Obligation::use_approval) == row.allowed);
        CHECK_FALSE(d.awaits_approval);
    }
    SUBCASE("two approvals when the policy asks for two") {
        CHECK(glass_by_siti(dual_break_glass(2), approved_request_of("siti", {"budi"})).denial() ==
              "request 41 has 1 of the 2 approval(s) the policy needs");
        CHECK(glass_by_siti(dual_break_glass(2), approved_request_of("siti", {"budi", "ani"})).allowed());
    }
    SUBCASE("a request named where dual control does not apply is noted, not used") {
        Decision d = glass_by_siti(Policy{}, approved_request_of("siti"));
        CHECK(d.allowed());
        CHECK(has_reason(d, "dual-control", Effect::note));
        CHECK_FALSE(d.obliges(Obligation::use_approval));
    }
}

namespace {

Policy dual_policy_set(int count = 1) {
    return policy_where([count](Policy& x) {
        x.dual_control.actions = {DualAction::policy_set};
        x.dual_control.count = count;
    });
}

ApprovalFacts policy_request_of(std::string requester, std::vector<std::string> granted_by = {"budi"}) {
    ApprovalFacts a = approved_request_of(std::move(requester), std::move(granted_by));
    a.action = DualAction::policy_set;
    return a;
}

// One row of a table of requests an action names: what it is, the request, when it is used,
// and the denial expected (empty: allowed).
struct RequestRow {
    const char* what;
    ApprovalFacts request;
    std::int64_t at;
    const char* denial;
};

// A decision on an action under dual control that names a request: allowed exactly when
// `denial` is empty, and then it uses the request; a request named is never "awaiting".
void check_request_use(const Decision& d, std::string_view denial) {
    const bool allowed = denial.empty();
    CHECK(d.allowed() == allowed);
    CHECK(d.denial() == denial);
    CHECK(d.obliges(Obligation::use_approval) == allowed);
    CHECK_FALSE(d.awaits_approval);
}

// siti (an admin) sets a policy document, naming `approval` if given.
Decision policy_set_by(Role role, const Policy& in_force, std::optional<ApprovalFacts> approval, std::int64_t at = now) {
    Facts f;
    f.approval = std::move(approval);
    return decide(ask(role, Action::set_policy, "siti"), f, in_force, at);
}

} // namespace

TEST_CASE("dual control: setting the policy waits for a request when the policy in force says so") {
    SUBCASE("without dual control an admin sets it alone") {
        Decision d = policy_set_by(Role::admin, Policy{}, std::nullopt);
        CHECK(d.allowed());
        CHECK_FALSE(d.awaits_approval);
        CHECK_FALSE(has_reason(d, "dual-control", Effect::forbid));
    }
    SUBCASE("under dual control and without a request: denied, and a request would help") {
        Decision d = policy_set_by(Role::admin, dual_policy_set(), std::nullopt);
        CHECK_FALSE(d.allowed());
        CHECK(d.awaits_approval);
        CHECK(d.denial() ==
              "the policy puts setting the policy under dual control: it needs the approval of one other person "
              "(a request, then `--request ID` once approved)");
    }
    SUBCASE("putting break-glass alone under dual control leaves policy set to one admin") {
        CHECK(policy_set_by(Role::admin, dual_break_glass(), std::nullopt).allowed());
    }
    SUBCASE("a request helps only whom the role matrix lets set the policy") {
        Decision d = policy_set_by(Role::custodian, dual_policy_set(), std::nullopt);
        CHECK_FALSE(d.allowed());
        CHECK_FALSE(d.awaits_approval);
        Policy forbidding = dual_policy_set();
        forbidding.forbid.push_back(forbid_rule(Role::admin, Action::set_policy, 3));
        CHECK_FALSE(policy_set_by(Role::admin, forbidding, std::nullopt).awaits_approval);
    }
}

TEST_CASE("dual control: which request lets a policy be set") {
    ApprovalFacts used = policy_request_of("siti");
    used.state = ApprovalState::used;
    ApprovalFacts rejected = policy_request_of("siti", {});
    rejected.state = ApprovalState::rejected;
    ApprovalFacts other_document = policy_request_of("siti");
    other_document.matches = false;
    ApprovalFacts glass = approved_request_of("siti"); // approved, but for a break-glass check-out
    const RequestRow rows[] = {
        {"approved by another person, unused, in time", policy_request_of("siti"), now, ""},
        {"not approved yet", policy_request_of("siti", {}), now, "request 41 has 0 of the 1 approval(s) the policy needs"},
        {"someone else's request", policy_request_of("budi", {"ani"}), now, "request 41 was made by budi: only they may use it"},
        {"used already", used, now, "request 41 was used already: an approval is used once"},
        {"rejected", rejected, now, "request 41 was rejected"},
        {"expired", policy_request_of("siti"), now + hour_us, "request 41 expired at 2030-01-01 01:00 WIB"},
        {"for another document or reason", other_document, now,
         "request 41 asked for something else: the action must match its request exactly (target, reason, options)"},
        {"a request for a break-glass check-out", glass, now,
         "request 41 asked for something else: the action must match its request exactly (target, reason, options)"},
    };
    for (const RequestRow& row : rows) {
        CAPTURE(row.what);
        check_request_use(policy_set_by(Role::admin, dual_policy_set(), row.request, row.at), row.denial);
    }
    SUBCASE("two approvals when the policy in force asks for two") {
        CHECK(policy_set_by(Role::admin, dual_policy_set(2), policy_request_of("siti", {"budi"})).denial() ==
              "request 41 has 1 of the 2 approval(s) the policy needs");
        CHECK(policy_set_by(Role::admin, dual_policy_set(2), policy_request_of("siti", {"budi", "ani"})).allowed());
    }
}

namespace {

// siti (an admin) takes a step of managing people that dual control may hold back (`step`),
// naming `approval` if given.
Decision people_step_by(Role role, DualAction step, const Policy& in_force, std::optional<ApprovalFacts> approval, std::int64_t at = now) {
    Request r = ask(role, Action::manage_people, "siti");
    r.step = step;
    Facts f;
    f.approval = std::move(approval);
    return decide(r, f, in_force, at);
}

Policy dual_over(std::vector<DualAction> actions) {
    return policy_where([&](Policy& x) { x.dual_control.actions = actions; });
}

ApprovalFacts step_request_of(DualAction step, std::string requester, std::vector<std::string> granted_by = {"budi"}) {
    ApprovalFacts a = approved_request_of(std::move(requester), std::move(granted_by));
    a.action = step;
    return a;
}

} // namespace

TEST_CASE("dual control: a re-key and a recovery split wait for a request when the policy says so") {
    for (DualAction step : {DualAction::rekey, DualAction::recovery_split}) {
        CAPTURE(dual_action_name(step));
        const DualAction other = step == DualAction::rekey ? DualAction::recovery_split : DualAction::rekey;
        SUBCASE("without dual control an admin takes the step alone") {
            Decision d = people_step_by(Role::admin, step, Policy{}, std::nullopt);
            CHECK(d.allowed());
            CHECK_FALSE(d.awaits_approval);
        }
        SUBCASE("under dual control and without a request: denied, and a request would help") {
            Decision d = people_step_by(Role::admin, step, dual_over({step}), std::nullopt);
            CHECK_FALSE(d.allowed());
            CHECK(d.awaits_approval);
            CHECK(d.denial() == "the policy puts " + std::string(dual_action_description(step)) +
                                    " under dual control: it needs the approval of one other person (a request, then `--request ID` once approved)");
        }
        SUBCASE("putting the other step under dual control leaves this one to one admin") {
            CHECK(people_step_by(Role::admin, step, dual_over({other, DualAction::break_glass, DualAction::policy_set}), std::nullopt).allowed());
        }
        SUBCASE("managing people without the step is never held back") {
            CHECK(decide(ask(Role::admin, Action::manage_people), Facts{}, dual_over({step}), now).allowed());
        }
        SUBCASE("a request helps only whom the role matrix lets manage people") {
            Decision d = people_step_by(Role::auditor, step, dual_over({step}), std::nullopt);
            CHECK_FALSE(d.allowed());
            CHECK_FALSE(d.awaits_approval);
        }
    }
}

TEST_CASE("dual control: which request lets a re-key or a recovery split go on") {
    for (DualAction step : {DualAction::rekey, DualAction::recovery_split}) {
        CAPTURE(dual_action_name(step));
        ApprovalFacts used = step_request_of(step, "siti");
        used.state = ApprovalState::used;
        ApprovalFacts rejected = step_request_of(step, "siti", {});
        rejected.state = ApprovalState::rejected;
        ApprovalFacts mismatched = step_request_of(step, "siti");
        mismatched.matches = false;
        ApprovalFacts other_step = step_request_of(step == DualAction::rekey ? DualAction::recovery_split : DualAction::rekey, "siti");
        const RequestRow rows[] = {
            {"approved by another person, unused, in time", step_request_of(step, "siti"), now, ""},
            {"not approved yet", step_request_of(step, "siti", {}), now, "request 41 has 0 of the 1 approval(s) the policy needs"},
            {"someone else's request", step_request_of(step, "budi", {"ani"}), now, "request 41 was made by budi: only they may use it"},
            {"used already", used, now, "request 41 was used already: an approval is used once"},
            {"rejected", rejected, now, "request 41 was rejected"},
            {"expired", step_request_of(step, "siti"), now + hour_us, "request 41 expired at 2030-01-01 01:00 WIB"},
            {"for another person, shape or reason", mismatched, now,
             "request 41 asked for something else: the action must match its request exactly (target, reason, options)"},
            {"a request for the other step", other_step, now,
             "request 41 asked for something else: the action must match its request exactly (target, reason, options)"},
        };
        for (const RequestRow& row : rows) {
            CAPTURE(row.what);
            check_request_use(people_step_by(Role::admin, step, dual_over({DualAction::rekey, DualAction::recovery_split}), row.request, row.at),
                              row.denial);
        }
        SUBCASE("a request named where the policy does not ask for one is noted and not used") {
            Decision d = people_step_by(Role::admin, step, Policy{}, step_request_of(step, "siti"));
            CHECK(d.allowed());
            CHECK_FALSE(d.obliges(Obligation::use_approval));
            CHECK(has_reason(d, "dual-control", Effect::note));
        }
    }
}

TEST_CASE("dual control: who may grant or reject a request") {
    struct Row {
        const char* what;
        Role role;
        std::string actor;
        ApprovalFacts request;
        std::int64_t at;
        const char* denial; // empty: allowed
    };
    ApprovalFacts used = approved_request_of("budi", {"ani"});
    used.state = ApprovalState::used;
    const Row rows[] = {
        {"an admin, a second person", Role::admin, "siti", request_by("budi"), now, ""},
        {"the requester", Role::admin, "budi", request_by("budi"), now, "nobody approves or rejects their own request: request 41 is budi's"},
        {"a custodian, whom the policy does not name", Role::custodian, "siti", request_by("budi"), now,
         "the policy does not let a custodian approve or reject requests"},
        {"an auditor, whom the policy does not name", Role::auditor, "siti", request_by("budi"), now,
         "the policy does not let an auditor approve or reject requests"},
        {"the enforcer", Role::enforcer, "siti", request_by("budi"), now, "an enforcer may not approve or reject requests under dual control"},
        {"after it expired", Role::admin, "siti", request_by("budi"), now + hour_us, "request 41 expired at 2030-01-01 01:00 WIB"},
        {"once it was used", Role::admin, "siti", used, now, "request 41 is used, no longer pending"},
        {"a second time", Role::admin, "ani", approved_request_of("budi", {"ani"}), now, "you approved request 41 already"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        Request r = ask(row.role, Action::approve, row.actor);
        Facts f;
        f.approval = row.request;
        Decision d = decide(r, f, Policy{}, row.at);
        CHECK(d.allowed() == (std::string_view(row.denial).empty()));
        CHECK(d.denial() == row.denial);
    }
    SUBCASE("the policy may name auditors too") {
        Policy p = policy_where([](Policy& x) { x.dual_control.approvers = {Role::admin, Role::auditor}; });
        Facts f;
        f.approval = request_by("budi");
        CHECK(decide(ask(Role::auditor, Action::approve), f, p, now).allowed());
    }
    SUBCASE("without a request there is nothing to decide") {
        CHECK(decide(ask(Role::admin, Action::approve), Facts{}, Policy{}, now).denial() == "there is no such request");
    }
}

TEST_CASE("a reveal during another person's check-out") {
    const Facts held = held_by("admin1", now + 2 * hour_us);
    SUBCASE("is refused, naming the holder and the end, in the district's zone") {
        Decision d = decide(reveal_by(Role::custodian), held, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(has_reason(d, "exclusive", Effect::forbid));
        CHECK(d.denial() == "it is checked out by admin1 until 2030-01-01 02:00 WIB");
    }
    SUBCASE("by an admin too, who is told of break-glass") {
        Decision d = decide(reveal_by(Role::admin, "admin2"), held, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "it is checked out by admin1 until 2030-01-01 02:00 WIB; with a reason, `--break-glass` shows it anyway, flagged in the log");
    }
    SUBCASE("break-glass shows it, flagged") {
        Decision d = decide(with_glass(reveal_by(Role::admin, "admin2")), held, Policy{}, now);
        CHECK(d.allowed());
        CHECK(has_reason(d, "exclusive", Effect::permit));
        CHECK(d.obliges(Obligation::flag_break_glass));
        CHECK(d.obliges(Obligation::record_reason));
    }
    SUBCASE("break-glass is the policy's to give: not to a custodian by default") {
        Decision d = decide(with_glass(reveal_by(Role::custodian)), held, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "the policy does not let a custodian break the glass (it is checked out by admin1 until 2030-01-01 02:00 WIB)");
    }
    SUBCASE("a policy that shares check-outs lets it be shown, unflagged") {
        Policy p = policy_where([](Policy& x) { x.checkout_exclusive = false; });
        Decision d = decide(reveal_by(Role::custodian), held, p, now);
        CHECK(d.allowed());
        CHECK(has_reason(d, "exclusive", Effect::note));
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
    }
    SUBCASE("the holder themself is shown it") {
        Decision d = decide(reveal_by(Role::admin, "admin1"), held, Policy{}, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
    }
    SUBCASE("an ended hold is none") {
        CHECK(decide(reveal_by(Role::custodian), held_by("admin1", now), Policy{}, now).allowed());
    }
    SUBCASE("a check-out by another during a hold: break-glass takes it, flagged") {
        Request r = with_glass(checkout_by(Role::admin, "akun diretas", "admin2"));
        Decision d = decide(r, held, Policy{}, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::flag_break_glass));
        CHECK_FALSE(has_reason(d, "break-glass", Effect::note));
    }
}

TEST_CASE("a reveal outside every term follows the check-out's rule") {
    const Facts ended = on(UnitScope::none, TermState::ended);
    SUBCASE("an admin needs break-glass") {
        Decision d = decide(reveal_by(Role::admin), ended, Policy{}, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "sub-district accounts are usable only inside a term: it is after its term; with a reason, `--break-glass` shows it anyway, flagged in the log");
    }
    SUBCASE("and with it is shown, flagged") {
        Decision d = decide(with_glass(reveal_by(Role::admin)), ended, Policy{}, now);
        CHECK(d.allowed());
        CHECK(d.obliges(Obligation::flag_break_glass));
        CHECK(has_reason(d, "break-glass", Effect::permit));
    }
    SUBCASE("a unit with no term at all is outside every term") {
        CHECK_FALSE(decide(reveal_by(Role::admin), on(UnitScope::none, TermState::none), Policy{}, now).allowed());
    }
    SUBCASE("a reason of blanks is no reason, with or without the glass") {
        CHECK(decide(with_glass(reveal_by(Role::admin, "siti", "   ")), ended, Policy{}, now).denial() == "a break-glass reveal needs a reason");
        CHECK(decide(reveal_by(Role::custodian, "siti", " "), on(UnitScope::granted, TermState::active), Policy{}, now).denial() ==
              "a password is shown only for a reason");
    }
    SUBCASE("a policy that says otherwise lets an admin reveal there, unflagged, and still not a custodian") {
        Policy p = policy_where([](Policy& x) { x.break_glass_reveals = false; });
        Decision d = decide(reveal_by(Role::admin), ended, p, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
        CHECK(has_reason(d, "term-window", Effect::note));
        CHECK_FALSE(decide(reveal_by(Role::custodian), on(UnitScope::granted, TermState::ended), p, now).allowed());
    }
    SUBCASE("inside a term nothing is flagged") {
        Decision d = decide(reveal_by(Role::admin), on(UnitScope::none, TermState::active), Policy{}, now);
        CHECK(d.allowed());
        CHECK_FALSE(d.obliges(Obligation::flag_break_glass));
    }
    SUBCASE("under dual control a break-glass reveal is refused, and points to the check-out") {
        // A read names no request; a check-out with an approved one shows the password.
        Decision d = decide(with_glass(reveal_by(Role::admin)), ended, dual_break_glass(), now);
        CHECK_FALSE(d.allowed());
        CHECK_FALSE(d.awaits_approval);
        CHECK(d.denial() ==
              "the policy puts a break-glass check-out under dual control: outside every term only a check-out with an approved "
              "request shows the password (`checkout --break-glass`, then `--request ID` once approved)");
        // Past another's hold inside a term no approval is asked, as for a check-out.
        CHECK(decide(with_glass(reveal_by(Role::admin, "admin2")), held_by("budi", now + hour_us, TermState::active), dual_break_glass(), now)
                  .allowed());
    }
}

TEST_CASE("forbid rules naming sub-districts and people") {
    auto in_unit = [](std::string unit, UnitScope scope = UnitScope::granted) {
        Facts f = on(scope, TermState::active);
        f.unit = std::move(unit);
        return f;
    };
    Policy p = policy_where([](Policy& x) {
        x.forbid = {forbid_rule(Role::custodian, Action::read_secret, 3, {"35.02.05"}),
                    forbid_rule(std::nullopt, Action::checkout, 8, {}, {"operator3"})};
    });
    // | who              | action      | unit     | allowed | denial                                                       |
    struct Row {
        Role role;
        std::string actor;
        Action action;
        std::string unit;
        bool allowed;
        std::string denial;
    };
    const Row rows[] = {
        {Role::custodian, "siti", Action::read_secret, "35.02.05", false, "the policy forbids a custodian to read passwords in 35.02.05 (line 3)"},
        {Role::custodian, "siti", Action::read_secret, "35.02.06", true, ""},
        {Role::admin, "budi", Action::read_secret, "35.02.05", true, ""},
        {Role::custodian, "operator3", Action::checkout, "35.02.06", false, "the policy forbids operator3 to check passwords out (line 8)"},
        {Role::admin, "operator3", Action::checkout, "35.02.06", false, "the policy forbids operator3 to check passwords out (line 8)"},
        {Role::custodian, "operator4", Action::checkout, "35.02.06", true, ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.actor);
        CAPTURE(row.unit);
        Request r = row.action == Action::checkout ? checkout_by(row.role, "posting", row.actor) : reveal_by(row.role, row.actor);
        Decision d = decide(r, in_unit(row.unit), p, now);
        CHECK(d.allowed() == row.allowed);
        CHECK(d.denial() == row.denial);
        if (!row.allowed) CHECK(d.reasons.back().rule.starts_with("forbid line "));
    }
    SUBCASE("a rule naming units does not speak to a request about no unit") {
        Policy q = policy_where([](Policy& x) { x.forbid = {forbid_rule(Role::auditor, Action::read_metadata, 0, {"35.02.05"})}; });
        CHECK(decide(ask(Role::auditor, Action::read_metadata), on(UnitScope::none), q, now).allowed());
    }
    SUBCASE("a rule naming a role and people speaks to those people in that role only") {
        Policy q = policy_where([](Policy& x) { x.forbid = {forbid_rule(Role::custodian, Action::checkout, 2, {}, {"budi"})}; });
        CHECK(decide(checkout_by(Role::custodian, "posting", "budi"), in_unit("35.02.01"), q, now).denial() ==
              "the policy forbids budi (a custodian) to check passwords out (line 2)");
        CHECK(decide(checkout_by(Role::admin, "posting", "budi"), in_unit("35.02.01"), q, now).allowed());
    }
}

TEST_CASE("seeing a sub-district (read_unit)") {
    auto in_unit = [](std::string unit, UnitScope scope) {
        Facts f = on(scope);
        f.unit = std::move(unit);
        return f;
    };
    CHECK(decide(ask(Role::custodian, Action::read_unit), in_unit("35.02.01", UnitScope::granted), Policy{}, now).allowed());
    Decision other = decide(ask(Role::custodian, Action::read_unit), in_unit("35.02.02", UnitScope::not_granted), Policy{}, now);
    CHECK_FALSE(other.allowed());
    CHECK(other.denial() == "a custodian may not see accounts and events of a sub-district they are not granted");
    // Outside its term too: a custodian sees their sub-district's history after the term.
    CHECK(decide(ask(Role::custodian, Action::read_unit), [&] { Facts f = in_unit("35.02.01", UnitScope::granted); f.term = TermState::ended; return f; }(), Policy{}, now).allowed());
    for (Role r : {Role::admin, Role::auditor, Role::enforcer})
        CHECK(decide(ask(r, Action::read_unit), in_unit("35.02.02", UnitScope::not_granted), Policy{}, now).allowed());
    CHECK_FALSE(decide(ask(Role::recovery, Action::read_unit), in_unit("35.02.02", UnitScope::not_granted), Policy{}, now).allowed());
    Policy audit = policy_where([](Policy& x) { x.forbid = {forbid_rule(Role::custodian, Action::read_unit, 1, {"35.02.01"})}; });
    CHECK_FALSE(decide(ask(Role::custodian, Action::read_unit), in_unit("35.02.01", UnitScope::granted), audit, now).allowed());
}

// unit_dependence says which facts about a unit a decision can turn on; listings decide once per
// distinct combination (UnitSight), so two units agreeing on those must get the same decision.
TEST_CASE("a decision turns only on the facts about a unit that unit_dependence names") {
    const Policy forbids = policy_where([](Policy& p) {
        p.forbid.push_back(forbid_rule(Role::admin, Action::read_unit, 3, {"35.02.01"}));
        p.forbid.push_back(forbid_rule(std::nullopt, Action::read_unit, 4, {"35.02.02"}, {"budi"}));
    });

    SUBCASE("the listings' read_unit") {
        UnitDependence admin = unit_dependence(ask(Role::admin, Action::read_unit), Policy{});
        CHECK_FALSE(admin.every_fact);
        CHECK_FALSE(admin.scope);
        CHECK_FALSE(admin.term);
        CHECK(admin.named_units.empty());
        UnitDependence custodian = unit_dependence(ask(Role::custodian, Action::read_unit), Policy{});
        CHECK(custodian.scope);
        CHECK_FALSE(custodian.term);
        CHECK_FALSE(unit_dependence(ask(Role::auditor, Action::read_unit), Policy{}).scope);
        // A forbid rule names units for the people it applies to, and only for them.
        CHECK(unit_dependence(ask(Role::admin, Action::read_unit), forbids).named_units == std::vector<std::string>{"35.02.01"});
        CHECK(unit_dependence(ask(Role::custodian, Action::read_unit, "budi"), forbids).named_units == std::vector<std::string>{"35.02.02"});
        CHECK(unit_dependence(ask(Role::custodian, Action::read_unit, "siti"), forbids).named_units.empty());
    }
    SUBCASE("actions with steps of their own are decided unit by unit") {
        for (Action a : {Action::checkout, Action::checkin, Action::read_secret, Action::approve, Action::accept_handover})
            CHECK(unit_dependence(ask(Role::custodian, a), Policy{}).every_fact);
        CHECK(unit_dependence(ask(Role::custodian, Action::write_secret), Policy{}).term);
    }
    SUBCASE("every role and action: facts it does not name change no verdict") {
        for (Role role : {Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery}) {
            for (Action action : all_actions()) {
                for (const Policy* pol : {&forbids, static_cast<const Policy*>(nullptr)}) {
                    const Policy p = pol ? *pol : Policy{};
                    for (std::string actor : {"siti", "budi"}) {
                        Request rq = ask(role, action, actor);
                        UnitDependence d = unit_dependence(rq, p);
                        if (d.every_fact) continue;
                        for (UnitScope scope : {UnitScope::granted, UnitScope::not_granted}) {
                            for (TermState term : {TermState::active, TermState::ended}) {
                                for (std::string unit : {"35.02.01", "35.02.02", "35.02.03", "35.02.04"}) {
                                    Facts f = on(scope, term);
                                    f.unit = unit;
                                    // The same request about another unit that agrees on what d names.
                                    Facts g = on(d.scope ? scope : (scope == UnitScope::granted ? UnitScope::not_granted : UnitScope::granted),
                                                 d.term ? term : (term == TermState::active ? TermState::ended : TermState::active));
                                    bool named = std::find(d.named_units.begin(), d.named_units.end(), unit) != d.named_units.end();
                                    g.unit = named ? unit : (unit == "35.02.03" ? "35.02.04" : "35.02.03");
                                    INFO(role_name(role) << " " << action_name(action) << " " << actor << " " << unit);
                                    CHECK(decide(rq, f, p, now).allowed() == decide(rq, g, p, now).allowed());
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

namespace {

Request rotation_start_by(Role role, std::string reason = "akun diretas", bool glass = false) {
    Request r = ask(role, Action::rotate);
    r.rotation = RotationStep::start;
    r.reason = std::move(reason);
    r.break_glass = glass;
    return r;
}

} // namespace

TEST_CASE("a custodian's rotation outside every term follows the check-out's break-glass rule") {
    const Policy by_default;
    const Policy custodians_break = policy_where([](Policy& p) { p.break_glass_roles = {Role::admin, Role::custodian}; });
    const Policy no_glass = policy_where([](Policy& p) {
        p.break_glass_roles = {Role::admin, Role::custodian};
        p.break_glass_allowed = false;
    });
    const Policy dual = policy_where([](Policy& p) {
        p.break_glass_roles = {Role::admin, Role::custodian};
        p.dual_control.actions = {DualAction::break_glass};
    });
    struct Row {
        const char* what;
        Role role;
        TermState term;
        bool glass;
        const char* reason;
        const Policy* policy;
        bool allowed;
        bool flagged;
        const char* denial; // the sentence a refused person reads ("" when allowed)
    };
    const Row rows[] = {
        {"custodian inside the term", Role::custodian, TermState::active, false, "akun diretas", &by_default, true, false, ""},
        {"custodian in the grace period", Role::custodian, TermState::grace, false, "akun diretas", &by_default, true, false, ""},
        {"custodian inside the term asking for the glass: an ordinary rotation", Role::custodian, TermState::active, true, "akun diretas",
         &custodians_break, true, false, ""},
        {"custodian after the term, the policy lets only admins break the glass", Role::custodian, TermState::ended, false, "akun diretas",
         &by_default, false, false, "sub-district accounts are usable only inside a term: it is after its term"},
        {"custodian after the term asking for the glass the policy does not give them", Role::custodian, TermState::ended, true,
         "akun diretas", &by_default, false, false, "the policy does not let a custodian break the glass (it is after its term)"},
        {"custodian after the term, without the glass, where custodians may break it", Role::custodian, TermState::ended, false,
         "akun diretas", &custodians_break, false, false,
         "sub-district accounts are usable only inside a term: it is after its term; with a reason, `--break-glass` starts the rotation "
         "anyway, flagged in the log"},
        {"custodian after the term by break-glass: flagged", Role::custodian, TermState::ended, true, "akun diretas", &custodians_break, true,
         true, ""},
        {"custodian before the term by break-glass: flagged", Role::custodian, TermState::upcoming, true, "akun diretas", &custodians_break,
         true, true, ""},
        {"custodian of a sub-district with no term, by break-glass", Role::custodian, TermState::none, true, "akun diretas", &custodians_break,
         true, true, ""},
        {"a break-glass rotation of blanks", Role::custodian, TermState::ended, true, "  ", &custodians_break, false, false,
         "a break-glass rotation needs a reason"},
        {"the policy allows no break-glass", Role::custodian, TermState::ended, true, "akun diretas", &no_glass, false, false,
         "the policy allows no break-glass rotations (it is after its term)"},
        {"under dual control a rotation cannot name a request", Role::custodian, TermState::ended, true, "akun diretas", &dual, false, false,
         "the policy puts a break-glass check-out under dual control: it needs the approval of one other person (a request, then "
         "`--request ID` once approved)"},
        {"an admin's rotation is not bound to terms", Role::admin, TermState::ended, false, "akun diretas", &by_default, true, false, ""},
        {"an auditor never rotates", Role::auditor, TermState::active, false, "akun diretas", &by_default, false, false,
         "an auditor may not rotate passwords"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        Facts facts = on(row.role == Role::custodian ? UnitScope::granted : UnitScope::none, row.term);
        Decision d = decide(rotation_start_by(row.role, row.reason, row.glass), facts, *row.policy, now);
        CHECK(d.allowed() == row.allowed);
        CHECK(d.obliges(Obligation::flag_break_glass) == row.flagged);
        CHECK(d.denial() == row.denial);
    }
    SUBCASE("a custodian of another sub-district is refused by the matrix, glass or not") {
        Decision d = decide(rotation_start_by(Role::custodian, "akun diretas", true), on(UnitScope::not_granted, TermState::ended),
                            custodians_break, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.reasons.front().rule == "role-matrix");
    }
    SUBCASE("confirming or aborting shows nothing: the term alone, as before") {
        Request finish = ask(Role::custodian, Action::rotate);
        CHECK(decide(finish, on(UnitScope::granted, TermState::active), custodians_break, now).allowed());
        Decision d = decide(finish, on(UnitScope::granted, TermState::ended), custodians_break, now);
        CHECK_FALSE(d.allowed());
        CHECK(d.denial() == "sub-district accounts are usable only inside a term: it is after its term");
    }
}

TEST_CASE("outside every term only the custodian who started a rotation by break-glass may finish it, flagged") {
    const Policy by_default;
    const Policy no_glass = policy_where([](Policy& p) { p.break_glass_allowed = false; });
    const Policy forbids = policy_where([](Policy& p) { p.forbid.push_back(forbid_rule(Role::custodian, Action::rotate, 3)); });
    const PendingRotationFacts siti_broke{"siti", true}, budi_broke{"budi", true}, siti_ordinary{"siti", false}, admin_started{"admin", false};
    struct Row {
        const char* what;
        Role role;
        TermState term;
        std::optional<PendingRotationFacts> pending;
        const Policy* policy;
        bool allowed;
        bool flagged;
        const char* denial; // the sentence a refused person reads ("" when allowed)
    };
    const Row rows[] = {
        {"its starter after the term", Role::custodian, TermState::ended, siti_broke, &by_default, true, true, ""},
        {"its starter before any term", Role::custodian, TermState::none, siti_broke, &by_default, true, true, ""},
        // The finish shows nothing: a policy that no longer lets anyone break the glass does not
        // leave the vault with the old password while the platform has the new one.
        {"its starter, the glass no longer allowed", Role::custodian, TermState::ended, siti_broke, &no_glass, true, true, ""},
        {"its starter inside a term again: an ordinary finish", Role::custodian, TermState::active, siti_broke, &by_default, true, false, ""},
        {"another custodian after the term", Role::custodian, TermState::ended, budi_broke, &by_default, false, false,
         "sub-district accounts are usable only inside a term: it is after its term"},
        {"the starter of an ordinary rotation after the term", Role::custodian, TermState::ended, siti_ordinary, &by_default, false, false,
         "sub-district accounts are usable only inside a term: it is after its term"},
        {"a custodian after the term, an admin's rotation", Role::custodian, TermState::ended, admin_started, &by_default, false, false,
         "sub-district accounts are usable only inside a term: it is after its term"},
        {"a custodian after the term, nothing pending", Role::custodian, TermState::ended, std::nullopt, &by_default, false, false,
         "sub-district accounts are usable only inside a term: it is after its term"},
        {"a forbid rule beats it", Role::custodian, TermState::ended, siti_broke, &forbids, false, false, ""},
        {"an admin finishes any, unflagged", Role::admin, TermState::ended, siti_broke, &by_default, true, false, ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        Facts facts = on(row.role == Role::custodian ? UnitScope::granted : UnitScope::none, row.term);
        facts.pending_rotation = row.pending;
        Decision d = decide(ask(row.role, Action::rotate, "siti"), facts, *row.policy, now);
        CHECK(d.allowed() == row.allowed);
        CHECK(d.obliges(Obligation::flag_break_glass) == row.flagged);
        if (*row.denial != '\0') CHECK(d.denial() == row.denial);
    }
    // siti finishing, on a sub-district after its term, the rotation `pending` describes.
    auto siti_finishes = [&](UnitScope scope, const PendingRotationFacts& pending) {
        Facts facts = on(scope, TermState::ended);
        facts.pending_rotation = pending;
        return decide(ask(Role::custodian, Action::rotate, "siti"), facts, by_default, now);
    };
    SUBCASE("explain says why: the starter's permit, or who may finish it") {
        Decision d = siti_finishes(UnitScope::granted, siti_broke);
        REQUIRE(d.allowed());
        CHECK(d.reasons.back().rule == "break-glass");
        CHECK(d.reasons.back().effect == Effect::permit);
        CHECK(d.reasons.back().text == "siti started this rotation by break-glass outside every term: they may confirm or abort it, flagged in the log");
        Decision other = siti_finishes(UnitScope::granted, budi_broke);
        REQUIRE_FALSE(other.allowed());
        CHECK(other.reasons.back().effect == Effect::note);
        CHECK(other.reasons.back().text == "budi started this rotation by break-glass: outside every term only they, or an admin, may confirm or abort it");
    }
    SUBCASE("a custodian of another sub-district is refused by the matrix, whoever started it") {
        Decision d = siti_finishes(UnitScope::not_granted, siti_broke);
        CHECK_FALSE(d.allowed());
        CHECK(d.reasons.front().rule == "role-matrix");
    }
}
