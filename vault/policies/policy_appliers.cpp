// The applier of the policies domain: the document must be one a live `policy set` accepts.
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/policies/policies.hpp"
#include "vault/policies/policy_events.hpp"

namespace brankas {

namespace {

Status apply_policy_set(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::set_policy));
    PolicySet set = BRANKAS_TRY(PolicySet::decode(e));
    if (auto valid = check_policy_document(set.document); !valid) return event_refused(e, "does not fit: " + valid.error().message);
    Statement s = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO policy (singleton, document, set_seq) VALUES (1, ?, ?)"));
    return s.bind(1, set.document).bind(2, seq_of(e)).run();
}

constexpr ActionApplier appliers[] = {
    {actions::policy_set, apply_policy_set},
};

} // namespace

std::span<const ActionApplier> policy_appliers() { return appliers; }

} // namespace brankas
