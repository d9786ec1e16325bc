// Appending to the log and reading it back. Appending always happens inside the caller's
// BEGIN IMMEDIATE transaction, together with the projection's apply (log/projection.hpp).
#pragma once

#include "vault/log/event.hpp"
#include "vault/log/projection.hpp"
#include "vault/store/database.hpp"

#include <functional>

namespace brankas {

struct LogHead {
    std::uint64_t seq = 0; // 0: empty log
    Hash hash = genesis_previous_hash;
    std::int64_t time_us = 0;
};

[[nodiscard]] Result<LogHead> read_head(Database& db);

// Fills in seq and the time `now_us` (read once by the operation that decided), refuses a time
// earlier than the last event's, encodes, chains, signs, stores the event and applies it to the
// projection. Must run inside a write transaction.
[[nodiscard]] Result<SignedEvent> append_event(Database& db, Event event, const SigningKey& signer, std::int64_t now_us,
                                               const Projection& projection);
// Time never runs backwards: a clock set back must not reopen a closed window.
[[nodiscard]] Status check_not_before_head(const LogHead& head, std::int64_t now_us);
// Stores one row of the log: the event's listed columns, its body, hash and signature (no
// check, no projection: append_event and EventBatch do those).
[[nodiscard]] Status store_signed_event(Database& db, const Event& event, const SignedEvent& signed_event);

// A row of the log as listed for people (the body's fields, already in columns).
struct EventSummary {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    std::string actor, action, target;
};
// Streams the log in order; the callback returns false to stop.
[[nodiscard]] Status for_each_event(Database& db, const std::function<bool(const EventSummary&)>& visit);

// Streams the stored signed events in order (for verification).
[[nodiscard]] Status for_each_signed_event(Database& db, const std::function<Status(const SignedEvent&, const EventSummary&)>& visit);

} // namespace brankas
