#include "vault/events/verifier.hpp"

#include "vault/events/event_log.hpp"
#include "vault/projection.hpp"
#include "vault/store/schema.hpp"

namespace brankas {

namespace {

// Verification stopped at a finding (as opposed to failing to read the store at all).
struct Finding {
    std::optional<std::uint64_t> seq;
    std::string problem;
};

// Walks the log once: chain, decoding, columns, time, signature, replay and checkpoint, for
// each event in order. The first finding stops the walk.
class LogWalk {
public:
    LogWalk(Database& fresh, const VaultId& vault_id, const std::optional<Checkpoint>& checkpoint, VerifyReport& report)
        : fresh_(fresh), vault_id_(vault_id), checkpoint_(checkpoint), report_(report) {}

    // Returns the finding for this event, if any.
    Result<std::optional<std::string>> visit(const SignedEvent& stored, const EventSummary& columns) {
        if (stored.seq != report_.events + 1)
            return found(stored.seq > report_.events + 1 ? "events before it are missing" : "its sequence number is out of order");
        if (stored.body.size() > max_event_body) return found("its body is larger than any event");
        Hash computed = chain_hash(previous_, stored.body);
        if (computed != stored.hash) return found("its hash does not match its contents and the previous event (the log was altered)");
        auto event = decode_event(stored.body);
        if (!event) return found(event.error().message);
        if (event->seq != stored.seq || event->time_us != columns.time_us || event->actor != columns.actor ||
            event->action != columns.action || event->target != columns.target)
            return found("its listed columns disagree with its signed contents");
        if (event->time_us < previous_time_) return found("its time is earlier than the event before it");

        auto key = BRANKAS_TRY(expected_signer_key(fresh_, *event));
        if (!key) return found("it is signed by '" + event->actor + "', who is not an active principal at that point");
        if (!verify_signature(*key, event_signing_message(stored.hash), stored.signature))
            return found("its signature does not verify with " + event->actor + "'s key");
        if (stored.seq == 1) {
            if (event->details.get_array<vault_id_size>("vault_id") != vault_id_)
                return found("it creates a different vault than the keyring belongs to");
            report_.genesis_key = *key;
        }
        if (auto applied = apply_event(fresh_, *event); !applied) return found(applied.error().message);
        if (checkpoint_ && stored.seq == checkpoint_->seq) {
            auto mismatch = BRANKAS_TRY(check_checkpoint(*event, computed));
            if (mismatch) return mismatch;
        }
        previous_ = computed;
        previous_time_ = event->time_us;
        report_.events = stored.seq;
        report_.head = computed;
        return std::optional<std::string>{};
    }

private:
    static Result<std::optional<std::string>> found(std::string why) { return std::optional<std::string>(std::move(why)); }

    // The checkpoint names this event: its hash, its time, its action and its signer must agree.
    Result<std::optional<std::string>> check_checkpoint(const Event& event, const Hash& computed) {
        const Checkpoint& c = *checkpoint_;
        if (computed != c.head) return found("it differs from the checkpoint taken at this point (the log was rewritten)");
        if (event.action != actions::audit_checkpoint || event.actor != c.signer || event.time_us != c.time_us)
            return found("it is not the checkpoint event the checkpoint file describes");
        auto signer = BRANKAS_TRY(find_principal(fresh_, c.signer));
        if (!signer || signer->signing_key != c.signer_key)
            return found("the checkpoint's signer key is not " + c.signer + "'s key in the log");
        report_.checkpoint_checked = true;
        return std::optional<std::string>{};
    }

    Database& fresh_;
    const VaultId& vault_id_;
    const std::optional<Checkpoint>& checkpoint_;
    VerifyReport& report_;
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
Result<std::optional<std::string>> compare_table(Database& stored, Database& replayed, const ProjectionTable& t) {
    const char* table = t.name;
    std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY " + t.order_by;
    Statement a = BRANKAS_TRY(stored.prepare(sql));
    Statement b = BRANKAS_TRY(replayed.prepare(sql));
    std::string name = std::string("table '") + table + "'";
    for (std::size_t row = 1;; ++row) {
        bool more_a = BRANKAS_TRY(a.step());
        bool more_b = BRANKAS_TRY(b.step());
        if (!more_a && !more_b) return std::optional<std::string>{};
        if (more_a != more_b)
            return std::optional<std::string>(name + " has " + (more_a ? "rows that no event created" : "fewer rows than the log created"));
        if (a.column_count() != b.column_count()) return std::optional<std::string>(name + " has unexpected columns");
        for (int c = 0; c < a.column_count(); ++c)
            if (!same_value(a, b, c)) return std::optional<std::string>(name + " row " + std::to_string(row) + " differs from what the log says");
    }
}

Result<std::optional<Finding>> walk_log(Database& store, Database& fresh, const VaultId& vault_id,
                                        const std::optional<Checkpoint>& checkpoint, VerifyReport& report) {
    LogWalk walk(fresh, vault_id, checkpoint, report);
    std::optional<Finding> finding;
    auto walked = for_each_signed_event(store, [&](const SignedEvent& stored, const EventSummary& columns) -> Status {
        auto problem = BRANKAS_TRY(walk.visit(stored, columns));
        if (!problem) return {};
        finding = Finding{stored.seq, std::move(*problem)};
        return fail(ErrorCode::verification_failed, "stop");
    });
    if (finding) return finding;
    if (!walked) {
        // A malformed stored row (hash or signature of the wrong length) is a finding too.
        if (walked.error().code == ErrorCode::verification_failed)
            return std::optional<Finding>(Finding{report.events + 1, walked.error().message});
        return std::unexpected(walked.error());
    }
    return std::optional<Finding>{};
}

} // namespace

Result<VerifyReport> verify_log(Database& store, const VaultId& vault_id, const std::optional<Checkpoint>& checkpoint) {
    VerifyReport report;
    auto finish = [&](Finding f) {
        report.ok = false;
        report.bad_event = f.seq;
        report.problem = std::move(f.problem);
        return report;
    };
    if (checkpoint) {
        if (checkpoint->vault_id != vault_id) return finish({{}, "the checkpoint belongs to another vault"});
        if (!checkpoint_signature_valid(*checkpoint)) return finish({{}, "the checkpoint's signature is not valid"});
    }

    // One snapshot for everything below: a writer committing meanwhile (the enforcer timer,
    // another person) must not make the log and the tables look inconsistent.
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(store));

    // Every page authenticates (SQLCipher's HMAC) and the b-trees are sound. SQLite's own
    // report is several lines of page numbers; a person needs the one conclusion.
    std::string integrity = BRANKAS_TRY(store.query_text("PRAGMA quick_check"));
    if (integrity != "ok")
        return fail(ErrorCode::store_corrupt, "the store is corrupted or was tampered with: its pages fail SQLite's integrity check",
                    "restore store.db from a backup of this vault");

    Database fresh = BRANKAS_TRY(Database::open_memory());
    BRANKAS_TRY(apply_migrations(fresh, 0, latest_schema_version));
    if (auto finding = BRANKAS_TRY(walk_log(store, fresh, vault_id, checkpoint, report))) return finish(std::move(*finding));
    if (report.events == 0) return finish({{}, "the log is empty: the vault has no genesis event"});
    if (checkpoint && !report.checkpoint_checked)
        return finish({{}, "the log ends at event " + std::to_string(report.events) + " but the checkpoint covers event " +
                               std::to_string(checkpoint->seq) + ": the log was truncated or rolled back"});
    for (const ProjectionTable& table : projection_tables) {
        auto difference = BRANKAS_TRY(compare_table(store, fresh, table));
        if (difference) return finish({{}, "the stored " + *difference + ": it was changed outside the log"});
    }
    report.ok = true;
    return report;
}

} // namespace brankas
