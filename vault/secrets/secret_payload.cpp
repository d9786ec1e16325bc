// The secret payload codec: cereal drives the fields through two archives of our own, so the
// layout is ours (docs/formats.md "Secret payload") and not whatever cereal's stock binary
// archives do on this host. Stock archives are wrong here for three reasons: they write host
// byte order, they trust size tags (eight bytes claiming 2 GiB allocate 2 GiB before the read
// fails), and they encode through std::ostream, whose buffers we cannot wipe.
//
// The archives know integers, bool, size tags and raw bytes, and nothing else. In particular
// they have no overload for cereal::NameValuePair: cereal's own memory.hpp (shared_ptr) and
// optional.hpp wrap their fields in name-value pairs, so without one they do not compile against
// these archives, which is what we want (optional.hpp also writes a "nullopt" flag, 1 = absent,
// where we write a presence byte). Enums do not compile either (cereal's load_minimal for them
// would need CEREAL_SETUP_ARCHIVE_TRAITS, and would not validate the value): they travel as
// their underlying integer and are checked after loading.
#include "vault/secrets/secret_payload.hpp"

#include <cereal/cereal.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

namespace brankas {
namespace {

constexpr std::uint8_t payload_format = 1;
constexpr std::uint8_t min_totp_digits = 6;
constexpr std::uint8_t max_totp_digits = 8;
constexpr std::uint32_t max_totp_period = 300;

// "1 byte", "2 bytes": refusals are read by people.
std::string bytes_count(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// Fixed-width integers other than bool. Signed and floating-point types have no overloads on
// purpose: the payload has none, and one added later must be given a layout first.
template <class T>
concept PayloadInteger = std::unsigned_integral<T> && !std::same_as<T, bool>;

// Writes into one fixed-capacity buffer of secure memory, so the plaintext never passes through
// a std::string or stream buffer that nobody wipes. Going past the capacity throws
// cereal::Exception (the archive cannot return an error through cereal's operator()).
class SecretOutputArchive : public cereal::OutputArchive<SecretOutputArchive, cereal::AllowEmptyClassElision> {
public:
    // Writes into `buffer`, which the caller owns (and wipes).
    explicit SecretOutputArchive(std::span<std::uint8_t> buffer) : OutputArchive(this), buffer_(buffer) {}

    void write(const void* data, std::size_t size) {
        if (size > buffer_.size() - used_)
            throw cereal::Exception("the payload would exceed " + std::to_string(buffer_.size()) + " bytes");
        if (size != 0) std::memcpy(buffer_.data() + used_, data, size); // memcpy(nullptr, 0) is UB
        used_ += size;
    }

    template <PayloadInteger T>
    void write_le(T value) {
        std::array<std::uint8_t, sizeof(T)> bytes{};
        for (std::size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
        write(bytes.data(), bytes.size());
    }

    [[nodiscard]] std::size_t used() const noexcept { return used_; }

private:
    std::span<std::uint8_t> buffer_;
    std::size_t used_ = 0;
};

// Reads from a view and refuses, by throwing cereal::Exception, any read past its end and any
// size tag larger than the bytes left, before the caller allocates for it.
class BoundedInputArchive : public cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision> {
public:
    explicit BoundedInputArchive(ByteView input) : InputArchive(this), input_(input) {}

    void read(void* data, std::uint64_t size) {
        if (size > remaining())
            throw cereal::Exception("it ends " + bytes_count(size - remaining()) + " early");
        if (size != 0) std::memcpy(data, input_.data() + used_, static_cast<std::size_t>(size));
        used_ += static_cast<std::size_t>(size);
    }

    template <PayloadInteger T>
    T read_le() {
        std::array<std::uint8_t, sizeof(T)> bytes{};
        read(bytes.data(), bytes.size());
        T value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>(value | static_cast<T>(T{bytes[i]} << (8 * i)));
        return value;
    }

    [[nodiscard]] std::size_t remaining() const noexcept { return input_.size() - used_; }

private:
    ByteView input_;
    std::size_t used_ = 0;
};

// --- What our archives know how to write: found by cereal through argument-dependent lookup
// on the archive type, so they live in the archives' namespace. ---

// Integers: little-endian, fixed width, whatever the host's order.
template <PayloadInteger T>
void save(SecretOutputArchive& ar, const T& value) {
    ar.write_le(value);
}
template <PayloadInteger T>
void load(BoundedInputArchive& ar, T& value) {
    value = ar.read_le<T>();
}

// bool: one byte, 0 or 1. Any other byte is refused: a bool holding 2 is undefined behaviour.
void save(SecretOutputArchive& ar, const bool& flag) {
    ar.write_le<std::uint8_t>(flag ? 1 : 0);
}
void load(BoundedInputArchive& ar, bool& flag) {
    const auto byte = ar.read_le<std::uint8_t>();
    if (byte > 1) throw cereal::Exception("a flag byte is " + std::to_string(byte) + ", not 0 or 1");
    flag = byte == 1;
}

// Size tags: u64, little-endian. A tag counts elements of at least one byte each, so a tag
// larger than the bytes left is a lie; it is refused here, before anyone allocates for it.
template <class T>
void save(SecretOutputArchive& ar, const cereal::SizeTag<T>& tag) {
    ar.write_le(static_cast<std::uint64_t>(tag.size));
}
template <class T>
void load(BoundedInputArchive& ar, cereal::SizeTag<T>& tag) {
    const auto size = ar.read_le<std::uint64_t>();
    if (size > ar.remaining())
        throw cereal::Exception("a length of " + std::to_string(size) + " bytes runs past the end (" +
                                std::to_string(ar.remaining()) + " left)");
    tag.size = static_cast<std::remove_reference_t<T>>(size);
}

// Raw bytes, no length of their own (a size tag precedes them). Only for one-byte elements:
// cereal's vector.hpp asks whether BinaryData<element> is serializable and, if so, writes a
// vector of integers as one block of host-order memory; refusing wider elements sends it back
// through the little-endian integer overloads above.
template <class T>
concept ByteData = sizeof(std::remove_pointer_t<std::remove_cvref_t<T>>) == 1;

template <ByteData T>
void save(SecretOutputArchive& ar, const cereal::BinaryData<T>& data) {
    ar.write(data.data, static_cast<std::size_t>(data.size));
}
template <ByteData T>
void load(BoundedInputArchive& ar, cereal::BinaryData<T>& data) {
    ar.read(data.data, data.size);
}

// --- The payload's own types. ---

// A secret field held in secure memory elsewhere: size tag, then the bytes.
struct SecretField {
    ByteView bytes;
};
void save(SecretOutputArchive& ar, const SecretField& field) {
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(field.bytes.size())),
       cereal::binary_data(field.bytes.data(), field.bytes.size()));
}

// SecretBytes: size tag, then the bytes, read straight into new secure memory.
void save(SecretOutputArchive& ar, const SecretBytes& secret) {
    ar(SecretField{secret.view()});
}
void load(BoundedInputArchive& ar, SecretBytes& secret) {
    cereal::size_type size = 0;
    ar(cereal::make_size_tag(size)); // at most the bytes left, so at most max_secret_payload
    SecretBytes bytes(static_cast<std::size_t>(size));
    ar(cereal::binary_data(bytes.data(), bytes.size()));
    secret = std::move(bytes);
}

// The optional TOTP seed: a presence flag, then the seed. The algorithm travels as its u8 value
// and is checked with the other fields after loading (an enum class with a fixed underlying type
// may hold any value of it, so the cast is defined; the check is what makes it one we know).
// (cereal refuses raw pointers, so the optional seed of a view travels in a struct.)
struct OptionalTotp {
    const TotpSeed* seed;
};
void save(SecretOutputArchive& ar, const OptionalTotp& totp) {
    ar(totp.seed != nullptr);
    if (totp.seed == nullptr) return;
    ar(static_cast<std::uint8_t>(totp.seed->algorithm), totp.seed->digits, totp.seed->period, totp.seed->key);
}
void load(BoundedInputArchive& ar, std::optional<TotpSeed>& totp) {
    bool present = false;
    ar(present);
    if (!present) {
        totp.reset();
        return;
    }
    TotpSeed& seed = totp.emplace(); // loaded in place: the key is never moved or copied
    std::uint8_t algorithm = 0;
    ar(algorithm, seed.digits, seed.period, seed.key);
    seed.algorithm = static_cast<TotpAlgorithm>(algorithm);
}

// One layout for both kinds of payload: the owning one and the view of fields held elsewhere.
void save(SecretOutputArchive& ar, const SecretPayloadView& payload) {
    ar(payload_format, payload.account_id, payload.version, SecretField{payload.password}, OptionalTotp{payload.totp},
       SecretField{payload.recovery_codes}, SecretField{payload.notes});
}

SecretPayloadView view_of(const SecretPayload& p) {
    return {p.account_id, p.version, p.password.view(), p.totp ? &*p.totp : nullptr, p.recovery_codes.view(), p.notes.view()};
}
void load(BoundedInputArchive& ar, SecretPayload& payload) {
    std::uint8_t format = 0;
    ar(format);
    // Checked before anything else is read: another format may lay out every later byte differently.
    if (format != payload_format)
        throw cereal::Exception("it has format " + std::to_string(format) + "; this version of Brankas reads format " +
                                std::to_string(payload_format));
    ar(payload.account_id, payload.version, payload.password, payload.totp, payload.recovery_codes, payload.notes);
}

// What makes a payload unfit to seal or to trust, as a sentence; empty when it is fine. The same
// rules on both sides, so encode never writes what decode would refuse.
i18n::Phrase field_problem(const SecretPayloadView& payload) {
    using i18n::Phrase;
    auto number = [](std::size_t n) { return Phrase::plain(std::to_string(n)); };
    if (payload.password.size() > max_secret_password)
        return Phrase(i18n::tr_noop("the password is %1$s bytes, more than the %2$s allowed"),
                      {number(payload.password.size()), number(max_secret_password)});
    if (payload.totp == nullptr) return {};
    const TotpSeed& seed = *payload.totp;
    switch (seed.algorithm) {
    case TotpAlgorithm::sha1:
    case TotpAlgorithm::sha256:
    case TotpAlgorithm::sha512:
        break;
    default:
        return Phrase(i18n::tr_noop("the TOTP algorithm %s is unknown (1 SHA1, 2 SHA256, 3 SHA512)"), {number(static_cast<unsigned>(seed.algorithm))});
    }
    if (seed.digits < min_totp_digits || seed.digits > max_totp_digits)
        return Phrase(i18n::tr_noop("the TOTP code has %s digits; 6, 7 or 8 are allowed"), {number(seed.digits)});
    if (seed.period < 1 || seed.period > max_totp_period)
        return Phrase(i18n::tr_noop("the TOTP period is %s seconds; 1 to 300 are allowed"), {number(seed.period)});
    if (seed.key.empty()) return Phrase(i18n::tr_noop("the TOTP key is empty"));
    if (seed.key.size() > max_totp_key)
        return Phrase(i18n::tr_noop("the TOTP key is %1$s bytes, more than the %2$s allowed"), {number(seed.key.size()), number(max_totp_key)});
    return {};
}

std::unexpected<Error> malformed(i18n::Phrase what) {
    return fail_phrase(ErrorCode::store_corrupt, i18n::Phrase(i18n::tr_noop("the sealed secret is malformed: %s"), {std::move(what)}),
                       i18n::tr_noop("the store may have been altered; run 'brankas audit verify'"));
}

// sodium_malloc fails only when the system cannot map more pages (it carries on unlocked once
// RLIMIT_MEMLOCK is spent), and every size here is at most max_secret_payload: not the input's fault.
std::unexpected<Error> out_of_secure_memory() {
    return fail_phrased(ErrorCode::internal, i18n::tr_noop("secure memory for the secret could not be allocated"), {});
}

} // namespace

Result<std::size_t> encode_secret_payload_into(const SecretPayloadView& payload, SecretBytes& out) {
    if (i18n::Phrase problem = field_problem(payload); problem.id) return fail_phrase(ErrorCode::usage, std::move(problem));
    try {
        SecretOutputArchive ar(out.span().first(std::min(out.size(), max_secret_payload)));
        ar(payload);
        return ar.used();
    } catch (const cereal::Exception&) {
        // The only thing our output archive refuses is running out of room. What it wrote
        // before is wiped, here and below: callers keep `out` for the next payload.
        sodium_memzero(out.data(), out.size());
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the secret is too large to seal: password, TOTP key, recovery codes and notes together must fit in %s bytes"),
                            {std::to_string(max_secret_payload)});
    } catch (const std::bad_alloc&) {
        sodium_memzero(out.data(), out.size());
        return out_of_secure_memory();
    }
}

Result<SecretBytes> encode_secret_payload(const SecretPayload& payload) {
    try {
        // The full-capacity buffer is wiped as it is freed; the bytes written go into one of
        // their own size.
        SecretBytes buffer(max_secret_payload);
        std::size_t used = BRANKAS_TRY(encode_secret_payload_into(view_of(payload), buffer));
        return SecretBytes::copy_of(buffer.view().first(used));
    } catch (const std::bad_alloc&) {
        return out_of_secure_memory();
    }
}

Result<SecretPayload> decode_secret_payload(ByteView plaintext, std::uint64_t expected_account,
                                            std::uint32_t expected_version) {
    // Nothing longer is ever written; refusing it up front also bounds every allocation below.
    if (plaintext.size() > max_secret_payload)
        return malformed(i18n::Phrase(i18n::tr_noop("it is %1$s bytes, more than the %2$s a payload may have"),
                                      {i18n::Phrase::plain(std::to_string(plaintext.size())), i18n::Phrase::plain(std::to_string(max_secret_payload))}));
    SecretPayload payload; // on any failure its secrets are wiped as it goes out of scope
    try {
        BoundedInputArchive ar(plaintext);
        ar(payload);
        if (const std::size_t left = ar.remaining(); left != 0)
            return malformed(i18n::Phrase(left == 1 ? i18n::tr_noop("%s follows the notes") : i18n::tr_noop("%s follow the notes"),
                                          {i18n::Phrase::plain(bytes_count(left))}));
    } catch (const cereal::Exception& e) {
        return malformed(i18n::Phrase::plain(e.what())); // our archives' own sentences: sizes and values, never secret bytes
    } catch (const std::bad_alloc&) {
        return out_of_secure_memory();
    }
    // A sealed box has no associated data: these names are what stop a blob copied to another
    // row, or another version of the same account, from opening there.
    if (payload.account_id != expected_account || payload.version != expected_version)
        return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the sealed secret names account %1$s version %2$s, not account %3$s version %4$s"),
                            {std::to_string(payload.account_id), std::to_string(payload.version), std::to_string(expected_account), std::to_string(expected_version)},
                            i18n::tr_noop("a sealed secret was copied between rows of the store; run 'brankas audit verify'"));
    if (i18n::Phrase problem = field_problem(view_of(payload)); problem.id) return malformed(std::move(problem));
    return payload;
}

} // namespace brankas
