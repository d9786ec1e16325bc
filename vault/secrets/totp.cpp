#include "vault/secrets/totp.hpp"

#include "vault/encoding.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <charconv>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace brankas {

namespace {

// No message below quotes the input: a seed pasted into the wrong place (a digits value, a
// label) would otherwise end up on the terminal or in a log.
constexpr const char* seed_hint = i18n::tr_noop("give the otpauth://totp/ URI or the base32 seed from the service's setup page");

constexpr std::uint8_t min_digits = 6; // RFC 4226 asks for at least 6; liboath stops at 8
constexpr std::uint8_t max_digits = 8;
constexpr std::uint32_t max_period = 300;

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::uint8_t to_lower(std::uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c - 'A' + 'a') : c; }

// Spaces and line ends around the text, and a UTF-8 byte order mark (EF BB BF, U+FEFF) before it:
// Windows Notepad begins a file with one, no one typed it, and a seed or a URI is ASCII.
ByteView trim(ByteView text) {
    text = without_bom(text);
    while (!text.empty() && is_space(text.front())) text = text.subspan(1);
    while (!text.empty() && is_space(text.back())) text = text.first(text.size() - 1);
    return text;
}

bool starts_with_ignoring_case(ByteView text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (to_lower(text[i]) != to_lower(static_cast<std::uint8_t>(prefix[i]))) return false;
    return true;
}

bool equals_ignoring_case(ByteView text, std::string_view word) {
    return text.size() == word.size() && starts_with_ignoring_case(text, word);
}

// RFC 4648 base32 alphabet, either case; -1 for anything else.
int base32_value(std::uint8_t c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

// Decodes a base32 seed straight into secure memory. (liboath's oath_base32_decode is not
// used: it copies its input into a plain malloc'd buffer, upper-cased, and frees it without
// wiping, which would leave the seed in freed heap memory.) Spaces are ignored anywhere and
// '=' padding is optional but, when present, must complete the last 8-character group.
Result<SecretBytes> decode_base32_seed(ByteView text) {
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (std::uint8_t c : text) {
        if (c == ' ') continue;
        if (c == '=') {
            ++padding;
        } else if (padding > 0 || base32_value(c) < 0) {
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TOTP seed is not valid base32 (letters A-Z and digits 2-7)"), {}, seed_hint);
        } else {
            ++symbols;
        }
    }
    if (symbols == 0) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TOTP seed is empty"), {}, seed_hint);
    // 8 symbols carry 5 bytes; a final group of 1, 3 or 6 symbols cannot end on a byte.
    const std::size_t tail = symbols % 8;
    if (tail == 1 || tail == 3 || tail == 6 || (padding > 0 && (symbols + padding) % 8 != 0))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TOTP seed is not valid base32 (its length or '=' padding is wrong)"), {}, seed_hint);
    const std::size_t key_size = symbols * 5 / 8;
    if (key_size > max_totp_key)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TOTP key is longer than %s bytes"), {std::to_string(max_totp_key)});
    if (key_size < min_totp_key)
        return fail_phrased(ErrorCode::usage,
                            i18n::tr_noop("the TOTP key is too short: a seed has at least %s bytes (80 bits)"), {std::to_string(min_totp_key)},
                            i18n::tr_noop("copy the whole seed (16 or more base32 letters) from the service's setup page"));

    SecretBytes key(key_size);
    std::uint32_t bits = 0; // pending bits, right-aligned
    unsigned pending = 0;   // how many of them
    std::size_t out = 0;
    for (std::uint8_t c : text) {
        if (c == ' ' || c == '=') continue;
        bits = (bits << 5) | static_cast<std::uint32_t>(base32_value(c));
        pending += 5;
        if (pending >= 8) {
            pending -= 8;
            key.data()[out++] = static_cast<std::uint8_t>(bits >> pending);
            bits &= (1u << pending) - 1;
        }
    }
    // Leftover bits (fewer than 8) are the encoder's zero fill; like most decoders, ignore them.
    sodium_memzero(&bits, sizeof bits);
    return key;
}

int hex_value(std::uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    const std::uint8_t l = to_lower(c);
    if (l >= 'a' && l <= 'f') return l - 'a' + 10;
    return -1;
}

// Percent-decodes a query value into `out` (at least in.size() bytes); '+' is a space, as in
// form encoding, which some generators use. The decoded length, or nothing for a broken escape.
std::optional<std::size_t> percent_decode(ByteView in, std::uint8_t* out) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            if (i + 2 >= in.size()) return std::nullopt; // a '%' needs two hex digits after it
            const int hi = hex_value(in[i + 1]);
            const int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out[n++] = static_cast<std::uint8_t>(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = in[i] == '+' ? std::uint8_t{' '} : in[i];
        }
    }
    return n;
}

// A decoded parameter that is not secret (digits, period, algorithm).
std::optional<std::string> decode_public_value(ByteView in) {
    std::string s(in.size(), '\0');
    auto n = percent_decode(in, reinterpret_cast<std::uint8_t*>(s.data()));
    if (!n) return std::nullopt;
    s.resize(*n);
    return s;
}

// A whole decimal number in [min, max]; nothing otherwise (no sign, no spaces).
template <typename T>
std::optional<T> parse_number(std::string_view s, T min, T max) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<TotpAlgorithm> parse_algorithm(std::string_view s) {
    const ByteView b = as_bytes(s);
    if (equals_ignoring_case(b, "SHA1")) return TotpAlgorithm::sha1;
    if (equals_ignoring_case(b, "SHA256")) return TotpAlgorithm::sha256;
    if (equals_ignoring_case(b, "SHA512")) return TotpAlgorithm::sha512;
    return std::nullopt;
}

Result<SecretBytes> decode_secret_parameter(ByteView value) {
    // The percent-decoded text is still the seed: keep it in secure memory too.
    SecretBytes text(value.size());
    auto n = percent_decode(value, text.data());
    if (!n) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI has a broken %%-escape in its secret"), {}, seed_hint);
    text.truncate(*n);
    return decode_base32_seed(text.view());
}

// otpauth://totp/LABEL?PARAMETERS (the Google Authenticator key-URI format). `uri` is trimmed
// and starts with "otpauth:".
Result<TotpSeed> parse_otpauth_uri(ByteView uri) {
    constexpr std::string_view scheme = "otpauth://";
    if (!starts_with_ignoring_case(uri, scheme))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI does not start with otpauth://"), {}, seed_hint);
    const ByteView rest = uri.subspan(scheme.size());
    if (starts_with_ignoring_case(rest, "hotp"))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("HOTP (counter-based) seeds are not supported, only TOTP (time-based)"), {});
    if (!starts_with_ignoring_case(rest, "totp/"))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI is not of the form otpauth://totp/LABEL?secret=..."), {}, seed_hint);

    // The label (which may hold an escaped '?') ends at the first literal '?'.
    std::size_t query_start = 0;
    while (query_start < rest.size() && rest[query_start] != '?') ++query_start;
    ByteView query = query_start < rest.size() ? rest.subspan(query_start + 1) : ByteView{};

    TotpSeed seed;
    bool have_secret = false, have_digits = false, have_period = false, have_algorithm = false;
    // A repeated parameter is refused rather than guessed at: which secret was meant?
    auto first_time = [](bool& seen) { return !std::exchange(seen, true); };
    while (!query.empty()) {
        std::size_t end = 0;
        while (end < query.size() && query[end] != '&') ++end;
        const ByteView parameter = query.first(end);
        query = end < query.size() ? query.subspan(end + 1) : ByteView{};

        std::size_t eq = 0;
        while (eq < parameter.size() && parameter[eq] != '=') ++eq;
        const ByteView name = parameter.first(eq);
        const ByteView value = eq < parameter.size() ? parameter.subspan(eq + 1) : ByteView{};

        if (equals_ignoring_case(name, "secret")) {
            if (!first_time(have_secret)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI gives its secret twice"), {});
            seed.key = BRANKAS_TRY(decode_secret_parameter(value));
        } else if (equals_ignoring_case(name, "digits")) {
            if (!first_time(have_digits)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI gives digits twice"), {});
            auto text = decode_public_value(value);
            auto digits = text ? parse_number<std::uint8_t>(*text, min_digits, max_digits) : std::nullopt;
            if (!digits) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI has digits outside 6 to 8"), {});
            seed.digits = *digits;
        } else if (equals_ignoring_case(name, "period")) {
            if (!first_time(have_period)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI gives period twice"), {});
            auto text = decode_public_value(value);
            auto period = text ? parse_number<std::uint32_t>(*text, 1, max_period) : std::nullopt;
            if (!period) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI has a period outside 1 to 300 seconds"), {});
            seed.period = *period;
        } else if (equals_ignoring_case(name, "algorithm")) {
            if (!first_time(have_algorithm)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI gives algorithm twice"), {});
            auto text = decode_public_value(value);
            auto algorithm = text ? parse_algorithm(*text) : std::nullopt;
            if (!algorithm)
                return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI has an unknown algorithm"), {},
                                    i18n::tr_noop("TOTP algorithms are SHA1, SHA256 and SHA512"));
            seed.algorithm = *algorithm;
        }
        // Anything else (issuer, image, ...) describes the account, not the code: ignored.
    }
    if (!have_secret) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the otpauth URI has no secret parameter"), {}, seed_hint);
    return seed;
}

int oath_flags(TotpAlgorithm algorithm) {
    switch (algorithm) {
    case TotpAlgorithm::sha1: return 0; // liboath's default
    case TotpAlgorithm::sha256: return OATH_TOTP_HMAC_SHA256;
    case TotpAlgorithm::sha512: return OATH_TOTP_HMAC_SHA512;
    }
    return -1;
}

} // namespace

Result<TotpSeed> parse_totp_seed(ByteView text) {
    text = trim(text);
    if (starts_with_ignoring_case(text, "otpauth:")) return parse_otpauth_uri(text);
    TotpSeed seed;
    seed.key = BRANKAS_TRY(decode_base32_seed(text));
    return seed;
}

Result<SecretBytes> totp_code(const TotpSeed& seed, std::int64_t unix_seconds) {
    // A TotpSeed can be built by hand, so check what parse_totp_seed would have refused.
    if (seed.key.empty() || seed.key.size() > max_totp_key)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TOTP key must have 1 to %s bytes"), {std::to_string(max_totp_key)});
    if (seed.digits < min_digits || seed.digits > max_digits)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a TOTP code has 6 to 8 digits"), {});
    if (seed.period < 1 || seed.period > max_period)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a TOTP period is 1 to 300 seconds"), {});
    const int flags = oath_flags(seed.algorithm);
    if (flags < 0) return fail_phrased(ErrorCode::usage, i18n::tr_noop("unknown TOTP algorithm"), {});
    if (unix_seconds < 0) return fail_phrased(ErrorCode::usage, i18n::tr_noop("a TOTP code needs a time after 1970"), {});
    if constexpr (sizeof(std::time_t) < sizeof(std::int64_t)) {
        if (unix_seconds > std::numeric_limits<std::time_t>::max())
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("this system's time_t cannot hold the requested time"), {});
    }

    // oath_init sets up the hash backend once; a function-local static runs it exactly once.
    static const int init_rc = oath_init();
    if (init_rc != OATH_OK) return fail_phrased(ErrorCode::internal, i18n::tr_noop("liboath did not initialise"), {});

    SecretBytes code(std::size_t{seed.digits} + 1); // liboath writes a terminating NUL
    const int rc = oath_totp_generate2(reinterpret_cast<const char*>(seed.key.data()), seed.key.size(),
                                       static_cast<std::time_t>(unix_seconds), seed.period,
                                       OATH_TOTP_DEFAULT_START_TIME, seed.digits, flags,
                                       reinterpret_cast<char*>(code.data()));
    if (rc != OATH_OK)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("liboath could not compute the TOTP code: %s"), {oath_strerror(rc)});
    code.truncate(seed.digits);
    return code;
}

std::int64_t totp_seconds_left(const TotpSeed& seed, std::int64_t unix_seconds) {
    // A period of 0 is no valid seed (parse_totp_seed never makes one); avoid dividing by it.
    const std::int64_t period = seed.period == 0 ? 1 : std::int64_t{seed.period};
    std::int64_t into_step = unix_seconds % period;
    if (into_step < 0) into_step += period; // floor, not truncation, before 1970
    return period - into_step;
}

} // namespace brankas
