#include "vault/secrets/password_generator.hpp"

#include <doctest/doctest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>

using namespace brankas;

namespace {

constexpr std::array<CharClass, 4> every_class{CharClass::lower, CharClass::upper, CharClass::digits,
                                               CharClass::symbols};

std::uint8_t bit_of(CharClass c) { return static_cast<std::uint8_t>(c); }

// Which classes `password` has a character of; 0xff if it has a character of no chosen class.
std::uint8_t classes_in(std::string_view password, std::uint8_t chosen) {
    std::uint8_t seen = 0;
    for (char ch : password) {
        bool known = false;
        for (CharClass c : every_class) {
            if ((chosen & bit_of(c)) != 0 && char_class_alphabet(c).find(ch) != std::string_view::npos) {
                seen = static_cast<std::uint8_t>(seen | bit_of(c));
                known = true;
            }
        }
        if (!known) return 0xff;
    }
    return seen;
}

// Pearson's chi-squared statistic of `counts` against equal probabilities.
double chi_squared(const std::map<char, long>& counts, std::size_t symbols) {
    long total = 0;
    for (const auto& [ch, n] : counts) total += n;
    const double expected = static_cast<double>(total) / static_cast<double>(symbols);
    double chi2 = 0;
    for (const auto& [ch, n] : counts) {
        const double d = static_cast<double>(n) - expected;
        chi2 += d * d / expected;
    }
    // A symbol never drawn is missing from the map and contributes `expected`.
    chi2 += static_cast<double>(symbols - counts.size()) * expected;
    return chi2;
}

} // namespace

TEST_CASE("generated passwords draw from four disjoint alphabets whose symbols avoid quotes, backslash, backtick and space") {
    CHECK(char_class_alphabet(CharClass::lower) == "abcdefghijklmnopqrstuvwxyz");
    CHECK(char_class_alphabet(CharClass::upper) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    CHECK(char_class_alphabet(CharClass::digits) == "0123456789");
    const std::string_view symbols = char_class_alphabet(CharClass::symbols);
    CHECK(symbols.size() == 28);
    for (char bad : std::string_view("\"'`\\ ")) CHECK(symbols.find(bad) == std::string_view::npos);
    std::string all;
    for (CharClass c : every_class) all += char_class_alphabet(c);
    std::map<char, int> seen;
    for (char ch : all) ++seen[ch];
    CHECK(seen.size() == all.size());
}

TEST_CASE("a generated password has the requested length, only chosen characters and every chosen class") {
    // Every non-empty combination of classes, at the shortest, the default and the longest length.
    for (std::uint8_t classes = 1; classes <= all_char_classes; ++classes) {
        for (std::size_t length : {min_generated_length, std::size_t{20}, max_generated_length}) {
            for (int round = 0; round < 20; ++round) {
                INFO("classes ", int{classes}, ", length ", length);
                auto password = generate_password(PasswordRules{length, classes});
                REQUIRE(password);
                CHECK(password->size() == length);
                CHECK(classes_in(password->text(), classes) == classes);
            }
        }
    }
}

TEST_CASE("every chosen class appears in a generated password even when a short one would often miss it") {
    // At 8 characters from all 90, a password lacks a digit about 39% of the time; 2000 draws
    // without the whole-password retry would miss a class hundreds of times.
    for (int round = 0; round < 2000; ++round) {
        auto password = generate_password(PasswordRules{min_generated_length, all_char_classes});
        REQUIRE(password);
        REQUIRE(classes_in(password->text(), all_char_classes) == all_char_classes);
    }
}

TEST_CASE("generated password lengths outside 8 to 128, no class or an unknown class bit are usage errors") {
    for (std::size_t length : {std::size_t{0}, std::size_t{7}, std::size_t{129}, std::size_t{100000}}) {
        INFO("length ", length);
        auto r = generate_password(PasswordRules{length, all_char_classes});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
        CHECK(r.error().message.find("8 to 128") != std::string::npos);
    }
    auto none = generate_password(PasswordRules{20, 0});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == ErrorCode::usage);
    CHECK_FALSE(none.error().hint.empty());
    auto unknown = generate_password(PasswordRules{20, static_cast<std::uint8_t>(0x10 | bit_of(CharClass::lower))});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::usage);
}

TEST_CASE("no two of 20,000 short generated passwords are the same, and every one has each chosen class") {
    // The characters come from random words fetched in bulk and fetched again when used up (a
    // password without every class is drawn again from the words that follow). A source
    // that handed out the same words twice would repeat passwords; 20,000 draws among 90^8
    // collide by chance with probability under 1e-7.
    std::set<std::string> seen;
    for (int i = 0; i < 20'000; ++i) {
        auto password = generate_password(PasswordRules{min_generated_length, all_char_classes});
        REQUIRE(password);
        const std::string text(password->text());
        for (CharClass c : every_class)
            CHECK(text.find_first_of(char_class_alphabet(c)) != std::string::npos);
        CHECK(seen.insert(text).second);
    }
}

TEST_CASE("generated digits are uniform: a million draws show no modulo bias") {
    // Reducing a random byte modulo 10 would make 0-5 about 1.6% likelier and 6-9 about 2.3%
    // rarer: at a million draws that is a chi-squared near 375. Uniform draws give about 9
    // (9 degrees of freedom); 60 is exceeded by chance with probability 1.3e-9, so the test
    // neither flakes nor misses the bias.
    std::map<char, long> counts;
    long drawn = 0;
    while (drawn < 1'000'000) {
        auto password = generate_password(PasswordRules{max_generated_length, bit_of(CharClass::digits)});
        REQUIRE(password);
        for (char ch : password->text()) ++counts[ch];
        drawn += static_cast<long>(max_generated_length);
    }
    CHECK(counts.size() == 10);
    const double chi2 = chi_squared(counts, 10);
    INFO("chi-squared ", chi2);
    CHECK(chi2 < 60);
    // And in plain terms: every digit within 5% of a tenth.
    for (const auto& [digit, n] : counts) {
        INFO("digit ", digit, " drawn ", n, " times");
        CHECK(static_cast<double>(n) > 0.95 * static_cast<double>(drawn) / 10);
        CHECK(static_cast<double>(n) < 1.05 * static_cast<double>(drawn) / 10);
    }
}

TEST_CASE("within each class of a generated full-alphabet password every character is equally likely") {
    // The retry for missing classes depends only on which class each position fell in, so
    // within a class the draw stays uniform. A byte reduced modulo 90 would make half the
    // symbols 1.5 times as likely as the other half (chi-squared near 300 over ~200,000
    // symbol draws); uniform draws stay below 120 except with probability under 1e-13.
    std::map<CharClass, std::map<char, long>> counts;
    for (int round = 0; round < 5000; ++round) {
        auto password = generate_password(PasswordRules{max_generated_length, all_char_classes});
        REQUIRE(password);
        for (char ch : password->text())
            for (CharClass c : every_class)
                if (char_class_alphabet(c).find(ch) != std::string_view::npos) ++counts[c][ch];
    }
    for (CharClass c : every_class) {
        const double chi2 = chi_squared(counts[c], char_class_alphabet(c).size());
        INFO("class ", char_class_alphabet(c), ": chi-squared ", chi2);
        CHECK(chi2 < 120);
    }
}
