#include "vault/projection.hpp"

#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/names.hpp"

namespace brankas {

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

Status require(Database& db, const Event& e, policy::Action action, std::string_view unit = {}) {
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "active") return does_not_apply(e, "is by a user who is not active");
    policy::UnitScope scope = policy::UnitScope::none;
    if (!unit.empty()) scope = BRANKAS_TRY(holds_grant(db, e.actor, unit)) ? policy::UnitScope::granted : policy::UnitScope::not_granted;
    policy::Request request;
    request.role = actor.role;
    request.actor = e.actor;
    request.action = action;
    policy::Facts facts;
    facts.scope = scope;
    // The vault records no terms yet: every unit counts as inside one, as before the engine.
    facts.term = policy::TermState::active;
    policy::Decision d = policy::decide(request, facts, policy::Policy{}, e.time_us);
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

// ---- sub-districts and their keys ----

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
    return s.bind(1, e.target).bind(2, name).bind(3, key).bind(4, seq_of(e)).bind(5, seq_of(e)).run();
}

// A unit's secret key sealed to one principal. An admin seals to anyone who may hold it; a
// person re-seals to their own new key at enrollment.
Status apply_unit_key(Database& db, const Event& e) {
    std::string principal = BRANKAS_TRY(required_text(e, "principal"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    auto sealed = e.details.get_bytes("sealed");
    if (!sealed || sealed->size() != unit_key_sealed_size) return does_not_apply(e, "lacks a sealed key of the right size");
    ActorFacts actor = BRANKAS_TRY(actor_of(db, e));
    if (actor.status != "active" || (actor.role != policy::Role::admin && e.actor != principal))
        return does_not_apply(e, "seals a sub-district key, which only an admin (or its holder, to itself) may do");
    if (BRANKAS_TRY(unit_key_version(db, e, e.target)) != version) return does_not_apply(e, "seals a key version that is not current");
    auto holder = BRANKAS_TRY(find_principal(db, principal));
    if (!holder) return does_not_apply(e, "seals a key to '" + principal + "', who is not a user");
    auto role = policy::parse_role(holder->role);
    if (!role || !policy::role_holds_unit_keys(*role) || holder->status == "disabled")
        return does_not_apply(e, "seals a sub-district key to a " + holder->role + ", who may not hold one");
    if (*role == policy::Role::custodian && !BRANKAS_TRY(holds_grant(db, principal, e.target)))
        return does_not_apply(e, "seals a key to a custodian not granted " + e.target);
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT OR REPLACE INTO unit_keys (unit, principal, key_version, sealed, sealed_seq) VALUES (?, ?, ?, ?, ?)"));
    return s.bind(1, e.target).bind(2, principal).bind(3, version).bind(4, ByteView(*sealed)).bind(5, seq_of(e)).run();
}

// A new key pair for the unit: every sealed copy of the old key is void, the new one is sealed
// again by unit.key events, and every account of the unit must get a new password.
Status apply_unit_rotate(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    PublicKey key = BRANKAS_TRY(required_key(e, "public_key"));
    std::int64_t version = BRANKAS_TRY(required_integer(e, "key_version"));
    BRANKAS_TRY(required_text(e, "reason"));
    if (version != BRANKAS_TRY(unit_key_version(db, e, e.target)) + 1) return does_not_apply(e, "skips a key version");
    Statement u = BRANKAS_TRY(db.prepare("UPDATE units SET public_key = ?, key_version = ?, updated_seq = ? WHERE code = ?"));
    BRANKAS_TRY(u.bind(1, key).bind(2, version).bind(3, seq_of(e)).bind(4, e.target).run());
    Statement k = BRANKAS_TRY(db.prepare("DELETE FROM unit_keys WHERE unit = ?"));
    BRANKAS_TRY(k.bind(1, e.target).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE accounts SET rotation_due = 1, updated_seq = ?, updated_by = ? WHERE unit = ? AND status != 'archived'"));
    return a.bind(1, seq_of(e)).bind(2, e.actor).bind(3, e.target).run();
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
        "UPDATE accounts SET platform = ?, handle = ?, email = ?, phone = ?, url = ?, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, f.platform).bind(2, f.handle).bind(3, f.email).bind(4, f.phone).bind(5, f.url).bind(6, seq_of(e))
        .bind(7, e.actor).bind(8, facts.id).run();
}

Status apply_account_archive(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (facts.status == "archived") return does_not_apply(e, "archives an account that is archived");
    if (!e.details.fields().empty()) return does_not_apply(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("UPDATE accounts SET status = 'archived', updated_seq = ?, updated_by = ? WHERE id = ?"));
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
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO secret_versions (account, version, key_version, sealed, has_totp, reason, set_by, set_seq, sealed_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    BRANKAS_TRY(s.bind(1, facts.id).bind(2, version).bind(3, key_version).bind(4, ByteView(sealed)).bind(5, has_totp)
                    .bind(6, reason).bind(7, e.actor).bind(8, seq_of(e)).bind(9, seq_of(e)).run());
    Statement a = BRANKAS_TRY(db.prepare(
        "UPDATE accounts SET version = ?, rotation_due = 0, updated_seq = ?, updated_by = ? WHERE id = ?"));
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
    if (version < 1 || version > facts.version) return does_not_apply(e, "reseals a version that does not exist");
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE secret_versions SET key_version = ?, sealed = ?, sealed_seq = ? WHERE account = ? AND version = ?"));
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
    if (version < 1 || version > facts.version) return does_not_apply(e, "reads a version that does not exist");
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
        "UPDATE principals SET status = 'active', signing_key = ?, box_key = ?, updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, signing).bind(2, box).bind(3, seq_of(e)).bind(4, e.actor).run());
    Statement r = BRANKAS_TRY(db.prepare("UPDATE signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(r.bind(1, seq_of(e)).bind(2, e.actor).run());
    Statement k = BRANKAS_TRY(db.prepare("INSERT INTO signing_keys (principal, public_key, introduced_seq) VALUES (?, ?, ?)"));
    return k.bind(1, e.actor).bind(2, signing).bind(3, seq_of(e)).run();
}

Result<std::string> grant_subject(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_people));
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    BRANKAS_TRY(unit_key_version(db, e, unit));
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
    Statement s = BRANKAS_TRY(db.prepare("UPDATE grants SET revoked_seq = ? WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
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
        Statement g = BRANKAS_TRY(db.prepare("UPDATE vault SET store_generation = ?, store_key_check = ?"));
        BRANKAS_TRY(g.bind(1, generation).bind(2, ByteView(*check)).run());
    }
    if (e.details.fields().contains("reason")) BRANKAS_TRY(required_text(e, "reason"));
    Statement p = BRANKAS_TRY(db.prepare("UPDATE principals SET status = 'disabled', updated_seq = ? WHERE name = ?"));
    BRANKAS_TRY(p.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement k = BRANKAS_TRY(db.prepare("UPDATE signing_keys SET retired_seq = ? WHERE principal = ? AND retired_seq IS NULL"));
    BRANKAS_TRY(k.bind(1, seq_of(e)).bind(2, e.target).run());
    Statement g = BRANKAS_TRY(db.prepare("UPDATE grants SET revoked_seq = ? WHERE principal = ? AND revoked_seq IS NULL"));
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

using Apply = Status (*)(Database&, const Event&);
struct ActionEntry {
    std::string_view action;
    Apply apply;
};
constexpr ActionEntry appliers[] = {
    {actions::audit_checkpoint, apply_audit_checkpoint}, {actions::access_denied, apply_access_denied},
    {actions::unit_add, apply_unit_add},                 {actions::unit_key, apply_unit_key},
    {actions::unit_rotate, apply_unit_rotate},           {actions::account_add, apply_account_add},
    {actions::account_edit, apply_account_edit},         {actions::account_archive, apply_account_archive},
    {actions::secret_set, apply_secret_set},             {actions::secret_reseal, apply_secret_reseal},
    {actions::secret_read, apply_secret_read},           {actions::user_add, apply_user_add},
    {actions::user_enroll, apply_user_enroll},           {actions::user_grant, apply_user_grant},
    {actions::user_revoke, apply_user_revoke},           {actions::user_disable, apply_user_disable},
    {actions::user_passwd, apply_user_passwd},
};

} // namespace

std::string account_target(std::int64_t id) { return "account/" + std::to_string(id); }

std::optional<std::int64_t> parse_account_target(std::string_view target) {
    constexpr std::string_view prefix = "account/";
    if (!target.starts_with(prefix)) return std::nullopt;
    target.remove_prefix(prefix.size());
    if (target.empty() || target.size() > 18 || target[0] == '0') return std::nullopt;
    std::int64_t id = 0;
    for (char c : target) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + (c - '0');
    }
    return id;
}

Status apply_event(Database& db, const Event& e) {
    if (e.seq > 1 && BRANKAS_TRY(db.query_int("SELECT count(*) FROM vault")) != 1)
        return does_not_apply(e, "comes before the vault was created");
    if (e.action == actions::vault_create) return apply_vault_create(db, e);
    for (const ActionEntry& entry : appliers)
        if (entry.action == e.action) return entry.apply(db, e);
    return does_not_apply(e, "has an action this brankas does not know");
}

Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM grants WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    s.bind(1, principal).bind(2, unit);
    BRANKAS_TRY(s.step());
    return s.column_int(0) > 0;
}

Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT role, status, signing_key, box_key FROM principals WHERE name = ?"));
    s.bind(1, name);
    if (!BRANKAS_TRY(s.step())) return std::optional<PrincipalKeys>{};
    PrincipalKeys k{s.column_text(0), s.column_text(1), {}, {}};
    auto sk = s.column_raw(2);
    auto bk = s.column_raw(3);
    if (sk.size() != public_key_size || bk.size() != public_key_size)
        return fail(ErrorCode::store_corrupt, "a principal's public key has the wrong length");
    std::copy(sk.begin(), sk.end(), k.signing_key.begin());
    std::copy(bk.begin(), bk.end(), k.box_key.begin());
    return std::optional<PrincipalKeys>(std::move(k));
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

Result<std::optional<PublicKey>> expected_signer_key(Database& db, const Event& e) {
    if (e.action == actions::vault_create) return e.details.get_array<public_key_size>("signing_key");
    auto principal = BRANKAS_TRY(find_principal(db, e.actor));
    // A pending person signs exactly one event with the key their enrollment code unlocked.
    bool may_sign = principal && (principal->status == "active" ||
                                  (principal->status == "pending" && e.action == actions::user_enroll));
    if (!may_sign) return std::optional<PublicKey>{};
    return std::optional<PublicKey>(principal->signing_key);
}

} // namespace brankas
