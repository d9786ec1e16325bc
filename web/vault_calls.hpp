// What the browser face adds to a vault call: the choices a page makes for the person (the KDF
// cost of a slot, the policy's rules for a generated password, the TOTP code at the request's
// time), the verification on a thread of its own, and a permission asked on an account's unit.
// Everything else web/ calls is the rooms' own functions, as the command line calls them
// (list_units, grant, add_term, set_secret, explain, decide_request, checkout, ...).
#pragma once

#include "policy/engine.hpp"
#include "policy/policy.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "vault/keyring.hpp"
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
#include "vault/vault.hpp"

#include "vault/audit/audit_views.hpp"
#include "vault/log/verifier.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace brankas::web {

// The policy in force (Session::policy_state): the time zone pages are shown in, the check-out
// durations a form offers, the browser session's timeouts.
[[nodiscard]] Result<policy::Policy> policy_in_force(Session& session);

// The account's current TOTP code at `now_us` (vault/secrets/totp.hpp).
[[nodiscard]] Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us);

// ---- the admin's pages (web/admin_*.cpp) ----

// A person added in the browser gets the enrollment code's slot `user add` gives by default (the
// interactive cost).
[[nodiscard]] Result<EnrollmentCode> add_person(Session& session, std::string_view name, policy::Role role,
                                                const std::vector<std::string>& units);
// Handovers (`handover list/show/start/witness/complete/cancel`): the handover room's functions
// under the names the admin's handover pages use.
[[nodiscard]] Result<std::vector<HandoverInfo>> handovers_in_vault(Session& session);
[[nodiscard]] Result<HandoverInfo> handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> start_handover_of(Session& session, const HandoverRequest& request);
[[nodiscard]] Result<HandoverInfo> witness_handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> complete_handover_of(Session& session, std::int64_t id);
[[nodiscard]] Result<HandoverInfo> cancel_handover_of(Session& session, std::int64_t id, std::string_view reason);

// ---- the auditor's pages (web/audit_pages.cpp) ----

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
        bool waiting = false; // for `turn`, held by another verification
        VerifyProgress progress;
        std::optional<Result<VerifyReport>> result; // set once it has ended
        std::int64_t started_us = 0;
    };
    // It runs once it holds `turn`, which must outlive it: the server has one, so that one
    // verification runs at a time (each reads the whole log on every core; a second one beside
    // it would only halve the first one's speed, and a few would hold the machine).
    [[nodiscard]] static Result<std::shared_ptr<Verification>> start(Session& session, std::mutex& turn);
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

// refuses_the_name (vault/vault.hpp) tells a refusal of the name, or of what was typed for it
// (no such name, not enrolled yet or already, a key-file or recovery slot, an expired or damaged one,
// a wrong passphrase or code), from the vault failing: the pages for everyone say one sentence for all of
// the first, so that they tell no name from another, and the vault's own sentence for the rest.
using brankas::refuses_the_name;
// One key derivation of nothing, at the cost most slots of `kind` in the vault at `vault` have (or at
// `fallback`'s, without one, or when the keyring cannot be read): a refusal that needed no
// derivation (the vault refuses most names before any) takes as long as one that did.
void derive_for_nothing(const std::filesystem::path& vault, SlotKind kind, KdfProfile fallback);

// Whether the store was re-keyed (`user disable --rekey`) since this session opened it: its
// key opens the store no more, and the vault says "the vault's key changed" (busy).
[[nodiscard]] bool store_rekeyed_since_open(Session& session);

// ---- the custodian's extras (web/rotation_pages.cpp) ----

// `rotate --reason [--break-glass]`: a generated password by the policy's rules, shown for a
// reason as every reveal is (confirm, abort and the pending version are the rotation room's own
// functions).
[[nodiscard]] Result<PendingRotation> start_rotation(Session& session, std::int64_t account, std::string_view reason, BreakGlass glass);
// Session::permit on an account's unit: a refusal is recorded (access.denied) and returned.
[[nodiscard]] Status permit_on_account(Session& session, policy::Action action, const AccountInfo& account);
// The account numbered `id`, once the person may read it as its page shows it: `account show`
// (read_unit), then its history (read_history). Every route of an account asks this first, so an
// account the person may not read is refused (403, access.denied) before anything is done or said
// about it: not whether it is held, archived or has a password.
[[nodiscard]] Result<AccountInfo> readable_account(Session& session, std::int64_t id);

} // namespace brankas::web
