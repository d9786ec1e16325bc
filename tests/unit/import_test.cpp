// Import: the CSV reader, spreadsheets and KeePassXC exports read into rows with every problem
// and its line, and whole imports into a vault (all rows or none).
#include "support/district.hpp"
#include "support/vectors.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/field_rules.hpp"
#include "vault/import/csv_reader.hpp"
#include "vault/import/import_table.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace brankas;
using namespace brankas::test;

namespace {

SecretBytes file_of(std::string_view text) { return SecretBytes::copy_of(as_bytes(text)); }

struct Read {
    std::vector<std::size_t> lines;
    std::vector<std::vector<std::string>> records;
};

Read read_all(std::string_view text, char delimiter) {
    Read r;
    auto ok = read_csv(as_bytes(text), delimiter, [&](const CsvRecord& rec) -> Status {
        r.lines.push_back(rec.line);
        r.records.emplace_back(rec.fields.begin(), rec.fields.end());
        return {};
    });
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    return r;
}

std::string csv_error(std::string_view text) {
    auto ok = read_csv(as_bytes(text), ',', [](const CsvRecord&) -> Status { return {}; });
    REQUIRE_FALSE(ok);
    CHECK(ok.error().code == ErrorCode::usage);
    return ok.error().message;
}

std::string password_of(const ImportTable& t, const ImportRow& row) {
    ByteView b = t.secret(row.password);
    return std::string(b.begin(), b.end());
}

ImportTable spreadsheet(std::string_view text, SpreadsheetOptions options = {}) {
    auto t = read_spreadsheet("akun.csv", file_of(text), options);
    REQUIRE_MESSAGE(t, (t ? "" : t.error().message));
    return std::move(*t);
}

std::string header_error(std::string_view text, SpreadsheetOptions options = {}) {
    auto t = read_spreadsheet("akun.csv", file_of(text), options);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == ErrorCode::usage);
    return t.error().message;
}

// A district's spreadsheet of `n` accounts over three sub-districts (35.02.01 .. 03).
std::string district_sheet(std::size_t n) {
    std::ostringstream s;
    s << "Kode,Kecamatan,Platform,Username,Password,Email,No HP\n";
    const char* names[] = {"Ponorogo", "Babadan", "Jenangan"};
    for (std::size_t i = 0; i < n; ++i)
        s << "35.02.0" << 1 + i % 3 << ',' << names[i % 3] << ",Instagram,panwascam." << i << ",Sandi-" << i * 7919
          << "-rahasia,panwascam." << i << "@example.org,+6281234" << 10000 + i << "\n";
    return s.str();
}

std::int64_t count_accounts(Session& v) {
    auto list = list_accounts(v, {});
    REQUIRE(list);
    return static_cast<std::int64_t>(list->size());
}

std::uint64_t count_events(Session& v) {
    auto s = vault_status(v);
    REQUIRE(s);
    return s->events;
}

} // namespace

// ---- the CSV reader ----

TEST_CASE("csv: records know the line they start on, quoted fields keep delimiters, quotes and line breaks") {
    Read r = read_all("a,b\n\n\"x,1\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\r\nlast,row", ',');
    REQUIRE(r.records.size() == 4);
    CHECK(r.lines == std::vector<std::size_t>{1, 3, 4, 6});
    CHECK(r.records[1] == std::vector<std::string>{"x,1", "say \"hi\""});
    CHECK(r.records[2] == std::vector<std::string>{"two\nlines", "z"});
    CHECK(r.records[3] == std::vector<std::string>{"last", "row"});
}

TEST_CASE("csv: nothing is trimmed, a row of empty cells is skipped, the BOM goes") {
    Read r = read_all(" a ; b;\n;;\n", ';');
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0] == std::vector<std::string>{" a ", " b", ""});
    const std::string with_bom = "\xef\xbb\xbf" "Kode;Nama";
    ByteView stripped = without_bom(as_bytes(with_bom));
    CHECK(std::string(stripped.begin(), stripped.end()) == "Kode;Nama");
}

TEST_CASE("csv: the delimiter is the one the header uses outside quotes") {
    CHECK(detect_delimiter(as_bytes(std::string_view("Kode;Kecamatan;Platform\n1,2,3,4,5\n"))) == ';');
    CHECK(detect_delimiter(as_bytes(std::string_view("Kode,Kecamatan,\"a;b;c\"\n"))) == ',');
    CHECK(detect_delimiter(as_bytes(std::string_view("single\n"))) == ',');
}

TEST_CASE("csv: a stray quote or a quote left open is an error naming its line") {
    CHECK(csv_error("a,b\nc,d\"e\n") == "line 2 has a quote inside a field that is not quoted, or a field that goes on after its closing quote");
    CHECK(csv_error("a,b\n\"open,c\nd\n") == "the quote opened on line 2 is never closed");
}

// ---- spreadsheets ----

TEST_CASE("spreadsheet: Indonesian headers, a semicolon as separator, a BOM and a password that begins with a space") {
    ImportTable t = spreadsheet("\xef\xbb\xbf" "No;KECAMATAN;kode;Platform;Akun;Kata Sandi;E-mail;No. HP;Catatan\r\n"
                                "1;Ponorogo;35.02.01;IG;@Panwascam.Ponorogo; sandi;pw@example.org;0812-3456-789;\"a; b\"\r\n");
    CHECK(t.problems.empty());
    REQUIRE(t.rows.size() == 1);
    const ImportRow& r = t.rows[0];
    CHECK(r.line == 2);
    CHECK(r.unit_code == "35.02.01");
    CHECK(r.unit_name == "Ponorogo");
    CHECK(r.platform == "instagram");
    CHECK(r.handle == "panwascam.ponorogo");
    CHECK(r.email == "pw@example.org");
    CHECK(r.phone == "0812-3456-789");
    CHECK(password_of(t, r) == " sandi");
    ByteView notes = t.secret(r.notes);
    CHECK(std::string(notes.begin(), notes.end()) == "a; b");
    CHECK(t.source.format == ImportFormat::spreadsheet);
    CHECK(t.source.name == "akun.csv");
}

TEST_CASE("spreadsheet: English headers, and --map for a column it does not know") {
    ImportTable t = spreadsheet("Unit Code,Sub-district,platform,User Name,PASSWORD,Phone,Nama Grup\n"
                                "35.02.01,Ponorogo,tiktok,akun,p4ss,,grup a\n",
                                {{{"Nama Grup", "ignore"}, {"user name", "username"}}});
    CHECK(t.problems.empty());
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].handle == "akun");
    CHECK(t.rows[0].platform == "tiktok");
}

TEST_CASE("spreadsheet: header problems stop the whole file, each in one sentence") {
    CHECK(header_error("Kode,Platform,Username,Password,Foo\n") ==
          "line 1: Brankas does not know the column 'Foo' (column 5)");
    CHECK(header_error("Kode,Platform,Username\n") == "the file has no password column");
    CHECK(header_error("Platform,Username,Password\n") == "the file has no kode or kecamatan column");
    CHECK(header_error("Kode,Platform,Username,Password,Sandi\n") == "line 1: two columns hold the password field");
    CHECK(header_error("Kode,Platform,Username,Password\n", {{{"Nope", "ignore"}}}) == "--map Nope=...: the file has no such column");
    CHECK(header_error("Kode,Platform,Username,Password\n", {{{"Kode", "colour"}}}) == "--map Kode=colour: 'colour' is not a field");
    CHECK(header_error("") == "the file is empty");
}

TEST_CASE("spreadsheet: every bad row is reported with its line, and none of them becomes a row") {
    ImportTable t = spreadsheet("Kode,Kecamatan,Platform,Username,Password,Email,TOTP\n"
                                "35.02.01,Ponorogo,instagram,ok.one,pw1,,\n"    // line 2: fine
                                "35.02.01,Ponorogo,myspace,two,pw2,,\n"         // 3: platform
                                "35.2.1,Ponorogo,instagram,three,pw3,,\n"       // 4: code
                                "35.02.01,Ponorogo,instagram,four,,,\n"         // 5: no password
                                "35.02.01,Ponorogo,instagram,OK.ONE,pw5,,\n"    // 6: same as line 2
                                "35.02.01,Ponorogo,facebook,six,pw6,not-mail,\n" // 7: e-mail
                                "35.02.01,Ponorogo,facebook,seven,pw7,,SEEDSECRET1!\n" // 8: TOTP
                                "35.02.01,Babadan,x,eight,pw8,,\n"              // 9: another name
                                ",,x,nine,pw9,,\n"                              // 10: no unit
                                "35.02.01,Ponorogo,facebook,eleven,pw11,,JBSWY3DP\n");  // 11: TOTP seed cut short
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].handle == "ok.one");
    std::vector<RowProblem> expected{
        {3, "unknown platform 'myspace'"},
        {4, "'35.2.1' is not a kecamatan code (NN.NN.NN, e.g. 35.02.01)"},
        {5, "the password is missing"},
        {6, "instagram/ok.one is also on line 2"},
        {7, "'not-mail' is not an e-mail address"},
        {8, "the TOTP seed is not valid base32 (letters A-Z and digits 2-7); the seed is not shown here"},
        {9, "sub-district 35.02.01 is named 'Ponorogo' on line 2 and 'Babadan' here"},
        {10, "it names no sub-district (kode or kecamatan)"},
        {11, "the TOTP key is too short: a seed has at least 10 bytes (80 bits); the seed is not shown here"},
    };
    CHECK(t.problems == expected);
    // A message never carries a secret cell.
    for (const auto& p : t.problems) CHECK(p.problem.find("SEEDSECRET") == std::string::npos);
}

TEST_CASE("spreadsheet: a username that is not a handle is told what is wrong with it: the character, the length, the spaces") {
    const std::string long_name(101, 'a');
    ImportTable t = spreadsheet("Kode,Kecamatan,Platform,Username,Password\n"
                                "35.02.01,Ponorogo,instagram,ok.one,pw1\n"
                                "35.02.01,Ponorogo,instagram,pwc.ng\xc3\xa9" "bel,pw2\n"
                                "35.02.01,Ponorogo,instagram,pwc ngebel,pw3\n"
                                "35.02.01,Ponorogo,youtube,Panwascam  Ngebel,pw4\n"
                                "35.02.01,Ponorogo,instagram," + long_name + ",pw5\n"
                                "35.02.01,Ponorogo,instagram,@,pw6\n");
    REQUIRE(t.rows.size() == 1);
    std::vector<RowProblem> expected{
        {3, "'pwc.ng\xc3\xa9" "bel' is not a username: its character 7 (U+00E9) may not be in one (visible ASCII characters without '/', no spaces)"},
        {4, "'pwc ngebel' is not a username: its character 4 (U+0020) may not be in one (visible ASCII characters without '/', no spaces)"},
        {5, "'Panwascam  Ngebel' is not a username: its characters 10 and 11 are two spaces in a row (single spaces between words)"},
        {6, "'" + std::string(57, 'a') + "...' is not a username: it is 101 characters long, at most 100"},
        {7, "'@' is not a username: nothing follows its '@'"},
    };
    CHECK(t.problems == expected);
}

TEST_CASE("spreadsheet: a NUL byte in a password is refused with its line") {
    using namespace std::string_view_literals;
    ImportTable t = spreadsheet("Kode,Kecamatan,Platform,Username,Password\n"
                                "35.02.01,Ponorogo,instagram,one,pw1\n"
                                "35.02.01,Ponorogo,instagram,two,pw\0two\n"
                                "35.02.01,Ponorogo,instagram,three,\"\0\"\n"sv);
    REQUIRE(t.rows.size() == 1);
    std::vector<RowProblem> expected{{3, "the password holds a NUL byte (is the file UTF-16?)"},
                                     {4, "the password holds a NUL byte (is the file UTF-16?)"}};
    CHECK(t.problems == expected);
}

TEST_CASE("csv: one huge cell reads in linear time: its growing buffer copies less than twice its size") {
    // libcsv grows its field buffer by a block at a time, and each growth copied the whole
    // field into a fresh secure allocation: n^2 / 8 KiB bytes of copying (2, 5, 10, 20 MB took
    // 0.5, 2.6, 12.9, 35.9 s). Counted in bytes, so a loaded machine cannot fail it.
    for (std::size_t size : {std::size_t{2} << 20, std::size_t{16} << 20}) {
        CAPTURE(size);
        std::string text = "password\n\"" + std::string(size, 'x') + "\"\n";
        std::uint64_t before = csv_growth_copies();
        std::size_t longest = 0;
        auto ok = read_csv(as_bytes(text), ',', [&](const CsvRecord& rec) -> Status {
            longest = std::max(longest, rec.fields[0].size());
            return {};
        });
        REQUIRE(ok);
        CHECK(longest == size);
        CHECK(csv_growth_copies() - before < 2 * size);
    }
}

TEST_CASE("spreadsheet: the source names the file by the BLAKE2b-256 of its bytes") {
    const std::string text = district_sheet(3);
    ImportTable t = spreadsheet(text);
    CHECK(t.source.hash == blake2b_256(as_bytes(text)));
    CHECK(t.source.size == text.size());
    auto odd = read_spreadsheet("/tmp/a\x1b[2Jb.csv", file_of(text), {});
    REQUIRE(odd);
    CHECK(odd->source.name.empty()); // not printable: the event names the file by its hash alone
}

TEST_CASE("platforms as people write them, and from a URL") {
    CHECK(platform_from_text("Instagram") == "instagram");
    CHECK(platform_from_text(" FB ") == "facebook");
    CHECK(platform_from_text("Twitter") == "x");
    CHECK(platform_from_text("E-Mail") == "email");
    CHECK(platform_from_text("TikTok Babadan") == "tiktok");
    CHECK_FALSE(platform_from_text("Kanal video"));
    CHECK(platform_from_url("https://www.youtube.com/@kanal") == "youtube");
    CHECK(platform_from_url("x.com/akun") == "x");
    CHECK(platform_from_url("https://m.facebook.com/akun") == "facebook");
    CHECK_FALSE(platform_from_url("https://example.org"));
}

// ---- KeePassXC ----

TEST_CASE("keepassxc: the export made by keepassxc-cli reads into rows, the recycle bin skipped") {
    std::ifstream in(BRANKAS_KEEPASSXC_EXPORT, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    REQUIRE_FALSE(text.empty());
    auto t = read_keepassxc_export("export.csv", file_of(text));
    REQUIRE_MESSAGE(t, (t ? "" : t.error().message));
    CHECK(t->problems.empty());
    REQUIRE(t->rows.size() == 5);
    CHECK(t->skipped_in_recycle_bin == 1);
    const ImportRow& ig = t->rows[0];
    CHECK(ig.line == 2);
    CHECK(ig.unit_code == "35.02.01");
    CHECK(ig.unit_name == "Ponorogo");
    CHECK(ig.platform == "instagram");
    CHECK(password_of(*t, ig) == "Rahasia-\"Ponorogo\",2029");
    CHECK(ig.totp.size > 0);
    ByteView notes = t->secret(ig.notes);
    CHECK(std::string(notes.begin(), notes.end()) == "dibuat Januari 2029\npemulihan lewat surel kabupaten");
    CHECK(t->rows[1].line == 4); // the notes above spanned two lines
    CHECK(t->rows[1].platform == "facebook");
    CHECK(t->rows[1].email == "panwascam.ponorogo@example.org");
    CHECK(t->rows[2].unit_code == "35.02.02");
    CHECK(t->rows[2].unit_name == "Babadan");
    CHECK(t->rows[2].handle == "panwascam.babadan");
    CHECK(t->rows[3].platform == "youtube"); // from its URL: the title says nothing
    CHECK(t->rows[4].unit_code.empty());     // "Jenangan": a name an existing unit must have
    CHECK(t->rows[4].unit_name == "Jenangan");
    CHECK(t->rows[4].platform == "x");
    CHECK(t->rows[4].url == "https://x.com/PanwascamJenangan");
}

TEST_CASE("keepassxc: another file's header, and entries that name no unit or platform") {
    auto wrong = read_keepassxc_export("a.csv", file_of("Kode,Platform\n"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.starts_with("this is not a KeePassXC CSV export"));
    auto t = read_keepassxc_export("a.csv", file_of("\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n"
                                                    "\"Root\",\"Instagram\",\"a\",\"p\",\"\",\"\",\"\",\"0\",\"\",\"\"\n"
                                                    "\"Root/35.02.01 Ponorogo\",\"Bank\",\"b\",\"p\",\"https://bank.example\",\"\",\"\",\"0\",\"\",\"\"\n"));
    REQUIRE(t);
    std::vector<RowProblem> expected{{2, "entry 'Instagram' is not in a group that names a sub-district (\"NN.NN.NN Name\")"},
                                     {3, "cannot tell the platform of entry 'Bank' from its title or its URL"}};
    CHECK(t->problems == expected);
}

// ---- whole imports ----

TEST_CASE("a spreadsheet of 1,000 accounts imports in one transaction, and the vault verifies") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    const std::string text = district_sheet(1000);
    ImportTable t = spreadsheet(text);
    REQUIRE(t.problems.empty());
    const std::uint64_t events_before = count_events(d.admin);
    std::vector<std::pair<std::size_t, std::size_t>> progress;
    auto outcome = import_accounts(d.admin, t, {MissingUnits::create, ImportRun::write}, [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); });
    REQUIRE_MESSAGE(outcome, (outcome ? "" : outcome.error().message));
    CHECK(outcome->imported);
    CHECK(outcome->problems.empty());
    CHECK(outcome->accounts == 1000);
    CHECK(outcome->first_account == 2); // the district's own account is number 1
    REQUIRE(outcome->new_units.size() == 1);
    CHECK(outcome->new_units[0].code == "35.02.03");
    CHECK(outcome->new_units[0].name == "Jenangan");
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::make_pair(std::size_t{1000}, std::size_t{1000}));
    CHECK(count_accounts(d.admin) == 1001);
    // The import event, its unit (add, key, standby key and its copy), then an account.add and a
    // secret.set per row.
    CHECK(count_events(d.admin) == events_before + 1 + 4 + 2000);

    // The import event names the file by its hash, and says how many.
    std::optional<std::uint64_t> import_seq;
    REQUIRE(for_each_event(d.admin, [&](const EventSummary& e) {
        if (e.action == "import") {
            import_seq = e.seq;
            CHECK(e.target == "akun.csv");
        }
        return true;
    }));
    REQUIRE(import_seq);
    Statement s = *store_of(d.admin).prepare("SELECT body FROM events WHERE seq = ?");
    s.bind(1, static_cast<std::int64_t>(*import_seq));
    REQUIRE(*s.step());
    auto event = decode_event(s.column_raw(0));
    REQUIRE(event);
    CHECK(event->details.get_integer("accounts") == 1000);
    CHECK(event->details.get_integer("units") == 1);
    CHECK(event->details.get_text("format") == "csv");
    CHECK(event->details.get_array<hash_size>("file_hash") == blake2b_256(as_bytes(text)));

    auto secret = reveal_secret(d.admin, outcome->first_account + 999, "checking the import", SecretPart::password);
    REQUIRE_MESSAGE(secret, (secret ? "" : secret.error().message));
    CHECK(text_of(secret->payload.password) == "Sandi-" + std::to_string(999 * 7919) + "-rahasia");
    auto history = secret_history(d.admin, outcome->first_account);
    REQUIRE(history);
    CHECK(history->at(0).reason == "imported from akun.csv, line 2");
    auto verified = verify(d.admin, std::nullopt);
    REQUIRE(verified);
    CHECK_MESSAGE(verified->ok, verified->problem);
}

TEST_CASE("one bad row among 1,000 imports nothing and names its line") {
    District d;
    std::string text = district_sheet(1000);
    // Line 502 gets an unknown platform.
    std::size_t at = 0;
    for (int line = 1; line < 502; ++line) at = text.find('\n', at) + 1;
    std::size_t comma = text.find(",Instagram,", at);
    text.replace(comma, 11, ",Friendster,");
    ImportTable t = spreadsheet(text);
    const std::uint64_t events_before = count_events(d.admin);
    auto outcome = import_accounts(d.admin, t, {MissingUnits::create, ImportRun::write});
    REQUIRE(outcome);
    CHECK_FALSE(outcome->imported);
    CHECK(outcome->problems == std::vector<RowProblem>{{502, "unknown platform 'Friendster'"}});
    CHECK(count_accounts(d.admin) == 1);
    CHECK(count_events(d.admin) == events_before);
}

TEST_CASE("the vault's checks: units that do not exist, names, taken handles, and --create-units") {
    District d; // 35.02.01 Ponorogo with instagram/panwascam.ponorogo
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    ImportTable t = spreadsheet("Kode,Kecamatan,Platform,Username,Password\n"
                                "35.02.01,,instagram,panwascam.ponorogo,x\n" // 2: taken
                                ",babadan,tiktok,babadan,x\n"                // 3: by name, any case
                                "35.02.09,,tiktok,nine,x\n"                  // 4: no such unit, no name
                                ",Sukorejo,tiktok,sukorejo,x\n"              // 5: no unit has that name
                                "35.02.08,Sawoo,tiktok,sawoo,x\n"            // 6: would be created
                                "35.02.01,Babadan,facebook,ponorogo,x\n"     // 7: the kode's unit has another name
                                "35.02.02,BABADAN,facebook,babadan,x\n");    // 8: the same name, another case
    auto without = import_accounts(d.admin, t, {MissingUnits::refuse, ImportRun::dry_run});
    REQUIRE(without);
    std::vector<RowProblem> expected{
        {2, "instagram/panwascam.ponorogo already exists (account 1)"},
        {4, "there is no sub-district 35.02.09 (add it with `brankas unit add`, or import with --create-units)"},
        {5, "no sub-district is named 'Sukorejo'"},
        {6, "there is no sub-district 35.02.08 (add it with `brankas unit add`, or import with --create-units)"},
        {7, "sub-district 35.02.01 is 'Ponorogo' in this vault, not 'Babadan': check the row's kode and kecamatan"},
    };
    CHECK(without->problems == expected);
    CHECK(t.rows[1].unit_code == "35.02.02");
    auto with = import_accounts(d.admin, t, {MissingUnits::create, ImportRun::dry_run});
    REQUIRE(with);
    std::vector<RowProblem> expected_with{
        {2, "instagram/panwascam.ponorogo already exists (account 1)"},
        {4, "sub-district 35.02.09 does not exist, and the row gives no kecamatan name to create it with"},
        {5, "no sub-district is named 'Sukorejo' (creating one needs its kode)"},
        {7, "sub-district 35.02.01 is 'Ponorogo' in this vault, not 'Babadan': check the row's kode and kecamatan"},
    };
    CHECK(with->problems == expected_with);
}

TEST_CASE("a kecamatan name that reads as other text is refused where the import would create the unit, not where a row refers to one") {
    District d; // 35.02.01 Ponorogo
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    // As an older build let it be named, before the rule: with a soft hyphen.
    const std::string older = "Baba\u00addan";
    Statement rename = *store_of(d.admin).prepare("UPDATE units SET name = ? WHERE code = '35.02.02'");
    rename.bind(1, older);
    REQUIRE(rename.step());
    ImportTable t = spreadsheet("Kode,Kecamatan,Platform,Username,Password\n"
                                "35.02.02," + older + ",tiktok,one,x\n"       // 2: refers to it by kode and name
                                "," + older + ",facebook,two,x\n"             // 3: by name alone
                                "35.02.08,J\u202etise,tiktok,three,x\n"      // 4: would create it
                                "35.02.09,Sa\U000e0020woo,tiktok,four,x\n"); // 5: would create it (a tag space)
    REQUIRE(t.problems.empty());
    auto outcome = import_accounts(d.admin, t, {MissingUnits::create, ImportRun::dry_run});
    REQUIRE(outcome);
    std::vector<RowProblem> expected{
        {4, "the sub-district name holds U+202E, an invisible character that can make it read as other text"},
        {5, "the sub-district name holds U+E0020, an invisible character that can make it read as other text"},
    };
    CHECK(outcome->problems == expected);
    CHECK(outcome->new_units.empty());
}

TEST_CASE("a dry run changes nothing, and only an admin may import") {
    District d;
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    ImportTable t = spreadsheet(district_sheet(5));
    const std::uint64_t events_before = count_events(d.admin);
    auto dry = import_accounts(d.admin, t, {MissingUnits::create, ImportRun::dry_run});
    REQUIRE(dry);
    CHECK_FALSE(dry->imported);
    CHECK(dry->accounts == 5);
    CHECK(dry->new_units.size() == 2);
    CHECK(dry->first_account == 2);
    CHECK(count_events(d.admin) == events_before);
    CHECK(count_accounts(d.admin) == 1);

    auto refused_dry = import_accounts(custodian, t, {MissingUnits::create, ImportRun::dry_run});
    REQUIRE_FALSE(refused_dry);
    CHECK(refused_dry.error().code == ErrorCode::denied);
    CHECK(count_events(d.admin) == events_before); // a dry run records nothing, not even a refusal
    auto refused = import_accounts(custodian, t, {MissingUnits::create, ImportRun::write});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::denied);
    CHECK(count_events(d.admin) == events_before + 1); // the access.denied event
    CHECK(count_accounts(d.admin) == 1);
}

TEST_CASE("an imported KeePassXC export opens: password, notes and TOTP seed") {
    struct {
        TempDir dir;
        FixedClock clock{test_start_us};
        Session admin = make_test_vault(dir, clock);
    } d;
    REQUIRE(add_unit(d.admin, "35.02.03", "Jenangan"));
    std::ifstream in(BRANKAS_KEEPASSXC_EXPORT, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto t = read_keepassxc_export("export.csv", file_of(text));
    REQUIRE(t);
    auto outcome = import_accounts(d.admin, *t, {MissingUnits::create, ImportRun::write});
    REQUIRE_MESSAGE(outcome, (outcome ? "" : outcome.error().message));
    REQUIRE(outcome->imported);
    CHECK(outcome->accounts == 5);
    auto ig = find_account(d.admin, "instagram/panwascam.ponorogo");
    REQUIRE(ig);
    // No term covers the imported sub-districts: an admin's reveal there breaks the glass.
    auto secret = reveal_secret(d.admin, ig->id, "checking the import", SecretPart::totp, SecretVersionChoice::current, BreakGlass::yes);
    REQUIRE_MESSAGE(secret, (secret ? "" : secret.error().message));
    CHECK(text_of(secret->payload.password) == "Rahasia-\"Ponorogo\",2029");
    CHECK(text_of(secret->payload.notes) == "dibuat Januari 2029\npemulihan lewat surel kabupaten");
    REQUIRE(secret->payload.totp);
    CHECK(secret->payload.totp->digits == 6);
    auto x = find_account(d.admin, "x/panwascamjenangan");
    REQUIRE(x);
    CHECK(x->unit == "35.02.03");
    auto verified = verify(d.admin, std::nullopt);
    REQUIRE(verified);
    CHECK(verified->ok);
}

TEST_CASE("one spelling of a platform everywhere, and handles with spaces where the platform has them") {
    CHECK(platform_named("Instagram") == "instagram");
    CHECK(platform_named("IG") == "instagram");
    CHECK(platform_named("YouTube") == "youtube");
    CHECK(platform_named("yt") == "youtube");
    CHECK(platform_named("Twitter / X") == "x");
    CHECK(platform_named("X (Twitter)") == std::nullopt);
    CHECK(platform_named("twitter") == "x");
    CHECK(platform_named("myspace") == std::nullopt);

    struct Row {
        const char* platform;
        const char* typed;
        std::optional<std::string> stored;
    };
    const Row rows[] = {
        {"youtube", "Panwascam Rappocini", "panwascam rappocini"},
        {"facebook", "Panwascam Kecamatan Rappocini", "panwascam kecamatan rappocini"},
        {"other", "Portal Bawaslu Makassar", "portal bawaslu makassar"},
        {"youtube", "@PanwascamRappocini", "panwascamrappocini"},
        {"youtube", "Panwascam  Rappocini", std::nullopt}, // a doubled space
        {"youtube", " Rappocini", std::nullopt},
        {"youtube", "Rappocini ", std::nullopt},
        {"youtube", "Rappocini/live", std::nullopt},
        {"instagram", "panwascam rappocini", std::nullopt},
        {"tiktok", "panwascam rappocini", std::nullopt},
        {"x", "panwascam rappocini", std::nullopt},
        {"email", "panwascam rappocini@example.org", std::nullopt},
        {"instagram", "Panwascam.Rappocini", "panwascam.rappocini"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.platform);
        CAPTURE(r.typed);
        CHECK(normalize_handle(r.platform, r.typed) == r.stored);
    }
}

TEST_CASE("a handle refused for its length or its spacing is told which, and where") {
    struct Row {
        const char* platform;
        std::string typed;
        std::optional<HandleShapeFault> fault;
        std::size_t length = 0, position = 0;
    };
    const Row rows[] = {
        {"instagram", std::string(100, 'a'), std::nullopt},
        {"instagram", "@" + std::string(100, 'a'), std::nullopt}, // the '@' is not part of it
        {"instagram", std::string(101, 'a'), HandleShapeFault::too_long, 101},
        {"youtube", "@" + std::string(104, 'a'), HandleShapeFault::too_long, 104},
        {"instagram", "@", HandleShapeFault::empty},
        {"youtube", "Panwascam  Rappocini", HandleShapeFault::double_space, 0, 10},
        {"youtube", "@Panwascam Kec.  Rappocini", HandleShapeFault::double_space, 0, 16},
        {"facebook", "a b   c", HandleShapeFault::double_space, 0, 4},
        {"youtube", " Rappocini", HandleShapeFault::space_at_start, 0, 1},
        {"youtube", "@ Rappocini", HandleShapeFault::space_at_start, 0, 2},
        {"youtube", "Rappocini ", HandleShapeFault::space_at_end, 0, 10},
        {"youtube", "Panwascam Rappocini", std::nullopt},
        // Where spaces are refused characters, refused_handle_character names them.
        {"instagram", "panwascam  rappocini", std::nullopt},
    };
    for (const auto& r : rows) {
        CAPTURE(r.platform);
        CAPTURE(r.typed);
        auto refused = refused_handle_shape(r.platform, r.typed);
        REQUIRE(refused.has_value() == r.fault.has_value());
        if (!refused) continue;
        CHECK(refused->fault == *r.fault);
        CHECK(refused->length == r.length);
        CHECK(refused->position == r.position);
        // normalize_handle refuses exactly what the two name.
        CHECK_FALSE(normalize_handle(r.platform, r.typed));
    }
}
