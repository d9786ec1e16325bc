// The appliers of the audit domain: a checkpoint is remembered with its signer; a refusal
// changes no table.
#include "vault/audit/audit_events.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Status apply_audit_checkpoint(Database& db, const Event& e) {
    BRANKAS_TRY(CheckpointTaken::decode(e));
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO checkpoints (seq, signer) VALUES (?, ?)"));
    return s.bind(1, seq_of(e)).bind(2, e.actor).run();
}

// A refusal is recorded too; it changes no table. Anyone who can sign may be refused.
Status apply_access_denied(Database& db, const Event& e) {
    BRANKAS_TRY(actor_standing(db, e));
    BRANKAS_TRY(AccessDenied::decode(e));
    return {};
}

} // namespace

std::span<const ActionApplier> audit_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::audit_checkpoint, apply_audit_checkpoint},
        {actions::access_denied, apply_access_denied},
    };
    return appliers;
}

} // namespace brankas
