#include "cli/exit_codes.hpp"

#include "i18n/translate.hpp"

#include <array>

namespace brankas::cli {

namespace {
using i18n::tr_noop;
// Marked for the catalogue; `brankas --help` shows them translated.
constexpr std::array<ExitCodeDoc, 19> table{{
    {ExitCode::ok, tr_noop("success (for `audit verify`: the vault verifies)")},
    {ExitCode::internal, tr_noop("internal error (a bug: please report it)")},
    {ExitCode::usage, tr_noop("bad command line or input file")},
    {ExitCode::no_vault, tr_noop("no vault at the given path")},
    {ExitCode::vault_exists, tr_noop("a vault (or other files) already exists there")},
    {ExitCode::no_such_user, tr_noop("no such user in this vault to run the command as (--user)")},
    {ExitCode::wrong_passphrase, tr_noop("wrong passphrase")},
    {ExitCode::keyring_unreadable, tr_noop("the keyring is missing, truncated or malformed")},
    {ExitCode::store_corrupt, tr_noop("the store is corrupted or was tampered with")},
    {ExitCode::verification_failed, tr_noop("audit verification failed")},
    {ExitCode::denied, tr_noop("not allowed")},
    {ExitCode::weak_passphrase, tr_noop("the new passphrase is too weak")},
    {ExitCode::clock_backwards, tr_noop("the clock is earlier than the vault's last event")},
    {ExitCode::io, tr_noop("a file could not be read or written")},
    {ExitCode::busy, tr_noop("the vault stayed locked by another process")},
    {ExitCode::unsupported, tr_noop("made by a newer or unknown version of brankas")},
    {ExitCode::not_found, tr_noop("no such account, sub-district, user, term or handover")},
    {ExitCode::conflict, tr_noop("not possible in the state it is in (archived, already there, held)")},
    {ExitCode::awaiting_approval, tr_noop("under dual control: a request was recorded and waits for a second person")},
}};
} // namespace

ExitCode exit_code_for(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::internal: return ExitCode::internal;
    case ErrorCode::usage: return ExitCode::usage;
    case ErrorCode::no_vault: return ExitCode::no_vault;
    case ErrorCode::vault_exists: return ExitCode::vault_exists;
    case ErrorCode::no_such_user: return ExitCode::no_such_user;
    case ErrorCode::wrong_passphrase: return ExitCode::wrong_passphrase;
    case ErrorCode::keyring_unreadable: return ExitCode::keyring_unreadable;
    case ErrorCode::store_corrupt: return ExitCode::store_corrupt;
    case ErrorCode::verification_failed: return ExitCode::verification_failed;
    case ErrorCode::denied: return ExitCode::denied;
    case ErrorCode::weak_passphrase: return ExitCode::weak_passphrase;
    case ErrorCode::clock_backwards: return ExitCode::clock_backwards;
    case ErrorCode::io: return ExitCode::io;
    case ErrorCode::busy: return ExitCode::busy;
    case ErrorCode::unsupported: return ExitCode::unsupported;
    case ErrorCode::not_found: return ExitCode::not_found;
    case ErrorCode::conflict: return ExitCode::conflict;
    case ErrorCode::awaiting_approval: return ExitCode::awaiting_approval;
    }
    return ExitCode::internal;
}

std::span<const ExitCodeDoc> exit_code_table() noexcept { return table; }

} // namespace brankas::cli
