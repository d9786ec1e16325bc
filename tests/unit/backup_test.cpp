// Backups: the bundle format against its vectors.
#include "support/temp_dir.hpp"
#include "support/vectors.hpp"
#include "vault/backup_bundle.hpp"

#include <algorithm>

using namespace brankas;
using namespace brankas::test;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> counting_from(std::uint8_t start) {
    std::array<std::uint8_t, N> a{};
    for (std::size_t i = 0; i < N; ++i) a[i] = static_cast<std::uint8_t>(start + i);
    return a;
}

// The manifest of the formats.md vector, before its part sizes and hashes are filled in.
BackupManifest vector_manifest(std::map<std::string, std::string>& v) {
    BackupManifest m;
    m.vault_id = counting_from<16>(0xa0);
    m.events = 2;
    REQUIRE(from_hex(v["event2_hash"], m.head));
    m.created_us = 1'700'000'060'000'000;
    m.store_generation = 1;
    m.schema_version = 4;
    return m;
}

SigningKey siti() { return SigningKey::from_seed(SecretBytes::copy_of(counting_from<32>(0x00))); }

std::string error_of(const auto& result) { return result ? std::string("(no error)") : result.error().message; }

} // namespace

TEST_CASE("formats.md vectors: the backup manifest, its signature and the whole bundle") {
    auto v = vectors();
    TempDir dir;
    BackupManifest m = vector_manifest(v);
    Bytes keyring = unhex(v["keyring_file"]);
    Bytes store(64);
    for (std::size_t i = 0; i < store.size(); ++i) store[i] = static_cast<std::uint8_t>(i);
    write_bytes(dir / "store.db", store);

    auto written = write_backup_bundle(dir / "b.bak", m, siti(), keyring, dir / "store.db");
    REQUIRE_MESSAGE(written, error_of(written));
    auto encoded = encode_backup_manifest(*written);
    REQUIRE(encoded);
    CHECK(to_hex(*encoded) == v["backup_manifest"]);
    Bytes bundle = read_bytes(dir / "b.bak");
    CHECK(to_hex(bundle) == v["backup_bundle"]);
    CHECK(to_hex(ByteView(bundle).subspan(backup_header_size + encoded->size(), signature_size)) == v["backup_signature"]);

    auto opened = read_backup_bundle(dir / "b.bak", dir / "copy.db");
    REQUIRE_MESSAGE(opened, error_of(opened));
    CHECK(opened->manifest == *written);
    CHECK(opened->signer_key == siti().public_key());
    CHECK(opened->keyring == keyring);
    CHECK(read_bytes(dir / "copy.db") == store);
}

TEST_CASE("formats.md expected failures of a backup bundle") {
    auto v = vectors();
    TempDir dir;
    const Bytes good = unhex(v["backup_bundle"]);
    auto refusal = [&](Bytes bundle) {
        write_bytes(dir / "b.bak", bundle);
        std::filesystem::remove(dir / "copy.db");
        auto opened = read_backup_bundle(dir / "b.bak", dir / "copy.db");
        CHECK_FALSE(opened);
        if (opened) return std::string();
        CHECK(opened.error().code == ErrorCode::verification_failed);
        return opened.error().message;
    };
    Bytes b = good;
    b[60] ^= 0x01;
    CHECK(refusal(b).find("its signature does not verify") != std::string::npos);
    b = good;
    b.back() ^= 0x01;
    CHECK(refusal(b).find("its store does not match its signed hash") != std::string::npos);
    b = good;
    std::fill(b.begin() + 42, b.begin() + 46, std::uint8_t{0xff});
    CHECK(refusal(b).find("its manifest length (4294967295 bytes) is out of range") != std::string::npos);
    b = good;
    b.pop_back();
    CHECK(refusal(b).find("it is 917 bytes long, and its manifest says 918") != std::string::npos);
    // A keyring byte: caught by its hash, before the keyring is parsed.
    b = good;
    b[good.size() - 64 - 10] ^= 0x01;
    CHECK(refusal(b).find("its keyring does not match its signed hash") != std::string::npos);
    CHECK(refusal(Bytes(good.begin(), good.begin() + 20)).find("shorter than a backup's header") != std::string::npos);
    CHECK(refusal(Bytes(good.begin(), good.begin() + 5)).find("is not a Brankas backup") != std::string::npos);
    // A signed manifest that lies about nothing can still be refused for its contents: an
    // event number of 0 is malformed, whoever signed it.
    BackupManifest m = vector_manifest(v);
    m.events = 0;
    CHECK_FALSE(encode_backup_manifest(m));
}
