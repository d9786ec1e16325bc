// The menu in the header of every page for the signed-in: each page is offered on the question it
// asks the engine first, asked now and recording nothing (Session::permits), so that no entry
// leads to a refusal; the page asks again, and records a refusal.
#pragma once

#include "web/render.hpp"

#include <vector>

namespace brankas {
class Session;
}

namespace brankas::web {

// The menu of `vault`'s person, in its order. What cannot be asked (the store unreadable) is not
// offered: the page itself would say why.
[[nodiscard]] std::vector<MenuLink> menu_for(Session& vault);

} // namespace brankas::web
