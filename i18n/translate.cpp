#include "i18n/translate.hpp"

#include <libintl.h>

namespace brankas::i18n {

// dgettext names the domain on every call, so no library's textdomain() can change ours.
const char* tr(const char* msgid) noexcept { return ::dgettext(text_domain, msgid); }

const char* trn(const char* singular, const char* plural, unsigned long n) noexcept {
    return ::dngettext(text_domain, singular, plural, n);
}

std::string echo(std::string_view given) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < given.size(); ++i) {
        // A continuation byte (10xxxxxx) belongs to the character before it.
        if ((static_cast<unsigned char>(given[i]) & 0xC0) == 0x80) continue;
        if (characters++ == echo_limit) return std::string(given.substr(0, i)) + "\u2026";
    }
    return std::string(given);
}

std::string fill(std::string_view message, std::span<const std::string_view> v) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] != '%' || i + 1 >= message.size()) {
            out += message[i];
        } else if (message[i + 1] == '%') {
            out += '%';
            ++i;
        } else if (message[i + 1] == 's') {
            if (next < v.size()) out += v[next];
            ++next;
            ++i;
        } else if (message[i + 1] >= '1' && message[i + 1] <= '9' && i + 3 < message.size() && message[i + 2] == '$' &&
                   message[i + 3] == 's') {
            std::size_t n = static_cast<std::size_t>(message[i + 1] - '1');
            if (n < v.size()) out += v[n];
            i += 3;
        } else {
            out += '%';
        }
    }
    return out;
}

void use_catalogue(const std::filesystem::path& locale_dir) {
    ::bindtextdomain(text_domain, locale_dir.c_str());
    // Translations are UTF-8 on every terminal: the locale's character set may be ASCII (C.UTF-8
    // is not always the default), and gettext would then turn every accented letter into '?'.
    ::bind_textdomain_codeset(text_domain, "UTF-8");
}

} // namespace brankas::i18n
