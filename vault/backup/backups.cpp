// Backups: a signed bundle of the store and the keyring (docs/formats.md "Backup bundle"),
// verified the way `audit verify` verifies a vault, and restored only whole.
//
// How the copy is taken. SQLCipher 3.4's backup API refuses encrypted stores and SQLite 3.15
// has no VACUUM INTO. The two ways left are copying the files after a WAL checkpoint while
// holding the write lock, or sqlcipher_export() into an attached database keyed with K_db.
// The export is used: a checkpoint cannot run inside the transaction that holds the lock, a
// TRUNCATE checkpoint waits for every reader to finish, and another process may checkpoint
// into the main file while it is being copied (checkpoints take their own lock, not the write
// lock), so a byte copy could tear. The export reads through SQLite inside one transaction,
// gets one consistent snapshot whatever else runs, and writes a fresh file with no free
// pages (nothing deleted survives into the copy). It runs under BEGIN IMMEDIATE so that the
// keyring, which is only ever written under the write lock, is read at the same instant.
#include "vault/backup/backups.hpp"

#include "vault/backup/backup_events.hpp"
#include "vault/decisions.hpp"
#include "vault/file_io.hpp"
#include "vault/log/event_log.hpp"
#include "vault/projection.hpp"
#include "vault/store/schema.hpp"
#include "vault/vault.hpp"

#include <cerrno>
#include <cstring>
#include <cstdio>

namespace brankas {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view copy_schema = "backup_copy";

std::unexpected<Error> copy_disagrees(const fs::path& file, i18n::Phrase why) {
    return fail_phrase(ErrorCode::verification_failed,
                       i18n::Phrase(i18n::tr_noop("the backup %1$s does not verify: %2$s"), {i18n::Phrase::plain(file.string()), std::move(why)}),
                       i18n::tr_noop("nothing was created; use another copy of the backup"));
}
// `why` is a literal of the catalogue with its plain values.
std::unexpected<Error> copy_disagrees(const fs::path& file, const char* why, std::vector<std::string> values = {}) {
    return copy_disagrees(file, i18n::Phrase::with_plain(why, std::move(values)));
}

// Detaches the copy's schema when the export is done, whatever happened.
class AttachedCopy {
public:
    explicit AttachedCopy(Database& db) : db_(db) {}
    AttachedCopy(const AttachedCopy&) = delete;
    AttachedCopy& operator=(const AttachedCopy&) = delete;
    ~AttachedCopy() { (void)db_.detach(copy_schema); }

private:
    Database& db_;
};

} // namespace

Result<BackupManifest> create_backup(Session& session, const fs::path& given_file) {
    const fs::path file = normalized(given_file);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(file, ec)))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%s already exists"), {file.string()},
                            i18n::tr_noop("a backup never replaces a file: choose a new name"));
    BRANKAS_TRY(check_directory_of(file));
    BRANKAS_TRY(session.permit(policy::Action::create_backup, ""));

    // The copy of the store is built beside the bundle, in a private directory that goes.
    StagingDirectory scratch(BRANKAS_TRY(make_staging_directory(file, "backup")));
    const fs::path copy = scratch.path() / "store.db";
    // The event says a backup exists, so it commits only once the bundle is durable. The write
    // holds the write lock from the copy to that commit, so the copy's last event (the record
    // of this backup) is the very event the store gets next: built once, at one instant,
    // appended to the copy first and to the store last. If the store cannot take it (a full
    // disk), the bundle goes again and nothing claims it exists. Between the bundle's rename
    // and the commit, a crash leaves a bundle whose last event the store never got: a real
    // backup of the log up to it, and no false word in the log.
    BackupManifest written;
    bool bundle_written = false;
    Status recorded = session.write([&](Change& change) -> Status {
        Database& db = change.db();
        BRANKAS_TRY(session.check_store_generation());
        auto bytes = read_file_bounded(session.paths().keyring(), Keyring::max_file_size);
        if (!bytes)
            return fail_phrased(bytes.error().failed ? ErrorCode::io : ErrorCode::keyring_unreadable, i18n::tr_noop("cannot read the keyring: %s"),
                                {bytes.error().what});
        Keyring current = BRANKAS_TRY(Keyring::parse(*bytes));
        if (current.vault_id() != session.vault_id())
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the keyring was replaced by another vault's while it was open"), {});
        const Bytes keyring_bytes = std::move(*bytes);
        const std::int64_t schema = BRANKAS_TRY(db.query_int("PRAGMA user_version"));

        // The export runs on a second connection: this one's transaction must stay open (and
        // uncommitted) until the bundle is durable, and the export would commit with it. Under
        // this write lock, the second connection reads exactly what this one sees.
        {
            Database exporter =
                BRANKAS_TRY(Database::open_encrypted(session.paths().store(), session.store_key(), Database::Mode::open_existing));
            BRANKAS_TRY(exporter.attach_encrypted(copy, copy_schema, session.store_key()));
            AttachedCopy attached(exporter);
            const std::string schema_name(copy_schema);
            BRANKAS_TRY(exporter.exec(("SELECT sqlcipher_export('" + schema_name + "')").c_str()));
            // sqlcipher_export copies the schema and the rows, not the header fields.
            BRANKAS_TRY(exporter.exec(("PRAGMA " + schema_name + ".user_version = " + std::to_string(schema)).c_str()));
            BRANKAS_TRY(
                exporter.exec(("PRAGMA " + schema_name + ".application_id = " + std::to_string(store_application_id)).c_str()));
        }

        Event e = BackupCreated{}.encode();
        e.actor = session.user();
        SignedEvent in_copy;
        {
            Database c = BRANKAS_TRY(Database::open_encrypted(copy, session.store_key(), Database::Mode::open_existing));
            Transaction copy_tx = BRANKAS_TRY(Transaction::begin_immediate(c));
            in_copy = BRANKAS_TRY(append_event(c, e, session.signing_key(), change.now(), vault_projection()));
            BRANKAS_TRY(copy_tx.commit());
            // Everything back in the one file the bundle carries (the connection opened it in WAL mode).
            if (BRANKAS_TRY(c.query_text("PRAGMA journal_mode = DELETE")) != "delete")
                return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot write %s: its write-ahead log did not go back into it"), {copy.string()});
        }
        // As for a new store: if the key had been ignored the copy would be plain text.
        BRANKAS_TRY(check_store_is_encrypted(copy));
        BackupManifest m;
        m.vault_id = session.vault_id();
        m.events = in_copy.seq;
        m.head = in_copy.hash;
        m.created_us = in_copy.time_us;
        m.store_generation = session.store_generation();
        m.schema_version = static_cast<std::uint32_t>(schema);
        written = BRANKAS_TRY(write_backup_bundle(file, std::move(m), session.signing_key(), keyring_bytes, copy));
        bundle_written = true;

        // The bundle is durable: now the store records it (or, below, the bundle goes).
        SignedEvent in_store = BRANKAS_TRY(change.append(BackupCreated{}));
        if (in_store.hash != in_copy.hash)
            return fail_phrased(ErrorCode::internal, i18n::tr_noop("the record of the backup came out differently in the store and in the copy"), {});
        return {};
    });
    if (!recorded) {
        if (bundle_written) {
            std::error_code removed;
            fs::remove(file, removed);
            (void)sync_directory(directory_of(file));
        }
        return std::unexpected(recorded.error());
    }
    return written;
}

namespace {

// Reads the bundle into `dir` (store.db and keyring), opens it and checks it (verify_backup).
Result<BackupReport> check_backup_copy(const fs::path& file, const fs::path& dir, const SnapshotOpener& open,
                                       const std::optional<Checkpoint>& checkpoint) {
    VaultPaths paths{dir};
    OpenedBackup opened = BRANKAS_TRY(read_backup_bundle(file, paths.store()));
    const BackupManifest& m = opened.manifest;
    auto keyring = Keyring::parse(opened.keyring);
    if (!keyring) return copy_disagrees(file, phrase_of(keyring.error()));
    if (keyring->vault_id() != m.vault_id) return copy_disagrees(file, i18n::tr_noop("its keyring belongs to another vault than its manifest names"));
    BRANKAS_TRY(write_file_atomic(paths.keyring(), opened.keyring, Existing::refuse));

    BackupReport report;
    report.manifest = m;
    report.signer_key = opened.signer_key;
    report.file_size = opened.file_size;
    {
        Session copy = BRANKAS_TRY(open(dir));
        if (copy.vault_id() != m.vault_id) return copy_disagrees(file, i18n::tr_noop("its store belongs to another vault than its manifest names"));
        if (copy.store_generation() != m.store_generation)
            return copy_disagrees(file, i18n::tr_noop("its store is at another key generation than its manifest says"));
        report.institution = BRANKAS_TRY(copy.db().query_text("SELECT institution FROM vault"));
        report.time_zone = BRANKAS_TRY(stored_policy(copy.db())).time_zone;
        // The last event must be the signer's own record of this backup, and the key that
        // signed the manifest the signer's key in the copy's log.
        Statement last = BRANKAS_TRY(copy.db().prepare("SELECT seq, hash, time_us, actor, action FROM events ORDER BY seq DESC LIMIT 1"));
        if (!BRANKAS_TRY(last.step())) return copy_disagrees(file, i18n::tr_noop("its store has no events"));
        if (static_cast<std::uint64_t>(last.column_int(0)) != m.events || !std::ranges::equal(last.column_raw(1), m.head))
            return copy_disagrees(file, i18n::tr_noop("its log does not end at the event its manifest names"));
        if (last.column_int(2) != m.created_us || last.column_text(4) != actions::backup_create)
            return copy_disagrees(file, i18n::tr_noop("its last event is not the record of this backup"));
        report.signer = last.column_text(3);
        auto signer = BRANKAS_TRY(find_principal(copy.db(), report.signer));
        if (!signer || signer->signing_key != opened.signer_key)
            return copy_disagrees(file, i18n::tr_noop("it is signed with a key that is not %s's in its own log"), {report.signer});
        report.log = BRANKAS_TRY(brankas::verify(copy, checkpoint));
    }
    if (!report.log.ok) {
        const i18n::Phrase& problem = report.log.problem_phrase;
        i18n::Phrase why = problem.id ? problem : i18n::Phrase::plain(report.log.problem);
        if (report.log.bad_event)
            return copy_disagrees(file, i18n::Phrase(i18n::tr_noop("its log fails verification: event %1$s: %2$s"),
                                                     {i18n::Phrase::plain(std::to_string(*report.log.bad_event)), std::move(why)}));
        return copy_disagrees(file, i18n::Phrase(i18n::tr_noop("its log fails verification: %s"), {std::move(why)}));
    }
    return report;
}

} // namespace

Result<BackupReport> verify_backup(const fs::path& file, const SnapshotOpener& open, const std::optional<Checkpoint>& checkpoint) {
    // Never committed: the temporary copy goes with everything in it.
    StagingDirectory scratch(BRANKAS_TRY(make_private_temp_directory("verify")));
    return check_backup_copy(file, scratch.path(), open, checkpoint);
}

Result<BackupReport> restore_backup(const fs::path& file, const fs::path& given_to, const SnapshotOpener& open,
                                    const std::optional<Checkpoint>& checkpoint) {
    const fs::path to = normalized(given_to);
    BRANKAS_TRY(Vault::check_new_location(to));
    StagingDirectory staging(BRANKAS_TRY(make_staging_directory(to, "restore")));
    BackupReport report = BRANKAS_TRY(check_backup_copy(file, staging.path(), open, checkpoint));
    // The checked copy appears at its final path in one step (rename replaces an empty directory).
    if (::rename(staging.path().c_str(), to.c_str()) != 0) {
        if (errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR)
            return fail_phrased(ErrorCode::vault_exists, i18n::tr_noop("%s was created by someone else meanwhile; nothing was restored"),
                                {to.string()});
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot create %1$s: %2$s"), {to.string(), std::string(std::strerror(errno))});
    }
    staging.commit();
    BRANKAS_TRY(sync_directory(directory_of(to)));
    return report;
}

} // namespace brankas
