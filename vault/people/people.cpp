// People as an admin manages them: added with a one-time enrollment code (or, for the enforcer,
// a key file), granted and revoked sub-districts, disabled; and a person's own passphrase.
#include "vault/people/people.hpp"
#include "vault/own_reasons.hpp"

#include "policy/document.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/decisions.hpp"
#include "vault/field_rules.hpp"
#include "vault/file_io.hpp"
#include "vault/people/enrollment_code.hpp"
#include "vault/people/passphrase_quality.hpp"
#include "vault/people/people_events.hpp"
#include "vault/people/principals.hpp"
#include "vault/session.hpp"
#include "vault/slot_integrity.hpp"
#include "vault/unit_sight.hpp"
#include "vault/units/units.hpp"

#include <algorithm>

namespace brankas {

namespace {

std::unexpected<Error> not_a_user_name(std::string_view name) {
    return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {i18n::echo(name)},
                        i18n::tr_noop("use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)"));
}

// The checks of a new principal's name that need no vault (before the permission is asked).
Status check_name_format(std::string_view name) {
    if (!is_valid_principal_name(name)) return not_a_user_name(name);
    if (name == recovery_principal) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the name 'recovery' is kept for the recovery principal"), {});
    return {};
}

// Inside a write: the rule, and a slot of that name (one that never reached the store).
Status check_new_name(Session& session, Change& change, std::string_view name, policy::Role role) {
    BRANKAS_TRY(check_new_principal(change.db(), name, role));
    if (session.keyring().find(name) != nullptr) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' already exists"), {std::string(name)});
    return {};
}

SlotSecrets person_slot_secrets(const Session& session, const SigningKey& signing, const BoxKeyPair& box) {
    return SlotSecrets{SecretBytes::copy_of(session.store_key().view()), SecretBytes::copy_of(signing.seed().view()),
                       SecretBytes::copy_of(box.secret_key().view()), session.store_generation()};
}

// Puts `slot` into the keyring the change writes just before its commit.
Status save_slot(Change& change, Slot slot) {
    Keyring before = BRANKAS_TRY(change.keyring_on_disk());
    Keyring updated = before;
    updated.put(std::move(slot)); // also drops the envelopes this slot no longer needs
    change.save_keyring(std::move(updated), std::move(before));
    return {};
}

// Seals the unit's current key to a custodian just granted it, and makes sure a standby waits.
Status seal_granted_unit(Session& session, Change& change, std::string_view unit, std::string_view name, const PublicKey& box_key) {
    BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, unit));
    std::int64_t version = BRANKAS_TRY(current_unit_key(change.db(), unit)).version;
    BRANKAS_TRY(seal_unit_key(change, unit, version, unit_keys, name, box_key));
    // The enforcer will end this grant by switching the unit to its standby key.
    return add_standby_key(change, unit);
}

} // namespace

Result<EnrollmentCode> add_user(Session& session, std::string_view name, policy::Role role, const std::vector<std::string>& units,
                                const KdfLimits& code_kdf, const PersonRecord& typed_record) {
    if (!is_valid_principal_name(name)) return not_a_user_name(name);
    const PersonRecord record = BRANKAS_TRY(normalized_person_record(typed_record));
    if (role == policy::Role::recovery || role == policy::Role::enforcer)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a user's role is admin, custodian or auditor"), {});
    BRANKAS_TRY(check_name_format(name));
    if (!units.empty() && role != policy::Role::custodian)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("only custodians are granted sub-districts (admins hold every one, auditors none)"), {});
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    return session.write([&](Change& change) -> Result<EnrollmentCode> {
        Database& db = change.db();
        BRANKAS_TRY(check_new_name(session, change, name, role));
        SigningKey signing = SigningKey::generate();
        BoxKeyPair box = BoxKeyPair::generate();
        policy::Policy pol = BRANKAS_TRY(stored_policy(db));
        EnrollmentCode code{new_enrollment_code(), change.now() + pol.enrollment_code_lifetime_us, pol.time_zone};
        SecretBytes normalized = BRANKAS_TRY(normalized_code(code.code.text()));
        Slot slot = BRANKAS_TRY(session.keyring().seal_with_passphrase(name, SlotKind::enrollment, change.now(), code.expires_us,
                                                                       normalized.text(), code_kdf, person_slot_secrets(session, signing, box)));
        BRANKAS_TRY(change.append(UserAdded{std::string(name), std::string(policy::role_name(role)), signing.public_key(),
                                            box.public_key(), code.expires_us, slot_hash(session.keyring(), slot), record}));
        if (role == policy::Role::admin) {
            // An admin holds every key of every unit: the current one, the standby, and the old
            // ones that versions sealed before an enforcer's rotation still need.
            Statement k = BRANKAS_TRY(db.prepare("SELECT unit, key_version FROM unit_public_keys ORDER BY unit, key_version"));
            std::vector<std::pair<std::string, std::int64_t>> all;
            while (BRANKAS_TRY(k.step())) all.emplace_back(k.column_text(0), k.column_int(1));
            for (const auto& [unit, version] : all) {
                BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, unit, version));
                BRANKAS_TRY(seal_unit_key(change, unit, version, unit_keys, name, box.public_key()));
            }
        }
        for (const std::string& unit : units) {
            BRANKAS_TRY(check_grant_change(db, name, unit, GrantChange::grant));
            BRANKAS_TRY(change.append(UserGranted{std::string(name), unit}));
            BRANKAS_TRY(seal_granted_unit(session, change, unit, name, box.public_key()));
        }
        // The slot is written before the events commit: a crash in between leaves a slot nobody
        // can use (the store does not know its keys), and adding the user again replaces it.
        BRANKAS_TRY(save_slot(change, std::move(slot)));
        return code;
    });
}

namespace {

// The person named, as user list shows them to everyone: their live grants, slot and record.
Result<UserInfo> user_info(Session& session, std::string name, std::string role, std::string status) {
    UserInfo u{std::move(name), std::move(role), std::move(status), {}, std::nullopt, {}};
    u.units = BRANKAS_TRY(granted_units(session.db(), u.name));
    if (const Slot* slot = session.keyring().find(u.name))
        u.slot = SlotInfo{slot->kind, slot->kdf, slot->limits, slot->created_us, slot->expires_us};
    u.record = BRANKAS_TRY(person_record(session.db(), u.name));
    return u;
}

// Of the person's sub-districts, those the viewer sees.
Result<std::vector<std::string>> seen_units(UnitSight& sight, const std::vector<std::string>& units) {
    std::vector<std::string> out;
    for (const std::string& unit : units)
        if (BRANKAS_TRY(sight.sees(unit))) out.push_back(unit);
    return out;
}

} // namespace

Result<std::vector<UserInfo>> list_users(Session& session) {
    std::vector<UserInfo> out;
    BRANKAS_TRY(for_each_user(session, [&](const UserInfo& u) -> Status {
        out.push_back(u);
        return {};
    }));
    return out;
}

Status for_each_user(Session& session, const std::function<Status(const UserInfo&)>& row) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "users"));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session)); // a custodian: the people of their sub-districts
    Statement p = BRANKAS_TRY(session.db().prepare("SELECT name, role, status FROM principals ORDER BY name"));
    while (BRANKAS_TRY(p.step())) {
        UserInfo u = BRANKAS_TRY(user_info(session, p.column_text(0), p.column_text(1), p.column_text(2)));
        if (!BRANKAS_TRY(sight.sees_person(u.name, u.units))) continue;
        u.units = BRANKAS_TRY(seen_units(sight, u.units));
        BRANKAS_TRY(row(u));
    }
    return {};
}

Result<UserInfo> show_user(Session& session, std::string_view name) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "users"));
    auto who = BRANKAS_TRY(find_principal(session.db(), name));
    if (!who) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s'"), {i18n::echo(name)});
    UserInfo u = BRANKAS_TRY(user_info(session, std::string(name), std::string(policy::role_name(who->role)),
                                       std::string(principal_status_name(who->status))));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    // Someone the person may not see: refused as reading that sub-district (or the district) is,
    // and the refusal recorded.
    if (!BRANKAS_TRY(sight.sees_person(u.name, u.units))) {
        BRANKAS_TRY(session.permit(policy::Action::read_unit, "user/" + u.name, u.units.empty() ? std::string() : u.units.front()));
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("the policy let a person be read that it would not list"), {});
    }
    u.units = BRANKAS_TRY(seen_units(sight, u.units));
    return u;
}

Result<PersonRecord> edit_user(Session& session, std::string_view name, const PersonRecord& typed) {
    const PersonRecord record = BRANKAS_TRY(normalized_person_record(typed));
    if (record.empty())
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("nothing to change"), {}, i18n::tr_noop("give --full-name, --nip or --position"));
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    return session.write([&](Change& change) -> Result<PersonRecord> {
        BRANKAS_TRY(check_edit(change.db(), name, record));
        BRANKAS_TRY(change.append(UserEdited{std::string(name), record}));
        return person_record(change.db(), name);
    });
}

Status grant(Session& session, std::string_view name, std::string_view unit) {
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    return session.write([&](Change& change) -> Status {
        BRANKAS_TRY(check_grant_change(change.db(), name, unit, GrantChange::grant));
        auto who = BRANKAS_TRY(find_principal(change.db(), name));
        if (!who) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a user went missing"), {});
        BRANKAS_TRY(change.append(UserGranted{std::string(name), std::string(unit)}));
        return seal_granted_unit(session, change, unit, name, who->box_key);
    });
}

Status revoke(Session& session, std::string_view name, std::string_view unit) {
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    return session.write([&](Change& change) -> Status {
        BRANKAS_TRY(check_grant_change(change.db(), name, unit, GrantChange::revoke));
        BRANKAS_TRY(change.append(UserRevoked{std::string(name), std::string(unit)}));
        return rotate_unit_key(change, unit, own_reason(OwnReason::access_revoked, {name}), StandbyChoice::use);
    });
}

Result<std::vector<std::string>> disable_user(Session& session, std::string_view name, StoreRekey rekey) {
    DisableReceipt r = BRANKAS_TRY(disable_user(session, name, DisableAsk{rekey, {}, std::nullopt}));
    if (r.awaiting)
        return fail_phrased(ErrorCode::awaiting_approval, i18n::tr_noop("disabling %1$s with a new store key needs a second person's approval: request %2$s is recorded"),
                            {std::string(name), std::to_string(r.awaiting->request)});
    return std::move(r.also_disabled);
}

Result<DisableReceipt> disable_user(Session& session, std::string_view name, const DisableAsk& ask) {
    DisableOutcome outcome = BRANKAS_TRY(disable_and_announce(session, name, ask));
    if (outcome.awaiting) return DisableReceipt{{}, std::nullopt, outcome.awaiting};
    // The log now announces the new generation; a failure from here on is finished by the next
    // open. The disable itself committed, so a failure of the page rewrite is not this
    // operation's outcome: it shows as store_generation() still being the old one.
    if (outcome.rekey) (void)session.finish_rekey(outcome.rekey->generation, std::move(outcome.rekey->key));
    return DisableReceipt{std::move(outcome.also_disabled), outcome.request, std::nullopt};
}

namespace {

Status check_request_goes_with_rekey(const DisableAsk& ask) {
    if (ask.request && ask.rekey == StoreRekey::no)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a request is used by `user disable` only with --rekey"), {});
    return {};
}

// A reason given to a disable without a re-key is optional and kept in its event as given, by
// the rules a re-key's reason has (hold_people_step checks that one): one line of visible text,
// at most max_reason bytes. A blank one is none.
Status check_plain_disable_reason(const DisableAsk& ask) {
    if (ask.rekey == StoreRekey::yes || is_blank(ask.reason)) return {};
    BRANKAS_TRY(check_typed_line(ask.reason, i18n::tr_noop("a reason")));
    return check_request_reason(ask.reason);
}

} // namespace

Status check_disable_ask(Session& session, const DisableAsk& ask) {
    BRANKAS_TRY(check_request_goes_with_rekey(ask));
    if (ask.rekey == StoreRekey::no) return check_plain_disable_reason(ask);
    return check_people_step_reason(session, policy::DualAction::rekey, ask.reason, ask.request);
}

Result<DisableOutcome> disable_and_announce(Session& session, std::string_view name, StoreRekey rekey) {
    return disable_and_announce(session, name, DisableAsk{rekey, {}, std::nullopt});
}

Result<DisableOutcome> disable_and_announce(Session& session, std::string_view name, const DisableAsk& ask) {
    const StoreRekey rekey = ask.rekey;
    BRANKAS_TRY(check_request_goes_with_rekey(ask));
    BRANKAS_TRY(check_plain_disable_reason(ask));
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    return session.write([&](Change& change) -> Result<DisableOutcome> {
        Database& db = change.db();
        BRANKAS_TRY(check_disable(db, session.user(), name));
        // Dual control may hold the re-key back: then the request is all this records.
        std::optional<HeldStep> dual;
        if (rekey == StoreRekey::yes) {
            dual = BRANKAS_TRY(hold_people_step(change, ApprovalRequested{policy::DualAction::rekey, std::string(name), ask.reason, 0},
                                                ask.request, name));
            if (dual->awaiting) return DisableOutcome{{}, std::nullopt, std::nullopt, dual->awaiting};
        }
        // Credentials that passed through this person's hands go with them: the enrollment codes
        // they handed out and not yet used, and the key files of enforcers they created.
        DisableOutcome outcome;
        std::vector<std::string> ending{std::string(name)};
        {
            Statement c = BRANKAS_TRY(db.prepare(
                "SELECT p.name FROM principals p JOIN events e ON e.seq = p.created_seq WHERE e.actor = ? AND p.name != ? "
                "AND (p.status = 'pending' OR (p.role = 'enforcer' AND p.status = 'active')) ORDER BY p.name"));
            c.bind(1, name).bind(2, name);
            while (BRANKAS_TRY(c.step())) {
                ending.push_back(c.column_text(0));
                outcome.also_disabled.push_back(c.column_text(0));
            }
        }
        if (std::find(ending.begin(), ending.end(), session.user()) != ending.end())
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("disabling %s would disable you too"), {std::string(name)},
                                i18n::tr_noop("ask another admin to do it"));

        // Every sub-district whose key any of them could open is rotated, whatever their role.
        std::vector<std::string> held;
        {
            Statement h = BRANKAS_TRY(db.prepare("SELECT unit FROM unit_keys WHERE principal = ?"));
            for (const std::string& p : ending) {
                h.reset();
                h.bind(1, p);
                while (BRANKAS_TRY(h.step())) held.push_back(h.column_text(0));
            }
            std::sort(held.begin(), held.end());
            held.erase(std::unique(held.begin(), held.end()), held.end());
        }

        Keyring before = BRANKAS_TRY(change.keyring_on_disk());
        Keyring updated = before;
        for (const std::string& p : ending) updated.remove(p);
        if (rekey == StoreRekey::yes) {
            const std::uint32_t generation = session.store_generation() + 1;
            SecretBytes new_key(store_key_size);
            random_fill(new_key.span());
            // Nobody else's passphrase is known here: the new K_db reaches each remaining slot
            // sealed to its owner's box key, and the slots keep the old one until the store moves.
            Statement p = BRANKAS_TRY(db.prepare("SELECT name, box_key FROM principals WHERE status != 'disabled' ORDER BY name"));
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
            UserDisabled d{p, std::nullopt, std::nullopt};
            if (p == name && outcome.rekey)
                d.rekey = StoreKeyAnnounced{outcome.rekey->generation,
                                            store_key_check(session.vault_id(), outcome.rekey->generation, outcome.rekey->key)};
            if (p == name && dual && !dual->reason.empty()) d.reason = dual->reason;
            if (p == name && !dual && !is_blank(ask.reason)) d.reason = ask.reason;
            if (p == name && dual) d.request = outcome.request = dual->used;
            if (p != name) d.reason = own_reason(OwnReason::created_by, {name});
            BRANKAS_TRY(change.append(d));
        }
        for (const std::string& unit : held)
            BRANKAS_TRY(rotate_unit_key(change, unit, own_reason(OwnReason::access_ended_disabled, {name}), StandbyChoice::discard));
        // The keyring first: a crash before the commit leaves a slot-less user the admin disables
        // again, and envelopes of a key the store never used (the next re-key replaces them).
        change.save_keyring(std::move(updated), std::move(before));
        return outcome;
    });
}

Status change_passphrase(Session& session, const PassphraseSource& new_passphrase, const KdfLimits& kdf) {
    const std::string& user = session.user();
    const Slot* own = session.keyring().find(user);
    if (own == nullptr) return fail_phrased(ErrorCode::no_such_user, i18n::tr_noop("no slot for user '%s'"), {user});
    if (own->kdf == SlotKdf::key_file)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("user '%s' unlocks with a key file and has no passphrase"), {user});
    if (!kdf_limits_acceptable(kdf)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"), {});
    SecretBytes passphrase = BRANKAS_TRY(new_passphrase());
    BRANKAS_TRY(check_new_passphrase(passphrase.text(), user));
    if (session.keyring().open_with_passphrase(user, passphrase.text()))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the new passphrase is the one you have now"), {});
    return session.write([&](Change& change) -> Status {
        Slot slot = BRANKAS_TRY(session.keyring().seal_with_passphrase(user, SlotKind::passphrase, change.now(), 0, passphrase.text(), kdf,
                                                                       person_slot_secrets(session, session.signing_key(), session.box_keys())));
        BRANKAS_TRY(change.append(PassphraseChanged{user, slot_hash(session.keyring(), slot)}));
        // Written before the commit, under the write lock: a crash in between leaves the new
        // passphrase working and only the event missing.
        return save_slot(change, std::move(slot));
    });
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

Status add_enforcer(Session& session, std::string_view name, const std::filesystem::path& key_file) {
    BRANKAS_TRY(check_name_format(name));
    BRANKAS_TRY(session.permit(policy::Action::manage_people, name));
    std::optional<KeyFileGuard> guard;
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        BRANKAS_TRY(check_new_name(session, change, name, policy::Role::enforcer));
        SigningKey signing = SigningKey::generate();
        BoxKeyPair box = BoxKeyPair::generate();
        SecretBytes key(slot_key_size);
        random_fill(key.span());
        Slot slot = BRANKAS_TRY(session.keyring().seal_with_key(name, SlotKind::keyfile, change.now(), key, person_slot_secrets(session, signing, box)));
        // The key file first, never over an existing file; it is removed again if the rest fails.
        BRANKAS_TRY(write_file_atomic(key_file, key.view(), Existing::refuse));
        guard.emplace(key_file);
        BRANKAS_TRY(change.append(UserAdded{std::string(name), std::string(policy::role_name(policy::Role::enforcer)), signing.public_key(),
                                            box.public_key(), std::nullopt, slot_hash(session.keyring(), slot), PersonRecord{}}));
        return save_slot(change, std::move(slot));
    }));
    guard->keep();
    return {};
}

} // namespace brankas
