// An event body as the log table holds it, and the typed event its action decodes to. Anyone
// holding K_db can write the store, so every auditor's `audit verify` decodes bodies (and
// replays their details) someone else may have written.
#include "fuzz_target.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event.hpp"
#include "vault/secrets/secret_events.hpp"

#include <algorithm>

using namespace brankas;

namespace {

// A typed decode() that accepts an event is checked: every field once, with its type and its
// bounds, nothing more. So what it accepted, encoded again, is the event it was given.
template <typename Typed>
void typed_round_trip(const Event& event) {
    auto typed = Typed::decode(event);
    if (!typed) return;
    Event again = typed->encode();
    fuzz::require(again.action == event.action, "a typed event encodes to its own action");
    fuzz::require(again.target == event.target, "a typed event encodes to the target it was decoded from");
    fuzz::require(again.details == event.details, "a typed event encodes to the details it was decoded from");
}

void decode_typed(const Event& event) {
    const std::string_view action = event.action;
    if (action == actions::account_add) typed_round_trip<AccountAdded>(event);
    else if (action == actions::account_edit) typed_round_trip<AccountEdited>(event);
    else if (action == actions::account_archive) typed_round_trip<AccountArchived>(event);
    else if (action == actions::checkout) typed_round_trip<CheckoutTaken>(event);
    else if (action == actions::checkin) typed_round_trip<CheckoutReturned>(event);
    else if (action == actions::checkout_expire) typed_round_trip<CheckoutExpired>(event);
    else if (action == actions::secret_set) typed_round_trip<SecretSet>(event);
    else if (action == actions::unit_deactivate) typed_round_trip<UnitDeactivated>(event); // its fresh passwords
}

} // namespace

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
    decode_typed(*event);
    return 0;
}
