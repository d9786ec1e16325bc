// The browser face's words, in the reader's language: Indonesian first, English available.
//
// Messages are written in English in the code (the source language of the project's one gettext
// catalogue) and shown through Translator::tr, or marked with tr_noop where they must stay
// constants (a page's table of words) and translated where shown. xgettext finds both names.
// The Indonesian comes from po/id.po, the project's one catalogue (the CLI reads the same entries
// through gettext), which the build compiles with msgfmt and puts into the binary: a server
// answers people in different languages at once, so the language is chosen per request (cookie,
// then Accept-Language), never through the process's locale.
#pragma once

#include "i18n/translate.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

namespace brankas::web {

enum class Language { id, en };

[[nodiscard]] std::string_view language_code(Language language) noexcept; // "id", "en"
// "id" or "en" (a cookie's or a link's value); Indonesian for anything else.
[[nodiscard]] Language parse_language(std::string_view code) noexcept;
// The first language of an Accept-Language header that we speak (by its q-values); Indonesian
// when it names none.
[[nodiscard]] Language language_from_header(std::string_view accept_language);

// Marks a message for the catalogue without translating it.
[[nodiscard]] constexpr const char* tr_noop(const char* msgid) noexcept { return msgid; }

class Translator {
public:
    explicit Translator(Language language) noexcept : language_(language) {}
    [[nodiscard]] Language language() const noexcept { return language_; }
    // `msgid` in this translator's language (the English itself when the catalogue lacks it).
    [[nodiscard]] std::string_view tr(const char* msgid) const noexcept;

private:
    Language language_;
};

// A translated message with its "%s" (in order) or "%1$s", "%2$s" (by number) filled in: the
// command line's own filling, so both faces read a catalogue entry the same way.
using i18n::fill;

// How many messages the compiled-in Indonesian catalogue holds (tests).
[[nodiscard]] std::size_t indonesian_messages() noexcept;

} // namespace brankas::web
