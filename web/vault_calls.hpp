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

#include <cstdint>
#include <string_view>

namespace brankas::web {

// The policy in force (Session::policy_state): the time zone pages are shown in, the check-out
// durations a form offers, the browser session's timeouts.
[[nodiscard]] Result<policy::Policy> policy_in_force(Session& session);

// The account's current TOTP code at `now_us` (vault/secrets/totp.hpp).
[[nodiscard]] Result<SecretBytes> totp_code_at(const TotpSeed& seed, std::int64_t now_us);

// Whether the engine allows the session's user `action` on `unit` now (vault/decisions.hpp),
// recording nothing: for choosing what a page lists. An operation decides again, and records
// its refusal.
[[nodiscard]] Result<bool> engine_allows(Session& session, policy::Action action, std::string_view unit);

} // namespace brankas::web
