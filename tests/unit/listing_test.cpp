// The pieces of the auditor's output: moments as people give them, ISO times with the zone's
// offset, CSV records, streamed tables and JSON, the progress line; and the command line that
// lets `report exposure` take --user after the command.
#include "cli/app.hpp"
#include "cli/display_width.hpp"
#include "faces/dates.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "support/test_vault.hpp"
#include "vault/own_reasons.hpp"

#include <sstream>

using namespace brankas;
using namespace brankas::cli;

namespace {
const policy::TimeZone wib{};                  // UTC+7
const policy::TimeZone wit{"WIT", 9 * 60};     // UTC+9
constexpr std::int64_t midnight_utc_2029_03_01 = 1'867'017'600'000'000;
} // namespace

TEST_CASE("moments are a day or a time of day in the vault's zone") {
    auto day = parse_moment("2029-03-01", wib);
    REQUIRE(day);
    CHECK(day->start_us == midnight_utc_2029_03_01 - 7 * policy::hour_us);
    CHECK(day->end_us == day->start_us + policy::day_us);
    auto minute = parse_moment("2029-03-01T10:30", wib);
    REQUIRE(minute);
    CHECK(minute->start_us == midnight_utc_2029_03_01 + 3 * policy::hour_us + 30 * policy::minute_us);
    CHECK(minute->end_us == minute->start_us + policy::minute_us);
    auto second = parse_moment("2029-03-01 10:30:15", wit);
    REQUIRE(second);
    CHECK(second->start_us == midnight_utc_2029_03_01 + 1 * policy::hour_us + 30 * policy::minute_us + 15 * policy::second_us);
    for (const char* bad : {"", "2029-3-1", "2029-02-30", "2029-03-01T24:00", "2029-03-01T10:60", "2029-03-01X10:00",
                            "2029-03-01T10:00:5", "2029-03-01T10", "yesterday", "2029-03-01T10:00Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_moment(bad, wib));
    }
}

TEST_CASE("times are ISO 8601 with the zone's offset") {
    CHECK(format_iso(midnight_utc_2029_03_01, wib) == "2029-03-01T07:00:00+07:00");
    CHECK(format_iso(midnight_utc_2029_03_01 + 999'999, wit) == "2029-03-01T09:00:00+09:00");
    CHECK(format_iso(midnight_utc_2029_03_01 - 1, wib) == "2029-03-01T06:59:59+07:00");
    CHECK(format_zoned_seconds(midnight_utc_2029_03_01 + 5 * policy::second_us, wib) == "2029-03-01 07:00:05 WIB");
}

TEST_CASE("a term's days are read in the zone they were typed in, whatever the zone is now") {
    const policy::TimeZone wita{"WITA", 8 * 60};
    // 2031-12-31 typed under WIB: the term ends at the first instant of 2032-01-01 WIB.
    auto end_wib = parse_date("2032-01-01", wib);
    auto start_wib = parse_date("2029-01-15", wib);
    REQUIRE(end_wib);
    REQUIRE(start_wib);
    for (const auto* now : {&wib, &wita, &wit}) {
        CAPTURE(now->name);
        CHECK(format_last_day(*end_wib, *now) == "2031-12-31");
        CHECK(format_first_day(*start_wib, *now) == "2029-01-15");
        CHECK(typed_zone(*end_wib, *now).name == "WIB");
    }
    // Typed under WIT, read under WIB: still 2029-06-30 (the naive reading would be 06-29).
    auto end_wit = parse_date("2029-07-01", wit);
    REQUIRE(end_wit);
    CHECK(format_last_day(*end_wit, wib) == "2029-06-30");
    CHECK(format_date(*end_wit - 1, wib) == "2029-06-30");
    CHECK(format_date(*end_wit, wib) == "2029-06-30"); // 22:00 WIB on the last day
    // An end that is no day boundary (a term ended "now") is read in the zone given.
    CHECK(format_last_day(midnight_utc_2029_03_01 + 5 * policy::hour_us, wib) == "2029-03-01");
    CHECK(&typed_zone(midnight_utc_2029_03_01 + 5 * policy::hour_us, wita) == &wita);
}

TEST_CASE("a CSV record quotes every field, doubles quotes, ends in CRLF and defuses formulas") {
    CHECK(csv_record({"seq", "time"}) == "\"seq\",\"time\"\r\n");
    CHECK(csv_record({"a \"b\", c", "baris\nbaru"}) == "\"a \"\"b\"\", c\",\"baris\nbaru\"\r\n");
    CHECK(csv_record({"=HYPERLINK(\"x\")", "+1", "-1", "@a", "ok=1"}) ==
          "\"'=HYPERLINK(\"\"x\"\")\",\"'+1\",\"'-1\",\"'@a\",\"ok=1\"\r\n");
    CHECK(csv_record({""}) == "\"\"\r\n");
    CHECK(csv_cell(nlohmann::ordered_json(nullptr)).empty());
    CHECK(csv_cell(nlohmann::ordered_json(true)) == "true");
    CHECK(csv_cell(nlohmann::ordered_json({{"a", 1}})) == "{\"a\":1}");
}

TEST_CASE("records are one JSON array, JSON Lines, or CSV under one header") {
    nlohmann::ordered_json row{{"seq", 1}, {"actor", "admin"}};
    std::ostringstream json, jsonl, csv, empty;
    {
        RecordWriter w(json, ListingFormat::json, {"seq", "actor"});
        w.write(row);
        w.write(row);
    }
    CHECK(json.str() == "[\n  {\"seq\":1,\"actor\":\"admin\"},\n  {\"seq\":1,\"actor\":\"admin\"}\n]\n");
    CHECK(nlohmann::json::parse(json.str()).size() == 2);
    {
        RecordWriter w(jsonl, ListingFormat::jsonl, {"seq", "actor"});
        w.write(row);
        w.write(row);
    }
    CHECK(jsonl.str() == "{\"seq\":1,\"actor\":\"admin\"}\n{\"seq\":1,\"actor\":\"admin\"}\n");
    {
        RecordWriter w(csv, ListingFormat::csv, {"seq", "missing", "actor"});
        w.write(row);
    }
    CHECK(csv.str() == "\"seq\",\"missing\",\"actor\"\r\n\"1\",\"\",\"admin\"\r\n");
    { RecordWriter w(empty, ListingFormat::json, {"seq"}); }
    CHECK(empty.str() == "[]\n");
    ListingFormat f{};
    CHECK_FALSE(pick_format({true, false, true}, f));
    REQUIRE(pick_format({false, true, false}, f));
    CHECK(f == ListingFormat::jsonl);
}

TEST_CASE("a text's width is the columns a terminal gives it: a combining mark none, a wide character two") {
    CHECK(display_width("") == 0);
    CHECK(display_width("Jose") == 4);
    CHECK(display_width("Jos\u00e9") == 4);        // NFC: one code point
    CHECK(display_width("Jose\u0301") == 4);       // NFD: e and the combining acute accent
    CHECK(display_width("Nguye\u0302\u0303n") == 6); // two marks on one letter
    CHECK(display_width("\u738b\u82b3") == 4);     // Chinese: two wide characters
    CHECK(display_width("\uac15\ubbfc") == 4);     // Korean syllables
    CHECK(display_width("\uff21\uff22") == 4);     // fullwidth Latin
    CHECK(display_width("\U0001f600") == 2);       // an emoji
    CHECK(display_width("a\u200bb") == 2);         // a zero-width space takes no column
    CHECK(display_width("\u00ad") == 1);           // a soft hyphen does
    CHECK(display_width("\xff") == 1);             // a byte that begins no character: one column
    CHECK(code_point_columns('a') == 1);
    CHECK(code_point_columns(0x0300) == 0);
    CHECK(code_point_columns(0x0e31) == 0);  // a Thai vowel mark
    CHECK(code_point_columns(0x1160) == 0);  // a Hangul vowel that joins the syllable before it
    CHECK(code_point_columns(0x1100) == 2);  // a Hangul initial consonant
    CHECK(code_point_columns(0x3000) == 2);  // the ideographic space
    CHECK(code_point_columns(0x20000) == 2); // CJK extension B
    CHECK(code_point_columns(0x00e9) == 1);
    CHECK(code_point_columns(0x0416) == 1); // Cyrillic
}

TEST_CASE("a table lines its columns up by what a terminal shows: a name in NFD or in a wide script") {
    std::ostringstream printed;
    print_table(printed, {"NAME", "ROLE"}, {{"Jose\u0301", "admin"}, {"\u738b\u82b3", "auditor"}, {"siti", "custodian"}});
    CHECK(printed.str() == "NAME  ROLE\n"
                           "Jose\u0301  admin\n"
                           "\u738b\u82b3  auditor\n"
                           "siti  custodian\n");
    std::ostringstream streamed;
    {
        TableStream t(streamed, {"SEQ", "ACTOR", "ACTION"});
        t.row({"1", "Jose\u0301", "vault.create"});
        t.row({"2", "\u738b\u82b3\u82b3", "user.add"});
    }
    CHECK(streamed.str() == "SEQ  ACTOR   ACTION\n"
                            "1    Jose\u0301    vault.create\n"
                            "2    \u738b\u82b3\u82b3  user.add\n");
}

TEST_CASE("a streamed table aligns on its first rows and never holds more than those") {
    std::ostringstream out;
    {
        TableStream t(out, {"SEQ", "ACTOR"});
        t.row({"1", "admin"});
        t.row({"22", "a\x1b[2Jb"});
    }
    CHECK(out.str() == "SEQ  ACTOR\n1    admin\n22   a\\x1b[2Jb\n");
    std::ostringstream long_out;
    {
        TableStream t(long_out, {"N", "X"});
        for (int i = 0; i < 600; ++i) t.row({std::to_string(i), "x"});
        t.row({"a-much-wider-cell", "x"});
    }
    std::string text = long_out.str();
    CHECK(text.starts_with("N    X\n0    x\n"));
    CHECK(text.find("\na-much-wider-cell  x\n") != std::string::npos);
}

TEST_CASE("the progress line fits its width and counts to the end") {
    std::string half = progress_line("verifying", 500, 1000, 250.4, 80);
    CHECK(half.starts_with("verifying ["));
    CHECK(half.find("50%") != std::string::npos);
    CHECK(half.find("500/1000 events") != std::string::npos);
    CHECK(half.find("250/s") != std::string::npos);
    CHECK(half.size() < 80);
    CHECK(progress_line("verifying", 1000, 1000, 1, 80).find("100%") != std::string::npos);
    CHECK(progress_line("verifying", 0, 0, 0, 30).size() < 30);
    std::ostringstream silent;
    {
        ProgressBar bar(silent, false, "verifying");
        bar.update(1, 2);
    }
    CHECK(silent.str().empty());
    std::ostringstream drawn;
    {
        ProgressBar bar(drawn, true, "verifying");
        bar.update(1, 2);
    }
    CHECK(drawn.str().starts_with("\rverifying ["));
    CHECK(drawn.str().ends_with("\r\033[K"));
}

TEST_CASE("report exposure takes --user after the command, and the global --user before it") {
    test::TempDir dir;
    FixedClock clock(test::test_start_us);
    { Session v = test::make_test_vault(dir, clock); }
    class Passphrase final : public PassphraseInput {
    public:
        Result<SecretBytes> existing(std::string_view) override { return SecretBytes::copy_of(as_bytes(test::test_passphrase)); }
        Result<SecretBytes> new_passphrase(std::string_view) override { return fail(ErrorCode::usage, "not asked"); }
        Result<SecretBytes> new_secret(std::string_view) override { return fail(ErrorCode::usage, "not asked"); }
    } passphrase;
    Environment env{(dir / "v").string(), std::nullopt, std::nullopt};
    auto run = [&](std::vector<std::string> args, std::string& out, std::string& err) {
        std::ostringstream o, e;
        int code = cli::run(args, env, o, e, clock, &passphrase);
        out = o.str();
        err = e.str();
        return code;
    };
    std::string out, err;
    CHECK(run({"--user", "admin", "report", "exposure", "--user", "admin"}, out, err) == 0);
    CHECK(out.starts_with("Exposure of admin (admin, active): 0 passwords to rotate"));
    CHECK(run({"--user", "admin", "report", "exposure", "admin", "--json"}, out, err) == 0);
    CHECK(nlohmann::json::parse(out)["user"] == "admin");
    CHECK(run({"--user", "admin", "report", "exposure", "--user", "siti"}, out, err) == 16);
    CHECK(err == "brankas: error: no user 'siti' in this vault\nbrankas: hint: `brankas user list` shows them\n");
    CHECK(run({"--user", "admin", "report", "exposure"}, out, err) == 2);
    // Elsewhere --user after the command is still who you are.
    CHECK(run({"status", "--user", "admin"}, out, err) == 0);
}

TEST_CASE("a reason the vault wrote itself is recognised exactly, with values of its kind, and another text is not") {
    // What the writers store is the English, byte for byte as before (it is signed).
    CHECK(own_reason(OwnReason::account_added) == "account added");
    CHECK(own_reason(OwnReason::imported_from_line, {"akun, line 3.csv", "12"}) == "imported from akun, line 3.csv, line 12");
    CHECK(own_reason(OwnReason::created_by, {"siti"}) == "created by siti");
    CHECK(own_reason(OwnReason::end_of_term, {"Pemilu 2029"}) == "end of term 'Pemilu 2029'");
    CHECK(own_reason(OwnReason::password_older_than, {"180d"}) == "the password is older than 180d");

    auto recognised = [](std::string_view stored) {
        auto p = own_reason_phrase(stored);
        return p ? std::string(p->id) + " <- " + [&] {
            std::string values;
            for (const auto& v : p->values) values += "[" + v.text + "]";
            return values;
        }() : std::string("as typed");
    };
    CHECK(recognised("account added") == "account added <- ");
    CHECK(recognised("imported from akun, line 3.csv, line 12") == "imported from %1$s, line %2$s <- [akun, line 3.csv][12]");
    CHECK(recognised("imported, line 7") == "imported, line %s <- [7]");
    CHECK(recognised("access of siti ended: disabled") == "access of %s ended: disabled <- [siti]");
    CHECK(recognised("handover 4 completed") == "handover %s completed <- [4]");
    CHECK(recognised("the password is older than 180d") == "the password is older than %s <- [180d]");
    // Not one of them: another value's kind, more or less text, another case.
    for (std::string_view typed : {"account added ", "Account added", "imported, line dua", "imported, line ", "created by Siti",
                                   "handover 4 completed today", "the password is older than a year", "end of term ''", ""})
        CHECK_MESSAGE(recognised(typed) == "as typed", typed);

    // Through a face's translation; a text not recognised is shown as it was written.
    auto shouting = [](const char* id) { return std::string(id) == "created by %s" ? "DIBUAT OLEH %s" : id; };
    CHECK(reason_for_reader("created by siti", shouting) == "DIBUAT OLEH siti");
    CHECK(reason_for_reader("created by Siti", shouting) == "created by Siti");
}
