// What every fuzz target shares: libsodium started once, and a property that must hold (a
// failure aborts, which libFuzzer records as a finding with the input that caused it).
#pragma once

#include "vault/crypto/bytes.hpp"
#include "vault/crypto/primitives.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace brankas::fuzz {

inline void require(bool holds, const char* property) {
    if (holds) return;
    std::fprintf(stderr, "fuzz: property failed: %s\n", property);
    std::abort();
}

inline void start_crypto() {
    static const bool started = initialize_crypto().has_value();
    require(started, "libsodium starts");
}

inline ByteView bytes_of(const std::uint8_t* data, std::size_t size) { return {data, size}; }
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace brankas::fuzz
