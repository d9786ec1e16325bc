#include "web/translate.hpp"

#include "web/assets.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

namespace brankas::web {

namespace {

// A GNU .mo file (msgfmt's output, compiled into the binary): a header of 32-bit words, then two
// tables of (length, offset) pairs, the originals sorted and the translations in the same order.
class MoCatalogue {
public:
    explicit MoCatalogue(std::string_view mo) {
        if (mo.size() < 28) return;
        std::uint32_t magic = word(mo, 0);
        swapped_ = magic == 0xde120495u;
        if (magic != 0x950412deu && !swapped_) return;
        std::uint32_t count = word(mo, 8), originals = word(mo, 12), translations = word(mo, 16);
        for (std::uint32_t i = 0; i < count; ++i) {
            auto original = string_at(mo, originals + 8 * i);
            auto translation = string_at(mo, translations + 8 * i);
            // The empty msgid is the catalogue's header; a plural entry's msgid holds a NUL.
            if (!original || !translation || original->empty() || original->find('\0') != std::string_view::npos) continue;
            messages_.emplace(*original, *translation);
        }
    }
    [[nodiscard]] std::optional<std::string_view> find(std::string_view msgid) const {
        auto it = messages_.find(msgid);
        if (it == messages_.end() || it->second.empty()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::size_t size() const noexcept { return messages_.size(); }

private:
    [[nodiscard]] std::uint32_t word(std::string_view mo, std::size_t at) const {
        if (at + 4 > mo.size()) return 0;
        std::uint32_t w = 0;
        std::memcpy(&w, mo.data() + at, 4);
        return swapped_ ? __builtin_bswap32(w) : w;
    }
    [[nodiscard]] std::optional<std::string_view> string_at(std::string_view mo, std::size_t entry) const {
        if (entry + 8 > mo.size()) return std::nullopt;
        std::size_t length = word(mo, entry), offset = word(mo, entry + 4);
        if (offset > mo.size() || length > mo.size() - offset) return std::nullopt;
        return mo.substr(offset, length);
    }
    bool swapped_ = false;
    std::unordered_map<std::string_view, std::string_view> messages_;
};

const MoCatalogue& indonesian() {
    static const MoCatalogue catalogue(find_asset("catalogue/id.mo").value_or(std::string_view{}));
    return catalogue;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// RFC 9110's qvalue: "0" or "1", or either with a '.' and up to three digits, at most 1.
std::optional<double> qvalue(std::string_view text) {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    if (text.size() == 1) return text[0] - '0';
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    double q = text[0] - '0', scale = 0.1;
    for (char c : text.substr(2)) {
        if (c < '0' || c > '9' || (text[0] == '1' && c != '0')) return std::nullopt;
        q += (c - '0') * scale;
        scale /= 10;
    }
    return q;
}

std::optional<Language> spoken(std::string_view tag) {
    std::string lower;
    for (char c : tag.substr(0, tag.find('-'))) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "id" || lower == "in") return Language::id; // "in" is Indonesian's withdrawn code
    if (lower == "en") return Language::en;
    return std::nullopt;
}

} // namespace

std::string_view language_code(Language language) noexcept { return language == Language::en ? "en" : "id"; }

Language parse_language(std::string_view code) noexcept { return code == "en" ? Language::en : Language::id; }

Language language_from_header(std::string_view header) {
    std::optional<Language> best;
    double best_q = 0;
    while (!header.empty()) {
        std::size_t comma = header.find(',');
        std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        std::size_t semi = item.find(';');
        std::string_view tag = trim(item.substr(0, semi));
        // RFC 9110 12.4.2 and 12.5.4: a weight is OWS ";" OWS "q=" qvalue, the "q" in any case;
        // blanks around the '=' are taken too, as browsers and proxies write them. A weight that
        // is no qvalue leaves the language out.
        double q = 1;
        while (semi != std::string_view::npos) {
            // Each parameter runs from past its ';' to the next ';' of the item, or its end.
            const std::size_t next = item.find(';', semi + 1);
            std::string_view parameter = item.substr(semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1);
            semi = next;
            std::size_t eq = parameter.find('=');
            std::string_view name = trim(parameter.substr(0, eq));
            if (eq == std::string_view::npos || (name != "q" && name != "Q")) continue;
            q = qvalue(trim(parameter.substr(eq + 1))).value_or(0);
        }
        auto language = spoken(tag);
        if (language && q > best_q) best = language, best_q = q; // the first of equal weights wins
    }
    return best.value_or(Language::id);
}

std::string_view Translator::tr(const char* msgid) const noexcept {
    if (language_ == Language::id)
        if (auto found = indonesian().find(msgid)) return *found;
    return msgid;
}

std::size_t indonesian_messages() noexcept { return indonesian().size(); }

} // namespace brankas::web
