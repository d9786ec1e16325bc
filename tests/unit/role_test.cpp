#include "policy/role.hpp"

#include <doctest/doctest.h>

using namespace brankas::policy;

TEST_CASE("roles round-trip through their names") {
    for (Role r : {Role::admin, Role::custodian, Role::auditor, Role::enforcer, Role::recovery})
        CHECK(parse_role(role_name(r)) == r);
    CHECK_FALSE(parse_role("root").has_value());
    CHECK_FALSE(parse_role("Admin").has_value());
}

TEST_CASE("auditors and the enforcer never hold unit keys") {
    CHECK(role_holds_unit_keys(Role::admin));
    CHECK(role_holds_unit_keys(Role::custodian));
    CHECK(role_holds_unit_keys(Role::recovery));
    CHECK_FALSE(role_holds_unit_keys(Role::auditor));
    CHECK_FALSE(role_holds_unit_keys(Role::enforcer));
}
