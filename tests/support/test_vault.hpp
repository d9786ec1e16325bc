// A vault for unit tests: fast test KDF, fixed clock, known passphrase.
#pragma once

#include "support/temp_dir.hpp"
#include "vault/audit/audit.hpp"
#include "vault/vault.hpp"

#include <doctest/doctest.h>

namespace brankas {
// The one way into a vault's store connection, for tests that tamper as an attacker would.
struct VaultTestAccess {
    static Database& store(Session& v) { return v.db_; }
    static const SigningKey& signing_key(const Session& v) { return v.signing_key_; }
    // Below the policy check: only the unit key stands between the caller and the secret.
    static Result<SecretPayload> open_version(Session& v, std::int64_t account, std::int64_t version) {
        auto a = account_by_id(v.db(), account);
        if (!a) return std::unexpected(a.error());
        return brankas::open_version(v, *a, version);
    }
    // Signs and appends an event of the test's making as this user, through the projection's rules.
    static Result<SignedEvent> record(Session& v, Event e) {
        return v.write([&](Change& change) { return change.append(std::move(e)); });
    }
    // user disable --rekey as far as a crash right after its commit would let it get.
    static Status disable_without_rewriting(Session& v, std::string_view name) {
        auto outcome = disable_and_announce(v, name, StoreRekey::yes);
        if (!outcome) return std::unexpected(outcome.error());
        return {};
    }
};
} // namespace brankas

namespace brankas::test {

inline Database& store_of(Session& v) { return VaultTestAccess::store(v); }
inline const SigningKey& signing_key_of(const Session& v) { return VaultTestAccess::signing_key(v); }

inline constexpr std::string_view test_passphrase = "kuda-lari-di-sawah-hijau-2029";
inline constexpr std::int64_t test_start_us = 1'800'000'000'000'000; // 2027-01-15

inline CreateOptions test_options(std::string institution = "Bawaslu Kabupaten Ponorogo", std::string admin = "admin") {
    return CreateOptions{std::move(institution), std::move(admin), kdf_limits(KdfProfile::test)};
}

inline PassphraseSource passphrase_of(std::string_view p) {
    return [p]() -> Result<SecretBytes> { return SecretBytes::copy_of(as_bytes(p)); };
}

// Creates the vault at dir/"v" and returns it open as the admin.
inline Session make_test_vault(const TempDir& dir, const Clock& clock) {
    auto v = Vault::create(dir / "v", test_options(), test_passphrase, clock);
    REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
    return std::move(*v);
}

inline Session open_test_vault(const TempDir& dir, const Clock& clock) {
    auto v = Vault::open(dir / "v", "admin", passphrase_of(test_passphrase), clock);
    REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
    return std::move(*v);
}

// A full `audit verify` of the vault passes.
inline void check_verifies(Session& v) {
    auto report = verify(v, std::nullopt);
    REQUIRE(report);
    CHECK_MESSAGE(report->ok, report->problem);
}

} // namespace brankas::test
