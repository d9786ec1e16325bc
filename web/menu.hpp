// The menu in the header of every page for the signed-in: each page is offered on the question it
// asks the engine first, asked now and recording nothing (Session::permits), so that no entry
// leads to a refusal; the page asks again, and records a refusal.
#pragma once

#include "vault/error.hpp"
#include "web/render.hpp"

#include <string>
#include <vector>

namespace brankas {
class Session;
}

namespace brankas::web {

// The menu of `vault`'s person, in its order. What cannot be asked (the store unreadable) is not
// offered: the page itself would say why.
[[nodiscard]] std::vector<MenuLink> menu_for(Session& vault);

// The reports `vault`'s person may run now: every one, vault-wide (report_action), or else the
// access report of each of their own sub-districts (own_access_report_units), by code. The audit
// pages link them, and the menu's Reports entry leads to the first.
struct OfferedReports {
    bool district = false;
    std::vector<std::string> units;
};
[[nodiscard]] Result<OfferedReports> offered_reports(Session& vault);

} // namespace brankas::web
