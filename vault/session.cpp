#include "vault/session.hpp"

#include "vault/audit/audit_events.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/decisions.hpp"
#include "vault/file_io.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"
#include "vault/store/unreadable_pages.hpp"
#include "vault/store/watched_files.hpp"
#include "vault/store_key_change.hpp"

#include <unistd.h>

namespace brankas {

namespace {
// Lets the store's connection tell pages another process re-keyed from damaged ones. Captured
// by value: the session moves, the keyring's path and the generation it opened do not.
void watch_for_rekey(Database& db, const VaultPaths& paths, std::uint32_t generation) {
    explain_unreadable_pages(db, [keyring = paths.keyring(), generation]() -> std::optional<Error> {
        if (holds_store_key_after(keyring, generation)) return store_key_changed();
        return std::nullopt;
    });
}
} // namespace

Session::Session(VaultPaths paths, Keyring keyring, std::string user, policy::Role role, SecretBytes store_key,
             std::uint32_t store_generation, SigningKey signing_key, BoxKeyPair box_keys, Database db, const Clock& clock)
    : paths_(std::move(paths)),
      keyring_(std::move(keyring)),
      user_(std::move(user)),
      role_(role),
      store_key_(std::move(store_key)),
      store_generation_(store_generation),
      signing_key_(std::move(signing_key)),
      box_keys_(std::move(box_keys)),
      db_(std::move(db)),
      clock_(&clock) {
    watch_for_rekey(db_, paths_, store_generation_);
}

Status Session::check_store_generation() {
    if (BRANKAS_TRY(db_.query_int("SELECT store_generation FROM vault")) != store_generation_)
        return std::unexpected(store_key_changed());
    return {};
}

Status Session::check_standing() {
    auto principal = BRANKAS_TRY(find_principal(db_, user_));
    if (!principal || principal->status == PrincipalStatus::disabled || principal->signing_key != signing_key_.public_key())
        return fail_phrased(ErrorCode::denied, i18n::tr_noop("'%s' may no longer act in this vault: an admin disabled the user or replaced its keys"),
                            {user_}, i18n::tr_noop("sign in again, or ask an admin"));
    return {};
}

Result<Keyring> Session::reload_keyring() {
    BRANKAS_TRY(check_store_generation());
    Keyring k = BRANKAS_TRY(Keyring::load(paths_.keyring()));
    if (k.vault_id() != keyring_.vault_id())
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the keyring was replaced by another vault's while it was open"), {});
    return k;
}

Status Session::save_keyring_and_commit(Keyring updated, const Keyring& before, Transaction& tx) {
    // The keyring in place stays under a second name while the new one goes in: should the
    // commit fail, it comes back by a rename, which needs no free space. (Writing it again
    // would, and a full disk is the likeliest reason a commit fails.) Only holders of the write
    // lock write the keyring, so one fixed name serves; one a crash left is replaced here.
    const std::filesystem::path kept = paths_.keyring().string() + ".before";
    (void)::unlink(kept.c_str());
    const bool linked = ::link(paths_.keyring().c_str(), kept.c_str()) == 0;
    if (auto saved = updated.save(paths_.keyring()); !saved) {
        if (linked) (void)::unlink(kept.c_str());
        return saved;
    }
    if (auto committed = tx.commit(); !committed) {
        // The events did not land: put the keyring back as it was, so the two files agree.
        if (linked && ::rename(kept.c_str(), paths_.keyring().c_str()) == 0) (void)sync_directory(paths_.dir);
        else (void)before.save(paths_.keyring());
        return committed;
    }
    if (linked) (void)::unlink(kept.c_str());
    keyring_ = std::move(updated);
    return {};
}

Status Session::finish_rekey(std::uint32_t generation, SecretBytes key) {
    // Another process may be finishing the same re-key: whoever loses the lock leaves its
    // connection unusable, so the outcome is judged, and used, through a fresh connection.
    const std::uint64_t failures_before = file_failure_count();
    auto rewritten = db_.rekey(key);
    auto fresh = Database::open_encrypted(paths_.store(), key, Database::Mode::open_existing);
    if (!fresh) {
        if (!rewritten) return std::unexpected(rewritten.error());
        // SQLCipher may report the rewrite as done when the disk failed under it: then that
        // failure, naming its file, is what happened.
        if (auto failure = file_failure_since(failures_before)) return std::unexpected(store_file_error(*failure));
        return fail_phrased(ErrorCode::io, i18n::tr_noop("the store could not be re-encrypted under its new key; nothing was lost"), {},
                            i18n::tr_noop("both keys stay in the keyring: run any brankas command to try again"));
    }
    db_ = std::move(*fresh);
    store_key_ = std::move(key);
    store_generation_ = generation;
    watch_for_rekey(db_, paths_, store_generation_);
    // Envelopes of older keys open nothing now. Slots whose owners have not unlocked since keep
    // their envelope of this generation until they change their passphrase.
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Keyring current = BRANKAS_TRY(reload_keyring());
    current.drop_envelopes_before(generation);
    BRANKAS_TRY(current.save(paths_.keyring()));
    BRANKAS_TRY(tx.commit());
    keyring_ = std::move(current);
    return {};
}

Result<std::int64_t> Session::write_instant() {
    const std::int64_t now = clock_->now_us();
    LogHead head = BRANKAS_TRY(read_head(db_));
    BRANKAS_TRY(check_not_before_head(head, now));
    return now;
}

Status Session::commit(Change& change, Transaction& tx) {
    if (!change.keyring_) return tx.commit();
    auto& [updated, before] = *change.keyring_;
    BRANKAS_TRY(save_keyring_and_commit(std::move(updated), before, tx));
    return {};
}

Result<policy::Decision> Session::decide_now(policy::Request request, std::optional<policy::Holder> holder, std::string_view unit,
                                           const policy::Policy& pol) {
    request.role = role_;
    request.actor = user_;
    std::int64_t now = clock_->now_us();
    policy::Facts facts = BRANKAS_TRY(unit_facts(db_, user_, unit, pol, now));
    facts.holder = std::move(holder);
    return policy::decide(request, facts, pol, now);
}

Result<bool> Session::permits(policy::Action action, std::string_view unit) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    policy::Request request;
    request.action = action;
    return BRANKAS_TRY(decide_now(request, std::nullopt, unit, pol)).allowed();
}

Status Session::permit(policy::Action action, std::string_view target, std::string_view unit) {
    if (BRANKAS_TRY(permits(action, unit))) return {};
    // Decided again under the write lock, at the instant the refusal is recorded.
    return write([&](Change& change) { return change.permit(action, target, unit); });
}

// ---- Change ----

Database& Change::db() noexcept { return session_.db_; }

Result<SignedEvent> Change::append(Event event) {
    event.actor = session_.user_;
    return append_event(session_.db_, std::move(event), session_.signing_key_, now_, vault_projection());
}

Result<policy::Decision> Change::decide(policy::Request request, std::string_view unit, std::optional<policy::Holder> holder) {
    request.role = session_.role_;
    request.actor = session_.user_;
    policy::Policy pol = BRANKAS_TRY(stored_policy(session_.db_));
    policy::Facts facts = BRANKAS_TRY(unit_facts(session_.db_, session_.user_, unit, pol, now_));
    facts.holder = std::move(holder);
    return policy::decide(request, facts, pol, now_);
}

std::unexpected<Error> Change::refuse(policy::Action action, std::string_view target, const policy::Decision& d) {
    AccessDenied denied{std::string(target), std::string(policy::action_description(action)), d.denial()};
    if (auto recorded = append(denied); !recorded) return std::unexpected(recorded.error());
    refused_ = true;
    return refusal(d);
}

Status Change::permit(policy::Action action, std::string_view target, std::string_view unit) {
    policy::Request request;
    request.action = action;
    policy::Decision d = BRANKAS_TRY(decide(request, unit));
    if (!d.allowed()) return refuse(action, target, d);
    return {};
}

Result<Keyring> Change::keyring_on_disk() { return session_.reload_keyring(); }

void Change::save_keyring(Keyring updated, Keyring before) { keyring_.emplace(std::move(updated), std::move(before)); }

} // namespace brankas
