// An error's sentences reach a person in their language through the message ids the core
// gives, with the values put in; the English is never parsed.
#include "faces/error_text.hpp"
#include "i18n/translate.hpp"
#include "policy/document.hpp"
#include "policy/role.hpp"
#include "vault/backup/backup_bundle.hpp"
#include "vault/error.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/event.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/people/passphrase_quality.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>

using namespace brankas;

namespace {

// A catalogue of two entries, as a face's translate function sees it: the msgid itself when the
// catalogue has no entry (gettext's rule).
struct Catalogue {
    std::map<std::string, std::string> entries;
    const char* operator()(const char* msgid) const {
        auto it = entries.find(msgid);
        return it == entries.end() ? msgid : it->second.c_str();
    }
};

// A catalogue that translates every message into itself between ⟨ and ⟩: a sentence shown through
// it has no word outside the brackets but its plain values, when every piece of it is a phrase.
struct Bracketing {
    std::deque<std::string>* kept;
    const char* operator()(const char* msgid) const { return kept->emplace_back("⟨" + std::string(msgid) + "⟩").c_str(); }
};

} // namespace

TEST_CASE("fill puts values in by order or by number, and reads nothing inside a value") {
    CHECK(i18n::fill("no sub-district %s", {"35.02.01"}) == "no sub-district 35.02.01");
    CHECK(i18n::fill("%2$s, then %1$s", {"first", "second"}) == "second, then first");
    CHECK(i18n::fill("%1$s and %1$s again", {"x"}) == "x and x again");
    CHECK(i18n::fill("100%% of %s", {"%s%1$s"}) == "100% of %s%1$s");
    CHECK(i18n::fill("%s and %s", {"one"}) == "one and ");
}

TEST_CASE("fail_phrased keeps the English with its values, and the ids and values apart") {
    Status s = fail_phrased(ErrorCode::conflict, i18n::tr_noop("sub-district %1$s already exists (%2$s)"), {"35.02.01", "Ponorogo"},
                            i18n::tr_noop("`brankas unit list` shows %1$s"));
    REQUIRE(!s);
    const Error& e = s.error();
    CHECK(e.code == ErrorCode::conflict);
    CHECK(e.message == "sub-district 35.02.01 already exists (Ponorogo)");
    CHECK(e.hint == "`brankas unit list` shows 35.02.01");
    CHECK(e.message_id == "sub-district %1$s already exists (%2$s)");
    CHECK(e.values == std::vector<std::string>{"35.02.01", "Ponorogo"});
    // The same sentence written either way is the same error.
    CHECK(e == Error(ErrorCode::conflict, "sub-district 35.02.01 already exists (Ponorogo)", "`brankas unit list` shows 35.02.01"));
}

TEST_CASE("a face translates an error from its ids, in the translation's own word order") {
    Catalogue id{{{"sub-district %1$s already exists (%2$s)", "kecamatan %2$s (%1$s) sudah ada"},
                  {"`brankas unit list` shows them", "`brankas unit list` menampilkan daftarnya"}}};
    Status s = fail_phrased(ErrorCode::conflict, "sub-district %1$s already exists (%2$s)", {"35.02.01", "Ponorogo"},
                            "`brankas unit list` shows them");
    faces::ErrorText text = faces::error_text(s.error(), id);
    CHECK(text.message == "kecamatan Ponorogo (35.02.01) sudah ada");
    CHECK(text.hint == "`brankas unit list` menampilkan daftarnya");

    SUBCASE("a sentence the catalogue lacks reads in English, values in") {
        Status other = fail_phrased(ErrorCode::not_found, "no term '%s'", {"Pilkada 2029"});
        CHECK(faces::error_text(other.error(), id).message == "no term 'Pilkada 2029'");
    }
    SUBCASE("an error without ids is shown as the core wrote it, even when its English is a msgid") {
        Error plain(ErrorCode::conflict, "`brankas unit list` shows them");
        faces::ErrorText shown = faces::error_text(plain, id);
        CHECK(shown.message == "`brankas unit list` shows them");
        CHECK(shown.hint.empty());
    }
}

TEST_CASE("a phrase of phrases: each piece is translated on its own, plain values never") {
    using i18n::Phrase;
    Catalogue id{{{"%1$s may not %2$s", "%1$s tidak boleh %2$s"},
                  {"a custodian", "petugas kecamatan"},
                  {"set the policy", "menetapkan kebijakan"},
                  {"account %1$s %2$s", "akun %1$s %2$s"},
                  {"is archived", "sudah diarsipkan"}}};
    Phrase refusal(i18n::tr_noop("%1$s may not %2$s"), {Phrase(i18n::tr_noop("a custodian")), Phrase(i18n::tr_noop("set the policy"))});
    CHECK(refusal.english() == "a custodian may not set the policy");
    CHECK(refusal.in(id) == "petugas kecamatan tidak boleh menetapkan kebijakan");
    // A plain value is put in as it is, even when it reads like a message of the catalogue.
    CHECK(Phrase(i18n::tr_noop("%1$s may not %2$s"), {Phrase::plain("a custodian"), Phrase::plain("set the policy")}).in(id) ==
          "a custodian tidak boleh set the policy");

    SUBCASE("an error made of a phrase, and a sentence that names another error's") {
        Status denied = fail_phrase(ErrorCode::denied, refusal);
        REQUIRE(!denied);
        CHECK(denied.error().message == "a custodian may not set the policy");
        CHECK(faces::error_text(denied.error(), id).message == "petugas kecamatan tidak boleh menetapkan kebijakan");

        Status archived = fail_phrased(ErrorCode::conflict, i18n::tr_noop("is archived"), {});
        Status named = fail_phrase(ErrorCode::conflict, Phrase(i18n::tr_noop("account %1$s %2$s"), {Phrase::plain("x/y"), phrase_of(archived.error())}),
                                   i18n::tr_noop("`brankas unit list` shows them"));
        REQUIRE(!named);
        CHECK(named.error().message == "account x/y is archived");
        CHECK(named.error().hint == "`brankas unit list` shows them");
        faces::ErrorText text = faces::error_text(named.error(), id);
        CHECK(text.message == "akun x/y sudah diarsipkan");
        CHECK(text.hint == "`brankas unit list` shows them");
        // An error without ids is named in its English.
        CHECK(phrase_of(Error(ErrorCode::conflict, "is archived")).in(id) == "is archived");
    }
}

TEST_CASE("the replay's word on an event that does not fit, a role inside a sentence and the policy parser's messages are phrases") {
    using i18n::Phrase;
    Catalogue id{{{"event %1$s (%2$s) %3$s", "peristiwa %1$s (%2$s) %3$s"},
                  {"adds '%s' a second time", "menambahkan '%s' untuk kedua kalinya"},
                  {"does not fit: %s", "tidak sesuai: %s"},
                  {"'%1$s' has the role %2$s; only custodians are granted sub-districts", "'%1$s' adalah %2$s; hanya petugas kecamatan yang diberi akses kecamatan"},
                  {"custodian", "petugas kecamatan"},
                  {"%1$s must be a string, not %2$s", "%1$s harus berupa string, bukan %2$s"},
                  {"an integer", "bilangan bulat"}}};
    Event e;
    e.seq = 12;
    e.action = "user.add";

    // The English stays what it was (audit verify --json, the tests of the replay).
    auto twice = event_refused(e, i18n::tr_noop("adds '%s' a second time"), {"siti"});
    CHECK(twice.error().code == ErrorCode::verification_failed);
    CHECK(twice.error().message == "event 12 (user.add) adds 'siti' a second time");
    CHECK(faces::error_text(twice.error(), id).message == "peristiwa 12 (user.add) menambahkan 'siti' untuk kedua kalinya");

    // Another rule's refusal named inside the replay's sentence keeps its own phrase.
    auto role = fail_phrase(ErrorCode::conflict, Phrase(i18n::tr_noop("'%1$s' has the role %2$s; only custodians are granted sub-districts"),
                                                        {Phrase::plain("siti"), policy::role_word(policy::Role::custodian)}));
    auto named = event_refused(e, Phrase(i18n::tr_noop("does not fit: %s"), {phrase_of(role.error())}));
    CHECK(named.error().message == "event 12 (user.add) does not fit: 'siti' has the role custodian; only custodians are granted sub-districts");
    CHECK(faces::error_text(named.error(), id).message ==
          "peristiwa 12 (user.add) tidak sesuai: 'siti' adalah petugas kecamatan; hanya petugas kecamatan yang diberi akses kecamatan");

    // The policy parser: the line stays, the sentence is a phrase, the type of a value a word of the catalogue.
    auto parsed = policy::parse_policy_document("[vault]\ntime_zone = 7\n");
    REQUIRE(!parsed);
    REQUIRE(parsed.error().size() == 1);
    const policy::DocumentError& wrong = parsed.error().front();
    CHECK(wrong.line == 2);
    CHECK(wrong.message == "vault.time_zone must be a string, not an integer");
    CHECK(faces::phrase_text(wrong.phrase, wrong.message, id) == "vault.time_zone harus berupa string, bukan bilangan bulat");
}

TEST_CASE("a malformed manifest, event body or checkpoint and pwquality's refusal are phrases to their last word") {
    std::deque<std::string> kept;
    Bracketing bracketed{&kept};
    auto shown = [&](const Error& e) { return faces::error_text(e, bracketed).message; };

    // A backup's manifest, signed but not of a version this brankas reads.
    const std::uint8_t manifest[] = {7};
    auto decoded = decode_backup_manifest(ByteView(manifest, sizeof manifest));
    REQUIRE(!decoded);
    CHECK(decoded.error().message == "the backup's manifest is malformed: it has version 7");
    CHECK(shown(decoded.error()) == "⟨the backup's manifest is malformed: ⟨it has version 7⟩⟩");

    // An event body the audit log and the verifier cannot read.
    auto event = decode_event(ByteView());
    REQUIRE(!event);
    CHECK(event.error().message == "malformed event body: empty");
    CHECK(shown(event.error()) == "⟨malformed event body: ⟨empty⟩⟩");

    // A checkpoint file, named by its first line.
    auto checkpoint = parse_checkpoint("not a checkpoint\n");
    REQUIRE(!checkpoint);
    CHECK(checkpoint.error().message == "the checkpoint file is malformed: line 1 is not 'brankas checkpoint v1'");
    CHECK(shown(checkpoint.error()) == "⟨the checkpoint file is malformed: ⟨line 1 is not 'brankas checkpoint v1'⟩⟩");

    // pwquality's reason, by its error code, in the catalogue's words; the hint names the length.
    auto weak = check_new_passphrase("admin-admin-admin-x", "admin");
    REQUIRE(!weak);
    CHECK(weak.error().message == "the new passphrase is too weak (it contains the user name)");
    faces::ErrorText text = faces::error_text(weak.error(), bracketed);
    CHECK(text.message == "⟨the new passphrase is too weak (⟨it contains the user name⟩)⟩");
    CHECK(text.hint == "⟨choose at least 15 characters, for example four or five unrelated words⟩");
}

TEST_CASE("the policy syntax checker's messages are phrases: what was expected, and what stands there instead") {
    std::deque<std::string> kept;
    Bracketing bracketed{&kept};
    auto first = [&](std::string_view document) {
        auto parsed = policy::parse_policy_document(document);
        REQUIRE(!parsed);
        return parsed.error().front();
    };
    policy::DocumentError missing = first("[checkout]\nmax_duration = \n");
    CHECK(missing.line == 2);
    CHECK(missing.message ==
          "not valid TOML: expected a value (a quoted string, true, false, a number, a list in [ ] or a table in { }), not the end of the line");
    CHECK(faces::phrase_text(missing.phrase, missing.message, bracketed) ==
          "⟨not valid TOML: ⟨expected a value (a quoted string, true, false, a number, a list in [ ] or a table in { }), not ⟨the end of the line⟩⟩⟩");

    policy::DocumentError number = first("[term]\ngrace_period = 1.x\n");
    CHECK(faces::phrase_text(number.phrase, number.message, bracketed) ==
          "⟨not valid TOML: ⟨a number in a policy is a decimal integer or fraction (a policy holds no date or time, and a duration is a "
          "string such as \"7d\"), not ⟨'x' after its '.'⟩⟩⟩");

    // A key defined twice passes the syntax check; toml++'s refusal is said again as a phrase.
    policy::DocumentError twice = first("[term]\ngrace_period = \"7d\"\ngrace_period = \"1d\"\n");
    CHECK(twice.line == 3);
    CHECK(twice.message == "not valid TOML: 'grace_period' is defined twice, or extends a table or a value defined before it");
    CHECK(faces::phrase_text(twice.phrase, twice.message, bracketed) ==
          "⟨not valid TOML: ⟨'grace_period' is defined twice, or extends a table or a value defined before it⟩⟩");
    // A quoted key: toml++ 3.3.0 names it wrongly ('"abab" ' for "ab"), and may cut a long one
    // inside a character, so the line alone says which.
    policy::DocumentError quoted = first("[term]\n\"ab\" = 1\n\"ab\" = 2\n");
    CHECK(quoted.line == 3);
    CHECK(quoted.message == "not valid TOML: a quoted key on this line is defined twice, or extends a table or a value defined before it");
    std::string long_key = "\"aaa";
    for (int i = 0; i < 300; ++i) long_key += "\xc7\x97";
    long_key += "\"";
    policy::DocumentError cut = first(long_key + " = 1\n" + long_key + " = 2\n");
    CHECK(cut.line == 2);
    CHECK(cut.message == "not valid TOML: a quoted key on this line is defined twice, or extends a table or a value defined before it");
}
