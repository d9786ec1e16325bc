#include "vault/people/passphrase_quality.hpp"

#include "vault/crypto/secret_bytes.hpp"
#include "vault/encoding.hpp"

#include <pwquality.h>

#include <algorithm>

#include <memory>
#include <string>

namespace brankas {

namespace {

// The shortest piece whose repetition makes up `s` ("passwordpassword" -> "password"), or `s`.
std::string_view repeated_unit(std::string_view s) {
    for (std::size_t period = 1; period <= s.size() / 2; ++period) {
        if (s.size() % period != 0) continue;
        bool repeats = true;
        for (std::size_t i = period; i < s.size() && repeats; ++i) repeats = s[i] == s[i - period];
        if (repeats) return s.substr(0, period);
    }
    return s;
}

// pwquality's own minimum length; shorter pieces are refused without asking it.
constexpr std::size_t pwquality_min_length = 6;

} // namespace

Status check_new_passphrase(std::string_view passphrase, std::string_view user, std::size_t min_length) {
    // Every refusal gives the same hint, which names the length (the first value).
    constexpr std::string_view hint = i18n::tr_noop("choose at least %1$s characters, for example four or five unrelated words");
    const std::string length = std::to_string(min_length);
    if (utf8_length(passphrase) < min_length)
        return fail_phrased(ErrorCode::weak_passphrase, i18n::tr_noop("the new passphrase is too weak: it is shorter than %1$s characters"),
                            {length}, hint);
    if (passphrase.find('\0') != std::string_view::npos)
        return fail_phrased(ErrorCode::weak_passphrase, i18n::tr_noop("the new passphrase contains a NUL byte"), {length}, hint);

    // A word typed twice is no stronger than the word: cracklib judges the whole string and
    // lets "passwordpassword" through, so judge the repeated piece instead.
    std::string_view judged = repeated_unit(passphrase);
    if (judged.size() < pwquality_min_length)
        return fail_phrased(ErrorCode::weak_passphrase, i18n::tr_noop("the new passphrase is too weak: it is a short piece repeated"), {length},
                            hint);

    std::unique_ptr<pwquality_settings_t, decltype(&pwquality_free_settings)> settings(pwquality_default_settings(),
                                                                                        &pwquality_free_settings);
    if (!settings) return fail_phrased(ErrorCode::internal, i18n::tr_noop("cannot load the passphrase-quality settings"), {});
    // Length is checked above in characters; keep pwquality's own (byte, credit-based) minimum
    // at its floor and its composition rules off, so only the dictionary and similarity checks speak.
    pwquality_set_int_value(settings.get(), PWQ_SETTING_MIN_LENGTH, static_cast<int>(pwquality_min_length));
    pwquality_set_int_value(settings.get(), PWQ_SETTING_DIG_CREDIT, 0);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_UP_CREDIT, 0);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_LOW_CREDIT, 0);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_OTH_CREDIT, 0);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_MIN_CLASS, 0);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_DICT_CHECK, 1);
    pwquality_set_int_value(settings.get(), PWQ_SETTING_USER_CHECK, 1);

    // pwquality wants a NUL-terminated string: make the terminated copy in secure memory.
    std::string user_z(user);
    SecretBytes pass_z(judged.size() + 1);
    std::copy(judged.begin(), judged.end(), pass_z.data());
    void* aux = nullptr;
    int score = pwquality_check(settings.get(), reinterpret_cast<const char*>(pass_z.data()), nullptr, user_z.c_str(), &aux);
    if (score < 0) {
        char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
        const char* why = pwquality_strerror(buf, sizeof buf, score, aux);
        // pwquality's reason comes in its own words (its own catalogue, when it has the language).
        return fail_phrased(ErrorCode::weak_passphrase, i18n::tr_noop("the new passphrase is too weak (%2$s)"), {length, std::string(why)}, hint);
    }
    return {};
}

} // namespace brankas
