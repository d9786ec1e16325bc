#include "vault/events/verifier.hpp"

#include "vault/events/event_log.hpp"
#include "vault/projection.hpp"
#include "vault/store/schema.hpp"

#include <sqlcipher/sqlite3.h>

namespace brankas {

namespace {

// Internal signal: verification stopped at a finding (not an I/O failure).
struct Finding {
    std::optional<std::uint64_t> seq;
    std::string problem;
};

// Compares one projection table between the store and the replay, row by row in key order.
Result<std::optional<std::string>> compare_table(Database& stored, Database& replayed, const char* table) {
    std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY 1";
    Statement a = BRANKAS_TRY(stored.prepare(sql));
    Statement b = BRANKAS_TRY(replayed.prepare(sql));
    for (std::size_t row = 1;; ++row) {
        bool more_a = BRANKAS_TRY(a.step());
        bool more_b = BRANKAS_TRY(b.step());
        if (!more_a && !more_b) return std::optional<std::string>{};
        if (more_a != more_b)
            return std::optional<std::string>(std::string("table '") + table + "' has " +
                                              (more_a ? "rows that no event created" : "fewer rows than the log created"));
        if (a.column_count() != b.column_count())
            return std::optional<std::string>(std::string("table '") + table + "' has unexpected columns");
        for (int c = 0; c < a.column_count(); ++c) {
            bool same = a.column_type(c) == b.column_type(c);
            if (same && a.column_type(c) == SQLITE_INTEGER) same = a.column_int(c) == b.column_int(c);
            else if (same && a.column_type(c) != SQLITE_NULL) {
                auto x = a.column_raw(c);
                auto y = b.column_raw(c);
                same = std::equal(x.begin(), x.end(), y.begin(), y.end());
            }
            if (!same)
                return std::optional<std::string>(std::string("table '") + table + "' row " + std::to_string(row) +
                                                  " differs from what the log says (" + a.column_text(0) + ")");
        }
    }
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

    // Every page authenticates (SQLCipher's HMAC) and the b-trees are sound. SQLite's own
    // report is several lines of page numbers; a person needs the one conclusion.
    auto quick = BRANKAS_TRY(store.query_text("PRAGMA quick_check"));
    if (quick != "ok")
        return fail(ErrorCode::store_corrupt,
                    "the store is corrupted or was tampered with: its pages fail SQLite's integrity check",
                    "restore store.db from a backup of this vault");

    Database fresh = BRANKAS_TRY(Database::open_memory());
    BRANKAS_TRY(apply_migrations(fresh, 0, latest_schema_version));

    Hash previous = genesis_previous_hash;
    std::int64_t previous_time = 0;
    std::optional<Finding> finding;

    auto visit = [&](const SignedEvent& stored, const EventSummary& columns) -> Status {
        auto bad = [&](std::string why) -> Status {
            finding = Finding{stored.seq, std::move(why)};
            return fail(ErrorCode::verification_failed, "stop");
        };
        if (stored.seq != report.events + 1)
            return bad(stored.seq > report.events + 1 ? "events before it are missing" : "its sequence number is out of order");
        Hash computed = chain_hash(previous, stored.body);
        if (computed != stored.hash) return bad("its hash does not match its contents and the previous event (the log was altered)");
        auto event = decode_event(stored.body);
        if (!event) return bad(event.error().message);
        if (event->seq != stored.seq || event->time_us != columns.time_us || event->actor != columns.actor ||
            event->action != columns.action || event->target != columns.target)
            return bad("its listed columns disagree with its signed contents");
        if (event->time_us < previous_time) return bad("its time is earlier than the event before it");
        auto key = BRANKAS_TRY(expected_signer_key(fresh, *event));
        if (!key) return bad("it is signed by '" + event->actor + "', who is not an active principal at that point");
        if (!verify_signature(*key, event_signing_message(stored.hash), stored.signature))
            return bad("its signature does not verify with " + event->actor + "'s key");
        if (stored.seq == 1) {
            if (event->details.get_array<vault_id_size>("vault_id") != vault_id)
                return bad("it creates a different vault than the keyring belongs to");
            report.genesis_key = *key;
        }
        if (auto applied = apply_event(fresh, *event); !applied) return bad(applied.error().message);
        if (checkpoint && stored.seq == checkpoint->seq) {
            if (computed != checkpoint->head) return bad("it differs from the checkpoint taken at this point (the log was rewritten)");
            auto signer = BRANKAS_TRY(find_principal(fresh, checkpoint->signer));
            if (!signer || signer->signing_key != checkpoint->signer_key)
                return bad("the checkpoint's signer key is not " + checkpoint->signer + "'s key in the log");
            report.checkpoint_checked = true;
        }
        previous = computed;
        previous_time = event->time_us;
        report.events = stored.seq;
        report.head = computed;
        return {};
    };

    if (auto walked = for_each_signed_event(store, visit); !walked) {
        if (finding) return finish(std::move(*finding));
        return std::unexpected(walked.error());
    }
    if (report.events == 0) return finish({{}, "the log is empty: the vault has no genesis event"});
    if (checkpoint && !report.checkpoint_checked)
        return finish({{}, "the log ends at event " + std::to_string(report.events) + " but the checkpoint covers event " +
                               std::to_string(checkpoint->seq) + ": the log was truncated or rolled back"});

    for (const char* table : projection_tables) {
        auto difference = BRANKAS_TRY(compare_table(store, fresh, table));
        if (difference) return finish({{}, "the stored " + *difference + ": it was changed outside the log"});
    }
    report.ok = true;
    return report;
}

} // namespace brankas
