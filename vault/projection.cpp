#include "vault/projection.hpp"

#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/encoding.hpp"
#include "vault/facts.hpp"
#include "vault/kept_reads.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/names.hpp"
#include "vault/projection_handover.hpp"

#include <algorithm>

namespace brankas {

// Every UPDATE here (and in vault/ops) says OR FAIL. A failing statement fails its whole event
// and the transaction is rolled back, so undoing just that statement is never needed; with the
// default ABORT, SQLite keeps a statement journal for each UPDATE, which SQLCipher encrypts page
// by page: an UPDATE then costs several times as much.

namespace {

std::unexpected<Error> does_not_apply(const Event& e, std::string why) {
    return fail(ErrorCode::verification_failed, "event " + std::to_string(e.seq) + " (" + e.action + ") " + why);
}

Status apply_vault_create(Database& db, const Event& e) {
    if (e.seq != 1) return does_not_apply(e, "creates a vault but is not the first event");
    auto institution = e.details.get_text("institution");
    auto vault_id = e.details.get_array<vault_id_size>("vault_id");
    auto role = e.details.get_text("role");
    auto signing_key = e.details.get_array<public_key_size>("signing_key");
    auto box_key = e.details.get_array<public_key_size>("box_key");
    if (!institution || !vault_id || !signing_key || !box_key || role != "admin")
        return does_not_apply(e, "lacks the institution, vault id or the first admin's keys");
    Statement v = BRANKAS_TRY(db.prepare("INSERT INTO vault (singleton, vault_id, institution, created_seq) VALUES (1, ?, ?, ?)"));
    BRANKAS_TRY(v.bind(1, *vault_id).bind(2, *institution).bind(3, static_cast<std::int64_t>(e.seq)).run());
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) "
        "VALUES (?, 'admin', 'active', ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.actor)
                    .bind(2, *signing_key)
                    .bind(3, *box_key)
                    .bind(4, static_cast<std::int64_t>(e.seq))
                    .bind(5, static_cast<std::int64_t>(e.seq))
                    .run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.actor).bind(2, *signing_key).bind(3, static_cast<std::int64_t>(e.seq)).run();
}

Status apply_audit_checkpoint(Database& db, const Event& e) {
    if (!e.details.fields().empty() || !e.target.empty()) return does_not_apply(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO checkpoints (seq, signer) VALUES (?, ?)"));
    BRANKAS_TRY(s.bind(1, static_cast<std::int64_t>(e.seq)).bind(2, e.actor).run());
    return {};
}

// ---- what the actor may do: the same rule for a live write and for the replay ----

struct ActorFacts {
    policy::Role role;
    std::string status;
};

Result<ActorFacts> actor_of(Database& db, const Event& e) {
    auto p = BRANKAS_TRY(find_principal(db, e.actor));
    if (!p) return does_not_apply(e, "is by '" + e.actor + "', who is not a user of this vault");
    auto role = policy::parse_role(p->role);
    if (!role) return does_not_apply(e, "is by a user with an unknown role");
    return ActorFacts{*role, p->status};
}

// The facts the engine needs about a unit at the event's time (the actor's grant, the term).
Result<policy::Facts> unit_facts(Database& db, const Event& e, const policy::Policy& pol, std::string_view unit) {
    return brankas::unit_facts(db, e.actor, unit, pol, e.time_us);
}

// The decision for the event's actor, with the policy in force and the facts as they stood.
Result<policy::Decision> decide_for(Database& db, const Event& e, policy::Request request, policy::Facts facts,
                                    const policy::Policy& pol) {
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "active") return does_not_apply(e, "is by a user who is not active");
    request.role = actor.role;
    request.actor = e.actor;
    return policy::decide(request, facts, pol, e.time_us);
}

Status require(Database& db, const Event& e, policy::Action action, std::string_view unit = {}) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    policy::Facts facts = BRANKAS_TRY(unit_facts(db, e, pol, unit));
    policy::Request request;
    request.action = action;
    policy::Decision d = BRANKAS_TRY(decide_for(db, e, request, facts, pol));
    if (!d.allowed()) return does_not_apply(e, "is not allowed: " + d.denial());
    return {};
}

std::int64_t seq_of(const Event& e) { return static_cast<std::int64_t>(e.seq); }

Result<std::string> required_text(const Event& e, std::string_view key) {
    auto v = e.details.get_text(key);
    if (!v) return does_not_apply(e, "lacks its '" + std::string(key) + "' field");
    return *v;
}

Result<std::int64_t> required_integer(const Event& e, std::string_view key) {
    auto v = e.details.get_integer(key);
    if (!v) return does_not_apply(e, "lacks its '" + std::string(key) + "' field");
    return *v;
}

Result<PublicKey> required_key(const Event& e, std::string_view key) {
    auto v = e.details.get_array<public_key_size>(key);
    if (!v) return does_not_apply(e, "lacks its '" + std::string(key) + "' field");
    return *v;
}

// The unit's current key version, or an error naming the event when there is no such unit.
Result<std::int64_t> unit_key_version(Database& db, const Event& e, std::string_view code) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT key_version FROM units WHERE code = ?"));
    s.bind(1, code);
    if (!BRANKAS_TRY(s.step())) return does_not_apply(e, "names sub-district " + std::string(code) + ", which does not exist");
    return s.column_int(0);
}

struct AccountFacts {
    std::int64_t id = 0;
    std::string unit, status;
    std::int64_t version = 0;
};

Result<AccountFacts> account_of(Database& db, const Event& e) {
    auto id = parse_account_target(e.target);
    if (!id) return does_not_apply(e, "does not name an account");
    Statement s = BRANKAS_TRY(db.prepare("SELECT unit, status, version FROM accounts WHERE id = ?"));
    s.bind(1, *id);
    if (!BRANKAS_TRY(s.step())) return does_not_apply(e, "names an account that does not exist");
    return AccountFacts{*id, s.column_text(0), s.column_text(1), s.column_int(2)};
}

// The version a pending rotation will make current, if one is pending.
Result<std::optional<std::int64_t>> pending_version(Database& db, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT version FROM pending_secrets WHERE account = ?"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

// ---- sub-districts and their keys ----

Status record_unit_public_key(Database& db, const Event& e, std::int64_t version, const PublicKey& key) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO unit_public_keys (unit, key_version, public_key, introduced_seq, introduced_by) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, version).bind(3, key).bind(4, seq_of(e)).bind(5, e.actor).run();
}


Status apply_unit_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    std::string name = BRANKAS_TRY(required_text(e, "name"));
    PublicKey key = BRANKAS_TRY(required_key(e, "public_key"));
    if (!is_valid_unit_code(e.target) || !is_valid_unit_name(name)) return does_not_apply(e, "has a malformed code or name");
    Statement exists = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
    exists.bind(1, e.target);
    BRANKAS_TRY(exists.step());
    if (exists.column_int(0) != 0) return does_not_apply(e, "adds sub-district " + e.target + " a second time");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO units (code, name, public_key, key_version, created_seq, updated_seq) VALUES (?, ?, ?, 1, ?, ?)"));
    BRANKAS_TRY(s.bind(1, e.target).bind(2, name).bind(3, key).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return record_unit_public_key(db, e, 1, key);
}

// The unit's standby key, if it has one: the next key version, published ahead and sealed to
// admins only, so that the enforcer can rotate to it without ever holding a private key.
Result<std::optional<std::int64_t>> standby_version(Database& db, const Event& e, std::string_view unit) {
    std::int64_t current = BRANKAS_TRY(unit_key_version(db, e, unit));
    Statement s = BRANKAS_TRY(db.prepare("SELECT max(key_version) FROM unit_public_keys WHERE unit = ?"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    if (s.column_is_null(0) || s.column_int(0) <= current) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

Result<std::int64_t> newest_key_version(Database& db, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT ifnull(max(key_version), 0) FROM unit_public_keys WHERE unit = ?"));
    s.bind(1, unit);
    BRANKAS_TRY(s.step());
    return s.column_int(0);
}

// An admin publishes the unit's next key ahead of need; its secret half goes to admins only.
Status apply_unit_standby(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_units));
    PublicKey key = BRANKAS_TRY(required_key(e, "public_key"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    if (BRANKAS_TRY(standby_version(db, e, e.target))) return does_not_apply(e, "adds a second standby key");
    if (version != BRANKAS_TRY(newest_key_version(db, e.target)) + 1) return does_not_apply(e, "skips a key version");
    return record_unit_public_key(db, e, version, key);
}

// A unit's secret key sealed to one principal. An admin seals the current key to anyone who may
// hold it, and the standby and older keys to admins and the recovery principal only (a new admin
// receives the whole key history); a person re-seals to their own new key at enrollment; the
// recovery principal passes its keys to the admin it resets or enrolls. The enforcer seals none.
Status apply_unit_key(Database& db, const Event& e) {
    std::string principal = BRANKAS_TRY(required_text(e, "principal"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    auto sealed = e.details.get_bytes("sealed");
    if (!sealed || sealed->size() != unit_key_sealed_size) return does_not_apply(e, "lacks a sealed key of the right size");
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "active") return does_not_apply(e, "is by a user who is not active");
    Statement existing = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
    existing.bind(1, e.target).bind(2, principal).bind(3, version);
    BRANKAS_TRY(existing.step());
    bool has_copy = existing.column_int(0) > 0;
    std::int64_t current = BRANKAS_TRY(unit_key_version(db, e, e.target));
    if (version < 1 || version > BRANKAS_TRY(newest_key_version(db, e.target))) return does_not_apply(e, "seals a key version that does not exist");
    auto holder = BRANKAS_TRY(find_principal(db, principal));
    if (!holder) return does_not_apply(e, "seals a key to '" + principal + "', who is not a user");
    auto role = policy::parse_role(holder->role);
    if (!role || !policy::role_holds_unit_keys(*role) || holder->status == "disabled")
        return does_not_apply(e, "seals a sub-district key to a " + holder->role + ", who may not hold one");
    if (actor.role == policy::Role::admin) {
        if (version != current && *role == policy::Role::custodian)
            return does_not_apply(e, "seals a key version that is not current to a custodian");
    } else if (actor.role == policy::Role::recovery && e.actor != principal) {
        // The quorum passes on what it holds, to the admin it has just reset or enrolled.
        if (*role != policy::Role::admin || holder->status != "pending")
            return does_not_apply(e, "seals a sub-district key from the recovery principal to someone not being recovered");
        Statement own = BRANKAS_TRY(db.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
        own.bind(1, e.target).bind(2, e.actor).bind(3, version);
        BRANKAS_TRY(own.step());
        if (own.column_int(0) == 0) return does_not_apply(e, "passes on a sub-district key the recovery principal does not hold");
    } else if (e.actor == principal) {
        // A holder re-seals the copies it holds to its own new key (at enrollment).
        if (!has_copy) return does_not_apply(e, "re-seals a sub-district key its holder does not have");
    } else {
        return does_not_apply(e, "seals a sub-district key, which only an admin (or its holder, to itself) may do");
    }
    if (*role == policy::Role::custodian && !BRANKAS_TRY(holds_grant(db, principal, e.target)))
        return does_not_apply(e, "seals a key to a custodian not granted " + e.target);
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT OR REPLACE INTO unit_keys (unit, principal, key_version, sealed, sealed_seq) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, principal).bind(3, version).bind(4, ByteView(*sealed)).bind(5, seq_of(e)).run();
}

// The unit's key becomes `version`; every account of the unit not archived needs a new password.
Status set_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version, const PublicKey& key) {
    Statement u = BRANKAS_TRY(db.prepare("UPDATE OR FAIL units SET public_key = ?, key_version = ?, updated_seq = ? WHERE code = ?"));
    BRANKAS_TRY(u.bind(1, key).bind(2, version).bind(3, seq_of(e)).bind(4, unit).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE unit = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run();
}

// The unit moves to its standby key (published earlier: its public half is on record).
Status switch_unit_key(Database& db, const Event& e, std::string_view unit, std::int64_t version) {
    Statement k = BRANKAS_TRY(db.prepare("SELECT public_key FROM unit_public_keys WHERE unit = ? AND key_version = ?"));
    k.bind(1, unit).bind(2, version);
    if (!BRANKAS_TRY(k.step())) return does_not_apply(e, "switches to a key that was never published");
    PublicKey key{};
    auto raw = k.column_raw(0);
    if (raw.size() != key.size()) return does_not_apply(e, "switches to a malformed key");
    std::copy(raw.begin(), raw.end(), key.begin());
    k.reset();
    return set_unit_key(db, e, unit, version, key);
}

// An admin moves the unit to a new key: either the standby (no public key in the event) or a
// fresh pair introduced here. (The enforcer's only way to a new key is unit.deactivate, which
// can only switch to the standby.) The new key
// reaches its holders by unit.key events; every account of the unit must get a new password.
// Copies of the old key stay with their holders for the versions still sealed to it (an admin's
// rotation re-seals them all; the enforcer's cannot).
Status apply_unit_rotate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    BRANKAS_TRY(required_text(e, "reason"));
    PublicKey key{};
    if (e.details.fields().contains("public_key")) {
        key = BRANKAS_TRY(required_key(e, "public_key"));
        if (version != BRANKAS_TRY(newest_key_version(db, e.target)) + 1) return does_not_apply(e, "skips a key version");
        BRANKAS_TRY(record_unit_public_key(db, e, version, key));
    } else {
        auto standby = BRANKAS_TRY(standby_version(db, e, e.target));
        if (!standby || *standby != version) return does_not_apply(e, "switches to a standby key the sub-district does not have");
        return switch_unit_key(db, e, e.target, version);
    }
    return set_unit_key(db, e, e.target, version, key);
}

// ---- accounts ----

struct AccountFields {
    std::string platform, handle, email, phone, url;
};

bool valid_account_fields(const AccountFields& f) {
    return is_valid_platform(f.platform) && normalize_handle(f.handle) == f.handle && is_valid_email(f.email) &&
           is_valid_phone(f.phone) && is_valid_url(f.url);
}

Result<bool> handle_taken(Database& db, const AccountFields& f, std::int64_t except_id) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE platform = ? AND handle = ? AND id != ?"));
    s.bind(1, f.platform).bind(2, f.handle).bind(3, except_id);
    BRANKAS_TRY(s.step());
    return s.column_int(0) > 0;
}

Status apply_account_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    auto id = parse_account_target(e.target);
    std::int64_t next = BRANKAS_TRY(db.query_int("SELECT ifnull(max(id), 0) + 1 FROM accounts"));
    if (!id || *id != next) return does_not_apply(e, "does not add the next account number");
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    BRANKAS_TRY(unit_key_version(db, e, unit));
    AccountFields f{BRANKAS_TRY(required_text(e, "platform")), BRANKAS_TRY(required_text(e, "handle")),
                    e.details.get_text("email").value_or(""), e.details.get_text("phone").value_or(""),
                    e.details.get_text("url").value_or("")};
    if (!valid_account_fields(f)) return does_not_apply(e, "has a malformed account field");
    if (BRANKAS_TRY(handle_taken(db, f, *id))) return does_not_apply(e, "adds " + f.platform + "/" + f.handle + " a second time");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO accounts (id, unit, platform, handle, email, phone, url, status, rotation_due, version, created_seq, "
        "updated_seq, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 0, 0, ?, ?, ?)"));
    return s.bind(1, *id).bind(2, unit).bind(3, f.platform).bind(4, f.handle).bind(5, f.email).bind(6, f.phone).bind(7, f.url)
        .bind(8, seq_of(e)).bind(9, seq_of(e)).bind(10, e.actor).run();
}

Status apply_account_edit(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (facts.status == "archived") return does_not_apply(e, "edits an archived account");
    if (e.details.fields().empty()) return does_not_apply(e, "changes nothing");
    Statement cur = BRANKAS_TRY(db.prepare("SELECT platform, handle, email, phone, url FROM accounts WHERE id = ?"));
    cur.bind(1, facts.id);
    BRANKAS_TRY(cur.step());
    AccountFields f{cur.column_text(0), cur.column_text(1), cur.column_text(2), cur.column_text(3), cur.column_text(4)};
    for (const auto& [key, value] : e.details.fields()) {
        const auto* text = std::get_if<std::string>(&value);
        if (text == nullptr) return does_not_apply(e, "has a field that is not text");
        if (key == "platform") f.platform = *text;
        else if (key == "handle") f.handle = *text;
        else if (key == "email") f.email = *text;
        else if (key == "phone") f.phone = *text;
        else if (key == "url") f.url = *text;
        else return does_not_apply(e, "has an unknown field '" + key + "'");
    }
    if (!valid_account_fields(f)) return does_not_apply(e, "has a malformed account field");
    if (BRANKAS_TRY(handle_taken(db, f, facts.id))) return does_not_apply(e, "renames to " + f.platform + "/" + f.handle + ", which exists");
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET platform = ?, handle = ?, email = ?, phone = ?, url = ?, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, f.platform).bind(2, f.handle).bind(3, f.email).bind(4, f.phone).bind(5, f.url).bind(6, seq_of(e))
        .bind(7, e.actor).bind(8, facts.id).run();
}

Status apply_account_archive(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (facts.status == "archived") return does_not_apply(e, "archives an account that is archived");
    if (BRANKAS_TRY(open_checkout(db, facts.id)) || BRANKAS_TRY(pending_version(db, facts.id)))
        return does_not_apply(e, "archives an account that is checked out or has a pending rotation");
    if (!e.details.fields().empty()) return does_not_apply(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET status = 'archived', updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, seq_of(e)).bind(2, e.actor).bind(3, facts.id).run();
}

// ---- secret versions ----

Result<Bytes> required_sealed_secret(const Event& e) {
    auto sealed = e.details.get_bytes("sealed");
    if (!sealed || sealed->size() <= sealed_box_overhead || sealed->size() > max_sealed_secret)
        return does_not_apply(e, "lacks a sealed secret of an acceptable size");
    return std::move(*sealed);
}

Status apply_secret_set(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::write_secret, facts.unit));
    if (facts.status == "archived") return does_not_apply(e, "sets the password of an archived account");
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    std::int64_t has_totp = BRANKAS_TRY(required_integer(e, "totp"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (version != facts.version + 1) return does_not_apply(e, "does not add the next version");
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return does_not_apply(e, "is sealed to an old sub-district key");
    if (has_totp != 0 && has_totp != 1) return does_not_apply(e, "has a malformed 'totp' field");
    if (BRANKAS_TRY(pending_version(db, facts.id))) return does_not_apply(e, "sets a password while a rotation is pending");
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
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return does_not_apply(e, "is sealed to an old sub-district key");
    auto pending = BRANKAS_TRY(pending_version(db, facts.id));
    if (pending && version == *pending) {
        Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL pending_secrets SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ?"));
        return p.bind(1, key_version).bind(2, ByteView(sealed)).bind(3, seq_of(e)).bind(4, facts.id).run();
    }
    if (version < 1 || version > facts.version) return does_not_apply(e, "reseals a version that does not exist");
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL secret_versions SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
    return s.bind(1, key_version).bind(2, ByteView(sealed)).bind(3, seq_of(e)).bind(4, facts.id).bind(5, version).run();
}

// Reading a password changes no table; the event is the record that it was read.
Status apply_secret_read(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::read_secret, facts.unit));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::string what = BRANKAS_TRY(required_text(e, "what"));
    BRANKAS_TRY(required_text(e, "reason"));
    if (what != "password" && what != "totp") return does_not_apply(e, "reads an unknown part of a secret");
    auto pending = BRANKAS_TRY(pending_version(db, facts.id));
    if ((version < 1 || version > facts.version) && pending != version) return does_not_apply(e, "reads a version that does not exist");
    return {};
}

// A refusal is recorded too; it changes no table. Anyone who can sign may be refused.
Status apply_access_denied(Database& db, const Event& e) {
    BRANKAS_TRY(actor_of(db, e));
    BRANKAS_TRY(required_text(e, "action"));
    BRANKAS_TRY(required_text(e, "reason"));
    return {};
}

// ---- people ----

Status apply_user_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    std::string role_text = BRANKAS_TRY(required_text(e, "role"));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    auto role = policy::parse_role(role_text);
    if (!is_valid_principal_name(e.target) || !role || *role == policy::Role::recovery)
        return does_not_apply(e, "adds a user with a malformed name or role");
    if (BRANKAS_TRY(find_principal(db, e.target))) return does_not_apply(e, "adds '" + e.target + "' a second time");
    // People enroll before they are active; the enforcer's key file is its own from the start.
    std::string_view status = *role == policy::Role::enforcer ? "active" : "pending";
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.target).bind(2, role_text).bind(3, status).bind(4, signing).bind(5, box)
                    .bind(6, seq_of(e)).bind(7, seq_of(e)).run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.target).bind(2, signing).bind(3, seq_of(e)).run();
}

// The person proves the enrollment code (the event is signed with the key it unlocked) and
// introduces keys of their own.
Status apply_user_enroll(Database& db, const Event& e) {
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "pending" || e.target != e.actor) return does_not_apply(e, "enrolls someone who is not pending, or someone else");
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    Statement p = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL principals SET status = 'active', signing_key = ?, box_key = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, signing).bind(2, box).bind(3, seq_of(e)).bind(4, e.actor).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, e.actor).run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.actor).bind(2, signing).bind(3, seq_of(e)).run();
}

Result<std::string> grant_subject(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    BRANKAS_TRY(unit_key_version(db, e, unit));
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    auto who = BRANKAS_TRY(find_principal(db, e.target));
    if (!who || who->status == "disabled") return does_not_apply(e, "names '" + e.target + "', who is not an enabled user");
    if (who->role != "custodian") return does_not_apply(e, "grants a sub-district to a " + who->role + " (only custodians are granted units)");
    return unit;
}

Status apply_user_grant(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(grant_subject(db, e));
    if (BRANKAS_TRY(holds_grant(db, e.target, unit))) return does_not_apply(e, "grants " + unit + " a second time");
    Statement s = BRANKAS_TRY(db.prepare("INSERT INTO grants (principal, unit, granted_seq) VALUES (?, ?, ?)"));
    return s.bind(1, e.target).bind(2, unit).bind(3, seq_of(e)).run();
}

Status apply_user_revoke(Database& db, const Event& e) {
    std::string unit = BRANKAS_TRY(grant_subject(db, e));
    if (!BRANKAS_TRY(holds_grant(db, e.target, unit))) return does_not_apply(e, "revokes " + unit + ", which was not granted");
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, e.target).bind(3, unit).run());
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ? AND unit = ?"));
    return k.bind(1, e.target).bind(2, unit).run();
}

// The principal is ended: no signing, no grants, no unit keys. With `store_generation` the
// event also announces the K_db the store moves to (its pages are rewritten after the commit).
Status apply_user_disable(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    auto who = BRANKAS_TRY(find_principal(db, e.target));
    if (!who || who->status == "disabled") return does_not_apply(e, "disables '" + e.target + "', who is not an enabled user");
    if (e.target == e.actor) return does_not_apply(e, "disables its own actor");
    for (const auto& [key, value] : e.details.fields())
        if (key != "store_generation" && key != "store_key_check" && key != "reason")
            return does_not_apply(e, "has an unexpected field '" + key + "'");
    if (e.details.fields().contains("store_generation") || e.details.fields().contains("store_key_check")) {
        std::int64_t generation = BRANKAS_TRY(required_integer(e, "store_generation"));
        auto check = e.details.get_array<32>("store_key_check");
        if (!check) return does_not_apply(e, "lacks a 32-byte 'store_key_check'");
        if (generation != BRANKAS_TRY(db.query_int("SELECT store_generation FROM vault")) + 1)
            return does_not_apply(e, "announces a store key generation out of order");
        Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL vault SET store_generation = ?, store_key_check = ?"));
        BRANKAS_TRY(g.bind(1, generation).bind(2, ByteView(*check)).run());
    }
    if (e.details.fields().contains("reason")) BRANKAS_TRY(required_text(e, "reason"));
    Statement p = BRANKAS_TRY(db.prepare("UPDATE OR FAIL principals SET status = 'disabled', updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement k = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(k.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement g = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE principal = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(g.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement u = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ?"));
    return u.bind(1, e.target).run();
}

// A person sealed their own slot under a new passphrase; no table changes, the event is the record.
Status apply_user_passwd(Database& db, const Event& e) {
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "active" || e.target != e.actor) return does_not_apply(e, "changes the passphrase of someone else");
    if (actor.role == policy::Role::enforcer) return does_not_apply(e, "changes a passphrase the enforcer does not have");
    return {};
}

// ---- the policy document ----

Status apply_policy_set(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::set_policy));
    auto bytes = e.details.get_bytes("document");
    if (!bytes || e.target != "policy" || bytes->size() > policy::max_document_size || e.details.fields().size() != 1)
        return does_not_apply(e, "is not a policy document of an acceptable size");
    std::string document(bytes->begin(), bytes->end());
    if (!policy::parse_policy_document(document)) return does_not_apply(e, "sets a policy document that does not parse");
    Statement s = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO policy (singleton, document, set_seq) VALUES (1, ?, ?)"));
    return s.bind(1, document).bind(2, seq_of(e)).run();
}

// ---- terms ----

// "35.02.01,35.02.02" -> the codes, each an existing unit, none twice; "" -> none.
Result<std::vector<std::string>> unit_list(Database& db, const Event& e) {
    std::string text = BRANKAS_TRY(required_text(e, "units"));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string code = text.substr(start, comma - start);
        BRANKAS_TRY(unit_key_version(db, e, code));
        if (std::find(out.begin(), out.end(), code) != out.end()) return does_not_apply(e, "names " + code + " twice");
        out.push_back(std::move(code));
        start = comma + 1;
        if (comma + 1 == text.size()) return does_not_apply(e, "has a malformed unit list");
    }
    return out;
}

Result<TermBounds> term_of(Database& db, const Event& e) {
    auto bounds = BRANKAS_TRY(find_term(db, e.target));
    if (!bounds) return does_not_apply(e, "names term '" + e.target + "', which does not exist");
    return *bounds;
}



Status apply_term_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    std::int64_t start = BRANKAS_TRY(required_integer(e, "start_us"));
    std::int64_t end = BRANKAS_TRY(required_integer(e, "end_us"));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    if (!is_valid_term_name(e.target)) return does_not_apply(e, "has a malformed term name");
    if (end <= start) return does_not_apply(e, "ends before it starts");
    if (end <= e.time_us) return does_not_apply(e, "adds a term that has already ended");
    Statement exists = BRANKAS_TRY(db.prepare("SELECT count(*) FROM terms WHERE name = ?"));
    exists.bind(1, e.target);
    BRANKAS_TRY(exists.step());
    if (exists.column_int(0) != 0) return does_not_apply(e, "adds term '" + e.target + "' a second time");
    Statement t = BRANKAS_TRY(db.prepare(
        "INSERT INTO terms (name, start_us, end_us, all_units, created_seq, updated_seq) VALUES (?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(t.bind(1, e.target).bind(2, start).bind(3, end).bind(4, units.empty() ? 1 : 0).bind(5, seq_of(e)).bind(6, seq_of(e)).run());
    Statement u = BRANKAS_TRY(db.prepare("INSERT INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, NULL, ?)"));
    for (const auto& code : units) {
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, seq_of(e)).run());
    }
    return {};
}

// Moves the end of the whole term, or of some of its units, later. (Deactivated accounts come back
// by unit.reactivate, once the units are inside a term again.)
Status apply_term_extend(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermBounds term = BRANKAS_TRY(term_of(db, e));
    std::int64_t end = BRANKAS_TRY(required_integer(e, "end_us"));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    if (end <= e.time_us) return does_not_apply(e, "extends a term to a moment already past");
    if (units.empty()) {
        if (end <= term.end_us) return does_not_apply(e, "does not move the term's end later");
        Statement t = BRANKAS_TRY(db.prepare("UPDATE OR FAIL terms SET end_us = ?, updated_seq = ? WHERE name = ?"));
        BRANKAS_TRY(t.bind(1, end).bind(2, seq_of(e)).bind(3, e.target).run());
        return {};
    }
    Statement u = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, ?, ?)"));
    for (const auto& code : units) {
        auto current = BRANKAS_TRY(unit_end_in_term(db, e.target, term, code));
        if (!current) return does_not_apply(e, "extends the term for " + code + ", which it does not cover");
        if (end <= *current) return does_not_apply(e, "does not move " + code + "'s end later");
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, end).bind(4, seq_of(e)).run());
    }
    return {};
}

// Ends the term (or some of its units) now, ahead of its date. Nothing is reactivated.
Status apply_term_end(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_terms));
    TermBounds term = BRANKAS_TRY(term_of(db, e));
    std::vector<std::string> units = BRANKAS_TRY(unit_list(db, e));
    for (const auto& [key, value] : e.details.fields())
        if (key != "units" && key != "reason") return does_not_apply(e, "has an unexpected field '" + key + "'");
    // An end never moves later and never before the start.
    std::int64_t now = std::max(e.time_us, term.start_us);
    if (units.empty()) {
        if (term.end_us <= now) return does_not_apply(e, "ends a term that has already ended");
        Statement t = BRANKAS_TRY(db.prepare("UPDATE OR FAIL terms SET end_us = ?, updated_seq = ? WHERE name = ?"));
        BRANKAS_TRY(t.bind(1, now).bind(2, seq_of(e)).bind(3, e.target).run());
        Statement o = BRANKAS_TRY(db.prepare("UPDATE OR FAIL term_units SET end_us = ?, updated_seq = ? WHERE term = ? AND end_us > ?"));
        return o.bind(1, now).bind(2, seq_of(e)).bind(3, e.target).bind(4, now).run();
    }
    Statement u = BRANKAS_TRY(db.prepare("INSERT OR REPLACE INTO term_units (term, unit, end_us, updated_seq) VALUES (?, ?, ?, ?)"));
    for (const auto& code : units) {
        auto current = BRANKAS_TRY(unit_end_in_term(db, e.target, term, code));
        if (!current) return does_not_apply(e, "ends the term for " + code + ", which it does not cover");
        if (*current <= now) return does_not_apply(e, "ends the term for " + code + ", where it has already ended");
        u.reset();
        BRANKAS_TRY(u.bind(1, e.target).bind(2, code).bind(3, now).bind(4, seq_of(e)).run());
    }
    return {};
}

// ---- check-outs ----

// Ends a check-out: returned by a person, or expired (past its end, or its account deactivated).
Status end_checkout(Database& db, const Event& e, std::int64_t checkout_seq, std::string_view how, std::int64_t account,
                    const policy::Policy& pol) {
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL checkouts SET ended_seq = ?, ended_how = ? WHERE seq = ?"));
    BRANKAS_TRY(s.bind(1, seq_of(e)).bind(2, how).bind(3, checkout_seq).run());
    if (!pol.rotate_after_checkin) return {};
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, account).run();
}

Status apply_checkout(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t until = BRANKAS_TRY(required_integer(e, "until_us"));
    std::int64_t break_glass = BRANKAS_TRY(required_integer(e, "break_glass"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    if (break_glass != 0 && break_glass != 1) return does_not_apply(e, "has a malformed 'break_glass' field");
    if (facts.status == "archived") return does_not_apply(e, "checks out an archived account");
    if (version < 1 || version != facts.version) return does_not_apply(e, "checks out a version that is not current");
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    // A hold past its end is no hold: it ends here, as expired.
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    if (open && open->until_us <= e.time_us) {
        BRANKAS_TRY(end_checkout(db, e, open->seq, "expired", facts.id, pol));
        open.reset();
    }
    policy::Facts f = BRANKAS_TRY(unit_facts(db, e, pol, facts.unit));
    if (open) f.holder = policy::Holder{open->holder, open->until_us};
    policy::Request request;
    request.action = policy::Action::checkout;
    request.reason = reason;
    request.break_glass = break_glass == 1;
    // The duration asked for is what the event's end says; the engine bounds it by the maximum.
    std::int64_t duration = 0;
    if (__builtin_sub_overflow(until, e.time_us, &duration)) return does_not_apply(e, "has an end out of range");
    request.duration_us = duration;
    policy::Decision d = BRANKAS_TRY(decide_for(db, e, request, f, pol));
    if (!d.allowed()) return does_not_apply(e, "is not allowed: " + d.denial());
    if (facts.status == "deactivated" && break_glass == 0) return does_not_apply(e, "checks out a deactivated account without break-glass");
    if (open) {
        // Not exclusive: the earlier hold ends as the new one begins (one open check-out each).
        BRANKAS_TRY(end_checkout(db, e, open->seq, "returned", facts.id, pol));
    }
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO checkouts (seq, account, holder, reason, version, start_us, until_us, break_glass) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, seq_of(e)).bind(2, facts.id).bind(3, e.actor).bind(4, reason).bind(5, version).bind(6, e.time_us)
        .bind(7, until).bind(8, break_glass).run();
}

Status apply_checkin(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (!e.details.fields().empty()) return does_not_apply(e, "carries unexpected details");
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    policy::Facts f = BRANKAS_TRY(unit_facts(db, e, pol, facts.unit));
    // A hold past its end may still be given back (late): it is open until an event ends it.
    if (open) f.holder = policy::Holder{open->holder, std::max(open->until_us, e.time_us + 1)};
    policy::Request request;
    request.action = policy::Action::checkin;
    policy::Decision d = BRANKAS_TRY(decide_for(db, e, request, f, pol));
    if (!d.allowed() || !open) return does_not_apply(e, "is not allowed: " + d.denial());
    return end_checkout(db, e, open->seq, "returned", facts.id, pol);
}

Status apply_checkout_expire(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (!e.details.fields().empty()) return does_not_apply(e, "carries unexpected details");
    auto open = BRANKAS_TRY(open_checkout(db, facts.id));
    if (!open) return does_not_apply(e, "expires a check-out that is not open");
    if (open->until_us > e.time_us && facts.status != "deactivated")
        return does_not_apply(e, "expires a check-out before its end");
    return end_checkout(db, e, open->seq, "expired", facts.id, BRANKAS_TRY(stored_policy(db)));
}

// ---- two-step rotation ----

// A new password sealed to the unit's key, not yet current: by a person starting a rotation,
// or by the enforcer for an account it deactivated (it can seal, never read back).
Status apply_secret_pending(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.role == policy::Role::enforcer) {
        BRANKAS_TRY(require(db, e, policy::Action::enforce));
        if (facts.status != "deactivated") return does_not_apply(e, "is the enforcer's, for an account it did not deactivate");
    } else {
        BRANKAS_TRY(require(db, e, policy::Action::rotate, facts.unit));
    }
    if (facts.status == "archived") return does_not_apply(e, "rotates an archived account");
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    std::int64_t key_version = BRANKAS_TRY(required_integer(e, "key_version"));
    std::int64_t has_totp = BRANKAS_TRY(required_integer(e, "totp"));
    std::string reason = BRANKAS_TRY(required_text(e, "reason"));
    Bytes sealed = BRANKAS_TRY(required_sealed_secret(e));
    if (BRANKAS_TRY(pending_version(db, facts.id))) return does_not_apply(e, "starts a rotation while one is pending");
    if (version != facts.version + 1) return does_not_apply(e, "does not rotate to the next version");
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, facts.unit))) return does_not_apply(e, "is sealed to an old sub-district key");
    if (has_totp != 0 && has_totp != 1) return does_not_apply(e, "has a malformed 'totp' field");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO pending_secrets (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, facts.id).bind(2, version).bind(3, key_version).bind(4, ByteView(sealed)).bind(5, has_totp).bind(6, reason)
        .bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e)).run();
}

Result<std::int64_t> pending_for(Database& db, const Event& e, const AccountFacts& facts) {
    BRANKAS_TRY(require(db, e, policy::Action::rotate, facts.unit));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "version"));
    if (BRANKAS_TRY(pending_version(db, facts.id)) != version) return does_not_apply(e, "names a rotation that is not pending");
    return version;
}

// The pending version becomes current: it was set on the platform.
Status apply_secret_confirm(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    std::int64_t version = BRANKAS_TRY(pending_for(db, e, facts));
    // Either the version alone, or the version completed with what the one before it carried
    // (its TOTP seed, recovery codes, notes), sealed again to the current key.
    std::optional<Bytes> completed;
    std::int64_t completed_totp = 0;
    if (e.details.fields().size() == 4) {
        completed = BRANKAS_TRY(required_sealed_secret(e));
        completed_totp = BRANKAS_TRY(required_integer(e, "totp"));
        if (completed_totp != 0 && completed_totp != 1) return does_not_apply(e, "has a malformed 'totp' field");
        if (BRANKAS_TRY(required_integer(e, "key_version")) != BRANKAS_TRY(unit_key_version(db, e, facts.unit)))
            return does_not_apply(e, "is sealed to an old sub-district key");
    } else if (e.details.fields().size() != 1) {
        return does_not_apply(e, "carries unexpected details");
    }
    // A pending version sealed to a key that was rotated away since (a revoked holder had it)
    // is not made current: the rotation starts again.
    Statement k = BRANKAS_TRY(db.prepare("SELECT key_version FROM pending_secrets WHERE account = ?"));
    k.bind(1, facts.id);
    if (!BRANKAS_TRY(k.step()) || k.column_int(0) != BRANKAS_TRY(unit_key_version(db, e, facts.unit)))
        return does_not_apply(e, "confirms a pending version sealed to an old sub-district key");
    Statement m = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq, set_us) "
        "SELECT account, version, key_version, sealed, has_totp, reason, set_by, ?, sealed_seq, ? FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(m.bind(1, seq_of(e)).bind(2, e.time_us).bind(3, facts.id).run());
    if (completed) {
        Statement r = BRANKAS_TRY(db.prepare(
            "UPDATE OR FAIL secret_versions SET sealed = ?, has_totp = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
        BRANKAS_TRY(r.bind(1, ByteView(*completed)).bind(2, completed_totp).bind(3, seq_of(e)).bind(4, facts.id).bind(5, version).run());
    }
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    BRANKAS_TRY(d.bind(1, facts.id).run());
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, version).bind(2, seq_of(e)).bind(3, e.actor).bind(4, facts.id).run();
}

Status apply_secret_abort(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(pending_for(db, e, facts));
    Statement d = BRANKAS_TRY(db.prepare("DELETE FROM pending_secrets WHERE account = ?"));
    return d.bind(1, facts.id).run();
}

// ---- end of term ----

// The enforcer (or an admin running it) ends a unit whose every term ended beyond its grace
// period: every active account of the unit is deactivated and gets the policy's deactivation
// checklist, every custodian grant of the unit ends, and, when custodians were revoked and the
// unit has a standby key, the unit moves to it. The event names the term, how many accounts and
// which custodians, and the replay checks each against the state it applies to.
Status apply_unit_deactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    const std::string& unit = e.target;
    BRANKAS_TRY(unit_key_version(db, e, unit)); // the unit exists
    BRANKAS_TRY(required_text(e, "term"));
    std::int64_t accounts = BRANKAS_TRY(required_integer(e, "accounts"));
    std::string custodians = BRANKAS_TRY(required_text(e, "custodians"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::ended) return does_not_apply(e, "ends a sub-district whose term has not ended");

    Statement n = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE unit = ? AND status = 'active'"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    if (n.column_int(0) != accounts) return does_not_apply(e, "does not count the sub-district's active accounts");
    std::string granted;
    Statement g = BRANKAS_TRY(db.prepare("SELECT principal FROM grants WHERE unit = ? AND revoked_seq IS NULL ORDER BY principal"));
    g.bind(1, unit);
    while (BRANKAS_TRY(g.step())) granted += (granted.empty() ? "" : ", ") + g.column_text(0);
    if (granted != custodians) return does_not_apply(e, "does not name the sub-district's custodians");
    if (accounts == 0 && custodians.empty()) return does_not_apply(e, "ends a sub-district with nothing left to end");
    auto standby = BRANKAS_TRY(standby_version(db, e, unit));
    auto key_version = e.details.get_integer("key_version");
    if (e.details.fields().contains("key_version") && !key_version) return does_not_apply(e, "has a malformed key version");
    // Revoked custodians must lose the key when a standby can replace it, and only then.
    bool switches = !custodians.empty() && standby.has_value();
    if (switches != key_version.has_value() || (key_version && *key_version != *standby))
        return does_not_apply(e, switches ? "leaves the revoked custodians the key although a standby key exists"
                                          : "switches to a standby key it may not use");

    // The checklist rows one by one: under SQLCipher an INSERT ... SELECT keeps an encrypted
    // statement journal and runs about ten times slower.
    std::vector<std::int64_t> ids;
    Statement active = BRANKAS_TRY(db.prepare("SELECT id FROM accounts WHERE unit = ? AND status = 'active' ORDER BY id"));
    active.bind(1, unit);
    while (BRANKAS_TRY(active.step())) ids.push_back(active.column_int(0));
    active.reset();
    Statement c = BRANKAS_TRY(db.prepare(
        "INSERT INTO checklist_steps (account, opened_seq, position, step, text, waits) VALUES (?, ?, ?, ?, ?, ?)"));
    for (std::int64_t id : ids) {
        std::int64_t position = 0;
        for (const auto& step : pol.checklist) {
            c.reset();
            BRANKAS_TRY(c.bind(1, id).bind(2, seq_of(e)).bind(3, ++position).bind(4, step.id).bind(5, step.text)
                            .bind(6, step.waits ? 1 : 0).run());
        }
    }
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET status = 'deactivated', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'active'"));
    BRANKAS_TRY(a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run());
    Statement k = BRANKAS_TRY(db.prepare(
        "DELETE FROM unit_keys WHERE unit = ?1 AND principal IN (SELECT principal FROM grants WHERE unit = ?1 AND revoked_seq IS NULL)"));
    BRANKAS_TRY(k.bind(1, unit).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL grants SET revoked_seq = ? WHERE unit = ? AND revoked_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, unit).run());
    if (!key_version) return {};
    return switch_unit_key(db, e, unit, *key_version);
}

// A unit inside a term again (its new term started, or its term was extended): its deactivated
// accounts are active again and serve the new cycle. Their open deactivation checklists close;
// the event counts those left unfinished, so that it is not silent about them.
Status apply_unit_reactivate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    const std::string& unit = e.target;
    BRANKAS_TRY(unit_key_version(db, e, unit));
    BRANKAS_TRY(required_text(e, "term"));
    std::int64_t accounts = BRANKAS_TRY(required_integer(e, "accounts"));
    std::int64_t unfinished = BRANKAS_TRY(required_integer(e, "unfinished_checklists"));
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    UnitTerm t = BRANKAS_TRY(unit_term(db, unit, pol, e.time_us));
    if (t.state != policy::TermState::active && t.state != policy::TermState::grace)
        return does_not_apply(e, "reactivates a sub-district that is not inside a term");
    Statement n = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE unit = ? AND status = 'deactivated'"));
    n.bind(1, unit);
    BRANKAS_TRY(n.step());
    if (accounts == 0 || n.column_int(0) != accounts) return does_not_apply(e, "does not count the sub-district's deactivated accounts");
    n.reset();
    if (BRANKAS_TRY(unfinished_checklists(db, unit)) != unfinished) return does_not_apply(e, "does not count the unfinished checklists");
    Statement c = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET closed_seq = ? WHERE closed_seq IS NULL AND account IN "
        "(SELECT id FROM accounts WHERE unit = ? AND status = 'deactivated')"));
    BRANKAS_TRY(c.bind(1, seq_of(e)).bind(2, unit).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET status = 'active', updated_seq = ?, updated_by = ? WHERE unit = ? AND status = 'deactivated'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, unit).run();
}

// The enforcer flags a password older than the policy's maximum age.
Status apply_account_flag(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::enforce));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(required_text(e, "reason"));
    if (facts.status != "active" || facts.version < 1) return does_not_apply(e, "flags an account that is not active or has no password");
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement age = BRANKAS_TRY(db.prepare(
        "SELECT v.set_us, a.rotation_due FROM accounts a JOIN secret_versions v ON v.account = a.id AND v.version = a.version "
        "WHERE a.id = ?"));
    age.bind(1, facts.id);
    if (!BRANKAS_TRY(age.step())) return does_not_apply(e, "flags an account whose password has no history");
    if (age.column_int(1) != 0) return does_not_apply(e, "flags an account that is already due");
    if (e.time_us - age.column_int(0) <= pol.max_password_age_us) return does_not_apply(e, "flags a password younger than the maximum age");
    Statement a = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, facts.id).run();
}

Status apply_checklist_tick(Database& db, const Event& e) {
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    BRANKAS_TRY(require(db, e, policy::Action::tick_checklist, facts.unit));
    std::string step = BRANKAS_TRY(required_text(e, "step"));
    std::string note = BRANKAS_TRY(required_text(e, "note"));
    if (note.size() > max_reason || !is_printable_utf8(note)) return does_not_apply(e, "has a malformed note");
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT opened_seq, position, waits, wait_until_us, done_seq FROM checklist_steps WHERE account = ? AND closed_seq IS NULL AND step = ?"));
    s.bind(1, facts.id).bind(2, step);
    if (!BRANKAS_TRY(s.step())) return does_not_apply(e, "ticks a step the account's open checklist does not have");
    std::int64_t opened = s.column_int(0), position = s.column_int(1);
    if (!s.column_is_null(4)) return does_not_apply(e, "ticks a step that is done");
    if (s.column_int(2) != 0 && (s.column_is_null(3) || s.column_int(3) > e.time_us))
        return does_not_apply(e, "ticks a waiting period before it has passed");
    Statement d = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET done_seq = ?, done_by = ?, note = ? WHERE account = ? AND opened_seq = ? AND position = ?"));
    BRANKAS_TRY(d.bind(1, seq_of(e)).bind(2, e.actor).bind(3, note).bind(4, facts.id).bind(5, opened).bind(6, position).run());
    // The platform's waiting period starts when the step before it is done.
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    Statement w = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL checklist_steps SET wait_until_us = ? WHERE account = ? AND opened_seq = ? AND position = ? AND waits = 1"));
    return w.bind(1, e.time_us + pol.platform_waiting_period_us).bind(2, facts.id).bind(3, opened).bind(4, position + 1).run();
}

// A backup changes no table: the event records who took it, and is the copy's last event.
Status apply_backup_create(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::create_backup));
    if (!e.details.fields().empty() || !e.target.empty()) return does_not_apply(e, "carries unexpected details");
    return {};
}

// An import changes no table itself: it records how many accounts came from which file (by
// the hash of its bytes); the account.add and secret.set events after it do the work.
Status apply_import(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    for (const auto& [key, value] : e.details.fields())
        if (key != "format" && key != "file_hash" && key != "file_bytes" && key != "accounts" && key != "units")
            return does_not_apply(e, "has an unexpected field '" + key + "'");
    std::string format = BRANKAS_TRY(required_text(e, "format"));
    if (format != "csv" && format != "keepassxc") return does_not_apply(e, "names an unknown file format");
    if (!e.details.get_array<hash_size>("file_hash")) return does_not_apply(e, "lacks a 32-byte 'file_hash'");
    if (BRANKAS_TRY(required_integer(e, "file_bytes")) < 0 || BRANKAS_TRY(required_integer(e, "accounts")) < 1 ||
        BRANKAS_TRY(required_integer(e, "units")) < 0)
        return does_not_apply(e, "has a count out of range");
    return {};
}

// ---- threshold recovery ----

Status insert_signing_key(Database& db, const Event& e, std::string_view principal, const PublicKey& key) {
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, principal).bind(2, key).bind(3, seq_of(e)).run();
}

// The principal's keys are replaced: its old signing key signs nothing more and the unit keys
// sealed to its old box key go.
Status replace_keys(Database& db, const Event& e, std::string_view status, const PublicKey& signing, const PublicKey& box) {
    Statement p = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL principals SET status = ?, signing_key = ?, box_key = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, status).bind(2, signing).bind(3, box).bind(4, seq_of(e)).bind(5, e.target).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE OR FAIL signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE principal = ?"));
    BRANKAS_TRY(k.bind(1, e.target).run());
    return insert_signing_key(db, e, e.target, signing);
}

Status only_fields(const Event& e, std::initializer_list<std::string_view> keys) {
    for (const auto& [key, value] : e.details.fields())
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) return does_not_apply(e, "has an unexpected field '" + key + "'");
    return {};
}

// An admin creates the recovery principal, or replaces its keys (a new split: the old shares
// open a slot that is gone, and the unit keys sealed to the old box key are dropped).
Status apply_recovery_split(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    BRANKAS_TRY(only_fields(e, {"signing_key", "box_key", "shares", "threshold", "split_id"}));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    std::int64_t shares = BRANKAS_TRY(required_integer(e, "shares"));
    std::int64_t threshold = BRANKAS_TRY(required_integer(e, "threshold"));
    if (!e.details.get_array<8>("split_id")) return does_not_apply(e, "lacks an 8-byte 'split_id'");
    if (e.target != "recovery") return does_not_apply(e, "names a recovery principal other than 'recovery'");
    if (threshold < 2 || shares < threshold || shares > 16) return does_not_apply(e, "has an impossible threshold or share count");
    auto existing = BRANKAS_TRY(find_principal(db, e.target));
    if (existing) {
        if (existing->role != "recovery") return does_not_apply(e, "gives the recovery principal's name to a user who has it");
        return replace_keys(db, e, "active", signing, box);
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
    if (!who || who->role != "admin" || who->status == "disabled") return does_not_apply(e, "resets someone who is not an enabled admin");
    return replace_keys(db, e, "pending", signing, box);
}

// The quorum adds an admin, who enrolls with a code like anyone added by `user add`.
Status apply_recovery_enroll(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::recover));
    BRANKAS_TRY(only_fields(e, {"signing_key", "box_key", "expires_us"}));
    PublicKey signing = BRANKAS_TRY(required_key(e, "signing_key"));
    PublicKey box = BRANKAS_TRY(required_key(e, "box_key"));
    BRANKAS_TRY(required_integer(e, "expires_us"));
    if (!is_valid_principal_name(e.target) || e.target == "recovery") return does_not_apply(e, "enrolls an admin with a malformed name");
    if (BRANKAS_TRY(find_principal(db, e.target))) return does_not_apply(e, "adds '" + e.target + "' a second time");
    Statement p = BRANKAS_TRY(db.prepare(
        "INSERT INTO principals (name, role, status, signing_key, box_key, created_seq, updated_seq) "
        "VALUES (?, 'admin', 'pending', ?, ?, ?, ?)"));
    BRANKAS_TRY(p.bind(1, e.target).bind(2, signing).bind(3, box).bind(4, seq_of(e)).bind(5, seq_of(e)).run());
    return insert_signing_key(db, e, e.target, signing);
}

using Apply = Status (*)(Database&, const Event&);
struct ActionEntry {
    std::string_view action;
    Apply apply;
};
constexpr ActionEntry appliers[] = {
    {actions::audit_checkpoint, apply_audit_checkpoint}, {actions::access_denied, apply_access_denied},
    {actions::unit_add, apply_unit_add},                 {actions::unit_key, apply_unit_key},
    {actions::unit_rotate, apply_unit_rotate},           {actions::unit_standby, apply_unit_standby},           {actions::account_add, apply_account_add},
    {actions::account_edit, apply_account_edit},         {actions::account_archive, apply_account_archive},
    {actions::secret_set, apply_secret_set},             {actions::secret_reseal, apply_secret_reseal},
    {actions::secret_read, apply_secret_read},           {actions::user_add, apply_user_add},
    {actions::user_enroll, apply_user_enroll},           {actions::user_grant, apply_user_grant},
    {actions::user_revoke, apply_user_revoke},           {actions::user_disable, apply_user_disable},
    {actions::user_passwd, apply_user_passwd},           {actions::policy_set, apply_policy_set},
    {actions::term_add, apply_term_add},                 {actions::term_extend, apply_term_extend},
    {actions::term_end, apply_term_end},                 {actions::checkout, apply_checkout},
    {actions::checkin, apply_checkin},                   {actions::checkout_expire, apply_checkout_expire},
    {actions::secret_pending, apply_secret_pending},     {actions::secret_confirm, apply_secret_confirm},
    {actions::secret_abort, apply_secret_abort},         {actions::unit_deactivate, apply_unit_deactivate},       {actions::unit_reactivate, apply_unit_reactivate},
    {actions::account_flag, apply_account_flag},         {actions::checklist_tick, apply_checklist_tick},
    {actions::backup_create, apply_backup_create},       {actions::import_accounts, apply_import},
    {actions::recovery_split, apply_recovery_split},     {actions::recovery_reset, apply_recovery_reset},
    {actions::recovery_enroll, apply_recovery_enroll},
    {actions::handover_start, apply_handover_start},     {actions::handover_accept, apply_handover_accept},
    {actions::handover_witness, apply_handover_witness}, {actions::handover_cancel, apply_handover_cancel},
    {actions::handover_complete, apply_handover_complete},
};

} // namespace


namespace {
Result<bool> vault_created(Database& db) {
    ReplayReads* kept = replay_reads(db);
    if (kept)
        if (const bool* created = kept->vault_created.find(db, {})) return *created;
    bool created = BRANKAS_TRY(db.query_int("SELECT count(*) FROM vault")) == 1;
    if (kept) kept->vault_created.keep(db, {}, created);
    return created;
}


constexpr ProjectionTable tables[] = {
    {"vault", "singleton"},
    {"principals", "name"},
    {"checkpoints", "seq"},
    {"units", "code"},
    {"unit_keys", "unit, principal, key_version"},
    {"unit_public_keys", "unit, key_version"},
    {"grants", "principal, unit, granted_seq"},
    {"signing_keys", "principal, introduced_seq"},
    {"accounts", "id"},
    {"secret_versions", "account, version"},
    {"policy", "singleton"},
    {"terms", "name"},
    {"term_units", "term, unit"},
    {"checkouts", "seq"},
    {"pending_secrets", "account"},
    {"checklist_steps", "account, opened_seq, position"},
    {"handovers", "id"},
    {"handover_outgoing", "handover, principal"},
    {"handover_accounts", "handover, account"},
};

class VaultProjection final : public Projection {
public:
    Status apply(Database& db, const Event& e) const override {
        if (e.seq > 1 && !BRANKAS_TRY(vault_created(db))) return does_not_apply(e, "comes before the vault was created");
        if (e.action == actions::vault_create) return apply_vault_create(db, e);
        for (const ActionEntry& entry : appliers)
            if (entry.action == e.action) return entry.apply(db, e);
        return does_not_apply(e, "has an action this brankas does not know");
    }

    Result<std::optional<PublicKey>> signer_key(Database& db, const Event& e) const override {
        std::optional<SignerStanding> actor;
        if (e.action != actions::vault_create) {
            if (auto p = BRANKAS_TRY(find_principal(db, e.actor))) {
                auto status = parse_principal_status(p->status);
                if (!status) return fail(ErrorCode::store_corrupt, "a principal has an unknown status");
                actor = SignerStanding{*status, p->signing_key};
            }
        }
        return signing_key_for(e, actor);
    }

    std::span<const ProjectionTable> tables() const override { return brankas::tables; }

    std::vector<std::string_view> actions() const override {
        std::vector<std::string_view> out{actions::vault_create};
        for (const ActionEntry& entry : appliers) out.push_back(entry.action);
        return out;
    }
};

} // namespace

const Projection& vault_projection() {
    static const VaultProjection projection;
    return projection;
}

Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit) {
    ReplayReads* kept = replay_reads(db);
    std::string key = kept ? ReplayReads::grant_key(principal, unit) : std::string();
    if (kept)
        if (const bool* held = kept->grants.find(db, key)) return *held;
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM grants WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    s.bind(1, principal).bind(2, unit);
    BRANKAS_TRY(s.step());
    bool held = s.column_int(0) > 0;
    if (kept) kept->grants.keep(db, key, held);
    return held;
}

Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name) {
    ReplayReads* kept = replay_reads(db);
    if (kept)
        if (const auto* found = kept->principals.find(db, name)) return *found;
    std::optional<PrincipalKeys> found;
    Statement s = BRANKAS_TRY(db.prepare("SELECT role, status, signing_key, box_key FROM principals WHERE name = ?"));
    s.bind(1, name);
    if (BRANKAS_TRY(s.step())) {
        PrincipalKeys k{s.column_text(0), s.column_text(1), {}, {}};
        auto sk = s.column_raw(2);
        auto bk = s.column_raw(3);
        if (sk.size() != public_key_size || bk.size() != public_key_size)
            return fail(ErrorCode::store_corrupt, "a principal's public key has the wrong length");
        std::copy(sk.begin(), sk.end(), k.signing_key.begin());
        std::copy(bk.begin(), bk.end(), k.box_key.begin());
        found = std::move(k);
    }
    if (kept) kept->principals.keep(db, name, found);
    return found;
}

Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin,
                    const PublicKey& signing_key, const PublicKey& box_key) {
    Event e;
    e.seq = 1;
    e.actor = std::string(admin);
    e.action = std::string(actions::vault_create);
    e.details.text("institution", std::string(institution))
        .bytes("vault_id", Bytes(vault_id.begin(), vault_id.end()))
        .text("role", std::string(policy::role_name(policy::Role::admin)))
        .bytes("signing_key", Bytes(signing_key.begin(), signing_key.end()))
        .bytes("box_key", Bytes(box_key.begin(), box_key.end()));
    return e;
}


} // namespace brankas
