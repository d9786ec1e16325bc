// The secrets domain's events (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

#include <string>

namespace brankas {

// secret.set: a new current version, sealed to the unit's key of `key_version`.
struct SecretSet {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::int64_t key_version = 0;
    bool has_totp = false;
    std::string reason;
    Bytes sealed;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretSet> decode(const Event& event);
};

} // namespace brankas
