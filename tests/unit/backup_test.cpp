// Backups: the bundle format against its vectors, and whole vaults backed up, damaged,
// verified and restored through the library.
#include "support/district.hpp"
#include "support/file_mode.hpp"
#include "support/vectors.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/backup/backup_bundle.hpp"

#include <algorithm>

using namespace brankas;
using namespace brankas::test;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> backup_bytes_counting_from(std::uint8_t start) {
    std::array<std::uint8_t, N> a{};
    for (std::size_t i = 0; i < N; ++i) a[i] = static_cast<std::uint8_t>(start + i);
    return a;
}

// The manifest of the formats.md vector, before its part sizes and hashes are filled in.
BackupManifest vector_manifest(std::map<std::string, std::string>& v) {
    BackupManifest m;
    m.vault_id = backup_bytes_counting_from<16>(0xa0);
    m.events = 2;
    REQUIRE(from_hex(v["event2_hash"], m.head));
    m.created_us = 1'700'000'060'000'000;
    m.store_generation = 1;
    m.schema_version = 4;
    return m;
}

SigningKey siti() { return SigningKey::from_seed(SecretBytes::copy_of(backup_bytes_counting_from<32>(0x00))); }

std::string error_of(const auto& result) { return result ? std::string("(no error)") : result.error().message; }

SnapshotOpener as(std::string user, std::string_view passphrase, const Clock& clock) {
    return [user = std::move(user), passphrase, &clock](const std::filesystem::path& dir) {
        return Vault::open(dir, user, passphrase_of(passphrase), clock);
    };
}

std::size_t entries_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

bool contains(const Bytes& haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

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

TEST_CASE("a backup restores to a vault that verifies and opens with the same passphrases") {
    District d;
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    d.clock.advance_seconds(60);
    auto m = create_backup(d.admin, d.dir / "b.bak");
    REQUIRE_MESSAGE(m, error_of(m));
    auto status = vault_status(d.admin);
    REQUIRE(status);
    CHECK(m->events == status->events);
    CHECK(m->head == status->head);
    CHECK(m->vault_id == d.admin.vault_id());
    // The vault goes on after the backup; the restored copy stops at it.
    REQUIRE(set_secret(d.admin, d.account, password("rahasia-kedua")));

    auto restored = restore_backup(d.dir / "b.bak", d.dir / "restored", as("admin", test_passphrase, d.clock), std::nullopt);
    REQUIRE_MESSAGE(restored, error_of(restored));
    CHECK(restored->log.ok);
    CHECK(restored->log.events == m->events);
    CHECK(restored->signer == "admin");
    CHECK(restored->institution == "Bawaslu Kabupaten Ponorogo");
    CHECK(mode_of(d.dir / "restored") == 0700);
    CHECK(mode_of(d.dir / "restored" / "store.db") == 0600);
    CHECK(mode_of(d.dir / "restored" / "keyring") == 0600);

    auto admin = Vault::open(d.dir / "restored", "admin", passphrase_of(test_passphrase), d.clock);
    REQUIRE_MESSAGE(admin, error_of(admin));
    auto secret = reveal_secret(*admin, d.account, "after the restore", SecretPart::password);
    REQUIRE_MESSAGE(secret, error_of(secret));
    CHECK(text_of(secret->payload.password) == "rahasia-pertama");
    auto verified = verify(*admin, std::nullopt);
    REQUIRE(verified);
    CHECK(verified->ok);
    // Every user keeps their passphrase: the custodian opens the copy too.
    auto operator1 = Vault::open(d.dir / "restored", "operator1", passphrase_of(person_passphrase), d.clock);
    CHECK_MESSAGE(operator1, error_of(operator1));
    // Nothing of the staging directory is left beside it.
    for (const auto& e : std::filesystem::directory_iterator(d.dir.path()))
        CHECK_FALSE(e.path().filename().string().starts_with("."));
}

TEST_CASE("an auditor may take a backup, a custodian may not, and the refusal is in the log") {
    District d;
    Session auditor = d.person("auditor1", policy::Role::auditor);
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto by_auditor = create_backup(auditor, d.dir / "auditor.bak");
    REQUIRE_MESSAGE(by_auditor, error_of(by_auditor));
    auto checked = verify_backup(d.dir / "auditor.bak", as("auditor1", person_passphrase, d.clock), std::nullopt);
    REQUIRE_MESSAGE(checked, error_of(checked));
    CHECK(checked->signer == "auditor1");

    auto by_custodian = create_backup(custodian, d.dir / "custodian.bak");
    REQUIRE_FALSE(by_custodian);
    CHECK(by_custodian.error().code == ErrorCode::denied);
    CHECK_FALSE(std::filesystem::exists(d.dir / "custodian.bak"));
    std::string last_action;
    REQUIRE(for_each_event(d.admin, [&](const EventSummary& e) {
        last_action = e.action + " by " + e.actor;
        return true;
    }));
    CHECK(last_action == "access.denied by operator1");
    // The refusal left no scratch directory either.
    for (const auto& e : std::filesystem::directory_iterator(d.dir.path()))
        CHECK_FALSE(e.path().filename().string().starts_with("."));
}

TEST_CASE("a backup never replaces a file, and restore never touches an existing vault") {
    District d;
    write_bytes(d.dir / "taken.bak", as_bytes(std::string_view("someone's file")));
    auto again = create_backup(d.admin, d.dir / "taken.bak");
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::conflict);
    Bytes untouched = read_bytes(d.dir / "taken.bak");
    CHECK(std::string(untouched.begin(), untouched.end()) == "someone's file");

    REQUIRE(create_backup(d.admin, d.dir / "b.bak"));
    auto over = restore_backup(d.dir / "b.bak", d.dir / "v", as("admin", test_passphrase, d.clock), std::nullopt);
    REQUIRE_FALSE(over);
    CHECK(over.error().code == ErrorCode::vault_exists);
    std::filesystem::create_directory(d.dir / "busy");
    write_bytes(d.dir / "busy" / "notes.txt", as_bytes(std::string_view("x")));
    auto into_busy = restore_backup(d.dir / "b.bak", d.dir / "busy", as("admin", test_passphrase, d.clock), std::nullopt);
    REQUIRE_FALSE(into_busy);
    CHECK(entries_in(d.dir / "busy") == 1);
    // An empty directory is fine.
    std::filesystem::create_directory(d.dir / "empty");
    CHECK(restore_backup(d.dir / "b.bak", d.dir / "empty", as("admin", test_passphrase, d.clock), std::nullopt));
}

TEST_CASE("one changed byte anywhere in a backup fails verify and restore, which create nothing") {
    District d;
    REQUIRE(create_backup(d.admin, d.dir / "b.bak"));
    const Bytes good = read_bytes(d.dir / "b.bak");
    REQUIRE(good.size() > 4096);
    // Every byte of the header, manifest and signature, and a spread over the parts.
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < 263 && i < good.size(); ++i) offsets.push_back(i);
    for (std::size_t i = 263; i < good.size(); i += 1531) offsets.push_back(i);
    offsets.push_back(good.size() - 1);
    const std::size_t before = entries_in(d.dir.path());
    for (std::size_t offset : offsets) {
        CAPTURE(offset);
        Bytes bad = good;
        bad[offset] ^= 0x20;
        write_bytes(d.dir / "bad.bak", bad);
        auto verified = verify_backup(d.dir / "bad.bak", as("admin", test_passphrase, d.clock), std::nullopt);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().code == ErrorCode::verification_failed);
        auto restored = restore_backup(d.dir / "bad.bak", d.dir / "r", as("admin", test_passphrase, d.clock), std::nullopt);
        REQUIRE_FALSE(restored);
        CHECK(restored.error().code == ErrorCode::verification_failed);
        CHECK_FALSE(std::filesystem::exists(d.dir / "r"));
        CHECK(entries_in(d.dir.path()) == before + 1); // bad.bak, and nothing else
    }
    CHECK(verify_backup(d.dir / "b.bak", as("admin", test_passphrase, d.clock), std::nullopt));
}

TEST_CASE("a bundle signed again with a key its log does not know is refused") {
    District d;
    auto m = create_backup(d.admin, d.dir / "b.bak");
    REQUIRE(m);
    // Take the parts out of the genuine bundle and sign the same manifest with a stranger's key:
    // the signature verifies, but the log inside names another key for the backup's author.
    Bytes bundle = read_bytes(d.dir / "b.bak");
    std::size_t parts = bundle.size() - m->keyring_size - m->store_size;
    Bytes keyring(bundle.begin() + static_cast<std::ptrdiff_t>(parts),
                  bundle.begin() + static_cast<std::ptrdiff_t>(parts + m->keyring_size));
    write_bytes(d.dir / "store.part", ByteView(bundle).subspan(parts + m->keyring_size));
    REQUIRE(write_backup_bundle(d.dir / "forged.bak", *m, SigningKey::generate(), keyring, d.dir / "store.part"));
    auto verified = verify_backup(d.dir / "forged.bak", as("admin", test_passphrase, d.clock), std::nullopt);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().code == ErrorCode::verification_failed);
    CHECK(verified.error().message.find("it is signed with a key that is not admin's in its own log") != std::string::npos);
}

TEST_CASE("a checkpoint taken after a backup makes it fail, one taken before it passes") {
    District d;
    auto before = take_checkpoint(d.admin);
    REQUIRE(before);
    d.clock.advance_seconds(1);
    REQUIRE(create_backup(d.admin, d.dir / "old.bak"));
    d.clock.advance_seconds(1);
    auto after = take_checkpoint(d.admin);
    REQUIRE(after);

    CHECK(verify_backup(d.dir / "old.bak", as("admin", test_passphrase, d.clock), *before));
    auto rolled_back = verify_backup(d.dir / "old.bak", as("admin", test_passphrase, d.clock), *after);
    REQUIRE_FALSE(rolled_back);
    CHECK(rolled_back.error().message.find("truncated or rolled back") != std::string::npos);
    REQUIRE(create_backup(d.admin, d.dir / "new.bak"));
    CHECK(verify_backup(d.dir / "new.bak", as("admin", test_passphrase, d.clock), *after));
}

TEST_CASE("a backup holds no name, password or plain store page that a reader without a slot could use") {
    District d;
    REQUIRE(create_backup(d.admin, d.dir / "b.bak"));
    Bytes bundle = read_bytes(d.dir / "b.bak");
    for (std::string_view plain : {"SQLite format 3", "Ponorogo", "Bawaslu", "panwascam", "rahasia-pertama", "admin", "35.02.01"}) {
        CAPTURE(plain);
        CHECK_FALSE(contains(bundle, plain));
    }
    // A wrong passphrase opens nothing in it.
    auto wrong = verify_backup(d.dir / "b.bak", as("admin", "not-the-passphrase-at-all", d.clock), std::nullopt);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::wrong_passphrase);
}
