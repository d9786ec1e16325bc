// Whether each keyring slot is the one the log recorded (docs/formats.md, "Slot hashes"), what a
// person with a damaged slot is told, and what a command says when the store is re-keyed under it.
#include "support/district.hpp"
#include "vault/slot_integrity.hpp"

using namespace brankas;
using namespace brankas::test;

namespace {

std::filesystem::path keyring_path(const District& d) { return d.dir / "v" / "keyring"; }

// Rewrites one principal's slot in the keyring on disk, as a failing disk or a bad copy would.
void damage_slot(const District& d, std::string_view principal, const std::function<void(Slot&)>& change) {
    auto k = Keyring::load(keyring_path(d));
    REQUIRE(k);
    const Slot* found = k->find(principal);
    REQUIRE(found);
    Slot damaged = *found;
    change(damaged);
    // Rebuilt slot by slot, so the damaged one keeps its place (and may take a new id).
    Keyring rebuilt(k->vault_id());
    for (const Slot& s : k->slots()) rebuilt.put(s.id == found->id ? damaged : s);
    REQUIRE(rebuilt.save(keyring_path(d)));
}

SlotState state_of(Session& v, std::string_view principal) {
    auto checks = check_slots(v);
    REQUIRE_MESSAGE(checks, (checks ? "" : checks.error().message));
    for (const SlotCheck& c : *checks)
        if (c.principal == principal) return c.state;
    FAIL("no check for " << principal);
    return SlotState::unrecorded;
}

} // namespace

TEST_CASE("a flipped bit in the recovery slot is found without the shares") {
    District d;
    REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "shares"));
    CHECK(state_of(d.admin, "recovery") == SlotState::intact);

    damage_slot(d, "recovery", [](Slot& s) { s.ciphertext[40] ^= 0x08; });

    CHECK(state_of(d.admin, "recovery") == SlotState::damaged);
    // The log itself still verifies: the keyring is not part of it.
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("every person's slot is recorded when written, and a changed one is damaged") {
    District d;
    { Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    CHECK(state_of(d.admin, "operator1") == SlotState::intact);
    // The first admin's slot predates any record; its first passphrase change records it.
    CHECK(state_of(d.admin, "admin") == SlotState::unrecorded);
    REQUIRE(change_passphrase(d.admin, passphrase_of("sawah-hijau-di-lereng-wilis-2030"), kdf_limits(KdfProfile::test)));
    CHECK(state_of(d.admin, "admin") == SlotState::intact);

    SUBCASE("a flipped bit in the ciphertext") {
        damage_slot(d, "operator1", [](Slot& s) { s.ciphertext[3] ^= 0x01; });
        CHECK(state_of(d.admin, "operator1") == SlotState::damaged);
        // At unlock the tag cannot tell this from a wrong passphrase; the message points to status.
        auto opened = d.open_as("operator1");
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::wrong_passphrase);
        CHECK(opened.error().hint ==
              "if it is right, the slot may be damaged: `brankas status`, run by another user, compares every slot with the log");
    }
    SUBCASE("a flipped bit in the id: the person hears their slot is damaged, not that they do not exist") {
        damage_slot(d, "operator1", [](Slot& s) { s.id[5] ^= 0x20; });
        CHECK(state_of(d.admin, "operator1") == SlotState::damaged);
        auto opened = d.open_as("operator1");
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::keyring_unreadable);
        CHECK(opened.error().message == "the keyring slot of user 'operator1' is damaged (its id no longer matches the name)");
        // A face that tells no name from another says it as it says a name with no slot (the
        // sign-in page, after a derivation, counted by its back-off): it is not the vault failing.
        CHECK(refuses_the_name(opened.error()));
        // A name that never had a slot is still unknown.
        auto nobody = d.open_as("operator9");
        REQUIRE_FALSE(nobody);
        CHECK(nobody.error().code == ErrorCode::no_such_user);
    }
    SUBCASE("a flipped bit in the expiry") {
        damage_slot(d, "operator1", [](Slot& s) { s.expires_us ^= std::int64_t{1} << 62; });
        CHECK(state_of(d.admin, "operator1") == SlotState::damaged);
        auto opened = d.open_as("operator1");
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::keyring_unreadable);
        CHECK(opened.error().message == "the keyring slot of user 'operator1' is damaged (its times are impossible)");
        CHECK(refuses_the_name(opened.error()));
    }
    SUBCASE("an older slot of the same person put back") {
        auto before = Keyring::load(keyring_path(d));
        REQUIRE(before);
        Slot old = *before->find("admin");
        REQUIRE(change_passphrase(d.admin, passphrase_of("kali-brantas-mengalir-jauh-2031"), kdf_limits(KdfProfile::test)));
        CHECK(state_of(d.admin, "admin") == SlotState::intact);
        damage_slot(d, "admin", [&](Slot& s) { s = old; });
        CHECK(state_of(d.admin, "admin") == SlotState::damaged);
    }
}

TEST_CASE("a command whose store was re-keyed under it says so, and is not told the store is damaged") {
    District d;
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    Session other = open_test_vault(d.dir, d.clock);
    REQUIRE(disable_user(other, "operator1", StoreRekey::yes));

    SUBCASE("a read") {
        auto read = list_accounts(d.admin, {});
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ErrorCode::busy);
        CHECK(read.error().message == "the vault's key changed while this command ran; run it again");
    }
    SUBCASE("a write") {
        auto added = add_unit(d.admin, "35.02.02", "Jetis");
        REQUIRE_FALSE(added);
        CHECK(added.error().code == ErrorCode::busy);
        CHECK(added.error().message == "the vault's key changed while this command ran; run it again");
    }
    // Run again, it works (the new key reaches the admin through an envelope).
    Session again = open_test_vault(d.dir, d.clock);
    CHECK(add_unit(again, "35.02.02", "Jetis"));
    CHECK(verify(again, std::nullopt)->ok);
}
