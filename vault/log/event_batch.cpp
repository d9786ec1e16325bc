#include "vault/log/event_batch.hpp"

#include "vault/log/event_log.hpp"

#include <algorithm>

namespace brankas {

namespace {
constexpr std::size_t prepare_size = 32; // items prepared at a time (a sealed box costs about 80 µs)
} // namespace

Result<std::unique_ptr<EventBatch>> EventBatch::begin(Database& db, const SigningKey& signer, std::int64_t now,
                                                      const Projection& projection, std::size_t count, BatchPreparation preparation) {
    LogHead head = BRANKAS_TRY(read_head(db));
    BRANKAS_TRY(check_not_before_head(head, now));
    return std::unique_ptr<EventBatch>(new EventBatch(db, signer, projection, count, head.seq + 1, head.hash, now, std::move(preparation)));
}

EventBatch::EventBatch(Database& db, const SigningKey& signer, const Projection& projection, std::size_t count,
                       std::uint64_t first_seq, Hash previous, std::int64_t time_us, BatchPreparation preparation)
    : db_(db), signer_(signer), projection_(projection), capacity_(count), chunks_((count + events_per_chunk - 1) / events_per_chunk),
      blocks_(chunks_), signed_(std::make_unique<std::atomic<bool>[]>(std::max<std::size_t>(chunks_, 1))), preparation_(std::move(preparation)),
      prepare_chunks_((preparation_.items + prepare_size - 1) / prepare_size),
      prepared_(std::make_unique<std::atomic<bool>[]>(std::max<std::size_t>(prepare_chunks_, 1))), next_seq_(first_seq),
      previous_(previous), time_us_(time_us) {
    headers_.reserve(count);
    // The caller's thread adds the events and takes pure work whenever it would wait: one
    // worker fewer than the cores keeps that thread from being crowded off its own.
    std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 9) - 1;
    for (std::size_t w = 0; w < std::min(workers, chunks_ + prepare_chunks_); ++w) threads_.emplace_back([this] { work(); });
}

EventBatch::~EventBatch() {
    stop_ = true;
    added_.fetch_or(closed_bit);
    added_.notify_all();
    for (auto& t : threads_) t.join();
}

// Claims the next chunk of items and prepares it; false when none is left.
bool EventBatch::prepare_next_chunk() {
    std::size_t c = next_prepare_.fetch_add(1);
    if (c >= prepare_chunks_) return false;
    preparation_.prepare(c * prepare_size, std::min(preparation_.items, (c + 1) * prepare_size));
    prepared_[c].store(true, std::memory_order_release);
    prepared_[c].notify_all();
    return true;
}

// Claims the next chunk of events if add() has chained all of it (or no more will come) and
// signs it; false when there is none to sign now.
bool EventBatch::sign_next_chunk() {
    std::size_t c = next_chunk_.load();
    for (;;) {
        if (c >= chunks_) return false;
        std::size_t seen = added_.load(std::memory_order_acquire);
        std::size_t added = seen & ~closed_bit;
        std::size_t first = c * events_per_chunk, end = std::min(capacity_, first + events_per_chunk);
        if (added < end) {
            if ((seen & closed_bit) == 0) return false;
            end = std::max(first, added);
        }
        if (!next_chunk_.compare_exchange_weak(c, c + 1)) continue;
        for (std::size_t i = first; i < end; ++i) {
            SignedEvent& s = event_at(i);
            s.signature = signer_.sign(event_signing_message(s.hash));
        }
        signed_[c].store(true, std::memory_order_release);
        signed_[c].notify_all();
        return true;
    }
}

void EventBatch::work() {
    while (!stop_) {
        if (prepare_next_chunk() || sign_next_chunk()) continue;
        std::size_t seen = added_.load(std::memory_order_acquire);
        if (next_chunk_.load() >= chunks_) return; // every chunk signed or being signed
        if (sign_next_chunk()) continue;           // a chunk completed since the last look
        added_.wait(seen, std::memory_order_acquire);
    }
}

void EventBatch::wait_prepared(std::size_t item) {
    std::size_t c = item / prepare_size;
    while (!prepared_[c].load(std::memory_order_acquire))
        if (!prepare_next_chunk()) prepared_[c].wait(false, std::memory_order_acquire);
}

Status EventBatch::add(Event event) {
    std::size_t i = added_.load(std::memory_order_relaxed);
    if (i >= capacity_ || (i & closed_bit) != 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("more events than the batch was begun for"), {});
    event.seq = next_seq_++;
    event.time_us = time_us_;
    if (i % events_per_chunk == 0) blocks_[i / events_per_chunk] = std::make_unique<SignedEvent[]>(events_per_chunk);
    SignedEvent& s = event_at(i);
    s.seq = event.seq;
    s.time_us = time_us_;
    s.body = BRANKAS_TRY(encode_event(event));
    s.hash = chain_hash(previous_, s.body);
    previous_ = s.hash;
    BRANKAS_TRY(projection_.apply(db_, event));
    event.details = EventDetails(); // the log's columns need the header only
    headers_.push_back(std::move(event));
    added_.store(i + 1, std::memory_order_release);
    // Wake the workers once a chunk is complete, not at every event.
    if ((i + 1) % events_per_chunk == 0) added_.notify_all();
    return {};
}

Status EventBatch::finish() {
    added_.fetch_or(closed_bit, std::memory_order_release);
    added_.notify_all();
    for (std::size_t i = 0; i < headers_.size(); ++i) {
        if (i % events_per_chunk == 0) {
            std::atomic<bool>& done = signed_[i / events_per_chunk];
            while (!done.load(std::memory_order_acquire))
                if (!sign_next_chunk()) done.wait(false, std::memory_order_acquire);
        }
        BRANKAS_TRY(store_signed_event(db_, headers_[i], event_at(i)));
    }
    return {};
}

} // namespace brankas
