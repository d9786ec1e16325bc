#include "vault/crypto/primitives.hpp"

#include <doctest/doctest.h>

#include <new>
#include <vector>

using namespace brankas;

TEST_CASE("secret bytes are zeroed on allocation, move-only and hex-encode into secure memory") {
    SecretBytes s(4);
    CHECK(s.size() == 4);
    for (auto b : s.view()) CHECK(b == 0);
    s.data()[0] = 0xab;
    s.data()[3] = 0x01;
    SecretBytes moved = std::move(s);
    CHECK(s.empty());
    CHECK(moved.to_hex().text() == "ab000001");
    moved.truncate(1);
    CHECK(moved.size() == 1);
    CHECK(moved.equals(Bytes{0xab}));
    CHECK_FALSE(moved.equals(Bytes{0xab, 0x00}));
    CHECK(moved.capacity() == 4);
    moved.wipe_for_reuse(); // the size it was made with, every byte zero again
    CHECK(moved.size() == 4);
    CHECK(moved.equals(Bytes{0, 0, 0, 0}));
}

TEST_CASE("buffers kept for the next piece of work are wiped whole when it ends, cut short by an exception too") {
    SecretBytes small(20), large(16384);
    auto fill = [](SecretBytes& b, std::uint8_t value) {
        for (std::size_t i = 0; i < b.size(); ++i) b.data()[i] = value;
    };
    auto all_zero = [](const SecretBytes& b) {
        for (auto byte : b.view())
            if (byte != 0) return false;
        return true;
    };
    {
        const WipedAtExit wiped(small, large);
        fill(small, 0x5a);
        fill(large, 0xa5);
        large.truncate(100);
    }
    CHECK(all_zero(small));
    CHECK(all_zero(large));
    CHECK(large.size() == 16384); // ready for the next piece of work
    bool thrown = false;
    try {
        const WipedAtExit wiped(large);
        fill(large, 0x77);
        throw std::bad_alloc();
    } catch (const std::bad_alloc&) {
        thrown = true;
    }
    CHECK(thrown);
    CHECK(all_zero(large));
}

TEST_CASE("a small secret takes a kept slot, wiped, its bytes against the slot's end, and a large one maps its own") {
    // Whatever slots earlier tests left are taken first, so that the one given back below is
    // the one taken next.
    std::vector<SecretBytes> earlier;
    while (SecretBytes::kept_slots() > 0) earlier.emplace_back(1);
    const std::uint8_t* slot_end = nullptr;
    {
        SecretBytes key(32);
        slot_end = key.data() + key.size();
        for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<std::uint8_t>(0xa0 + i);
        key.truncate(5); // the tail wiped now, the rest when it goes
    }
    CHECK(SecretBytes::kept_slots() == 1);
    SecretBytes again(SecretBytes::slot_size); // the same slot, every byte of it zero
    CHECK(again.data() + again.size() == slot_end);
    CHECK(again.equals(Bytes(SecretBytes::slot_size, 0)));
    CHECK(SecretBytes::kept_slots() == 0);
    SecretBytes password(20);
    CHECK(password.data() + password.size() != slot_end); // a slot of its own while `again` holds that one
    // Moved, the slot goes with the bytes and comes back once.
    password.data()[0] = 7;
    SecretBytes moved = std::move(password);
    CHECK(moved.data()[0] == 7);
    moved = SecretBytes(3);
    CHECK(SecretBytes::kept_slots() == 1);
    // Larger than a slot: sodium_malloc's own mapping, never kept.
    { SecretBytes large(SecretBytes::slot_size + 1); }
    CHECK(SecretBytes::kept_slots() == 1);
    // At most kept_slots_at_most are kept; the rest are freed.
    {
        std::vector<SecretBytes> many;
        for (std::size_t i = 0; i < SecretBytes::kept_slots_at_most + 5; ++i) many.emplace_back(16);
    }
    CHECK(SecretBytes::kept_slots() == SecretBytes::kept_slots_at_most);
}

TEST_CASE("hex decoding accepts exactly 2N hex digits") {
    std::array<std::uint8_t, 2> out{};
    CHECK(from_hex("0aFf", out));
    CHECK(out == std::array<std::uint8_t, 2>{0x0a, 0xff});
    CHECK_FALSE(from_hex("0aF", out));
    CHECK_FALSE(from_hex("0aFf00", out));
    CHECK_FALSE(from_hex("0g00", out));
    CHECK(to_hex(out) == "0aff");
}

TEST_CASE("BLAKE2b-256 fed in parts equals one pass, and matches the RFC 7693 style empty-input value") {
    Bytes all{'a', 'b', 'c', 'd'};
    Hash one = blake2b_256(all);
    Hash parts = Hasher().update(Bytes{'a', 'b'}).update(Bytes{'c', 'd'}).finish();
    CHECK(one == parts);
    // BLAKE2b-256 of the empty string (a widely published value).
    CHECK(to_hex(blake2b_256({})) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST_CASE("Argon2id is deterministic for a salt and limits, and depends on both") {
    std::array<std::uint8_t, kdf_salt_size> salt{};
    auto limits = kdf_limits(KdfProfile::test);
    auto a = derive_key("passphrase", salt, limits);
    auto b = derive_key("passphrase", salt, limits);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->equals(b->view()));
    salt[0] = 1;
    auto c = derive_key("passphrase", salt, limits);
    REQUIRE(c);
    CHECK_FALSE(a->equals(c->view()));
    auto d = derive_key("passphrase", salt, KdfLimits{2, limits.memlimit});
    REQUIRE(d);
    CHECK_FALSE(c->equals(d->view()));
}

TEST_CASE("KDF profiles are libsodium's and out-of-range limits are refused") {
    CHECK(kdf_limits(KdfProfile::moderate) == KdfLimits{3, 256u << 20});
    CHECK(kdf_limits(KdfProfile::interactive) == KdfLimits{2, 64u << 20});
    CHECK(kdf_limits(KdfProfile::sensitive) == KdfLimits{4, 1u << 30});
    CHECK(kdf_profile_of(KdfLimits{3, 256u << 20}) == KdfProfile::moderate);
    CHECK_FALSE(kdf_profile_of(KdfLimits{5, 256u << 20}).has_value());
    CHECK(parse_kdf_profile("sensitive") == KdfProfile::sensitive);
    CHECK_FALSE(parse_kdf_profile("fast").has_value());
    CHECK_FALSE(kdf_limits_acceptable(KdfLimits{0, 1u << 20}));
    CHECK_FALSE(kdf_limits_acceptable(KdfLimits{3, 1024}));
    CHECK_FALSE(kdf_limits_acceptable(KdfLimits{3, 1ull << 40}));
    CHECK_FALSE(kdf_limits_acceptable(KdfLimits{1000, 1u << 20}));
    std::array<std::uint8_t, kdf_salt_size> salt{};
    auto refused = derive_key("x", salt, KdfLimits{3, 1ull << 40});
    CHECK_FALSE(refused.has_value());
}

TEST_CASE("XChaCha20-Poly1305 round-trips and fails on any change to ciphertext, nonce, key or associated data") {
    SecretBytes key(aead_key_size);
    random_fill(key.span());
    AeadNonce nonce = random_array<aead_nonce_size>();
    Bytes plain{1, 2, 3};
    Bytes ad{9, 9};
    Bytes ct = aead_encrypt(key, nonce, plain, ad);
    CHECK(ct.size() == plain.size() + aead_tag_size);
    auto opened = aead_decrypt(key, nonce, ct, ad);
    REQUIRE(opened);
    CHECK(opened->equals(plain));

    SUBCASE("ciphertext") {
        ct[0] ^= 1;
        CHECK_FALSE(aead_decrypt(key, nonce, ct, ad));
    }
    SUBCASE("nonce") {
        nonce[5] ^= 1;
        CHECK_FALSE(aead_decrypt(key, nonce, ct, ad));
    }
    SUBCASE("associated data") {
        CHECK_FALSE(aead_decrypt(key, nonce, ct, Bytes{9, 8}));
    }
    SUBCASE("key") {
        key.data()[0] ^= 1;
        CHECK_FALSE(aead_decrypt(key, nonce, ct, ad));
    }
    SUBCASE("too short to hold a tag") {
        CHECK_FALSE(aead_decrypt(key, nonce, Bytes(aead_tag_size - 1), ad));
    }
}

TEST_CASE("Ed25519 signatures verify only for the same key and message") {
    SigningKey k = SigningKey::generate();
    Bytes msg{'h', 'i'};
    Signature sig = k.sign(msg);
    CHECK(verify_signature(k.public_key(), msg, sig));
    CHECK_FALSE(verify_signature(k.public_key(), Bytes{'h', 'o'}, sig));
    CHECK_FALSE(verify_signature(SigningKey::generate().public_key(), msg, sig));
    sig[10] ^= 1;
    CHECK_FALSE(verify_signature(k.public_key(), msg, sig));

    SigningKey again = SigningKey::from_seed(k.seed());
    CHECK(again.public_key() == k.public_key());
}

TEST_CASE("an X25519 key pair rebuilt from its secret has the same public key") {
    BoxKeyPair k = BoxKeyPair::generate();
    CHECK(BoxKeyPair::from_secret(k.secret_key()).public_key() == k.public_key());
}
