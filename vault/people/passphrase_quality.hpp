// Every slot wraps K_db, so the weakest passphrase guards the whole store: each new passphrase
// is checked for length (NIST SP 800-63B rev. 4 asks for at least 15 characters where a
// password is the only factor) and against a dictionary of common passwords (libpwquality and
// cracklib). No composition rules: they do not make passphrases stronger.
#pragma once

#include "vault/error.hpp"

#include <string_view>

namespace brankas {

inline constexpr std::size_t default_min_passphrase_length = 15;

[[nodiscard]] Status check_new_passphrase(std::string_view passphrase, std::string_view user,
                                          std::size_t min_length = default_min_passphrase_length);

} // namespace brankas
