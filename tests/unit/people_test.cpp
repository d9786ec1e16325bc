// Ending people and changing keys: user disable (with and without a new store key), a
// re-key interrupted by a crash, user passwd, and the enforcer's key-file slot.
#include "support/district.hpp"
#include "support/file_mode.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/projection.hpp"

#include <fstream>

using namespace brankas;
using namespace brankas::test;

namespace {

// K_db as the admin's slot in the keyring on disk holds it now.
SecretBytes admin_slot_key(const District& d) {
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    auto s = k->open_with_passphrase("admin", test_passphrase);
    REQUIRE(s);
    return std::move(s->store_key);
}

PublicKey unit_public_key(Session& v) {
    Statement s = *store_of(v).prepare("SELECT public_key FROM units WHERE code = '35.02.01'");
    REQUIRE(*s.step());
    PublicKey k{};
    auto raw = s.column_raw(0);
    std::copy(raw.begin(), raw.end(), k.begin());
    return k;
}

std::string vault_file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool opens_with(const District& d, const SecretBytes& key) {
    return Database::open_encrypted(d.dir / "v" / "store.db", key, Database::Mode::open_existing).has_value();
}

} // namespace

TEST_CASE("disabling a custodian removes their slot, retires their key and rotates their sub-district") {
    District d;
    {
        Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    }
    PublicKey before = unit_public_key(d.admin);
    REQUIRE(disable_user(d.admin, "operator1", StoreRekey::no));

    CHECK(unit_public_key(d.admin) != before);
    auto accounts = list_accounts(d.admin, {});
    REQUIRE(accounts);
    CHECK(accounts->at(0).rotation_due);
    CHECK(text_of(VaultTestAccess::open_version(d.admin, d.account, 1)->password) == "rahasia-pertama");
    auto users = list_users(d.admin);
    REQUIRE(users);
    auto op = std::find_if(users->begin(), users->end(), [](const UserInfo& u) { return u.name == "operator1"; });
    REQUIRE(op != users->end());
    CHECK(op->status == "disabled");
    CHECK(op->units.empty());
    CHECK_FALSE(op->slot);

    auto gone = d.open_as("operator1");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == ErrorCode::no_such_user);
    CHECK(verify(d.admin, std::nullopt)->ok);

    auto twice = disable_user(d.admin, "operator1", StoreRekey::no);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message == "user 'operator1' is already disabled");
    auto self = disable_user(d.admin, "admin", StoreRekey::no);
    REQUIRE_FALSE(self);
    CHECK(self.error().message == "you cannot disable yourself");
}

TEST_CASE("a session opened before its person was disabled signs nothing more, not even a refusal") {
    District d;
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    REQUIRE(custodian.check_standing());
    Session admin2 = d.person("admin2", policy::Role::admin, {});
    REQUIRE(disable_user(admin2, "operator1", StoreRekey::no));
    const auto events = *store_of(d.admin).query_int("SELECT count(*) FROM events");
    auto standing = custodian.check_standing();
    REQUIRE_FALSE(standing);
    CHECK(standing.error().code == ErrorCode::denied);
    CHECK(standing.error().message == "'operator1' may no longer act in this vault: an admin disabled the user or replaced its keys");
    // What a custodian may not do was a signed refusal; now nothing is written, and the log verifies.
    auto refused = add_unit(custodian, "35.02.03", "Jenangan");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == standing.error().message);
    auto read = checkout(custodian, d.account, {"unggah", std::nullopt, false});
    REQUIRE_FALSE(read);
    CHECK(read.error().message == standing.error().message);
    CHECK(*store_of(d.admin).query_int("SELECT count(*) FROM events") == events);
    CHECK(verify(d.admin, std::nullopt)->ok);
    // A session whose person is still in standing goes on.
    CHECK(d.admin.check_standing());
}

TEST_CASE("a refusal of the name itself is told from the vault failing to open") {
    District d;
    REQUIRE(add_user(d.admin, "pending1", policy::Role::custodian, {"35.02.01"}, kdf_limits(KdfProfile::test)));
    for (const char* name : {"nobody", "pending1", "recovery"}) {
        CAPTURE(name);
        auto refused = d.open_as(name);
        REQUIRE_FALSE(refused);
        CHECK(refuses_the_name(refused.error()));
    }
    // Not about the name: a vault that is not there, a person no longer in standing.
    auto no_vault = Vault::open(d.dir / "elsewhere", "admin", passphrase_of(test_passphrase), d.clock);
    REQUIRE_FALSE(no_vault);
    CHECK_FALSE(refuses_the_name(no_vault.error()));
    Error other = fail_phrased(ErrorCode::denied, i18n::tr_noop("the vault at %1$s belongs to %2$s"), {"x", "y"}).error();
    CHECK_FALSE(refuses_the_name(other));
    Error usage = fail_phrased(ErrorCode::usage, i18n::tr_noop("the key-derivation limits are out of range"), {}).error();
    CHECK_FALSE(refuses_the_name(usage));
}

TEST_CASE("a custodian may not disable anyone, and the refusal is logged") {
    District d;
    d.person("auditor1", policy::Role::auditor);
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto r = disable_user(custodian, "auditor1", StoreRekey::no);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::denied);
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("disable --rekey moves the store to a fresh key that every remaining slot reaches") {
    District d;
    SecretBytes old_key = admin_slot_key(d);
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    { Session staying = d.person("operator2", policy::Role::custodian, {"35.02.01"}); }
    auto pending_code = add_user(d.admin, "auditor1", policy::Role::auditor, {}, kdf_limits(KdfProfile::test));
    REQUIRE(pending_code);
    REQUIRE(add_enforcer(d.admin, "enforcer", d.dir / "enforcer.key"));

    REQUIRE(disable_user(d.admin, "operator1", StoreRekey::yes));
    CHECK(vault_status(d.admin)->store_generation == 2);
    // The old K_db (which operator1 had) opens nothing now; the admin's slot still holds it,
    // and its envelope holds the new one.
    CHECK_FALSE(opens_with(d, old_key));
    CHECK(admin_slot_key(d).equals(old_key.view()));
    CHECK(verify(d.admin, std::nullopt)->ok);

    // Everyone who stays gets in: by passphrase, by enrollment code, by key file.
    auto staying = d.open_as("operator2");
    REQUIRE_MESSAGE(staying, (staying ? "" : staying.error().message));
    CHECK(text_of(reveal_secret(*staying, d.account, "after rekey", SecretPart::password)->payload.password) == "rahasia-pertama");
    auto admin_again = open_test_vault(d.dir, d.clock);
    CHECK(vault_status(admin_again)->store_generation == 2);
    auto enrolled = Vault::enroll(d.dir / "v", "auditor1", pending_code->code.text(), passphrase_of(person_passphrase),
                                  kdf_limits(KdfProfile::test), d.clock);
    REQUIRE_MESSAGE(enrolled, (enrolled ? "" : enrolled.error().message));
    const std::string key = vault_file_bytes(d.dir / "enforcer.key");
    auto enforcer = Vault::open_with_key_file(d.dir / "v", "enforcer",
                                              [&]() -> Result<SecretBytes> { return SecretBytes::copy_of(as_bytes(key)); }, d.clock);
    REQUIRE_MESSAGE(enforcer, (enforcer ? "" : enforcer.error().message));

    // The enrolled auditor's new slot holds generation 2 itself: its envelope is gone.
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    CHECK(k->find("auditor1")->store_generation == 2);
    CHECK(k->envelopes_for(slot_id_for(k->vault_id(), "auditor1")).empty());
    CHECK(k->envelopes_for(slot_id_for(k->vault_id(), "admin")).size() == 1);
    CHECK_FALSE(k->find("operator1"));

    SUBCASE("a second re-key replaces the envelopes and keeps everyone in") {
        REQUIRE(disable_user(d.admin, "auditor1", StoreRekey::yes));
        CHECK(vault_status(d.admin)->store_generation == 3);
        auto k3 = Keyring::load(d.dir / "v" / "keyring");
        REQUIRE(k3);
        for (const auto& e : k3->envelopes()) CHECK(e.generation == 3);
        CHECK(d.open_as("operator2"));
        CHECK(verify(d.admin, std::nullopt)->ok);
    }
}

TEST_CASE("a re-key interrupted after its commit is finished by the next open") {
    District d;
    SecretBytes old_key = admin_slot_key(d);
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    REQUIRE(VaultTestAccess::disable_without_rewriting(d.admin, "operator1"));
    // As after a crash: the log announces generation 2, the pages are still under generation 1.
    CHECK(opens_with(d, old_key));

    auto reopened = open_test_vault(d.dir, d.clock);
    CHECK(vault_status(reopened)->store_generation == 2);
    CHECK_FALSE(opens_with(d, old_key));
    CHECK(verify(reopened, std::nullopt)->ok);

    // A connection still open under the old key cannot write pages under it: its first read of
    // a re-keyed page fails, and the store stays whole. It says the key changed (the keyring
    // holds a newer one), not that the store was tampered with.
    auto stale = add_unit(d.admin, "35.02.02", "Jenangan");
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == ErrorCode::busy);
    CHECK(stale.error().message == "the vault's key changed while this command ran; run it again");
    CHECK(add_unit(reopened, "35.02.02", "Jenangan"));
    CHECK(verify(reopened, std::nullopt)->ok);
}

TEST_CASE("an envelope for a key the store never used is harmless") {
    // As after a crash before the disable event committed: the keyring holds envelopes of a
    // generation the store never reached.
    District d;
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    auto secrets = k->open_with_passphrase("admin", test_passphrase);
    REQUIRE(secrets);
    SecretBytes unused(store_key_size);
    random_fill(unused.span());
    BoxKeyPair box = BoxKeyPair::from_secret(secrets->box_secret);
    k->put_envelope(k->seal_store_key(slot_id_for(k->vault_id(), "admin"), 2, unused, box.public_key()));
    REQUIRE(k->save(d.dir / "v" / "keyring"));

    auto v = open_test_vault(d.dir, d.clock);
    CHECK(vault_status(v)->store_generation == 1);
    // The next re-key replaces it with a key that works.
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    REQUIRE(disable_user(v, "operator1", StoreRekey::yes));
    Session reopened = open_test_vault(d.dir, d.clock);
    CHECK(vault_status(reopened)->store_generation == 2);
}

TEST_CASE("user passwd seals the slot under the new passphrase only") {
    District d;
    { Session p = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    auto v = d.open_as("operator1");
    REQUIRE(v);

    auto same = change_passphrase(*v, passphrase_of(person_passphrase), kdf_limits(KdfProfile::test));
    REQUIRE_FALSE(same);
    CHECK(same.error().message == "the new passphrase is the one you have now");
    auto weak = change_passphrase(*v, passphrase_of("operator1"), kdf_limits(KdfProfile::test));
    REQUIRE_FALSE(weak);
    CHECK(weak.error().code == ErrorCode::weak_passphrase);

    REQUIRE(change_passphrase(*v, passphrase_of("sungai-madiun-mengalir-pelan-7"), kdf_limits(KdfProfile::test)));
    auto old = d.open_as("operator1");
    REQUIRE_FALSE(old);
    CHECK(old.error().code == ErrorCode::wrong_passphrase);
    auto fresh = d.open_as("operator1", "sungai-madiun-mengalir-pelan-7");
    REQUIRE(fresh);
    CHECK(text_of(reveal_secret(*fresh, d.account, "check", SecretPart::password)->payload.password) == "rahasia-pertama");
    bool logged = false;
    REQUIRE(for_each_event(d.admin, [&](const EventSummary& e) {
        if (e.action == "user.passwd" && e.actor == "operator1") logged = true;
        return true;
    }));
    CHECK(logged);
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("the enforcer opens with its key file, seals passwords and cannot read one") {
    District d;
    const auto key_path = d.dir / "enforcer.key";
    REQUIRE(add_enforcer(d.admin, "enforcer", key_path));
    CHECK(mode_of(key_path) == 0600);
    CHECK(std::filesystem::file_size(key_path) == 32);
    const std::string bytes = vault_file_bytes(key_path);
    KeyFileSource key = [&]() -> Result<SecretBytes> { return SecretBytes::copy_of(as_bytes(bytes)); };

    auto enforcer = Vault::open_with_key_file(d.dir / "v", "enforcer", key, d.clock);
    REQUIRE_MESSAGE(enforcer, (enforcer ? "" : enforcer.error().message));
    CHECK(enforcer->role() == policy::Role::enforcer);
    // After the term it seals a new pending password, which only an admin can open.
    d.clock.set(term_end_us + 8 * policy::day_us);
    auto run = enforce(*enforcer);
    REQUIRE_MESSAGE(run, (run ? "" : run.error().message));
    REQUIRE(run->sealed == 1);
    auto direct = VaultTestAccess::open_version(*enforcer, d.account, 2);
    REQUIRE_FALSE(direct);
    CHECK(direct.error().code == ErrorCode::denied);
    CHECK(VaultTestAccess::open_version(d.admin, d.account, 2)->password.size() == 20);
    auto no_passwd = change_passphrase(*enforcer, passphrase_of("apa-saja-yang-panjang-99"), kdf_limits(KdfProfile::test));
    REQUIRE_FALSE(no_passwd);
    CHECK(no_passwd.error().message.find("key file") != std::string::npos);

    // A passphrase does not open a key-file slot, nor a key file a passphrase slot.
    auto by_passphrase = Vault::open(d.dir / "v", "enforcer", passphrase_of(test_passphrase), d.clock);
    REQUIRE_FALSE(by_passphrase);
    CHECK(by_passphrase.error().message == "user 'enforcer' unlocks with a key file, not a passphrase");
    auto admin_by_key = Vault::open_with_key_file(d.dir / "v", "admin", key, d.clock);
    REQUIRE_FALSE(admin_by_key);
    CHECK(admin_by_key.error().message == "user 'admin' unlocks with a passphrase, not a key file");

    // An existing file is never replaced, and nothing is created then.
    auto again = add_enforcer(d.admin, "enforcer2", key_path);
    REQUIRE_FALSE(again);
    CHECK(list_users(d.admin)->size() == 2);
    CHECK(vault_file_bytes(key_path) == bytes);
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("a refused enforcer add leaves no key file behind") {
    District d;
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto r = add_enforcer(custodian, "enforcer", d.dir / "enforcer.key");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::denied);
    CHECK_FALSE(std::filesystem::exists(d.dir / "enforcer.key"));
    auto taken = add_enforcer(d.admin, "operator1", d.dir / "enforcer.key");
    REQUIRE_FALSE(taken);
    CHECK_FALSE(std::filesystem::exists(d.dir / "enforcer.key"));
}

TEST_CASE("a key slipped into an envelope during an unfinished re-key is not used") {
    // The leaver still holds the old K_db, so they can read everyone's box keys and seal an
    // envelope with a key of their choosing. The signed event's check value refuses it.
    District d;
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    REQUIRE(VaultTestAccess::disable_without_rewriting(d.admin, "operator1"));
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    auto admin_box = find_principal(store_of(d.admin), "admin");
    REQUIRE(admin_box);
    SecretBytes chosen(store_key_size);
    random_fill(chosen.span());
    k->put_envelope(k->seal_store_key(slot_id_for(k->vault_id(), "admin"), 2, chosen, (*admin_box)->box_key));
    REQUIRE(k->save(d.dir / "v" / "keyring"));

    auto r = Vault::open(d.dir / "v", "admin", passphrase_of(test_passphrase), d.clock);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::store_corrupt);
    CHECK_FALSE(opens_with(d, chosen));
}

TEST_CASE("a process that opened before a re-key was announced cannot add a slot with the old key") {
    District d;
    { Session leaving = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
    Session earlier = open_test_vault(d.dir, d.clock);
    REQUIRE(VaultTestAccess::disable_without_rewriting(d.admin, "operator1"));
    auto added = add_enforcer(earlier, "enforcer", d.dir / "enforcer.key");
    REQUIRE_FALSE(added);
    CHECK(added.error().code == ErrorCode::busy);
    CHECK(added.error().message == "the vault's key changed while this command ran; run it again");
    CHECK_FALSE(std::filesystem::exists(d.dir / "enforcer.key"));
    auto again = open_test_vault(d.dir, d.clock);
    CHECK(add_enforcer(again, "enforcer", d.dir / "enforcer.key"));
}

TEST_CASE("an envelope that does not open is passed over, and enrolling drops stale ones") {
    District d;
    auto code = add_user(d.admin, "auditor1", policy::Role::auditor, {}, kdf_limits(KdfProfile::test));
    REQUIRE(code);
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    SecretBytes junk(store_key_size);
    random_fill(junk.span());
    BoxKeyPair stranger = BoxKeyPair::generate();
    for (const char* who : {"admin", "auditor1"})
        k->put_envelope(k->seal_store_key(slot_id_for(k->vault_id(), who), 2, junk, stranger.public_key()));
    REQUIRE(k->save(d.dir / "v" / "keyring"));

    {
        Session reopened = open_test_vault(d.dir, d.clock);
        CHECK(vault_status(reopened)->store_generation == 1);
    }
    auto enrolled = Vault::enroll(d.dir / "v", "auditor1", code->code.text(), passphrase_of(person_passphrase),
                                  kdf_limits(KdfProfile::test), d.clock);
    REQUIRE_MESSAGE(enrolled, (enrolled ? "" : enrolled.error().message));
    auto after = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(after);
    CHECK(after->envelopes_for(slot_id_for(after->vault_id(), "auditor1")).empty());
    CHECK(d.open_as("auditor1"));
}

TEST_CASE("disabling an admin also ends the enrollment codes and key files that passed through their hands") {
    District d;
    Session second = d.person("admin2", policy::Role::admin);
    REQUIRE(add_user(second, "operator9", policy::Role::custodian, {"35.02.01"}, kdf_limits(KdfProfile::test)));
    REQUIRE(add_enforcer(second, "enforcer", d.dir / "enforcer.key"));
    { Session own = d.person("operator1", policy::Role::custodian, {"35.02.01"}); } // added by admin: stays

    auto also = disable_user(d.admin, "admin2", StoreRekey::yes);
    REQUIRE_MESSAGE(also, (also ? "" : also.error().message));
    CHECK(*also == std::vector<std::string>{"enforcer", "operator9"});
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    CHECK_FALSE(k->find("enforcer"));
    CHECK_FALSE(k->find("operator9"));
    CHECK(d.open_as("operator1"));
    auto users = list_users(d.admin);
    REQUIRE(users);
    for (const auto& u : *users)
        if (u.name == "enforcer" || u.name == "operator9" || u.name == "admin2") CHECK(u.status == "disabled");
    CHECK(verify(d.admin, std::nullopt)->ok);
}
