#include "web/session_table.hpp"

#include "web/tokens.hpp"

#include <algorithm>

namespace brankas::web {

void SignedIn::keep_reveal(Reveal reveal) {
    std::erase_if(reveals_, [&](const Reveal& r) { return r.account == reveal.account; });
    if (reveals_.size() == most_reveals) reveals_.erase(reveals_.begin());
    reveals_.push_back(std::move(reveal));
}

std::optional<Reveal> SignedIn::take_reveal(std::int64_t account) {
    auto it = std::find_if(reveals_.begin(), reveals_.end(), [&](const Reveal& r) { return r.account == account; });
    if (it == reveals_.end()) return std::nullopt;
    std::optional<Reveal> taken(std::move(*it));
    reveals_.erase(it);
    return taken;
}

bool SessionTable::Entry::expired(std::int64_t now_us) const noexcept {
    return now_us - last_seen_us >= limits.idle_us || now_us - opened_us >= limits.lifetime_us;
}

std::string SessionTable::open(Session vault, SessionLimits limits) {
    std::string cookie = new_token();
    auto person = std::make_shared<SignedIn>(std::move(vault), new_token());
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    entries_.insert_or_assign(token_key(cookie), Entry{std::move(person), now, now, limits});
    return cookie;
}

Lease SessionTable::find(std::string_view cookie) {
    if (cookie.size() != token_chars) return {};
    Hash key = token_key(cookie);
    std::shared_ptr<SignedIn> person;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end()) return {};
        std::int64_t now = clock_.now_us();
        if (it->second.expired(now)) {
            entries_.erase(it); // the last holder destroys the Session, and its keys with it
            return {};
        }
        it->second.last_seen_us = now;
        person = it->second.person;
    }
    // Waited for outside the table's lock: one person's slow request holds up nobody else.
    std::unique_lock use(person->use);
    return Lease(std::move(person), std::move(use));
}

void SessionTable::close(std::string_view cookie) {
    if (cookie.size() != token_chars) return;
    std::lock_guard lock(mutex_);
    entries_.erase(token_key(cookie));
}

std::size_t SessionTable::close_others(std::string_view user, std::string_view keep) {
    const std::optional<Hash> kept = keep.size() == token_chars ? std::optional(token_key(keep)) : std::nullopt;
    std::lock_guard lock(mutex_);
    // A Session's user never changes once it is open: read without its lease.
    return std::erase_if(entries_, [&](const auto& item) { return item.second.person->vault.user() == user && item.first != kept; });
}

std::size_t SessionTable::sweep() {
    std::int64_t now = clock_.now_us();
    std::lock_guard lock(mutex_);
    return std::erase_if(entries_, [now](const auto& item) { return item.second.expired(now); });
}

std::size_t SessionTable::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

} // namespace brankas::web
