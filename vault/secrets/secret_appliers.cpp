// The appliers of secrets: what each of its events changes in the tables, after checking that it
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

Status apply_secret_set(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::write_secret, facts.unit));
    if (facts.status == AccountStatus::archived) return event_refused(e, "sets the password of an archived account");
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    std::int64_t has_totp = BRANKAS_TRY(required_integer(e, "totp"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (version != facts.version + 1) return event_refused(e, "does not add the next version");
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return event_refused(e, "is sealed to an old sub-district key");
    if (has_totp != 0 && has_totp != 1) return event_refused(e, "has a malformed 'totp' field");
    if (BRANKAS_TRY(pending_version(db, facts.id))) return event_refused(e, "sets a password while a rotation is pending");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, set_us) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(s.bind(1, facts.id).bind(2, version).bind(3, key_version).bind(4, ByteView(sealed)).bind(5, has_totp)
                    .bind(6, reason).bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e)).bind(10, e.time_us).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, version).bind(2, seq_of(e)).bind(3, e.actor).bind(4, facts.id).run();
}

// The same value sealed again to the unit's new key, after a rotation.
Status apply_secret_reseal(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return event_refused(e, "is sealed to an old sub-district key");
    auto pending = BRANKAS_TRY(pending_version(db, facts.id));
    if (pending && version == *pending) {
        Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL pending_secrets SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ?"));
        return p.bind(1, key_version).bind(2, ByteView(sealed)).bind(3, seq_of(e)).bind(4, facts.id).run();
    }
    if (version < 1 || version > facts.version) return event_refused(e, "reseals a version that does not exist");
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL secret_versions SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
    return s.bind(1, key_version).bind(2, ByteView(sealed)).bind(3, seq_of(e)).bind(4, facts.id).bind(5, version).run();
}

// Reading a password changes no table; the event is the record that it was read.
Status apply_secret_read(Database& db, const Event& e) {
    AccountRow facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::read_secret, facts.unit));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::string what = BRANKAS_TRY(required_text(e, "what"));
    BRANKAS_TRY(required_text(e, "reason"));
    if (what != "password" && what != "totp") return event_refused(e, "reads an unknown part of a secret");
    auto pending = BRANKAS_TRY(pending_version(db, facts.id));
    if ((version < 1 || version > facts.version) && pending != version) return event_refused(e, "reads a version that does not exist");
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::secret_set, apply_secret_set},
    {actions::secret_reseal, apply_secret_reseal},
    {actions::secret_read, apply_secret_read},
};

} // namespace

std::span<const ActionApplier> secret_appliers() { return appliers; }

} // namespace brankas
