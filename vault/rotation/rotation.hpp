// Two-step rotation: a pending version is generated and sealed (step one), a person sets it on
// the platform, then confirms it (step two) or aborts. Until then the current and the pending
// version are both readable by those who hold the unit's key.
#pragma once

#include "policy/engine.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/secrets/secret_payload.hpp"
#include "vault/secrets/secrets.hpp"

#include <optional>
#include <string_view>

namespace brankas {

class Session;
class Change;
struct AccountRow;

// The pending version of a rotation, shown once to the person who started it.
struct PendingRotation {
    AccountInfo account;
    std::int64_t version = 0;
    SecretBytes password;
    bool break_glass = false; // started outside every term by break-glass: flagged in the log
};

struct ConfirmedRotation {
    std::int64_t version = 0;
    bool carried_over = false; // the TOTP seed, recovery codes and notes came from the version before
    bool break_glass = false;  // its starter finished a break-glass rotation outside every term: flagged
};

struct AbortedRotation {
    std::int64_t version = 0;
    bool break_glass = false; // as in ConfirmedRotation
};

// Starts a rotation: the new password is shown, so like every reveal it is taken for a reason
// (required, not only spaces; check_read_reason), kept as the pending version's reason. A
// custodian outside every term starts one only by break-glass (decide_rotation_start).
[[nodiscard]] Result<PendingRotation> start_rotation(Session& session, std::int64_t account, const PasswordRules& rules,
                                                     std::string_view reason, BreakGlass glass = BreakGlass::no);
// Makes the pending version current; it keeps the current version's TOTP seed, recovery codes
// and notes when it has none of its own. Outside every term a custodian may confirm or abort
// only a rotation they started by break-glass (decide_rotation_finish), flagged.
[[nodiscard]] Result<ConfirmedRotation> confirm_rotation(Session& session, std::int64_t account);
[[nodiscard]] Result<AbortedRotation> abort_rotation(Session& session, std::int64_t account);
// The version a pending rotation will make current, if any.
[[nodiscard]] Result<std::optional<std::int64_t>> pending_rotation(Session& session, std::int64_t account);

// Seals `payload` (of version account.version + 1) to the unit's current key as the pending
// version of a rotation, in the change: a person's `rotate` (flagged when the glass was broken),
// or the enforcer's fresh password for an account it deactivated.
[[nodiscard]] Status append_pending(Change& change, const AccountInfo& account, const SecretPayload& payload, std::string_view reason,
                                    BreakGlass flagged = BreakGlass::no);

// ---- the rules a live rotation and its replay both apply (rotation_rules.cpp) ----

// The permission a pending version is sealed under: the enforcer's fresh password is part of
// its enforcement; anyone else rotates.
[[nodiscard]] policy::Action rotation_action(policy::Role role) noexcept;
// The engine's decision on a person starting a rotation of `account` for `reason`: the rotate
// permission, and for a custodian outside every term the check-out's break-glass rule.
[[nodiscard]] Result<policy::Decision> decide_rotation_start(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                                             std::string_view reason, BreakGlass glass);
// The engine's decision on a person confirming or aborting the rotation `pending` of `account`
// (none: no rotation is pending, decided without that fact): the rotate permission, and for a
// custodian outside every term, whether they started that rotation by break-glass.
[[nodiscard]] Result<policy::Decision> decide_rotation_finish(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                                              const std::optional<PendingSecret>& pending);
// A rotation may start: the account is not archived (account_may_change) and none is pending.
// The error (conflict) completes "account X ...".
[[nodiscard]] Status rotation_may_start(Database& db, const AccountRow& account);
// The rotation a confirmation or an abort acts on: conflict when none is pending.
[[nodiscard]] Result<PendingSecret> pending_for(Database& db, const AccountRow& account);
// A pending version becomes current only while it is sealed to the unit's current key: one
// sealed before the key was rotated away may be known to someone who left (abort, start again).
[[nodiscard]] Status pending_may_confirm(const PendingSecret& pending);

} // namespace brankas
