#include "i18n/translate.hpp"

#include <libintl.h>

namespace brankas::i18n {

// dgettext names the domain on every call, so no library's textdomain() can change ours.
const char* tr(const char* msgid) noexcept { return ::dgettext(text_domain, msgid); }

const char* trn(const char* singular, const char* plural, unsigned long n) noexcept {
    return ::dngettext(text_domain, singular, plural, n);
}

void use_catalogue(const std::filesystem::path& locale_dir) {
    ::bindtextdomain(text_domain, locale_dir.c_str());
    // Translations are UTF-8 on every terminal: the locale's character set may be ASCII (C.UTF-8
    // is not always the default), and gettext would then turn every accented letter into '?'.
    ::bind_textdomain_codeset(text_domain, "UTF-8");
}

} // namespace brankas::i18n
