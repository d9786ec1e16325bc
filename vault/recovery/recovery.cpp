// Threshold recovery. An admin splits a random recovery key into k-of-n shares; the key opens
// the recovery principal's slot, which holds K_db and the principal's own keys, and the
// principal holds every key of every unit. A quorum of holders brings back one admin at a time:
// a forgotten passphrase becomes a new enrollment code, or a new admin is enrolled. It reads
// no password itself (policy/engine.cpp says why).
#include "vault/people/enrollment_code.hpp"
#include "vault/decisions.hpp"
#include "vault/file_io.hpp"
#include "vault/field_rules.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <cstring>
#include <sys/stat.h>

namespace brankas {

namespace fs = std::filesystem;

namespace {

Bytes key_bytes(const PublicKey& k) { return Bytes(k.begin(), k.end()); }

// Removes the share files written for a split that did not commit.
class ShareFilesGuard {
public:
    ShareFilesGuard() = default;
    ShareFilesGuard(const ShareFilesGuard&) = delete;
    ShareFilesGuard& operator=(const ShareFilesGuard&) = delete;
    ~ShareFilesGuard() {
        if (kept_) return;
        for (const auto& p : written_) {
            std::error_code ec;
            fs::remove(p, ec);
        }
    }
    void add(fs::path p) { written_.push_back(std::move(p)); }
    void keep() noexcept { kept_ = true; }

private:
    std::vector<fs::path> written_;
    bool kept_ = false;
};

Result<std::vector<fs::path>> share_paths(const fs::path& out_dir, int shares) {
    std::error_code ec;
    if (!fs::exists(out_dir, ec)) {
        if (::mkdir(out_dir.c_str(), 0700) != 0)
            return fail(ErrorCode::io, "cannot create " + out_dir.string() + ": " + std::strerror(errno));
    } else if (!fs::is_directory(out_dir, ec)) {
        return fail(ErrorCode::usage, out_dir.string() + " is not a directory");
    }
    std::vector<fs::path> out;
    for (int i = 1; i <= shares; ++i) {
        fs::path p = out_dir / ("share-" + std::to_string(i) + "-of-" + std::to_string(shares) + ".txt");
        if (fs::exists(fs::symlink_status(p, ec)))
            return fail(ErrorCode::usage, p.string() + " already exists; a share file is never written over another file",
                        "choose an empty directory with --out-dir");
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace

Result<RecoverySplit> Session::split_recovery(int shares, int threshold, const fs::path& out_dir) {
    if (shares < min_recovery_shares || shares > max_recovery_shares || threshold < min_recovery_shares || threshold > shares)
        return fail(ErrorCode::usage, "choose 2 to " + std::to_string(max_recovery_shares) +
                                          " shares (--shares) and a threshold (--threshold) from 2 to the number of shares");
    BRANKAS_TRY(permit(policy::Action::manage_people, recovery_principal));
    auto existing = BRANKAS_TRY(find_principal(db_, recovery_principal));
    if (existing && existing->role != policy::role_name(policy::Role::recovery))
        return fail(ErrorCode::usage, "a " + existing->role + " is named 'recovery', the name the recovery principal needs",
                    "disable that user first");
    RecoverySplit result;
    result.replaced = existing.has_value();
    result.files = BRANKAS_TRY(share_paths(out_dir, shares));

    // The key is random and used for nothing but this slot, like an enforcer's key file.
    SecretBytes key(recovery_key_size);
    random_fill(key.span());
    const SplitId split_id = random_array<split_id_size>();
    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    SlotSecrets secrets{SecretBytes::copy_of(store_key_.view()), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view()), store_generation_};
    Slot slot = BRANKAS_TRY(keyring_.seal_with_key(recovery_principal, SlotKind::recovery, clock_->now_us(), key, secrets));
    std::vector<RecoveryShare> parts = BRANKAS_TRY(split_recovery_key(key, keyring_.vault_id(), split_id, threshold, shares));
    const std::string institution = BRANKAS_TRY(db_.query_text("SELECT institution FROM vault"));

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e;
    e.action = std::string(actions::recovery_split);
    e.target = std::string(recovery_principal);
    e.details.bytes("signing_key", key_bytes(signing.public_key()))
        .bytes("box_key", key_bytes(box.public_key()))
        .integer("shares", shares)
        .integer("threshold", threshold)
        .bytes("split_id", Bytes(split_id.begin(), split_id.end()));
    BRANKAS_TRY(append(std::move(e)));
    // Every key of every unit, as an admin holds them: current, standby and old.
    {
        Statement k = BRANKAS_TRY(db_.prepare("SELECT unit, key_version FROM unit_public_keys ORDER BY unit, key_version"));
        std::vector<std::pair<std::string, std::int64_t>> all;
        while (BRANKAS_TRY(k.step())) all.emplace_back(k.column_text(0), k.column_int(1));
        for (const auto& [unit, version] : all) {
            BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(unit, version));
            BRANKAS_TRY(seal_unit_key(unit, version, unit_keys, recovery_principal, box.public_key()));
        }
    }
    if (result.replaced) {
        // The old recovery key, should someone have kept it with a copy of the old keyring or
        // store, opens every unit key it was given. Each unit moves to a fresh pair (not its
        // standby, which the old key holds too), so it opens nothing written from now on.
        Statement u = BRANKAS_TRY(db_.prepare("SELECT code FROM units ORDER BY code"));
        while (BRANKAS_TRY(u.step())) result.rotated_units.push_back(u.column_text(0));
        u.reset();
        for (const std::string& unit : result.rotated_units)
            BRANKAS_TRY(rotate_unit_key(unit, "the recovery shares were replaced", StandbyChoice::discard));
    }

    ShareFilesGuard guard;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        SecretBytes text = share_text(parts[i], institution);
        BRANKAS_TRY(write_file_atomic(result.files[i], text.view(), Existing::refuse));
        guard.add(result.files[i]);
    }
    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    const SlotId id = slot.id;
    updated.put(std::move(slot)); // replaces the old recovery slot: the old shares open nothing
    updated.drop_envelopes_of(id); // sealed to the old box key
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    guard.keep();
    return result;
}

Result<EnrollmentCode> Session::recover(const fs::path& dir, const std::vector<RecoveryShare>& shares,
                                      const RecoveryRequest& request, const Clock& clock) {
    if (!is_valid_principal_name(request.name))
        return fail(ErrorCode::usage, "'" + request.name + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (!kdf_limits_acceptable(request.code_kdf)) return fail(ErrorCode::usage, "the key-derivation limits are out of range");
    Session v = BRANKAS_TRY(Vault::open_with_shares(dir, shares, clock));
    return v.recovery_act(request);
}

Result<EnrollmentCode> Session::recovery_act(const RecoveryRequest& request) {
    const std::string& name = request.name;
    BRANKAS_TRY(permit(policy::Action::recover, name));
    auto who = BRANKAS_TRY(find_principal(db_, name));
    if (request.action == RecoveryAction::reset_passphrase) {
        if (!who) return fail(ErrorCode::usage, "no user '" + name + "' in this vault", "to add an admin, use enroll-admin");
        if (who->role != policy::role_name(policy::Role::admin))
            return fail(ErrorCode::usage, "'" + name + "' is a " + who->role + "; the recovery shares reset admins only",
                        "enroll an admin, who can then help the others");
        if (who->status == "disabled") return fail(ErrorCode::usage, "user '" + name + "' is disabled", "enroll a new admin instead");
    } else if (who || keyring_.find(name) != nullptr) {
        return fail(ErrorCode::usage, "user '" + name + "' already exists", "to give an existing admin a new code, use reset-passphrase");
    }

    // Fresh keys: the recovery principal never knew the admin's, and whoever knows the old
    // passphrase must not keep a working slot.
    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    EnrollmentCode code{new_enrollment_code(), clock_->now_us() + pol.enrollment_code_lifetime_us, pol.time_zone};
    SecretBytes normalized = BRANKAS_TRY(normalized_code(code.code.text()));
    SlotSecrets secrets{SecretBytes::copy_of(store_key_.view()), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view()), store_generation_};
    Slot slot = BRANKAS_TRY(keyring_.seal_with_passphrase(name, SlotKind::enrollment, clock_->now_us(), code.expires_us,
                                                          normalized.text(), request.code_kdf, secrets));

    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Event e;
    e.action = std::string(request.action == RecoveryAction::reset_passphrase ? actions::recovery_reset : actions::recovery_enroll);
    e.target = name;
    e.details.bytes("signing_key", key_bytes(signing.public_key()))
        .bytes("box_key", key_bytes(box.public_key()))
        .integer("expires_us", code.expires_us);
    BRANKAS_TRY(append(std::move(e)));
    // Every unit key the recovery principal holds, sealed to the admin's new box key.
    std::vector<std::pair<std::string, std::int64_t>> held;
    {
        Statement h = BRANKAS_TRY(db_.prepare("SELECT unit, key_version FROM unit_keys WHERE principal = ? ORDER BY unit, key_version"));
        h.bind(1, user_);
        while (BRANKAS_TRY(h.step())) held.emplace_back(h.column_text(0), h.column_int(1));
    }
    for (const auto& [unit, version] : held) {
        BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(unit, version));
        BRANKAS_TRY(seal_unit_key(unit, version, unit_keys, name, box.public_key()));
    }
    Keyring before = BRANKAS_TRY(reload_keyring());
    Keyring updated = before;
    const SlotId id = slot.id;
    updated.put(std::move(slot)); // the old passphrase slot, if any, is gone
    updated.drop_envelopes_of(id); // sealed to the old box key
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    return code;
}

} // namespace brankas
