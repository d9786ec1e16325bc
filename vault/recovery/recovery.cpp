// Threshold recovery: the split an admin makes, and the one action a quorum takes as the
// recovery principal. It reads no password itself (policy/engine.cpp says why).
#include "vault/recovery/recovery.hpp"
#include "vault/own_reasons.hpp"

#include "policy/document.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/audit/audit_queries.hpp"
#include "vault/decisions.hpp"
#include "vault/store/schema.hpp"
#include "vault/field_rules.hpp"
#include "vault/file_io.hpp"
#include "vault/log/actions.hpp"
#include "vault/people/enrollment_code.hpp"
#include "vault/recovery/recovery_events.hpp"
#include "vault/slot_integrity.hpp"
#include "vault/units/units.hpp"
#include "vault/vault.hpp"

#include <cstring>
#include <sys/stat.h>

namespace brankas {

namespace fs = std::filesystem;

namespace {

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
            return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {out_dir.string(), std::string(std::strerror(errno))});
    } else if (!fs::is_directory(out_dir, ec)) {
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("%s is not a directory"), {out_dir.string()});
    }
    std::vector<fs::path> out;
    for (int i = 1; i <= shares; ++i) {
        fs::path p = out_dir / ("share-" + std::to_string(i) + "-of-" + std::to_string(shares) + ".txt");
        if (fs::exists(fs::symlink_status(p, ec)))
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s already exists; a share file is never written over another file"), {p.string()},
                                i18n::tr_noop("choose an empty directory with --out-dir"));
        out.push_back(std::move(p));
    }
    return out;
}

SlotSecrets recovery_slot_secrets(const Session& session, const SigningKey& signing, const BoxKeyPair& box) {
    return SlotSecrets{SecretBytes::copy_of(session.store_key().view()), SecretBytes::copy_of(signing.seed().view()),
                       SecretBytes::copy_of(box.secret_key().view()), session.store_generation()};
}

} // namespace

Result<RecoverySplit> split_recovery(Session& session, int shares, int threshold, const fs::path& out_dir, const SplitAsk& ask) {
    if (shares < min_recovery_shares || shares > max_recovery_shares || threshold < min_recovery_shares || threshold > shares)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("choose 2 to %s shares (--shares) and a threshold (--threshold) from 2 to the number of shares"),
                            {std::to_string(max_recovery_shares)});
    BRANKAS_TRY(session.permit(policy::Action::manage_people, recovery_principal));
    RecoverySplit result;
    std::optional<ShareFilesGuard> guard;
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        Database& db = change.db();
        BRANKAS_TRY(check_split(db, shares, threshold));
        result.replaced = BRANKAS_TRY(find_principal(db, recovery_principal)).has_value();
        result.files = BRANKAS_TRY(share_paths(out_dir, shares));
        // Dual control may hold the split back: then the request is all this records. Where the
        // files go is not part of what is approved.
        HeldStep held = BRANKAS_TRY(hold_people_step(
            change, ApprovalRequested{policy::DualAction::recovery_split, recovery_split_target(threshold, shares), ask.reason, 0}, ask.request,
            recovery_principal));
        if (held.awaiting) {
            result = RecoverySplit{};
            result.awaiting = held.awaiting;
            return {};
        }
        result.request = held.used;

        // The key is random and used for nothing but this slot, like an enforcer's key file.
        SecretBytes key(recovery_key_size);
        random_fill(key.span());
        const SplitId split_id = random_array<split_id_size>();
        SigningKey signing = SigningKey::generate();
        BoxKeyPair box = BoxKeyPair::generate();
        Slot slot = BRANKAS_TRY(session.keyring().seal_with_key(recovery_principal, SlotKind::recovery, change.now(), key,
                                                                recovery_slot_secrets(session, signing, box)));
        std::vector<RecoveryShare> parts = BRANKAS_TRY(split_recovery_key(key, session.vault_id(), split_id, threshold, shares));
        const std::string institution = BRANKAS_TRY(db.query_text("SELECT institution FROM vault"));

        RecoveryKeySplit split{signing.public_key(), box.public_key(), shares, threshold, split_id, slot_hash(session.keyring(), slot)};
        if (!held.reason.empty()) split.reason = held.reason;
        split.request = held.used;
        BRANKAS_TRY(change.append(split));
        // Every key of every unit, as an admin holds them: current, standby and old.
        {
            Statement k = BRANKAS_TRY(db.prepare("SELECT unit, key_version FROM unit_public_keys ORDER BY unit, key_version"));
            std::vector<std::pair<std::string, std::int64_t>> all;
            while (BRANKAS_TRY(k.step())) all.emplace_back(k.column_text(0), k.column_int(1));
            for (const auto& [unit, version] : all) {
                BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, unit, version));
                BRANKAS_TRY(seal_unit_key(change, unit, version, unit_keys, recovery_principal, box.public_key()));
            }
        }
        if (result.replaced) {
            // The old recovery key, should someone have kept it with a copy of the old keyring or
            // store, opens every unit key it was given. Each unit moves to a fresh pair (not its
            // standby, which the old key holds too), so it opens nothing written from now on.
            Statement u = BRANKAS_TRY(db.prepare("SELECT code FROM units ORDER BY code"));
            while (BRANKAS_TRY(u.step())) result.rotated_units.push_back(u.column_text(0));
            u.reset();
            for (const std::string& unit : result.rotated_units)
                BRANKAS_TRY(rotate_unit_key(change, unit, own_reason(OwnReason::recovery_shares_replaced), StandbyChoice::discard));
        }

        guard.emplace();
        for (std::size_t i = 0; i < parts.size(); ++i) {
            SecretBytes text = share_text(parts[i], institution);
            BRANKAS_TRY(write_file_atomic(result.files[i], text.view(), Existing::refuse));
            guard->add(result.files[i]);
        }
        Keyring before = BRANKAS_TRY(change.keyring_on_disk());
        Keyring updated = before;
        const SlotId id = slot.id;
        updated.put(std::move(slot)); // replaces the old recovery slot: the old shares open nothing
        updated.drop_envelopes_of(id); // sealed to the old box key
        change.save_keyring(std::move(updated), std::move(before));
        return {};
    }));
    if (guard) guard->keep();
    return result;
}

Result<Session> open_for_recovery(const fs::path& dir, const std::vector<RecoveryShare>& shares, const RecoveryRequest& request,
                                  const Clock& clock) {
    if (!is_valid_principal_name(request.name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {std::string(request.name)},
                            i18n::tr_noop("use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)"));
    if (!kdf_limits_acceptable(request.code_kdf)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"),
                                                                      {});
    return Vault::open_with_shares(dir, shares, clock);
}

// The recovery principal's act: a new enrollment slot for admin `name` (reset or new), the
// event introducing its keys, and every unit key the recovery principal holds sealed to it.
Result<EnrollmentCode> recovery_act(Session& session, const RecoveryRequest& request) {
    const std::string& name = request.name;
    BRANKAS_TRY(session.permit(policy::Action::recover, name));
    return session.write([&](Change& change) -> Result<EnrollmentCode> {
        Database& db = change.db();
        BRANKAS_TRY(check_recovered_admin(db, request.action, name));
        if (request.action == RecoveryAction::enroll_admin && session.keyring().find(name) != nullptr)
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("user '%s' already exists"), {std::string(name)},
                                i18n::tr_noop("to give an existing admin a new code, use reset-passphrase"));
        // Fresh keys: the recovery principal never knew the admin's, and whoever knows the old
        // passphrase must not keep a working slot.
        SigningKey signing = SigningKey::generate();
        BoxKeyPair box = BoxKeyPair::generate();
        policy::Policy pol = BRANKAS_TRY(stored_policy(db));
        EnrollmentCode code{new_enrollment_code(), change.now() + pol.enrollment_code_lifetime_us, pol.time_zone};
        SecretBytes normalized = BRANKAS_TRY(normalized_code(code.code.text()));
        Slot slot = BRANKAS_TRY(session.keyring().seal_with_passphrase(name, SlotKind::enrollment, change.now(), code.expires_us,
                                                                       normalized.text(), request.code_kdf, recovery_slot_secrets(session, signing, box)));
        BRANKAS_TRY(change.append(RecoveredAdmin{request.action == RecoveryAction::enroll_admin, name, signing.public_key(),
                                                 box.public_key(), code.expires_us, slot_hash(session.keyring(), slot)}));
        // Every unit key the recovery principal holds, sealed to the admin's new box key.
        std::vector<std::pair<std::string, std::int64_t>> held;
        {
            Statement h = BRANKAS_TRY(db.prepare("SELECT unit, key_version FROM unit_keys WHERE principal = ? ORDER BY unit, key_version"));
            h.bind(1, session.user());
            while (BRANKAS_TRY(h.step())) held.emplace_back(h.column_text(0), h.column_int(1));
        }
        for (const auto& [unit, version] : held) {
            BoxKeyPair unit_keys = BRANKAS_TRY(unit_key_pair(session, unit, version));
            BRANKAS_TRY(seal_unit_key(change, unit, version, unit_keys, name, box.public_key()));
        }
        Keyring before = BRANKAS_TRY(change.keyring_on_disk());
        Keyring updated = before;
        const SlotId id = slot.id;
        updated.put(std::move(slot)); // the old passphrase slot, if any, is gone
        updated.drop_envelopes_of(id); // sealed to the old box key
        change.save_keyring(std::move(updated), std::move(before));
        return code;
    });
}

Result<EnrollmentCode> recover(const fs::path& dir, const std::vector<RecoveryShare>& shares, const RecoveryRequest& request,
                               const Clock& clock) {
    Session v = BRANKAS_TRY(open_for_recovery(dir, shares, request, clock));
    return recovery_act(v, request);
}

Result<RecoveryStatus> recovery_status(Database& db) {
    RecoveryStatus out;
    // Each split introduces the recovery principal's signing key; the newest is the one in force.
    Statement k = BRANKAS_TRY(db.prepare(
        "SELECT max(k.introduced_seq), min(k.introduced_seq), p.status FROM signing_keys k JOIN principals p ON p.name = k.principal "
        "WHERE k.principal = ? AND p.role = 'recovery'"));
    k.bind(1, recovery_principal);
    if (!BRANKAS_TRY(k.step()) || k.column_is_null(0)) return out;
    const std::int64_t last_split = k.column_int(0), first_split = k.column_int(1);
    RecoverySetup setup;
    setup.status = k.column_text(2);
    k.reset();
    Statement e = BRANKAS_TRY(db.prepare("SELECT seq, time_us, actor, action, target, body FROM events WHERE seq = ? AND action = ?"));
    e.bind(1, last_split).bind(2, actions::recovery_split);
    if (!BRANKAS_TRY(e.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the recovery principal's key was not introduced by a split"),
                                                    {}, i18n::tr_noop("run `brankas audit verify`"));
    // The split was checked when it was written and by every replay: a body or a field that does
    // not decode is an edited store, said as every reader of the log says it.
    const Event split = BRANKAS_TRY(audit_queries::event_of_row(e));
    setup.split_us = split.time_us;
    setup.split_by = split.actor;
    auto decoded = RecoveryKeySplit::decode(split);
    if (!decoded) return fail_phrase(ErrorCode::store_corrupt, phrase_of(decoded.error()), i18n::tr_noop("run `brankas audit verify`"));
    setup.shares = static_cast<int>(decoded->shares);
    setup.threshold = static_cast<int>(decoded->threshold);
    out.setup = std::move(setup);
    // Only the recovery principal signs recovery actions, and only after its first split. Both
    // write a slot: the index of such events answers without walking the log back to the split.
    Statement a = BRANKAS_TRY(db.prepare("SELECT seq, time_us, action, target FROM events WHERE " + std::string(events_writing_slots) +
                                         " AND seq > ? AND actor = ? AND action IN (?, ?) ORDER BY seq DESC LIMIT 1"));
    a.bind(1, first_split).bind(2, recovery_principal).bind(3, actions::recovery_reset).bind(4, actions::recovery_enroll);
    if (BRANKAS_TRY(a.step()))
        out.last_action = RecoveryActionRecord{static_cast<std::uint64_t>(a.column_int(0)), a.column_int(1), a.column_text(2), a.column_text(3)};
    return out;
}

} // namespace brankas
