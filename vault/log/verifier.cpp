#include "vault/log/verifier.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_log.hpp"
#include "vault/log/signature_batches.hpp"
#include "vault/log/signer_keys.hpp"
#include "vault/store/schema.hpp"
#include "vault/store/watched_files.hpp"

#include <algorithm>
#include <array>
#include <system_error>
#include <thread>

namespace brankas {

namespace {

// Verification stopped at a finding (as opposed to failing to read the store at all).
// The problems are phrases (i18n::Phrase): `audit verify --json` keeps their English, a face says
// them in its reader's language.
using i18n::Phrase;
using i18n::tr_noop;

Phrase plain(std::string s) { return Phrase::plain(std::move(s)); }

struct Finding {
    std::optional<std::uint64_t> seq;
    Phrase problem;
};

using Check = Result<std::optional<Phrase>>;
Check found(Phrase why) { return std::optional<Phrase>(std::move(why)); }
Check passed() { return std::optional<Phrase>{}; }

// How often the walk looks whether a worker found a bad signature (which ends it early).
constexpr std::uint64_t signatures_checked_every = 4096;

// `actor`: who the event says signed it; nullopt when its body does not say (unreadable).
Phrase bad_signature_problem(std::optional<std::string_view> actor) {
    if (!actor) return Phrase(tr_noop("its signature does not verify with its actor's key"));
    return Phrase(tr_noop("its signature does not verify with %s's key"), {plain(std::string(*actor))});
}

// Walks the log once, in order: chain, decoding, columns, time, the signer's key, replay (or,
// after a checkpoint, the signer keys alone) and the checkpoint. Signatures go to the workers.
// The first finding stops the walk.
class LogWalk {
public:
    LogWalk(Database* fresh, const Projection& projection, const VaultId& vault_id, const VerifyOptions& options,
            VerifyReport& report, SignatureBatches& signatures, std::uint64_t total)
        : fresh_(fresh), projection_(projection), vault_id_(vault_id), options_(options), report_(report), signatures_(signatures),
          total_(total) {}

    Check visit(const SignedEvent& stored, const EventSummary& columns) {
        if (stored.seq != walked_ + 1)
            return found(Phrase(stored.seq > walked_ + 1 ? tr_noop("events before it are missing") : tr_noop("its sequence number is out of order")));
        Hash computed = chain_hash(previous_, stored.body);
        if (computed != stored.hash) return found(Phrase(tr_noop("its hash does not match its contents and the previous event (the log was altered)")));
        auto event = decode_event(stored.body);
        if (!event) return found(phrase_of(event.error()));
        if (event->seq != stored.seq || event->time_us != columns.time_us || event->actor != columns.actor ||
            event->action != columns.action || event->target != columns.target)
            return found(Phrase(tr_noop("its listed columns disagree with its signed contents")));
        if (event->time_us < previous_time_) return found(Phrase(tr_noop("its time is earlier than the event before it")));

        const bool replaying = fresh_ != nullptr;
        const bool signature_checked = replaying || stored.seq > options_.checkpoint->seq;
        std::optional<PublicKey> key = replaying ? BRANKAS_TRY(projection_.signer_key(*fresh_, *event)) : signers_.expected(*event);
        if (signature_checked && !key)
            return found(Phrase(tr_noop("it is signed by '%s', who is not an active principal at that point"), {plain(event->actor)}));
        // docs/formats.md checks the signature before the vault, the replay and the checkpoint.
        // The workers check it later; when one of those fails, it is checked here and now, so
        // that the failure named is the one every verifier that checks in order names.
        auto after_signature = [&](Phrase why) -> Check {
            if (signature_checked && !verify_signature(*key, event_signing_message(computed), stored.signature))
                return found(bad_signature_problem(event->actor));
            return found(std::move(why));
        };
        if (stored.seq == 1) {
            if (event->details.get_array<vault_id_size>("vault_id") != vault_id_)
                return after_signature(Phrase(tr_noop("it creates a different vault than the keyring belongs to")));
            if (key) report_.genesis_key = *key;
        }
        auto applied = replaying ? projection_.apply(*fresh_, *event) : signers_.learn(*event);
        if (!applied) return after_signature(phrase_of(applied.error()));
        if (options_.checkpoint && stored.seq == options_.checkpoint->seq) {
            auto mismatch = BRANKAS_TRY(check_checkpoint(*event, computed));
            if (mismatch) return after_signature(std::move(*mismatch));
        }
        if (signature_checked) signatures_.add(stored.seq, computed, previous_, stored.signature, *key);
        previous_ = computed;
        previous_time_ = event->time_us;
        walked_ = stored.seq;
        if (options_.progress && walked_ % std::max<std::uint64_t>(options_.progress_every, 1) == 0)
            options_.progress({walked_, std::max(total_, walked_)});
        return passed();
    }

    [[nodiscard]] std::uint64_t walked() const noexcept { return walked_; }
    [[nodiscard]] const Hash& head() const noexcept { return previous_; }
    [[nodiscard]] std::int64_t head_time() const noexcept { return previous_time_; }
    [[nodiscard]] const SignerKeys& signers() const noexcept { return signers_; }

private:
    // The checkpoint names this event: its hash, its time, its action and its signer must agree.
    Check check_checkpoint(const Event& event, const Hash& computed) {
        const Checkpoint& c = *options_.checkpoint;
        if (computed != c.head) return found(Phrase(tr_noop("it differs from the checkpoint taken at this point (the log was rewritten)")));
        if (event.action != actions::audit_checkpoint || event.actor != c.signer || event.time_us != c.time_us)
            return found(Phrase(tr_noop("it is not the checkpoint event the checkpoint file describes")));
        std::optional<PublicKey> signer_key;
        if (fresh_ != nullptr) {
            // The checkpoint event's own signer, as the replay knows them before it.
            signer_key = BRANKAS_TRY(projection_.signer_key(*fresh_, event));
        } else if (auto it = signers_.principals().find(c.signer); it != signers_.principals().end()) {
            signer_key = it->second.signing_key;
        }
        if (signer_key != c.signer_key) return found(Phrase(tr_noop("the checkpoint's signer key is not %s's key in the log"), {plain(c.signer)}));
        report_.checkpoint_checked = true;
        return passed();
    }

    Database* fresh_; // the replay; nullptr after a checkpoint (the signer keys alone are followed)
    const Projection& projection_;
    const VaultId& vault_id_;
    const VerifyOptions& options_;
    VerifyReport& report_;
    SignatureBatches& signatures_;
    std::uint64_t total_;
    SignerKeys signers_;
    std::uint64_t walked_ = 0;
    Hash previous_ = genesis_previous_hash;
    std::int64_t previous_time_ = 0;
};

bool same_value(const Statement& a, const Statement& b, int c) {
    if (a.column_type(c) != b.column_type(c)) return false;
    switch (a.column_type(c)) {
    case Statement::ColumnType::null: return true;
    case Statement::ColumnType::integer: return a.column_int(c) == b.column_int(c);
    default: {
        auto x = a.column_raw(c);
        auto y = b.column_raw(c);
        return std::equal(x.begin(), x.end(), y.begin(), y.end());
    }
    }
}

// Compares one projection table between the store and the replay, row by row in key order.
Result<std::optional<Phrase>> compare_table(Database& stored, Database& replayed, const ProjectionTable& t) {
    const char* table = t.name;
    std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY " + t.order_by;
    Statement a = BRANKAS_TRY(stored.prepare(sql));
    Statement b = BRANKAS_TRY(replayed.prepare(sql));
    const Phrase name = plain(table);
    for (std::size_t row = 1;; ++row) {
        bool more_a = BRANKAS_TRY(a.step());
        bool more_b = BRANKAS_TRY(b.step());
        if (!more_a && !more_b) return std::optional<Phrase>{};
        if (more_a != more_b)
            return std::optional<Phrase>(Phrase(more_a ? tr_noop("table '%s' has rows that no event created") : tr_noop("table '%s' has fewer rows than the log created"),
                                                {name}));
        if (a.column_count() != b.column_count()) return std::optional<Phrase>(Phrase(tr_noop("table '%s' has unexpected columns"), {name}));
        for (int c = 0; c < a.column_count(); ++c)
            if (!same_value(a, b, c))
                return std::optional<Phrase>(Phrase(tr_noop("table '%1$s' row %2$s differs from what the log says"), {name, plain(std::to_string(row))}));
    }
}

// After a checkpoint there is no replay: the stored users' roles, status and signing keys are
// compared with what the log says, which is what every signature check leaned on.
Result<std::optional<Phrase>> compare_signers(Database& stored, const SignerKeys& signers) {
    Statement s = BRANKAS_TRY(stored.prepare("SELECT name, role, status, signing_key FROM principals ORDER BY name"));
    auto expected = signers.principals().begin();
    while (BRANKAS_TRY(s.step())) {
        std::string name = s.column_text(0);
        if (expected == signers.principals().end() || expected->first != name)
            return std::optional<Phrase>(Phrase(tr_noop("users differ from what the log says (%s)"), {plain(name)}));
        const SignerKeys::Principal& p = expected->second;
        if (p.role != s.column_text(1) || principal_status_name(p.status) != s.column_text(2) || !std::ranges::equal(p.signing_key, s.column_raw(3)))
            return std::optional<Phrase>(Phrase(tr_noop("user %s differs from what the log says"), {plain(name)}));
        ++expected;
    }
    if (expected != signers.principals().end())
        return std::optional<Phrase>(Phrase(tr_noop("users differ from what the log says (%s is missing)"), {plain(expected->first)}));
    return std::optional<Phrase>{};
}

// The actor named in a stored event's body, for a sentence about its signature; nullopt when the
// body cannot say.
Result<std::optional<std::string>> actor_of_event(Database& store, std::uint64_t seq) {
    Statement s = BRANKAS_TRY(store.prepare("SELECT body FROM events WHERE seq = ?"));
    s.bind(1, static_cast<std::int64_t>(seq));
    if (!BRANKAS_TRY(s.step()) || s.column_size(0) > max_event_body) return std::optional<std::string>{};
    auto event = decode_event(s.column_raw(0));
    return event ? std::optional<std::string>(event->actor) : std::nullopt;
}

struct WalkOutcome {
    std::optional<Finding> finding;
};

Phrase storage_class(Statement::ColumnType t) {
    switch (t) {
    case Statement::ColumnType::integer: return Phrase(tr_noop("an integer"));
    case Statement::ColumnType::real: return Phrase(tr_noop("a real number"));
    case Statement::ColumnType::text: return Phrase(tr_noop("text"));
    case Statement::ColumnType::blob: return Phrase(tr_noop("a blob"));
    case Statement::ColumnType::null: return Phrase(tr_noop("null"));
    }
    return plain("unknown");
}

// Check 1 of docs/formats.md "Verification": every column of the row has the storage class the
// schema gives it, and the lengths are bounded, before anything is copied. A value of another
// class is not the value the log says, even when its bytes are (a blob holding a name reads
// back as that name), and two verifiers must not disagree about it.
std::optional<Phrase> malformed_row(const Statement& s) {
    using Type = Statement::ColumnType;
    struct Column {
        const char* name;
        Type type;
    };
    static constexpr std::array<Column, 8> columns{{{"seq", Type::integer}, {"time_us", Type::integer}, {"actor", Type::text},
                                                     {"action", Type::text}, {"target", Type::text}, {"body", Type::blob},
                                                     {"hash", Type::blob}, {"signature", Type::blob}}};
    for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
        const Column& column = columns[static_cast<std::size_t>(c)];
        if (s.column_type(c) != column.type)
            return Phrase(tr_noop("its %1$s is stored as %2$s, not %3$s"), {plain(column.name), storage_class(s.column_type(c)), storage_class(column.type)});
    }
    // The file is untrusted and SQLite allows values of about 1 GB.
    if (s.column_size(5) > max_event_body) return Phrase(tr_noop("its body is larger than any event"));
    if (s.column_size(6) != hash_size || s.column_size(7) != signature_size)
        return Phrase(tr_noop("its hash or signature has the wrong length"));
    return std::nullopt;
}

// Reads the log's rows in order (one cursor, the snapshot's) and hands each to the walk. The
// rows are read here rather than through for_each_signed_event because the storage class of
// each column is part of the verdict (check 1).
Result<WalkOutcome> walk_log(Database& store, LogWalk& walk, SignatureBatches& signatures) {
    WalkOutcome out;
    Statement s = BRANKAS_TRY(
        store.prepare("SELECT seq, time_us, actor, action, target, body, hash, signature FROM events ORDER BY seq"));
    while (BRANKAS_TRY(s.step())) {
        const auto seq = static_cast<std::uint64_t>(s.column_int(0));
        if (auto problem = malformed_row(s)) {
            out.finding = Finding{seq, Phrase(tr_noop("its row is malformed: %s"), {std::move(*problem)})};
            return out;
        }
        EventSummary columns{seq, s.column_int(1), s.column_text(2), s.column_text(3), s.column_text(4)};
        SignedEvent stored;
        stored.seq = seq;
        stored.time_us = columns.time_us;
        stored.body = s.column_blob(5);
        auto hash = s.column_raw(6);
        auto signature = s.column_raw(7);
        std::copy(hash.begin(), hash.end(), stored.hash.begin());
        std::copy(signature.begin(), signature.end(), stored.signature.begin());
        if (auto problem = BRANKAS_TRY(walk.visit(stored, columns))) {
            out.finding = Finding{seq, std::move(*problem)};
            return out;
        }
        // A bad signature earlier in the log ends the walk too: the workers found one.
        if (seq % signatures_checked_every == 0 && signatures.failed()) return out;
    }
    return out;
}

// SQLite's integrity check of every page and b-tree: on a second connection, in a thread of
// its own while the log is walked, when the caller can open one (its own snapshot then: pages
// are pages); otherwise right away on the verifying connection.
class IntegrityCheck {
public:
    IntegrityCheck() = default;
    IntegrityCheck(const IntegrityCheck&) = delete;
    IntegrityCheck& operator=(const IntegrityCheck&) = delete;
    ~IntegrityCheck() {
        if (thread_.joinable()) thread_.join();
    }

    Status start(Database& store, const std::function<Result<Database>()>& another) {
        file_failures_before_ = file_failure_count();
        if (another) {
            if (auto second = another()) {
                second_.emplace(std::move(*second));
                try {
                    thread_ = std::thread([this] { answer_ = second_->query_text("PRAGMA quick_check"); });
                    return {};
                } catch (const std::system_error&) {
                    // No thread to be had: check on the verifying connection instead.
                }
            }
        }
        answer_ = store.query_text("PRAGMA quick_check");
        return judge();
    }
    Status finish() {
        if (!thread_.joinable()) return {};
        thread_.join();
        return judge();
    }

private:
    // SQLite's own report is several lines of page numbers; a person needs the one conclusion.
    Status judge() {
        std::string answer = BRANKAS_TRY(std::move(answer_));
        // A page the disk failed to read is reported as damaged too ("unable to get the page"):
        // only a check that read every page proves damage.
        if (answer != "ok")
            if (auto failure = file_failure_since(file_failures_before_)) return std::unexpected(store_file_error(*failure));
        if (answer != "ok")
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the store is corrupted or was tampered with: its pages fail SQLite's integrity check"),
                                {}, i18n::tr_noop("restore store.db from a backup of this vault"));
        return {};
    }

    std::optional<Database> second_;
    std::uint64_t file_failures_before_ = 0;
    std::thread thread_;
    Result<std::string> answer_ = std::string();
};

unsigned worker_count(unsigned asked) {
    if (asked != 0) return asked;
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

Result<VerifyReport> verify_log(Database& store, const VaultId& vault_id, const Projection& projection, const VerifyOptions& options) {
    VerifyReport report;
    report.scope = options.scope;
    auto finish = [&](Finding f) {
        report.ok = false;
        report.bad_event = f.seq;
        report.problem = f.problem.english();
        report.problem_phrase = std::move(f.problem);
        return report;
    };
    const bool after_checkpoint = options.scope == VerifyScope::after_checkpoint;
    if (after_checkpoint && !options.checkpoint)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("verification from a checkpoint needs the checkpoint"), {});
    if (options.checkpoint) {
        if (options.checkpoint->vault_id != vault_id) return finish({{}, Phrase(tr_noop("the checkpoint belongs to another vault"))});
        if (!checkpoint_signature_valid(*options.checkpoint)) return finish({{}, Phrase(tr_noop("the checkpoint's signature is not valid"))});
    }
    report.first_signed = after_checkpoint ? options.checkpoint->seq + 1 : 1;

    // One snapshot for everything below: a writer committing meanwhile (the enforcer timer,
    // another person) must not make the log and the tables look inconsistent.
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(store));

    // Every page authenticates (SQLCipher's HMAC) and the b-trees are sound. (After a
    // checkpoint, reading every event authenticates the log's pages; the rest is not read.)
    IntegrityCheck integrity;
    if (!after_checkpoint) BRANKAS_TRY(integrity.start(store, options.another_connection));
    const std::uint64_t total = BRANKAS_TRY(read_head(store)).seq;

    std::optional<Database> fresh;
    std::optional<Transaction> replay;
    if (!after_checkpoint) {
        fresh.emplace(BRANKAS_TRY(Database::open_memory()));
        BRANKAS_TRY(apply_migrations(*fresh, 0, latest_schema_version));
        // The replay is thrown away at the end and stops at its first failure, so it needs no
        // rollback journal; and it is one transaction: no commit per event.
        BRANKAS_TRY(fresh->exec("PRAGMA journal_mode = OFF"));
        // Only the replay writes the fresh database: it may keep what it reads (replay_cache.hpp).
        BRANKAS_TRY(fresh->count_writes());
        replay.emplace(BRANKAS_TRY(Transaction::begin_immediate(*fresh)));
    }

    SignatureBatches signatures(worker_count(options.threads));
    report.threads = signatures.workers() == 0 ? 1 : signatures.workers();
    LogWalk walk(fresh ? &*fresh : nullptr, projection, vault_id, options, report, signatures, total);
    WalkOutcome outcome = BRANKAS_TRY(walk_log(store, walk, signatures));
    std::optional<SignatureBatches::Failure> bad_signature = signatures.finish();
    if (!after_checkpoint) BRANKAS_TRY(integrity.finish());
    if (options.progress) options.progress({walk.walked(), std::max(total, walk.walked())});

    // The first bad event is whichever comes first: one the walk stopped at, or a signature.
    if (bad_signature && (!outcome.finding || !outcome.finding->seq || bad_signature->seq < *outcome.finding->seq)) {
        report.events = bad_signature->seq - 1;
        report.head = bad_signature->previous;
        std::optional<std::string> actor = BRANKAS_TRY(actor_of_event(store, bad_signature->seq));
        return finish({bad_signature->seq, bad_signature_problem(actor)});
    }
    report.events = walk.walked();
    report.head = walk.head();
    report.head_time_us = walk.head_time();
    report.signatures = report.events >= report.first_signed ? report.events - report.first_signed + 1 : 0;
    if (outcome.finding) return finish(std::move(*outcome.finding));
    if (report.events == 0) return finish({{}, Phrase(tr_noop("the log is empty: the vault has no genesis event"))});
    if (options.checkpoint && !report.checkpoint_checked)
        return finish({{},
                       Phrase(tr_noop("the log ends at event %1$s but the checkpoint covers event %2$s: the log was truncated or rolled back"),
                              {plain(std::to_string(report.events)), plain(std::to_string(options.checkpoint->seq))})});
    if (after_checkpoint) {
        if (auto difference = BRANKAS_TRY(compare_signers(store, walk.signers())))
            return finish({{}, Phrase(tr_noop("the stored %s: it was changed outside the log"), {std::move(*difference)})});
    } else {
        for (const ProjectionTable& table : projection.tables()) {
            auto difference = BRANKAS_TRY(compare_table(store, *fresh, table));
            if (difference) return finish({{}, Phrase(tr_noop("the stored %s: it was changed outside the log"), {std::move(*difference)})});
        }
    }
    report.ok = true;
    return report;
}

} // namespace brankas
