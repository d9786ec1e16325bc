// The menu in the header of every page for the signed-in: each role's pages. It only offers;
// each page's vault call decides (and records a refusal).
#include "web/render.hpp"

#include <array>

namespace brankas::web {

namespace {

using policy::Role;

const std::array entries{
    MenuEntry{"/accounts", "accounts", tr_noop("Accounts"), {Role::admin, Role::custodian, Role::auditor}},
    MenuEntry{"/admin", "admin", tr_noop("Administration"), {Role::admin}},
    MenuEntry{"/audit", "audit", tr_noop("Audit log"), {Role::admin, Role::auditor}},
    MenuEntry{"/reports/status", "reports", tr_noop("Reports"), {Role::admin, Role::auditor}},
    MenuEntry{"/audit/verify", "verify", tr_noop("Verify"), {Role::admin, Role::auditor}},
    MenuEntry{"/handovers/to-accept", "handovers", tr_noop("Handovers"), {Role::custodian}},
    MenuEntry{"/people", "people", tr_noop("People"), {Role::custodian, Role::auditor}},
    MenuEntry{"/approvals", "approvals", tr_noop("Approvals"), {Role::admin, Role::custodian, Role::auditor}},
    MenuEntry{"/passphrase", "passphrase", tr_noop("Passphrase"), {Role::admin, Role::custodian, Role::auditor}},
};

} // namespace

std::span<const MenuEntry> menu_entries() { return entries; }

} // namespace brankas::web
