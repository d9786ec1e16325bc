// The store's migrations, in order: the whole history of its schema (vault/store/schema.cpp
// applies and checks them).
#include "vault/store/migrations.hpp"

#include "vault/store/schema.hpp"

#include <iterator>

namespace brankas {

namespace {

// Migration N takes the store from version N-1 to N. Never edit a released migration: add one.
// Written for SQLite 3.15 (no UPSERT, window functions, RETURNING or STRICT tables).
constexpr const char* migrations[] = {
    // 1: the event log and the first projection tables.
    R"sql(
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    time_us     INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    body        BLOB NOT NULL,
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    signature   BLOB NOT NULL CHECK (length(signature) = 64)
);
CREATE TABLE vault (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    vault_id    BLOB NOT NULL CHECK (length(vault_id) = 16),
    institution TEXT NOT NULL,
    created_seq INTEGER NOT NULL
);
CREATE TABLE principals (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'custodian', 'auditor', 'enforcer', 'recovery')),
    status      TEXT NOT NULL CHECK (status IN ('active', 'pending', 'disabled')),
    signing_key BLOB NOT NULL CHECK (length(signing_key) = 32),
    box_key     BLOB NOT NULL CHECK (length(box_key) = 32),
    created_seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE TABLE checkpoints (
    seq         INTEGER PRIMARY KEY,
    signer      TEXT NOT NULL REFERENCES principals(name)
);
)sql",
    // 2: sub-districts and their keys, accounts and sealed secret versions, grants, and the
    // history of every principal's signing key (a key changes at enrollment).
    R"sql(
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    key_version INTEGER NOT NULL CHECK (key_version >= 1),
    created_seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE TABLE unit_keys (
    unit        TEXT NOT NULL REFERENCES units(code),
    principal   TEXT NOT NULL REFERENCES principals(name),
    key_version INTEGER NOT NULL,
    sealed      BLOB NOT NULL CHECK (length(sealed) = 80),
    sealed_seq  INTEGER NOT NULL,
    PRIMARY KEY (unit, principal)
);
CREATE TABLE grants (
    principal   TEXT NOT NULL REFERENCES principals(name),
    unit        TEXT NOT NULL REFERENCES units(code),
    granted_seq INTEGER NOT NULL,
    revoked_seq INTEGER,
    PRIMARY KEY (principal, unit, granted_seq)
);
CREATE TABLE signing_keys (
    principal      TEXT NOT NULL REFERENCES principals(name),
    public_key     BLOB NOT NULL CHECK (length(public_key) = 32),
    introduced_seq INTEGER NOT NULL,
    retired_seq    INTEGER,
    PRIMARY KEY (principal, introduced_seq)
);
CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    unit         TEXT NOT NULL REFERENCES units(code),
    platform     TEXT NOT NULL,
    handle       TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    url          TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'deactivated', 'archived')),
    rotation_due INTEGER NOT NULL CHECK (rotation_due IN (0, 1)),
    version      INTEGER NOT NULL,
    created_seq  INTEGER NOT NULL,
    updated_seq  INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    UNIQUE (platform, handle)
);
CREATE INDEX accounts_by_unit ON accounts (unit, id);
CREATE TABLE secret_versions (
    account     INTEGER NOT NULL REFERENCES accounts(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    key_version INTEGER NOT NULL,
    sealed      BLOB NOT NULL,
    has_totp    INTEGER NOT NULL CHECK (has_totp IN (0, 1)),
    reason      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_seq     INTEGER NOT NULL,
    sealed_seq  INTEGER NOT NULL,
    PRIMARY KEY (account, version)
);
INSERT INTO signing_keys (principal, public_key, introduced_seq, retired_seq)
    SELECT name, signing_key, created_seq, NULL FROM principals;
)sql",
    // 3: which K_db the store is encrypted with, and a check value of it (from generation 2);
    // `user disable --rekey` moves them on.
    R"sql(
ALTER TABLE vault ADD COLUMN store_generation INTEGER NOT NULL DEFAULT 1 CHECK (store_generation >= 1);
ALTER TABLE vault ADD COLUMN store_key_check BLOB CHECK (store_key_check IS NULL OR length(store_key_check) = 32);
)sql",
    // 4: the policy document, terms, check-outs, pending passwords of a two-step rotation,
    // deactivation checklists, when each version was set (the replay has no events table to
    // look it up in), and the history of every unit key (the enforcer rotates a
    // unit's key without being able to re-seal what the old key sealed, so holders keep the
    // old key for the versions sealed to it).
    R"sql(
CREATE TABLE policy (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    document    TEXT NOT NULL,
    set_seq     INTEGER NOT NULL
);
CREATE TABLE unit_public_keys (
    unit           TEXT NOT NULL REFERENCES units(code),
    key_version    INTEGER NOT NULL CHECK (key_version >= 1),
    public_key     BLOB NOT NULL CHECK (length(public_key) = 32),
    introduced_seq INTEGER NOT NULL,
    introduced_by  TEXT NOT NULL,
    PRIMARY KEY (unit, key_version)
);
INSERT INTO unit_public_keys (unit, key_version, public_key, introduced_seq, introduced_by)
    SELECT code, key_version, public_key, updated_seq, (SELECT actor FROM events WHERE seq = units.updated_seq) FROM units;
ALTER TABLE secret_versions ADD COLUMN set_us INTEGER NOT NULL DEFAULT 0;
UPDATE secret_versions SET set_us = (SELECT time_us FROM events WHERE seq = secret_versions.set_seq);
CREATE TABLE unit_key_copies (
    unit        TEXT NOT NULL REFERENCES units(code),
    principal   TEXT NOT NULL REFERENCES principals(name),
    key_version INTEGER NOT NULL,
    sealed      BLOB NOT NULL CHECK (length(sealed) = 80),
    sealed_seq  INTEGER NOT NULL,
    PRIMARY KEY (unit, principal, key_version)
);
INSERT INTO unit_key_copies SELECT unit, principal, key_version, sealed, sealed_seq FROM unit_keys;
DROP TABLE unit_keys;
ALTER TABLE unit_key_copies RENAME TO unit_keys;
CREATE TABLE terms (
    name        TEXT PRIMARY KEY,
    start_us    INTEGER NOT NULL,
    end_us      INTEGER NOT NULL CHECK (end_us >= start_us),
    all_units   INTEGER NOT NULL CHECK (all_units IN (0, 1)),
    created_seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE TABLE term_units (
    term        TEXT NOT NULL REFERENCES terms(name),
    unit        TEXT NOT NULL REFERENCES units(code),
    end_us      INTEGER,
    updated_seq INTEGER NOT NULL,
    PRIMARY KEY (term, unit)
);
CREATE INDEX term_units_by_unit ON term_units (unit, term);
CREATE TABLE checkouts (
    seq         INTEGER PRIMARY KEY,
    account     INTEGER NOT NULL REFERENCES accounts(id),
    holder      TEXT NOT NULL REFERENCES principals(name),
    reason      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    start_us    INTEGER NOT NULL,
    until_us    INTEGER NOT NULL CHECK (until_us > start_us),
    break_glass INTEGER NOT NULL CHECK (break_glass IN (0, 1)),
    ended_seq   INTEGER,
    ended_how   TEXT CHECK (ended_how IS NULL OR ended_how IN ('returned', 'expired'))
);
CREATE INDEX checkouts_open ON checkouts (account) WHERE ended_seq IS NULL;
CREATE TABLE pending_secrets (
    account     INTEGER PRIMARY KEY REFERENCES accounts(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    key_version INTEGER NOT NULL,
    sealed      BLOB NOT NULL,
    has_totp    INTEGER NOT NULL CHECK (has_totp IN (0, 1)),
    reason      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_seq     INTEGER NOT NULL,
    sealed_seq  INTEGER NOT NULL
);
CREATE TABLE checklist_steps (
    account        INTEGER NOT NULL REFERENCES accounts(id),
    opened_seq     INTEGER NOT NULL,
    position       INTEGER NOT NULL CHECK (position >= 1),
    step           TEXT NOT NULL,
    text           TEXT NOT NULL,
    waits          INTEGER NOT NULL CHECK (waits IN (0, 1)),
    wait_until_us  INTEGER,
    done_seq       INTEGER,
    done_by        TEXT,
    note           TEXT,
    closed_seq     INTEGER,
    PRIMARY KEY (account, opened_seq, position)
);
CREATE INDEX checklist_steps_open ON checklist_steps (account) WHERE closed_seq IS NULL;
)sql",
    // 5: the enforcer ends thousands of units in one run: the live grants of a unit are found
    // without scanning every grant, and a checklist step is one b-tree entry instead of three
    // (no rowid, and its primary key, which starts with the account, serves every lookup).
    R"sql(
CREATE INDEX grants_live_by_unit ON grants (unit, principal) WHERE revoked_seq IS NULL;
CREATE TABLE checklist_steps_keyed (
    account        INTEGER NOT NULL REFERENCES accounts(id),
    opened_seq     INTEGER NOT NULL,
    position       INTEGER NOT NULL CHECK (position >= 1),
    step           TEXT NOT NULL,
    text           TEXT NOT NULL,
    waits          INTEGER NOT NULL CHECK (waits IN (0, 1)),
    wait_until_us  INTEGER,
    done_seq       INTEGER,
    done_by        TEXT,
    note           TEXT,
    closed_seq     INTEGER,
    PRIMARY KEY (account, opened_seq, position)
) WITHOUT ROWID;
INSERT INTO checklist_steps_keyed SELECT account, opened_seq, position, step, text, waits, wait_until_us, done_seq, done_by,
    note, closed_seq FROM checklist_steps;
DROP TABLE checklist_steps;
ALTER TABLE checklist_steps_keyed RENAME TO checklist_steps;
)sql",
    // 6: handovers of a unit's accounts from one custodian team to the next (vault/ops/handover.cpp).
    R"sql(
CREATE TABLE handovers (
    id              INTEGER PRIMARY KEY,
    unit            TEXT NOT NULL REFERENCES units(code),
    started_by      TEXT NOT NULL,
    receiver        TEXT NOT NULL,
    witness         TEXT,
    witnessed_by    TEXT,
    note            TEXT NOT NULL,
    accounts_digest BLOB NOT NULL CHECK (length(accounts_digest) = 32),
    state           TEXT NOT NULL CHECK (state IN ('started', 'accepted', 'witnessed', 'completed', 'cancelled')),
    started_seq     INTEGER NOT NULL,
    accepted_seq    INTEGER,
    witnessed_seq   INTEGER,
    ended_seq       INTEGER
);
CREATE INDEX handovers_by_unit ON handovers (unit, id);
CREATE TABLE handover_outgoing (
    handover  INTEGER NOT NULL REFERENCES handovers(id),
    principal TEXT NOT NULL,
    PRIMARY KEY (handover, principal)
) WITHOUT ROWID;
CREATE TABLE handover_accounts (
    handover    INTEGER NOT NULL REFERENCES handovers(id),
    account     INTEGER NOT NULL REFERENCES accounts(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
    PRIMARY KEY (handover, account)
) WITHOUT ROWID;
)sql",
    // 7: what the daily commands look up on a national vault (7,000 units, 30,000 accounts,
    // 100,000s of events), found through an index instead of a scan that compares strings:
    // the grants of one unit whatever their state (`status`: which units owe a key rotation),
    // the accounts in the order every listing shows them, the accounts owing a new password,
    // and the few events that write a keyring slot (`status` checks every slot against them).
    // Indexes only: the tables, and so the replay, are those of version 6.
    R"sql(
CREATE INDEX grants_by_unit ON grants (unit, revoked_seq);
CREATE INDEX accounts_in_order ON accounts (unit, platform, handle);
CREATE INDEX accounts_rotation_due ON accounts (unit, platform, handle) WHERE rotation_due = 1 AND status <> 'archived';
CREATE INDEX events_writing_slots ON events (seq) WHERE action IN
    ('vault.create', 'user.add', 'user.enroll', 'user.passwd', 'recovery.split', 'recovery.reset', 'recovery.enroll');
)sql",
    // 8: dual control: requests for an action that needs a second person, and their grants and
    // rejections (vault/approvals/). A request's id is the sequence number of its event.
    R"sql(
CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    duration_us INTEGER NOT NULL,
    requester   TEXT NOT NULL,
    expires_us  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'rejected', 'used')),
    ended_seq   INTEGER
);
CREATE TABLE approval_votes (
    approval INTEGER NOT NULL REFERENCES approvals(id),
    approver TEXT NOT NULL,
    verdict  TEXT NOT NULL CHECK (verdict IN ('grant', 'reject')),
    reason   TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (approval, approver)
) WITHOUT ROWID;
)sql",
    // 9: minutes that stand as an official record: a person's full name, NIP and position
    // (user.add, user.edit), and the outgoing custodians' release of a handover (handover.release);
    // a handover started from this version on asks for that release (`release_asked`).
    R"sql(
CREATE TABLE principal_records (
    principal   TEXT PRIMARY KEY,
    full_name   TEXT NOT NULL,
    nip         TEXT NOT NULL,
    position    TEXT NOT NULL,
    updated_seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE handover_releases (
    handover  INTEGER NOT NULL REFERENCES handovers(id),
    principal TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (handover, principal)
) WITHOUT ROWID;
ALTER TABLE handovers ADD COLUMN release_asked INTEGER NOT NULL DEFAULT 0 CHECK (release_asked IN (0, 1));
)sql",
    // 10: whether a pending rotation was started by break-glass (its secret.pending carries
    // `break_glass`), so that the one who started it may finish it outside every term and the
    // replay decides that alike. The rows a store already has take the flag from their event:
    // `break_glass` sorts before every other field of a secret.pending, so when present it is the
    // first field, right after the header (docs/formats.md "Event body": 37 bytes besides the
    // actor and the target), and its 21 bytes are str8("break_glass"), type 2 and the integer 1.
    // And `status` the morning after a term ended, when every account of the ended units owes a
    // new password and has a checklist with steps left, counts both from an index alone: the
    // accounts owing rotation carry the columns of their condition (so counting them reads no
    // row), and the checklist steps not done get an index that holds their condition's columns
    // (a few bytes per step, against the step's text in the table).
    R"sql(
ALTER TABLE pending_secrets ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0 CHECK (break_glass IN (0, 1));
UPDATE pending_secrets SET break_glass = 1 WHERE set_seq IN (
    SELECT seq FROM events WHERE action = 'secret.pending'
    AND substr(body, 38 + length(CAST(actor AS BLOB)) + length(CAST(target AS BLOB)), 21) =
        X'0b627265616b5f676c617373020000000000000001');
DROP INDEX accounts_rotation_due;
CREATE INDEX accounts_rotation_due ON accounts (unit, platform, handle, rotation_due, status) WHERE rotation_due = 1 AND status <> 'archived';
CREATE INDEX checklist_steps_left ON checklist_steps (account, closed_seq, done_seq) WHERE closed_seq IS NULL AND done_seq IS NULL;
)sql",
    // 11: one row per checklist instead of one per step. A term's end opens a checklist for every
    // account of the ended units; each of the policy's steps was a row of its own, with the
    // step's text, and `status` counted them. Now the steps of each checklist kind are kept once
    // (`checklist_step_lists`, keyed by the `set_seq` of the policy in force when the checklist
    // opened, 0 for the built-in policy), a checklist is one row that keeps how many steps are
    // left, and `checklist_steps` holds only the steps ticked or whose waiting period started.
    // The rows a store already has: a checklist's list is the last policy.set before it opened
    // (the policy's set_seq then), found through a temporary table of the few policy.set events
    // (the events table has no index on its action).
    R"sql(
CREATE TABLE checklist_step_lists (
    list     INTEGER NOT NULL CHECK (list >= 0),
    position INTEGER NOT NULL CHECK (position >= 1),
    step     TEXT NOT NULL,
    text     TEXT NOT NULL,
    waits    INTEGER NOT NULL CHECK (waits IN (0, 1)),
    PRIMARY KEY (list, position)
) WITHOUT ROWID;
CREATE TABLE checklists (
    account    INTEGER NOT NULL REFERENCES accounts(id),
    opened_seq INTEGER NOT NULL,
    list       INTEGER NOT NULL,
    steps_left INTEGER NOT NULL CHECK (steps_left >= 0),
    closed_seq INTEGER,
    PRIMARY KEY (account, opened_seq)
) WITHOUT ROWID;
CREATE INDEX checklists_left ON checklists (account, closed_seq, steps_left) WHERE closed_seq IS NULL AND steps_left > 0;
CREATE TEMP TABLE policy_sets (seq INTEGER PRIMARY KEY);
INSERT INTO temp.policy_sets SELECT seq FROM events WHERE action = 'policy.set';
INSERT INTO checklists (account, opened_seq, list, steps_left, closed_seq)
    SELECT account, opened_seq, ifnull((SELECT max(p.seq) FROM temp.policy_sets p WHERE p.seq < opened_seq), 0),
        sum(done_seq IS NULL), max(closed_seq)
    FROM checklist_steps GROUP BY account, opened_seq;
DROP TABLE temp.policy_sets;
INSERT INTO checklist_step_lists (list, position, step, text, waits)
    SELECT DISTINCT c.list, s.position, s.step, s.text, s.waits
    FROM checklist_steps s JOIN checklists c ON c.account = s.account AND c.opened_seq = s.opened_seq;
CREATE TABLE checklist_steps_kept (
    account       INTEGER NOT NULL REFERENCES accounts(id),
    opened_seq    INTEGER NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 1),
    wait_until_us INTEGER,
    done_seq      INTEGER,
    done_by       TEXT,
    note          TEXT,
    PRIMARY KEY (account, opened_seq, position)
) WITHOUT ROWID;
INSERT INTO checklist_steps_kept SELECT account, opened_seq, position, wait_until_us, done_seq, done_by, note FROM checklist_steps
    WHERE done_seq IS NOT NULL OR wait_until_us IS NOT NULL;
DROP TABLE checklist_steps;
ALTER TABLE checklist_steps_kept RENAME TO checklist_steps;
)sql",
    // 12: a table of accounts is read from one index alone. accounts_in_order also holds every
    // other column the listings print (status, rotation_due, version, email), so `account list`
    // measures its columns and then prints its rows from the index, in its order, without
    // looking each row up in the table (whose pages it no longer decrypts). Indexes only.
    R"sql(
DROP INDEX accounts_in_order;
CREATE INDEX accounts_in_order ON accounts (unit, platform, handle, status, rotation_due, version, email);
)sql",
    // 13: the condition of events_writing_slots names the actions one by one instead of as a
    // list. SQLite checks a partial index's condition at every insert into its table, and for
    // `action IN (...)` it first builds a temporary table of the list's seven values: every event
    // written built one. Compared one by one, nothing is built. The same events are indexed.
    // Indexes only.
    R"sql(
DROP INDEX events_writing_slots;
CREATE INDEX events_writing_slots ON events (seq) WHERE (action = 'vault.create' OR action = 'user.add' OR action = 'user.enroll'
    OR action = 'user.passwd' OR action = 'recovery.split' OR action = 'recovery.reset' OR action = 'recovery.enroll');
)sql",
    // 14: the CHECK on accounts.status names its three values one by one instead of as a list,
    // for which SQLite built a temporary table at every insert of an account and every update
    // that sets its status (each account.add of an import, each unit an end of term
    // deactivates). The constraint allows the same values, so the table is not rebuilt (nine
    // tables reference it, and foreign keys cannot be turned off inside the migration's
    // transaction): its definition in sqlite_master is edited in place, as SQLite documents for
    // changing a CHECK constraint, and apply_migrations moves the schema cookie on (every other
    // connection reads the table again) and makes the migrating connection read it again too
    // (migration_edits_definitions).
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (status IN (''active'', ''deactivated'', ''archived''))',
    'CHECK (status = ''active'' OR status = ''deactivated'' OR status = ''archived'')')
    WHERE type = 'table' AND name = 'accounts';
PRAGMA writable_schema = OFF;
)sql",
    // 15: two indexes, nothing else. secret_versions_set holds when each version was set beside
    // its key, so the facts of an end of term (the age of every account's current password) are
    // read from that index instead of from each version's row, sealed box and all, in the
    // table. checkouts_by_end holds the open check-outs in the order of their end, so the
    // overdue ones (`status`, the admin's first page) are read first to last without reading
    // and sorting every open check-out. Indexes only.
    R"sql(
CREATE INDEX secret_versions_set ON secret_versions (account, version, set_us);
CREATE INDEX checkouts_by_end ON checkouts (until_us) WHERE ended_seq IS NULL;
)sql",
};
static_assert(std::size(migrations) == latest_schema_version);

} // namespace

std::span<const char* const> schema_migrations() noexcept { return migrations; }

bool migration_edits_definitions(int version) noexcept { return version == 14; }

} // namespace brankas
