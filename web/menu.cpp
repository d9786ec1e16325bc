#include "web/menu.hpp"

#include "policy/engine.hpp"
#include "vault/audit/audit.hpp"
#include "vault/session.hpp"
#include "web/site.hpp"

#include <map>

namespace brankas::web {

namespace {

using policy::Action;

// The engine's answer for the person now, each action asked once per menu.
class Asking {
public:
    explicit Asking(Session& vault) : vault_(vault) {}
    bool operator()(Action action) {
        auto it = known_.find(action);
        if (it != known_.end()) return it->second;
        auto permits = vault_.permits(action);
        return known_[action] = permits && *permits;
    }

private:
    Session& vault_;
    std::map<Action, bool> known_;
};

} // namespace

Result<OfferedReports> offered_reports(Session& vault) {
    OfferedReports offered;
    offered.district = BRANKAS_TRY(vault.permits(report_action));
    if (!offered.district) offered.units = BRANKAS_TRY(own_access_report_units(vault));
    return offered;
}

std::vector<MenuLink> menu_for(Session& vault) {
    Asking may(vault);
    std::vector<MenuLink> menu;
    auto offer = [&](bool offered, std::string href, const char* id, const char* msgid) {
        if (offered) menu.push_back({std::move(href), id, msgid});
    };
    // Every signed-in person's: the list leaves out what the engine does not show them.
    offer(true, "/accounts", "accounts", tr_noop("Accounts"));
    // The admin's status page: its gate, and the listings it reads.
    offer(may(Action::read_metadata) && may(Action::manage_people), "/admin", "admin", tr_noop("Administration"));
    // audit_log's question; a custodian's log shows their own sub-districts' events.
    offer(may(Action::read_metadata), "/audit", "audit", tr_noop("Audit log"));
    // The status report for whom may run every report; else the first of their own sub-districts'
    // access reports, whose page links the others.
    if (auto reports = offered_reports(vault)) {
        if (reports->district) offer(true, "/reports/status", "reports", tr_noop("Reports"));
        else if (!reports->units.empty())
            offer(true, "/reports/access?unit=" + encode_query_value(reports->units.front()), "reports", tr_noop("Reports"));
    }
    // Verifying asks nothing: every key opens the log it reads.
    offer(true, "/audit/verify", "verify", tr_noop("Verify"));
    // The receiver's and the outgoing custodian's steps: for whom the role matrix lets take one
    // (each is then decided with the handover's facts, which a menu has not); the list asks
    // read_metadata.
    const bool steps = policy::role_may(vault.role(), Action::accept_handover, policy::UnitScope::granted) ||
                       policy::role_may(vault.role(), Action::release_handover, policy::UnitScope::granted);
    // The witness's step, on the same tabs: for whom the role matrix lets witness (an auditor) and
    // who has not the admin's handover pages (start_handover, their gate), which list every
    // handover with its own witness button; an admin named as witness opens it there. One entry,
    // as a person has one role: a custodian's lists lead.
    const bool witnesses = policy::role_may(vault.role(), Action::witness_handover, policy::UnitScope::granted) &&
                           !may(Action::start_handover);
    if (steps) offer(may(Action::read_metadata), "/handovers/to-accept", "handovers", tr_noop("Handovers"));
    else offer(witnesses && may(Action::read_metadata), "/handovers/to-witness", "handovers", tr_noop("Handovers"));
    // The directory, for whom Administration's people page (which lists the same and more) is not open.
    offer(may(Action::read_metadata) && !may(Action::manage_people), "/people", "people", tr_noop("People"));
    offer(may(Action::read_metadata), "/approvals", "approvals", tr_noop("Approvals"));
    offer(true, "/passphrase", "passphrase", tr_noop("Passphrase"));
    return menu;
}

} // namespace brankas::web
