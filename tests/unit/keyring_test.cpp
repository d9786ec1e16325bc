#include "support/temp_dir.hpp"
#include "vault/keyring.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
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
        file[9] = 3;
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
        // memlimit is the u64 after kind, created, expires, store generation, kdf and opslimit.
        const std::size_t memlimit_at = 30 + 16 + 1 + 8 + 8 + 4 + 1 + 8;
        file[memlimit_at] = 0x01; // 2^56 bytes
        auto r = Keyring::parse(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("key-derivation limits") != std::string::npos);
    }
    SUBCASE("two slots with one id") {
        Keyring twice(k.vault_id());
        twice.put(k.slots()[0]);
        Bytes one = twice.serialize();
        // Duplicate the slot bytes by hand (before the envelope count) and bump the count.
        Bytes dup(one.begin(), one.end() - 2);
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

TEST_CASE("saving removes the temporary files a writer killed before its rename left behind") {
    test::TempDir dir;
    Keyring k = keyring_with_admin(sample_secrets());
    REQUIRE(k.save(dir / "keyring"));
    auto plant = [&](const std::string& name) { std::ofstream(dir / name) << "a keyring that never became one"; };
    plant("keyring.tmp-Ab3dE9");  // what write_file_atomic leaves when killed at the rename
    plant("keyring.tmp-zzzzzz");
    plant("keyring.tmp-abc");     // not mkstemp's six: not ours
    plant("keyring.tmp-abcdefg");
    plant("keyring.tmp-ab.def");
    plant("store.db.tmp-Ab3dE9"); // another file's
    plant("elsewhere");
    std::filesystem::create_symlink(dir / "elsewhere", dir / "keyring.tmp-L1nk00"); // a link is left, and so is its target
    std::filesystem::create_directory(dir / "keyring.tmp-D1r000");
    REQUIRE(k.save(dir / "keyring"));
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) left.push_back(e.path().filename().string());
    std::sort(left.begin(), left.end());
    CHECK(left == std::vector<std::string>{"elsewhere", "keyring", "keyring.tmp-D1r000", "keyring.tmp-L1nk00", "keyring.tmp-ab.def",
                                           "keyring.tmp-abc", "keyring.tmp-abcdefg", "store.db.tmp-Ab3dE9"});
    auto loaded = Keyring::load(dir / "keyring");
    REQUIRE(loaded);
    CHECK(loaded->serialize() == k.serialize());
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

TEST_CASE("envelopes carry a newer store key to a slot, and only to that slot") {
    SlotSecrets secrets = sample_secrets();
    Keyring k = keyring_with_admin(secrets);
    BoxKeyPair owner = BoxKeyPair::from_secret(secrets.box_secret);
    SlotId admin = slot_id_for(k.vault_id(), "admin");
    SecretBytes newer(store_key_size);
    random_fill(newer.span());
    k.put_envelope(k.seal_store_key(admin, 2, newer, owner.public_key()));

    auto parsed = Keyring::parse(k.serialize());
    REQUIRE(parsed);
    auto found = parsed->envelopes_for(admin);
    REQUIRE(found.size() == 1);
    auto opened = parsed->open_store_key(*found[0], owner);
    REQUIRE(opened);
    CHECK(opened->equals(newer.view()));

    SUBCASE("someone else's box key does not open it") {
        auto r = parsed->open_store_key(*found[0], BoxKeyPair::generate());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::keyring_unreadable);
    }
    SUBCASE("a different generation in the header is caught inside") {
        StoreKeyEnvelope relabelled = *found[0];
        relabelled.generation = 3;
        auto r = parsed->open_store_key(relabelled, owner);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("names another vault, slot or generation") != std::string::npos);
    }
    SUBCASE("resealing the slot at that generation drops the envelope") {
        SlotSecrets now{SecretBytes::copy_of(newer.view()), SecretBytes::copy_of(secrets.signing_seed.view()),
                        SecretBytes::copy_of(secrets.box_secret.view()), 2};
        auto slot = k.seal_with_passphrase("admin", SlotKind::passphrase, 2, 0, "passphrase two", kdf_limits(KdfProfile::test), now);
        REQUIRE(slot);
        k.put(std::move(*slot));
        CHECK(k.envelopes().empty());
        auto reopened = k.open_with_passphrase("admin", "passphrase two");
        REQUIRE(reopened);
        CHECK(reopened->store_generation == 2);
        CHECK(reopened->store_key.equals(newer.view()));
    }
    SUBCASE("removing the slot removes its envelopes") {
        CHECK(k.remove("admin"));
        CHECK(k.envelopes().empty());
    }
    SUBCASE("older envelopes are dropped once the store moved past them") {
        k.put_envelope(k.seal_store_key(admin, 3, newer, owner.public_key()));
        k.drop_envelopes_before(3);
        REQUIRE(k.envelopes().size() == 1);
        CHECK(k.envelopes()[0].generation == 3);
    }
}

TEST_CASE("malformed envelopes are refused with a reason") {
    SlotSecrets secrets = sample_secrets();
    Keyring k = keyring_with_admin(secrets);
    BoxKeyPair owner = BoxKeyPair::from_secret(secrets.box_secret);
    SecretBytes newer(store_key_size);
    random_fill(newer.span());
    auto refused = [&](const StoreKeyEnvelope& e, std::string_view why) {
        Keyring bad = k;
        bad.put_envelope(e);
        auto r = Keyring::parse(bad.serialize());
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find(why) != std::string::npos);
    };
    SUBCASE("for a slot the keyring does not have") {
        refused(k.seal_store_key(slot_id_for(k.vault_id(), "nobody"), 2, newer, owner.public_key()), "slot the keyring does not have");
    }
    SUBCASE("not newer than the slot's own key") {
        refused(k.seal_store_key(slot_id_for(k.vault_id(), "admin"), 1, newer, owner.public_key()), "not newer");
    }
    SUBCASE("a sealed key of the wrong size") {
        StoreKeyEnvelope e = k.seal_store_key(slot_id_for(k.vault_id(), "admin"), 2, newer, owner.public_key());
        e.sealed.push_back(0);
        refused(e, "wrong size");
    }
}

TEST_CASE("a key-file slot opens with its 32 bytes only") {
    SlotSecrets secrets = sample_secrets();
    Keyring k(random_array<vault_id_size>());
    SecretBytes key(slot_key_size);
    random_fill(key.span());
    auto slot = k.seal_with_key("enforcer", SlotKind::keyfile, 1, key, secrets);
    REQUIRE(slot);
    CHECK(slot->kdf == SlotKdf::key_file);
    k.put(std::move(*slot));
    auto parsed = Keyring::parse(k.serialize());
    REQUIRE(parsed);
    auto opened = parsed->open("enforcer", key.view());
    REQUIRE(opened);
    CHECK(opened->box_secret.equals(secrets.box_secret.view()));

    SecretBytes other(slot_key_size);
    random_fill(other.span());
    auto wrong = parsed->open("enforcer", other.view());
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::wrong_passphrase);
    CHECK(wrong.error().message.find("key file") != std::string::npos);
    auto short_key = parsed->open("enforcer", ByteView(key.data(), 31));
    REQUIRE_FALSE(short_key);

    // A key-file slot with a salt (or KDF limits) is refused: nothing in it goes unchecked.
    Bytes file = k.serialize();
    const std::size_t salt_at = 30 + 16 + 1 + 8 + 8 + 4 + 1 + 8 + 8;
    file[salt_at] = 1;
    auto r = Keyring::parse(file);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("carries a salt") != std::string::npos);
}

TEST_CASE("a slot whose length is not 209 is refused before its body is read") {
    Keyring k = keyring_with_admin(sample_secrets());
    Bytes file = k.serialize();
    // The first slot's length is the u16 at bytes 28 and 29, after the 26-byte header and the count.
    REQUIRE(file[28] == 0x00);
    REQUIRE(file[29] == 209);
    SUBCASE("one byte longer, the byte inside the slot") {
        file[29] = 210;
        file.insert(file.begin() + 30 + 209, 0x00);
    }
    SUBCASE("one byte shorter") {
        file[29] = 208;
    }
    SUBCASE("as long as the rest of the file") {
        file[28] = 0xff;
        file[29] = 0xff;
    }
    auto r = Keyring::parse(file);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::keyring_unreadable);
    CHECK_MESSAGE(r.error().message.find("every slot of this keyring version is 209 bytes") != std::string::npos, r.error().message);
}

TEST_CASE("the usual limits of a kind are those most of its slots have, the costlier of two as common") {
    Keyring k(random_array<vault_id_size>());
    CHECK_FALSE(k.usual_limits(SlotKind::passphrase));
    const KdfLimits cheap{1, 8 << 20}, dear{3, 256 << 20}, dearer{4, 256 << 20};
    auto add = [&k](std::string_view name, SlotKind kind, SlotKdf kdf, KdfLimits limits) {
        Slot s;
        s.id = slot_id_for(k.vault_id(), name);
        s.kind = kind;
        s.kdf = kdf;
        s.limits = limits;
        k.put(std::move(s));
    };
    add("admin", SlotKind::passphrase, SlotKdf::argon2id13, cheap);
    add("penegak", SlotKind::keyfile, SlotKdf::key_file, {0, 0});
    CHECK(k.usual_limits(SlotKind::passphrase) == cheap);
    CHECK_FALSE(k.usual_limits(SlotKind::keyfile)); // derives no key
    CHECK_FALSE(k.usual_limits(SlotKind::enrollment));
    add("siti", SlotKind::passphrase, SlotKdf::argon2id13, dear);
    CHECK(k.usual_limits(SlotKind::passphrase) == dear); // one each: the costlier
    add("budi", SlotKind::passphrase, SlotKdf::argon2id13, cheap);
    CHECK(k.usual_limits(SlotKind::passphrase) == cheap);
    add("dewi", SlotKind::passphrase, SlotKdf::argon2id13, dearer);
    add("joko", SlotKind::passphrase, SlotKdf::argon2id13, dearer);
    CHECK(k.usual_limits(SlotKind::passphrase) == dearer); // two each: more passes
    add("rina", SlotKind::enrollment, SlotKdf::argon2id13, dear);
    CHECK(k.usual_limits(SlotKind::enrollment) == dear);
    CHECK(k.usual_limits(SlotKind::passphrase) == dearer);
}
