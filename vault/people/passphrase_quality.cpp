#include "vault/people/passphrase_quality.hpp"

#include "vault/crypto/secret_bytes.hpp"
#include "vault/encoding.hpp"

#include <libintl.h>
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

// cracklib's reasons (libcrack2 2.9), which pwquality passes on for PWQ_ERROR_CRACKLIB_CHECK, and ours
// for each. cracklib has no Indonesian catalogue, and pwquality's own words say "kata sandi" where
// we say "frasa sandi": the reason is said in our catalogue's words instead.
struct CracklibReason {
    const char* cracklib;
    const char* ours; // marked with tr_noop
};
constexpr CracklibReason cracklib_reasons[] = {
    {"it is based on a dictionary word", i18n::tr_noop("it is based on a dictionary word")},
    {"it is based on a (reversed) dictionary word", i18n::tr_noop("it is based on a dictionary word written backwards")},
    {"it is too simplistic/systematic", i18n::tr_noop("it is too simple or too regular")},
    {"it does not contain enough DIFFERENT characters", i18n::tr_noop("it has too few different characters")},
    {"it is all whitespace", i18n::tr_noop("it is only spaces")},
    {"it is WAY too short", i18n::tr_noop("it is too short")},
    {"it is too short", i18n::tr_noop("it is too short")},
    {"it looks like a National Insurance number.", i18n::tr_noop("it looks like an identity number")},
    // cracklib compares with the computer account running brankas (its passwd entry).
    {"it is based on your username", i18n::tr_noop("it is based on the name or details of the computer account")},
    {"it is based upon your password entry", i18n::tr_noop("it is based on the name or details of the computer account")},
    {"it is derived from your password entry", i18n::tr_noop("it is based on the name or details of the computer account")},
    {"it's derived from your password entry", i18n::tr_noop("it is based on the name or details of the computer account")},
    {"it is derivable from your password entry", i18n::tr_noop("it is based on the name or details of the computer account")},
    {"it's derivable from your password entry", i18n::tr_noop("it is based on the name or details of the computer account")},
};

// Why pwquality refused, in our catalogue's words: by its error code, and for the dictionary check
// by cracklib's reason (`aux`), which cracklib gives in English or in its own catalogue's language.
const char* refusal_reason(int code, const void* aux) {
    switch (code) {
    case PWQ_ERROR_CRACKLIB_CHECK:
        if (aux != nullptr) {
            std::string_view said(static_cast<const char*>(aux));
            for (const CracklibReason& r : cracklib_reasons)
                if (said == r.cracklib || said == ::dgettext("cracklib", r.cracklib)) return r.ours;
        }
        return i18n::tr_noop("it is too close to a common password");
    case PWQ_ERROR_USER_CHECK: return i18n::tr_noop("it contains the user name");
    case PWQ_ERROR_GECOS_CHECK: return i18n::tr_noop("it contains words of the person's name");
    case PWQ_ERROR_PALINDROME: return i18n::tr_noop("it reads the same backwards");
    case PWQ_ERROR_BAD_WORDS: return i18n::tr_noop("it contains a forbidden word");
    case PWQ_ERROR_MIN_LENGTH: return i18n::tr_noop("it is too short");
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
    case PWQ_ERROR_MAX_SEQUENCE: return i18n::tr_noop("it repeats a character or a sequence too often");
    default: return i18n::tr_noop("it does not pass the passphrase-quality check");
    }
}

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
    if (score < 0)
        return fail_phrase(ErrorCode::weak_passphrase,
                           i18n::Phrase(i18n::tr_noop("the new passphrase is too weak (%2$s)"),
                                        {i18n::Phrase::plain(length), i18n::Phrase(refusal_reason(score, aux))}),
                           hint, {length});
    return {};
}

} // namespace brankas
