// The appliers of recovery: what each of its events changes in the tables, after checking that it
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

// An admin creates the recovery principal, or replaces its keys (a new split: the old shares
// open a slot that is gone, and the unit keys sealed to the old box key are dropped).
Status apply_recovery_split(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    BRANKAS_TRY(only_fields(e, {"signing_key", "box_key", "shares", "threshold", "split_id"}));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    std::int64_t shares = BRANKAS_TRY(required_integer(e, "shares"));
    std::int64_t threshold = BRANKAS_TRY(required_integer(e, "threshold"));
    if (!e.details.get_array<8>("split_id")) return event_refused(e, "lacks an 8-byte 'split_id'");
    if (e.target != "recovery") return event_refused(e, "names a recovery principal other than 'recovery'");
    if (threshold < 2 || shares < threshold || shares > 16) return event_refused(e, "has an impossible threshold or share count");
    auto existing = BRANKAS_TRY(find_principal(db, e.target));
    if (existing) {
        if (existing->role != policy::Role::recovery) return event_refused(e, "gives the recovery principal's name to a user who has it");
        return replace_keys(db, e, "active", signing, box, KeptUnitKeys::drop);
    }
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) "
        "VALUES (?, 'recovery', 'active', ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.target).bind(2, signing).bind(3, box).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return insert_signing_key(db, e, e.target, signing);
}

// The quorum resets an admin: new keys, waiting for the admin to enroll with a new code.
Status apply_recovery_reset(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::recover));
    BRANKAS_TRY(only_fields(e, {"signing_key", "box_key", "expires_us"}));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    BRANKAS_TRY(required_integer(e, "expires_us"));
    auto who = BRANKAS_TRY(find_principal(db, e.target));
    if (!who || who->role != policy::Role::admin || who->status == PrincipalStatus::disabled) return event_refused(e, "resets someone who is not an enabled admin");
    return replace_keys(db, e, "pending", signing, box, KeptUnitKeys::drop);
}

// The quorum adds an admin, who enrolls with a code like anyone added by `user add`.
Status apply_recovery_enroll(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::recover));
    BRANKAS_TRY(only_fields(e, {"signing_key", "box_key", "expires_us"}));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    BRANKAS_TRY(required_integer(e, "expires_us"));
    if (!is_valid_principal_name(e.target) || e.target == "recovery") return event_refused(e, "enrolls an admin with a malformed name");
    if (BRANKAS_TRY(find_principal(db, e.target))) return event_refused(e, "adds '" + e.target + "' a second time");
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) "
        "VALUES (?, 'admin', 'pending', ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.target).bind(2, signing).bind(3, box).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return insert_signing_key(db, e, e.target, signing);
}

constexpr ActionApplier appliers[] = {
    {actions::recovery_split, apply_recovery_split},
    {actions::recovery_reset, apply_recovery_reset},
    {actions::recovery_enroll, apply_recovery_enroll},
};

} // namespace

std::span<const ActionApplier> recovery_appliers() { return appliers; }

} // namespace brankas
