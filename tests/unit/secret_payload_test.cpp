#include "vault/secrets/secret_payload.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>

using namespace brankas;

namespace {

constexpr std::uint64_t vector_account = 0x0102030405060708;
constexpr std::uint32_t vector_version = 0x0a0b0c0d;

// The payload of the fixed vector (docs/formats.md "Secret payload"), field by field.
const std::string vector_hex = "01"                                       // format
                               "0807060504030201"                         // account_id
                               "0d0c0b0a"                                 // version
                               "0d00000000000000"                         // password: 13 bytes
                               "526168617369612d3230323921"               //   "Rahasia-2029!"
                               "01"                                       // TOTP present
                               "02"                                       //   algorithm: SHA256
                               "08"                                       //   digits
                               "3c000000"                                 //   period: 60 s
                               "1400000000000000"                         //   key: 20 bytes
                               "3132333435363738393031323334353637383930" //   "12345678901234567890"
                               "1300000000000000"                         // recovery codes: 19 bytes
                               "613162322d633364340a653566362d61376238"   //   "a1b2-c3d4\ne5f6-a7b8"
                               "0000000000000000";                        // notes: empty

// Offsets into the vector, for tests that change one field.
constexpr std::size_t presence_at = 34;
constexpr std::size_t algorithm_at = 35;
constexpr std::size_t digits_at = 36;
constexpr std::size_t period_at = 37;

SecretBytes secret(std::string_view text) { return SecretBytes::copy_of(as_bytes(text)); }

Bytes bytes_of_hex(std::string_view hex) {
    Bytes out(hex.size() / 2);
    REQUIRE(from_hex(hex, out));
    return out;
}

SecretPayload vector_payload() {
    SecretPayload p;
    p.account_id = vector_account;
    p.version = vector_version;
    p.password = secret("Rahasia-2029!");
    p.totp = TotpSeed{secret("12345678901234567890"), TotpAlgorithm::sha256, 8, 60};
    p.recovery_codes = secret("a1b2-c3d4\ne5f6-a7b8");
    return p;
}

Bytes encoded(const SecretPayload& p) {
    auto e = encode_secret_payload(p);
    REQUIRE(e.has_value());
    return Bytes(e->view().begin(), e->view().end());
}

// Builds payloads by hand, little-endian, to say things the encoder never would.
struct Draft {
    Bytes bytes;
    Draft& u8(std::uint8_t v) { return le(v, 1); }
    Draft& u32(std::uint32_t v) { return le(v, 4); }
    Draft& u64(std::uint64_t v) { return le(v, 8); }
    Draft& sized(std::string_view text) {
        u64(text.size());
        bytes.insert(bytes.end(), text.begin(), text.end());
        return *this;
    }
    Draft& le(std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        return *this;
    }
};

// Format, account 9, version 1: the head of every hand-built payload below.
Draft head() { return Draft{}.u8(1).u64(9).u32(1); }

Error decode_error(ByteView bytes, std::uint64_t account = 9, std::uint32_t version = 1) {
    auto d = decode_secret_payload(bytes, account, version);
    REQUIRE_FALSE(d.has_value());
    return d.error();
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("the payload layout is pinned by a fixed vector: little-endian integers, u64 size tags") {
    const Bytes expected = bytes_of_hex(vector_hex);
    CHECK(expected.size() == 104);
    CHECK(to_hex(encoded(vector_payload())) == vector_hex);

    auto d = decode_secret_payload(expected, vector_account, vector_version);
    REQUIRE(d.has_value());
    CHECK(d->account_id == vector_account);
    CHECK(d->version == vector_version);
    CHECK(d->password.text() == "Rahasia-2029!");
    REQUIRE(d->totp.has_value());
    CHECK(d->totp->algorithm == TotpAlgorithm::sha256);
    CHECK(d->totp->digits == 8);
    CHECK(d->totp->period == 60);
    CHECK(d->totp->key.text() == "12345678901234567890");
    CHECK(d->recovery_codes.text() == "a1b2-c3d4\ne5f6-a7b8");
    CHECK(d->notes.empty());

    // The failures docs/formats.md names for the vector.
    CHECK(decode_error(expected, 9, 1).message ==
          "the sealed secret names account 72623859790382856 version 168496141, not account 9 version 1");
    Bytes appended = expected;
    appended.push_back(0);
    CHECK(decode_error(appended, vector_account, vector_version).message ==
          "the sealed secret is malformed: 1 byte follows the notes");
}

TEST_CASE("a payload with a TOTP seed survives encoding and decoding unchanged") {
    for (auto algorithm : {TotpAlgorithm::sha1, TotpAlgorithm::sha256, TotpAlgorithm::sha512}) {
        SecretPayload p;
        p.account_id = 42;
        p.version = 3;
        p.password = secret("kata sandi yang panjang");
        p.totp = TotpSeed{secret(std::string(max_totp_key, '\x9c')), algorithm, 6, 300};
        p.recovery_codes = secret("1111\n2222\n");
        p.notes = secret("akun resmi Panwaslu Kecamatan Ngebel");
        const Bytes bytes = encoded(p);
        CHECK(bytes.size() == 1 + 8 + 4 + (8 + 23) + 1 + 1 + 1 + 4 + (8 + 128) + (8 + 10) + (8 + 36));

        auto d = decode_secret_payload(bytes, 42, 3);
        REQUIRE(d.has_value());
        CHECK(d->password.equals(p.password.view()));
        REQUIRE(d->totp.has_value());
        CHECK(d->totp->algorithm == algorithm);
        CHECK(d->totp->digits == 6);
        CHECK(d->totp->period == 300);
        CHECK(d->totp->key.equals(p.totp->key.view()));
        CHECK(d->recovery_codes.equals(p.recovery_codes.view()));
        CHECK(d->notes.equals(p.notes.view()));
    }
}

TEST_CASE("a payload without TOTP and with every text field empty survives encoding and decoding") {
    SecretPayload p; // account 0, version 0, empty password, codes and notes
    const Bytes bytes = encoded(p);
    CHECK(to_hex(bytes) == "01" "0000000000000000" "00000000" "0000000000000000" "00" "0000000000000000" "0000000000000000");

    auto d = decode_secret_payload(bytes, 0, 0);
    REQUIRE(d.has_value());
    CHECK(d->password.empty());
    CHECK_FALSE(d->totp.has_value());
    CHECK(d->recovery_codes.empty());
    CHECK(d->notes.empty());
}

TEST_CASE("a payload opened under another account or version is refused, naming both") {
    SecretPayload p;
    p.account_id = 7;
    p.version = 2;
    p.password = secret("pw");
    const Bytes bytes = encoded(p);

    Error moved = decode_error(bytes, 9, 1);
    CHECK(moved.code == ErrorCode::store_corrupt);
    CHECK(moved.message == "the sealed secret names account 7 version 2, not account 9 version 1");
    CHECK(decode_error(bytes, 7, 1).message == "the sealed secret names account 7 version 2, not account 7 version 1");
    CHECK(decode_error(bytes, 8, 2).message == "the sealed secret names account 7 version 2, not account 8 version 2");
    CHECK(decode_secret_payload(bytes, 7, 2).has_value());
}

TEST_CASE("every truncation of a valid payload is refused") {
    const Bytes full = bytes_of_hex(vector_hex);
    for (std::size_t n = 0; n < full.size(); ++n) {
        CAPTURE(n);
        Error e = decode_error(ByteView(full).first(n), vector_account, vector_version);
        CHECK(e.code == ErrorCode::store_corrupt);
        CHECK(contains(e.message, "the sealed secret is malformed: "));
    }
}

TEST_CASE("a size tag larger than the bytes left is refused before anything is allocated") {
    // 2^62 bytes, then 2 GiB: were either allocated first, secure memory would run out (an
    // internal error) long before the read failed; the refusal names the length instead.
    for (std::uint64_t claim : {std::uint64_t{1} << 62, std::uint64_t{1} << 31, ~std::uint64_t{0}}) {
        CAPTURE(claim);
        Draft d = head().u64(claim).u8('x');
        Error e = decode_error(d.bytes);
        CHECK(e.code == ErrorCode::store_corrupt);
        CHECK(e.message == "the sealed secret is malformed: a length of " + std::to_string(claim) +
                               " bytes runs past the end (1 left)");
    }
    // One byte more than is left is refused; exactly what is left is read (and then the payload
    // ends early, at the presence byte).
    CHECK(contains(decode_error(head().u64(3).u8('a').u8('b').bytes).message, "a length of 3 bytes runs past the end (2 left)"));
    CHECK(decode_error(head().u64(2).u8('a').u8('b').bytes).message == "the sealed secret is malformed: it ends 1 byte early");
}

TEST_CASE("a TOTP presence byte other than 0 or 1 is refused") {
    for (std::uint8_t presence : std::initializer_list<std::uint8_t>{2, 0x80, 0xff}) {
        Bytes bytes = bytes_of_hex(vector_hex);
        bytes[presence_at] = presence;
        Error e = decode_error(bytes, vector_account, vector_version);
        CHECK(e.code == ErrorCode::store_corrupt);
        CHECK(e.message == "the sealed secret is malformed: a flag byte is " + std::to_string(presence) + ", not 0 or 1");
    }
}

TEST_CASE("an unknown TOTP algorithm, digits outside 6..8 and a period outside 1..300 are refused") {
    auto refused = [](std::size_t at, std::initializer_list<std::uint8_t> values) {
        Bytes bytes = bytes_of_hex(vector_hex);
        std::copy(values.begin(), values.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
        auto d = decode_secret_payload(bytes, vector_account, vector_version);
        REQUIRE_FALSE(d.has_value());
        CHECK(d.error().code == ErrorCode::store_corrupt);
        return d.error().message;
    };
    CHECK(refused(algorithm_at, {0}) == "the sealed secret is malformed: the TOTP algorithm 0 is unknown (1 SHA1, 2 SHA256, 3 SHA512)");
    CHECK(refused(algorithm_at, {4}) == "the sealed secret is malformed: the TOTP algorithm 4 is unknown (1 SHA1, 2 SHA256, 3 SHA512)");
    CHECK(refused(digits_at, {5}) == "the sealed secret is malformed: the TOTP code has 5 digits; 6, 7 or 8 are allowed");
    CHECK(refused(digits_at, {9}) == "the sealed secret is malformed: the TOTP code has 9 digits; 6, 7 or 8 are allowed");
    CHECK(refused(period_at, {0}) == "the sealed secret is malformed: the TOTP period is 0 seconds; 1 to 300 are allowed");
    CHECK(refused(period_at, {0x2d, 0x01}) == "the sealed secret is malformed: the TOTP period is 301 seconds; 1 to 300 are allowed");

    // A missing or oversized key, built by hand (the encoder refuses both).
    auto with_key = [](std::string_view key) {
        return head().sized("pw").u8(1).u8(1).u8(6).u32(30).sized(key).sized("").sized("");
    };
    CHECK(decode_error(with_key("").bytes).message == "the sealed secret is malformed: the TOTP key is empty");
    CHECK(decode_error(with_key(std::string(129, 'k')).bytes).message ==
          "the sealed secret is malformed: the TOTP key is 129 bytes, more than the 128 allowed");
    CHECK(decode_secret_payload(with_key(std::string(128, 'k')).bytes, 9, 1).has_value());
}

TEST_CASE("a password over 1,024 bytes, an unknown format and trailing bytes are refused when decoding") {
    auto with_password = [](std::size_t size) { return head().sized(std::string(size, 'p')).u8(0).sized("").sized(""); };
    CHECK(decode_secret_payload(with_password(1024).bytes, 9, 1).has_value());
    CHECK(decode_error(with_password(1025).bytes).message ==
          "the sealed secret is malformed: the password is 1025 bytes, more than the 1024 allowed");

    Draft other_format = with_password(1);
    other_format.bytes[0] = 2;
    CHECK(decode_error(other_format.bytes).message ==
          "the sealed secret is malformed: it has format 2; this version of Brankas reads format 1");

    Draft trailing = with_password(1).u8(0);
    Error e = decode_error(trailing.bytes);
    CHECK(e.code == ErrorCode::store_corrupt);
    CHECK(e.message == "the sealed secret is malformed: 1 byte follows the notes");

    Bytes oversized(max_secret_payload + 1, 0);
    CHECK(decode_error(oversized).message == "the sealed secret is malformed: it is 16385 bytes, more than the 16384 a payload may have");
}

TEST_CASE("encoding refuses fields over their limits and a payload over 16 KiB") {
    auto usage_error = [](const SecretPayload& p) {
        auto e = encode_secret_payload(p);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().code == ErrorCode::usage);
        return e.error().message;
    };

    SecretPayload p;
    p.password = secret(std::string(max_secret_password, 'p'));
    CHECK(encode_secret_payload(p).has_value());
    p.password = secret(std::string(max_secret_password + 1, 'p'));
    CHECK(usage_error(p) == "the password is 1025 bytes, more than the 1024 allowed");

    p.password = secret("pw");
    p.totp = TotpSeed{secret(std::string(max_totp_key + 1, 'k')), TotpAlgorithm::sha1, 6, 30};
    CHECK(usage_error(p) == "the TOTP key is 129 bytes, more than the 128 allowed");
    p.totp->key = SecretBytes();
    CHECK(usage_error(p) == "the TOTP key is empty");
    p.totp->key = secret("k");
    p.totp->digits = 9;
    CHECK(usage_error(p) == "the TOTP code has 9 digits; 6, 7 or 8 are allowed");
    p.totp->digits = 7;
    p.totp->period = 0;
    CHECK(usage_error(p) == "the TOTP period is 0 seconds; 1 to 300 are allowed");
    p.totp->period = 30;
    p.totp->algorithm = static_cast<TotpAlgorithm>(9);
    CHECK(usage_error(p) == "the TOTP algorithm 9 is unknown (1 SHA1, 2 SHA256, 3 SHA512)");

    // Without TOTP the fixed part is 38 bytes: format, account, version, presence, three size tags.
    SecretPayload big;
    big.notes = SecretBytes(max_secret_payload - 38);
    auto at_limit = encode_secret_payload(big);
    REQUIRE(at_limit.has_value());
    CHECK(at_limit->size() == max_secret_payload);
    CHECK(decode_secret_payload(at_limit->view(), 0, 0).has_value());
    big.notes = SecretBytes(max_secret_payload - 37);
    CHECK(usage_error(big) ==
          "the secret is too large to seal: password, TOTP key, recovery codes and notes together must fit in 16384 bytes");

    // A buffer the caller keeps for the next payload holds nothing of one that did not fit.
    std::fill(big.notes.data(), big.notes.data() + big.notes.size(), std::uint8_t{'n'});
    SecretBytes kept(max_secret_payload);
    const std::string password = "kept-buffer-password";
    SecretPayloadView too_big{7, 1, ByteView(reinterpret_cast<const std::uint8_t*>(password.data()), password.size()), nullptr,
                              ByteView(), big.notes.view()};
    REQUIRE_FALSE(encode_secret_payload_into(too_big, kept).has_value());
    CHECK(std::all_of(kept.data(), kept.data() + kept.size(), [](std::uint8_t b) { return b == 0; }));
}

TEST_CASE("20,000 mutated copies of a valid payload each either decode to the same bytes or fail cleanly") {
    const Bytes original = bytes_of_hex(vector_hex);
    std::mt19937_64 rng(20290214); // fixed seed: the same copies on every run
    auto below = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < 20000; ++round) {
        Bytes m = original;
        const int edits = 1 + static_cast<int>(below(3));
        for (int k = 0; k < edits; ++k) {
            switch (below(6)) {
            case 0: m[below(m.size())] ^= static_cast<std::uint8_t>(1u << below(8)); break;
            case 1: m[below(m.size())] = static_cast<std::uint8_t>(rng()); break;
            case 2: m.resize(below(m.size() + 1)); break;
            case 3: m.insert(m.begin() + static_cast<std::ptrdiff_t>(below(m.size() + 1)), static_cast<std::uint8_t>(rng())); break;
            case 4: if (!m.empty()) m.erase(m.begin() + static_cast<std::ptrdiff_t>(below(m.size()))); break;
            default: // a huge or off-by-a-little size tag at one of the vector's four tags
                if (const std::size_t at = std::array<std::size_t, 4>{13, 41, 69, 96}[below(4)]; at + 8 <= m.size()) {
                    const std::uint64_t tag = below(2) == 0 ? rng() : original[at] + below(5) - 2;
                    for (int i = 0; i < 8; ++i) m[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(tag >> (8 * i));
                }
            }
            if (m.empty()) break;
        }
        auto d = decode_secret_payload(m, vector_account, vector_version);
        if (d.has_value()) {
            ++decoded;
            // The layout has one encoding per payload: what decodes re-encodes to the same bytes.
            auto again = encode_secret_payload(*d);
            REQUIRE(again.has_value());
            REQUIRE(again->equals(m));
        } else {
            ++refused;
            REQUIRE(d.error().code == ErrorCode::store_corrupt);
            REQUIRE_FALSE(d.error().message.empty());
        }
    }
    CHECK(decoded > 0);
    CHECK(refused > 0);
}

TEST_CASE("a payload encoded from views is byte for byte the payload encoded from its own copies") {
    auto seed = parse_totp_seed(as_bytes(std::string_view("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=8")));
    REQUIRE(seed);
    SecretPayload owned{7, 1, SecretBytes::copy_of(as_bytes(std::string_view("sandi"))), std::nullopt,
                        SecretBytes::copy_of(as_bytes(std::string_view("kode-1"))), SecretBytes::copy_of(as_bytes(std::string_view("catatan")))};
    owned.totp = TotpSeed{SecretBytes::copy_of(seed->key.view()), seed->algorithm, seed->digits, seed->period};
    auto a = encode_secret_payload(owned);
    REQUIRE(a);
    SecretBytes buffer(max_secret_payload);
    auto size = encode_secret_payload_into({7, 1, owned.password.view(), &*seed, owned.recovery_codes.view(), owned.notes.view()}, buffer);
    REQUIRE(size);
    CHECK(to_hex(buffer.view().first(*size)) == to_hex(a->view()));
    auto decoded = decode_secret_payload(buffer.view().first(*size), 7, 1);
    REQUIRE(decoded);
    CHECK(std::string(decoded->notes.text()) == "catatan");
}
