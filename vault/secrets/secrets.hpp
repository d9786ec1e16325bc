// Secret versions: each is a payload naming its account and version, sealed to the unit's public
// key. Anyone with the public key can seal, so before a version is opened the signed event that
// wrote it is checked (check_sealing_event). Reading a password is an event, committed before
// the password is returned.
#pragma once

#include "policy/engine.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/decisions.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secret_payload.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;
struct AccountRow;

// What a new version holds besides its password: the TOTP seed, recovery codes and notes given
// with it (`secret set --totp-file ...`: none given, none kept), or the current version's, as a
// rotation keeps them (the browser's forms, which ask for the password only).
enum class SecretRest { as_given, kept };

struct SecretInput {
    SecretBytes password;
    std::optional<TotpSeed> totp;
    SecretBytes recovery_codes, notes;
    std::string reason; // may be empty
    SecretRest rest = SecretRest::as_given; // kept: totp, recovery_codes and notes above are not used
};

struct SecretVersionInfo {
    std::int64_t version = 0;
    std::string set_by, reason;
    std::int64_t set_us = 0;
    bool has_totp = false;
    bool current = false;
};

// What `secret show` and `totp` read: the account and the opened payload of its current version.
struct RevealedSecret {
    AccountInfo account;
    std::int64_t version = 0;
    SecretPayload payload;
    bool break_glass = false; // the read is flagged in the log
};

enum class SecretVersionChoice { current, pending };
// Whether the person asked to break the glass (`--break-glass`): outside every term, or past
// another person's check-out.
enum class BreakGlass { no, yes };

// Seals a new version to the unit's public key; returns its number.
[[nodiscard]] Result<std::int64_t> set_secret(Session& session, std::int64_t account, const SecretInput& input);
[[nodiscard]] Result<std::vector<SecretVersionInfo>> secret_history(Session& session, std::int64_t account);
// The versions of secret_history, oldest first, each handed to `row` as it is read and not
// kept. The first error `row` returns stops it.
[[nodiscard]] Status for_each_secret_version(Session& session, std::int64_t account,
                                             const std::function<Status(const SecretVersionInfo&)>& row);
// Opens the current (or pending) version, records the read (with its reason) and only then
// returns it.
[[nodiscard]] Result<RevealedSecret> reveal_secret(Session& session, std::int64_t account, std::string_view reason, SecretPart part,
                                                   SecretVersionChoice which = SecretVersionChoice::current,
                                                   BreakGlass glass = BreakGlass::no);

// ---- opening versions (check-outs, rotations and re-seals open them too) ----

// Opens one stored version after checking the signed event that sealed it. No policy and no
// event: the unit key the session holds is the only gate (tests call it to prove that).
[[nodiscard]] Result<SecretPayload> open_version(Session& session, const AccountInfo& account, std::int64_t version);
// Moves the current version's TOTP seed, recovery codes and notes into `payload` (a new password
// changes only the password).
[[nodiscard]] Status carry_over(Session& session, const AccountInfo& account, SecretPayload& payload);
// The event `seq` sealed exactly these bytes as this version of this account, its hash and
// signature hold, and its writer was allowed to write it; else ErrorCode::store_corrupt.
[[nodiscard]] Status check_sealing_event(Database& db, std::int64_t seq, const AccountInfo& account, std::int64_t version,
                                         ByteView sealed);

// ---- the rules a live change and its replay both apply (secret_rules.cpp) ----

// A new current version may be written: the account is not archived (account_may_change) and
// no rotation is pending (its pending version is confirmed or aborted first). The error
// (conflict) completes "account X ...".
[[nodiscard]] Status secret_may_be_set(Database& db, const AccountRow& account);
// The reason given with a new version: may be empty; at most max_reason bytes of printable text.
[[nodiscard]] Status check_set_reason(std::string_view reason);
// A password to store is UTF-8 text: what a platform's login form takes, and what JSON output can
// carry (a byte it cannot, a reader would silently replace, and get another password).
[[nodiscard]] Status check_password_text(std::string_view password);
// The reason given for a read: required, not only spaces; at most max_reason bytes of printable text.
[[nodiscard]] Status check_read_reason(std::string_view reason);
// The engine's decision on reading a password of the account: role, grant and term (outside
// every term only by break-glass, unless the policy says otherwise), and the account's current
// hold (nobody but its holder, unless the policy shares check-outs or by break-glass).
[[nodiscard]] Result<policy::Decision> decide_secret_read(Database& db, const Actor& actor, std::int64_t now_us,
                                                          const AccountRow& account, std::string_view reason, BreakGlass glass);
// The next version of the account: what secret.set and secret.pending add.
[[nodiscard]] inline std::int64_t next_version(std::int64_t current) { return current + 1; }
// The permission an event that seals a version exercises, as its applier requires it of its
// writer: secret.set writes a secret, secret.pending and secret.confirm rotate (the enforcer's
// pending version is its enforcement, as are the fresh passwords a unit.deactivate carries),
// secret.reseal is managing people. nullopt for an event that seals nothing.
[[nodiscard]] std::optional<policy::Action> sealing_action(std::string_view action, policy::Role writer);
// For the appliers: the version the event seals is sealed to the unit's current key.
[[nodiscard]] Status check_current_key(Database& db, const Event& event, std::string_view unit, std::int64_t key_version);

} // namespace brankas
