#include "vault/field_rules.hpp"

#include "vault/encoding.hpp"

#include <algorithm>
#include <iterator>
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

namespace {

// Every code point that is Default_Ignorable_Code_Point or Bidi_Control in Unicode 15.1
// (DerivedCoreProperties.txt and PropList.txt; the same in 16.0): what a renderer shows as
// nothing, or uses only to reorder the text around it. Every Bidi_Control is default-ignorable
// too, so this is the first set. Sorted, inclusive, unassigned ones within its ranges included
// (they are reserved as ignorable, and a later font must not make them visible).
struct CodePointRange {
    char32_t first, last;
};
constexpr CodePointRange hidden_marks[] = {
    {0x00ad, 0x00ad},   // soft hyphen
    {0x034f, 0x034f},   // combining grapheme joiner
    {0x061c, 0x061c},   // Arabic letter mark
    {0x115f, 0x1160},   // Hangul choseong and jungseong fillers
    {0x17b4, 0x17b5},   // Khmer inherent vowels
    {0x180b, 0x180f},   // Mongolian free variation selectors, vowel separator
    {0x200b, 0x200f},   // zero width space, non-joiner, joiner; left-to-right and right-to-left marks
    {0x202a, 0x202e},   // bidi embeddings and overrides, pop directional formatting
    {0x2060, 0x206f},   // word joiner, invisible operators, bidi isolates, deprecated format controls
    {0x3164, 0x3164},   // Hangul filler
    {0xfe00, 0xfe0f},   // variation selectors
    {0xfeff, 0xfeff},   // zero width no-break space (a byte order mark)
    {0xffa0, 0xffa0},   // halfwidth Hangul filler
    {0xfff0, 0xfff8},   // unassigned, reserved default-ignorable
    {0x1bca0, 0x1bca3}, // shorthand format controls
    {0x1d173, 0x1d17a}, // musical symbol format controls
    {0xe0000, 0xe0fff}, // tags and variation selectors supplement
};
static_assert(std::ranges::is_sorted(hidden_marks, {}, &CodePointRange::first));

bool is_hidden_mark(char32_t c) {
    auto after = std::ranges::upper_bound(hidden_marks, c, {}, &CodePointRange::first);
    return after != std::begin(hidden_marks) && c <= std::prev(after)->last;
}

// Unicode's White_Space (PropList.txt): the spaces, tabs and line ends of every script, the
// no-break and ideographic spaces among them.
bool is_white_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
           c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// Hands `each` the code points of `text`, decoded as UTF-8, until it returns true (then true);
// a byte that begins no well-formed character goes to `malformed` instead (whether the text is
// UTF-8 at all is another rule's).
template <class Each, class Malformed>
bool any_code_point(std::string_view text, Each each, Malformed malformed) {
    for (std::size_t i = 0; i < text.size();) {
        auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        std::size_t length = b(0) < 0x80 ? 1 : b(0) >= 0xc2 && b(0) < 0xe0 ? 2 : b(0) >= 0xe0 && b(0) < 0xf0 ? 3 : b(0) >= 0xf0 && b(0) < 0xf5 ? 4 : 0;
        bool well_formed = length != 0 && i + length <= text.size();
        char32_t c = 0;
        if (well_formed) {
            c = length == 1 ? b(0) : b(0) & (0xff >> (length + 1));
            for (std::size_t k = 1; k < length; ++k) {
                well_formed = well_formed && (b(k) & 0xc0) == 0x80;
                c = (c << 6) | (b(k) & 0x3f);
            }
        }
        if (!well_formed) {
            if (malformed()) return true;
            ++i;
            continue;
        }
        if (each(c)) return true;
        i += length;
    }
    return false;
}

} // namespace

bool is_blank(std::string_view text) {
    // Anything that is neither a space of some script nor a character that prints as nothing says something.
    return !any_code_point(
        text, [](char32_t c) { return !is_white_space(c) && !is_hidden_mark(c); }, [] { return true; });
}

std::optional<std::string> hidden_mark_in(std::string_view text) {
    std::optional<std::string> found;
    any_code_point(
        text,
        [&found](char32_t c) {
            if (!is_hidden_mark(c)) return false;
            char name[16];
            std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
            found = name;
            return true;
        },
        [] { return false; });
    return found;
}

std::optional<char32_t> hidden_mark_at(std::string_view text) {
    std::uint32_t cp = 0;
    if (code_point_length(text, cp) != 0 && is_hidden_mark(cp)) return cp;
    return std::nullopt;
}

Status check_reason_length(std::string_view reason) {
    if (reason.size() <= max_reason) return {};
    return fail_phrased(ErrorCode::usage, i18n::tr_noop("a reason is at most %1$s bytes long: this one has %2$s"),
                        {std::to_string(max_reason), std::to_string(reason.size())});
}

Status check_no_hidden_mark(std::string_view text, const char* what) {
    if (auto mark = hidden_mark_in(text))
        return fail_phrase(ErrorCode::usage,
                           i18n::Phrase(i18n::tr_noop("%1$s holds %2$s, an invisible character that can make it read as other text"),
                                        {i18n::Phrase(what), i18n::Phrase::plain(*mark)}),
                           i18n::tr_noop("type it again by hand: such characters come with text copied from elsewhere"));
    return {};
}

Status check_typed_line(std::string_view text, const char* what) {
    auto refuse = [what](const char* holds, std::string mark = {}) {
        return fail_phrase(ErrorCode::usage, i18n::Phrase(holds, {i18n::Phrase(what), i18n::Phrase::plain(std::move(mark))}),
                           i18n::tr_noop("type it again by hand on one line: such characters come with text copied from elsewhere"));
    };
    if (!is_utf8(text)) return refuse(i18n::tr_noop("%1$s is one line of visible text: it holds bytes that are not UTF-8"));
    std::optional<Status> refused;
    any_code_point(
        text,
        [&](char32_t c) {
            char name[16];
            std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
            if (c == '\t') refused = refuse(i18n::tr_noop("%1$s is one line of visible text: it holds a tab"));
            else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x85 || c == 0x2028 || c == 0x2029)
                refused = refuse(i18n::tr_noop("%1$s is one line of visible text: it holds a line break"));
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
                refused = refuse(i18n::tr_noop("%1$s is one line of visible text: it holds the control character %2$s"), name);
            else if (is_hidden_mark(c))
                refused = refuse(i18n::tr_noop("%1$s is one line of visible text: it holds %2$s, an invisible character that can make it read as other text"), name);
            return refused.has_value();
        },
        [] { return false; });
    if (refused) return *refused;
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
    if (refused_handle_shape(platform, handle)) return std::nullopt;
    if (handle.starts_with('@')) handle.remove_prefix(1);
    const bool spaces = platform_allows_spaces(platform);
    std::string out;
    for (char c : handle) {
        if (!(is_visible_ascii(c) || (spaces && c == ' ')) || c == '/') return std::nullopt;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::optional<RefusedShape> refused_handle_shape(std::string_view platform, std::string_view handle) {
    const std::size_t at = handle.starts_with('@') ? 1 : 0; // the '@' is dropped, but a position counts it
    const std::string_view name = handle.substr(at);
    if (name.empty()) return RefusedShape{HandleShapeFault::empty};
    if (name.size() > max_handle) return RefusedShape{HandleShapeFault::too_long, name.size()};
    if (!platform_allows_spaces(platform)) return std::nullopt; // a space is a refused character there
    // A space only between words, one at a time: "Panwascam Rappocini" is one name, whatever
    // the spacing it was typed with would make two.
    if (name.front() == ' ') return RefusedShape{HandleShapeFault::space_at_start, 0, at + 1};
    if (name.back() == ' ') return RefusedShape{HandleShapeFault::space_at_end, 0, utf8_length(handle)};
    if (auto two = name.find("  "); two != std::string_view::npos)
        return RefusedShape{HandleShapeFault::double_space, 0, utf8_length(handle.substr(0, at + two)) + 1};
    return std::nullopt;
}

std::optional<RefusedCharacter> refused_handle_character(std::string_view platform, std::string_view handle) {
    const bool spaces = platform_allows_spaces(platform);
    std::optional<RefusedCharacter> refused;
    std::size_t position = 0, offset = 0; // in characters, and in bytes (as any_code_point steps)
    char name[16];
    any_code_point(
        handle,
        [&](char32_t c) {
            ++position;
            const auto lead = static_cast<unsigned char>(handle[offset]);
            offset += lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
            if ((c < 0x80 && is_visible_ascii(static_cast<char>(c)) && c != '/') || (spaces && c == ' ')) return false;
            std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
            refused = RefusedCharacter{position, name};
            return true;
        },
        [&] {
            // A byte that begins no character: shown as the byte, which no code point names.
            std::snprintf(name, sizeof name, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(handle[offset])));
            refused = RefusedCharacter{++position, name};
            return true;
        });
    return refused;
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
