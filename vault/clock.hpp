// The one place time comes from. Production reads the system clock; tests inject a fixed one.
// No option or variable moves the clock for real writes.
#pragma once

#include <chrono>
#include <cstdint>

namespace brankas {

class Clock {
public:
    virtual ~Clock() = default;
    // Unix time in microseconds, UTC.
    [[nodiscard]] virtual std::int64_t now_us() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] std::int64_t now_us() const override {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(std::int64_t now_us) : now_(now_us) {}
    [[nodiscard]] std::int64_t now_us() const override { return now_; }
    void set(std::int64_t now_us) { now_ = now_us; }
    void advance_seconds(std::int64_t s) { now_ += s * 1'000'000; }

private:
    std::int64_t now_;
};

} // namespace brankas
