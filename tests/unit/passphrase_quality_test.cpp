#include "vault/encoding.hpp"
#include "vault/people/passphrase_quality.hpp"

#include <doctest/doctest.h>

using namespace brankas;

TEST_CASE("a new passphrase needs at least 15 characters, counted as a person counts them") {
    auto short_one = check_new_passphrase("kuda-lari-sawah", "admin", 16);
    REQUIRE_FALSE(short_one);
    CHECK(short_one.error().code == ErrorCode::weak_passphrase);
    CHECK(short_one.error().message.find("shorter than 16 characters") != std::string::npos);
    // 15 characters, 17 bytes: accepted, because people count characters.
    CHECK(utf8_length("sémaphore-évent") == 15);
    CHECK(check_new_passphrase("kuda-lari-di-sawah-hijau", "admin"));
}

TEST_CASE("common and systematic passphrases are refused even when long enough") {
    for (const char* weak : {"passwordpassword", "123456789012345678", "aaaaaaaaaaaaaaaaaaaa", "qwertyuiopasdfghjkl",
                             "iloveyou12345678", "abcabcabcabcabcabc", "dragondragondragon"}) {
        INFO(weak);
        auto r = check_new_passphrase(weak, "admin");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::weak_passphrase);
        CHECK_FALSE(r.error().hint.empty());
    }
}

TEST_CASE("a passphrase built around the user's own name is refused") {
    auto r = check_new_passphrase("operator1operator1", "operator1");
    CHECK_FALSE(r);
}
