// Appending many events by one signer inside the caller's write transaction (an import of
// thousands of accounts, an end of term), with exactly the bytes append_event would give them
// one by one.
#pragma once

#include "vault/log/event.hpp"
#include "vault/log/projection.hpp"
#include "vault/store/database.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace brankas {

// Pure work the caller needs done before it can add some of its events (sealing the payloads
// they carry): items [first, end) at a time, on any thread, in any order. It must touch only
// those items' own state and must not throw.
struct BatchPreparation {
    std::size_t items = 0;
    std::function<void(std::size_t first, std::size_t end)> prepare;
};

// An event's body and chain hash depend on the events before it, so add() computes them in
// order (a few µs) and applies the event to the projection at once: that is the one thread
// the batch cannot share. Everything else is pure work, which one pool of worker threads (one
// fewer than the cores: the caller's thread is the last) takes in this order of need: the
// preparation, ahead of the caller, then the Ed25519 signatures (26-35 µs each, depending on
// the event's hash alone), behind it. The caller never waits while there is pure work left:
// wait_prepared() and finish() do it on the caller's thread. finish() stores the signed
// events in the log. Nothing is visible outside the caller's transaction until it commits;
// on any error it must be rolled back.
class EventBatch {
public:
    // Reads the log's head (every event gets the time `now_us`, never earlier than the last
    // event's) and starts the workers. At most `count` events may be added.
    [[nodiscard]] static Result<std::unique_ptr<EventBatch>> begin(Database& db, const SigningKey& signer, std::int64_t now_us,
                                                                   const Projection& projection, std::size_t count,
                                                                   BatchPreparation preparation = {});
    EventBatch(const EventBatch&) = delete;
    EventBatch& operator=(const EventBatch&) = delete;
    ~EventBatch();

    // Returns once the preparation of `item` is done (doing later items meanwhile).
    void wait_prepared(std::size_t item);
    // Sets the event's seq and time, encodes and chains it, applies it to the projection. The
    // actor must be the signer's name.
    [[nodiscard]] Status add(Event event);
    // Waits for every signature (signing what is left on this thread) and stores the events in
    // the log, in order.
    [[nodiscard]] Status finish();

private:
    EventBatch(Database& db, const SigningKey& signer, const Projection& projection, std::size_t count, std::uint64_t first_seq,
               Hash previous, std::int64_t time_us, BatchPreparation preparation);
    void work();
    bool prepare_next_chunk();
    bool sign_next_chunk();

    Database& db_;
    const SigningKey& signer_;
    const Projection& projection_;
    SignedEvent& event_at(std::size_t i) { return blocks_[i / events_per_chunk][i % events_per_chunk]; }

    // The events, a block per signature chunk, each allocated by add() when its first event
    // comes: `count` is an upper bound (an end of term counts each account's events at most),
    // and touching memory for events that never come cost more than a thousand page faults.
    // Sized once: signers read a block once added_ covers it, while add() fills in later ones.
    static constexpr std::size_t events_per_chunk = 256; // events signed at a time
    std::size_t capacity_;
    std::size_t chunks_;
    std::vector<std::unique_ptr<SignedEvent[]>> blocks_;
    std::vector<Event> headers_; // seq, time, actor, action and target of each, for the log's columns
    std::unique_ptr<std::atomic<bool>[]> signed_; // per chunk
    // How many events were added, with closed_bit set once no more will be (then a partial last
    // chunk may be signed). One atomic, so that a worker waiting on it wakes for either.
    static constexpr std::size_t closed_bit = std::size_t{1} << (sizeof(std::size_t) * 8 - 1);
    std::atomic<std::size_t> added_{0};
    std::atomic<std::size_t> next_chunk_{0}; // the next chunk to sign
    BatchPreparation preparation_;
    std::size_t prepare_chunks_;
    std::unique_ptr<std::atomic<bool>[]> prepared_; // per chunk of items
    std::atomic<std::size_t> next_prepare_{0};
    std::atomic<bool> stop_{false};
    std::uint64_t next_seq_;
    Hash previous_;
    std::int64_t time_us_;
    std::vector<std::thread> threads_;
};

} // namespace brankas
