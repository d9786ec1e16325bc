#include "support/file_mode.hpp"
#include "support/test_vault.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/store/schema.hpp"

#include <fstream>

using namespace brankas;
using namespace brankas::test;

TEST_CASE("init creates a private vault directory with a store and a keyring, and the admin can open it") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); }
    CHECK(mode_of(dir / "v") == 0700);
    CHECK(mode_of(dir / "v" / "keyring") == 0600);
    CHECK(mode_of(dir / "v" / "store.db") == 0600);
    // Nothing of the staging directory is left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 1);

    Session v = open_test_vault(dir, clock);
    auto s = vault_status(v);
    REQUIRE(s);
    CHECK(s->institution == "Bawaslu Kabupaten Ponorogo");
    CHECK(s->events == 1);
    CHECK(s->schema_version == latest_schema_version);
    CHECK(s->people == 1);
    CHECK(s->active_people == 1);
    std::vector<PrincipalInfo> principals;
    REQUIRE(for_each_principal(v, [&](const PrincipalInfo& p) -> Status {
        principals.push_back(p);
        return {};
    }));
    REQUIRE(principals.size() == 1);
    CHECK(principals[0].name == "admin");
    CHECK(principals[0].role == "admin");
    REQUIRE(principals[0].slot.has_value());
    CHECK(principals[0].slot->limits == kdf_limits(KdfProfile::test));
    CHECK_FALSE(s->last_checkpoint_seq.has_value());
}

TEST_CASE("init into an existing empty directory works, into anything else it refuses") {
    TempDir dir;
    FixedClock clock(test_start_us);
    std::filesystem::create_directory(dir / "v");
    { Session v = make_test_vault(dir, clock); }

    auto again = Vault::create(dir / "v", test_options(), test_passphrase, clock);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::vault_exists);
    CHECK(again.error().message.find("a vault already exists") != std::string::npos);

    std::filesystem::create_directory(dir / "busy");
    std::ofstream(dir / "busy" / "notes.txt") << "x";
    auto busy = Vault::create(dir / "busy", test_options(), test_passphrase, clock);
    REQUIRE_FALSE(busy);
    CHECK(busy.error().message.find("not empty") != std::string::npos);
}

TEST_CASE("init refuses bad input and leaves nothing behind") {
    TempDir dir;
    FixedClock clock(test_start_us);
    std::string expect;
    Result<Session> r = fail(ErrorCode::internal, "unset");
    SUBCASE("a weak passphrase") {
        r = Vault::create(dir / "v", test_options(), "passwordpassword", clock);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::weak_passphrase);
    }
    SUBCASE("a control character in the institution") {
        r = Vault::create(dir / "v", test_options("Bawaslu\x1b[2J"), test_passphrase, clock);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
    }
    SUBCASE("an invalid admin name") {
        r = Vault::create(dir / "v", test_options("Bawaslu", "Siti Aminah"), test_passphrase, clock);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "v"));
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("opening fails with the error a person can act on") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); }
    auto code_of = [&](const std::filesystem::path& where, std::string_view user, std::string_view pass) {
        auto r = Vault::open(where, user, passphrase_of(pass), clock);
        REQUIRE_FALSE(r);
        return r.error().code;
    };
    CHECK(code_of(dir / "nowhere", "admin", test_passphrase) == ErrorCode::no_vault);
    std::filesystem::create_directory(dir / "empty");
    CHECK(code_of(dir / "empty", "admin", test_passphrase) == ErrorCode::no_vault);
    CHECK(code_of(dir / "v", "siti", test_passphrase) == ErrorCode::no_such_user);
    CHECK(code_of(dir / "v", "admin", "not-the-right-passphrase") == ErrorCode::wrong_passphrase);

    SUBCASE("keyring missing") {
        std::filesystem::remove(dir / "v" / "keyring");
        CHECK(code_of(dir / "v", "admin", test_passphrase) == ErrorCode::keyring_unreadable);
    }
    SUBCASE("store missing") {
        std::filesystem::remove(dir / "v" / "store.db");
        CHECK(code_of(dir / "v", "admin", test_passphrase) == ErrorCode::store_corrupt);
    }
}

TEST_CASE("the passphrase is not asked for when the user does not exist") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); }
    bool asked = false;
    auto r = Vault::open(dir / "v", "siti", [&]() -> Result<SecretBytes> {
        asked = true;
        return SecretBytes::copy_of(as_bytes(test_passphrase));
    }, clock);
    CHECK_FALSE(r);
    CHECK_FALSE(asked);
}

TEST_CASE("a store and a keyring from different vaults are refused together") {
    TempDir a;
    TempDir b;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(a, clock); }
    { Session v = make_test_vault(b, clock); }
    std::filesystem::copy_file(b / "v" / "store.db", a / "v" / "store.db", std::filesystem::copy_options::overwrite_existing);
    auto r = Vault::open(a / "v", "admin", passphrase_of(test_passphrase), clock);
    REQUIRE_FALSE(r);
    // A's K_db does not open B's store.
    CHECK(r.error().code == ErrorCode::store_corrupt);
}

TEST_CASE("a write whose clock is earlier than the last event is refused and changes nothing") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); }
    FixedClock earlier(test_start_us - 3'600'000'000);
    Session v = open_test_vault(dir, earlier);
    auto c = take_checkpoint(v);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::clock_backwards);
    CHECK(vault_status(v)->events == 1);

    FixedClock same(test_start_us);
    Session again = open_test_vault(dir, same);
    CHECK(take_checkpoint(again).has_value());
}

TEST_CASE("a checkpoint is recorded in the log and names its own event") {
    TempDir dir;
    FixedClock clock(test_start_us);
    Session v = make_test_vault(dir, clock);
    clock.advance_seconds(60);
    auto c = take_checkpoint(v);
    REQUIRE(c);
    CHECK(c->seq == 2);
    CHECK(c->signer == "admin");
    CHECK(c->time_us == test_start_us + 60'000'000);
    CHECK(checkpoint_signature_valid(*c));
    auto s = vault_status(v);
    REQUIRE(s);
    CHECK(s->events == 2);
    CHECK(s->head == c->head);
    CHECK(s->last_checkpoint_seq == 2u);
    std::vector<std::string> actions;
    REQUIRE(for_each_event(v, [&](const EventSummary& e) {
        actions.push_back(e.action);
        return true;
    }));
    CHECK(actions == std::vector<std::string>{"vault.create", "audit.checkpoint"});
}

TEST_CASE("neither the institution nor a user name appears in the vault files") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); (void)take_checkpoint(v); }
    for (const char* file : {"store.db", "keyring"}) {
        std::ifstream in(dir / "v" / file, std::ios::binary);
        std::string bytes(std::istreambuf_iterator<char>(in), {});
        INFO(file);
        CHECK(bytes.find("Bawaslu") == std::string::npos);
        CHECK(bytes.find("Ponorogo") == std::string::npos);
        CHECK(bytes.find("admin") == std::string::npos);
    }
}

TEST_CASE("a store with anything added to its schema is refused, a planted trigger included") {
    TempDir dir;
    FixedClock clock(test_start_us);
    {
        Session v = make_test_vault(dir, clock);
        REQUIRE(store_of(v).exec("CREATE TRIGGER t AFTER INSERT ON events BEGIN DELETE FROM checkpoints; END"));
    }
    auto r = Vault::open(dir / "v", "admin", passphrase_of(test_passphrase), clock);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::store_corrupt);
}
