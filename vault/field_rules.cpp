#include "vault/field_rules.hpp"

#include "vault/encoding.hpp"

#include <algorithm>
#include <cstdio>

namespace brankas {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_visible_ascii(char c) { return c > ' ' && c < 0x7f; }

} // namespace

bool is_valid_principal_name(std::string_view name) {
    if (name.empty() || name.size() > max_principal_name) return false;
    if (name[0] < 'a' || name[0] > 'z') return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool is_valid_unit_code(std::string_view code) {
    if (code.size() != 8) return false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        bool separator = i == 2 || i == 5;
        if (separator ? code[i] != '.' : !is_digit(code[i])) return false;
    }
    // Provinces, regencies and districts are numbered from 01: "00" names none of them.
    for (std::size_t part : {0, 3, 6})
        if (code[part] == '0' && code[part + 1] == '0') return false;
    return true;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::optional<std::string> hidden_mark_in(std::string_view text) {
    // Each is searched as its UTF-8 bytes: a lead byte never stands inside another character, so a
    // match is that character wherever it is.
    struct Mark {
        std::string_view bytes;
        char32_t code_point;
    };
    static constexpr Mark marks[] = {
        {"\xd8\x9c", 0x061c},     // Arabic letter mark
        {"\xe2\x80\x8b", 0x200b}, // zero width space
        {"\xe2\x80\x8c", 0x200c}, // zero width non-joiner
        {"\xe2\x80\x8d", 0x200d}, // zero width joiner
        {"\xe2\x80\x8e", 0x200e}, // left-to-right mark
        {"\xe2\x80\x8f", 0x200f}, // right-to-left mark
        {"\xe2\x80\xaa", 0x202a}, // left-to-right embedding
        {"\xe2\x80\xab", 0x202b}, // right-to-left embedding
        {"\xe2\x80\xac", 0x202c}, // pop directional formatting
        {"\xe2\x80\xad", 0x202d}, // left-to-right override
        {"\xe2\x80\xae", 0x202e}, // right-to-left override
        {"\xe2\x81\xa0", 0x2060}, // word joiner
        {"\xe2\x81\xa6", 0x2066}, // left-to-right isolate
        {"\xe2\x81\xa7", 0x2067}, // right-to-left isolate
        {"\xe2\x81\xa8", 0x2068}, // first strong isolate
        {"\xe2\x81\xa9", 0x2069}, // pop directional isolate
        {"\xef\xbb\xbf", 0xfeff}, // zero width no-break space (a byte order mark)
    };
    std::size_t first = std::string_view::npos;
    char32_t found = 0;
    for (const Mark& m : marks)
        if (std::size_t at = text.find(m.bytes); at < first) {
            first = at;
            found = m.code_point;
        }
    if (first == std::string_view::npos) return std::nullopt;
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(found));
    return std::string(name);
}

Status check_no_hidden_mark(std::string_view text, const char* what) {
    if (auto mark = hidden_mark_in(text))
        return fail_phrase(ErrorCode::usage,
                           i18n::Phrase(i18n::tr_noop("%1$s holds %2$s, an invisible character that can make it read as other text"),
                                        {i18n::Phrase(what), i18n::Phrase::plain(*mark)}),
                           i18n::tr_noop("type it again by hand: such characters come with text copied from elsewhere"));
    return {};
}

bool is_valid_unit_name(std::string_view name) {
    return !name.empty() && name.size() <= max_unit_name && is_printable_utf8(name);
}

bool is_valid_term_name(std::string_view name) {
    return !name.empty() && name.size() <= max_term_name && is_printable_utf8(name) && name.find(',') == std::string_view::npos &&
           name.front() != ' ' && name.back() != ' ';
}

bool is_valid_platform(std::string_view platform) {
    return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

namespace {

struct PlatformAlias {
    std::string_view alias; // folded: lower case, without spaces and punctuation
    std::string_view platform;
};
constexpr PlatformAlias platform_aliases[] = {
    {"instagram", "instagram"}, {"ig", "instagram"},   {"insta", "instagram"}, {"facebook", "facebook"},
    {"fb", "facebook"},         {"x", "x"},            {"twitter", "x"},       {"xtwitter", "x"},
    {"twitterx", "x"},          {"tiktok", "tiktok"},  {"youtube", "youtube"}, {"yt", "youtube"},
    {"threads", "threads"},     {"email", "email"},    {"surel", "email"},     {"gmail", "email"},
    {"other", "other"},         {"lainnya", "other"},  {"lain", "other"},
};

} // namespace

std::optional<std::string> platform_named(std::string_view name) {
    if (name.size() > 32) return std::nullopt;
    std::string f;
    for (char c : name) {
        if (c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_' || c == '/') continue;
        f += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    for (const auto& a : platform_aliases)
        if (a.alias == f) return std::string(a.platform);
    return std::nullopt;
}

bool platform_allows_spaces(std::string_view platform) {
    // A YouTube channel, a Facebook page and whatever "other" is are named in words; Instagram,
    // Threads, X and TikTok usernames and e-mail addresses have no spaces.
    return platform == "youtube" || platform == "facebook" || platform == "other";
}

std::optional<std::string> normalize_handle(std::string_view platform, std::string_view handle) {
    if (handle.starts_with('@')) handle.remove_prefix(1);
    if (handle.empty() || handle.size() > max_handle) return std::nullopt;
    const bool spaces = platform_allows_spaces(platform);
    // A space only between words, one at a time: "Panwascam Rappocini" is one name, whatever
    // the spacing it was typed with would make two.
    if (spaces && (handle.front() == ' ' || handle.back() == ' ' || handle.find("  ") != std::string_view::npos)) return std::nullopt;
    std::string out;
    for (char c : handle) {
        if (!(is_visible_ascii(c) || (spaces && c == ' ')) || c == '/') return std::nullopt;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

bool is_valid_email(std::string_view email) {
    if (email.empty()) return true;
    if (email.size() > max_email || !std::all_of(email.begin(), email.end(), is_visible_ascii)) return false;
    auto at = email.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
           email.find('.', at) != std::string_view::npos;
}

bool is_valid_phone(std::string_view phone) {
    if (phone.empty()) return true;
    if (phone.size() > max_phone) return false;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < phone.size(); ++i) {
        char c = phone[i];
        if (is_digit(c)) ++digits;
        else if (c == '+' && i == 0) continue;
        else if ((c == ' ' || c == '-') && i > 0 && is_digit(phone[i - 1])) continue;
        else return false;
    }
    return digits >= 6 && is_digit(phone.back());
}

bool is_valid_url(std::string_view url) {
    if (url.empty()) return true;
    if (url.size() > max_url || !std::all_of(url.begin(), url.end(), is_visible_ascii)) return false;
    return url.starts_with("https://") || url.starts_with("http://");
}

} // namespace brankas
