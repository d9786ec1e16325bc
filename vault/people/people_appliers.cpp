// The appliers of people: each decodes its event, checks it with the rules of people.hpp (as the
// live command did) and changes the tables; a principal's standing and signing key follow the
// signer rule (principal_after), which the walk from a checkpoint follows too.
#include "vault/approvals/approvals.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/people.hpp"
#include "vault/people/people_events.hpp"
#include "vault/people/people_tables.hpp"

namespace brankas {

namespace {

// The record's given fields over what the person's row holds (a new row: "" for the others).
Status write_record(Database& db, const Event& e, std::string_view name, const PersonRecord& given) {
    PersonRecord r = BRANKAS_TRY(person_record(db, name));
    if (given.full_name) r.full_name = given.full_name;
    if (given.nip) r.nip = given.nip;
    if (given.position) r.position = given.position;
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM principal_records WHERE principal = ?"));
    BRANKAS_TRY(d.bind(1, name).run());
    Statement s = BRANKAS_TRY(
        db.prepare("INSERT INTO principal_records (principal, full_name, nip, position, updated_seq) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, name)
        .bind(2, r.full_name.value_or(""))
        .bind(3, r.nip.value_or(""))
        .bind(4, r.position.value_or(""))
        .bind(5, seq_of(e))
        .run();
}

Status apply_vault_create(Database& db, const Event& e) {
    if (e.seq != 1) return event_refused(e, i18n::tr_noop("creates a vault but is not the first event"));
    VaultCreated created = BRANKAS_TRY(VaultCreated::decode(e));
    Signer admin = BRANKAS_TRY(changed_principal(db, e));
    Statement v = BRANKAS_TRY(db.prepare("INSERT INTO vault (singleton, vault_id, institution, created_seq) VALUES (1, ?, ?, ?)"));
    BRANKAS_TRY(v.bind(1, created.vault_id).bind(2, created.institution).bind(3, seq_of(e)).run());
    return insert_principal(db, e, e.actor, admin, created.box_key);
}

Status apply_user_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    UserAdded added = BRANKAS_TRY(UserAdded::decode(e));
    auto role = policy::parse_role(added.role);
    if (!role) return event_refused(e, i18n::tr_noop("adds a user with an unknown role"));
    if (auto allowed = check_new_principal(db, added.name, *role); !allowed) return event_refused(e, allowed.error());
    if (auto valid = check_person_record(added.record); !valid) return event_refused(e, valid.error());
    // People enroll before they are active; the enforcer's key file is its own from the start.
    BRANKAS_TRY(insert_principal(db, e, added.name, BRANKAS_TRY(changed_principal(db, e)), added.box_key));
    if (added.record.empty()) return {}; // older logs, and people added without a record
    return write_record(db, e, added.name, added.record);
}

// An admin sets some of a person's full name, NIP and position; the others stay.
Status apply_user_edit(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    UserEdited edited = BRANKAS_TRY(UserEdited::decode(e));
    if (auto allowed = check_edit(db, edited.name, edited.record); !allowed) return event_refused(e, allowed.error());
    return write_record(db, e, edited.name, edited.record);
}

// The person proves the enrollment code (the event is signed with the key it unlocked) and
// introduces keys of their own.
Status apply_user_enroll(Database& db, const Event& e) {
    UserEnrolled enrolled = BRANKAS_TRY(UserEnrolled::decode(e));
    Signer after = BRANKAS_TRY(changed_principal(db, e)); // only a pending principal, only themselves
    return replace_keys(db, e, principal_status_name(after.status), enrolled.signing_key, enrolled.box_key, KeptUnitKeys::keep);
}

Status apply_user_grant(Database& db, const Event& e) {
    UserGranted granted = BRANKAS_TRY(UserGranted::decode(e));
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    if (auto allowed = check_grant_change(db, granted.name, granted.unit, GrantChange::grant); !allowed)
        return event_refused(e, allowed.error());
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO grants (principal, unit, granted_seq) VALUES (?, ?, ?)"));
    return s.bind(1, granted.name).bind(2, granted.unit).bind(3, seq_of(e)).run();
}

Status apply_user_revoke(Database& db, const Event& e) {
    UserRevoked revoked = BRANKAS_TRY(UserRevoked::decode(e));
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    if (auto allowed = check_grant_change(db, revoked.name, revoked.unit, GrantChange::revoke); !allowed)
        return event_refused(e, allowed.error());
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, revoked.name).bind(3, revoked.unit).run());
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ? AND unit = ?"));
    return k.bind(1, revoked.name).bind(2, revoked.unit).run();
}

// The principal is ended: no signing, no grants, no unit keys. With a re-key the event also
// announces the K_db the store moves to (its pages are rewritten after the commit).
Status apply_user_disable(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    UserDisabled disabled = BRANKAS_TRY(UserDisabled::decode(e));
    if (auto allowed = check_disable(db, e.actor, disabled.name); !allowed) return event_refused(e, allowed.error());
    Signer after = BRANKAS_TRY(changed_principal(db, e));
    // Dual control over the re-key, decided again under the policy in force before this event.
    if (disabled.rekey)
        BRANKAS_TRY(decide_people_step_again(db, e, {policy::DualAction::rekey, disabled.name, disabled.reason.value_or(""), 0}, disabled.request));
    if (disabled.rekey) {
        if (disabled.rekey->generation != BRANKAS_TRY(db.query_int("SELECT store_generation FROM vault")) + 1)
            return event_refused(e, i18n::tr_noop("announces a store key generation out of order"));
        Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL vault SET store_generation = ?, store_key_check = ?"));
        BRANKAS_TRY(g.bind(1, disabled.rekey->generation).bind(2, ByteView(disabled.rekey->check)).run());
    }
    Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL principals SET status = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, principal_status_name(after.status)).bind(2, seq_of(e)).bind(3, disabled.name).run());
    Statement k = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(k.bind(1, seq_of(e)).bind(2, disabled.name).run());
    Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(g.bind(1, seq_of(e)).bind(2, disabled.name).run());
    Statement u = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ?"));
    return u.bind(1, disabled.name).run();
}

// A person sealed their own slot under a new passphrase; no table changes, the event is the record.
Status apply_user_passwd(Database& db, const Event& e) {
    PassphraseChanged changed = BRANKAS_TRY(PassphraseChanged::decode(e));
    ActorStanding actor = BRANKAS_TRY(actor_standing(db, e));
    if (actor.status != PrincipalStatus::active || changed.name != e.actor) return event_refused(e, i18n::tr_noop("changes the passphrase of someone else"));
    if (actor.actor.role == policy::Role::enforcer) return event_refused(e, i18n::tr_noop("changes a passphrase the enforcer does not have"));
    return {};
}

} // namespace

std::span<const ActionApplier> people_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::vault_create, apply_vault_create},
        {actions::user_add, apply_user_add},
        {actions::user_enroll, apply_user_enroll},
        {actions::user_grant, apply_user_grant},
        {actions::user_revoke, apply_user_revoke},
        {actions::user_disable, apply_user_disable},
        {actions::user_passwd, apply_user_passwd},
        {actions::user_edit, apply_user_edit},
    };
    return appliers;
}

} // namespace brankas
