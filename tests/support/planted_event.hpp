// An event planted in the log by someone who holds K_db and a signing key but skips the rules:
// what the replay must refuse (tests of the verifier and the forged replay vectors).
#pragma once

#include "vault/log/event_log.hpp"

#include <doctest/doctest.h>

namespace brankas::test {

// Appends `e` to the log as a writer who skips the projection's checks would: chained after
// the head and signed with the actor's own key, but never applied.
inline std::uint64_t plant_event(Database& db, Event e, const SigningKey& key, std::int64_t time_us) {
    auto head = read_head(db);
    REQUIRE(head);
    e.seq = head->seq + 1;
    e.time_us = time_us;
    SignedEvent row;
    row.seq = e.seq;
    row.time_us = e.time_us;
    row.body = *encode_event(e);
    row.hash = chain_hash(head->hash, row.body);
    row.signature = key.sign(event_signing_message(row.hash));
    REQUIRE(store_signed_event(db, e, row));
    return e.seq;
}

} // namespace brankas::test
