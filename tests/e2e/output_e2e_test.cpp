// End-to-end: where the output is the behaviour (a table a person reads, a message a script
// matches), the whole output is compared, not a fragment of it. The moments of the day differ
// from run to run, so their digits are masked before comparing (same width, so the columns
// still line up); everything else, the zones included, must be exactly as written here.
#include "e2e/fixture.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <regex>

using namespace brankas::e2e;

namespace {

// Each match of `pattern` in `text`, with every character `masked_char` accepts replaced by `with`.
template <class Predicate>
std::string mask_matches(const std::string& text, const std::regex& pattern, Predicate masked_char, char with) {
    std::string out;
    std::size_t last = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        const auto at = static_cast<std::size_t>(it->position());
        out += text.substr(last, at - last);
        for (char c : it->str()) out += masked_char(static_cast<unsigned char>(c)) ? with : c;
        last = at + static_cast<std::size_t>(it->length());
    }
    return out + text.substr(last);
}

// Masks the digits of every date with a time of day and of every long hexadecimal string
// (vault id, hashes), keeping their width.
std::string masked(const std::string& text) {
    static const std::regex moment(R"(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?)");
    static const std::regex hex(R"(\b[0-9a-f]{32,64}\b)");
    const std::string times_masked = mask_matches(text, moment, [](unsigned char c) { return std::isdigit(c) != 0; }, '9');
    return mask_matches(times_masked, hex, [](unsigned char c) { return std::isxdigit(c) != 0; }, 'x');
}

// A command that succeeds, its standard output masked; its standard error must be empty.
std::string shown(const Fixture& f, std::vector<std::string> args) {
    Outcome o = f.brankas(std::move(args));
    INFO("stderr: " << o.err);
    CHECK(o.exit_code == 0);
    CHECK(o.err.empty());
    return masked(o.out);
}

// Two sub-districts, a term, two accounts (one with an e-mail), and one check-out.
struct SmallDistrict {
    Fixture f;
    SmallDistrict() {
        f.init();
        for (std::vector<std::string> args : {
                 std::vector<std::string>{"unit", "add", "35.02.01", "Ponorogo"},
                 {"unit", "add", "35.02.02", "Babadan"},
                 {"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"},
                 {"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                  "--email", "p@example.org", "--generate"},
                 {"account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "panwascam.babadan",
                  "--generate"},
             }) {
            Outcome o = f.brankas(args);
            REQUIRE_MESSAGE(o.exit_code == 0, o.err);
        }
    }
};

} // namespace

TEST_CASE("what each command prints when it changes something, in full") {
    Fixture f;
    Outcome init = f.init();
    CHECK(masked(init.out) == "Created the vault of Bawaslu Kabupaten Ponorogo in " + f.vault + "\n"
                              "  vault id:  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                              "  admin:     admin, key derivation test (Argon2id, 1 pass, 8 KiB) INSECURE, for the test suite only\n"
                              "  log head:  event 1, xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                              "Keep a checkpoint outside the vault so later changes to its history can be proven:\n"
                              "  brankas --vault " + f.vault + " --user admin audit checkpoint --out FILE\n");
    CHECK(shown(f, {"unit", "add", "35.02.01", "Ponorogo"}) == "Added sub-district 35.02.01 Ponorogo; its key is held by admin\n");
    CHECK(shown(f, {"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}) ==
          "Added term 'Pemilu 2099' from 2025-01-01 to 2099-12-31 (WIB) for every sub-district.\n");
    CHECK(shown(f, {"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.ponorogo",
                    "--generate"}) ==
          "Added account 1: instagram/panwascam.ponorogo in sub-district 35.02.01\n"
          "Stored a generated 20-character password as version 1.\n");

    Outcome out = f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah", "--for", "2h"});
    CHECK(out.exit_code == 0);
    // The login on stdout, and nothing else: the 20 characters of the password are its own.
    const std::string login = "username: panwascam.ponorogo\npassword: ";
    CHECK(out.out.starts_with(login));
    CHECK(out.out.size() == login.size() + 21);
    CHECK(out.out.ends_with("\n"));
    CHECK(masked(out.err) == "brankas: instagram/panwascam.ponorogo is yours until 9999-99-99 99:99 WIB; give it back with "
                             "`brankas checkin instagram/panwascam.ponorogo`\n");
    CHECK(shown(f, {"checkin", "instagram/panwascam.ponorogo"}) ==
          "Checked in instagram/panwascam.ponorogo.\n"
          "The policy asks for a new password now: `brankas rotate instagram/panwascam.ponorogo`.\n");
    CHECK(shown(f, {"account", "archive", "1"}) == "Archived account 1: instagram/panwascam.ponorogo (kept, with its history).\n");
}

TEST_CASE("the listings a person reads, in full") {
    SmallDistrict d;
    Fixture& f = d.f;
    REQUIRE(f.brankas({"checkout", "instagram/panwascam.ponorogo", "--reason", "unggah", "--for", "2h"}).exit_code == 0);

    CHECK(shown(f, {"account", "list"}) ==
          "ID  UNIT      ACCOUNT                       STATUS  ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo  active  -         v1        p@example.org\n"
          "2   35.02.02  tiktok/panwascam.babadan      active  -         v1        -\n");
    CHECK(shown(f, {"unit", "list"}) ==
          "CODE      NAME      ACCOUNTS  KEY  KEY HOLDERS\n"
          "35.02.01  Ponorogo  1         1    admin\n"
          "35.02.02  Babadan   1         1    admin\n");
    CHECK(shown(f, {"term", "list"}) ==
          "TERM         START       LAST DAY    STATE   UNITS  OWN ENDS\n"
          "Pemilu 2099  2025-01-01  2099-12-31  active  all    -\n");
    CHECK(shown(f, {"checkouts"}) ==
          "ACCOUNT                       UNIT      HOLDER  UNTIL                 STATE  REASON\n"
          "instagram/panwascam.ponorogo  35.02.01  admin   9999-99-99 99:99 WIB  out    unggah\n");
    // Who did what to which, when, and why: the reason last, an event without one ending at its target.
    CHECK(shown(f, {"audit", "log"}) ==
          "SEQ  TIME                     ACTOR  ACTION        TARGET       REASON\n"
          "1    9999-99-99 99:99:99 WIB  admin  vault.create  -\n"
          "2    9999-99-99 99:99:99 WIB  admin  unit.add      35.02.01\n"
          "3    9999-99-99 99:99:99 WIB  admin  unit.key      35.02.01\n"
          "4    9999-99-99 99:99:99 WIB  admin  unit.standby  35.02.01\n"
          "5    9999-99-99 99:99:99 WIB  admin  unit.key      35.02.01\n"
          "6    9999-99-99 99:99:99 WIB  admin  unit.add      35.02.02\n"
          "7    9999-99-99 99:99:99 WIB  admin  unit.key      35.02.02\n"
          "8    9999-99-99 99:99:99 WIB  admin  unit.standby  35.02.02\n"
          "9    9999-99-99 99:99:99 WIB  admin  unit.key      35.02.02\n"
          "10   9999-99-99 99:99:99 WIB  admin  term.add      Pemilu 2099\n"
          "11   9999-99-99 99:99:99 WIB  admin  account.add   account/1\n"
          "12   9999-99-99 99:99:99 WIB  admin  secret.set    account/1    account added\n"
          "13   9999-99-99 99:99:99 WIB  admin  account.add   account/2\n"
          "14   9999-99-99 99:99:99 WIB  admin  secret.set    account/2    account added\n"
          "15   9999-99-99 99:99:99 WIB  admin  checkout      account/1    unggah\n");
    CHECK(shown(f, {"report", "access"}) ==
          "ACCOUNT                                  TIME                     WHO    WHAT                                 VERSION  BREAK-GLASS  REASON\n"
          "instagram/panwascam.ponorogo (35.02.01)  9999-99-99 99:99:99 WIB  admin  checkout until 9999-99-99 99:99 WIB  1                     unggah\n");

    REQUIRE(f.brankas({"checkin", "instagram/panwascam.ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"account", "archive", "2"}).exit_code == 0);
    CHECK(shown(f, {"account", "list"}) ==
          "ID  UNIT      ACCOUNT                       STATUS    ROTATION  PASSWORD  E-MAIL\n"
          "1   35.02.01  instagram/panwascam.ponorogo  active    due       v1        p@example.org\n"
          "2   35.02.02  tiktok/panwascam.babadan      archived  -         v1        -\n");
    CHECK(shown(f, {"checkouts", "--all"}) ==
          "ACCOUNT                       UNIT      HOLDER  UNTIL                 STATE     REASON\n"
          "instagram/panwascam.ponorogo  35.02.01  admin   9999-99-99 99:99 WIB  returned  unggah\n");
    CHECK(shown(f, {"report", "status"}) ==
          "Status at 9999-99-99 99:99 WIB\n"
          "\n"
          "Accounts by status\n"
          "  UNIT      ACTIVE  DEACTIVATED  ARCHIVED\n"
          "  35.02.01  1       0            0\n"
          "  35.02.02  0       0            1\n"
          "  all       1       0            1\n"
          "\n"
          "Rotation due (1)\n"
          "  instagram/panwascam.ponorogo  35.02.01  active\n"
          "\n"
          "Overdue check-outs (0)\n"
          "  none\n"
          "\n"
          "Terms ending within 30 days (0)\n"
          "  none\n");
}

TEST_CASE("audit log: the reason of each event, one the vault wrote itself in the reader's language, --csv and --jsonl as signed") {
    SmallDistrict d;
    Fixture& f = d.f;
    // A typed reason that only looks like one of the vault's is the person's, as typed.
    REQUIRE(f.brankas({"secret", "show", "tiktok/panwascam.babadan", "--reason", "account added twice"}).exit_code == 0);
    Env indonesian = f.env;
    indonesian["LANG"] = "C.UTF-8";
    indonesian["LANGUAGE"] = "id";
    std::swap(f.env, indonesian);
    const std::string id = shown(f, {"audit", "log", "--account", "2"});
    const std::string id_csv = shown(f, {"audit", "log", "--account", "2", "--csv"});
    const std::string id_jsonl = shown(f, {"audit", "log", "--account", "2", "--jsonl"});
    std::swap(f.env, indonesian);
    CHECK(id == "NO  WAKTU                    PELAKU  TINDAKAN     SASARAN    ALASAN\n"
                "13  9999-99-99 99:99:99 WIB  admin   account.add  account/2\n"
                "14  9999-99-99 99:99:99 WIB  admin   secret.set   account/2  akun ditambahkan\n"
                "15  9999-99-99 99:99:99 WIB  admin   secret.read  account/2  account added twice\n");
    CHECK(shown(f, {"audit", "log", "--account", "2"}) ==
          "SEQ  TIME                     ACTOR  ACTION       TARGET     REASON\n"
          "13   9999-99-99 99:99:99 WIB  admin  account.add  account/2\n"
          "14   9999-99-99 99:99:99 WIB  admin  secret.set   account/2  account added\n"
          "15   9999-99-99 99:99:99 WIB  admin  secret.read  account/2  account added twice\n");
    CHECK(shown(f, {"audit", "log", "--account", "2", "--csv"}) == id_csv);
    CHECK(shown(f, {"audit", "log", "--account", "2", "--jsonl"}) == id_jsonl);
    CHECK(id_csv.find("\"account added\"") != std::string::npos);
}

TEST_CASE("a table stays aligned with a name whose accent is a combining mark (NFD) or written in a wide script") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Nge\u0301bel"}).exit_code == 0);
    REQUIRE(f.brankas({"unit", "add", "35.02.02", "\u738b\u82b3"}).exit_code == 0);
    REQUIRE(f.brankas({"unit", "add", "35.02.03", "Ponorogo"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pilkada Nge\u0301bel", "--start", "2025-01-01", "--end", "2099-12-31", "--unit", "35.02.01"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "\u738b\u82b3 2029", "--start", "2025-01-01", "--end", "2099-12-31", "--unit", "35.02.02"}).exit_code == 0);
    // Each name takes as many columns as "Ngebel" or "Nge" and its own, the Chinese two each.
    CHECK(shown(f, {"unit", "list"}) ==
          "CODE      NAME      ACCOUNTS  KEY  KEY HOLDERS\n"
          "35.02.01  Nge\u0301bel    0         1    admin\n"
          "35.02.02  \u738b\u82b3      0         1    admin\n"
          "35.02.03  Ponorogo  0         1    admin\n");
    CHECK(shown(f, {"term", "list"}) ==
          "TERM            START       LAST DAY    STATE   UNITS     OWN ENDS\n"
          "Pilkada Nge\u0301bel  2025-01-01  2099-12-31  active  35.02.01  -\n"
          "\u738b\u82b3 2029       2025-01-01  2099-12-31  active  35.02.02  -\n");

}

TEST_CASE("an import file whose name holds a character that reorders text (U+202E) is not named in the log, and is shown escaped") {
    SmallDistrict d;
    Fixture& f = d.f;
    // After U+202E, "akun<U+202E>vsc.csv" prints as "akun" and the rest backwards: the log does not
    // sign such a name (nor one with a control character), as it signs none too long; the
    // import's own lines show it escaped, as every table and error line shows such a character.
    const std::string name = "akun\u202evsc.csv";
    write_file(f.dir / name, "No;Kode;Kecamatan;Platform;Username;Kata Sandi\r\n1;35.02.01;Ponorogo;TikTok;pwc.ponorogo;Rahasia-Nomor-1-2029\r\n");
    Outcome imported = f.brankas({"import", "csv", (f.dir / name).string()});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    CHECK(imported.out.find("akun\\u202evsc.csv") != std::string::npos);
    CHECK(imported.out.find("\u202e") == std::string::npos);
    // The command to wipe it, copied from the hint, names that very file: bash gives back its bytes.
    const std::string word = "$'" + (f.dir / "akun\\xe2\\x80\\xaevsc.csv").string() + "'";
    CHECK_MESSAGE(imported.out.find("(shred -u " + word + ")") != std::string::npos, imported.out);
    Outcome said = run_program({"/bin/bash", "-c", "printf %s " + word}, f.env);
    CHECK(said.out == (f.dir / name).string());
    const std::vector<std::string> log{"audit", "log", "--action", "import", "--action", "secret.set"};
    const std::string table = shown(f, log);
    CHECK(table ==
          "SEQ  TIME                     ACTOR  ACTION      TARGET     REASON\n"
          "12   9999-99-99 99:99:99 WIB  admin  secret.set  account/1  account added\n"
          "14   9999-99-99 99:99:99 WIB  admin  secret.set  account/2  account added\n"
          "15   9999-99-99 99:99:99 WIB  admin  import      -\n"
          "17   9999-99-99 99:99:99 WIB  admin  secret.set  account/3  imported, line 2\n");
    for (const char* format : {"--csv", "--jsonl"}) {
        std::vector<std::string> args = log;
        args.push_back(format);
        CHECK(shown(f, args).find("\u202e") == std::string::npos);
    }
    CHECK(f.brankas({"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a request the state does not allow, or about what does not exist: the whole message and its code") {
    SmallDistrict d;
    Fixture& f = d.f;
    auto refused = [&](std::vector<std::string> args, int code, const std::string& err) {
        Outcome o = f.brankas(std::move(args));
        CHECK(o.exit_code == code);
        CHECK(o.out.empty());
        CHECK(o.err == err);
    };
    refused({"account", "show", "nosuch/x"}, 16,
            "brankas: error: no account nosuch/x\n"
            "brankas: hint: `brankas account list` shows the accounts\n");
    refused({"checkin", "tiktok/panwascam.babadan"}, 17, "brankas: error: tiktok/panwascam.babadan is not checked out\n");
    REQUIRE(f.brankas({"account", "archive", "2"}).exit_code == 0);
    refused({"account", "archive", "2"}, 17, "brankas: error: account tiktok/panwascam.babadan is already archived\n");
    refused({"account", "archive", "2", "--reason", "x"}, 2,
            "brankas: error: unrecognised option '--reason' (in 'account archive')\n"
            "brankas: hint: see `brankas account archive --help`\n");
}
