// The check-out lengths a form offers and how people say them: the check-out form, the
// break-glass form and a request under dual control show them alike.
#pragma once

#include "policy/policy.hpp"
#include "web/translate.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace brankas::web {

// The policy's default, and common lengths up to its maximum, shortest first.
[[nodiscard]] std::vector<std::int64_t> duration_choices(const policy::Policy& policy);
// "2 jam", "2 hours"; a length no form offers as the policy writes it ("90m").
[[nodiscard]] std::string duration_label(const Translator& t, std::int64_t us);

} // namespace brankas::web
