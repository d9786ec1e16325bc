// The appliers of backup: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

// A backup changes no table: the event records who took it, and is the copy's last event.
Status apply_backup_create(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::create_backup));
    if (!e.details.fields().empty() || !e.target.empty()) return event_refused(e, "carries unexpected details");
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::backup_create, apply_backup_create},
};

} // namespace

std::span<const ActionApplier> backup_appliers() { return appliers; }

} // namespace brankas
