// Events: the audit log is the source of truth. An event is encoded canonically (one byte
// string for one event, docs/formats.md "Event body"), chained with BLAKE2b-256 and signed by
// its actor with Ed25519.
#pragma once

#include "vault/crypto/primitives.hpp"
#include "vault/encoding.hpp"
#include "vault/error.hpp"

#include <map>
#include <string>
#include <variant>

namespace brankas {

// Typed key/value details of an event. Keys are kept sorted, so the encoding is canonical.
class EventDetails {
public:
    using Value = std::variant<std::string, std::int64_t, Bytes>;

    EventDetails& text(std::string key, std::string value);
    EventDetails& integer(std::string key, std::int64_t value);
    EventDetails& bytes(std::string key, Bytes value);

    [[nodiscard]] std::optional<std::string> get_text(std::string_view key) const;
    [[nodiscard]] std::optional<std::int64_t> get_integer(std::string_view key) const;
    [[nodiscard]] std::optional<Bytes> get_bytes(std::string_view key) const;
    template <std::size_t N>
    [[nodiscard]] std::optional<std::array<std::uint8_t, N>> get_array(std::string_view key) const {
        auto b = get_bytes(key);
        if (!b || b->size() != N) return std::nullopt;
        std::array<std::uint8_t, N> out{};
        std::copy(b->begin(), b->end(), out.begin());
        return out;
    }
    [[nodiscard]] const std::map<std::string, Value, std::less<>>& fields() const noexcept { return fields_; }
    friend bool operator==(const EventDetails&, const EventDetails&) = default;

private:
    std::map<std::string, Value, std::less<>> fields_;
};

struct Event {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0; // Unix time in microseconds, UTC
    std::string actor;        // principal name
    std::string action;       // e.g. "vault.create"
    std::string target;       // what the action is about; may be empty
    EventDetails details;
    friend bool operator==(const Event&, const Event&) = default;
};

inline constexpr std::uint8_t event_body_version = 1;
inline constexpr std::size_t max_event_body = 1 << 20; // bulky data lives in content-addressed blobs

// Canonical bytes of an event. Fails on out-of-range fields (names too long, bad keys).
[[nodiscard]] Result<Bytes> encode_event(const Event& event);
// Strict decoder: every length bounded, keys strictly ascending, no trailing bytes.
[[nodiscard]] Result<Event> decode_event(ByteView body);

// hash_n = BLAKE2b-256(hash_{n-1} || body_n); the genesis event chains from 32 zero bytes.
[[nodiscard]] Hash chain_hash(const Hash& previous, ByteView body);
inline constexpr Hash genesis_previous_hash{};

// The message an actor signs: a context label, so an event signature can never be replayed
// as a checkpoint signature (or anything else signed with the same key), then the hash.
[[nodiscard]] Bytes event_signing_message(const Hash& hash);

// A stored, signed event: what the log table holds.
struct SignedEvent {
    std::uint64_t seq = 0;
    std::int64_t time_us = 0;
    Bytes body;
    Hash hash{};
    Signature signature{};
};

} // namespace brankas
