#include "web/sign_in_limiter.hpp"

#include <algorithm>

namespace brankas::web {

namespace {

std::string user_key(std::string_view user) { return "u:" + std::string(user); }
std::string address_key(std::string_view address) { return "a:" + std::string(address); }

// Until when `failures` block, counted from the last of them.
std::int64_t blocked_until(int failures, const BackOff& rule, std::int64_t last_failure_us) {
    int beyond = failures - rule.free_failures; // 1 for the first failure that costs a wait
    if (beyond <= 0) return 0;
    std::int64_t wait = rule.first_wait_us;
    for (int i = 1; i < beyond && wait < rule.longest_wait_us; ++i) wait *= 2;
    return last_failure_us + std::min(wait, rule.longest_wait_us);
}

} // namespace

std::int64_t SignInLimiter::wait_of(const std::string& key, std::int64_t now) {
    auto it = records_.find(key);
    if (it == records_.end()) return 0;
    const BackOff& rule = key.starts_with("u:") ? limits_.per_user : limits_.per_address;
    if (now - it->second.last_failure_us >= rule.forget_after_us) {
        records_.erase(it);
        return 0;
    }
    return std::max<std::int64_t>(0, it->second.blocked_until_us - now);
}

std::int64_t SignInLimiter::wait_us(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    return std::max(wait_of(user_key(user), now), wait_of(address_key(address), now));
}

void SignInLimiter::count(const std::string& key, const BackOff& rule, std::int64_t now) {
    auto it = records_.find(key);
    if (it == records_.end()) {
        make_room();
        it = records_.emplace(key, Record{}).first;
    } else if (now - it->second.last_failure_us >= rule.forget_after_us) {
        it->second = Record{};
    }
    Record& r = it->second;
    ++r.failures;
    r.last_failure_us = now;
    if (std::int64_t until = blocked_until(r.failures, rule, now); until != 0) r.blocked_until_us = until;
}

void SignInLimiter::uncount(const std::string& key, const BackOff& rule) {
    auto it = records_.find(key);
    if (it == records_.end()) return;
    Record& r = it->second;
    if (--r.failures <= 0) {
        records_.erase(it);
        return;
    }
    r.blocked_until_us = blocked_until(r.failures, rule, r.last_failure_us);
}

void SignInLimiter::failed(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    count(user_key(user), limits_.per_user, now);
    count(address_key(address), limits_.per_address, now);
}

std::int64_t SignInLimiter::reserve(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    // Checked and counted under one lock: no other try passes between the two.
    std::int64_t wait = std::max(wait_of(user_key(user), now), wait_of(address_key(address), now));
    if (wait > 0) return wait;
    count(user_key(user), limits_.per_user, now);
    count(address_key(address), limits_.per_address, now);
    return 0;
}

void SignInLimiter::succeeded(std::string_view user, std::string_view address) {
    std::lock_guard lock(mutex_);
    records_.erase(user_key(user));
    uncount(address_key(address), limits_.per_address);
}

void SignInLimiter::take_back(std::string_view user, std::string_view address) {
    std::lock_guard lock(mutex_);
    uncount(user_key(user), limits_.per_user);
    uncount(address_key(address), limits_.per_address);
}

void SignInLimiter::make_room() {
    if (records_.size() < limits_.most_tracked) return;
    auto stalest = std::min_element(records_.begin(), records_.end(),
                                    [](const auto& a, const auto& b) { return a.second.last_failure_us < b.second.last_failure_us; });
    records_.erase(stalest);
}

} // namespace brankas::web
