#include "vault/vault.hpp"

#include "vault/slot_integrity.hpp"
#include "vault/store_key_change.hpp"

#include "vault/encoding.hpp"
#include "vault/decisions.hpp"
#include "vault/file_io.hpp"
#include "vault/field_rules.hpp"
#include "vault/people/passphrase_quality.hpp"
#include "vault/projection.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/store/schema.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace brankas {

bool refuses_the_name(const Error& e) {
    if (e.code == ErrorCode::no_such_user || e.code == ErrorCode::wrong_passphrase) return true;
    for (const char* id : {name_refusal::recovery_principal, name_refusal::not_enrolled, name_refusal::key_file_slot, name_refusal::passphrase_slot,
                           name_refusal::other_slot, name_refusal::slot_expired, name_refusal::enrolled_already, name_refusal::code_expired})
        if (e.message_id == id) return true;
    // Said as a phrase: the damage is a phrase of its own.
    return e.phrase.id != nullptr && std::string_view(e.phrase.id) == name_refusal::damaged_slot;
}

namespace fs = std::filesystem;

Status Vault::check_new_location(const fs::path& given_dir) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    std::error_code ec;
    auto st = fs::symlink_status(dir, ec);
    if (ec || !fs::exists(st)) return {};
    if (!fs::is_directory(st))
        return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("%s already exists and is not a directory"), {dir.string()});
    if (fs::exists(dir / "keyring") || fs::exists(dir / "store.db"))
        return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("a vault already exists at %1$s"), {dir.string()},
                            i18n::tr_noop("open it with --vault %1$s, or choose another directory"));
    if (!fs::is_empty(dir, ec))
        return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("%s is not empty; refusing to create a vault in it"), {dir.string()},
                            i18n::tr_noop("choose a new or empty directory"));
    return {};
}

namespace {

std::unexpected<Error> no_vault(const fs::path& dir) {
    return fail_phrased(ErrorCode::no_vault, i18n::tr_noop("no vault at %1$s"), {dir.string(), shell_word(dir.string())},
                        i18n::tr_noop("create one with `brankas --vault %2$s init --institution NAME`, or set --vault/BRANKAS_VAULT"));
}

} // namespace

Result<Session> Vault::create(const fs::path& given_dir, const CreateOptions& options, std::string_view passphrase,
                            const Clock& clock) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    if (is_blank(options.institution) || options.institution.size() > max_institution_name ||
        !is_printable_utf8(options.institution))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the institution name must be 1 to %s bytes of printable text"),
                            {std::to_string(max_institution_name)});
    // The minutes print it at the head of every handover.
    BRANKAS_TRY(check_no_hidden_mark(options.institution, i18n::tr_noop("the institution name")));
    if (!is_valid_principal_name(options.admin))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a valid user name"), {i18n::echo(options.admin)},
                            i18n::tr_noop("use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)"));
    if (!kdf_limits_acceptable(options.kdf)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"), {});
    BRANKAS_TRY(check_new_location(dir));
    BRANKAS_TRY(check_new_passphrase(passphrase, options.admin));

    StagingDirectory staging(BRANKAS_TRY(make_staging_directory(dir, "init")));
    VaultPaths staged{staging.path()};

    VaultId vault_id = random_array<vault_id_size>();
    SigningKey signing = SigningKey::generate();
    BoxKeyPair box = BoxKeyPair::generate();
    SlotSecrets secrets{SecretBytes(store_key_size), SecretBytes::copy_of(signing.seed().view()),
                        SecretBytes::copy_of(box.secret_key().view())};
    random_fill(secrets.store_key.span());

    {
        Database db = BRANKAS_TRY(Database::open_encrypted(staged.store(), secrets.store_key, Database::Mode::create_new));
        BRANKAS_TRY(create_schema(db));
        Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db));
        Event genesis = genesis_event(vault_id, options.institution, options.admin, signing.public_key(), box.public_key());
        BRANKAS_TRY(append_event(db, std::move(genesis), signing, clock.now_us(), vault_projection()));
        BRANKAS_TRY(tx.commit());
        BRANKAS_TRY(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    BRANKAS_TRY(check_store_is_encrypted(staged.store()));
    // SQLite creates the file under the process umask; the store is private whatever it was
    // (its -wal and -shm files take the same mode from it).
    if (::chmod(staged.store().c_str(), 0600) != 0)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot make the store private: %s"), {std::string(std::strerror(errno))});

    Keyring keyring(vault_id);
    keyring.put(BRANKAS_TRY(keyring.seal_with_passphrase(options.admin, SlotKind::passphrase, clock.now_us(), 0,
                                                          passphrase, options.kdf, secrets)));
    BRANKAS_TRY(keyring.save(staged.keyring()));

    // The vault appears at its final path in one step (rename replaces an empty directory).
    if (::rename(staging.path().c_str(), dir.c_str()) != 0) {
        // Someone else's init (or files) got there between our check and now.
        if (errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR)
            return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("%s was created by someone else meanwhile; nothing was changed"),
                                {dir.string()});
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {dir.string(), std::string(std::strerror(errno))});
    }
    staging.commit();
    BRANKAS_TRY(sync_directory(directory_of(dir)));

    return assemble(VaultPaths{dir}, std::move(keyring), options.admin, std::move(secrets), clock);
}

Result<Session> Vault::open(const fs::path& dir, std::string_view user, const PassphraseSource& passphrase,
                          const Clock& clock) {
    return open_slot(dir, user, SlotKdf::argon2id13, passphrase, clock);
}

Result<Session> Vault::open_with_key_file(const fs::path& dir, std::string_view user, const KeyFileSource& key,
                                        const Clock& clock) {
    return open_slot(dir, user, SlotKdf::key_file, key, clock);
}

namespace {
// `why` is a literal marked with tr_noop: what is wrong with the slot.
std::unexpected<Error> damaged_slot(const std::string& who, const char* why) {
    return fail_phrase(ErrorCode::keyring_unreadable,
                       i18n::Phrase(name_refusal::damaged_slot, {i18n::Phrase::plain(who), i18n::Phrase(why)}),
                       i18n::tr_noop("restore the keyring from a backup of this vault, or have an admin disable '%1$s' and add them again"), {who});
}
} // namespace

Result<Session> Vault::open_slot(const fs::path& given_dir, std::string_view user, SlotKdf kdf,
                               const PassphraseSource& unlock, const Clock& clock) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    VaultPaths paths{dir};
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return no_vault(dir);
    bool has_keyring = fs::exists(paths.keyring(), ec);
    bool has_store = fs::exists(paths.store(), ec);
    if (!has_keyring && !has_store) return no_vault(dir);
    if (!has_store)
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the vault at %s has a keyring but no store.db"), {dir.string()},
                            i18n::tr_noop("restore store.db from a backup of this vault"));
    // Before a passphrase is asked for (assemble checks again, for every way in).
    BRANKAS_TRY(require_own_vault_files(dir, {paths.keyring(), paths.store()}));

    Keyring keyring = BRANKAS_TRY(Keyring::load(paths.keyring()));
    const Slot* slot = keyring.find(user);
    const std::string who(user);
    if (slot == nullptr && find_damaged_slot(keyring, user) != nullptr) return damaged_slot(who, i18n::tr_noop("its id no longer matches the name"));
    // A disabled person's slot is gone and the keyring names no one (docs/formats.md): nothing
    // the directory holds tells a former user's name from a mistyped one without telling it to
    // every reader of the directory too. So the hint names both, and only what the person can do
    // without a slot: no command of brankas (`brankas status` lists the users) runs for them.
    if (slot == nullptr)
        return fail_phrased(ErrorCode::no_such_user, i18n::tr_noop("no user '%s' in this vault"), {i18n::echo(who)},
                            i18n::tr_noop("check the name given with --user or in BRANKAS_USER; if it is yours, ask an admin: a "
                                          "person who was disabled has no slot any more"));
    if (!slot_header_is_plausible(*slot)) return damaged_slot(who, i18n::tr_noop("its times are impossible"));
    if (slot->kind == SlotKind::recovery)
        return fail_phrased(ErrorCode::usage, name_refusal::recovery_principal,
                            {std::string(who)},
                            i18n::tr_noop("brankas recovery unlock --share-file FILE ... reset-passphrase NAME (or enroll-admin NAME)"));
    if (slot->kind == SlotKind::enrollment)
        return fail_phrased(ErrorCode::denied, name_refusal::not_enrolled, {std::string(who)},
                            i18n::tr_noop("run `brankas --user %1$s user enroll --code-file FILE` with the enrollment code"));
    if (kdf == SlotKdf::argon2id13 && slot->kdf == SlotKdf::key_file)
        return fail_phrased(ErrorCode::usage, name_refusal::key_file_slot, {std::string(who)},
                            i18n::tr_noop("add --keyfile PATH"));
    if (kdf == SlotKdf::key_file && slot->kdf != SlotKdf::key_file)
        return fail_phrased(ErrorCode::usage, name_refusal::passphrase_slot, {std::string(who)},
                            i18n::tr_noop("leave out --keyfile"));
    if (slot->kind != SlotKind::passphrase && slot->kind != SlotKind::keyfile)
        return fail_phrased(ErrorCode::usage, name_refusal::other_slot, {std::string(who)});
    if (slot->expires_us != 0 && clock.now_us() > slot->expires_us)
        return fail_phrased(ErrorCode::denied, name_refusal::slot_expired, {std::string(who)});

    SecretBytes secret = BRANKAS_TRY(unlock());
    auto secrets = keyring.open(user, secret.view());
    if (!secrets) {
        // The tag cannot tell a wrong passphrase from damaged bytes; the log can (docs/formats.md).
        if (secrets.error().code == ErrorCode::wrong_passphrase && secrets.error().hint.empty()) {
            secrets.error().hint_id =
                i18n::tr_noop("if it is right, the slot may be damaged: `brankas status`, run by another user, compares every slot with the log");
            secrets.error().hint = std::string(secrets.error().hint_id);
        }
        return std::unexpected(std::move(secrets.error()));
    }
    return assemble(std::move(paths), std::move(keyring), user, std::move(*secrets), clock);
}

namespace {

struct StoreKeyCandidate {
    std::uint32_t generation;
    SecretBytes key;
};

// The K_db this slot can reach: those waiting in envelopes (newest first), then its own.
Result<std::vector<StoreKeyCandidate>> store_key_candidates(const Keyring& keyring, std::string_view user,
                                                            SlotSecrets& secrets, const BoxKeyPair& box) {
    std::vector<StoreKeyCandidate> out;
    // An envelope that does not open (left by a crash, or sealed to a box key this slot no
    // longer has) is passed over: only the key the log announces matters, and it is checked.
    for (const StoreKeyEnvelope* e : keyring.envelopes_for(slot_id_for(keyring.vault_id(), user)))
        if (auto key = keyring.open_store_key(*e, box)) out.push_back({e->generation, std::move(*key)});
    out.push_back({secrets.store_generation, std::move(secrets.store_key)});
    return out;
}

} // namespace

Result<Session> Vault::assemble(VaultPaths paths, Keyring keyring, std::string_view user, SlotSecrets secrets,
                              const Clock& clock, Enrollment enrollment) {
    // Before the store opens: opening may create its journal files, owned by whoever runs this.
    const fs::path store = paths.store();
    BRANKAS_TRY(require_own_vault_files(paths.dir, {paths.keyring(), store, fs::path(store.string() + "-wal"),
                                                    fs::path(store.string() + "-shm"), fs::path(store.string() + "-journal")}));
    BoxKeyPair box = BoxKeyPair::from_secret(secrets.box_secret);
    std::vector<StoreKeyCandidate> candidates = BRANKAS_TRY(store_key_candidates(keyring, user, secrets, box));
    // The newest key that opens the store is the one it is under; an older one opens it only
    // when a re-key was interrupted before its page rewrite committed.
    std::optional<Database> opened;
    std::size_t used = 0;
    for (; used < candidates.size(); ++used) {
        auto db = Database::open_encrypted(paths.store(), candidates[used].key, Database::Mode::open_existing);
        if (db) {
            opened.emplace(std::move(*db));
            break;
        }
        if (db.error().code != ErrorCode::store_corrupt) return std::unexpected(db.error());
        if (used + 1 == candidates.size()) {
            // Another process may have re-keyed the store between our reading the keyring and
            // opening the store: the keyring on disk then holds a newer key than any we tried.
            if (holds_store_key_after(paths.keyring(), candidates.front().generation)) return std::unexpected(store_key_changed());
            return std::unexpected(db.error());
        }
    }
    Database db = std::move(*opened);
    BRANKAS_TRY(upgrade_and_check_schema(db));

    // The keyring and the store must agree on which vault this is and on this user's keys:
    // a store swapped in from elsewhere, or keys substituted in either file, stops here.
    {
        // Scoped: a statement left open would hold a read transaction that a re-key below waits on.
        Statement v = BRANKAS_TRY(db.prepare("SELECT vault_id FROM vault"));
        if (!BRANKAS_TRY(v.step()) || !std::ranges::equal(v.column_raw(0), keyring.vault_id()))
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store and the keyring belong to different vaults"), {},
                                i18n::tr_noop("restore the matching store.db and keyring from one backup"));
    }
    auto principal = BRANKAS_TRY(find_principal(db, user));
    SigningKey signing = SigningKey::from_seed(secrets.signing_seed);
    if (!principal || principal->signing_key != signing.public_key() || principal->box_key != box.public_key())
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the keyring and the store disagree about user '%s'"), {std::string(user)},
                            i18n::tr_noop("run `brankas audit verify`; restore both files from one backup"));
    bool enrolling = enrollment == Enrollment::allow && principal->status == PrincipalStatus::pending;
    if (principal->status != PrincipalStatus::active && !enrolling)
        return fail_phrased(ErrorCode::denied, i18n::tr_noop("user '%1$s' is %2$s"),
                            {std::string(user), std::string(principal_status_name(principal->status))});
    const policy::Role role = principal->role;

    // The log says which generation the store should be under; the key that opened it says
    // which it is.
    std::int64_t announced = 0;
    std::optional<Hash> announced_check;
    {
        Statement g = BRANKAS_TRY(db.prepare("SELECT store_generation, store_key_check FROM vault"));
        if (!BRANKAS_TRY(g.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store has no vault row"), {});
        announced = g.column_int(0);
        if (!g.column_is_null(1)) {
            auto raw = g.column_raw(1);
            Hash h{};
            if (raw.size() != h.size()) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store key check has the wrong length"), {});
            std::copy(raw.begin(), raw.end(), h.begin());
            announced_check = h;
        }
    }
    const std::uint32_t opened_generation = candidates[used].generation;
    // From generation 2 on, a K_db came through an envelope, which anyone who once held a K_db
    // could have sealed: it counts only if it matches the check the signed event recorded.
    auto matches_log = [&](const StoreKeyCandidate& c) {
        if (c.generation != announced) return false;
        if (announced == 1) return true;
        return announced_check && store_key_check(keyring.vault_id(), c.generation, c.key) == *announced_check;
    };
    auto pending = std::find_if(candidates.begin(), candidates.end(), matches_log);
    if (pending == candidates.end() || announced < opened_generation)
        return fail_phrased(ErrorCode::store_corrupt,
                            i18n::tr_noop("the store and the keyring disagree about the store key (generation %1$s in the log, %2$s in the keyring)"),
                            {std::to_string(announced), std::to_string(opened_generation)}, i18n::tr_noop("restore store.db and the keyring from one backup"));
    std::optional<SecretBytes> unfinished;
    if (announced > opened_generation) unfinished = std::move(pending->key);
    else if (pending - candidates.begin() != static_cast<std::ptrdiff_t>(used))
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store is under a key the log did not announce"), {},
                            i18n::tr_noop("run `brankas audit verify` from another copy; restore store.db and the keyring from one backup"));

    Session vault(std::move(paths), std::move(keyring), std::string(user), role, std::move(candidates[used].key),
                opened_generation, std::move(signing), std::move(box), std::move(db), clock);
    // A re-key announced in the log but interrupted before the pages were rewritten: finish it.
    if (unfinished) BRANKAS_TRY(vault.finish_rekey(static_cast<std::uint32_t>(announced), std::move(*unfinished)));
    return vault;
}


Result<Session> Vault::open_with_shares(const fs::path& given_dir, const std::vector<RecoveryShare>& shares, const Clock& clock) {
    VaultPaths paths{normalized(given_dir)};
    std::error_code ec;
    if (!fs::exists(paths.keyring(), ec) || !fs::exists(paths.store(), ec))
        return fail_phrased(ErrorCode::no_vault, i18n::tr_noop("no vault at %s"), {paths.dir.string()});
    Keyring keyring = BRANKAS_TRY(Keyring::load(paths.keyring()));
    const Slot* slot = keyring.find(recovery_principal);
    if (slot == nullptr || slot->kind != SlotKind::recovery || slot->kdf != SlotKdf::key_file)
        return fail_phrased(ErrorCode::no_such_user, i18n::tr_noop("this vault has no recovery shares"), {},
                            i18n::tr_noop("an admin creates them with `brankas recovery split`"));
    // Checked before combining: another vault's share, shares of different splits, a holder
    // twice, too few. Shamir's scheme itself would return a wrong key without a word.
    SecretBytes key = BRANKAS_TRY(combine_recovery_shares(shares, keyring.vault_id()));
    auto secrets = keyring.open(recovery_principal, key.view());
    if (!secrets) {
        if (secrets.error().code != ErrorCode::wrong_passphrase) return std::unexpected(secrets.error());
        return fail_phrased(ErrorCode::wrong_passphrase, i18n::tr_noop("the shares agree with each other but do not open this vault's recovery slot: they come from a split that was replaced, or the slot is damaged"),
                            {},
                            i18n::tr_noop("only the shares of the latest `recovery split` work; `brankas status`, run by any user, says whether the recovery slot is damaged"));
    }
    Session v = BRANKAS_TRY(assemble(std::move(paths), std::move(keyring), recovery_principal, std::move(*secrets), clock));
    if (v.role() != policy::Role::recovery)
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the recovery slot belongs to a principal that is not the recovery principal"),
                            {});
    return v;
}

} // namespace brankas
