// People and their roles. An admin adds a person with a one-time enrollment code; the person
// then replaces it with their own passphrase and fresh keys (Vault::enroll). Unit keys follow
// the grants: granting seals the unit's key to the person, revoking rotates the unit's key pair.
#pragma once

#include "policy/policy.hpp"
#include "policy/role.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "vault/keyring.hpp"
#include "vault/people/principals.hpp"
#include "vault/store/database.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;

// Asked only once the user's slot was found, so "no such user" never costs a prompt.
using PassphraseSource = std::function<Result<SecretBytes>()>;

struct SlotInfo {
    SlotKind kind = SlotKind::passphrase;
    SlotKdf kdf = SlotKdf::argon2id13;
    KdfLimits limits; // zero for a key file
    std::int64_t created_us = 0;
    std::int64_t expires_us = 0;
};

// What an official record (the handover minutes, the reports) names a person by: full name, NIP
// (the civil servant's 18-digit number, or "-" for someone who is not one) and position
// (jabatan). Each may be unknown: a person added before these were asked for, or without them.
struct PersonRecord {
    std::optional<std::string> full_name, nip, position;
    [[nodiscard]] bool empty() const noexcept { return !full_name && !nip && !position; }
    friend bool operator==(const PersonRecord&, const PersonRecord&) = default;
};

struct UserInfo {
    std::string name, role, status;
    std::vector<std::string> units; // current grants (custodians)
    std::optional<SlotInfo> slot;
    PersonRecord record;
};

struct EnrollmentCode {
    SecretBytes code; // shown once, e.g. ABCD-EFGH-JKMN-PQRS-TVWX (100 bits)
    std::int64_t expires_us = 0;
    policy::TimeZone time_zone; // the policy's, to tell a person when it expires
};

// Whether disabling someone also moves the store to a fresh K_db (`user disable --rekey`).
enum class StoreRekey { no, yes };

// Adds a person who enrolls with the returned one-time code (their slot expires after the
// policy's enrollment code lifetime). `units` only for custodians.
[[nodiscard]] Result<EnrollmentCode> add_user(Session& session, std::string_view name, policy::Role role,
                                              const std::vector<std::string>& units, const KdfLimits& code_kdf,
                                              const PersonRecord& record = {});
// The people the person sees (UnitSight::sees_person: a custodian themself and the people of
// their sub-districts, an admin or an auditor everyone), each with the sub-districts seen.
[[nodiscard]] Result<std::vector<UserInfo>> list_users(Session& session);
// The people of list_users, by name, each handed to `row` as it is read and not kept. The
// first error `row` returns stops it.
[[nodiscard]] Status for_each_user(Session& session, const std::function<Status(const UserInfo&)>& row);
// One person as `user list` shows them, with their record; someone the person may not see is
// refused (access.denied), as reading their sub-district would be.
[[nodiscard]] Result<UserInfo> show_user(Session& session, std::string_view name);
// Sets the fields of `record` that are given (the others stay as they are): user.edit.
[[nodiscard]] Result<PersonRecord> edit_user(Session& session, std::string_view name, const PersonRecord& record);
// The record of a person (empty fields for what is unknown, or for nobody by that name).
[[nodiscard]] Result<PersonRecord> person_record(Database& db, std::string_view name);
[[nodiscard]] Status grant(Session& session, std::string_view name, std::string_view unit);
// Ends the grant and rotates the unit's key: new key pair, current holders and every version
// re-sealed, every account of the unit flagged for a password change.
[[nodiscard]] Status revoke(Session& session, std::string_view name, std::string_view unit);
// Ends a principal: their slot goes, their signing key is retired and every sub-district whose
// key they held is rotated. The pending enrollments and the enforcers they created end with them
// (their codes and key files passed through their hands); their names are returned. With
// StoreRekey::yes, the store also moves to a fresh K_db that reaches every remaining slot; a
// crash part-way is finished by the next open.
[[nodiscard]] Result<std::vector<std::string>> disable_user(Session& session, std::string_view name, StoreRekey rekey);
// `user disable`: with or without the re-key, and when the policy puts "rekey" under dual control
// why and the approved request to use (`--reason`, `--request ID`; a request goes with a re-key).
struct DisableAsk {
    StoreRekey rekey = StoreRekey::no;
    std::string reason;                  // empty: none (with a request: the request's)
    std::optional<std::int64_t> request;
};
struct DisableReceipt {
    std::vector<std::string> also_disabled;
    std::optional<std::int64_t> request;      // the approved request it used
    std::optional<AwaitingApproval> awaiting; // set instead when nobody was disabled: the request recorded
};
// disable_user as asked; under dual control without a request it records a request for exactly
// this person and re-key instead (DisableReceipt::awaiting). The StoreRekey form above is this
// without a reason or a request; a request recorded instead is ErrorCode::awaiting_approval.
[[nodiscard]] Result<DisableReceipt> disable_user(Session& session, std::string_view name, const DisableAsk& ask);
// What disable_user refuses of the ask itself, asked before it by a face that asks for a
// confirmation first: a request without a re-key, and with a re-key the reason as the re-key's
// step checks it (check_people_step_reason). Records nothing; who may disable whom is the
// engine's decision when it is done.
[[nodiscard]] Status check_disable_ask(Session& session, const DisableAsk& ask);
// Seals this user's own slot again under a new passphrase (checked for quality).
[[nodiscard]] Status change_passphrase(Session& session, const PassphraseSource& new_passphrase, const KdfLimits& kdf);
// Creates the unattended enforcer, active at once, whose slot opens with 32 random bytes written
// to `key_file` (mode 0600; an existing file is never replaced). It holds no unit key.
[[nodiscard]] Status add_enforcer(Session& session, std::string_view name, const std::filesystem::path& key_file);

// disable_user up to the commit that announces the re-key, without moving the store (what a
// crash right after that commit leaves for the next open to finish).
struct PendingRekey {
    std::uint32_t generation = 0;
    SecretBytes key;
};
struct DisableOutcome {
    std::vector<std::string> also_disabled;
    std::optional<PendingRekey> rekey;
    std::optional<std::int64_t> request;
    std::optional<AwaitingApproval> awaiting;
};
[[nodiscard]] Result<DisableOutcome> disable_and_announce(Session& session, std::string_view name, StoreRekey rekey);
[[nodiscard]] Result<DisableOutcome> disable_and_announce(Session& session, std::string_view name, const DisableAsk& ask);

// ---- the rules a live change and its replay both apply (people_rules.cpp) ----

// A name and a role a new principal may have: a valid name, not the recovery principal's, not
// taken; any role but the recovery principal's (a split creates that one).
[[nodiscard]] Status check_new_principal(Database& db, std::string_view name, policy::Role role);
// Whether a custodian's grant of `unit` may begin or end now: an enabled custodian, a
// sub-district that exists, a grant not held yet (or held, to end it).
enum class GrantChange { grant, revoke };
[[nodiscard]] Status check_grant_change(Database& db, std::string_view name, std::string_view unit, GrantChange change);
// A person's record as typed: each given field valid (the NIP normalized to its 18 digits, or
// "-"); a usage error naming the field otherwise. check_person_record checks one that is
// already normal (the replay's question: the event carries exactly what was checked).
inline constexpr std::size_t max_full_name = 100;
inline constexpr std::size_t max_position = 100;
[[nodiscard]] Result<PersonRecord> normalized_person_record(const PersonRecord& typed);
[[nodiscard]] Status check_person_record(const PersonRecord& record);
// "19800101 200501 1 001": the NIP as the civil service writes it (birth date, appointment
// month, sex, number); "-" stays "-".
[[nodiscard]] std::string nip_as_written(std::string_view nip);
// Whether `name` may be edited: a principal who exists, not the recovery principal, and the edit
// names at least one field.
[[nodiscard]] Status check_edit(Database& db, std::string_view name, const PersonRecord& record);

// Whether `actor` may disable `name`: someone else, who is enabled.
[[nodiscard]] Status check_disable(Database& db, std::string_view actor, std::string_view name);

} // namespace brankas
