// Sub-districts (kecamatan) and their X25519 key pairs. A unit's secret key exists only sealed
// to the principals who may hold it (every admin, the unit's custodians, and the recovery
// principal, which holds them so that the vault survives its admins); every secret version is
// sealed to the unit's public key. The next key waits ahead as a standby, sealed to admins only,
// so that the enforcer can move a unit to it without ever holding a key.
#pragma once

#include "policy/engine.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/decisions.hpp"
#include "vault/people/principals.hpp"
#include "vault/store/database.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;
class Change;

struct UnitInfo {
    std::string code, name;
    std::int64_t key_version = 0;
    std::int64_t accounts = 0;
    std::vector<std::string> key_holders; // who holds the current key (names, sorted)
};

[[nodiscard]] Result<UnitInfo> add_unit(Session& session, std::string_view code, std::string_view name);
// The sub-districts the person sees (UnitSight: a custodian their own, an admin or an auditor
// every one), by code.
[[nodiscard]] Result<std::vector<UnitInfo>> list_units(Session& session);
// The units of list_units, in its order, each handed to `row` as it is read and not kept: a
// listing of any length in the memory of one row. The first error `row` returns stops it.
[[nodiscard]] Status for_each_unit(Session& session, const std::function<Status(const UnitInfo&)>& row);
// The names of those of `codes` that the person sees (as list_units), by code: what a page
// showing a few sub-districts (the account list's headings) reads, not every unit's row.
[[nodiscard]] Result<std::map<std::string, std::string, std::less<>>> unit_names(Session& session, const std::set<std::string>& codes);
// A fresh key pair for the unit (and a new standby), every version re-sealed, every account
// flagged for a password change; for a key the admin suspects, or one the enforcer could not rotate.
[[nodiscard]] Status rotate_unit(Session& session, std::string_view code, std::string_view reason);
// Units where someone whose grant ended still holds the current key, by code.
[[nodiscard]] Result<std::vector<std::string>> units_owing_rotation(Session& session);
// How many units units_owing_rotation() lists, and the first `first` of them (none: every one),
// each code handed to `each`: after a national term, thousands of sub-districts may owe a new key.
[[nodiscard]] Result<std::int64_t> count_units_owing_rotation(Session& session);
[[nodiscard]] Status for_each_unit_owing_rotation(Session& session, std::optional<std::size_t> first,
                                                  const std::function<Status(std::string_view code)>& each);

// ---- the unit keys, for the domains that seal to them and open with them (unit_keys.cpp) ----

// The unit's current public key and its version: what new versions are sealed to.
struct UnitPublicKey {
    PublicKey key{};
    std::int64_t version = 0;
};
[[nodiscard]] Result<UnitPublicKey> current_unit_key(Database& db, std::string_view unit);
// The unit's public key at `key_version` (its standby key, or an older one).
[[nodiscard]] Result<UnitPublicKey> unit_public_key(Database& db, std::string_view unit, std::int64_t key_version);
// The session user's copy of the unit's key at `key_version` (0: the current one), opened.
[[nodiscard]] Result<BoxKeyPair> unit_key_pair(Session& session, std::string_view unit, std::int64_t key_version = 0);
// The unit's standby key: its next key pair, published ahead and sealed to admins only.
[[nodiscard]] Result<std::optional<std::int64_t>> standby_key_version(Database& db, std::string_view unit);
// The unit's current key version and its standby key's, if it has one, in one read; nullopt
// when there is no such unit.
struct UnitKeyVersions {
    std::int64_t current = 0;
    std::optional<std::int64_t> standby;
};
[[nodiscard]] Result<std::optional<UnitKeyVersions>> unit_key_versions(Database& db, std::string_view unit);
// The unit's current key and its standby key, if it has one, in one read (as current_unit_key,
// standby_key_version and unit_public_key give them).
struct UnitKeys {
    UnitPublicKey current;
    std::optional<UnitPublicKey> standby;
};
[[nodiscard]] Result<UnitKeys> current_and_standby_keys(Database& db, std::string_view unit);

// Who receives a unit's key: a principal's name and box key.
struct KeyRecipient {
    std::string name;
    PublicKey box_key{};
};
// Who may hold the unit's current key (may_receive_unit_key), by name.
[[nodiscard]] Result<std::vector<KeyRecipient>> unit_key_recipients(Database& db, std::string_view unit);
// Who holds every key of every unit, old and standby: the admins and the recovery principal.
[[nodiscard]] Result<std::vector<KeyRecipient>> key_history_recipients(Database& db);

// Inside a write (change.hpp): the unit's key at `key_version` sealed to `principal`.
[[nodiscard]] Status seal_unit_key(Change& change, std::string_view unit, std::int64_t key_version, const BoxKeyPair& unit_keys,
                                   std::string_view principal, const PublicKey& principal_box_key);
// Inside a write: publishes a standby key if the unit has none.
[[nodiscard]] Status add_standby_key(Change& change, std::string_view unit);
// Inside a write: the unit.add event of a new unit, its key sealed to every holder (whose names
// are returned) and its standby (unit add, and import with --create-units).
[[nodiscard]] Result<std::vector<std::string>> append_unit(Change& change, std::string_view code, std::string_view name);
// Inside a write: rotates the unit's key pair (the holders are read after the caller's events),
// re-seals every version, flags the unit's accounts and publishes a new standby key. The standby
// becomes the new key (StandbyChoice::use) unless someone who held it lost their access (then a
// fresh pair is made, as always with StandbyChoice::discard).
enum class StandbyChoice { use, discard };
[[nodiscard]] Status rotate_unit_key(Change& change, std::string_view unit, std::string_view reason, StandbyChoice choice);

// ---- the rules a live change and its replay both apply (unit_rules.cpp) ----

// An official region code and a name of printable text.
[[nodiscard]] Status check_unit_fields(std::string_view code, std::string_view name);
// Which of a unit's key versions a sealing is about.
enum class KeyVersionKind { current, other }; // other: the standby or an older one
// Whether `holder` may receive that version from an admin: admins and the recovery principal
// every version, a custodian only the current one of a unit granted to them; nobody disabled,
// auditors and the enforcer never.
[[nodiscard]] bool may_receive_unit_key(const PrincipalKeys& holder, KeyVersionKind which, policy::UnitScope scope);
// Who may seal a unit's key to whom (unit.key): an admin, to anyone who may receive it; the
// recovery principal, a version it holds, to an admin it has just reset or enrolled (pending);
// a holder, a version it holds, to itself (at enrollment). Nobody else, the enforcer never.
// `sealer` is active. The error (denied) completes "seals ...".
struct UnitKeySeal {
    std::string_view unit;
    std::int64_t key_version = 0;
    std::string_view principal;
};
[[nodiscard]] Status check_unit_key_seal(Database& db, const Actor& sealer, const UnitKeySeal& seal);

} // namespace brankas
