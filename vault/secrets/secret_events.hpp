// The secrets domain's events (docs/formats.md "Actions"): a struct per action, encode() to the
// event's target and details, decode() checked field by field.
#pragma once

#include "vault/log/event.hpp"
#include "vault/log/event_fields.hpp"

#include <string>

namespace brankas {

// What secret.set and secret.pending both carry: a version's payload sealed to the unit's key
// of `key_version`.
struct SealedVersion {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::int64_t key_version = 0;
    bool has_totp = false;
    std::string reason;
    Bytes sealed;
};
[[nodiscard]] Event encode_sealed_version(std::string_view action, const SealedVersion& version);
[[nodiscard]] Result<SealedVersion> decode_sealed_version(const Event& event);
// The same fields, read from `fields` without finishing them: for an event that carries more.
[[nodiscard]] Result<SealedVersion> decode_sealed_fields(const Event& event, EventFields& fields);

// The `sealed` field: a sealed box of a secret payload, of a size such a box can have.
[[nodiscard]] Result<Bytes> sealed_secret_field(EventFields& fields);

// secret.set: a new current version.
struct SecretSet : SealedVersion {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretSet> decode(const Event& event);
};

// secret.reseal: a version (current, older or pending) sealed again to the unit's new key.
struct SecretResealed {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::int64_t key_version = 0;
    Bytes sealed;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretResealed> decode(const Event& event);
};

// Which part of a version a read showed (the `what` of secret.read).
enum class SecretPart { password, totp };
[[nodiscard]] std::string_view secret_part_name(SecretPart part) noexcept; // "password", "totp"
[[nodiscard]] std::optional<SecretPart> parse_secret_part(std::string_view name) noexcept;

// secret.read: a version was shown, for a reason; committed before it is shown. break_glass:
// shown outside every term or past another person's check-out, flagged.
struct SecretRead {
    std::int64_t account = 0;
    std::int64_t version = 0;
    SecretPart what = SecretPart::password;
    std::string reason;
    bool break_glass = false;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretRead> decode(const Event& event);
};

} // namespace brankas
