#include "vault/log/event_batch.hpp"

#include "vault/log/event_log.hpp"

#include <algorithm>

namespace brankas {

namespace {
constexpr std::size_t chunk_size = 256; // events a signer takes at a time
} // namespace

Result<std::unique_ptr<EventBatch>> EventBatch::begin(Database& db, const SigningKey& signer, std::int64_t now,
                                                      const Projection& projection, std::size_t count) {
    LogHead head = BRANKAS_TRY(read_head(db));
    BRANKAS_TRY(check_not_before_head(head, now));
    return std::unique_ptr<EventBatch>(new EventBatch(db, signer, projection, count, head.seq + 1, head.hash, now));
}

EventBatch::EventBatch(Database& db, const SigningKey& signer, const Projection& projection, std::size_t count,
                       std::uint64_t first_seq, Hash previous, std::int64_t time_us)
    : db_(db), signer_(signer), projection_(projection), events_(count), chunks_((count + chunk_size - 1) / chunk_size),
      signed_(std::make_unique<std::atomic<bool>[]>(std::max<std::size_t>(chunks_, 1))), next_seq_(first_seq),
      previous_(previous), time_us_(time_us) {
    headers_.reserve(count);
    std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 9) - 1;
    for (std::size_t w = 0; w < std::min(workers, chunks_); ++w) threads_.emplace_back([this] { sign_chunks(); });
}

EventBatch::~EventBatch() {
    stop_ = true;
    added_.fetch_or(closed_bit);
    added_.notify_all();
    for (auto& t : threads_) t.join();
}

void EventBatch::sign_chunks() {
    for (;;) {
        std::size_t c = next_chunk_.fetch_add(1);
        if (c >= chunks_) return;
        std::size_t first = c * chunk_size, end = std::min(events_.size(), first + chunk_size);
        // Wait until add() has hashed the whole chunk (or there will be no more events).
        for (;;) {
            if (stop_) return;
            std::size_t seen = added_.load(std::memory_order_acquire);
            std::size_t added = seen & ~closed_bit;
            if (added >= end) break;
            if ((seen & closed_bit) != 0) {
                end = std::max(first, added);
                break;
            }
            added_.wait(seen, std::memory_order_acquire);
        }
        for (std::size_t i = first; i < end; ++i) events_[i].signature = signer_.sign(event_signing_message(events_[i].hash));
        signed_[c].store(true, std::memory_order_release);
        signed_[c].notify_all();
    }
}

Status EventBatch::add(Event event) {
    std::size_t i = added_.load(std::memory_order_relaxed);
    if (i >= events_.size() || (i & closed_bit) != 0) return fail_phrased(ErrorCode::internal, i18n::tr_noop("more events than the batch was begun for"),
                                                                          {});
    event.seq = next_seq_++;
    event.time_us = time_us_;
    SignedEvent& s = events_[i];
    s.seq = event.seq;
    s.time_us = time_us_;
    s.body = BRANKAS_TRY(encode_event(event));
    s.hash = chain_hash(previous_, s.body);
    previous_ = s.hash;
    BRANKAS_TRY(projection_.apply(db_, event));
    event.details = EventDetails(); // the log's columns need the header only
    headers_.push_back(std::move(event));
    added_.store(i + 1, std::memory_order_release);
    // Wake the signers once a chunk is complete, not at every event.
    if ((i + 1) % chunk_size == 0) added_.notify_all();
    return {};
}

Status EventBatch::finish() {
    added_.fetch_or(closed_bit, std::memory_order_release);
    added_.notify_all();
    for (std::size_t i = 0; i < headers_.size(); ++i) {
        if (i % chunk_size == 0) signed_[i / chunk_size].wait(false, std::memory_order_acquire);
        BRANKAS_TRY(store_signed_event(db_, headers_[i], events_[i]));
    }
    return {};
}

} // namespace brankas
