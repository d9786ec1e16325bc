// The appliers of audit: what each of its events changes in the tables, after checking that it
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

Status apply_audit_checkpoint(Database& db, const Event& e) {
    if (!e.details.fields().empty() || !e.target.empty()) return event_refused(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO checkpoints (seq, signer) VALUES (?, ?)"));
    BRANKAS_TRY(s.bind(1, static_cast<std::int64_t>(e.seq)).bind(2, e.actor).run());
    return {};
}

// A refusal is recorded too; it changes no table. Anyone who can sign may be refused.
Status apply_access_denied(Database& db, const Event& e) {
    BRANKAS_TRY(actor_standing(db, e));
    BRANKAS_TRY(required_text(e, "action"));
    BRANKAS_TRY(required_text(e, "reason"));
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::audit_checkpoint, apply_audit_checkpoint},
    {actions::access_denied, apply_access_denied},
};

} // namespace

std::span<const ActionApplier> audit_appliers() { return appliers; }

} // namespace brankas
