#include "support/temp_dir.hpp"
#include "vault/keyring.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace brankas;

namespace {

SlotSecrets sample_secrets() {
    SlotSecrets s{SecretBytes(store_key_size), SecretBytes(signing_seed_size), SecretBytes(box_secret_key_size)};
    random_fill(s.store_key.span());
    random_fill(s.signing_seed.span());
    random_fill(s.box_secret.span());
    return s;
}

Keyring keyring_with_admin(const SlotSecrets& secrets) {
    Keyring k(random_array<vault_id_size>());
    auto slot = k.seal_with_passphrase("admin", SlotKind::passphrase, 1, 0, "passphrase one", kdf_limits(KdfProfile::test), secrets);
    REQUIRE(slot);
    k.put(std::move(*slot));
    return k;
}

} // namespace

TEST_CASE("a slot opens with its passphrase and yields exactly what was sealed") {
    SlotSecrets secrets = sample_secrets();
    Keyring k = keyring_with_admin(secrets);
    auto opened = k.open_with_passphrase("admin", "passphrase one");
    REQUIRE(opened);
    CHECK(opened->store_key.equals(secrets.store_key.view()));
    CHECK(opened->signing_seed.equals(secrets.signing_seed.view()));
    CHECK(opened->box_secret.equals(secrets.box_secret.view()));
}

TEST_CASE("a wrong passphrase and an unknown user are told apart") {
    Keyring k = keyring_with_admin(sample_secrets());
    auto wrong = k.open_with_passphrase("admin", "passphrase two");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::wrong_passphrase);
    CHECK(wrong.error().message == "wrong passphrase for user 'admin'");
    auto nobody = k.open_with_passphrase("siti", "passphrase one");
    REQUIRE_FALSE(nobody);
    CHECK(nobody.error().code == ErrorCode::no_such_user);
}

TEST_CASE("the keyring file names no user, and parses back to the same slots") {
    Keyring k = keyring_with_admin(sample_secrets());
    Bytes file = k.serialize();
    std::string text(file.begin(), file.end());
    CHECK(text.find("admin") == std::string::npos);
    auto parsed = Keyring::parse(file);
    REQUIRE(parsed);
    CHECK(parsed->serialize() == file);
    CHECK(parsed->find("admin") != nullptr);
    CHECK(parsed->open_with_passphrase("admin", "passphrase one"));
}

TEST_CASE("changing any slot header field makes the passphrase fail (the header is associated data)") {
    Keyring k = keyring_with_admin(sample_secrets());
    Bytes file = k.serialize();
    // Header layout: magic 8, version 2, vault id 16, count 2, slot length 2, then the slot:
    // id 16, kind 1, created 8, expires 8, ...
    const std::size_t slot_start = 8 + 2 + 16 + 2 + 2;
    SUBCASE("expiry") { file[slot_start + 16 + 1 + 8 + 7] ^= 1; }
    SUBCASE("created") { file[slot_start + 16 + 1 + 7] ^= 1; }
    SUBCASE("vault id") { file[10] ^= 1; }
    auto parsed = Keyring::parse(file);
    REQUIRE(parsed);
    // The vault id also feeds the slot id, so a changed vault id leaves the slot unfindable.
    auto opened = parsed->open_with_passphrase("admin", "passphrase one");
    REQUIRE_FALSE(opened);
    CHECK((opened.error().code == ErrorCode::wrong_passphrase || opened.error().code == ErrorCode::no_such_user));
}

TEST_CASE("every truncation of a keyring is refused as unreadable, never a crash") {
    Keyring k = keyring_with_admin(sample_secrets());
    Bytes file = k.serialize();
    for (std::size_t len = 0; len < file.size(); ++len) {
        auto parsed = Keyring::parse(ByteView(file.data(), len));
        INFO("length " << len);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::keyring_unreadable);
    }
    Bytes longer = file;
    longer.push_back(0);
    CHECK_FALSE(Keyring::parse(longer));
}

TEST_CASE("malformed keyrings are refused with a reason") {
    Keyring k = keyring_with_admin(sample_secrets());
    Bytes file = k.serialize();
    SUBCASE("wrong magic") {
        file[0] = 'X';
        auto r = Keyring::parse(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("magic") != std::string::npos);
    }
    SUBCASE("unknown format version") {
        file[9] = 2;
        auto r = Keyring::parse(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::unsupported);
    }
    SUBCASE("absurd slot count") {
        file[26] = 0xff;
        file[27] = 0xff;
        auto r = Keyring::parse(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("more slots than any vault has") != std::string::npos);
    }
    SUBCASE("a KDF asking for terabytes is refused before any derivation") {
        // memlimit is the u64 after kind, created, expires, kdf and opslimit.
        const std::size_t memlimit_at = 30 + 16 + 1 + 8 + 8 + 1 + 8;
        file[memlimit_at] = 0x01; // 2^56 bytes
        auto r = Keyring::parse(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("key-derivation limits") != std::string::npos);
    }
    SUBCASE("two slots with one id") {
        Keyring twice(k.vault_id());
        twice.put(k.slots()[0]);
        Bytes one = twice.serialize();
        // Duplicate the slot bytes by hand and bump the count.
        Bytes dup(one.begin(), one.end());
        dup.insert(dup.end(), one.begin() + 28, one.end());
        dup[27] = 2;
        auto r = Keyring::parse(dup);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("same id") != std::string::npos);
    }
}

TEST_CASE("saving writes the keyring atomically with mode 0600") {
    test::TempDir dir;
    Keyring k = keyring_with_admin(sample_secrets());
    REQUIRE(k.save(dir / "keyring"));
    struct stat st {};
    REQUIRE(::stat((dir / "keyring").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(dir / "keyring.tmp"));
    auto loaded = Keyring::load(dir / "keyring");
    REQUIRE(loaded);
    CHECK(loaded->serialize() == k.serialize());

    auto missing = Keyring::load(dir / "nothing");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::keyring_unreadable);
    CHECK(missing.error().message.find("missing") != std::string::npos);
}

TEST_CASE("put replaces a principal's slot and remove deletes it") {
    SlotSecrets secrets = sample_secrets();
    Keyring k = keyring_with_admin(secrets);
    auto again = k.seal_with_passphrase("admin", SlotKind::passphrase, 2, 0, "passphrase two", kdf_limits(KdfProfile::test), secrets);
    REQUIRE(again);
    k.put(std::move(*again));
    CHECK(k.slots().size() == 1);
    CHECK_FALSE(k.open_with_passphrase("admin", "passphrase one"));
    CHECK(k.open_with_passphrase("admin", "passphrase two"));
    CHECK(k.remove("admin"));
    CHECK_FALSE(k.remove("admin"));
    CHECK(k.slots().empty());
}
