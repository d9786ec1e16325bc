// Sub-districts, accounts, secrets and people through the vault API: keys, not checks, keep
// auditors out; sealed versions are bound to their row; revoking rotates a unit's key.
#include "support/district.hpp"
#include "vault/projection.hpp"
#include "vault/secrets/secret_events.hpp"

using namespace brankas;
using namespace brankas::test;


TEST_CASE("an auditor's unlocked vault cannot open a secret even when the library is called directly") {
    District d;
    Session auditor = d.person("auditor1", policy::Role::auditor);
    auto direct = VaultTestAccess::open_version(auditor, d.account, 1);
    REQUIRE_FALSE(direct);
    CHECK(direct.error().code == ErrorCode::denied);
    CHECK(direct.error().message.find("holds no key for sub-district 35.02.01") != std::string::npos);
    // Through the API the policy refuses first, and says so in the log.
    auto shown = reveal_secret(auditor, d.account, "audit", SecretPart::password);
    REQUIRE_FALSE(shown);
    CHECK(shown.error().message == "an auditor may not read passwords");
    // The admin and a granted custodian open the same version.
    CHECK(text_of(VaultTestAccess::open_version(d.admin, d.account, 1)->password) == "rahasia-pertama");
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto read = reveal_secret(custodian, d.account, "posting", SecretPart::password);
    REQUIRE(read);
    CHECK(text_of(read->payload.password) == "rahasia-pertama");
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("a sealed version moved to another account or version is refused") {
    District d;
    auto other = add_account(d.admin, "35.02.01", {"facebook", "panwascam.ponorogo", "", "", ""});
    REQUIRE(other);
    REQUIRE(set_secret(d.admin, other->id, password("rahasia-kedua")));
    REQUIRE(set_secret(d.admin, d.account, password("rahasia-ketiga")));
    Database& db = store_of(d.admin);

    SUBCASE("copied row and event reference: the event does not match the row") {
        REQUIRE(db.exec("UPDATE secret_versions SET sealed = (SELECT sealed FROM secret_versions WHERE account = 2), "
                        "sealed_seq = (SELECT sealed_seq FROM secret_versions WHERE account = 2) WHERE account = 1 AND version = 2"));
        auto r = reveal_secret(d.admin, d.account, "check", SecretPart::password);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::store_corrupt);
        CHECK(r.error().message.find("cannot be trusted") != std::string::npos);
    }
    SUBCASE("version 1's blob as version 2: the payload names version 1") {
        // Even with the event check passed (the event really sealed these bytes), the payload
        // inside names its own account and version.
        auto moved = VaultTestAccess::open_version(d.admin, d.account, 1);
        REQUIRE(moved);
        CHECK(moved->version == 1);
        auto wrong = decode_secret_payload(encode_secret_payload(*moved)->view(), static_cast<std::uint64_t>(d.account), 2);
        REQUIRE_FALSE(wrong);
        CHECK(wrong.error().message.find("names account 1 version 1, not account 1 version 2") != std::string::npos);
    }
    SUBCASE("a version sealed outside the log by someone holding only the public key") {
        REQUIRE(db.exec("UPDATE secret_versions SET sealed_seq = 1 WHERE account = 1 AND version = 2"));
        auto r = reveal_secret(d.admin, d.account, "check", SecretPart::password);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::store_corrupt);
    }
}

TEST_CASE("an enrollment code expires after 72 hours and works once") {
    District d;
    auto code = add_user(d.admin, "operator1", policy::Role::custodian, {"35.02.01"}, kdf_limits(KdfProfile::test));
    REQUIRE(code);
    CHECK(code->expires_us == test_start_us + policy::Policy{}.enrollment_code_lifetime_us);
    auto open_pending = Vault::open(d.dir / "v", "operator1", passphrase_of("x"), d.clock);
    REQUIRE_FALSE(open_pending);
    CHECK(open_pending.error().message.find("has not enrolled yet") != std::string::npos);

    SUBCASE("too late") {
        d.clock.advance_seconds(72 * 3600 + 1);
        auto v = Vault::enroll(d.dir / "v", "operator1", code->code.text(), passphrase_of("kebun-teh-gunung-wilis-2029"),
                               kdf_limits(KdfProfile::test), d.clock);
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::denied);
        CHECK(v.error().message.find("has expired") != std::string::npos);
    }
    SUBCASE("in time, with the code typed in lower case, then never again") {
        d.clock.advance_seconds(71 * 3600);
        std::string typed(code->code.text());
        for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto v = Vault::enroll(d.dir / "v", "operator1", typed, passphrase_of("kebun-teh-gunung-wilis-2029"),
                               kdf_limits(KdfProfile::test), d.clock);
        REQUIRE_MESSAGE(v, (v ? "" : v.error().message));
        auto again = Vault::enroll(d.dir / "v", "operator1", code->code.text(), passphrase_of("kebun-teh-gunung-wilis-2029"),
                                   kdf_limits(KdfProfile::test), d.clock);
        REQUIRE_FALSE(again);
        CHECK(again.error().message.find("already enrolled") != std::string::npos);
        // The person's own passphrase opens the vault, with the unit key re-sealed to their new key.
        auto own = Vault::open(d.dir / "v", "operator1", passphrase_of("kebun-teh-gunung-wilis-2029"), d.clock);
        REQUIRE(own);
        CHECK(VaultTestAccess::open_version(*own, d.account, 1));
        CHECK(verify(d.admin, std::nullopt)->ok);
    }
}

TEST_CASE("revoking a custodian rotates the unit key, re-seals every version and flags the accounts") {
    District d;
    REQUIRE(set_secret(d.admin, d.account, password("rahasia-kedua")));
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    Statement key = *store_of(d.admin).prepare("SELECT public_key FROM units WHERE code = '35.02.01'");
    REQUIRE(*key.step());
    Bytes before = key.column_blob(0);

    REQUIRE(revoke(d.admin, "operator1", "35.02.01"));
    key.reset();
    REQUIRE(*key.step());
    CHECK(key.column_blob(0) != before);
    auto units = list_units(d.admin);
    REQUIRE(units);
    CHECK(units->at(0).key_version == 2);
    CHECK(units->at(0).key_holders == std::vector<std::string>{"admin"});
    CHECK(text_of(VaultTestAccess::open_version(d.admin, d.account, 1)->password) == "rahasia-pertama");
    CHECK(text_of(VaultTestAccess::open_version(d.admin, d.account, 2)->password) == "rahasia-kedua");
    CHECK(find_account(d.admin, "instagram/panwascam.ponorogo")->rotation_due);
    // The custodian's old copy of the key is gone and would not open the new seals anyway.
    CHECK_FALSE(VaultTestAccess::open_version(custodian, d.account, 2));
    // A new password clears the flag.
    REQUIRE(set_secret(d.admin, d.account, password("rahasia-ketiga")));
    CHECK_FALSE(find_account(d.admin, "1")->rotation_due);
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("the names of the sub-districts asked for are those the person sees, and no other") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    REQUIRE(add_unit(d.admin, "35.02.03", "Jetis"));
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.02"});
    const std::set<std::string> asked{"35.02.01", "35.02.02", "35.02.09"};
    auto all = unit_names(d.admin, asked);
    REQUIRE(all);
    CHECK(*all == std::map<std::string, std::string, std::less<>>{{"35.02.01", "Ponorogo"}, {"35.02.02", "Babadan"}});
    auto own = unit_names(custodian, asked);
    REQUIRE(own);
    CHECK(*own == std::map<std::string, std::string, std::less<>>{{"35.02.02", "Babadan"}});
    CHECK(unit_names(custodian, {})->empty());
}

TEST_CASE("a replayed log refuses an action its actor was not allowed to take") {
    District d;
    Session auditor = d.person("auditor1", policy::Role::auditor);
    // The policy check sits in the projection too: an auditor signing a unit.add by hand
    // cannot get it applied, so no log can contain one.
    Event e;
    e.action = "unit.add";
    e.target = "35.02.09";
    e.details.text("name", "Sawoo").bytes("public_key", Bytes(32, 1));
    e.actor = "auditor1";
    Transaction tx = *Transaction::begin_immediate(store_of(auditor));
    auto appended = append_event(store_of(auditor), e, signing_key_of(auditor), d.clock.now_us(), vault_projection());
    REQUIRE_FALSE(appended);
    CHECK(appended.error().message.find("an auditor may not manage sub-districts") != std::string::npos);
}

namespace {
std::string handle_digits(std::string_view unit) {
    std::string out;
    for (char c : unit)
        if (c != '.') out += c;
    return out;
}
} // namespace

TEST_CASE("a custodian's account list is the admin's, less the sub-districts they do not hold, in the same order") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    REQUIRE(add_unit(d.admin, "35.02.03", "Sukorejo"));
    for (const char* unit : {"35.02.03", "35.02.02", "35.02.01"})
        for (const char* platform : {"youtube", "facebook", "x"})
            REQUIRE(add_account(d.admin, unit, {platform, "pwc" + handle_digits(unit), "", "", ""}));
    REQUIRE(archive_account(d.admin, d.account));
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01", "35.02.03"});

    auto refs = [](const std::vector<AccountInfo>& accounts, bool (*keep)(const AccountInfo&)) {
        std::vector<std::string> out;
        for (const AccountInfo& a : accounts)
            if (keep(a)) out.push_back(a.unit + " " + a.ref());
        return out;
    };
    auto everything = list_accounts(d.admin, {});
    REQUIRE(everything);
    auto own = list_accounts(custodian, {});
    REQUIRE(own);
    auto held = [](const AccountInfo& a) { return a.unit != "35.02.02"; };
    CHECK(refs(*own, [](const AccountInfo&) { return true; }) == refs(*everything, held));
    CHECK(own->size() == 7);
    CHECK(own->front().ref() == "facebook/pwc350201");
    CHECK(own->back().ref() == "youtube/pwc350203");

    // With the status filter too: the archived account of 35.02.01 drops out.
    auto active = list_accounts(custodian, {std::nullopt, AccountStatus::active});
    REQUIRE(active);
    CHECK(active->size() == 6);
    CHECK(active->front().ref() == "facebook/pwc350201");
    // A sub-district asked for by name: its accounts only; another's is refused.
    auto one = list_accounts(custodian, {std::string("35.02.03"), std::nullopt});
    REQUIRE(one);
    CHECK(one->size() == 3);
    auto other = list_accounts(custodian, {std::string("35.02.02"), std::nullopt});
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::denied);
}

TEST_CASE("a reason with a direction or zero-width character is refused now, and a log that holds one still verifies") {
    District d;
    auto refused = reveal_secret(d.admin, d.account, "\u202erapat", SecretPart::password);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::usage);
    CHECK(refused.error().message == "a reason is one line of visible text: it holds U+202E, an invisible character that can make it read as other text");
    CHECK_FALSE(set_secret(d.admin, d.account, password("rahasia-kedua", "ra\u200bpat")));
    CheckoutRequest take;
    take.reason = "rapat\u2069";
    CHECK_FALSE(checkout(d.admin, d.account, take));

    // An older build took them: its events replay as they were written, and the log verifies.
    REQUIRE(VaultTestAccess::record(d.admin, SecretRead{d.account, 1, SecretPart::password, "\u202erapat", false}.encode()));
    REQUIRE(VaultTestAccess::record(d.admin, SecretRead{d.account, 1, SecretPart::password, "ra\u200bpat\ufeff", false}.encode()));
    check_verifies(d.admin);
}
