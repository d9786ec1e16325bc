// A form as a browser posts it (application/x-www-form-urlencoded), held in secure memory: the
// sign-in form carries a passphrase, so the whole body is read into SecretBytes and decoded
// there, and only the fields a page asks for as text leave it.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas::web {

// Every form of the browser face is a few fields, each stopped by the browser at a maxlength. The
// largest filled to every maxlength with letters of 3 bytes (Javanese, Chinese), which a browser
// percent-encodes as 9, is a new password's (1024 + 1024 + 1000 characters: about 27.5 KB): the
// limit leaves room above it, so a form a browser lets a person fill is always read and answered
// with the vault's sentence, never 413 (tests/web/form_limits_test.py checks every template).
inline constexpr std::size_t max_form_bytes = 32 * 1024;

class Form {
public:
    // Decodes `body` (the raw bytes as they came); a malformed body is ErrorCode::usage.
    [[nodiscard]] static Result<Form> parse(const SecretBytes& body);

    // A field that is no secret (a name, a reason, a token), or nullopt when absent.
    [[nodiscard]] std::optional<std::string> text(std::string_view name) const;
    // A secret field (a passphrase), copied into secure memory of its own.
    [[nodiscard]] std::optional<SecretBytes> secret(std::string_view name) const;

private:
    struct Field {
        std::string name;
        std::size_t offset = 0, size = 0; // of the value, in decoded_
    };
    [[nodiscard]] const Field* find(std::string_view name) const;
    SecretBytes decoded_;
    std::vector<Field> fields_;
};

} // namespace brankas::web
