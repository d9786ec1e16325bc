// One-time enrollment codes: what `user add` and the recovery quorum hand to a person, who
// replaces it with their own passphrase (vault/ops/people.cpp).
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <string_view>

namespace brankas {

// A fresh code, e.g. ABCD-EFGH-JKMN-PQRS-TVWX (100 bits), in secure memory.
[[nodiscard]] SecretBytes new_enrollment_code();
// What a slot's key is derived from: the 20 symbols, upper case, without separators.
[[nodiscard]] Result<SecretBytes> normalized_code(std::string_view typed);

} // namespace brankas
