#include "vault/vault.hpp"

#include "vault/encoding.hpp"
#include "vault/facts.hpp"
#include "vault/file_io.hpp"
#include "vault/names.hpp"
#include "vault/passphrase_quality.hpp"
#include "vault/projection.hpp"
#include "vault/store/schema.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace brankas {

namespace fs = std::filesystem;

Status Vault::check_new_location(const fs::path& given_dir) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    std::error_code ec;
    auto st = fs::symlink_status(dir, ec);
    if (ec || !fs::exists(st)) return {};
    if (!fs::is_directory(st))
        return fail(ErrorCode::vault_exists, dir.string() + " already exists and is not a directory");
    if (fs::exists(dir / "keyring") || fs::exists(dir / "store.db"))
        return fail(ErrorCode::vault_exists, "a vault already exists at " + dir.string(),
                    "open it with --vault " + dir.string() + ", or choose another directory");
    if (!fs::is_empty(dir, ec))
        return fail(ErrorCode::vault_exists, dir.string() + " is not empty; refusing to create a vault in it",
                    "choose a new or empty directory");
    return {};
}

namespace {

std::unexpected<Error> no_vault(const fs::path& dir) {
    return fail(ErrorCode::no_vault, "no vault at " + dir.string(),
                "create one with `brankas --vault " + dir.string() + " init --institution NAME`, or set --vault/BRANKAS_VAULT");
}

} // namespace

Vault::Vault(VaultPaths paths, Keyring keyring, std::string user, policy::Role role, SecretBytes store_key,
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
      clock_(&clock) {}

Result<Vault> Vault::create(const fs::path& given_dir, const CreateOptions& options, std::string_view passphrase,
                            const Clock& clock) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    if (options.institution.empty() || options.institution.size() > max_institution_name ||
        !is_printable_utf8(options.institution))
        return fail(ErrorCode::usage, "the institution name must be 1 to " + std::to_string(max_institution_name) +
                                          " bytes of printable text");
    if (!is_valid_principal_name(options.admin))
        return fail(ErrorCode::usage, "'" + options.admin + "' is not a valid user name",
                    "use lower-case letters, digits, '.', '_' or '-', starting with a letter (at most 32)");
    if (!kdf_limits_acceptable(options.kdf)) return fail(ErrorCode::usage, "the key-derivation limits are out of range");
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
        BRANKAS_TRY(append_event(db, std::move(genesis), signing, clock));
        BRANKAS_TRY(tx.commit());
        BRANKAS_TRY(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    BRANKAS_TRY(check_store_is_encrypted(staged.store()));
    // SQLite creates the file under the process umask; the store is private whatever it was
    // (its -wal and -shm files take the same mode from it).
    if (::chmod(staged.store().c_str(), 0600) != 0)
        return fail(ErrorCode::io, "cannot make the store private: " + std::string(std::strerror(errno)));

    Keyring keyring(vault_id);
    keyring.put(BRANKAS_TRY(keyring.seal_with_passphrase(options.admin, SlotKind::passphrase, clock.now_us(), 0,
                                                          passphrase, options.kdf, secrets)));
    BRANKAS_TRY(keyring.save(staged.keyring()));

    // The vault appears at its final path in one step (rename replaces an empty directory).
    if (::rename(staging.path().c_str(), dir.c_str()) != 0) {
        // Someone else's init (or files) got there between our check and now.
        if (errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR)
            return fail(ErrorCode::vault_exists, dir.string() + " was created by someone else meanwhile; nothing was changed");
        return fail(ErrorCode::io, "cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    staging.commit();
    BRANKAS_TRY(sync_directory(directory_of(dir)));

    return assemble(VaultPaths{dir}, std::move(keyring), options.admin, std::move(secrets), clock);
}

Result<Vault> Vault::open(const fs::path& dir, std::string_view user, const PassphraseSource& passphrase,
                          const Clock& clock) {
    return open_slot(dir, user, SlotKdf::argon2id13, passphrase, clock);
}

Result<Vault> Vault::open_with_key_file(const fs::path& dir, std::string_view user, const KeyFileSource& key,
                                        const Clock& clock) {
    return open_slot(dir, user, SlotKdf::key_file, key, clock);
}

Result<Vault> Vault::open_slot(const fs::path& given_dir, std::string_view user, SlotKdf kdf,
                               const PassphraseSource& unlock, const Clock& clock) {
    const fs::path dir = normalized(given_dir); // "v/" and "v" are one vault
    VaultPaths paths{dir};
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return no_vault(dir);
    bool has_keyring = fs::exists(paths.keyring(), ec);
    bool has_store = fs::exists(paths.store(), ec);
    if (!has_keyring && !has_store) return no_vault(dir);
    if (!has_store)
        return fail(ErrorCode::store_corrupt, "the vault at " + dir.string() + " has a keyring but no store.db",
                    "restore store.db from a backup of this vault");

    Keyring keyring = BRANKAS_TRY(Keyring::load(paths.keyring()));
    const Slot* slot = keyring.find(user);
    const std::string who(user);
    if (slot == nullptr)
        return fail(ErrorCode::no_such_user, "no user '" + who + "' in this vault",
                    "check --user or BRANKAS_USER; `brankas status` lists the users");
    if (slot->kind == SlotKind::recovery)
        return fail(ErrorCode::usage, "'" + who + "' is the recovery principal: only a quorum of its shares unlocks it",
                    "brankas recovery unlock --share-file FILE ... reset-passphrase NAME (or enroll-admin NAME)");
    if (slot->kind == SlotKind::enrollment)
        return fail(ErrorCode::denied, "user '" + who + "' has not enrolled yet",
                    "run `brankas --user " + who + " user enroll --code-file FILE` with the enrollment code");
    if (kdf == SlotKdf::argon2id13 && slot->kdf == SlotKdf::key_file)
        return fail(ErrorCode::usage, "user '" + who + "' unlocks with a key file, not a passphrase",
                    "add --keyfile PATH");
    if (kdf == SlotKdf::key_file && slot->kdf != SlotKdf::key_file)
        return fail(ErrorCode::usage, "user '" + who + "' unlocks with a passphrase, not a key file",
                    "leave out --keyfile");
    if (slot->kind != SlotKind::passphrase && slot->kind != SlotKind::keyfile)
        return fail(ErrorCode::usage, "user '" + who + "' cannot be unlocked this way");
    if (slot->expires_us != 0 && clock.now_us() > slot->expires_us)
        return fail(ErrorCode::denied, "the slot of user '" + who + "' has expired");

    SecretBytes secret = BRANKAS_TRY(unlock());
    SlotSecrets secrets = BRANKAS_TRY(keyring.open(user, secret.view()));
    return assemble(std::move(paths), std::move(keyring), user, std::move(secrets), clock);
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

Result<Vault> Vault::assemble(VaultPaths paths, Keyring keyring, std::string_view user, SlotSecrets secrets,
                              const Clock& clock, Enrollment enrollment) {
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
        if (db.error().code != ErrorCode::store_corrupt || used + 1 == candidates.size()) return std::unexpected(db.error());
    }
    Database db = std::move(*opened);
    BRANKAS_TRY(upgrade_and_check_schema(db));

    // The keyring and the store must agree on which vault this is and on this user's keys:
    // a store swapped in from elsewhere, or keys substituted in either file, stops here.
    {
        // Scoped: a statement left open would hold a read transaction that a re-key below waits on.
        Statement v = BRANKAS_TRY(db.prepare("SELECT vault_id FROM vault"));
        if (!BRANKAS_TRY(v.step()) || !std::ranges::equal(v.column_raw(0), keyring.vault_id()))
            return fail(ErrorCode::store_corrupt, "the store and the keyring belong to different vaults",
                        "restore the matching store.db and keyring from one backup");
    }
    auto principal = BRANKAS_TRY(find_principal(db, user));
    SigningKey signing = SigningKey::from_seed(secrets.signing_seed);
    if (!principal || principal->signing_key != signing.public_key() || principal->box_key != box.public_key())
        return fail(ErrorCode::store_corrupt, "the keyring and the store disagree about user '" + std::string(user) + "'",
                    "run `brankas audit verify`; restore both files from one backup");
    bool enrolling = enrollment == Enrollment::allow && principal->status == "pending";
    if (principal->status != "active" && !enrolling)
        return fail(ErrorCode::denied, "user '" + std::string(user) + "' is " + principal->status);
    auto role = policy::parse_role(principal->role);
    if (!role) return fail(ErrorCode::store_corrupt, "user '" + std::string(user) + "' has an unknown role");

    // The log says which generation the store should be under; the key that opened it says
    // which it is.
    std::int64_t announced = 0;
    std::optional<Hash> announced_check;
    {
        Statement g = BRANKAS_TRY(db.prepare("SELECT store_generation, store_key_check FROM vault"));
        if (!BRANKAS_TRY(g.step())) return fail(ErrorCode::store_corrupt, "the store has no vault row");
        announced = g.column_int(0);
        if (!g.column_is_null(1)) {
            auto raw = g.column_raw(1);
            Hash h{};
            if (raw.size() != h.size()) return fail(ErrorCode::store_corrupt, "the store key check has the wrong length");
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
    const std::string disagree = "the store and the keyring disagree about the store key (generation " +
                                 std::to_string(announced) + " in the log, " + std::to_string(opened_generation) +
                                 " in the keyring)";
    if (pending == candidates.end() || announced < opened_generation)
        return fail(ErrorCode::store_corrupt, disagree, "restore store.db and the keyring from one backup");
    std::optional<SecretBytes> unfinished;
    if (announced > opened_generation) unfinished = std::move(pending->key);
    else if (pending - candidates.begin() != static_cast<std::ptrdiff_t>(used))
        return fail(ErrorCode::store_corrupt, "the store is under a key the log did not announce",
                    "run `brankas audit verify` from another copy; restore store.db and the keyring from one backup");

    Vault vault(std::move(paths), std::move(keyring), std::string(user), *role, std::move(candidates[used].key),
                opened_generation, std::move(signing), std::move(box), std::move(db), clock);
    // A re-key announced in the log but interrupted before the pages were rewritten: finish it.
    if (unfinished) BRANKAS_TRY(vault.finish_rekey(static_cast<std::uint32_t>(announced), std::move(*unfinished)));
    return vault;
}

Status Vault::check_store_generation() {
    if (BRANKAS_TRY(db_.query_int("SELECT store_generation FROM vault")) != store_generation_)
        return fail(ErrorCode::busy, "the store was re-keyed while this command ran; nothing was changed",
                    "run the command again");
    return {};
}

Result<Keyring> Vault::reload_keyring() {
    BRANKAS_TRY(check_store_generation());
    Keyring k = BRANKAS_TRY(Keyring::load(paths_.keyring()));
    if (k.vault_id() != keyring_.vault_id())
        return fail(ErrorCode::store_corrupt, "the keyring was replaced by another vault's while it was open");
    return k;
}

Status Vault::save_keyring_and_commit(Keyring updated, const Keyring& before, Transaction& tx) {
    BRANKAS_TRY(updated.save(paths_.keyring()));
    if (auto committed = tx.commit(); !committed) {
        // The events did not land: put the keyring back as it was, so the two files agree.
        (void)before.save(paths_.keyring());
        return committed;
    }
    keyring_ = std::move(updated);
    return {};
}

Status Vault::finish_rekey(std::uint32_t generation, SecretBytes key) {
    // Another process may be finishing the same re-key: whoever loses the lock leaves its
    // connection unusable, so the outcome is judged, and used, through a fresh connection.
    auto rewritten = db_.rekey(key);
    auto fresh = Database::open_encrypted(paths_.store(), key, Database::Mode::open_existing);
    if (!fresh) {
        if (!rewritten) return std::unexpected(rewritten.error());
        return fail(ErrorCode::io, "the store could not be re-encrypted under its new key; nothing was lost",
                    "both keys stay in the keyring: run any brankas command to try again");
    }
    db_ = std::move(*fresh);
    store_key_ = std::move(key);
    store_generation_ = generation;
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

Result<SignedEvent> Vault::record(Event event) {
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    SignedEvent signed_event = BRANKAS_TRY(append(std::move(event)));
    BRANKAS_TRY(tx.commit());
    return signed_event;
}

Result<SignedEvent> Vault::append(Event event) {
    event.actor = user_;
    return append_event(db_, std::move(event), signing_key_, *clock_);
}

Result<policy::Decision> Vault::decide_now(policy::Request request, std::optional<policy::Holder> holder, std::string_view unit,
                                           const policy::Policy& pol) {
    request.role = role_;
    request.actor = user_;
    std::int64_t now = clock_->now_us();
    policy::Facts facts = BRANKAS_TRY(unit_facts(db_, user_, unit, pol, now));
    facts.holder = std::move(holder);
    return policy::decide(request, facts, pol, now);
}

Status Vault::record_denial(policy::Action action, std::string_view target, const policy::Decision& d) {
    Event e;
    e.action = std::string(actions::access_denied);
    e.target = std::string(target);
    e.details.text("action", std::string(policy::action_description(action))).text("reason", d.denial());
    BRANKAS_TRY(record(std::move(e)));
    return fail(ErrorCode::denied, d.denial());
}

Status Vault::permit(policy::Action action, std::string_view target, std::string_view unit) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(db_));
    policy::Request request;
    request.action = action;
    policy::Decision d = BRANKAS_TRY(decide_now(request, std::nullopt, unit, pol));
    if (d.allowed()) return {};
    return record_denial(action, target, d);
}

Result<VaultStatus> Vault::status() {
    VaultStatus s;
    s.vault_id = keyring_.vault_id();
    s.schema_version = static_cast<int>(BRANKAS_TRY(db_.query_int("PRAGMA user_version")));
    s.cipher_version = BRANKAS_TRY(db_.query_text("PRAGMA cipher_version"));
    s.institution = BRANKAS_TRY(db_.query_text("SELECT institution FROM vault"));
    LogHead head = BRANKAS_TRY(read_head(db_));
    s.events = head.seq;
    s.head = head.hash;
    s.last_event_us = head.time_us;
    {
        Statement c = BRANKAS_TRY(db_.prepare("SELECT seq, signer FROM checkpoints ORDER BY seq DESC LIMIT 1"));
        if (BRANKAS_TRY(c.step())) {
            s.last_checkpoint_seq = static_cast<std::uint64_t>(c.column_int(0));
            s.last_checkpoint_signer = c.column_text(1);
        }
    }
    Statement p = BRANKAS_TRY(db_.prepare("SELECT name, role, status FROM principals ORDER BY name"));
    while (BRANKAS_TRY(p.step())) {
        PrincipalInfo info{p.column_text(0), p.column_text(1), p.column_text(2), std::nullopt};
        // Slots carry no names: find each principal's slot by its derived id.
        if (const Slot* slot = keyring_.find(info.name))
            info.slot = SlotInfo{slot->kind, slot->kdf, slot->limits, slot->created_us, slot->expires_us};
        s.principals.push_back(std::move(info));
    }
    s.slots = keyring_.slots().size();
    s.envelopes = keyring_.envelopes().size();
    s.store_generation = store_generation_;
    BRANKAS_TRY(recovery_status(s));
    return s;
}

Status Vault::recovery_status(VaultStatus& s) {
    // Each split introduces the recovery principal's signing key; the newest is the one in force.
    Statement k = BRANKAS_TRY(db_.prepare(
        "SELECT max(k.introduced_seq), min(k.introduced_seq), p.status FROM signing_keys k JOIN principals p ON p.name = k.principal "
        "WHERE k.principal = ? AND p.role = 'recovery'"));
    k.bind(1, recovery_principal);
    if (!BRANKAS_TRY(k.step()) || k.column_is_null(0)) return {};
    const std::int64_t last_split = k.column_int(0), first_split = k.column_int(1);
    RecoverySetup setup;
    setup.status = k.column_text(2);
    k.reset();
    Statement e = BRANKAS_TRY(db_.prepare("SELECT time_us, actor, body FROM events WHERE seq = ? AND action = ?"));
    e.bind(1, last_split).bind(2, actions::recovery_split);
    if (!BRANKAS_TRY(e.step())) return fail(ErrorCode::store_corrupt, "the recovery principal's key was not introduced by a split");
    setup.split_us = e.column_int(0);
    setup.split_by = e.column_text(1);
    Event split = BRANKAS_TRY(decode_event(e.column_blob(2)));
    setup.shares = static_cast<int>(split.details.get_integer("shares").value_or(0));
    setup.threshold = static_cast<int>(split.details.get_integer("threshold").value_or(0));
    s.recovery = std::move(setup);
    // Only the recovery principal signs recovery actions, and only after its first split.
    Statement a = BRANKAS_TRY(db_.prepare(
        "SELECT seq, time_us, action, target FROM events WHERE seq > ? AND actor = ? AND action IN (?, ?) ORDER BY seq DESC LIMIT 1"));
    a.bind(1, first_split).bind(2, recovery_principal).bind(3, actions::recovery_reset).bind(4, actions::recovery_enroll);
    if (BRANKAS_TRY(a.step()))
        s.last_recovery_action = RecoveryActionRecord{static_cast<std::uint64_t>(a.column_int(0)), a.column_int(1), a.column_text(2), a.column_text(3)};
    return {};
}

Status Vault::for_each_event(const std::function<bool(const EventSummary&)>& visit) {
    return brankas::for_each_event(db_, visit);
}

Result<Checkpoint> Vault::take_checkpoint() {
    Event e;
    e.action = std::string(actions::audit_checkpoint);
    SignedEvent recorded = BRANKAS_TRY(record(std::move(e)));
    Checkpoint c;
    c.vault_id = keyring_.vault_id();
    c.seq = recorded.seq;
    c.head = recorded.hash;
    c.time_us = recorded.time_us;
    c.signer = user_;
    return sign_checkpoint(std::move(c), signing_key_);
}

Result<VerifyReport> Vault::verify(const std::optional<Checkpoint>& checkpoint) {
    return verify_log(db_, keyring_.vault_id(), checkpoint);
}

Result<VerifyReport> Vault::verify(const VerifyOptions& options) {
    VerifyOptions with_connection = options;
    if (!with_connection.another_connection)
        with_connection.another_connection = [this] {
            return Database::open_encrypted(paths_.store(), store_key_, Database::Mode::open_existing);
        };
    return verify_log(db_, keyring_.vault_id(), with_connection);
}

} // namespace brankas
