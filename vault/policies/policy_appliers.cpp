// The appliers of policies: what each of its events changes in the tables, after checking that it
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

Status apply_policy_set(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::set_policy));
    auto bytes = e.details.get_bytes("document");
    if (!bytes || e.target != "policy" || bytes->size() > policy::max_document_size || e.details.fields().size() != 1)
        return event_refused(e, "is not a policy document of an acceptable size");
    std::string document(bytes->begin(), bytes->end());
    if (!policy::parse_policy_document(document)) return event_refused(e, "sets a policy document that does not parse");
    Statement s = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO policy (singleton, document, set_seq) VALUES (1, ?, ?)"));
    return s.bind(1, document).bind(2, seq_of(e)).run();
}

constexpr ActionApplier appliers[] = {
    {actions::policy_set, apply_policy_set},
};

} // namespace

std::span<const ActionApplier> policy_appliers() { return appliers; }

} // namespace brankas
