// How the handover events change the projection (docs/formats.md, "Handovers"): the same code
// for a live write and for the replay of `audit verify`; every step is decided again by the
// policy engine with the facts as they stood.
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

namespace brankas {

[[nodiscard]] Status apply_handover_start(Database& db, const Event& e);
[[nodiscard]] Status apply_handover_accept(Database& db, const Event& e);
[[nodiscard]] Status apply_handover_witness(Database& db, const Event& e);
[[nodiscard]] Status apply_handover_cancel(Database& db, const Event& e);
[[nodiscard]] Status apply_handover_complete(Database& db, const Event& e);

} // namespace brankas
