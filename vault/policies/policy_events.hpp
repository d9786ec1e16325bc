// The policies domain's event (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

#include <string>

namespace brankas {

// policy.set: the policy document in force from this event on. Its target is "policy"; the
// document travels as bytes, because event text fields hold no line breaks.
struct PolicySet {
    std::string document;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<PolicySet> decode(const Event& event);
};

} // namespace brankas
