#include "vault/store_key_change.hpp"

#include "vault/keyring.hpp"

namespace brankas {

bool holds_store_key_after(const std::filesystem::path& path, std::uint32_t generation) {
    auto keyring = Keyring::load(path);
    if (!keyring) return false;
    for (const Slot& s : keyring->slots())
        if (s.store_generation > generation) return true;
    for (const StoreKeyEnvelope& e : keyring->envelopes())
        if (e.generation > generation) return true;
    return false;
}

Error store_key_changed() {
    return phrased_error(ErrorCode::busy, i18n::tr_noop("the vault's key changed while this command ran; run it again"), {});
}

} // namespace brankas
