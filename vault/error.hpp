// One error model for the whole core: every fallible function returns Result<T>,
// an std::expected whose error carries a code (mapped to an exit code by the CLI)
// and sentences a person can act on. Never a secret, never SQL, in a message.
#pragma once

#include "i18n/translate.hpp"

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
    Error() = default;
    Error(ErrorCode c, std::string m, std::string h = {}) : code(c), message(std::move(m)), hint(std::move(h)) {}

    ErrorCode code = ErrorCode::internal;
    std::string message; // one sentence, no trailing period needed
    std::string hint;    // optional next step for the person
    // The same sentences for a face that shows them in the reader's language (see fail_phrased):
    // the English with "%s" or "%1$s" where a value goes, each a literal marked with tr_noop, and
    // the values in order, which the hint may name too ("%2$s"). A face translates the ids and puts
    // the values in; it never parses `message`. Empty ids: a sentence not yet written this way,
    // shown as `message` and `hint` are.
    std::string_view message_id;
    std::string_view hint_id;
    std::vector<std::string> values;
    // A message built of phrases (a policy engine's refusal, whose pieces are translated on their
    // own): when it has an id, a face says it in place of message_id and values.
    i18n::Phrase phrase;
    // Two errors are the same when they say the same (the ids only spell it another way).
    friend bool operator==(const Error& a, const Error& b) {
        return a.code == b.code && a.message == b.message && a.hint == b.hint;
    }
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(hint)});
}

// An error whose sentences a face can translate: `message_id` and `hint_id` are English literals
// marked with i18n::tr_noop, "%s" or "%1$s" where `values` go; `message` and `hint` hold them in
// English with the values in (for logs, tests and a face that does not translate).
[[nodiscard]] inline Error phrased_error(ErrorCode code, std::string_view message_id, std::vector<std::string> values,
                                         std::string_view hint_id = {}) {
    auto english = [&](std::string_view id) {
        std::vector<std::string_view> v(values.begin(), values.end());
        return i18n::fill(id, v);
    };
    Error e(code, english(message_id), hint_id.empty() ? std::string() : english(hint_id));
    e.message_id = message_id;
    e.hint_id = hint_id;
    e.values = std::move(values);
    return e;
}

// The same error, returned as a failure:
//   return fail_phrased(ErrorCode::not_found, tr_noop("no sub-district %s"), {code},
//                       tr_noop("add it with `brankas unit add CODE NAME`"));
[[nodiscard]] inline std::unexpected<Error> fail_phrased(ErrorCode code, std::string_view message_id, std::vector<std::string> values,
                                                         std::string_view hint_id = {}) {
    return std::unexpected(phrased_error(code, message_id, std::move(values), hint_id));
}

// An error whose message is a phrase of phrases (i18n::Phrase): the policy engine's reasons, or a
// sentence that names another error's (`account %1$s %2$s`, phrase_of(why)). The hint, if any, is
// a literal marked with tr_noop with `values` in it, as in fail_phrased.
[[nodiscard]] inline Error phrase_error(ErrorCode code, i18n::Phrase message, std::string_view hint_id = {},
                                        std::vector<std::string> values = {}) {
    std::vector<std::string_view> v(values.begin(), values.end());
    Error e(code, message.english(), hint_id.empty() ? std::string() : i18n::fill(hint_id, v));
    e.phrase = std::move(message);
    e.hint_id = hint_id;
    e.values = std::move(values);
    return e;
}
[[nodiscard]] inline std::unexpected<Error> fail_phrase(ErrorCode code, i18n::Phrase message, std::string_view hint_id = {},
                                                        std::vector<std::string> values = {}) {
    return std::unexpected(phrase_error(code, std::move(message), hint_id, std::move(values)));
}

// An error's message as a phrase, to be named inside another sentence: its phrase, its id with
// its values, or its English as it is.
[[nodiscard]] inline i18n::Phrase phrase_of(const Error& e) {
    if (e.phrase.id) return e.phrase;
    if (e.message_id.empty()) return i18n::Phrase::plain(e.message);
    std::vector<i18n::Phrase> values;
    for (const std::string& v : e.values) values.push_back(i18n::Phrase::plain(v));
    return i18n::Phrase(e.message_id.data(), std::move(values));
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
