// Ed25519 verification of event signatures on worker threads, in batches, while the thread
// that reads, hashes and replays the log goes on with the next events. Checking a signature
// costs far more than anything else `audit verify` does per event, and each one depends only on
// its event's hash and the signer's key (which the reader has already worked out), so they
// can be checked in any order. The queue is bounded: the reader waits when the workers fall
// behind, so a long log never piles up in memory.
#pragma once

#include "vault/crypto/primitives.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace brankas {

class SignatureBatches {
public:
    // The first event whose signature does not verify, and the hash of the event before it.
    struct Failure {
        std::uint64_t seq = 0;
        Hash previous{};
    };

    // `threads` workers (at least one is started; if none can be, add() verifies itself).
    explicit SignatureBatches(unsigned threads);
    SignatureBatches(const SignatureBatches&) = delete;
    SignatureBatches& operator=(const SignatureBatches&) = delete;
    ~SignatureBatches();

    // Queues one event's signature over `hash` (the message is the event signing message).
    void add(std::uint64_t seq, const Hash& hash, const Hash& previous, const Signature& signature, const PublicKey& key);
    // Whether a failure was found already (the reader may stop early).
    [[nodiscard]] bool failed() const;
    // Waits until every queued signature is checked; the lowest failing event, if any.
    [[nodiscard]] std::optional<Failure> finish();
    [[nodiscard]] unsigned workers() const noexcept { return static_cast<unsigned>(workers_.size()); }

private:
    struct Item {
        std::uint64_t seq;
        Hash hash, previous;
        Signature signature;
        PublicKey key;
    };
    using Batch = std::vector<Item>;
    static constexpr std::size_t batch_size = 256;

    void work();
    void check(const Batch& batch);
    void submit(Batch batch);

    mutable std::mutex mutex_;
    std::condition_variable has_work_, has_room_, idle_;
    std::deque<Batch> queue_;
    std::size_t max_queued_ = 0;
    std::size_t busy_ = 0; // batches taken by a worker and not yet done
    bool closing_ = false;
    std::optional<Failure> failure_;
    Batch filling_;
    std::vector<std::thread> workers_;
};

} // namespace brankas
