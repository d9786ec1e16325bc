#include "vault/log/checkpoint.hpp"
#include "vault/log/event.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

using namespace brankas;

namespace {
Event sample_event() {
    Event e;
    e.seq = 7;
    e.time_us = 1'800'000'000'000'000;
    e.actor = "admin";
    e.action = "account.add";
    e.target = "instagram/panwascam.ponorogo";
    e.details.text("platform", "instagram").integer("unit", 3).bytes("blob", Bytes{1, 2, 3});
    return e;
}
} // namespace

TEST_CASE("an event encodes canonically and decodes to the same event") {
    Event e = sample_event();
    auto body = encode_event(e);
    REQUIRE(body);
    auto back = decode_event(*body);
    REQUIRE(back);
    CHECK(*back == e);
    // The order fields were added in does not change the bytes.
    Event reordered = e;
    reordered.details = EventDetails().bytes("blob", Bytes{1, 2, 3}).text("platform", "instagram").integer("unit", 3);
    CHECK(encode_event(reordered) == body);
}

TEST_CASE("the decoder refuses every truncation and any trailing byte") {
    auto body = encode_event(sample_event());
    REQUIRE(body);
    for (std::size_t len = 0; len < body->size(); ++len) {
        INFO("length " << len);
        CHECK_FALSE(decode_event(ByteView(body->data(), len)));
    }
    Bytes longer = *body;
    longer.push_back(0);
    auto r = decode_event(longer);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("trailing") != std::string::npos);
}

TEST_CASE("the decoder refuses non-canonical or malformed bodies") {
    Event e;
    e.seq = 1;
    e.actor = "admin";
    e.action = "x";
    e.details.text("a", "1").text("b", "2");
    auto body = encode_event(e);
    REQUIRE(body);
    // Layout: version 1, seq 8, time 8, actor 1+5, action 1+1, target 2, count 2, then fields.
    const std::size_t first_key = 1 + 8 + 8 + 6 + 2 + 2 + 2;
    SUBCASE("keys out of order") {
        (*body)[first_key + 1] = 'c'; // "a" becomes "c", before "b"
        CHECK(decode_event(*body).error().message.find("ascending") != std::string::npos);
    }
    SUBCASE("unknown field type") {
        (*body)[first_key + 2] = 9;
        CHECK(decode_event(*body).error().message.find("unknown type") != std::string::npos);
    }
    SUBCASE("unknown body version") {
        (*body)[0] = 2;
        CHECK(decode_event(*body).error().message.find("unknown version") != std::string::npos);
    }
    SUBCASE("an actor that is not a valid name") {
        (*body)[1 + 8 + 8 + 1] = 'A';
        CHECK(decode_event(*body).error().message.find("actor") != std::string::npos);
    }
}

TEST_CASE("encoding refuses values that could not be decoded") {
    Event e = sample_event();
    SUBCASE("control characters in text") { e.details.text("note", "a\x1b[2Jb"); }
    SUBCASE("an invalid key") { e.details.text("Bad Key", "x"); }
    SUBCASE("an invalid actor") { e.actor = "Admin"; }
    SUBCASE("an overlong target") { e.target = std::string(2000, 'x'); }
    CHECK_FALSE(encode_event(e));
}

TEST_CASE("the chain hash depends on the previous hash and on every body byte") {
    Bytes body{1, 2, 3};
    Hash h = chain_hash(genesis_previous_hash, body);
    Hash other_prev{};
    other_prev[0] = 1;
    CHECK(chain_hash(other_prev, body) != h);
    CHECK(chain_hash(genesis_previous_hash, Bytes{1, 2, 4}) != h);
}

TEST_CASE("an event signature is not a valid checkpoint signature (context labels differ)") {
    SigningKey k = SigningKey::generate();
    Checkpoint c;
    c.seq = 1;
    c.signer = "admin";
    c = sign_checkpoint(c, k);
    CHECK(checkpoint_signature_valid(c));
    Signature event_sig = k.sign(event_signing_message(c.head));
    Checkpoint forged = c;
    forged.signature = event_sig;
    CHECK_FALSE(checkpoint_signature_valid(forged));
}

TEST_CASE("checkpoint files round-trip and malformed ones are refused with a reason") {
    SigningKey k = SigningKey::generate();
    Checkpoint c;
    c.vault_id = random_array<vault_id_size>();
    c.seq = 42;
    c.head = random_array<hash_size>();
    c.time_us = 1'800'000'000'000'000;
    c.signer = "auditor1";
    c = sign_checkpoint(c, k);
    std::string text = format_checkpoint(c);
    auto back = parse_checkpoint(text);
    REQUIRE(back);
    CHECK(back->seq == 42);
    CHECK(back->head == c.head);
    CHECK(checkpoint_signature_valid(*back));

    auto bad = [](std::string t) {
        auto r = parse_checkpoint(t);
        REQUIRE_FALSE(r);
        return r.error().message;
    };
    CHECK(bad("") .find("empty") != std::string::npos);
    CHECK(bad("hello\n").find("line 1") != std::string::npos);
    std::string no_sig = text.substr(0, text.find("signature:"));
    CHECK(bad(no_sig).find("'signature' is missing") != std::string::npos);
    std::string twice = text + "signer: admin\n";
    CHECK(bad(twice).find("repeated") != std::string::npos);
    std::string zero = text;
    zero.replace(zero.find("sequence: 42"), 12, "sequence: 0");
    CHECK(bad(zero).find("positive") != std::string::npos);
    CHECK(bad(std::string(5000, 'x')).find("larger") != std::string::npos);

    std::string altered = text;
    altered.replace(altered.find("sequence: 42"), 12, "sequence: 43");
    auto parsed = parse_checkpoint(altered);
    REQUIRE(parsed);
    CHECK_FALSE(checkpoint_signature_valid(*parsed));
}

TEST_CASE("a checkpoint file has one form: every other spelling of the same checkpoint is refused") {
    SigningKey k = SigningKey::generate();
    Checkpoint c;
    c.vault_id = random_array<vault_id_size>();
    c.seq = 26;
    c.head = random_array<hash_size>();
    c.time_us = 1'800'000'000'000'000;
    c.signer = "auditor1";
    c = sign_checkpoint(c, k);
    const std::string text = format_checkpoint(c);
    REQUIRE(parse_checkpoint(text));
    auto replaced = [&](std::string_view from, std::string_view to) {
        std::string t = text;
        auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };
    std::vector<std::pair<std::string, std::string>> refused{
        {"a leading zero", replaced("sequence: 26\n", "sequence: 026\n")},
        {"a plus sign", replaced("sequence: 26\n", "sequence: +26\n")},
        {"a leading zero in time-us", replaced("time-us: 1", "time-us: 01")},
        {"no final line feed", text.substr(0, text.size() - 1)},
        {"a trailing blank line", text + "\n"},
        {"a blank line inside", replaced("\nhead: ", "\n\nhead: ")},
        {"CR LF line ends", [&] {
             std::string t;
             for (char ch : text) t += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
             return t;
         }()},
        {"upper-case hex", replaced("vault: " + to_hex(c.vault_id), "vault: " + [&] {
                                        std::string h = to_hex(c.vault_id);
                                        for (char& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                                        return h;
                                    }())},
        {"lines out of order", replaced("sequence: 26\nhead: " + to_hex(c.head) + "\n", "head: " + to_hex(c.head) + "\nsequence: 26\n")},
        {"a space after the separator", replaced("signer: auditor1", "signer:  auditor1")},
    };
    for (const auto& [what, t] : refused) {
        CAPTURE(what);
        auto r = parse_checkpoint(t);
        CHECK_FALSE(r);
        if (!r) CHECK(r.error().message.starts_with("the checkpoint file is malformed"));
    }
}
