// One error model for the whole core: every fallible function returns Result<T>,
// an std::expected whose error carries a code (mapped to an exit code by the CLI)
// and sentences a person can act on. Never a secret, never SQL, in a message.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace brankas {

enum class ErrorCode {
    internal,           // a bug or an unexpected library failure
    usage,              // the request itself is malformed
    no_vault,           // no vault at the given path
    vault_exists,       // init over an existing vault
    no_such_user,       // the keyring has no slot for that name
    wrong_passphrase,   // the slot did not open with what was given
    keyring_unreadable, // the keyring file is missing, truncated or malformed
    store_corrupt,      // the store does not open with its key, or its schema/contents were altered
    verification_failed,// audit verification found a bad event or a broken checkpoint
    denied,             // a rule forbids the request
    weak_passphrase,    // a new passphrase fails the quality check
    clock_backwards,    // the clock is earlier than the last event
    io,                 // a file could not be read or written
    busy,               // the store stayed locked by another process
    unsupported,        // a vault or file from a newer or unknown version
    not_found,          // the account, sub-district, user, term or handover named does not exist
    conflict,           // the request is well formed but the state does not allow it (archived, exists already, ...)
    awaiting_approval,  // dual control: a request was recorded instead; a second person must approve it
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message; // one sentence, no trailing period needed
    std::string hint;    // optional next step for the person
    friend bool operator==(const Error&, const Error&) = default;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(hint)});
}

} // namespace brankas

// Propagate an error from an expression returning Result/Status; yields the value otherwise.
// (A GNU statement expression keeps call sites short; GCC and Clang both support it,
// and __extension__ tells -Wpedantic that we mean it.) Each use names its temporary apart
// (__COUNTER__), so that a TRY inside a lambda inside a TRY shadows nothing.
#define BRANKAS_TRY(expr) BRANKAS_TRY_NAMED(expr, BRANKAS_TRY_NAME(__COUNTER__))
#define BRANKAS_TRY_NAME(n) BRANKAS_TRY_JOIN(brankas_try_result_, n)
#define BRANKAS_TRY_JOIN(a, b) a##b
#define BRANKAS_TRY_NAMED(expr, name)                                                  \
    __extension__({                                                                    \
        auto&& name = (expr);                                                          \
        if (!name) return std::unexpected(std::move(name).error());                    \
        std::move(name).value();                                                       \
    })
