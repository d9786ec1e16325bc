// The keyring file: whoever can write the vault directory can put any bytes there, and they are
// parsed before any slot is opened.
#include "fuzz_target.hpp"

#include "vault/keyring.hpp"

#include <algorithm>

using namespace brankas;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    ByteView file = fuzz::bytes_of(data, size);
    auto keyring = Keyring::parse(file);
    if (!keyring) {
        fuzz::require(!keyring.error().message.empty(), "a refused keyring says why");
        return 0;
    }
    // The format has one encoding: what parsed writes back byte for byte.
    fuzz::require(std::ranges::equal(keyring->serialize(), file), "a parsed keyring serializes to the same bytes");
    for (const Slot& slot : keyring->slots()) {
        for (const StoreKeyEnvelope* e : keyring->envelopes_for(slot.id)) fuzz::require(e->slot == slot.id, "an envelope found for a slot is that slot's");
        fuzz::require(!keyring->associated_data(slot).empty(), "every slot has associated data");
    }
    return 0;
}
