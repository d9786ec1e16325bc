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

const BackOff& SignInLimiter::rule_of(const std::string& key) const {
    return key.starts_with("u:") ? limits_.per_user : limits_.per_address;
}

std::int64_t SignInLimiter::wait_of(const std::string& key, std::int64_t now) {
    auto it = records_.find(key);
    if (it == records_.end()) return 0;
    const BackOff& rule = rule_of(key);
    Record& r = it->second;
    if (r.in_flight == 0 && now - r.last_failure_us >= rule.forget_after_us) {
        records_.erase(it);
        return 0;
    }
    std::int64_t wait = std::max<std::int64_t>(0, r.blocked_until_us - now);
    // The tries still in flight, as if each had just failed.
    if (r.in_flight > 0) wait = std::max(wait, blocked_until(r.failures + r.in_flight, rule, now) - now);
    return wait;
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
        it->second = Record{0, it->second.in_flight, 0, 0};
    }
    Record& r = it->second;
    ++r.failures;
    r.last_failure_us = now;
    if (std::int64_t until = blocked_until(r.failures, rule, now); until != 0) r.blocked_until_us = until;
}

void SignInLimiter::land(const std::string& key) {
    auto it = records_.find(key);
    if (it == records_.end()) return; // forgotten meanwhile (make_room)
    Record& r = it->second;
    if (r.in_flight > 0) --r.in_flight;
    if (r.in_flight == 0 && r.failures == 0) records_.erase(it);
}

// One name's failures count toward its address's total only as long as they are the name's free
// ones: past them the name's own back-off slows it down, and a person who cannot sign in (a
// damaged keyring slot, a forgotten passphrase) retrying alone does not push everyone behind the
// office's NAT into the address's waits. Guessing many names is still counted, up to the
// name's free tries for each; every name is counted alike, so the rule tells no name that
// exists from one that does not.
void SignInLimiter::count_failure(std::string_view user, std::string_view address, std::int64_t now) {
    const std::string u = user_key(user);
    count(u, limits_.per_user, now);
    if (records_.at(u).failures <= limits_.per_user.free_failures) count(address_key(address), limits_.per_address, now);
}

void SignInLimiter::failed(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    count_failure(user, address, now);
}

std::int64_t SignInLimiter::reserve(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    // Checked and reserved under one lock: no other try passes between the two.
    std::int64_t wait = std::max(wait_of(user_key(user), now), wait_of(address_key(address), now));
    if (wait > 0) return wait;
    for (const std::string& key : {user_key(user), address_key(address)}) {
        auto it = records_.find(key);
        if (it == records_.end()) {
            make_room();
            it = records_.emplace(key, Record{}).first;
        }
        ++it->second.in_flight;
    }
    return 0;
}

void SignInLimiter::wrong(std::string_view user, std::string_view address) {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    land(user_key(user));
    land(address_key(address));
    count_failure(user, address, now);
}

void SignInLimiter::succeeded(std::string_view user, std::string_view address) {
    std::lock_guard lock(mutex_);
    const std::string u = user_key(user);
    land(u);
    if (auto it = records_.find(u); it != records_.end()) {
        it->second = Record{0, it->second.in_flight, 0, 0};
        if (it->second.in_flight == 0) records_.erase(it);
    }
    land(address_key(address));
}

void SignInLimiter::take_back(std::string_view user, std::string_view address) {
    std::lock_guard lock(mutex_);
    land(user_key(user));
    land(address_key(address));
}

void SignInLimiter::make_room() {
    if (records_.size() < limits_.most_tracked) return;
    // The stalest entry with no try in flight (a try being made keeps its entry to end in).
    auto stalest = std::min_element(records_.begin(), records_.end(), [](const auto& a, const auto& b) {
        return std::pair(a.second.in_flight > 0, a.second.last_failure_us) < std::pair(b.second.in_flight > 0, b.second.last_failure_us);
    });
    records_.erase(stalest);
}

} // namespace brankas::web
