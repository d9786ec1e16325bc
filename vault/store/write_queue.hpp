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
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace brankas {

class WriteQueue {
public:
    // One connection's standing with the queue of its file: the queue, looked up at the
    // connection's first write (null for a database in memory, or a file that cannot be looked
    // at: the writer then waits on SQLite's lock alone), and whether the connection has its turn.
    struct Standing {
        std::shared_ptr<WriteQueue> queue;
        bool queue_known = false;
        bool has_turn = false;
    };
    class Turn;

    // The turn of the connection whose standing is `standing`, on the file `file` (null or empty:
    // in memory). A connection without a queue, or already writing, gets a Turn that holds
    // nothing at once: SQLite refuses a transaction inside another, and waiting behind itself
    // would only time out. Nothing when the turn did not come within `patience`.
    [[nodiscard]] static std::optional<Turn> take_turn(std::shared_ptr<Standing> standing, const char* file,
                                                       std::chrono::milliseconds patience);

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
    // The waiting writers, by ticket: a turn's end wakes the next writer alone, not every one
    // of them to look and sleep again (twenty writers woke nineteen times each per turn).
    std::map<std::uint64_t, std::condition_variable*> sleeping_;
    std::uint64_t next_ = 0;              // the ticket the next writer takes
    std::uint64_t serving_ = 0;           // the ticket whose turn it is
    std::set<std::uint64_t> given_up_;    // tickets whose writers stopped waiting
};

// A connection's turn in its file's queue, ended (for the next writer) when it is destroyed or
// replaced; the connection's has_turn is true meanwhile.
class WriteQueue::Turn {
public:
    Turn() = default;
    Turn(Turn&& other) noexcept = default;
    Turn& operator=(Turn&& other) noexcept;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

private:
    friend class WriteQueue;
    explicit Turn(std::shared_ptr<Standing> standing) : standing_(std::move(standing)) {}
    std::shared_ptr<Standing> standing_; // null: no turn held
};

} // namespace brankas
