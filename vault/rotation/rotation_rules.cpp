// The rules of a rotation's steps, for a person now and for the replay of the event.
#include "vault/accounts/account_tables.hpp"
#include "vault/rotation/rotation.hpp"

namespace brankas {

policy::Action rotation_action(policy::Role role) noexcept {
    return role == policy::Role::enforcer ? policy::Action::enforce : policy::Action::rotate;
}

Result<policy::Decision> decide_rotation_start(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                               std::string_view reason, BreakGlass glass) {
    policy::Request request;
    request.action = policy::Action::rotate;
    request.rotation = policy::RotationStep::start;
    request.reason = std::string(reason);
    request.break_glass = glass == BreakGlass::yes;
    return decide_as(db, actor, now_us, std::move(request), account.unit);
}

Result<policy::Decision> decide_rotation_finish(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                                const std::optional<PendingSecret>& pending) {
    policy::Request request;
    request.action = policy::Action::rotate;
    request.rotation = policy::RotationStep::finish;
    policy::Facts facts;
    if (pending) facts.pending_rotation = policy::PendingRotationFacts{pending->set_by, pending->break_glass};
    return decide_as(db, actor, now_us, std::move(request), account.unit, std::move(facts));
}

Status rotation_may_start(Database& db, const AccountRow& account) {
    BRANKAS_TRY(account_may_change(account.status));
    if (BRANKAS_TRY(pending_version(db, account.id))) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("already has a pending rotation"), {});
    return {};
}

Result<PendingSecret> pending_for(Database& db, const AccountRow& account) {
    auto pending = BRANKAS_TRY(pending_secret(db, account.id));
    if (!pending) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("has no pending rotation"), {});
    return *pending;
}

Status pending_may_confirm(const PendingSecret& pending) {
    if (!pending.sealed_to_current_key)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("has a pending password sealed before its sub-district's key changed: someone who has left could know it"),
                            {});
    return {};
}

} // namespace brankas
