// Typed events: each action is a struct with encode() (to the event's target and details) and
// a checked decode() beside it. decode() reads the details through EventFields: every field
// once, with its type and its bounds, and nothing the action does not list (docs/formats.md
// "Actions"). So the bytes written by an operation and the fields its applier reads are
// described in one place, and an event edited into the store cannot carry more than its action.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

// "event 12 (checkout) <why>": how the replay names an event that does not fit. `why` is a
// phrase (another error's, through phrase_of), or a literal marked with i18n::tr_noop with its
// plain values ("%s" or "%1$s" where they go).
[[nodiscard]] std::unexpected<Error> event_refused(const Event& event, i18n::Phrase why);
[[nodiscard]] std::unexpected<Error> event_refused(const Event& event, const char* why, std::vector<std::string> values = {});
// A rule's verdict `why` (the same check a live command makes) as the event's refusal, named alone
// or inside `sentence` (one "%s"). A failure to read the store on the way (I/O, a busy or damaged
// store) stays what it is: the event is not at fault when the disk is.
[[nodiscard]] std::unexpected<Error> event_refused(const Event& event, const Error& why);
[[nodiscard]] std::unexpected<Error> event_refused(const Event& event, const char* sentence, const Error& why);

class EventFields {
public:
    explicit EventFields(const Event& event) : event_(event) {}

    [[nodiscard]] Result<std::string> text(std::string_view key);
    [[nodiscard]] Result<std::optional<std::string>> optional_text(std::string_view key);
    [[nodiscard]] Result<std::int64_t> integer(std::string_view key);
    [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view key);
    // An integer that must be 0 or 1.
    [[nodiscard]] Result<bool> flag(std::string_view key);
    [[nodiscard]] Result<Bytes> bytes(std::string_view key);
    [[nodiscard]] Result<std::optional<Bytes>> optional_bytes(std::string_view key);
    template <std::size_t N>
    [[nodiscard]] Result<std::array<std::uint8_t, N>> array(std::string_view key) {
        auto b = BRANKAS_TRY(optional_array<N>(key));
        if (!b) return missing(key);
        return *b;
    }
    template <std::size_t N>
    [[nodiscard]] Result<std::optional<std::array<std::uint8_t, N>>> optional_array(std::string_view key) {
        auto b = BRANKAS_TRY(optional_bytes(key));
        if (!b) return std::optional<std::array<std::uint8_t, N>>{};
        if (b->size() != N) return event_refused(event_, i18n::tr_noop("has a '%s' field of the wrong length"), {std::string(key)});
        std::array<std::uint8_t, N> out{};
        std::copy(b->begin(), b->end(), out.begin());
        return std::optional<std::array<std::uint8_t, N>>(out);
    }
    [[nodiscard]] Result<PublicKey> public_key(std::string_view key) { return array<public_key_size>(key); }
    [[nodiscard]] bool has(std::string_view key) const { return event_.details.fields().contains(key); }

    // Every field was read: a field the action does not list is refused.
    [[nodiscard]] Status finish() const;
    // The target must be empty.
    [[nodiscard]] Status no_target() const;
    [[nodiscard]] std::unexpected<Error> refuse(const char* why, std::vector<std::string> values = {}) const {
        return event_refused(event_, why, std::move(values));
    }

private:
    [[nodiscard]] std::unexpected<Error> missing(std::string_view key) const;
    [[nodiscard]] const EventDetails::Value* take(std::string_view key);

    const Event& event_;
    std::vector<std::string_view> read_;
};

// The event's sequence number as the tables store it (the appliers' *_seq columns).
[[nodiscard]] inline std::int64_t seq_of(const Event& e) { return static_cast<std::int64_t>(e.seq); }

} // namespace brankas
