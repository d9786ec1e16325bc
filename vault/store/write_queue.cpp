#include "vault/store/write_queue.hpp"

#include <sys/stat.h>
#include <utility>

namespace brankas {

std::shared_ptr<WriteQueue> WriteQueue::of_file(const std::filesystem::path& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return nullptr;
    static std::mutex registry_mutex;
    static std::map<std::pair<dev_t, ino_t>, std::weak_ptr<WriteQueue>> registry;
    std::lock_guard lock(registry_mutex);
    // Queues nobody holds any more go, so that a long-running process does not collect them.
    std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
    std::weak_ptr<WriteQueue>& slot = registry[{st.st_dev, st.st_ino}];
    std::shared_ptr<WriteQueue> queue = slot.lock();
    if (!queue) {
        queue = std::make_shared<WriteQueue>();
        slot = queue;
    }
    return queue;
}

bool WriteQueue::wait_turn(std::chrono::milliseconds patience) {
    std::unique_lock lock(mutex_);
    const std::uint64_t ticket = next_++;
    if (serving_ == ticket) return true;
    std::condition_variable my_turn;
    sleeping_.emplace(ticket, &my_turn);
    const bool served = my_turn.wait_for(lock, patience, [&] { return serving_ == ticket; });
    sleeping_.erase(ticket);
    if (served) return true;
    // Not served yet (so the turn is still ahead of this ticket): whoever ends the turn before
    // it passes it by.
    given_up_.insert(ticket);
    return false;
}

void WriteQueue::end_turn() {
    std::lock_guard lock(mutex_);
    ++serving_;
    while (given_up_.erase(serving_) != 0) ++serving_;
    // Woken under the lock: the writer cannot leave (and take its condition variable with it)
    // before this call returns.
    if (auto next = sleeping_.find(serving_); next != sleeping_.end()) next->second->notify_one();
}

std::optional<WriteQueue::Turn> WriteQueue::take_turn(std::shared_ptr<Standing> standing, const char* file,
                                                     std::chrono::milliseconds patience) {
    if (!standing->queue_known) {
        if (file != nullptr && *file != '\0') standing->queue = of_file(file);
        standing->queue_known = true;
    }
    if (!standing->queue || standing->has_turn) return Turn{};
    if (!standing->queue->wait_turn(patience)) return std::nullopt;
    standing->has_turn = true;
    return Turn(std::move(standing));
}

WriteQueue::Turn& WriteQueue::Turn::operator=(Turn&& other) noexcept {
    if (this != &other) {
        Turn ended(std::move(*this));
        standing_ = std::move(other.standing_);
    }
    return *this;
}

WriteQueue::Turn::~Turn() {
    if (!standing_) return;
    standing_->has_turn = false;
    standing_->queue->end_turn();
}

std::uint64_t WriteQueue::waiting() const {
    std::lock_guard lock(mutex_);
    const std::uint64_t queued = next_ - serving_; // including the writer being served, if any
    const std::uint64_t behind = queued - given_up_.size();
    return behind == 0 ? 0 : behind - 1;
}

} // namespace brankas
