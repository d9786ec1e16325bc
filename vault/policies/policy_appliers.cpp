// The applier of the policies domain: the document must be one a live `policy set` accepts.
#include "vault/approvals/approval_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/policies/policies.hpp"
#include "vault/policies/policy_events.hpp"

namespace brankas {

namespace {

Status apply_policy_set(Database& db, const Event& e) {
    PolicySet set = BRANKAS_TRY(PolicySet::decode(e));
    if (auto valid = check_policy_document(set.document); !valid) return event_refused(e, i18n::tr_noop("does not fit: %s"), valid.error());
    if (set.reason)
        if (auto ok = check_policy_reason(*set.reason); !ok) return event_refused(e, i18n::tr_noop("has a reason that %s"), ok.error());
    std::optional<policy::ApprovalFacts> approval;
    if (set.request) {
        auto named = BRANKAS_TRY(find_approval(db, *set.request));
        if (!named) return event_refused(e, i18n::tr_noop("names a request that does not exist"));
        approval = approval_facts(*named, {policy::DualAction::policy_set, policy_document_target(set.document), set.reason.value_or(""), 0});
    }
    // Decided under the policy in force before this event: lifting dual control needs it too.
    policy::Decision d = BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) { return decide_policy_set(db, actor, e.time_us, approval); }));
    if (set.request.has_value() != d.obliges(policy::Obligation::use_approval)) return event_refused(e, i18n::tr_noop("names a request its decision did not use"));
    if (set.request) BRANKAS_TRY(end_approval(db, e, *set.request, policy::ApprovalState::used));
    Statement s = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO policy (singleton, document, set_seq) VALUES (1, ?, ?)"));
    return s.bind(1, set.document).bind(2, seq_of(e)).run();
}

} // namespace

std::span<const ActionApplier> policy_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::policy_set, apply_policy_set},
    };
    return appliers;
}

} // namespace brankas
