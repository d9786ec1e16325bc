// A small district for the vault-operation tests: one sub-district (35.02.01) with one
// account and one password, inside a term for every sub-district (term_name, from ten days
// before the tests' start to term_end_us), and a way to add enrolled people.
#pragma once

#include "support/test_vault.hpp"

#include <fstream>
#include <iterator>
#include <utility>

namespace brankas::test {

inline SecretInput password(std::string_view p, std::string reason = "test") {
    SecretInput in;
    in.password = SecretBytes::copy_of(as_bytes(p));
    in.reason = std::move(reason);
    return in;
}

inline std::string text_of(const SecretBytes& s) { return std::string(s.text()); }

inline constexpr std::string_view person_passphrase = "kebun-teh-gunung-wilis-2029";
inline constexpr std::string_view term_name = "Pemilu 2027";
inline constexpr std::int64_t term_end_us = test_start_us + 100 * policy::day_us;

struct District {
    TempDir dir;
    FixedClock clock{test_start_us};
    Session admin = make_test_vault(dir, clock);
    std::int64_t account = 0;

    District() {
        REQUIRE(add_unit(admin, "35.02.01", "Ponorogo"));
        REQUIRE(add_term(admin, term_name, test_start_us - 10 * policy::day_us, term_end_us, {}));
        auto a = add_account(admin, "35.02.01", {"instagram", "panwascam.ponorogo", "", "", ""});
        REQUIRE(a);
        account = a->id;
        REQUIRE(set_secret(admin, account, password("rahasia-pertama")));
    }

    Session person(const std::string& name, policy::Role role, std::vector<std::string> units = {}) {
        auto code = add_user(admin, name, role, units, kdf_limits(KdfProfile::test));
        REQUIRE_MESSAGE(code, (code ? "" : code.error().message));
        clock.advance_seconds(1);
        auto v = Vault::enroll(dir / "v", name, code->code.text(), passphrase_of(person_passphrase),
                               kdf_limits(KdfProfile::test), clock);
        REQUIRE_MESSAGE(v, (v ? "" : v.error().message));
        return std::move(*v);
    }

    // Opens as the enforcer whose key file is at `key_file`.
    Session open_enforcer(const std::filesystem::path& key_file, std::string_view name = "enforcer") {
        auto v = Vault::open_with_key_file(dir / "v", name, [&]() -> Result<SecretBytes> {
            std::ifstream in(key_file, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            return SecretBytes::copy_of(as_bytes(bytes));
        }, clock);
        REQUIRE_MESSAGE(v, (v ? "" : v.error().message));
        return std::move(*v);
    }

    Result<Session> open_as(std::string_view name, std::string_view passphrase = person_passphrase) {
        return Vault::open(dir / "v", name, passphrase_of(passphrase), clock);
    }

    // A second sub-district, 35.02.09, whose term ended early and whose grace period has passed
    // (outside every term; the clock moves eight days on), with one account that has a password,
    // and a custodian `operator1` of both sub-districts whom the policy lets break the glass.
    // Returns the account's id and the custodian's session.
    std::pair<std::int64_t, Session> account_outside_every_term() {
        REQUIRE(add_unit(admin, "35.02.09", "Jenangan"));
        REQUIRE(end_term(admin, term_name, {"35.02.09"}));
        clock.advance_seconds(8 * 24 * 3600);
        auto outside = add_account(admin, "35.02.09", {"tiktok", "panwascam.jenangan", "", "", ""});
        REQUIRE(outside);
        REQUIRE(set_secret(admin, outside->id, password("sandi-jenangan-lama")));
        Session operator1 = person("operator1", policy::Role::custodian, {"35.02.01", "35.02.09"});
        REQUIRE(set_policy(admin, "[break_glass]\nroles = [\"admin\", \"custodian\"]\n"));
        return {outside->id, std::move(operator1)};
    }
};

} // namespace brankas::test
