// Messages in the reader's language, through GNU gettext (glibc's libintl).
//
// English is the source language. A message a person reads is written in English in the code
// and wrapped in tr() where it is shown, or marked with tr_noop() where it must stay a constant
// (a table) and is translated with tr() when shown. xgettext finds these three names (see
// po/CMakeLists.txt), po/brankas.pot lists what they mark, po/id.po gives the Indonesian, and
// the catalogue check (ctest "i18n: ...") fails while a marked message has no Indonesian entry.
//
// Machine output (--json, --csv, exit codes, event names) never goes through here: it must
// read the same in every language.
//
// The CLI translates into the one language of its process (main sets the locale). A server
// answering people in different languages at once will choose the language per request; the
// message ids and the catalogue stay the same.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brankas::i18n {

// The gettext domain: the catalogue is installed as <locale dir>/<lang>/LC_MESSAGES/brankas.mo.
inline constexpr const char* text_domain = "brankas";

// The translation of `msgid`, or `msgid` itself when the catalogue has none. The result lives as
// long as the process.
[[nodiscard]] const char* tr(const char* msgid) noexcept;

// The form of a message for the count `n` (Indonesian has one form, English two): `singular`
// or `plural` when the catalogue has no translation.
[[nodiscard]] const char* trn(const char* singular, const char* plural, unsigned long n) noexcept;

// Marks a constant for the catalogue without translating it (translate it with tr() where it
// is shown): a table of messages cannot call gettext at compile time.
[[nodiscard]] constexpr const char* tr_noop(const char* msgid) noexcept { return msgid; }

// A translated message with its values put in: "%s" takes the next value, "%1$s" ... "%9$s" the
// value of that number (a translation may need them in another order), "%%" is a percent sign.
// Values are inserted as they are, never read as directives. A message with values is written
// whole, "Added account %1$s in sub-district %2$s", never assembled from pieces: word order is
// the translator's.
[[nodiscard]] std::string fill(std::string_view message, std::span<const std::string_view> values);
[[nodiscard]] inline std::string fill(std::string_view message, std::initializer_list<std::string_view> values) {
    return fill(message, std::span<const std::string_view>(values.begin(), values.size()));
}

// A value a person gave (a handle, an option, a word), as a message repeats it: whole up to
// `echo_limit` characters, else its first `echo_limit` and "…". A message names what was
// refused; a 100 kB value pasted by mistake must not fill the terminal. Cut on a character
// boundary of UTF-8 (bytes that are not UTF-8 count one each).
inline constexpr std::size_t echo_limit = 64;
[[nodiscard]] std::string echo(std::string_view given);

// A sentence built of smaller ones, kept so that each face can say it in its reader's language: a
// message id (an English literal marked with tr_noop, "%s" or "%1$s" where a value goes) and its
// values, each either plain text (a name, a number, a date: put in as it is) or itself a phrase of
// the catalogue (a role, an action, where a sub-district stands in its terms). The policy engine
// writes its reasons this way, because a reason names pieces that are translated on their own.
//   Phrase(tr_noop("%1$s may not %2$s"), {Phrase(tr_noop("a custodian")), Phrase(tr_noop("set the policy"))})
struct Phrase {
    Phrase() = default;
    // A phrase of the catalogue, with its values.
    explicit Phrase(const char* message_id, std::vector<Phrase> parts = {}) : id(message_id), values(std::move(parts)) {}
    // Plain text, put in as it is.
    [[nodiscard]] static Phrase plain(std::string text) {
        Phrase p;
        p.text = std::move(text);
        return p;
    }
    // A phrase of the catalogue whose values are all plain text (names, numbers).
    [[nodiscard]] static Phrase with_plain(const char* message_id, std::vector<std::string> plain_values) {
        std::vector<Phrase> parts;
        parts.reserve(plain_values.size());
        for (std::string& v : plain_values) parts.push_back(plain(std::move(v)));
        return Phrase(message_id, std::move(parts));
    }

    const char* id = nullptr;  // a literal marked with tr_noop; null: `text`
    std::string text;          // a plain value
    std::vector<Phrase> values;

    // The phrase through `translate(const char* msgid)` (tr, a face's Translator), values first.
    template <typename Translate>
    [[nodiscard]] std::string in(Translate&& translate) const {
        if (id == nullptr) return text;
        std::vector<std::string> parts;
        parts.reserve(values.size());
        for (const Phrase& v : values) parts.push_back(v.in(translate));
        std::vector<std::string_view> views(parts.begin(), parts.end());
        return fill(std::string_view(translate(id)), std::span<const std::string_view>(views));
    }
    // In English, as written in the code.
    [[nodiscard]] std::string english() const {
        return in([](const char* msgid) { return msgid; });
    }
};

// Reads the catalogue from `locale_dir` and returns UTF-8 whatever the locale's character set.
// The language itself comes from the locale (LC_MESSAGES) and LANGUAGE, as in every program
// that uses gettext.
void use_catalogue(const std::filesystem::path& locale_dir);

} // namespace brankas::i18n
