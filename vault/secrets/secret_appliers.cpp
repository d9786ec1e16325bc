// The appliers of the secrets domain: each decodes its typed event, checks it with the same
// rules a live `secret set` or `secret show` checks, and changes the tables.
#include "vault/accounts/account_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secrets.hpp"

namespace brankas {

namespace {

Status apply_secret_set(Database& db, const Event& e) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::write_secret, account.unit));
    SecretSet set = BRANKAS_TRY(SecretSet::decode(e));
    if (auto blocked = secret_may_be_set(db, account); !blocked)
        return event_refused(e, i18n::tr_noop("sets the password of an account that %s"), blocked.error());
    if (auto reason = check_set_reason(set.reason); !reason) return event_refused(e, i18n::tr_noop("has a malformed reason"));
    if (set.version != next_version(account.version)) return event_refused(e, i18n::tr_noop("does not add the next version"));
    BRANKAS_TRY(check_current_key(db, e, account.unit, set.key_version));
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, set_us) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(s.bind(1, account.id).bind(2, set.version).bind(3, set.key_version).bind(4, ByteView(set.sealed))
                    .bind(5, set.has_totp ? 1 : 0).bind(6, set.reason).bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e))
                    .bind(10, e.time_us).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, set.version).bind(2, seq_of(e)).bind(3, e.actor).bind(4, account.id).run();
}

// The same value sealed again to the unit's new key, after a rotation.
Status apply_secret_reseal(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    SecretResealed reseal = BRANKAS_TRY(SecretResealed::decode(e));
    BRANKAS_TRY(check_current_key(db, e, account.unit, reseal.key_version));
    auto pending = BRANKAS_TRY(pending_version(db, account.id));
    if (pending && reseal.version == *pending) {
        Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL pending_secrets SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ?"));
        return p.bind(1, reseal.key_version).bind(2, ByteView(reseal.sealed)).bind(3, seq_of(e)).bind(4, account.id).run();
    }
    if (reseal.version < 1 || reseal.version > account.version) return event_refused(e, i18n::tr_noop("reseals a version that does not exist"));
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL secret_versions SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
    return s.bind(1, reseal.key_version).bind(2, ByteView(reseal.sealed)).bind(3, seq_of(e)).bind(4, account.id).bind(5, reseal.version).run();
}

// Reading a password changes no table; the event is the record that it was read, decided as
// the live read was.
Status apply_secret_read(Database& db, const Event& e) {
    AccountRow account = BRANKAS_TRY(account_of(db, e));
    SecretRead read = BRANKAS_TRY(SecretRead::decode(e));
    if (auto reason = check_read_reason(read.reason); !reason) return event_refused(e, i18n::tr_noop("reads without a proper reason"));
    policy::Decision d = BRANKAS_TRY(decide_event_with(db, e, [&](const Actor& actor) {
        return decide_secret_read(db, actor, e.time_us, account, read.reason, read.break_glass ? BreakGlass::yes : BreakGlass::no);
    }));
    if (read.break_glass != d.obliges(policy::Obligation::flag_break_glass))
        return event_refused(e, i18n::tr_noop("does not record the break-glass flag its decision gave"));
    auto pending = BRANKAS_TRY(pending_version(db, account.id));
    if ((read.version < 1 || read.version > account.version) && pending != read.version)
        return event_refused(e, i18n::tr_noop("reads a version that does not exist"));
    return {};
}

} // namespace

std::span<const ActionApplier> secret_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::secret_set, apply_secret_set},
        {actions::secret_reseal, apply_secret_reseal},
        {actions::secret_read, apply_secret_read},
    };
    return appliers;
}

} // namespace brankas
