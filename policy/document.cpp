#include "policy/document.hpp"

#include "policy/document_syntax.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <span>
#include <string_view>

namespace brankas::policy {

// ---- durations ----

namespace {

struct DurationUnit {
    char letter;
    std::int64_t seconds;
};

// Largest first: a duration names each unit at most once, in this order ("1d12h", not "12h1d"),
// so there is one way to read it and a typo such as "1h1h" is an error, not a sum.
constexpr std::array duration_units{
    DurationUnit{'w', 7 * 24 * 3600}, DurationUnit{'d', 24 * 3600}, DurationUnit{'h', 3600},
    DurationUnit{'m', 60},            DurationUnit{'s', 1},
};

// Ten years, leap days included: nothing in a policy lasts longer, and the bound keeps every
// sum far from overflow.
constexpr std::int64_t max_duration_seconds = 3653LL * 24 * 3600;

} // namespace

DocumentError error_of(int line, i18n::Phrase message) {
    std::string english = message.english();
    return DocumentError(line, std::move(english), std::move(message));
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    std::size_t next_unit = 0; // index into duration_units of the largest unit still allowed
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t digits_start = i;
        std::int64_t value = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            value = value * 10 + (text[i] - '0');
            if (value > max_duration_seconds) return std::nullopt; // stops long before overflow
            ++i;
        }
        if (i == digits_start || i == text.size()) return std::nullopt; // a unit without a number, or a number without a unit
        auto unit = std::find_if(duration_units.begin() + static_cast<std::ptrdiff_t>(next_unit), duration_units.end(),
                                 [c = text[i]](const DurationUnit& u) { return u.letter == c; });
        if (unit == duration_units.end()) return std::nullopt; // unknown, repeated or out of order
        next_unit = static_cast<std::size_t>(unit - duration_units.begin()) + 1;
        ++i;
        if (value > (max_duration_seconds - total) / unit->seconds) return std::nullopt;
        total += value * unit->seconds;
    }
    return total * second_us;
}

std::string format_duration(std::int64_t us) {
    if (us < 0) // never in a valid policy, but said plainly if it comes
        return "-" + format_duration(us == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : -us);
    // Days, hours, minutes, seconds, largest first; weeks are read but not written, so the
    // document keeps the forms people use for terms and ages ("7d", "180d").
    std::int64_t seconds = us / second_us; // a policy holds whole seconds; a fraction is dropped
    if (seconds == 0) return "0s";
    std::string out;
    for (const DurationUnit& u : duration_units) {
        if (u.letter == 'w') continue;
        if (seconds >= u.seconds) {
            out += std::to_string(seconds / u.seconds);
            out += u.letter;
            seconds %= u.seconds;
        }
    }
    return out;
}

// ---- reading the document ----

namespace {

constexpr std::size_t max_document_bytes = 64 * 1024;
constexpr std::size_t max_steps = 20;
constexpr std::size_t max_step_id = 32;
constexpr std::size_t max_step_text = 200;
constexpr std::int64_t max_code_lifetime_us = 30 * day_us;
constexpr std::size_t max_forbid_names = 100;

// The forms `unit add` and `user add` take (vault/field_rules.hpp; policy/ includes nothing of
// vault/): a region code NN.NN.NN, and a user name of a lower-case letter, then lower-case
// letters, digits, '.', '_' or '-', at most 32 bytes. A name of another form could never match.
bool is_region_code(std::string_view s) {
    if (s.size() != 8) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if ((i == 2 || i == 5) ? s[i] != '.' : (s[i] < '0' || s[i] > '9')) return false;
    return true;
}

bool is_user_name(std::string_view s) {
    return !s.empty() && s.size() <= 32 && s[0] >= 'a' && s[0] <= 'z' &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'; });
}
// A browser session holds unlocked keys on the server: a working day at most.
constexpr std::int64_t max_web_session_us = day_us;
// A request under dual control is decided and used within a week, and by at most five people.
constexpr std::int64_t max_approval_window_us = 7 * day_us;
constexpr std::int64_t max_approvals = 5;

int line_of(const toml::source_region& r) { return static_cast<int>(r.begin.line); }

// Named apart from std::quoted, which argument-dependent lookup would otherwise pick for a std::string.
std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The messages are phrases (i18n::Phrase): a literal of the catalogue with its values, so that a
// face says them in its reader's language; DocumentError::message keeps their English.
using i18n::Phrase;
using i18n::tr_noop;
// What a value is, for "... must be X, not <this>".
Phrase type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string: return Phrase(tr_noop("a string"));
    case toml::node_type::integer: return Phrase(tr_noop("an integer"));
    case toml::node_type::floating_point: return Phrase(tr_noop("a number"));
    case toml::node_type::boolean: return Phrase(tr_noop("true or false"));
    case toml::node_type::date: return Phrase(tr_noop("a date"));
    case toml::node_type::time: return Phrase(tr_noop("a time"));
    case toml::node_type::date_time: return Phrase(tr_noop("a date and time"));
    case toml::node_type::array: return Phrase(tr_noop("an array"));
    case toml::node_type::table: return Phrase(tr_noop("a table"));
    case toml::node_type::none: break;
    }
    return Phrase(tr_noop("nothing"));
}

// Levenshtein distance, for "did you mean" on a misspelt key.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The known word `word` is a typo of, or empty.
std::string_view did_you_mean(std::string_view word, const std::vector<std::string_view>& known) {
    std::string_view best;
    std::size_t best_distance = 3; // further than two edits is another word, not a typo
    for (std::string_view k : known) {
        std::size_t d = edit_distance(word, k);
        if (d < best_distance) best = k, best_distance = d;
    }
    return best;
}

// Printable UTF-8: well-formed, no C0 or C1 control characters, DEL, line or paragraph
// separators, or bidirectional overrides (a step's text is printed on terminals and on paper).
bool is_printable_text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        unsigned char b = byte(i);
        char32_t cp;
        std::size_t len;
        if (b < 0x80) cp = b, len = 1;
        else if (b >= 0xC2 && b <= 0xDF) cp = b & 0x1Fu, len = 2;
        else if (b >= 0xE0 && b <= 0xEF) cp = b & 0x0Fu, len = 3;
        else if (b >= 0xF0 && b <= 0xF4) cp = b & 0x07u, len = 4;
        else return false;
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((byte(i + k) & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (byte(i + k) & 0x3Fu);
        }
        bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
        bool separator = cp == 0x2028 || cp == 0x2029;
        bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
        if (overlong || surrogate || cp > 0x10FFFF || control || separator || bidi) return false;
        i += len;
    }
    return true;
}

bool is_step_id(std::string_view id) {
    return !id.empty() && id.size() <= max_step_id &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string known_names(std::span<const Action> names) {
    std::string out;
    for (Action a : names) out += (out.empty() ? "" : ", ") + std::string(action_name(a));
    return out;
}

// What toml++ refused in a document the syntax check let through (document_syntax.hpp): a key or a
// table defined twice, or a table extended where TOML forbids it. toml++ says so in English,
// naming the key in single quotes ("Error while parsing key-value pair: cannot redefine existing
// string 'grace_period'", "cannot insert 'a.b' into existing inline table"); that is said again as
// a phrase. Anything else keeps toml++'s words. toml++ 3.3.0 records a quoted key's text wrongly
// for that message ("ab" defined twice is named '"abab" ') and cuts the message at 511 bytes,
// inside a character if need be: a key is named only when it is bare (and so whole and right),
// the line says where the other is.
Phrase toml_refusal(std::string_view description) {
    Phrase what = Phrase::plain(std::string(description));
    std::size_t at = std::min(description.find("cannot redefine existing "), description.find("cannot insert "));
    if (at != std::string_view::npos) {
        std::size_t open = description.find('\'', at);
        std::size_t close = open == std::string_view::npos ? open : description.find('\'', open + 1);
        std::string_view key = close == std::string_view::npos ? std::string_view() : description.substr(open + 1, close - open - 1);
        bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) { return c == '.' || is_bare_key_character(c); });
        if (bare)
            what = Phrase(tr_noop("'%s' is defined twice, or extends a table or a value defined before it"), {Phrase::plain(std::string(key))});
        else
            what = Phrase(tr_noop("a quoted key on this line is defined twice, or extends a table or a value defined before it"));
    }
    return Phrase(tr_noop("not valid TOML: %s"), {std::move(what)});
}

// One key of a table: its name and what reads its value.
struct Field {
    std::string_view key;
    std::function<void(const toml::node&, const std::string& path)> read;
};

class DocumentReader {
public:
    std::expected<Policy, std::vector<DocumentError>> read(std::string_view text) {
        // A policy is a page or two; anything far larger is a mistake, or an attempt to make
        // every later reader of the vault parse it.
        if (text.size() > max_document_bytes)
            return std::unexpected(std::vector<DocumentError>{
                error_of(0, Phrase(tr_noop("the document is larger than %s KiB"), {Phrase::plain(std::to_string(max_document_bytes / 1024))}))});
        // toml++ reads only what is well formed: it trusts the shape of its input, and fails
        // assertions (or, in Debian's build, has undefined behaviour) where it should refuse
        // (document_syntax.hpp).
        if (auto refused = check_document_syntax(text)) return std::unexpected(std::vector<DocumentError>{*refused});
        toml::table root;
        try {
            root = toml::parse(text);
        } catch (const toml::parse_error& e) {
            return std::unexpected(std::vector<DocumentError>{error_of(line_of(e.source()), toml_refusal(e.description()))});
        }
        read_root(root);
        if (!errors_.empty()) {
            std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
            return std::unexpected(std::move(errors_));
        }
        return std::move(p_);
    }

private:
    void error(int line, Phrase message) { errors_.push_back(error_of(line, std::move(message))); }
    void error(const toml::node& n, Phrase message) { error(line_of(n.source()), std::move(message)); }
    // A literal of the catalogue whose values are plain text (a key's path, a number).
    void error(const toml::node& n, const char* message, std::vector<std::string> values) {
        error(n, Phrase::with_plain(message, std::move(values)));
    }

    // Every key of `node` must be one of `fields`; each known one is read by its field.
    void read_table(const toml::node& node, const std::string& path, std::initializer_list<Field> fields) {
        const toml::table* t = node.as_table();
        if (!t) {
            error(node, Phrase(tr_noop("%1$s must be a table, not %2$s"), {Phrase::plain(path), type_name(node)}));
            return;
        }
        std::vector<std::string_view> names;
        for (const Field& f : fields) names.push_back(f.key);
        for (auto&& [key, value] : *t) {
            std::string child = path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
            auto f = std::find_if(fields.begin(), fields.end(), [&](const Field& x) { return x.key == key.str(); });
            if (f == fields.end()) {
                const bool table = path.empty() && value.is_table();
                const std::string_view near = did_you_mean(key.str(), names);
                const char* what = near.empty() ? (table ? tr_noop("unknown table [%1$s]") : tr_noop("unknown key '%1$s'"))
                                                : (table ? tr_noop("unknown table [%1$s] (did you mean '%2$s'?)")
                                                         : tr_noop("unknown key '%1$s' (did you mean '%2$s'?)"));
                error(line_of(key.source()), Phrase(what, {Phrase::plain(child), Phrase::plain(std::string(near))}));
                continue;
            }
            f->read(value, child);
        }
    }

    void read_root(const toml::table& root) {
        read_table(root, "",
                   {
                       {"vault", [this](auto& n, auto& path) { read_table(n, path, {{"time_zone", [this](auto& v, auto& k) { read_time_zone(v, k); }}}); }},
                       {"checkout", [this](auto& n, auto& path) { read_checkout(n, path); }},
                       {"term", [this](auto& n, auto& path) {
                            read_table(n, path, {{"grace_period", [this](auto& v, auto& k) { read_duration(v, k, p_.term_grace_us); }}});
                        }},
                       {"rotation", [this](auto& n, auto& path) {
                            read_table(n, path, {{"max_password_age", [this](auto& v, auto& k) {
                                                      if (read_duration(v, k, p_.max_password_age_us) && p_.max_password_age_us <= 0)
                                                          error(v, tr_noop("%s must be longer than 0s"), {k});
                                                  }}});
                        }},
                       {"break_glass", [this](auto& n, auto& path) {
                            read_table(n, path,
                                       {{"allowed", [this](auto& v, auto& k) { read_bool(v, k, p_.break_glass_allowed); }},
                                        {"roles", [this](auto& v, auto& k) { read_break_glass_roles(v, k); }},
                                        {"reveals", [this](auto& v, auto& k) { read_bool(v, k, p_.break_glass_reveals); }}});
                        }},
                       {"handover", [this](auto& n, auto& path) {
                            read_table(n, path,
                                       {{"witness_required", [this](auto& v, auto& k) { read_bool(v, k, p_.handover_witness_required); }},
                                        {"rotate_before_accept", [this](auto& v, auto& k) { read_bool(v, k, p_.handover_rotate_before_accept); }},
                                        {"release_required", [this](auto& v, auto& k) { read_bool(v, k, p_.handover_release_required); }}});
                        }},
                       {"enrollment", [this](auto& n, auto& path) {
                            read_table(n, path, {{"code_lifetime", [this](auto& v, auto& k) {
                                                      if (read_duration(v, k, p_.enrollment_code_lifetime_us) &&
                                                          (p_.enrollment_code_lifetime_us <= 0 || p_.enrollment_code_lifetime_us > max_code_lifetime_us))
                                                          error(v, tr_noop("%1$s must be longer than 0s and at most %2$s"), {k, format_duration(max_code_lifetime_us)});
                                                  }}});
                        }},
                       {"deactivation", [this](auto& n, auto& path) {
                            read_table(n, path,
                                       {{"waiting_period", [this](auto& v, auto& k) { read_duration(v, k, p_.platform_waiting_period_us); }},
                                        {"step", [this](auto& v, auto& k) { read_steps(v, k); }}});
                        }},
                       {"web", [this](auto& n, auto& path) { read_web(n, path); }},
                       {"dual_control", [this](auto& n, auto& path) { read_dual_control(n, path); }},
                       {"forbid", [this](auto& n, auto& path) { read_forbid_rules(n, path); }},
                   });
    }

    bool read_bool(const toml::node& n, const std::string& path, bool& out) {
        if (auto v = n.value_exact<bool>()) {
            out = *v;
            return true;
        }
        error(n, Phrase(tr_noop("%1$s must be true or false, not %2$s"), {Phrase::plain(path), type_name(n)}));
        return false;
    }

    const std::string* read_string(const toml::node& n, const std::string& path) {
        if (const auto* s = n.as_string()) return &s->get();
        error(n, Phrase(tr_noop("%1$s must be a string, not %2$s"), {Phrase::plain(path), type_name(n)}));
        return nullptr;
    }

    bool read_duration(const toml::node& n, const std::string& path, std::int64_t& out) {
        const std::string* s = n.as_string() ? &n.as_string()->get() : nullptr;
        std::optional<std::int64_t> d = s ? parse_duration(*s) : std::nullopt;
        if (!d) {
            error(n, Phrase(tr_noop("%1$s must be a duration such as \"8h\" or \"1d12h\" (units w d h m s, largest first, at most ten years), not %2$s"),
                            {Phrase::plain(path), s ? Phrase::plain(in_quotes(*s)) : type_name(n)}));
            return false;
        }
        out = *d;
        return true;
    }

    void read_time_zone(const toml::node& n, const std::string& path) {
        const std::string* s = read_string(n, path);
        if (!s) return;
        static constexpr std::array<std::pair<std::string_view, int>, 3> zones{{{"WIB", 7 * 60}, {"WITA", 8 * 60}, {"WIT", 9 * 60}}};
        for (auto [name, offset] : zones)
            if (*s == name) {
                p_.time_zone = {std::string(name), offset};
                return;
            }
        error(n, tr_noop("%1$s must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9), not %2$s"), {path, in_quotes(*s)});
    }

    void read_checkout(const toml::node& n, const std::string& path) {
        // Where each duration was given, once it read well: the two are compared afterwards.
        std::optional<int> default_line, max_line;
        bool durations_ok = true;
        auto duration = [&](const toml::node& v, const std::string& k, std::int64_t& out, std::optional<int>& at) {
            if (!read_duration(v, k, out)) {
                durations_ok = false;
            } else if (out <= 0) {
                error(v, tr_noop("%s must be longer than 0s"), {k});
                durations_ok = false;
            } else {
                at = line_of(v.source());
            }
        };
        read_table(n, path,
                   {
                       {"default_duration", [&](auto& v, auto& k) { duration(v, k, p_.checkout_default_us, default_line); }},
                       {"max_duration", [&](auto& v, auto& k) { duration(v, k, p_.checkout_max_us, max_line); }},
                       {"reason_required", [this](auto& v, auto& k) { read_bool(v, k, p_.checkout_reason_required); }},
                       {"exclusive", [this](auto& v, auto& k) { read_bool(v, k, p_.checkout_exclusive); }},
                       {"rotate_after_checkin", [this](auto& v, auto& k) { read_bool(v, k, p_.rotate_after_checkin); }},
                   });
        if (durations_ok && (default_line || max_line) && p_.checkout_default_us > p_.checkout_max_us)
            error(default_line.value_or(max_line.value_or(0)),
                  Phrase(tr_noop("checkout.default_duration (%1$s) is longer than checkout.max_duration (%2$s)"),
                         {Phrase::plain(format_duration(p_.checkout_default_us)), Phrase::plain(format_duration(p_.checkout_max_us))}));
    }

    void read_web(const toml::node& n, const std::string& path) {
        // As with the check-out durations, where each was given, for comparing them afterwards.
        std::optional<int> idle_line, lifetime_line;
        bool durations_ok = true;
        auto duration = [&](const toml::node& v, const std::string& k, std::int64_t& out, std::optional<int>& at) {
            if (!read_duration(v, k, out)) {
                durations_ok = false;
            } else if (out <= 0 || out > max_web_session_us) {
                error(v, tr_noop("%1$s must be longer than 0s and at most %2$s"), {k, format_duration(max_web_session_us)});
                durations_ok = false;
            } else {
                at = line_of(v.source());
            }
        };
        read_table(n, path,
                   {
                       {"idle_timeout", [&](auto& v, auto& k) { duration(v, k, p_.web_idle_timeout_us, idle_line); }},
                       {"session_lifetime", [&](auto& v, auto& k) { duration(v, k, p_.web_session_lifetime_us, lifetime_line); }},
                   });
        if (durations_ok && (idle_line || lifetime_line) && p_.web_idle_timeout_us > p_.web_session_lifetime_us)
            error(idle_line.value_or(lifetime_line.value_or(0)),
                  Phrase(tr_noop("web.idle_timeout (%1$s) is longer than web.session_lifetime (%2$s)"),
                         {Phrase::plain(format_duration(p_.web_idle_timeout_us)), Phrase::plain(format_duration(p_.web_session_lifetime_us))}));
    }

    void read_dual_control(const toml::node& n, const std::string& path) {
        DualControl& dc = p_.dual_control;
        read_table(n, path,
                   {
                       {"actions", [&](auto& v, auto& k) {
                            const toml::array* list = v.as_array();
                            if (!list) {
                                error(v, Phrase(tr_noop("%1$s must be an array such as [\"break_glass\"], not %2$s"), {Phrase::plain(k), type_name(v)}));
                                return;
                            }
                            std::vector<DualAction> out;
                            for (const toml::node& item : *list) {
                                const std::string* name = read_string(item, k + " entry");
                                if (!name) continue;
                                std::optional<DualAction> a = parse_dual_action(*name);
                                if (!a) {
                                    error(item, tr_noop("%1$s may name \"break_glass\", \"policy_set\", \"rekey\" and \"recovery_split\" only, not %2$s"),
                                          {k, in_quotes(*name)});
                                    continue;
                                }
                                if (std::find(out.begin(), out.end(), *a) != out.end()) {
                                    error(item, tr_noop("%1$s names %2$s twice"), {k, *name});
                                    continue;
                                }
                                out.push_back(*a);
                            }
                            dc.actions = std::move(out);
                        }},
                       {"approvers", [&](auto& v, auto& k) {
                            const toml::array* list = v.as_array();
                            if (!list || list->empty()) {
                                error(v, tr_noop("%s must be a non-empty array of roles such as [\"admin\"]"), {k});
                                return;
                            }
                            std::vector<Role> out;
                            for (const toml::node& item : *list) {
                                const std::string* name = read_string(item, k + " entry");
                                if (!name) continue;
                                std::optional<Role> role = parse_role(*name);
                                // The enforcer and the recovery quorum are no second person.
                                if (!role || (*role != Role::admin && *role != Role::custodian && *role != Role::auditor)) {
                                    error(item, tr_noop("%1$s may name admin, custodian and auditor only, not %2$s"), {k, in_quotes(*name)});
                                    continue;
                                }
                                if (std::find(out.begin(), out.end(), *role) != out.end()) {
                                    error(item, tr_noop("%1$s names %2$s twice"), {k, *name});
                                    continue;
                                }
                                out.push_back(*role);
                            }
                            dc.approvers = std::move(out);
                        }},
                       {"window", [&](auto& v, auto& k) {
                            if (read_duration(v, k, dc.window_us) && (dc.window_us <= 0 || dc.window_us > max_approval_window_us))
                                error(v, tr_noop("%1$s must be longer than 0s and at most %2$s"), {k, format_duration(max_approval_window_us)});
                        }},
                       {"count", [&](auto& v, auto& k) {
                            auto c = v.template value_exact<std::int64_t>();
                            if (!c || *c < 1 || *c > max_approvals) {
                                error(v, tr_noop("%1$s must be a whole number from 1 to %2$s"), {k, std::to_string(max_approvals)});
                                return;
                            }
                            dc.count = static_cast<int>(*c);
                        }},
                   });
    }

    void read_break_glass_roles(const toml::node& n, const std::string& path) {
        const toml::array* roles = n.as_array();
        if (!roles) {
            error(n, Phrase(tr_noop("%1$s must be an array of roles such as [\"admin\"], not %2$s"), {Phrase::plain(path), type_name(n)}));
            return;
        }
        std::vector<Role> out;
        for (const toml::node& item : *roles) {
            const std::string* name = read_string(item, path + " entry");
            if (!name) continue;
            std::optional<Role> role = parse_role(*name);
            // Auditors and the enforcer hold no unit key: the glass would open onto nothing.
            if (!role || (*role != Role::admin && *role != Role::custodian)) {
                error(item, tr_noop("%1$s may name admin and custodian only, not %2$s"), {path, in_quotes(*name)});
                continue;
            }
            if (std::find(out.begin(), out.end(), *role) != out.end()) {
                error(item, tr_noop("%1$s names %2$s twice"), {path, *name});
                continue;
            }
            out.push_back(*role);
        }
        p_.break_glass_roles = std::move(out);
    }

    void read_steps(const toml::node& n, const std::string& path) {
        const toml::array* steps = n.as_array();
        if (steps && steps->empty()) {
            error(n, tr_noop("%s needs at least one step"), {path});
            return;
        }
        if (!steps || !steps->is_array_of_tables()) {
            error(n, tr_noop("%1$s must be an array of tables, written [[%1$s]]"), {path});
            return;
        }
        if (steps->size() > max_steps)
            error((*steps)[max_steps], tr_noop("%1$s: at most %2$s steps, not %3$s"), {path, std::to_string(max_steps), std::to_string(steps->size())});
        std::vector<ChecklistStep> out;
        std::map<std::string, int, std::less<>> id_lines;
        std::optional<int> waiting_line;
        for (const toml::node& item : *steps) {
            ChecklistStep step;
            bool has_id = false, has_text = false;
            read_table(item, path,
                       {
                           {"id", [&](auto& v, auto& k) {
                                const std::string* id = read_string(v, k);
                                if (!id) return;
                                has_id = true;
                                if (!is_step_id(*id)) {
                                    error(v, tr_noop("%1$s must be 1 to 32 of a-z, 0-9 and '-', not %2$s"), {k, in_quotes(*id)});
                                } else if (auto seen = id_lines.find(*id); seen != id_lines.end()) {
                                    error(v, tr_noop("%1$s %2$s is used twice (first on line %3$s)"), {k, in_quotes(*id), std::to_string(seen->second)});
                                } else {
                                    id_lines.emplace(*id, line_of(v.source()));
                                }
                                step.id = *id;
                            }},
                           {"text", [&](auto& v, auto& k) {
                                const std::string* text = read_string(v, k);
                                if (!text) return;
                                has_text = true;
                                if (text->empty() || text->size() > max_step_text || !is_printable_text(*text))
                                    error(v, tr_noop("%1$s must be 1 to %2$s bytes of printable text without control characters"), {k, std::to_string(max_step_text)});
                                step.text = *text;
                            }},
                           {"waits", [&](auto& v, auto& k) {
                                if (!read_bool(v, k, step.waits) || !step.waits) return;
                                if (out.empty())
                                    error(v, tr_noop("the first %s cannot wait: the waiting period counts from the step before it"), {path});
                                else if (waiting_line)
                                    error(v, tr_noop("only one %1$s may wait (one already does, on line %2$s)"), {path, std::to_string(*waiting_line)});
                                else
                                    waiting_line = line_of(v.source());
                            }},
                       });
            if (item.is_table() && (!has_id || !has_text)) error(item, tr_noop("%s needs an id and a text"), {path});
            out.push_back(std::move(step));
        }
        p_.checklist = std::move(out);
    }

    // A list of names in a forbid rule: strings, each matching `well_formed`, none twice.
    // `what` is Names::units or Names::people.
    enum class Names { units, people };
    std::vector<std::string> read_names(const toml::node& n, const std::string& path, Names what, bool (*well_formed)(std::string_view)) {
        std::vector<std::string> out;
        const toml::array* list = n.as_array();
        if (!list || list->empty()) {
            error(n, what == Names::units ? tr_noop("%s must be a non-empty array of region codes, such as [\"...\"]")
                                          : tr_noop("%s must be a non-empty array of user names, such as [\"...\"]"),
                  {path});
            return out;
        }
        if (list->size() > max_forbid_names) {
            error(n, tr_noop("%1$s: at most %2$s names, not %3$s"), {path, std::to_string(max_forbid_names), std::to_string(list->size())});
            return out;
        }
        for (const toml::node& item : *list) {
            const std::string* name = read_string(item, path + " entry");
            if (!name) continue;
            if (!well_formed(*name)) {
                error(item, what == Names::units ? tr_noop("%1$s entry %2$s is not a region code such as \"35.02.05\"")
                                                 : tr_noop("%1$s entry %2$s is not a user name"),
                      {path, in_quotes(*name)});
                continue;
            }
            if (std::find(out.begin(), out.end(), *name) != out.end()) {
                error(item, tr_noop("%1$s names %2$s twice"), {path, in_quotes(*name)});
                continue;
            }
            out.push_back(*name);
        }
        return out;
    }

    void read_forbid_rules(const toml::node& n, const std::string& path) {
        const toml::array* rules = n.as_array();
        if (rules && rules->empty()) return;
        if (!rules || !rules->is_array_of_tables()) {
            error(n, tr_noop("%1$s must be an array of tables, written [[%1$s]]"), {path});
            return;
        }
        for (const toml::node& item : *rules) {
            ForbidRule rule;
            bool role_ok = true, has_action = false, action_ok = true, names_ok = true;
            read_table(item, path,
                       {
                           {"role", [&](auto& v, auto& k) {
                                const std::string* name = read_string(v, k);
                                if (!name) return void(role_ok = false);
                                rule.role = parse_role(*name);
                                if (!rule.role) {
                                    role_ok = false;
                                    error(v, tr_noop("%1$s must be admin, custodian, auditor, enforcer or recovery, not %2$s"), {k, in_quotes(*name)});
                                }
                            }},
                           {"action", [&](auto& v, auto& k) {
                                const std::string* name = read_string(v, k);
                                if (!name) return void(action_ok = false);
                                has_action = true;
                                auto action = parse_action(*name);
                                if (!action) {
                                    action_ok = false;
                                    error(v, tr_noop("%1$s must be one of %2$s, not %3$s"), {k, known_names(all_actions()), in_quotes(*name)});
                                } else {
                                    rule.action = *action;
                                }
                            }},
                           {"units", [&](auto& v, auto& k) {
                                rule.units = read_names(v, k, Names::units, is_region_code);
                                names_ok = names_ok && !rule.units.empty();
                            }},
                           {"people", [&](auto& v, auto& k) {
                                rule.people = read_names(v, k, Names::people, is_user_name);
                                names_ok = names_ok && !rule.people.empty();
                            }},
                       });
            if (!item.is_table()) continue;
            if (!has_action && action_ok) {
                error(item, tr_noop("%s needs an action"), {path});
                continue;
            }
            if (!rule.role && role_ok && rule.people.empty() && rule.units.empty() && names_ok) {
                error(item, tr_noop("%s needs a role, people or units to say whom it forbids"), {path});
                continue;
            }
            if (!role_ok || !action_ok || !names_ok) continue;
            if (rule.action == Action::set_policy && (!rule.role || *rule.role == Role::admin)) {
                // Only an admin may set the policy: a rule that may reach every admin would lock it for good.
                error(item, tr_noop("forbidding admin set_policy is refused: nobody could ever change the policy again (name a role other than admin)"), {});
                continue;
            }
            rule.line = line_of(item.source());
            p_.forbid.push_back(std::move(rule));
        }
    }

    Policy p_;
    std::vector<DocumentError> errors_;
};

} // namespace

std::expected<Policy, std::vector<DocumentError>> parse_policy_document(std::string_view text) {
    return DocumentReader().read(text);
}

// ---- writing the document ----

namespace {

// A TOML basic string: quotes and backslashes escaped, control characters as \uXXXX.
std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04X", static_cast<unsigned>(u));
            out += esc;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string toml_bool(bool b) { return b ? "true" : "false"; }
std::string toml_duration(std::int64_t us) { return toml_string(format_duration(us)); }

} // namespace

std::string render_policy_document(const Policy& p, const CommentLanguage& say) {
    std::string d;
    auto line = [&d](std::string_view s = {}) {
        d += s;
        d += '\n';
    };
    // A comment in the reader's language, each of its lines after "# ".
    auto comment = [&](const char* text) {
        const std::string said = say(text);
        for (std::size_t start = 0; start <= said.size();) {
            std::size_t end = std::min(said.find('\n', start), said.size());
            line("# " + said.substr(start, end - start));
            start = end + 1;
        }
    };
    comment(tr_noop("The policy of this vault. Every key is optional: a key left out keeps its default.\n"
                    "Durations are <number><unit> groups, largest unit first; units w d h m s (\"90m\", \"1d12h\")."));
    line();
    line("[vault]");
    comment(tr_noop("The time zone dates are read and shown in: WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)."));
    line("time_zone = " + toml_string(p.time_zone.name));
    line();
    line("[checkout]");
    comment(tr_noop("How long a check-out lasts when no duration is asked for, and the longest one may ask for."));
    line("default_duration = " + toml_duration(p.checkout_default_us));
    line("max_duration = " + toml_duration(p.checkout_max_us));
    comment(tr_noop("Whether a check-out needs a reason (the reason is recorded in the log)."));
    line("reason_required = " + toml_bool(p.checkout_reason_required));
    comment(tr_noop("Whether only one person at a time may hold an account's password."));
    line("exclusive = " + toml_bool(p.checkout_exclusive));
    comment(tr_noop("Whether a check-in, or the expiry of a check-out, sets \"rotation due\" on the account."));
    line("rotate_after_checkin = " + toml_bool(p.rotate_after_checkin));
    line();
    line("[term]");
    comment(tr_noop("How long a sub-district's accounts stay usable after its term ends (\"0d\": not at all)."));
    line("grace_period = " + toml_duration(p.term_grace_us));
    line();
    line("[rotation]");
    comment(tr_noop("The enforcer flags an account whose current password is older than this."));
    line("max_password_age = " + toml_duration(p.max_password_age_us));
    line();
    line("[break_glass]");
    comment(tr_noop("Whether a check-out outside every term is possible, and for which roles (admin, custodian).\n"
                    "A break-glass check-out always needs a reason and is flagged in the log."));
    line("allowed = " + toml_bool(p.break_glass_allowed));
    std::string roles;
    for (Role r : p.break_glass_roles) roles += (roles.empty() ? "" : ", ") + toml_string(role_name(r));
    line("roles = [" + roles + "]");
    comment(tr_noop("Whether a reveal (`secret show`, `totp`) outside every term follows the check-out's rule: only\n"
                    "with break-glass, flagged (true); false lets an admin reveal there as inside a term."));
    line("reveals = " + toml_bool(p.break_glass_reveals));
    line();
    line("[handover]");
    comment(tr_noop("Whether a handover needs a witness (an admin or auditor) after the receiver accepts."));
    line("witness_required = " + toml_bool(p.handover_witness_required));
    comment(tr_noop("Whether every account handed over must have a new password before the receiver may accept;\n"
                    "otherwise the accounts are flagged \"rotation due\" when the handover completes."));
    line("rotate_before_accept = " + toml_bool(p.handover_rotate_before_accept));
    comment(tr_noop("Whether a handover completes only once its outgoing custodians released it (`handover release`);\n"
                    "false lets an admin complete it without them, and the minutes say so."));
    line("release_required = " + toml_bool(p.handover_release_required));
    line();
    line("[enrollment]");
    comment(tr_noop("How long a one-time enrollment code stays valid (at most 30d)."));
    line("code_lifetime = " + toml_duration(p.enrollment_code_lifetime_us));
    line();
    line("[web]");
    comment(tr_noop("A browser session (brankas serve) ends, and the keys it unlocked are wiped, after this long\n"
                    "without a request, and this long after sign-in however busy it is (each at most 1d)."));
    line("idle_timeout = " + toml_duration(p.web_idle_timeout_us));
    line("session_lifetime = " + toml_duration(p.web_session_lifetime_us));
    line();
    line("[dual_control]");
    comment(tr_noop("Actions that run only once another person approved a request describing them exactly\n"
                    "(\"break_glass\", \"policy_set\", \"rekey\", \"recovery_split\"), which roles may approve, how long a request\n"
                    "stays usable (at most 7d),\n"
                    "and how many people besides the requester must approve (1 to 5)."));
    std::string dual, approvers;
    for (DualAction a : p.dual_control.actions) dual += (dual.empty() ? "" : ", ") + toml_string(dual_action_name(a));
    for (Role r : p.dual_control.approvers) approvers += (approvers.empty() ? "" : ", ") + toml_string(role_name(r));
    line("actions = [" + dual + "]");
    line("approvers = [" + approvers + "]");
    line("window = " + toml_duration(p.dual_control.window_us));
    line("count = " + std::to_string(p.dual_control.count));
    line();
    line("[deactivation]");
    comment(tr_noop("The platform's waiting period: the step that waits can be ticked only once this much time\n"
                    "has passed since the step before it."));
    line("waiting_period = " + toml_duration(p.platform_waiting_period_us));
    line();
    comment(tr_noop("The checklist every deactivated account gets, in order: 1 to 20 steps, ids of a-z, 0-9 and\n"
                    "'-'; at most one step waits, and not the first. Steps written here replace the built-in list."));
    for (const ChecklistStep& s : p.checklist) {
        line("[[deactivation.step]]");
        line("id = " + toml_string(s.id));
        line("text = " + toml_string(s.text));
        line("waits = " + toml_bool(s.waits));
        line();
    }
    comment(tr_noop("Rules that take an action away, whatever else permits it, from a role, from people by name,\n"
                    "or from both; a rule naming units speaks only to those sub-districts. For example:"));
    line("#   [[forbid]]");
    line("#   role = \"custodian\"");
    line("#   action = \"checkout\"");
    line("#   units = [\"35.02.05\"]");
    auto names = [](const std::vector<std::string>& list) {
        std::string out;
        for (const std::string& x : list) out += (out.empty() ? "" : ", ") + toml_string(x);
        return "[" + out + "]";
    };
    for (const ForbidRule& f : p.forbid) {
        line();
        line("[[forbid]]");
        if (f.role) line("role = " + toml_string(role_name(*f.role)));
        line("action = " + toml_string(action_name(f.action)));
        if (!f.units.empty()) line("units = " + names(f.units));
        if (!f.people.empty()) line("people = " + names(f.people));
    }
    return d;
}

} // namespace brankas::policy
