#include "vault/recovery/recovery_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/principals.hpp"

namespace brankas {

namespace {

Bytes recovery_key_bytes(std::span<const std::uint8_t> b) { return Bytes(b.begin(), b.end()); }

} // namespace

Event RecoveryKeySplit::encode() const {
    Event e;
    e.action = std::string(actions::recovery_split);
    e.target = std::string(recovery_principal);
    e.details.bytes("signing_key", recovery_key_bytes(signing_key))
        .bytes("box_key", recovery_key_bytes(box_key))
        .integer("shares", shares)
        .integer("threshold", threshold)
        .bytes("split_id", recovery_key_bytes(split_id));
    if (slot_hash) e.details.bytes("slot_hash", recovery_key_bytes(*slot_hash));
    if (reason) e.details.text("reason", *reason);
    if (request) e.details.integer("request", *request);
    return e;
}

Result<RecoveryKeySplit> RecoveryKeySplit::decode(const Event& e) {
    EventFields f(e);
    if (e.target != recovery_principal) return f.refuse(i18n::tr_noop("names a recovery principal other than 'recovery'"));
    RecoveryKeySplit s;
    s.signing_key = BRANKAS_TRY(f.public_key("signing_key"));
    s.box_key = BRANKAS_TRY(f.public_key("box_key"));
    s.shares = BRANKAS_TRY(f.integer("shares"));
    s.threshold = BRANKAS_TRY(f.integer("threshold"));
    s.split_id = BRANKAS_TRY(f.array<split_id_size>("split_id"));
    s.slot_hash = BRANKAS_TRY(f.optional_array<hash_size>("slot_hash"));
    s.reason = BRANKAS_TRY(f.optional_text("reason"));
    s.request = BRANKAS_TRY(f.optional_integer("request"));
    if (s.request && *s.request <= 0) return f.refuse(i18n::tr_noop("names a request that cannot exist"));
    BRANKAS_TRY(f.finish());
    return s;
}

std::string recovery_split_target(std::int64_t threshold, std::int64_t shares) {
    return std::string(recovery_principal) + "/" + std::to_string(threshold) + "-of-" + std::to_string(shares);
}

std::optional<SplitShape> parse_recovery_split_target(std::string_view target) {
    // One spelling: the numbers as std::to_string writes them, so a request names a shape once.
    for (std::int64_t shares = min_recovery_shares; shares <= max_recovery_shares; ++shares)
        for (std::int64_t threshold = min_recovery_shares; threshold <= shares; ++threshold)
            if (target == recovery_split_target(threshold, shares)) return SplitShape{threshold, shares};
    return std::nullopt;
}

Event RecoveredAdmin::encode() const {
    Event e;
    e.action = std::string(enrolled ? actions::recovery_enroll : actions::recovery_reset);
    e.target = name;
    e.details.bytes("signing_key", recovery_key_bytes(signing_key)).bytes("box_key", recovery_key_bytes(box_key)).integer("expires_us", expires_us);
    if (slot_hash) e.details.bytes("slot_hash", recovery_key_bytes(*slot_hash));
    return e;
}

Result<RecoveredAdmin> RecoveredAdmin::decode(const Event& e) {
    EventFields f(e);
    RecoveredAdmin r;
    r.enrolled = e.action == actions::recovery_enroll;
    r.name = e.target;
    r.signing_key = BRANKAS_TRY(f.public_key("signing_key"));
    r.box_key = BRANKAS_TRY(f.public_key("box_key"));
    r.expires_us = BRANKAS_TRY(f.integer("expires_us"));
    r.slot_hash = BRANKAS_TRY(f.optional_array<hash_size>("slot_hash"));
    BRANKAS_TRY(f.finish());
    return r;
}

} // namespace brankas
