// An event body as the log table holds it. Anyone holding K_db can write the store, so every
// auditor's `audit verify` decodes bodies someone else may have written.
#include "fuzz_target.hpp"

#include "vault/log/event.hpp"

#include <algorithm>

using namespace brankas;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteView body = fuzz::bytes_of(data, size);
    auto event = decode_event(body);
    if (!event) {
        fuzz::require(event.error().code == ErrorCode::verification_failed, "a malformed body is a verification failure");
        return 0;
    }
    // The encoding is canonical: a body that decodes is the one encoding of its event, so a
    // hash over it can never stand for two events.
    auto again = encode_event(*event);
    fuzz::require(again.has_value(), "a decoded event encodes");
    fuzz::require(std::ranges::equal(*again, body), "a decoded event encodes to the same bytes");
    (void)chain_hash(genesis_previous_hash, body);
    for (const auto& [key, value] : event->details.fields()) {
        (void)event->details.get_text(key);
        (void)event->details.get_integer(key);
        (void)event->details.get_array<32>(key);
    }
    return 0;
}
