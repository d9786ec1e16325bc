// How a slot's key-derivation limits are described to people.
#pragma once

#include "vault/crypto/primitives.hpp"

#include <string>

namespace brankas::cli {

// "moderate (Argon2id, 3 passes, 256 MiB)"; the test profile is flagged as insecure.
[[nodiscard]] std::string describe_kdf(const KdfLimits& limits);

// The profile named by a --kdf option; the test profile only when the suite allows it.
[[nodiscard]] Result<KdfProfile> chosen_kdf(std::string_view name, bool allow_test);

} // namespace brankas::cli
