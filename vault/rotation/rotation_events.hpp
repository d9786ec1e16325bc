// The rotation domain's events (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"
#include "vault/secrets/secret_events.hpp"

#include <optional>
#include <string>

namespace brankas {

// secret.pending: step one of a rotation, the next version sealed and not yet current (fields
// as secret.set). break_glass: a custodian started it outside every term by break-glass.
struct SecretPending : SealedVersion {
    bool break_glass = false;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretPending> decode(const Event& event);
};

// What a confirmation may carry: the pending version completed with the current version's TOTP
// seed, recovery codes and notes, sealed to the unit's current key.
struct CompletedVersion {
    std::int64_t key_version = 0;
    bool has_totp = false;
    Bytes sealed;
};

// secret.confirm: the pending version becomes current. break_glass: the custodian who started it
// by break-glass finished it outside every term (the end of that episode, flagged as its start).
struct SecretConfirmed {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::optional<CompletedVersion> completed;
    bool break_glass = false;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretConfirmed> decode(const Event& event);
};

// secret.abort: the pending version is dropped. break_glass: as in secret.confirm.
struct SecretAborted {
    std::int64_t account = 0;
    std::int64_t version = 0;
    bool break_glass = false;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<SecretAborted> decode(const Event& event);
};

// account.flag: the enforcer marks a password older than the policy's maximum age as due.
struct AccountFlagged {
    std::int64_t account = 0;
    std::string reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<AccountFlagged> decode(const Event& event);
};

} // namespace brankas
