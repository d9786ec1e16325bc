// Rules for names a person types: principals now, more as the domain grows.
#pragma once

#include <string_view>

namespace brankas {

inline constexpr std::size_t max_principal_name = 32;
inline constexpr std::size_t max_institution_name = 200;

// Lower-case letter first, then lower-case letters, digits, '.', '_' or '-'; at most 32 bytes.
// Names are stable identifiers in the signed log, so they are kept plain and unambiguous.
[[nodiscard]] bool is_valid_principal_name(std::string_view name);

} // namespace brankas
