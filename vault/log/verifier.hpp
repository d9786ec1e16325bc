// `audit verify`: recompute the chain, check every signature against the key the log itself
// introduced earlier, replay every event into a fresh projection and compare it with the
// stored one, and check that the log still extends a checkpoint kept outside the vault.
//
// One thread reads the log (one SQL cursor, one snapshot), hashes, decodes and replays it;
// the signatures go to worker threads in batches (signature_batches.hpp). Nothing of the log
// is held in memory beyond the batches in flight.
//
// From a checkpoint (VerifyScope::after_checkpoint), the events up to the checkpoint are only
// re-hashed, decoded and checked for order, columns and time (cheap: no signature, no
// replay), which proves the log still extends the checkpoint and tells who could sign at that
// point; every event after it then gets all of that plus its signature. The replay and the
// comparison of the tables need the whole history, so that mode does neither: it compares
// only the stored users' keys and status with what the log says.
#pragma once

#include "i18n/translate.hpp"

#include "vault/log/checkpoint.hpp"
#include "vault/log/projection.hpp"
#include "vault/store/database.hpp"

#include <functional>
#include <optional>

namespace brankas {

enum class VerifyScope {
    whole_log,        // every check on every event, then the tables
    after_checkpoint, // signatures and everything but the replay from the checkpoint on
};

struct VerifyProgress {
    std::uint64_t done = 0;  // events read so far
    std::uint64_t total = 0; // events in the log when verification started
};

struct VerifyOptions {
    std::optional<Checkpoint> checkpoint; // the log must still extend it; required after_checkpoint
    VerifyScope scope = VerifyScope::whole_log;
    unsigned threads = 0; // signature workers; 0: one per CPU
    // Called from the verifying thread every `progress_every` events and at the end.
    std::function<void(const VerifyProgress&)> progress;
    std::uint64_t progress_every = 4096; // 0 counts as 1
    // A second connection to the store, if one can be had: SQLite's integrity check of every
    // page then runs on it while the log is walked, instead of before.
    std::function<Result<Database>()> another_connection;
};

struct VerifyReport {
    bool ok = false;
    std::uint64_t events = 0;      // events whose hash, signature and replay all held
    Hash head{};                   // hash of the last good event
    std::int64_t head_time_us = 0; // its time, when the whole log verified
    PublicKey genesis_key{};       // the first admin's key: the anchor every later key hangs from
    std::optional<std::uint64_t> bad_event; // the first bad event, when one is to blame
    std::string problem;           // one sentence, when !ok, in English (`audit verify --json` keeps it)
    i18n::Phrase problem_phrase;   // the same sentence, for a face to say in its reader's language
    bool checkpoint_checked = false;
    VerifyScope scope = VerifyScope::whole_log;
    std::uint64_t signatures = 0;  // signatures that verified
    std::uint64_t first_signed = 1; // the first event whose signature was checked
    unsigned threads = 0;          // signature workers used
};

// Verification findings are in the report; the Error path is only for failing to read at all
// (or for a request that makes no sense, such as after_checkpoint without a checkpoint).
// The replay applies every event with `projection`, as the live writes did.
[[nodiscard]] Result<VerifyReport> verify_log(Database& store, const VaultId& vault_id, const Projection& projection,
                                              const VerifyOptions& options);

} // namespace brankas
