// Rules for names and fields a person types: principals, sub-district codes, accounts.
// Everything here ends up in the signed log, so it is kept plain and unambiguous.
#pragma once

#include "vault/error.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

inline constexpr std::size_t max_principal_name = 32;
inline constexpr std::size_t max_institution_name = 200;
inline constexpr std::size_t max_unit_name = 100;
inline constexpr std::size_t max_handle = 100;
inline constexpr std::size_t max_email = 254;
inline constexpr std::size_t max_phone = 20;
inline constexpr std::size_t max_url = 500;
inline constexpr std::size_t max_reason = 500;
// A reason past max_reason is told so and by how much ("a reason is at most 500 bytes long: this
// one has 574"), wherever a reason is checked.
[[nodiscard]] Status check_reason_length(std::string_view reason);

// Text of nothing but spaces, tabs and line ends of any script (Unicode's White_Space: the
// no-break space U+00A0 and the ideographic space U+3000 among them) and characters that print
// as nothing (hidden_mark_in's), or of nothing: what a person typed to fill a field without
// saying anything. The live commands refuse it where they ask for words (a reason,
// a note, a name); the rules a replay applies stay as the log was written under.
[[nodiscard]] bool is_blank(std::string_view text);

// Characters that print as nothing yet change how the text around them reads, or hide within it:
// Unicode's Default_Ignorable_Code_Point and Bidi_Control (the bidirectional controls, the
// zero-width ones, the soft hyphen, the variation selectors, the Hangul fillers, the tags; the
// table and its Unicode version are in field_rules.cpp). A name holding one can print as another
// name: after U+202E "J<U+202E>tise" reads "Jesit". The first one in `text`, as "U+202E"; nullopt
// if it holds none.
[[nodiscard]] std::optional<std::string> hidden_mark_in(std::string_view text);
// The code point that starts `text` when it is one of those characters, else nullopt: the one set
// that the rules for typed text refuse and that is written escaped where stored text is shown
// (cli/output.hpp, for_terminal) or quoted for a shell (encoding.hpp, shell_word).
[[nodiscard]] std::optional<char32_t> hidden_mark_at(std::string_view text);
// Refuses `text` holding such a character (usage), naming the field (`what`, a literal marked with
// tr_noop: "the sub-district name") and the character. The live commands ask it of every name a
// page or the minutes print and of a handover's note; the rules a replay applies stay as the log
// was written under, as with is_blank.
[[nodiscard]] Status check_no_hidden_mark(std::string_view text, const char* what);

// A reason or a note a person types now, before it is signed into the log: one line of visible
// text. Refuses (usage) text that is not UTF-8 or that holds a tab, a line break, another control
// character (C0, DEL, C1) or a character hidden_mark_in finds (U+202E "\u202erapat" reads
// "tapar"), saying which; `what` is a literal marked with tr_noop ("a reason", "a note"). Its
// length and whether it may be blank are the field's own rule. The live commands of every face
// ask it where a person's words enter; the rules a replay applies stay as the log was written
// under (as with is_blank), so an older log holding such a reason still verifies.
[[nodiscard]] Status check_typed_line(std::string_view text, const char* what);

// Lower-case letter first, then lower-case letters, digits, '.', '_' or '-'; at most 32 bytes.
[[nodiscard]] bool is_valid_principal_name(std::string_view name);

// A kecamatan's official region code, NN.NN.NN (province, regency, district), e.g. 35.02.01;
// each part is numbered from 01, so no part is 00.
[[nodiscard]] bool is_valid_unit_code(std::string_view code);
// 1..100 bytes of printable UTF-8 (no control characters).
[[nodiscard]] bool is_valid_unit_name(std::string_view name);
// A term's name ("Pilkada 2029"): 1..64 bytes of printable UTF-8, no ',' and no leading or
// trailing space.
inline constexpr std::size_t max_term_name = 64;
[[nodiscard]] bool is_valid_term_name(std::string_view name);

inline constexpr std::array<std::string_view, 8> platforms{"instagram", "facebook", "x",     "tiktok",
                                                           "youtube",   "threads",  "email", "other"};
[[nodiscard]] bool is_valid_platform(std::string_view platform);
// The platform a person names, in any case and spelling the offices use ("Instagram", "IG",
// "insta", "Twitter", "YT", "surel"): one of `platforms`, or nullopt. Every command and the
// import read platforms through this.
[[nodiscard]] std::optional<std::string> platform_named(std::string_view name);
// Whether the platform's names may have spaces: YouTube channels, Facebook pages, "other".
[[nodiscard]] bool platform_allows_spaces(std::string_view platform);
// Handles are compared without case (platforms treat them so): stored in lower case. One
// leading '@' is dropped. 1..100 bytes of visible ASCII without '/'; on a platform that allows
// spaces, single spaces between words too ("Panwascam Rappocini").
[[nodiscard]] std::optional<std::string> normalize_handle(std::string_view platform, std::string_view handle);
// The first character of `handle`, as typed, that no handle on `platform` may hold (one that is
// not visible ASCII, '/', or a space where the platform allows none): its position, counted in
// characters from 1, and "U+00E9" (or "0xC3" for a byte that begins no character); nullopt
// when every character may be in a handle.
struct RefusedCharacter {
    std::size_t position = 0;
    std::string code_point;
};
[[nodiscard]] std::optional<RefusedCharacter> refused_handle_character(std::string_view platform, std::string_view handle);
// Why `handle` is refused for its length or its spacing, whatever its characters: it is empty
// but for a leading '@'; it is longer than max_handle (`length`: its bytes after any leading '@',
// which are its characters once refused_handle_character finds none to refuse, as callers check
// first); on a platform that allows spaces, it begins or ends with one, or two follow one
// another (`position`: that space, the first of the two, counted in characters from 1 as typed).
// nullopt when its length and spacing are a handle's. normalize_handle refuses exactly the
// handles that this or refused_handle_character names a fault in.
enum class HandleShapeFault { empty, too_long, space_at_start, space_at_end, double_space };
struct RefusedShape {
    HandleShapeFault fault = HandleShapeFault::empty;
    std::size_t length = 0;
    std::size_t position = 0;
};
[[nodiscard]] std::optional<RefusedShape> refused_handle_shape(std::string_view platform, std::string_view handle);
// Empty means "none" for the optional contact fields.
[[nodiscard]] bool is_valid_email(std::string_view email);
// '+' then digits, or digits; spaces and '-' allowed between digits; 20 bytes at most.
[[nodiscard]] bool is_valid_phone(std::string_view phone);
[[nodiscard]] bool is_valid_url(std::string_view url);

} // namespace brankas
