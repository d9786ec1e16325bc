// The browser face's calls into the parts of the vault that are still Session members or
// helpers below the domains (the policy in force, TOTP codes, a decision that records nothing).
// They live in this one file so that moving those parts to free functions over a Session
// changes nothing else in web/. Everything else web/ calls is final: Vault::open, Session,
// accounts (find_account, list_accounts) and check-outs (checkout, checkin, list_checkouts).
#pragma once

#include "policy/engine.hpp"
#include "policy/policy.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "vault/secrets/totp.hpp"
#include "vault/session.hpp"
#include "vault/audit/audit.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/handover/handover.hpp"
#include "vault/people/people.hpp"
#include "vault/policies/policies.hpp"
#include "vault/terms/terms.hpp"
#include "vault/units/units.hpp"

#include "vault/audit/audit_views.hpp"
#include "vault/log/verifier.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace brankas::web {

// The policy in force (Session::policy_state): the time zone pages are shown in, the check-out
// durations a form offers, the browser session's timeouts.
[[nodiscard]] Result<policy::Policy> policy_in_force(Session& session);

// The account's current TOTP code at `now_us` (vault/secrets/totp.hpp).
[[nodiscard]] Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us);

// ---- the admin's pages (web/admin_*.cpp): each the Session member the CLI's command calls ----

// Sub-districts (`unit list`, `unit add`).
[[nodiscard]] Result<std::vector<UnitInfo>> units_in_vault(Session& session);
[[nodiscard]] Result<UnitInfo> add_sub_district(Session& session, std::string_view code, std::string_view name);
// People (`user list`, `user add`, `user grant`, `user revoke`, `user disable`). A person added in
// the browser gets the enrollment code's slot `user add` gives by default (the interactive cost).
[[nodiscard]] Result<std::vector<UserInfo>> people_in_vault(Session& session);
[[nodiscard]] Result<EnrollmentCode> add_person(Session& session, std::string_view name, policy::Role role,
                                                const std::vector<std::string>& units);
[[nodiscard]] Status grant_sub_district(Session& session, std::string_view name, std::string_view unit);
[[nodiscard]] Status revoke_sub_district(Session& session, std::string_view name, std::string_view unit);
[[nodiscard]] Result<std::vector<std::string>> disable_person(Session& session, std::string_view name);
// Terms (`term list`, `term add`, `term extend`, `term end`).
[[nodiscard]] Result<std::vector<TermInfo>> terms_in_vault(Session& session);
[[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> add_term_of(Session& session, std::string_view name, std::int64_t start_us,
                                                                      std::int64_t end_us, const std::vector<std::string>& units);
[[nodiscard]] Result<std::vector<policy::ReactivatedUnit>> extend_term_of(Session& session, std::string_view name, std::int64_t end_us,
                                                                         const std::vector<std::string>& units);
[[nodiscard]] Status end_term_of(Session& session, std::string_view name, const std::vector<std::string>& units);
// The policy (`policy show`, `policy explain`).
[[nodiscard]] Result<PolicyState> policy_state_of(Session& session);
[[nodiscard]] Result<Explanation> explain_decision(Session& session, const ExplainQuestion& question);
// A new password for an account (`secret set`).
[[nodiscard]] Result<std::int64_t> store_password(Session& session, std::int64_t account, const SecretInput& input);
// Handovers (`handover list/show/start/witness/complete/cancel`).
[[nodiscard]] Result<std::vector<HandoverInfo>> handovers_in_vault(Session& session);
[[nodiscard]] Result<HandoverInfo> handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> start_handover_of(Session& session, const HandoverRequest& request);
[[nodiscard]] Result<HandoverInfo> witness_handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> complete_handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> cancel_handover_of(Session& session, std::int64_t id, std::string_view reason);
// The vault's state (`status`): the store and log, and what needs a person.
[[nodiscard]] Result<std::vector<ChecklistInfo>> unfinished_checklists(Session& session);
[[nodiscard]] Result<std::vector<std::string>> units_owing_key_rotation(Session& session);
// ---- the auditor's pages (web/audit_pages.cpp) ----

// `audit log` with its filters (Session::audit_log), one entry at a time.
// The action names `audit log --action` accepts.
[[nodiscard]] std::vector<std::string_view> audit_actions();
// `report access`, `report exposure`, `report status` (Session members).
// `report handovers`: every handover, or a unit's.

// A whole `audit verify` that runs on a thread of its own, so a long log never holds a request
// (or the person's session) while it is checked. It reads through a connection of its own to
// the store, opened with a copy of the session's store key (secure memory, wiped when the job
// ends), and runs the same verify_log as Session::verify.
// Builds what a verification reads once (the domains' appliers), before anything that outlives
// it: the server calls it at start.
void prepare_verification();
class Verification {
public:
    struct State {
        VerifyProgress progress;
        std::optional<Result<VerifyReport>> result; // set once it has ended
        std::int64_t started_us = 0;
    };
    [[nodiscard]] static Result<std::shared_ptr<Verification>> start(Session& session);
    [[nodiscard]] State state() const;
    ~Verification();
    Verification(const Verification&) = delete;
    Verification& operator=(const Verification&) = delete;

private:
    Verification() = default;
    struct Job;
    std::unique_ptr<Job> job_;
};

// ---- the pages for everyone (web/enroll_pages.cpp) ----

// `user enroll`: the enrollment slot becomes the person's own passphrase slot, at the command
// line's default cost (KdfProfile::moderate); the vault checks the passphrase as it does there.
[[nodiscard]] Result<Session> enroll(const std::filesystem::path& vault, std::string_view user, std::string_view code,
                                     const PassphraseSource& passphrase, const Clock& clock);
// `user passwd` (Session::change_passphrase), at the command line's default cost.
[[nodiscard]] Status change_passphrase(Session& session, const PassphraseSource& passphrase);

// Whether the store was re-keyed (`user disable --rekey`) since this session opened it: its
// key opens the store no more, and the vault says "the vault's key changed" (busy).
[[nodiscard]] bool store_rekeyed_since_open(Session& session);

// ---- the custodian's extras (web/rotation_pages.cpp) ----

// `rotate start --reason`: a generated password by the policy's rules, shown for a reason as every
// reveal is (confirm, abort and the pending version are the rotation room's own functions).
[[nodiscard]] Result<PendingRotation> start_rotation(Session& session, std::int64_t account, std::string_view reason);
// Session::permit on an account's unit: a refusal is recorded (access.denied) and returned.
[[nodiscard]] Status permit_on_account(Session& session, policy::Action action, const AccountInfo& account);
// The pending password of a rotation (`secret show --pending`), after its read event committed.
[[nodiscard]] Result<RevealedSecret> reveal_pending(Session& session, std::int64_t account, std::string_view reason);
// The deactivation checklist of an account (`checklist show`, `checklist tick`).

} // namespace brankas::web
