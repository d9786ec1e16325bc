// The built-in role matrix, read as a table: role, action, scope, verdict.
#include "policy/permissions.hpp"

#include <doctest/doctest.h>

using namespace brankas::policy;

namespace {

struct Row {
    Role role;
    Action action;
    UnitScope scope;
    Verdict verdict;
};

constexpr auto A = Verdict::allow;
constexpr auto D = Verdict::deny;
constexpr auto none = UnitScope::none;
constexpr auto mine = UnitScope::granted;
constexpr auto other = UnitScope::not_granted;

} // namespace

TEST_CASE("the role matrix: who may do what") {
    const Row table[] = {
        // admins manage everything
        {Role::admin, Action::manage_units, none, A},
        {Role::admin, Action::manage_accounts, none, A},
        {Role::admin, Action::manage_people, none, A},
        {Role::admin, Action::read_secret, other, A},
        {Role::admin, Action::write_secret, other, A},
        // custodians: their own units' secrets, and metadata
        {Role::custodian, Action::read_metadata, none, A},
        {Role::custodian, Action::read_secret, mine, A},
        {Role::custodian, Action::write_secret, mine, A},
        {Role::custodian, Action::read_history, mine, A},
        {Role::custodian, Action::read_secret, other, D},
        {Role::custodian, Action::write_secret, other, D},
        {Role::custodian, Action::read_history, other, D},
        {Role::custodian, Action::manage_units, none, D},
        {Role::custodian, Action::manage_accounts, none, D},
        {Role::custodian, Action::manage_people, none, D},
        // auditors: metadata, history and the log; never a secret
        {Role::auditor, Action::read_metadata, none, A},
        {Role::auditor, Action::read_history, other, A},
        {Role::auditor, Action::take_checkpoint, none, A},
        {Role::auditor, Action::read_secret, mine, D},
        {Role::auditor, Action::write_secret, none, D},
        {Role::auditor, Action::manage_accounts, none, D},
        {Role::auditor, Action::manage_people, none, D},
        // the enforcer seals new passwords it cannot read back
        {Role::enforcer, Action::write_secret, other, A},
        {Role::enforcer, Action::read_metadata, none, A},
        {Role::enforcer, Action::read_secret, other, D},
        {Role::enforcer, Action::manage_people, none, D},
        // the recovery principal does nothing day to day
        {Role::recovery, Action::read_metadata, none, D},
        {Role::recovery, Action::read_secret, mine, D},
    };
    for (const Row& row : table) {
        CAPTURE(role_name(row.role));
        CAPTURE(action_description(row.action));
        CHECK(decide({row.role, row.action, row.scope}).verdict == row.verdict);
    }
}

TEST_CASE("a denial is one sentence naming the role and the action") {
    Decision d = decide({Role::auditor, Action::read_secret, UnitScope::none});
    CHECK_FALSE(d.allowed());
    CHECK(d.reason == "an auditor may not read passwords");
    CHECK(decide({Role::enforcer, Action::read_secret, UnitScope::none}).reason == "an enforcer may not read passwords");
    Decision c = decide({Role::custodian, Action::read_secret, UnitScope::not_granted});
    CHECK(c.reason == "a custodian may not read passwords of a sub-district they are not granted");
    CHECK(decide({Role::admin, Action::read_secret, UnitScope::none}).reason.empty());
}
