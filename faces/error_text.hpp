// An error's sentences in the reader's language, for every face: translated from the message ids
// the core gives (Error::message_id, hint_id) with the values put in, never by reading the English.
#pragma once

#include "i18n/translate.hpp"
#include "policy/engine.hpp"
#include "vault/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace brankas::faces {

struct ErrorText {
    std::string message;
    std::string hint;
};

// `translate(const char* msgid)` is the face's own: the CLI's i18n::tr (the process's language), the
// browser's Translator::tr (the request's). An error without ids is shown as the core wrote it.
template <typename Translate>
[[nodiscard]] ErrorText error_text(const Error& e, Translate&& translate) {
    std::vector<std::string_view> values(e.values.begin(), e.values.end());
    // The ids are literals (fail_phrased), so data() ends with the literal's NUL.
    auto phrase = [&](std::string_view id, const std::string& english) {
        return id.empty() ? english : i18n::fill(std::string_view(translate(id.data())), values);
    };
    std::string message = e.phrase.id ? e.phrase.in(translate) : phrase(e.message_id, e.message);
    return {std::move(message), phrase(e.hint_id, e.hint)};
}

// A phrase in the reader's language, or `english` as it is when there is no phrase (a sentence
// not written as one): a verifier's problem, an import's row problem.
template <typename Translate>
[[nodiscard]] std::string phrase_text(const i18n::Phrase& p, const std::string& english, Translate&& translate) {
    return p.id ? p.in(translate) : english;
}

// A reason of the policy engine (`policy explain`, a refusal) in the reader's language.
template <typename Translate>
[[nodiscard]] std::string reason_text(const policy::Reason& r, Translate&& translate) {
    return phrase_text(r.phrase, r.text, translate);
}

} // namespace brankas::faces
