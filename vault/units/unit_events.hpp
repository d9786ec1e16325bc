// The units domain's events (docs/formats.md "Actions"): a sub-district and its X25519 keys.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>

namespace brankas {

inline constexpr std::size_t unit_key_sealed_size = 32 + 48; // an X25519 secret key in a sealed box
using SealedUnitKey = std::array<std::uint8_t, unit_key_sealed_size>;

// unit.add: a sub-district at key version 1.
struct UnitAdded {
    std::string unit, name;
    PublicKey public_key{};
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitAdded> decode(const Event& event);
};

// unit.key: the unit's secret key at `key_version`, sealed to one principal's box key.
struct UnitKeySealed {
    std::string unit;
    std::int64_t key_version = 0;
    std::string principal;
    SealedUnitKey sealed{};
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitKeySealed> decode(const Event& event);
};

// unit.rotate: the unit moves to its standby key (no public key), or to a fresh pair.
struct UnitRotated {
    std::string unit;
    std::int64_t key_version = 0;
    std::string reason;
    std::optional<PublicKey> public_key; // a fresh pair's; none: the standby
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitRotated> decode(const Event& event);
};

// unit.standby: the unit's next key, published ahead of need.
struct UnitStandbyPublished {
    std::string unit;
    std::int64_t key_version = 0;
    PublicKey public_key{};
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitStandbyPublished> decode(const Event& event);
};

} // namespace brankas
