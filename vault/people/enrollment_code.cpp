// One-time enrollment codes: 20 symbols of Crockford's base32 (100 bits), in secure memory.
#include "vault/people/enrollment_code.hpp"

#include "vault/crypto/primitives.hpp"

namespace brankas {

namespace {

// Crockford's base32: no I, L, O or U, so a code read aloud or handwritten survives.
constexpr std::string_view code_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t code_symbols = 20; // 100 bits

std::unexpected<Error> not_a_code() {
    return fail_phrased(ErrorCode::usage, i18n::tr_noop("that is not an enrollment code"), {}, i18n::tr_noop("it looks like XXXX-XXXX-XXXX-XXXX-XXXX"));
}

} // namespace

SecretBytes new_enrollment_code() {
    SecretBytes raw(code_symbols);
    random_fill(raw.span());
    SecretBytes code(code_symbols + code_symbols / 4 - 1);
    std::size_t out = 0;
    for (std::size_t i = 0; i < code_symbols; ++i) {
        if (i > 0 && i % 4 == 0) code.data()[out++] = '-';
        code.data()[out++] = static_cast<std::uint8_t>(code_alphabet[raw.data()[i] & 31]); // 256 is a multiple of 32: uniform
    }
    return code;
}

// What the key is derived from: the 20 symbols, upper case, without separators; the usual
// misreadings (O for 0, I or L for 1) are forgiven.
Result<SecretBytes> normalized_code(std::string_view typed) {
    SecretBytes out(code_symbols);
    std::size_t n = 0;
    for (char c : typed) {
        if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (code_alphabet.find(c) == std::string_view::npos || n == code_symbols)
            return not_a_code();
        out.data()[n++] = static_cast<std::uint8_t>(c);
    }
    if (n != code_symbols) return not_a_code();
    return out;
}

} // namespace brankas
