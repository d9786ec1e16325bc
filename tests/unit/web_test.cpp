// The browser face's parts that decide something on their own: the session table (idle
// timeout, absolute lifetime, destruction of the unlocked Session), the CSRF token check, the
// listen-address rule, the sign-in back-off, the form reader, the page buffers and the language
// choice.
#include "support/test_vault.hpp"
#include "web/derivation_gate.hpp"
#include "web/form.hpp"
#include "web/listen_address.hpp"
#include "web/render.hpp"
#include "web/session_table.hpp"
#include "web/sign_in_limiter.hpp"
#include "web/site.hpp"
#include "web/tokens.hpp"
#include "web/translate.hpp"
#include "web/vault_calls.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <mutex>
#include <chrono>

using namespace brankas;
using namespace brankas::web;
using brankas::test::TempDir;

namespace {

constexpr std::int64_t second = 1'000'000;

SecretBytes body(std::string_view text) { return SecretBytes::copy_of(as_bytes(text)); }

} // namespace

TEST_CASE("a session ends after its idle timeout, and its Session with it") {
    TempDir dir;
    FixedClock clock(test::test_start_us);
    SessionTable table(clock);
    std::string cookie = table.open(test::make_test_vault(dir, clock), {60 * second, 3600 * second});
    CHECK(cookie.size() == token_chars);
    std::weak_ptr<SignedIn> alive;
    {
        Lease lease = table.find(cookie);
        REQUIRE(lease);
        CHECK(lease->vault.user() == "admin");
        CHECK(lease->csrf.size() == token_chars);
        CHECK_FALSE(same_token(lease->csrf, cookie));
        alive = lease.watch();
    }
    SUBCASE("each request starts the idle time again") {
        for (int i = 0; i < 5; ++i) {
            clock.advance_seconds(59);
            CHECK(table.find(cookie));
        }
    }
    SUBCASE("found after the timeout: gone") {
        clock.advance_seconds(60);
        CHECK_FALSE(table.find(cookie));
        CHECK(alive.expired()); // the keys are wiped with the Session
        CHECK(table.size() == 0);
    }
    SUBCASE("swept after the timeout, though nobody came back") {
        clock.advance_seconds(59);
        CHECK(table.sweep() == 0);
        clock.advance_seconds(1);
        CHECK(table.sweep() == 1);
        CHECK(alive.expired());
    }
}

TEST_CASE("a busy session still ends at its absolute lifetime") {
    TempDir dir;
    FixedClock clock(test::test_start_us);
    SessionTable table(clock);
    std::string cookie = table.open(test::make_test_vault(dir, clock), {600 * second, 1800 * second});
    for (int i = 0; i < 29; ++i) {
        clock.advance_seconds(60);
        REQUIRE(table.find(cookie));
    }
    clock.advance_seconds(60); // 30 minutes after sign-in, one minute after the last request
    CHECK_FALSE(table.find(cookie));
}

TEST_CASE("signing out destroys the Session once the request using it is done") {
    TempDir dir;
    FixedClock clock(test::test_start_us);
    SessionTable table(clock);
    std::string cookie = table.open(test::make_test_vault(dir, clock), {600 * second, 3600 * second});
    std::string other = table.open(test::open_test_vault(dir, clock), {600 * second, 3600 * second});
    std::weak_ptr<SignedIn> alive;
    {
        Lease lease = table.find(cookie);
        alive = lease.watch();
        table.close(cookie); // the sign-out request itself holds it
        CHECK_FALSE(alive.expired());
        CHECK_FALSE(table.find(cookie));
    }
    CHECK(alive.expired());
    CHECK(table.find(other)); // the other session is untouched
    CHECK(table.size() == 1);
}

TEST_CASE("a cookie that names no session finds nothing") {
    TempDir dir;
    FixedClock clock(test::test_start_us);
    SessionTable table(clock);
    std::string cookie = table.open(test::make_test_vault(dir, clock), {600 * second, 3600 * second});
    CHECK_FALSE(table.find(""));
    CHECK_FALSE(table.find(new_token()));
    std::string altered = cookie;
    altered[0] = altered[0] == 'a' ? 'b' : 'a';
    CHECK_FALSE(table.find(altered));
    CHECK_FALSE(table.find(cookie.substr(1)));
    table.close(new_token()); // ignored
    CHECK(table.find(cookie));
}

TEST_CASE("CSRF: a form's token must be its own session's") {
    std::string mine = new_token(), theirs = new_token();
    CHECK(mine != theirs);
    auto token_of = [](std::string_view text) { return Form::parse(body(text))->text("csrf").value_or(""); };
    CHECK(same_token(token_of("csrf=" + mine + "&reason=x"), mine));
    CHECK_FALSE(same_token(token_of("reason=x"), mine));                 // no token
    CHECK_FALSE(same_token(token_of("csrf=" + theirs + "&reason=x"), mine)); // another session's
    CHECK_FALSE(same_token(token_of("csrf=&reason=x"), mine));
    CHECK_FALSE(same_token(token_of("csrf=" + mine.substr(0, 63)), mine));
    CHECK_FALSE(same_token("", ""));           // an empty token matches nothing, not even itself
    CHECK_FALSE(same_token(mine + "00", mine + "00"));
}

TEST_CASE("a form is decoded in secure memory, a secret field stays there") {
    auto form = Form::parse(body("name=siti&passphrase=kebun+teh%21%20%C3%A9&csrf=ab"));
    REQUIRE(form);
    CHECK(form->text("name") == "siti");
    CHECK(form->text("csrf") == "ab");
    CHECK_FALSE(form->text("missing"));
    auto secret = form->secret("passphrase");
    REQUIRE(secret);
    CHECK(secret->text() == "kebun teh! \xC3\xA9");
    CHECK(Form::parse(body(""))->text("name") == std::nullopt);
    CHECK(Form::parse(body("a="))->text("a") == "");
    CHECK_FALSE(Form::parse(body("a=%4")));
    CHECK_FALSE(Form::parse(body("a=%zz")));
    CHECK_FALSE(Form::parse(body("novalue")));
}

TEST_CASE("a page buffer given back is wiped before it is kept, and only page buffers are kept") {
    PageBuffers buffers;
    SecretBytes page = buffers.take();
    REQUIRE(page.size() == PageBuffers::buffer_size);
    const std::uint8_t* where = page.data();
    std::memset(page.data(), 'x', 100);
    page.truncate(100); // a page of 100 bytes, as sent
    buffers.give(std::move(page));
    CHECK(buffers.kept() == 1);
    SecretBytes again = buffers.take();
    CHECK(again.data() == where); // the same buffer, not a new mapping
    CHECK(again.size() == PageBuffers::buffer_size);
    CHECK(std::all_of(again.data(), again.data() + again.size(), [](std::uint8_t b) { return b == 0; }));
    CHECK(buffers.kept() == 0);

    buffers.give(SecretBytes(PageBuffers::buffer_size * 2)); // grown past a page buffer: freed
    buffers.give(SecretBytes(100));
    CHECK(buffers.kept() == 0);
    for (std::size_t i = 0; i < PageBuffers::kept_at_most + 3; ++i) buffers.give(SecretBytes(PageBuffers::buffer_size));
    CHECK(buffers.kept() == PageBuffers::kept_at_most);
}

TEST_CASE("listen addresses: loopback in plain HTTP, anything else only with TLS") {
    auto parsed = [](std::string_view text) {
        auto a = parse_listen_address(text);
        REQUIRE_MESSAGE(a, (a ? "" : a.error().message));
        return *a;
    };
    CHECK(parsed("127.0.0.1:8420").port == 8420);
    CHECK(parsed("[::1]:8443").host == "::1");
    CHECK(parsed("localhost:8420").host == "127.0.0.1");
    CHECK(parsed("127.0.0.1:0").port == 0);
    for (std::string_view bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:8420", "intranet.local:8420",
                                 "[::1]8420", "127.0.0.1:84x"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_listen_address(bad));
    }
    for (std::string_view loop : {"127.0.0.1:8420", "127.1.2.3:1", "[::1]:8420", "localhost:80"}) {
        CAPTURE(loop);
        CHECK(is_loopback(parsed(loop)));
        CHECK(check_listen_policy(parsed(loop), Transport::plain));
    }
    for (std::string_view open : {"0.0.0.0:8420", "192.168.1.10:8420", "[::]:8420", "[::2]:8420", "128.0.0.1:8420"}) {
        CAPTURE(open);
        CHECK_FALSE(is_loopback(parsed(open)));
        auto refused = check_listen_policy(parsed(open), Transport::plain);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::usage);
        CHECK(refused.error().message == "refusing to serve " + parsed(open).text() +
                                             " without TLS: only the loopback address may be served in plain HTTP");
        CHECK(check_listen_policy(parsed(open), Transport::tls));
    }
}

TEST_CASE("a plain-HTTP server answers the names of this machine, not another site's name pointed at it") {
    for (std::string_view ours : {"127.0.0.1:8420", "127.0.0.1", "localhost:8420", "LocalHost", "[::1]:8420", "[::1]", "192.168.1.10:80", ""}) {
        CAPTURE(ours);
        CHECK(names_this_machine(ours));
    }
    for (std::string_view theirs : {"attacker.example", "attacker.example:8420", "localhost.attacker.example", "127.0.0.1.nip.io:8420",
                                    "[::1]x", "[::1]:84x", "127.0.0.1:84x", "[attacker.example]"}) {
        CAPTURE(theirs);
        CHECK_FALSE(names_this_machine(theirs));
    }
}

TEST_CASE("failed sign-ins: a few free tries, then a wait that doubles") {
    FixedClock clock(test::test_start_us);
    SignInLimiter limiter(clock);
    for (int i = 0; i < 3; ++i) {
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
        limiter.failed("siti", "10.0.0.1");
    }
    CHECK(limiter.wait_us("siti", "10.0.0.1") == 0); // three failures cost nothing yet
    limiter.failed("siti", "10.0.0.1");
    CHECK(limiter.wait_us("siti", "10.0.0.1") == 2 * second);
    CHECK(limiter.wait_us("siti", "10.0.0.2") == 2 * second); // per user, from any address
    CHECK(limiter.wait_us("budi", "10.0.0.1") == 0);          // not yet for the address
    clock.advance_seconds(2);
    CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
    limiter.failed("siti", "10.0.0.1");
    CHECK(limiter.wait_us("siti", "10.0.0.1") == 4 * second);
    clock.advance_seconds(4);
    limiter.failed("siti", "10.0.0.1");
    CHECK(limiter.wait_us("siti", "10.0.0.1") == 8 * second);
    SUBCASE("the wait has a ceiling") {
        for (int i = 0; i < 30; ++i) limiter.failed("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 15 * 60 * second);
    }
    SUBCASE("a success clears the user's count") {
        clock.advance_seconds(8);
        limiter.succeeded("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
        limiter.failed("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
    }
    SUBCASE("a quiet day forgets") {
        clock.advance_seconds(24 * 3600);
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
        limiter.failed("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
    }
}

TEST_CASE("failed sign-ins from one address: guessing many names is slowed down too") {
    FixedClock clock(test::test_start_us);
    SignInLimiter limiter(clock);
    for (int i = 0; i < 20; ++i) limiter.failed("user" + std::to_string(i), "10.0.0.9");
    CHECK(limiter.wait_us("someone", "10.0.0.9") == 0);
    SUBCASE("a failure past the free ones blocks the address") {
        limiter.failed("user20", "10.0.0.9");
        CHECK(limiter.wait_us("someone", "10.0.0.9") == 2 * second);
        CHECK(limiter.wait_us("someone", "10.0.0.8") == 0);
    }
    SUBCASE("one right passphrase does not clear the address") {
        CHECK(limiter.reserve("user20", "10.0.0.9") == 0);
        CHECK(limiter.wait_us("someone", "10.0.0.9") == 2 * second); // while it runs, it counts
        limiter.succeeded("user20", "10.0.0.9");
        CHECK(limiter.wait_us("someone", "10.0.0.9") == 0);
        limiter.failed("user21", "10.0.0.9"); // the twenty earlier failures still count
        CHECK(limiter.wait_us("someone", "10.0.0.9") == 2 * second);
    }
}

TEST_CASE("failed sign-ins: one name retrying counts toward its address only for its free tries") {
    FixedClock clock(test::test_start_us);
    SignInLimiter limiter(clock);
    // A person who cannot sign in (a damaged keyring slot says "wrong name or passphrase") tries
    // all day, waiting out their own back-off each time.
    for (int i = 0; i < 40; ++i) {
        clock.advance_seconds(16 * 60);
        CHECK(limiter.reserve("siti", "10.0.0.9") == 0);
        limiter.wrong("siti", "10.0.0.9");
    }
    CHECK(limiter.wait_us("siti", "10.0.0.9") == 15 * 60 * second); // their own wait is as before
    CHECK(limiter.wait_us("budi", "10.0.0.9") == 0);                 // the office is not held up
    SUBCASE("their first three counted: seventeen more failures are free for the address") {
        for (int i = 0; i < 17; ++i) limiter.failed("user" + std::to_string(i), "10.0.0.9");
        CHECK(limiter.wait_us("budi", "10.0.0.9") == 0);
        limiter.failed("user17", "10.0.0.9");
        CHECK(limiter.wait_us("budi", "10.0.0.9") == 2 * second);
    }
    SUBCASE("guessing many names, three tries each, is still slowed down") {
        for (int n = 0; n < 6; ++n)
            for (int i = 0; i < 3; ++i) limiter.failed("user" + std::to_string(n), "10.0.0.9");
        CHECK(limiter.wait_us("budi", "10.0.0.9") == 2 * second);
    }
}

TEST_CASE("failed sign-ins: tries sent at once are limited as tries one after another") {
    FixedClock clock(test::test_start_us);
    SignInLimiter limiter(clock);
    // Four tries in flight together: each is counted before its key derivation runs, so the
    // fifth, sent while they run, waits as it would after four failures.
    for (int i = 0; i < 4; ++i) CHECK(limiter.reserve("siti", "10.0.0.1") == 0);
    CHECK(limiter.reserve("siti", "10.0.0.1") == 2 * second);
    CHECK(limiter.reserve("siti", "10.0.0.2") == 2 * second);
    SUBCASE("a try that tested nothing is taken back") {
        limiter.take_back("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
        CHECK(limiter.reserve("siti", "10.0.0.1") == 0);
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 2 * second);
    }
    SUBCASE("a right one clears the name") {
        limiter.succeeded("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
    }
}

TEST_CASE("failed sign-ins: a try that ends well, or tests nothing, moves no wait") {
    FixedClock clock(test::test_start_us);
    SignInLimiter limiter(clock);
    // An office's address past its twenty free failures, whose wait has run out.
    for (int i = 0; i < 25; ++i) limiter.failed("user" + std::to_string(i), "10.0.0.9");
    clock.advance_seconds(16 * 60);
    CHECK(limiter.wait_us("siti", "10.0.0.9") == 0);
    // A right passphrase from it, and a try that tested nothing: the address may go on at once.
    CHECK(limiter.reserve("siti", "10.0.0.9") == 0);
    limiter.succeeded("siti", "10.0.0.9");
    CHECK(limiter.wait_us("budi", "10.0.0.9") == 0);
    CHECK(limiter.reserve("budi", "10.0.0.9") == 0);
    limiter.take_back("budi", "10.0.0.9");
    CHECK(limiter.wait_us("budi", "10.0.0.9") == 0);
    // A wrong one counts, now: the 26th failure, six past the free ones, waits 2 s doubled five times.
    CHECK(limiter.reserve("budi", "10.0.0.9") == 0);
    limiter.wrong("budi", "10.0.0.9");
    CHECK(limiter.wait_us("wati", "10.0.0.9") == 64 * second);
    SUBCASE("a person's own wait after typos is not moved by a try that tested nothing") {
        for (int i = 0; i < 4; ++i) limiter.failed("siti", "10.0.0.1");
        clock.advance_seconds(2);
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
        CHECK(limiter.reserve("siti", "10.0.0.1") == 0);
        limiter.take_back("siti", "10.0.0.1");
        CHECK(limiter.wait_us("siti", "10.0.0.1") == 0);
    }
}

TEST_CASE("at most two key derivations at once") {
    DerivationGate gate;
    CHECK(gate.try_take());
    CHECK(gate.try_take());
    CHECK_FALSE(gate.try_take());
    gate.give_back();
    CHECK(gate.try_take());
    gate.give_back();
    gate.give_back();
}

TEST_CASE("one verification at a time: one started while another runs waits for its turn, then runs") {
    TempDir dir;
    FixedClock clock(test::test_start_us);
    Session vault = test::make_test_vault(dir, clock);
    prepare_verification();
    std::mutex turn;
    std::unique_lock other(turn); // another verification is running
    auto job = Verification::start(vault, turn);
    REQUIRE(job);
    auto state_once = [&](auto done) {
        for (int i = 0; i < 10'000; ++i) {
            Verification::State state = (*job)->state();
            if (done(state)) return state;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        FAIL("the verification did not get there in 10 s");
        return (*job)->state();
    };
    Verification::State waiting = state_once([](const Verification::State& s) { return s.waiting; });
    CHECK_FALSE(waiting.result);
    CHECK(waiting.progress.done == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK((*job)->state().waiting); // still: it has not started
    other.unlock();
    Verification::State ended = state_once([](const Verification::State& s) { return s.result.has_value(); });
    CHECK_FALSE(ended.waiting);
    REQUIRE(*ended.result);
    CHECK((*ended.result)->ok);
    CHECK((*ended.result)->events > 0);
}

TEST_CASE("the language: a cookie's choice, else the browser's, else Indonesian") {
    CHECK(language_from_header("") == Language::id);
    CHECK(language_from_header("en-US,en;q=0.9") == Language::en);
    CHECK(language_from_header("id-ID,id;q=0.9,en;q=0.8") == Language::id);
    CHECK(language_from_header("fr-FR,en;q=0.5,id;q=0.7") == Language::id);
    CHECK(language_from_header("de, fr") == Language::id);
    CHECK(parse_language("en") == Language::en);
    CHECK(parse_language("xx") == Language::id);
    CHECK(indonesian_messages() > 50);
    CHECK(Translator(Language::id).tr("Sign in") == "Masuk");
    CHECK(Translator(Language::en).tr("Sign in") == "Sign in");
    CHECK(Translator(Language::id).tr("not in the catalogue") == "not in the catalogue");
    CHECK(fill("dipinjam %s sampai %s", {"siti", "14:00 WIB"}) == "dipinjam siti sampai 14:00 WIB");
    CHECK(fill("%2$s, %1$s", {"a", "b"}) == "b, a");
    CHECK(fill("100%% %s", {"x"}) == "100% x");
}

TEST_CASE("an Accept-Language weight is read with blanks around its semicolon and equals sign, q in either case, and a weight that is no qvalue counts for nothing") {
    CHECK(language_from_header("en;q=0.95, id; q=0.9") == Language::en);
    CHECK(language_from_header("id; q=0.5, en;q=0.8") == Language::en);
    CHECK(language_from_header("id ;q=0.5,en ; q = 0.8") == Language::en);
    CHECK(language_from_header("en;\tq=0.3, id;Q=0.4") == Language::id);
    CHECK(language_from_header("en; q=0, id; q=0.001") == Language::id);
    CHECK(language_from_header("id;q=1.000,en;q=0.999") == Language::id);
    CHECK(language_from_header("en;q=0.9, id ; q=1") == Language::id);
    // Not a qvalue: past 1, more than three decimals, not a number.
    CHECK(language_from_header("en;q=2, id;q=0.1") == Language::id);
    CHECK(language_from_header("en;q=0.1234, id;q=0.1") == Language::id);
    CHECK(language_from_header("en;q=x, id;q=0.1") == Language::id);
    CHECK(language_from_header("en;q=1.5, id;q=0.1") == Language::id);
    // Another parameter is no weight.
    CHECK(language_from_header("en;x=1, id;q=0.5") == Language::en);
    // Several parameters, a trailing semicolon: each read once, the weight wherever it stands
    // (these looped for ever when a parameter's end was sought in the wrong string).
    CHECK(language_from_header("en;q=0.5;, id;q=0.4") == Language::en);
    CHECK(language_from_header("id;q=0.9;level=1, en;q=0.8") == Language::id);
    CHECK(language_from_header("id;level=1;q=0.3, en;q=0.8") == Language::en);
    CHECK(language_from_header("en;;;q=0.2;, id;q=0.1;x;y") == Language::en);
}

TEST_CASE("a path to come back to is a path of this site") {
    CHECK(local_path("/accounts/3") == "/accounts/3");
    CHECK(local_path("/accounts?x=1") == "/accounts?x=1");
    for (std::string_view away : {"", "accounts", "//evil.example/", "/\\evil.example", "https://evil.example/", "/a\r\nSet-Cookie: x"}) {
        CAPTURE(away);
        CHECK(local_path(away) == "/accounts");
    }
}
