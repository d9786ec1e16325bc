// What the replay of `audit verify` keeps of its reads. Every event asks again who its actor
// is, whether they hold the unit, and where the unit stands in its terms, while almost no
// event changes any of that. On a connection that counts its writes (Database::count_writes)
// each kind of read is kept with the write counts of the tables it came from, and all of that
// kind is dropped as soon as one of those counts moves. On any other connection nothing is
// kept and every read goes to the tables. The tables named here are never written in a way
// SQLite does not report (see Database::count_writes): no DELETE without WHERE, no savepoint.
#pragma once

#include "policy/engine.hpp"
#include "policy/policy.hpp"
#include "vault/people/principals.hpp"
#include "vault/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace brankas {

template <class Value>
class CachedReads {
public:
    explicit CachedReads(std::vector<std::string_view> tables) : tables_(std::move(tables)) {}

    // The value kept under `key`, or nullptr: not kept, or its tables were written since.
    const Value* find(const Database& db, std::string_view key) {
        auto now = writes(db);
        if (!now) return nullptr;
        if (*now != at_) {
            values_.clear();
            at_ = *now;
            return nullptr;
        }
        auto it = values_.find(key);
        return it == values_.end() ? nullptr : &it->second;
    }

    // Keeps what was just read under `key` (after a find() that missed, with no write since).
    void keep(const Database& db, std::string_view key, Value value) {
        if (writes(db) != at_) return;
        values_.insert_or_assign(std::string(key), std::move(value));
    }

private:
    // The sum of the tables' counts: each only grows, so the sum moves when any of them does.
    std::optional<std::uint64_t> writes(const Database& db) const {
        std::uint64_t sum = 0;
        for (std::string_view table : tables_) {
            auto n = db.writes_to(table);
            if (!n) return std::nullopt;
            sum += *n;
        }
        return sum;
    }

    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    std::vector<std::string_view> tables_;
    std::uint64_t at_ = 0;
    std::unordered_map<std::string, Value, TextHash, std::equal_to<>> values_;
};

struct ReplayCache {
    CachedReads<bool> vault_created{{"vault"}};                            // key: ""
    CachedReads<policy::Policy> policy{{"policy"}};                         // key: ""
    CachedReads<std::optional<PrincipalKeys>> principals{{"principals"}};   // key: the name
    CachedReads<bool> grants{{"grants"}};                                   // key: grant_key()
    CachedReads<std::vector<policy::TermWindow>> term_windows{{"terms", "term_units"}}; // key: the unit

    // A principal and a unit in one key (names hold no NUL).
    static std::string grant_key(std::string_view principal, std::string_view unit) {
        std::string key(principal);
        key.push_back('\0');
        key.append(unit);
        return key;
    }
};

// The connection's kept reads; nullptr when it does not count its writes.
[[nodiscard]] ReplayCache* replay_cache(Database& db);

// Reads kept for one write of many events (an end of term: tens of thousands, each asking its
// appliers' questions again) on a connection to the store file. Begun inside the write
// transaction and ended before it commits or rolls back, so that no other process can write
// while anything is kept: the write lock (BEGIN IMMEDIATE) keeps every other writer out. What
// this connection writes meanwhile, the events the write appends and applies, moves the counts
// of the tables it touches and drops the reads kept from them (CachedReads). On a connection
// that already counts (the replay's), it leaves the counting as it is.
class ReadsKeptForWrite {
public:
    [[nodiscard]] static Result<ReadsKeptForWrite> begin(Database& db);
    ReadsKeptForWrite(ReadsKeptForWrite&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    ReadsKeptForWrite& operator=(ReadsKeptForWrite&&) = delete;
    ~ReadsKeptForWrite() {
        if (db_) db_->stop_counting_writes();
    }

private:
    explicit ReadsKeptForWrite(Database* db) : db_(db) {}
    Database* db_; // the connection whose counting this ends; null when it is not ours to end
};

} // namespace brankas
