#include "vault/secrets/password_generator.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace brankas {

namespace {

constexpr std::array<CharClass, 4> every_class{CharClass::lower, CharClass::upper, CharClass::digits,
                                               CharClass::symbols};

constexpr std::uint8_t bit_of(CharClass c) { return static_cast<std::uint8_t>(c); }

// Whole passwords are drawn again until every chosen class appears. Even the worst case
// (8 characters, all four classes) succeeds about half the time, so this cap is only reached
// if the random source is broken; it keeps a broken source from hanging the program.
constexpr int max_draws = 1000;

// The union of the chosen classes, in a fixed order, with the end of each class's run so a
// drawn index tells which class it came from. Public data: no secret lives here.
struct Alphabet {
    std::string chars;
    std::array<std::size_t, every_class.size()> class_end{};
};

Alphabet alphabet_for(std::uint8_t classes) {
    Alphabet a;
    for (std::size_t i = 0; i < every_class.size(); ++i) {
        if ((classes & bit_of(every_class[i])) != 0) a.chars += char_class_alphabet(every_class[i]);
        a.class_end[i] = a.chars.size();
    }
    return a;
}

// The class bit of alphabet index `index`.
std::uint8_t class_of(const Alphabet& a, std::size_t index) {
    for (std::size_t i = 0; i < every_class.size(); ++i)
        if (index < a.class_end[i]) return bit_of(every_class[i]);
    return 0; // unreachable: every index lies below the last class_end
}

// Uniform draws below a bound, from random words fetched in bulk: one call to the system's
// random source (a getrandom(2) system call) per password instead of one per character, which
// the end of a term generating 30,000 passwords paid about half a second for. The words are as
// secret as the password they pick, so they live in secure memory and are wiped with it.
class UniformDraws {
public:
    explicit UniformDraws(std::size_t words) : bytes_(words * sizeof(std::uint32_t)) { refill(); }

    // As libsodium's randombytes_uniform: a word below 2^32 mod `bound` is drawn again, so each
    // of the `bound` residues comes from the same number of words.
    std::uint32_t below(std::uint32_t bound) {
        const std::uint32_t too_low = (1U + ~bound) % bound;
        std::uint32_t word = 0;
        do word = next(); while (word < too_low);
        return word % bound;
    }

private:
    std::uint32_t next() {
        if (used_ == bytes_.size()) refill();
        std::uint32_t word = 0;
        std::memcpy(&word, bytes_.data() + used_, sizeof word);
        used_ += sizeof word;
        return word;
    }
    void refill() {
        randombytes_buf(bytes_.data(), bytes_.size());
        used_ = 0;
    }

    SecretBytes bytes_;
    std::size_t used_ = 0;
};

} // namespace

std::string_view char_class_alphabet(CharClass c) noexcept {
    switch (c) {
    case CharClass::lower: return "abcdefghijklmnopqrstuvwxyz";
    case CharClass::upper: return "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    case CharClass::digits: return "0123456789";
    // No quotes, backslash, backtick or space: they need escaping in shells, JSON, CSV and
    // many login forms, and a generated password should paste anywhere unchanged.
    case CharClass::symbols: return "!#$%&()*+,-./:;<=>?@[]^_{|}~";
    }
    return {};
}

Result<SecretBytes> generate_password(const PasswordRules& rules) {
    // Of exactly rules.length bytes whenever that length is allowed (generate_password_into refuses the others).
    SecretBytes password(std::clamp(rules.length, min_generated_length, max_generated_length));
    BRANKAS_TRY(generate_password_into(rules, password));
    return password;
}

Result<std::size_t> generate_password_into(const PasswordRules& rules, SecretBytes& out) {
    if (rules.length < min_generated_length || rules.length > max_generated_length)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a generated password must have %1$s to %2$s characters, not %3$s"),
                            {std::to_string(min_generated_length), std::to_string(max_generated_length), std::to_string(rules.length)});
    if ((rules.classes & ~all_char_classes) != 0)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("unknown character class in the password rules"), {});
    if (rules.classes == 0)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a generated password needs at least one character class"), {},
                            i18n::tr_noop("choose from lower, upper, digits and symbols"));
    std::size_t class_count = 0;
    for (CharClass c : every_class)
        if ((rules.classes & bit_of(c)) != 0) ++class_count;
    if (rules.length < class_count)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a generated password must be at least as long as the number of classes"), {});

    const Alphabet alphabet = alphabet_for(rules.classes);
    const auto size = static_cast<std::uint32_t>(alphabet.chars.size());
    if (out.size() < rules.length) return fail_phrased(ErrorCode::internal, i18n::tr_noop("no room for the generated password"), {});
    // Two words a character: a password drawn again for a missing class, or a rejected word,
    // takes more only rarely.
    UniformDraws draws(2 * rules.length);
    for (int draw = 0; draw < max_draws; ++draw) {
        std::uint8_t seen = 0;
        for (std::uint8_t& c : out.span().first(rules.length)) {
            // Out-of-range words are rejected instead of reduced modulo `size`, so every
            // character of the alphabet is exactly as likely.
            const std::size_t index = draws.below(size);
            c = static_cast<std::uint8_t>(alphabet.chars[index]);
            seen = static_cast<std::uint8_t>(seen | class_of(alphabet, index));
        }
        // Rejecting whole passwords (rather than forcing one character of each class into a
        // chosen position) keeps every position identically distributed.
        if (seen == rules.classes) return rules.length;
    }
    return fail_phrased(ErrorCode::internal, i18n::tr_noop("the random source did not produce a password with every chosen class"), {});
}

} // namespace brankas
