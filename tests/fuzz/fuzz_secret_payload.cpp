// The plaintext of an opened secret version. Opening a sealed box proves only that someone
// with the unit's public key sealed it, and every principal holds that key: the payload is
// decoded (cereal, through our bounded archives) as input from other people.
#include "fuzz_target.hpp"

#include "vault/secrets/secret_payload.hpp"

#include <algorithm>

using namespace brankas;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    ByteView plaintext = fuzz::bytes_of(data, size);
    // The seeds name account 1, version 1 (tests/fuzz/write_seeds.cpp).
    auto payload = decode_secret_payload(plaintext, 1, 1);
    if (!payload) {
        fuzz::require(payload.error().code == ErrorCode::store_corrupt || payload.error().code == ErrorCode::internal,
                      "a refused payload is corrupt (or secure memory ran out)");
        return 0;
    }
    auto again = encode_secret_payload(*payload);
    fuzz::require(again.has_value(), "a decoded payload encodes");
    fuzz::require(std::ranges::equal(again->view(), plaintext), "a decoded payload encodes to the same bytes");
    if (payload->totp) (void)totp_code(*payload->totp, 1'700'000'000);
    return 0;
}
