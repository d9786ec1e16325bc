// People and their roles. An admin adds a person with a one-time enrollment code; the person
// then replaces it with their own passphrase and fresh keys. Unit keys follow the grants:
// granting seals the unit's key to the person, revoking rotates the unit's key pair.
#include "vault/people/enrollment_code.hpp"
#include "vault/decisions.hpp"
#include "vault/file_io.hpp"
#include "vault/field_rules.hpp"
#include "vault/people/passphrase_quality.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <algorithm>
#include <sodium.h>

namespace brankas {

namespace {

// Crockford's base32: no I, L, O or U, so a code read aloud or handwritten survives.
constexpr std::string_view code_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t code_symbols = 20; // 100 bits

} // namespace

SecretBytes new_enrollment_code() {
    SecretBytes raw(code_symbols);
    random_fill(raw.span());
    SecretBytes code(code_symbols + code_symbols / 4 - 1);
    std::size_t out = 0;
    for (std::size_t i = 0; i < code_symbols; ++i) {
        if (i > 0 && i % 4 == 0) code.data()[out++] = '-';
        code.data()[out++] = static_cast<std::uint8_t>(code_alphabet[raw.data()[i] & 31]); // 256 is a multiple of 32: uniform
    }
    return code;
}

// What the key is derived from: the 20 symbols, upper case, without separators; the usual
// misreadings (O for 0, I or L for 1) are forgiven.
Result<SecretBytes> normalized_code(std::string_view typed) {
    SecretBytes out(code_symbols);
    std::size_t n = 0;
    for (char c : typed) {
        if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (code_alphabet.find(c) == std::string_view::npos || n == code_symbols)
            return fail(ErrorCode::usage, "that is not an enrollment code", "it looks like XXXX-XXXX-XXXX-XXXX-XXXX");
        out.data()[n++] = static_cast<std::uint8_t>(c);
    }
    if (n != code_symbols) return fail(ErrorCode::usage, "that is not an enrollment code", "it looks like XXXX-XXXX-XXXX-XXXX-XXXX");
    return out;
}

namespace {

Bytes key_bytes(const PublicKey& k) { return Bytes(k.begin(), k.end()); }

Result<std::int64_t> current_key_version(Database& db, std::string_view unit) {
    Statement v = BRANKAS_TRY(db.prepare("SELECT key_version FROM units WHERE code = ?"));
    v.bind(1, unit);
    if (!BRANKAS_TRY(v.step())) return fail(ErrorCode::usage, "no sub-district " + std::string(unit));
    return v.column_int(0);
}

} // namespace

Result<EnrollmentCode> Session::add_user(std::string_view name, policy::Role role, const std::vector<std::string>& units,
                                       const KdfLimits& code_kdf) {
    if (!is_valid_principal_name(name))
        return fail(ErrorCode::usage, "'" + std::string(name) + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (role == policy::Role::recovery || role == policy::Role::enforcer)
        return fail(ErrorCode::usage, "a user's role is admin, custodian or auditor");
    if (name == recovery_principal) return fail(ErrorCode::usage, "the name 'recovery' is kept for the recovery principal");
    if (!units.empty() && role != policy::Role::custodian)
        return fail(ErrorCode::usage, "only custodians are granted sub-districts (admins hold every one, auditors none)");
    BRANKAS_TRY(permit(policy::Action::manage_people, name));
    if (keyring_.find(name) != nullptr || BRANKAS_TRY(find_principal(db_, name)))
        return fail(ErrorCode::usage, "user '" + std::string(name) + "' already exists");

    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    EnrollmentCode code{new_enrollment_code(), clock_->now_us() + pol.enrollment_code_lifetime_us, pol.time_zone};
    SecretBytes normalized = BRANKAS_TRY(normalized_code(code.code.text()));
    SlotSecrets secrets{SecretBytes::copy_of(store_key_.view()), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view()), store_generation_};
    Slot slot = BRANKAS_TRY(keyring_.seal_with_passphrase(name, SlotKind::enrollment, clock_->now_us(), code.expires_us,
                                                          normalized.text(), code_kdf, secrets));

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e;
    e.action = std::string(actions::user_add);
    e.target = std::string(name);
    e.details.text("role", std::string(policy::role_name(role)))
        .bytes("signing_key", key_bytes(signing.public_key()))
        .bytes("box_key", key_bytes(box.public_key()))
        .integer("expires_us", code.expires_us);
    BRANKAS_TRY(append(std::move(e)));
    if (role == policy::Role::admin) {
        // An admin holds every key of every unit: the current one, the standby, and the old ones
        // that versions sealed before an enforcer's rotation still need.
        Statement k = BRANKAS_TRY(db_.prepare("SELECT unit, key_version FROM unit_public_keys ORDER BY unit, key_version"));
        std::vector<std::pair<std::string, std::int64_t>> all;
        while (BRANKAS_TRY(k.step())) all.emplace_back(k.column_text(0), k.column_int(1));
        for (const auto& [unit, version] : all) {
            BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(unit, version));
            BRANKAS_TRY(seal_unit_key(unit, version, unit_keys, name, box.public_key()));
        }
    }
    for (const std::string& unit : units) {
        Event g;
        g.action = std::string(actions::user_grant);
        g.target = std::string(name);
        g.details.text("unit", unit);
        BRANKAS_TRY(append(std::move(g)));
        BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(unit));
        std::int64_t version = BRANKAS_TRY(current_key_version(db_, unit));
        BRANKAS_TRY(seal_unit_key(unit, version, unit_keys, name, box.public_key()));
        BRANKAS_TRY(add_standby_key(unit));
    }
    // The slot is written before the events commit: a crash in between leaves a slot nobody
    // can use (the store does not know its keys), and adding the user again replaces it.
    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    updated.put(std::move(slot));
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    return code;
}

Result<std::vector<UserInfo>> Session::list_users() {
    BRANKAS_TRY(permit(policy::Action::read_metadata, "users"));
    Statement p = BRANKAS_TRY(db_.prepare("SELECT name, role, status FROM principals ORDER BY name"));
    Statement g = BRANKAS_TRY(db_.prepare("SELECT unit FROM grants WHERE principal = ? AND revoked_seq IS NULL ORDER BY unit"));
    std::vector<UserInfo> out;
    while (BRANKAS_TRY(p.step())) {
        UserInfo u{p.column_text(0), p.column_text(1), p.column_text(2), {}, std::nullopt};
        g.reset();
        g.bind(1, u.name);
        while (BRANKAS_TRY(g.step())) u.units.push_back(g.column_text(0));
        if (const Slot* slot = keyring_.find(u.name)) u.slot = SlotInfo{slot->kind, slot->kdf, slot->limits, slot->created_us, slot->expires_us};
        out.push_back(std::move(u));
    }
    return out;
}

Status Session::grant(std::string_view name, std::string_view unit) {
    BRANKAS_TRY(permit(policy::Action::manage_people, name));
    auto who = BRANKAS_TRY(find_principal(db_, name));
    if (!who) return fail(ErrorCode::usage, "no user '" + std::string(name) + "'");
    if (who->role != "custodian")
        return fail(ErrorCode::usage, "'" + std::string(name) + "' is a " + who->role + "; only custodians are granted sub-districts");
    if (who->status == "disabled") return fail(ErrorCode::usage, "user '" + std::string(name) + "' is disabled");
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    if (BRANKAS_TRY(holds_grant(db_, name, unit)))
        return fail(ErrorCode::usage, "'" + std::string(name) + "' already holds sub-district " + std::string(unit));
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(unit));
    Event g;
    g.action = std::string(actions::user_grant);
    g.target = std::string(name);
    g.details.text("unit", std::string(unit));
    BRANKAS_TRY(append(std::move(g)));
    std::int64_t version = BRANKAS_TRY(current_key_version(db_, unit));
    BRANKAS_TRY(seal_unit_key(unit, version, unit_keys, name, who->box_key));
    // The enforcer will end this grant by switching the unit to its standby key.
    BRANKAS_TRY(add_standby_key(unit));
    return tx.commit();
}

Status Session::revoke(std::string_view name, std::string_view unit) {
    BRANKAS_TRY(permit(policy::Action::manage_people, name));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    if (!BRANKAS_TRY(holds_grant(db_, name, unit)))
        return fail(ErrorCode::usage, "'" + std::string(name) + "' does not hold sub-district " + std::string(unit));
    Event r;
    r.action = std::string(actions::user_revoke);
    r.target = std::string(name);
    r.details.text("unit", std::string(unit));
    BRANKAS_TRY(append(std::move(r)));
    BRANKAS_TRY(rotate_unit_key(unit, "access of " + std::string(name) + " revoked", StandbyChoice::use));
    return tx.commit();
}

Status Session::rotate_unit_key(std::string_view unit, std::string_view reason, StandbyChoice choice) {
    // Every version is opened with the old key before anything is written: a version that
    // cannot be opened stops the rotation instead of being lost.
    Statement versions = BRANKAS_TRY(db_.prepare(
        "SELECT v.account, v.version FROM secret_versions v JOIN accounts a ON a.id = v.account WHERE a.unit = ?1 UNION ALL "
        "SELECT p.account, p.version FROM pending_secrets p JOIN accounts a ON a.id = p.account WHERE a.unit = ?1 ORDER BY 1, 2"));
    versions.bind(1, unit);
    std::vector<std::pair<std::int64_t, std::int64_t>> to_reseal;
    while (BRANKAS_TRY(versions.step())) to_reseal.emplace_back(versions.column_int(0), versions.column_int(1));
    std::vector<std::pair<AccountInfo, SecretBytes>> opened;
    for (const auto& [account, version] : to_reseal) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db_, account));
        SecretPayload payload = BRANKAS_TRY(open_version(*this, a, version));
        opened.emplace_back(std::move(a), BRANKAS_TRY(encode_secret_payload(payload)));
    }

    // The standby key becomes current when only admins ever held it; when the person losing
    // access may have held it (a disabled admin), a fresh pair is made and the standby is left behind.
    std::int64_t standby = 0; // 0: none usable
    if (choice == StandbyChoice::use) {
        if (auto v = BRANKAS_TRY(standby_key_version(unit))) standby = *v;
    }
    if (standby != 0) {
        Statement t = BRANKAS_TRY(db_.prepare(
            "SELECT count(*) FROM unit_keys k LEFT JOIN principals p ON p.name = k.principal WHERE k.unit = ? AND k.key_version = ? "
            "AND (p.name IS NULL OR p.status = 'disabled' OR p.role NOT IN ('admin', 'recovery'))"));
        t.bind(1, unit).bind(2, standby);
        BRANKAS_TRY(t.step());
        if (t.column_int(0) != 0) standby = 0;
    }
    Event rotate;
    rotate.action = std::string(actions::unit_rotate);
    rotate.target = std::string(unit);
    std::int64_t key_version = 0;
    std::optional<BoxKeyPair> fresh;
    if (standby != 0) {
        key_version = standby;
    } else {
        fresh = BoxKeyPair::generate();
        Statement n = BRANKAS_TRY(db_.prepare("SELECT ifnull(max(key_version), 0) + 1 FROM unit_public_keys WHERE unit = ?"));
        n.bind(1, unit);
        BRANKAS_TRY(n.step());
        key_version = n.column_int(0);
        rotate.details.bytes("public_key", key_bytes(fresh->public_key()));
    }
    rotate.details.integer("key_version", key_version).text("reason", std::string(reason));
    BoxKeyPair new_keys = fresh ? std::move(*fresh) : BRANKAS_TRY(unit_key_pair(unit, key_version));
    BRANKAS_TRY(append(std::move(rotate)));
    Statement has_copy = BRANKAS_TRY(db_.prepare("SELECT count(*) FROM unit_keys WHERE unit = ? AND principal = ? AND key_version = ?"));
    for (const auto& [principal, box_key] : BRANKAS_TRY(unit_key_recipients(unit))) {
        has_copy.reset();
        has_copy.bind(1, unit).bind(2, principal).bind(3, key_version);
        BRANKAS_TRY(has_copy.step());
        if (has_copy.column_int(0) == 0) BRANKAS_TRY(seal_unit_key(unit, key_version, new_keys, principal, box_key));
    }
    for (std::size_t i = 0; i < opened.size(); ++i) {
        SecretResealed reseal{opened[i].first.id, to_reseal[i].second, key_version, seal_to(new_keys.public_key(), opened[i].second.view())};
        BRANKAS_TRY(append(reseal.encode()));
    }
    return add_standby_key(unit);
}

Result<std::vector<std::string>> Session::disable_user(std::string_view name, bool rekey) {
    DisableOutcome outcome = BRANKAS_TRY(disable_and_announce(name, rekey));
    // The log now announces the new generation; a crash from here on is finished by the next open.
    if (outcome.rekey) BRANKAS_TRY(finish_rekey(outcome.rekey->generation, std::move(outcome.rekey->key)));
    return std::move(outcome.also_disabled);
}

Result<Session::DisableOutcome> Session::disable_and_announce(std::string_view name, bool rekey) {
    BRANKAS_TRY(permit(policy::Action::manage_people, name));
    if (name == user_) return fail(ErrorCode::usage, "you cannot disable yourself", "ask another admin to do it");
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    auto who = BRANKAS_TRY(find_principal(db_, name));
    if (!who) return fail(ErrorCode::usage, "no user '" + std::string(name) + "'");
    if (who->status == "disabled") return fail(ErrorCode::usage, "user '" + std::string(name) + "' is already disabled");

    // Credentials that passed through this person's hands go with them: the enrollment codes
    // they handed out and not yet used, and the key files of enforcers they created.
    DisableOutcome outcome;
    std::vector<std::string> ending{std::string(name)};
    {
        Statement c = BRANKAS_TRY(db_.prepare(
            "SELECT p.name FROM principals p JOIN events e ON e.seq = p.created_seq WHERE e.actor = ? AND p.name != ? "
            "AND (p.status = 'pending' OR (p.role = 'enforcer' AND p.status = 'active')) ORDER BY p.name"));
        c.bind(1, name).bind(2, name);
        while (BRANKAS_TRY(c.step())) {
            ending.push_back(c.column_text(0));
            outcome.also_disabled.push_back(c.column_text(0));
        }
    }
    if (std::find(ending.begin(), ending.end(), user_) != ending.end())
        return fail(ErrorCode::usage, "disabling " + std::string(name) + " would disable you too", "ask another admin to do it");

    // Every sub-district whose key any of them could open is rotated, whatever their role.
    std::vector<std::string> held;
    {
        Statement h = BRANKAS_TRY(db_.prepare("SELECT unit FROM unit_keys WHERE principal = ?"));
        for (const std::string& p : ending) {
            h.reset();
            h.bind(1, p);
            while (BRANKAS_TRY(h.step())) held.push_back(h.column_text(0));
        }
        std::sort(held.begin(), held.end());
        held.erase(std::unique(held.begin(), held.end()), held.end());
    }

    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    for (const std::string& p : ending) updated.remove(p);
    if (rekey) {
        const std::uint32_t generation = store_generation_ + 1;
        SecretBytes new_key(store_key_size);
        random_fill(new_key.span());
        // Nobody else's passphrase is known here: the new K_db reaches each remaining slot
        // sealed to its owner's box key, and the slots keep the old one until the store moves.
        Statement p = BRANKAS_TRY(db_.prepare("SELECT name, box_key FROM principals WHERE status != 'disabled' ORDER BY name"));
        while (BRANKAS_TRY(p.step())) {
            const Slot* slot = updated.find(p.column_text(0));
            auto raw = p.column_raw(1);
            if (slot == nullptr || raw.size() != public_key_size) continue; // the ending ones have no slot now
            PublicKey box_key{};
            std::copy(raw.begin(), raw.end(), box_key.begin());
            updated.put_envelope(updated.seal_store_key(slot->id, generation, new_key, box_key));
        }
        outcome.rekey = PendingRekey{generation, std::move(new_key)};
    }

    for (const std::string& p : ending) {
        Event d;
        d.action = std::string(actions::user_disable);
        d.target = p;
        if (p == name && outcome.rekey) {
            Hash check = store_key_check(keyring_.vault_id(), outcome.rekey->generation, outcome.rekey->key);
            d.details.integer("store_generation", outcome.rekey->generation).bytes("store_key_check", Bytes(check.begin(), check.end()));
        }
        if (p != name) d.details.text("reason", "created by " + std::string(name));
        BRANKAS_TRY(append(std::move(d)));
    }
    for (const std::string& unit : held)
        BRANKAS_TRY(rotate_unit_key(unit, "access of " + std::string(name) + " ended: disabled", StandbyChoice::discard));
    // The keyring first: a crash before the commit leaves a slot-less user the admin disables
    // again, and envelopes of a key the store never used (the next re-key replaces them).
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    return outcome;
}

Status Session::change_passphrase(const PassphraseSource& new_passphrase, const KdfLimits& kdf) {
    const Slot* own = keyring_.find(user_);
    if (own == nullptr) return fail(ErrorCode::no_such_user, "no slot for user '" + user_ + "'");
    if (own->kdf == SlotKdf::key_file)
        return fail(ErrorCode::usage, "user '" + user_ + "' unlocks with a key file and has no passphrase");
    if (!kdf_limits_acceptable(kdf)) return fail(ErrorCode::usage, "the key-derivation limits are out of range");
    SecretBytes passphrase = BRANKAS_TRY(new_passphrase());
    BRANKAS_TRY(check_new_passphrase(passphrase.text(), user_));
    if (keyring_.open_with_passphrase(user_, passphrase.text()))
        return fail(ErrorCode::usage, "the new passphrase is the one you have now");
    SlotSecrets secrets{SecretBytes::copy_of(store_key_.view()), SecretBytes::copy_of(signing_key_.seed().view()),
                        SecretBytes::copy_of(box_keys_.secret_key().view()), store_generation_};
    Slot slot = BRANKAS_TRY(keyring_.seal_with_passphrase(user_, SlotKind::passphrase, clock_->now_us(), 0,
                                                          passphrase.text(), kdf, secrets));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e;
    e.action = std::string(actions::user_passwd);
    e.target = user_;
    BRANKAS_TRY(append(std::move(e)));
    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    updated.put(std::move(slot)); // also drops the envelopes this slot no longer needs
    // Written before the commit, under the write lock: a crash in between leaves the new
    // passphrase working and only the event missing.
    return save_keyring_and_commit(std::move(updated), before, tx);
}

namespace {

// Removes the key file written for a principal that was not created after all.
class KeyFileGuard {
public:
    explicit KeyFileGuard(std::filesystem::path path) : path_(std::move(path)) {}
    KeyFileGuard(const KeyFileGuard&) = delete;
    KeyFileGuard& operator=(const KeyFileGuard&) = delete;
    ~KeyFileGuard() {
        if (!kept_) {
            std::error_code ec;
            std::filesystem::remove(path_, ec);
        }
    }
    void keep() noexcept { kept_ = true; }

private:
    std::filesystem::path path_;
    bool kept_ = false;
};

} // namespace

Status Session::add_enforcer(std::string_view name, const std::filesystem::path& key_file) {
    if (!is_valid_principal_name(name))
        return fail(ErrorCode::usage, "'" + std::string(name) + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (name == recovery_principal) return fail(ErrorCode::usage, "the name 'recovery' is kept for the recovery principal");
    BRANKAS_TRY(permit(policy::Action::manage_people, name));
    if (keyring_.find(name) != nullptr || BRANKAS_TRY(find_principal(db_, name)))
        return fail(ErrorCode::usage, "user '" + std::string(name) + "' already exists");

    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    SecretBytes key(slot_key_size);
    random_fill(key.span());
    SlotSecrets secrets{SecretBytes::copy_of(store_key_.view()), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view()), store_generation_};
    Slot slot = BRANKAS_TRY(keyring_.seal_with_key(name, SlotKind::keyfile, clock_->now_us(), key, secrets));
    // The key file first, never over an existing file; it is removed again if the rest fails.
    BRANKAS_TRY(write_file_atomic(key_file, key.view(), Existing::refuse));
    KeyFileGuard guard(key_file);

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e;
    e.action = std::string(actions::user_add);
    e.target = std::string(name);
    e.details.text("role", std::string(policy::role_name(policy::Role::enforcer)))
        .bytes("signing_key", key_bytes(signing.public_key()))
        .bytes("box_key", key_bytes(box.public_key()));
    BRANKAS_TRY(append(std::move(e)));
    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    updated.put(std::move(slot));
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    guard.keep();
    return {};
}

Result<Session> Vault::enroll(const std::filesystem::path& given_dir, std::string_view user, std::string_view code,
                            const PassphraseSource& new_passphrase, const KdfLimits& kdf, const Clock& clock) {
    VaultPaths paths{normalized(given_dir)};
    std::error_code ec;
    if (!std::filesystem::exists(paths.keyring(), ec)) return fail(ErrorCode::no_vault, "no vault at " + paths.dir.string());
    Keyring keyring = BRANKAS_TRY(Keyring::load(paths.keyring()));
    const Slot* slot = keyring.find(user);
    if (slot == nullptr) return fail(ErrorCode::no_such_user, "no user '" + std::string(user) + "' in this vault");
    if (slot->kind != SlotKind::enrollment) return fail(ErrorCode::usage, "user '" + std::string(user) + "' has already enrolled");
    if (slot->expires_us != 0 && clock.now_us() > slot->expires_us)
        return fail(ErrorCode::denied, "the enrollment code of '" + std::string(user) + "' has expired",
                    "ask an admin to add the user again");
    if (!kdf_limits_acceptable(kdf)) return fail(ErrorCode::usage, "the key-derivation limits are out of range");
    SecretBytes normalized_input = BRANKAS_TRY(normalized_code(code));
    auto secrets = keyring.open_with_passphrase(user, normalized_input.text());
    if (!secrets) {
        if (secrets.error().code == ErrorCode::wrong_passphrase)
            return fail(ErrorCode::wrong_passphrase, "wrong enrollment code for user '" + std::string(user) + "'");
        return std::unexpected(secrets.error());
    }
    Session v = BRANKAS_TRY(assemble(paths, keyring, user, std::move(*secrets), clock, Enrollment::allow));
    SecretBytes passphrase = BRANKAS_TRY(new_passphrase());
    BRANKAS_TRY(check_new_passphrase(passphrase.text(), user));

    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(v.db_));
    // Signed with the key the code unlocked: that proves the code; the event introduces the new keys.
    Event e;
    e.action = std::string(actions::user_enroll);
    e.target = std::string(user);
    e.details.bytes("signing_key", key_bytes(signing.public_key())).bytes("box_key", key_bytes(box.public_key()));
    BRANKAS_TRY(v.append(std::move(e)));
    // The unit keys sealed to the enrollment key are sealed again to the person's own key.
    std::vector<std::pair<std::string, BoxKeyPair>> units;
    Statement held = BRANKAS_TRY(v.db_.prepare("SELECT unit, key_version FROM unit_keys WHERE principal = ? ORDER BY unit, key_version"));
    held.bind(1, user);
    std::vector<std::pair<std::string, std::int64_t>> held_units;
    while (BRANKAS_TRY(held.step())) held_units.emplace_back(held.column_text(0), held.column_int(1));
    std::vector<std::pair<std::pair<std::string, std::int64_t>, BoxKeyPair>> unit_keys;
    for (const auto& h : held_units) unit_keys.emplace_back(h, BRANKAS_TRY(v.unit_key_pair(h.first, h.second)));
    v.signing_key_ = std::move(signing);
    v.box_keys_ = std::move(box);
    for (const auto& [h, keys] : unit_keys) BRANKAS_TRY(v.seal_unit_key(h.first, h.second, keys, user, v.box_keys_.public_key()));

    SlotSecrets own{SecretBytes::copy_of(v.store_key_.view()), SecretBytes::copy_of(v.signing_key_.seed().view()),
                    SecretBytes::copy_of(v.box_keys_.secret_key().view()), v.store_generation_};
    const SlotId own_slot_id = slot_id_for(v.keyring_.vault_id(), user);
    Slot own_slot = BRANKAS_TRY(v.keyring_.seal_with_passphrase(user, SlotKind::passphrase, clock.now_us(), 0, passphrase.text(), kdf, own));
    Keyring before = BRANKAS_TRY(v.reload_keyring());
    Keyring updated = before;
    updated.put(std::move(own_slot));
    // The envelopes were sealed to the enrollment box key, which this slot no longer holds.
    updated.drop_envelopes_of(own_slot_id);
    // Written under the write lock, just before the store learns the new keys. (A crash in
    // between leaves a slot whose keys the store does not know yet: the admin disables the
    // person and adds them again under a new name.)
    BRANKAS_TRY(v.save_keyring_and_commit(std::move(updated), before, tx));
    return v;
}

} // namespace brankas
