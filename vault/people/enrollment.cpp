// Enrollment: a person added with a one-time code opens their enrollment slot with it, chooses
// their own passphrase and introduces fresh keys (user.enroll); the door (vault.hpp) hands out
// the session that results.
#include "vault/vault.hpp"

#include "vault/field_rules.hpp"
#include "vault/file_io.hpp"
#include "vault/people/enrollment_code.hpp"
#include "vault/people/passphrase_quality.hpp"
#include "vault/people/people_events.hpp"
#include "vault/slot_integrity.hpp"
#include "vault/units/units.hpp"

namespace brankas {

Result<Session> Vault::enroll(const std::filesystem::path& given_dir, std::string_view user, std::string_view code,
                            const PassphraseSource& new_passphrase, const KdfLimits& kdf, const Clock& clock) {
    VaultPaths paths{normalized(given_dir)};
    std::error_code ec;
    if (!std::filesystem::exists(paths.keyring(), ec)) return fail_phrased(ErrorCode::no_vault, i18n::tr_noop("no vault at %s"), {paths.dir.string()});
    Keyring keyring = BRANKAS_TRY(Keyring::load(paths.keyring()));
    const Slot* slot = keyring.find(user);
    if (slot == nullptr) return fail_phrased(ErrorCode::no_such_user, i18n::tr_noop("no user '%s' in this vault"), {std::string(user)});
    if (slot->kind != SlotKind::enrollment) return fail_phrased(ErrorCode::conflict, name_refusal::enrolled_already, {std::string(user)});
    if (slot->expires_us != 0 && clock.now_us() > slot->expires_us)
        return fail_phrased(ErrorCode::denied, name_refusal::code_expired, {std::string(user)},
                            i18n::tr_noop("ask an admin to add the user again"));
    if (!kdf_limits_acceptable(kdf)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"), {});
    SecretBytes normalized_input = BRANKAS_TRY(normalized_code(code));
    auto secrets = keyring.open_with_passphrase(user, normalized_input.text());
    if (!secrets) {
        if (secrets.error().code == ErrorCode::wrong_passphrase)
            return fail_phrased(ErrorCode::wrong_passphrase, i18n::tr_noop("wrong enrollment code for user '%s'"), {std::string(user)});
        return std::unexpected(secrets.error());
    }
    Session v = BRANKAS_TRY(assemble(paths, keyring, user, std::move(*secrets), clock, Enrollment::allow));
    SecretBytes passphrase = BRANKAS_TRY(new_passphrase());
    BRANKAS_TRY(check_new_passphrase(passphrase.text(), user));

    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    BRANKAS_TRY(v.write([&](Change& change) -> Status {
        // The person's own slot is sealed first, so the event can commit the slot's hash.
        SlotSecrets own{SecretBytes::copy_of(v.store_key_.view()), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view()), v.store_generation_};
        const SlotId own_slot_id = slot_id_for(v.keyring_.vault_id(), user);
        Slot own_slot = BRANKAS_TRY(v.keyring_.seal_with_passphrase(user, SlotKind::passphrase, change.now(), 0, passphrase.text(), kdf, own));
        // Signed with the key the code unlocked: that proves the code; the event introduces the new keys.
        BRANKAS_TRY(change.append(UserEnrolled{std::string(user), signing.public_key(), box.public_key(), slot_hash(v.keyring_, own_slot)}));
        // The unit keys sealed to the enrollment key are sealed again to the person's own key.
        Statement held = BRANKAS_TRY(change.db().prepare("SELECT unit, key_version FROM unit_keys WHERE principal = ? ORDER BY unit, key_version"));
        held.bind(1, user);
        std::vector<std::pair<std::string, std::int64_t>> held_units;
        while (BRANKAS_TRY(held.step())) held_units.emplace_back(held.column_text(0), held.column_int(1));
        std::vector<std::pair<std::pair<std::string, std::int64_t>, BoxKeyPair>> unit_keys;
        for (const auto& h : held_units) unit_keys.emplace_back(h, BRANKAS_TRY(unit_key_pair(v, h.first, h.second)));
        v.signing_key_ = std::move(signing);
        v.box_keys_ = std::move(box);
        for (const auto& [h, keys] : unit_keys)
            BRANKAS_TRY(seal_unit_key(change, h.first, h.second, keys, user, v.box_keys_.public_key()));

        Keyring before = BRANKAS_TRY(change.keyring_on_disk());
        Keyring updated = before;
        updated.put(std::move(own_slot));
        // The envelopes were sealed to the enrollment box key, which this slot no longer holds.
        updated.drop_envelopes_of(own_slot_id);
        // Written under the write lock, just before the store learns the new keys. (A crash in
        // between leaves a slot whose keys the store does not know yet: the admin disables the
        // person and adds them again under a new name.)
        change.save_keyring(std::move(updated), std::move(before));
        return {};
    }));
    return v;
}

} // namespace brankas
