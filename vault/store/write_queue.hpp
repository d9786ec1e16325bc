// The writers of one store file inside this process, served in the order they asked.
//
// SQLite lets one connection write at a time and makes the others poll for the lock: a writer
// that finds it taken sleeps (1, 2, 5, ... up to 100 ms at a time) and tries again, and whoever
// tries at the right moment wins. Between processes (a person at the command line, the
// enforcer's timer) that is all there is, and the busy timeout bounds it. Inside one process
// with many connections to the same file (`brankas serve`: one per signed-in person) it starves
// the unlucky: twenty people checking out at once saw a check-out wait ten seconds while later
// ones went through. So a connection first queues here behind the other writers of its process,
// and asks SQLite for the lock only when its turn came; the lock it then waits for is only ever
// another process's.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

namespace brankas {

class WriteQueue {
public:
    // The queue of the file at `path` (the same file under any name: it goes by device and
    // inode), or null when it cannot be looked at (then the writer waits on SQLite's lock alone).
    [[nodiscard]] static std::shared_ptr<WriteQueue> of_file(const std::filesystem::path& path);

    // Waits until every writer that asked before has ended its turn, at most `patience`;
    // false when the turn did not come in time (the place in the queue is then given up).
    [[nodiscard]] bool wait_turn(std::chrono::milliseconds patience);
    // Ends the turn that wait_turn gave (from any thread: a transaction may move).
    void end_turn();
    // How many writers wait for their turn, not counting the one whose turn it is (tests).
    [[nodiscard]] std::uint64_t waiting() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable turn_changed_;
    std::uint64_t next_ = 0;              // the ticket the next writer takes
    std::uint64_t serving_ = 0;           // the ticket whose turn it is
    std::set<std::uint64_t> given_up_;    // tickets whose writers stopped waiting
};

} // namespace brankas
