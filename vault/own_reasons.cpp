#include "vault/own_reasons.hpp"

#include "policy/document.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace brankas {

namespace {

using i18n::tr_noop;

// What a value of an own reason may be: a reason whose value is not of its kind was not written
// by the vault, and is shown as it was written.
enum class Piece { number, name, text, duration };

struct OwnReasonText {
    OwnReason which;
    const char* english; // marked for the catalogue; "%s", or "%1$s" and "%2$s" in this order
    std::array<Piece, 2> pieces;
    std::size_t count;
};

constexpr OwnReasonText own_reasons[] = {
    {OwnReason::account_added, tr_noop("account added"), {}, 0},
    {OwnReason::imported_line, tr_noop("imported, line %s"), {Piece::number}, 1},
    {OwnReason::imported_from_line, tr_noop("imported from %1$s, line %2$s"), {Piece::text, Piece::number}, 2},
    {OwnReason::created_by, tr_noop("created by %s"), {Piece::name}, 1},
    {OwnReason::handover_completed, tr_noop("handover %s completed"), {Piece::number}, 1},
    {OwnReason::access_revoked, tr_noop("access of %s revoked"), {Piece::name}, 1},
    {OwnReason::access_ended_disabled, tr_noop("access of %s ended: disabled"), {Piece::name}, 1},
    {OwnReason::recovery_shares_replaced, tr_noop("the recovery shares were replaced"), {}, 0},
    {OwnReason::password_older_than, tr_noop("the password is older than %s"), {Piece::duration}, 1},
    {OwnReason::end_of_term, tr_noop("end of term '%s'"), {Piece::text}, 1},
};

const OwnReasonText& text_of(OwnReason which) {
    return *std::ranges::find(own_reasons, which, &OwnReasonText::which);
}

bool is_piece(Piece kind, std::string_view v) {
    switch (kind) {
    case Piece::number: return !v.empty() && v.size() <= 19 && std::ranges::all_of(v, [](char c) { return c >= '0' && c <= '9'; });
    case Piece::name: return is_valid_principal_name(v);
    case Piece::text: return !v.empty() && is_printable_utf8(v);
    case Piece::duration: {
        auto us = policy::parse_duration(v);
        return us && policy::format_duration(*us) == v;
    }
    }
    return false;
}

// The literal texts between the placeholders of `english` ("imported from ", ", line ", "").
std::vector<std::string_view> literals_of(std::string_view english) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t at = english.find('%'); at != std::string_view::npos; at = english.find('%', start)) {
        out.push_back(english.substr(start, at - start));
        start = english.find('s', at) + 1; // "%s" or "%1$s"
    }
    out.push_back(english.substr(start));
    return out;
}

// Whether `rest` is literals[i], then a value of pieces[i], then literals[i + 1] and so on; the
// values found go to `values`. Every split is tried: a file's name may hold ", line ".
bool matches(std::string_view rest, const std::vector<std::string_view>& literals, const OwnReasonText& r, std::size_t i,
             std::vector<std::string>& values) {
    if (!rest.starts_with(literals[i])) return false;
    rest.remove_prefix(literals[i].size());
    if (i == r.count) return rest.empty();
    for (std::size_t length = 1; length <= rest.size(); ++length) {
        std::string_view value = rest.substr(0, length);
        if (!is_piece(r.pieces[i], value)) continue;
        values.emplace_back(value);
        if (matches(rest.substr(length), literals, r, i + 1, values)) return true;
        values.pop_back();
    }
    return false;
}

} // namespace

std::string own_reason(OwnReason which, std::initializer_list<std::string_view> values) {
    return i18n::fill(text_of(which).english, values);
}

std::optional<i18n::Phrase> own_reason_phrase(std::string_view stored) {
    for (const OwnReasonText& r : own_reasons) {
        std::vector<std::string> values;
        if (matches(stored, literals_of(r.english), r, 0, values)) return i18n::Phrase::with_plain(r.english, std::move(values));
    }
    return std::nullopt;
}

} // namespace brankas
