#include "vault/secrets/totp.hpp"

#include <doctest/doctest.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

using namespace brankas;

namespace {

// 2027-01-15 08:00:00 UTC, the fixed time every oathtool comparison uses.
constexpr std::int64_t fixed_time = 1'800'000'000;
constexpr const char* fixed_time_text = "2027-01-15 08:00:00 UTC";
constexpr const char* oathtool = "/usr/bin/oathtool";

// Runs oathtool with `args` (no shell, so seeds with spaces need no quoting) and returns its
// first output line; fails the test if it cannot run or exits non-zero.
std::string run_oathtool(const std::vector<std::string>& args) {
    REQUIRE_MESSAGE(access(oathtool, X_OK) == 0, "the TOTP tests compare with oathtool: apt-get install oathtool");
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::vector<std::string> argv_strings{oathtool};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, oathtool, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    std::string out;
    char buf[256];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    REQUIRE(spawned == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return out.substr(0, out.find('\n'));
}

std::string oathtool_code(const std::string& base32_seed, const std::string& mode, int digits, int period = 30) {
    return run_oathtool({"--totp=" + mode, "--base32", "--digits=" + std::to_string(digits),
                         "--time-step-size=" + std::to_string(period) + "s", "--now=" + std::string(fixed_time_text),
                         base32_seed});
}

TotpSeed parsed_seed(std::string_view text) {
    auto seed = parse_totp_seed(as_bytes(text));
    REQUIRE_MESSAGE(seed, (seed ? std::string() : seed.error().message));
    return std::move(*seed);
}

std::string code_at(const TotpSeed& seed, std::int64_t t) {
    auto code = totp_code(seed, t);
    REQUIRE_MESSAGE(code, (code ? std::string() : code.error().message));
    return std::string(code->text());
}

TotpSeed seed_of(std::string_view raw_key, TotpAlgorithm algorithm, std::uint8_t digits, std::uint32_t period = 30) {
    TotpSeed seed;
    seed.key = SecretBytes::copy_of(as_bytes(raw_key));
    seed.algorithm = algorithm;
    seed.digits = digits;
    seed.period = period;
    return seed;
}

// Unpadded upper-case RFC 4648 base32, written independently of the code under test.
std::string base32(const Bytes& bytes) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        for (; bits >= 5; bits -= 5) out += alphabet[(buffer >> (bits - 5)) & 31];
    }
    if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::string padded(std::string s) {
    while (s.size() % 8 != 0) s += '=';
    return s;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Groups of four separated by spaces, as services print seeds for typing.
std::string spaced(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += s[i];
    }
    return out;
}

// True if any 5 consecutive characters of `seed` appear, in any case, in the error's text.
bool error_mentions(const Error& error, std::string_view seed) {
    const std::string text = upper(error.message + " " + error.hint);
    const std::string s = upper(std::string(seed));
    if (s.size() < 5) return text.find(s) != std::string::npos;
    for (std::size_t i = 0; i + 5 <= s.size(); ++i)
        if (text.find(s.substr(i, 5)) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("TOTP codes match oathtool for SHA1 with 6 and 8 digits, SHA256, SHA512 and a 60-second period") {
    const std::string b32 = "JBSWY3DPEHPK3PXP";
    SUBCASE("SHA1, 6 digits, from a bare seed") {
        CHECK(code_at(parsed_seed(b32), fixed_time) == oathtool_code(b32, "SHA1", 6));
    }
    SUBCASE("SHA1, 8 digits") {
        CHECK(code_at(parsed_seed("otpauth://totp/x?secret=" + b32 + "&digits=8"), fixed_time) ==
              oathtool_code(b32, "SHA1", 8));
    }
    SUBCASE("SHA256, 6 digits") {
        CHECK(code_at(parsed_seed("otpauth://totp/x?secret=" + b32 + "&algorithm=SHA256"), fixed_time) ==
              oathtool_code(b32, "SHA256", 6));
    }
    SUBCASE("SHA512, 7 digits") {
        CHECK(code_at(parsed_seed("otpauth://totp/x?secret=" + b32 + "&algorithm=SHA512&digits=7"), fixed_time) ==
              oathtool_code(b32, "SHA512", 7));
    }
    SUBCASE("SHA1, 6 digits, 60-second period") {
        CHECK(code_at(parsed_seed("otpauth://totp/x?period=60&secret=" + b32), fixed_time) ==
              oathtool_code(b32, "SHA1", 6, 60));
    }
    SUBCASE("the values oathtool 2.6.7 printed when these tests were written") {
        // Pinned too, so that oathtool and liboath changing together would still be noticed.
        CHECK(code_at(parsed_seed(b32), fixed_time) == "309848");
        CHECK(code_at(parsed_seed("otpauth://totp/x?secret=" + b32 + "&digits=8"), fixed_time) == "07309848");
        CHECK(code_at(parsed_seed("otpauth://totp/x?secret=" + b32 + "&algorithm=SHA256"), fixed_time) == "861541");
    }
}

TEST_CASE("random TOTP keys of 10 to 128 bytes, written lower-case, spaced and padded, give oathtool's codes") {
    // oathtool gets the canonical form; the parser gets the messy one. Equal codes mean the
    // base32 decoder recovered exactly the key liboath's own decoder does.
    std::mt19937 rng(20270115);
    std::vector<std::size_t> lengths;
    for (std::size_t n = min_totp_key; n <= 40; ++n) lengths.push_back(n);
    lengths.insert(lengths.end(), {63, 64, 65, 100, 127, max_totp_key});
    for (std::size_t n : lengths) {
        Bytes key(n);
        for (auto& b : key) b = static_cast<std::uint8_t>(rng());
        const std::string canonical = base32(key);
        const std::string messy = spaced(lower(padded(canonical)));
        INFO("key of ", n, " bytes");
        TotpSeed seed = parsed_seed(messy);
        CHECK(seed.key.equals(key));
        CHECK(code_at(seed, fixed_time) == oathtool_code(canonical, "SHA1", 6));
    }
}

TEST_CASE("TOTP codes match the RFC 6238 Appendix B test vectors, zero-padded to 8 digits") {
    const std::string_view sha1_key = "12345678901234567890";
    const std::string_view sha256_key = "12345678901234567890123456789012";
    const std::string_view sha512_key = "1234567890123456789012345678901234567890123456789012345678901234";
    struct Vector {
        std::int64_t time;
        const char* sha1;
        const char* sha256;
        const char* sha512;
    };
    for (const Vector& v : {Vector{59, "94287082", "46119246", "90693936"},
                            Vector{1111111109, "07081804", "68084774", "25091201"},
                            Vector{1111111111, "14050471", "67062674", "99943326"},
                            Vector{1234567890, "89005924", "91819424", "93441116"},
                            Vector{2000000000, "69279037", "90698825", "38618901"},
                            Vector{20000000000, "65353130", "77737706", "47863826"}}) {
        INFO("T = ", v.time);
        CHECK(code_at(seed_of(sha1_key, TotpAlgorithm::sha1, 8), v.time) == v.sha1);
        CHECK(code_at(seed_of(sha256_key, TotpAlgorithm::sha256, 8), v.time) == v.sha256);
        CHECK(code_at(seed_of(sha512_key, TotpAlgorithm::sha512, 8), v.time) == v.sha512);
    }
}

TEST_CASE("otpauth URIs and bare TOTP seeds are parsed with percent-escapes, any case, spaces, padding and a byte order mark before them") {
    const std::string hello = "Hello!\xde\xad\xbe\xef"; // JBSWY3DPEHPK3PXP
    struct Case {
        std::string text;
        std::string key;
        TotpAlgorithm algorithm = TotpAlgorithm::sha1;
        std::uint8_t digits = 6;
        std::uint32_t period = 30;
    };
    const std::vector<Case> cases{
        {"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example", hello},
        {"otpauth://totp/ACME%20Co:john?secret=jbswy3dpehpk3pxp&algorithm=sha256&digits=8&period=60\n", hello,
         TotpAlgorithm::sha256, 8, 60},
        {"OTPAUTH://TOTP/x?algorithm=SHA512&secret=JBSWY3DPEHPK3PXP&digits=7", hello, TotpAlgorithm::sha512, 7},
        {"otpauth://totp/x?secret=JBSW%593DP%45HPK3PXP", hello},      // %59 'Y', %45 'E'
        {"otpauth://totp/x?secret=jbsw%20y3dp%20ehpk%203pxp", hello},  // escaped spaces
        {"otpauth://totp/x?secret=JBSW+Y3DP+EHPK+3PXP", hello},        // form-encoded spaces
        {"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGE%3D%3D%3D%3D%3D%3D", "12345678901"}, // escaped padding
        {"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGE======", "12345678901"},             // raw padding
        {"otpauth://totp/what%3Fnow?secret=MFRGGZDFMZTWQ2LKNNWA&digits=%38", "abcdefghijkl", TotpAlgorithm::sha1, 8},
        {"otpauth://totp/x?issuer=A&secret=MFRGGZDFMZTWQ2LKNNWA====&image=https%3A%2F%2Fexample.com%2Fa.png", "abcdefghijkl"},
        {"JBSWY3DPEHPK3PXP", hello},
        {"  jbsw y3dp ehpk 3pxp \r\n", hello},
        {"MFRGGZDFMZTWQ2LKNNWA====", "abcdefghijkl"},
        {"mfrggzdfmztwq2lknnwa", "abcdefghijkl"},
        {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n", "12345678901234567890"},
        {"\xef\xbb\xbfJBSWY3DPEHPK3PXP\r\n", hello},                                  // saved by Notepad
        {"\xef\xbb\xbfotpauth://totp/x?secret=JBSWY3DPEHPK3PXP\r\n", hello},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        TotpSeed seed = parsed_seed(c.text);
        CHECK(seed.key.equals(as_bytes(c.key)));
        CHECK(seed.algorithm == c.algorithm);
        CHECK(seed.digits == c.digits);
        CHECK(seed.period == c.period);
    }
}

TEST_CASE("malformed TOTP seeds and URIs are refused as usage errors that never quote the seed") {
    const std::string seed = "JBSWY3DPEHPK3PXP";
    const std::string uri = "otpauth://totp/Example:alice?secret=" + seed;
    struct Case {
        std::string text;
        std::string expected; // part of the message
    };
    const std::string too_long = base32(Bytes(max_totp_key + 1, 0x5a));
    const std::vector<Case> cases{
        {"otpauth://hotp/Example:alice?secret=" + seed + "&counter=1", "HOTP"},
        {"otpauth://foo/x?secret=" + seed, "otpauth://totp/"},
        {"otpauth:" + seed, "does not start with otpauth://"},
        {uri + "&algorithm=MD5", "unknown algorithm"},
        {uri + "&algorithm=SHA-256", "unknown algorithm"},
        {uri + "&algorithm=", "unknown algorithm"},
        {uri + "&digits=5", "digits outside 6 to 8"},
        {uri + "&digits=9", "digits outside 6 to 8"},
        {uri + "&digits=256", "digits outside 6 to 8"},
        {uri + "&digits=6x", "digits outside 6 to 8"},
        {uri + "&digits=-6", "digits outside 6 to 8"},
        {uri + "&digits=", "digits outside 6 to 8"},
        {uri + "&digits=%3", "digits outside 6 to 8"},
        {uri + "&period=0", "period outside 1 to 300"},
        {uri + "&period=301", "period outside 1 to 300"},
        {uri + "&period=-30", "period outside 1 to 300"},
        {uri + "&period=thirty", "period outside 1 to 300"},
        {uri + "&period=99999999999999999999", "period outside 1 to 300"},
        {"otpauth://totp/Example:alice?issuer=Example", "no secret"},
        {"otpauth://totp/Example:alice", "no secret"},
        {"otpauth://totp/Example:alice?secret=", "empty"},
        {"otpauth://totp/Example:alice?secret=%20%20", "empty"},
        {"otpauth://totp/Example:alice?secret", "empty"},
        {uri + "&secret=" + seed, "secret twice"},
        {uri + "&digits=6&digits=8", "digits twice"},
        {"otpauth://totp/x?secret=JBSWY3DP%4", "broken %-escape"},
        {"otpauth://totp/x?secret=JBSWY3DP%ZZEHPK3PXP", "broken %-escape"},
        {"otpauth://totp/x?secret=JBSWY3DPEHPK3PX1", "not valid base32"},
        {"JBSWY3DPEHPK3PX8", "not valid base32"},
        {"JBSWY3DP-EHPK3PXP", "not valid base32"},
        {"JBSWY3DP\tEHPK3PXP", "not valid base32"},
        {"JBSW=Y3DPEHPK3PXP", "not valid base32"},     // '=' only at the end
        {"JBSWY3DPEHPK3PXP====", "padding is wrong"},  // padding past a full group
        {"GE=====", "padding is wrong"},               // padding short of a full group
        {"JBSWY3DPE", "length"},                       // 9 symbols cannot end on a byte
        {"https://example.com/?secret=" + seed, "not valid base32"},
        {"", "empty"},
        {" \n", "empty"},
        {too_long, "longer than 128 bytes"},
        {"GE======", "too short: a seed has at least 10 bytes (80 bits)"},     // a seed cut short, or a toy
        {"JBSWY3DPEHPK3PX=", "too short: a seed has at least 10 bytes (80 bits)"},
        {"otpauth://totp/x?secret=MFRGG", "too short: a seed has at least 10 bytes (80 bits)"},
        {"otpauth://totp/x?secret=" + too_long, "longer than 128 bytes"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        auto r = parse_totp_seed(as_bytes(c.text));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
        CHECK(r.error().message.find(c.expected) != std::string::npos);
        INFO(r.error().message, " / ", r.error().hint);
        CHECK_FALSE(error_mentions(r.error(), seed));
        CHECK_FALSE(error_mentions(r.error(), too_long));
    }
    // The longest allowed key still parses.
    auto longest = parse_totp_seed(as_bytes(base32(Bytes(max_totp_key, 0x5a))));
    REQUIRE(longest);
    CHECK(longest->key.size() == max_totp_key);
}

TEST_CASE("a hand-built TOTP seed outside the limits, or a time before 1970, gives no code") {
    SUBCASE("empty key") { CHECK_FALSE(totp_code(seed_of("", TotpAlgorithm::sha1, 6), fixed_time)); }
    SUBCASE("too many or too few digits") {
        CHECK_FALSE(totp_code(seed_of("12345678901234567890", TotpAlgorithm::sha1, 5), fixed_time));
        CHECK_FALSE(totp_code(seed_of("12345678901234567890", TotpAlgorithm::sha1, 9), fixed_time));
    }
    SUBCASE("period of zero or over five minutes") {
        CHECK_FALSE(totp_code(seed_of("12345678901234567890", TotpAlgorithm::sha1, 6, 0), fixed_time));
        CHECK_FALSE(totp_code(seed_of("12345678901234567890", TotpAlgorithm::sha1, 6, 301), fixed_time));
    }
    SUBCASE("unknown algorithm") {
        CHECK_FALSE(totp_code(seed_of("12345678901234567890", static_cast<TotpAlgorithm>(9), 6), fixed_time));
    }
    SUBCASE("negative time") {
        auto r = totp_code(seed_of("12345678901234567890", TotpAlgorithm::sha1, 6), -1);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
    }
}

TEST_CASE("totp_seconds_left counts down from the period to 1 within each time step") {
    const TotpSeed thirty = seed_of("12345678901234567890", TotpAlgorithm::sha1, 6, 30);
    const TotpSeed sixty = seed_of("12345678901234567890", TotpAlgorithm::sha1, 6, 60);
    CHECK(totp_seconds_left(thirty, 0) == 30);
    CHECK(totp_seconds_left(thirty, 1) == 29);
    CHECK(totp_seconds_left(thirty, 29) == 1);
    CHECK(totp_seconds_left(thirty, 30) == 30);
    CHECK(totp_seconds_left(thirty, 59) == 1);
    CHECK(totp_seconds_left(thirty, fixed_time) == 30);
    CHECK(totp_seconds_left(thirty, fixed_time + 17) == 13);
    CHECK(totp_seconds_left(sixty, fixed_time + 17) == 43);
    CHECK(totp_seconds_left(thirty, -1) == 1); // floor division before 1970
    // The code changes exactly when the count would reach zero.
    CHECK(code_at(thirty, 59) != code_at(thirty, 60));
    CHECK(code_at(thirty, 30) == code_at(thirty, 59));
}
