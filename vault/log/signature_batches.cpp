#include "vault/log/signature_batches.hpp"

#include "vault/log/event.hpp"

#include <algorithm>
#include <system_error>

namespace brankas {

SignatureBatches::SignatureBatches(unsigned threads) {
    threads = std::max(threads, 1u);
    // A few batches per worker keep every worker fed while the reader prepares the next one.
    max_queued_ = 4 * static_cast<std::size_t>(threads);
    filling_.reserve(batch_size);
    for (unsigned i = 0; i < threads; ++i) {
        try {
            workers_.emplace_back([this] { work(); });
        } catch (const std::system_error&) {
            break; // no more threads to be had: fewer workers (or none: add() checks inline)
        }
    }
}

SignatureBatches::~SignatureBatches() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        queue_.clear();
    }
    has_work_.notify_all();
    for (auto& t : workers_) t.join();
}

void SignatureBatches::add(std::uint64_t seq, const Hash& hash, const Hash& previous, const Signature& signature,
                           const PublicKey& key) {
    filling_.push_back(Item{seq, hash, previous, signature, key});
    if (filling_.size() < batch_size) return;
    Batch full;
    full.reserve(batch_size);
    std::swap(full, filling_);
    submit(std::move(full));
}

void SignatureBatches::submit(Batch batch) {
    if (batch.empty()) return;
    if (workers_.empty()) {
        check(batch);
        return;
    }
    std::unique_lock lock(mutex_);
    has_room_.wait(lock, [&] { return queue_.size() < max_queued_; });
    queue_.push_back(std::move(batch));
    lock.unlock();
    has_work_.notify_one();
}

bool SignatureBatches::failed() const {
    std::lock_guard lock(mutex_);
    return failure_.has_value();
}

std::optional<SignatureBatches::Failure> SignatureBatches::finish() {
    submit(std::exchange(filling_, Batch{}));
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && busy_ == 0; });
    return failure_;
}

void SignatureBatches::work() {
    for (;;) {
        std::unique_lock lock(mutex_);
        has_work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return; // closing
        Batch batch = std::move(queue_.front());
        queue_.pop_front();
        ++busy_;
        lock.unlock();
        has_room_.notify_one();

        check(batch);

        lock.lock();
        --busy_;
        bool done = queue_.empty() && busy_ == 0;
        lock.unlock();
        if (done) idle_.notify_all();
    }
}

void SignatureBatches::check(const Batch& batch) {
    for (const Item& item : batch) {
        // The same message and the same libsodium call as a live write's check.
        if (verify_signature(item.key, event_signing_message(item.hash), item.signature)) continue;
        std::lock_guard lock(mutex_);
        if (!failure_ || item.seq < failure_->seq) failure_ = Failure{item.seq, item.previous};
        return; // the rest of this batch comes later in the log
    }
}

} // namespace brankas
