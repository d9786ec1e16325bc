// The policies domain's event (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

// policy.set: the policy document in force from this event on. Its target is "policy"; the
// document travels as bytes, because event text fields hold no line breaks.
struct PolicySet {
    std::string document;
    // Both optional, and absent they change no byte of the event: why (`policy set --reason`),
    // and under dual control the approved request it used (`--request ID`).
    std::optional<std::string> reason = std::nullopt;
    std::optional<std::int64_t> request = std::nullopt;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<PolicySet> decode(const Event& event);
};

// What a request under dual control names when it asks to set a document: "policy/" and the
// lower-case hex of BLAKE2b-256 over the document's bytes, so the approval holds for those
// bytes and no others.
[[nodiscard]] std::string policy_document_target(std::string_view document);
[[nodiscard]] bool is_policy_document_target(std::string_view target);

} // namespace brankas
