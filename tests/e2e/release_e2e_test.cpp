// Minutes that stand as an official record, through the binary: a person's full name, NIP and
// position (`user add`, `user edit`, `user show`), and the outgoing custodian's release of a
// handover (`handover release`), required unless the policy lets a district complete without it.
#include "e2e/fixture.hpp"

#include <nlohmann/json.hpp>

#include <regex>

using namespace brankas::e2e;

namespace {

// A district with one sub-district inside a term, one account with a password, its custodian
// operator1 (with a record) and a receiver operator2 (with a record).
struct Handing {
    Fixture f;
    std::string operator1, operator2;
    Handing() {
        f.init();
        REQUIRE(f.brankas({"unit", "add", "35.02.01", "Babadan"}).exit_code == 0);
        REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
        REQUIRE(f.brankas({"account", "add", "--unit", "35.02.01", "--platform", "instagram", "--handle", "panwascam.babadan",
                           "--from-file", (f.dir / "pass.txt").string()})
                    .exit_code == 0);
        operator1 = enroll(f, "operator1",
                           {"--role", "custodian", "--unit", "35.02.01", "--full-name", "Siti Rahmawati, S.H.", "--nip",
                            "19850312 201001 2 002", "--position", "Ketua Panwaslu Kecamatan Babadan"});
        operator2 = enroll(f, "operator2", {"--role", "custodian", "--full-name", "Budi Santoso", "--nip", "-", "--position",
                                            "Anggota Panwaslu Kecamatan Babadan"});
        Outcome admin = f.brankas({"user", "edit", "admin", "--full-name", "Drs. Agus Salim", "--nip", "197001011995031001",
                                   "--position", "Koordinator Divisi Hukum"});
        REQUIRE_MESSAGE(admin.exit_code == 0, admin.err);
        Outcome start = f.brankas({"handover", "start", "--unit", "35.02.01", "--to", "operator2", "--note", "Pergantian operator"});
        REQUIRE_MESSAGE(start.exit_code == 0, start.err);
        CHECK(start.out.find("The outgoing custodian releases it: `brankas --user operator1 handover release 1`.") != std::string::npos);
        Outcome accept = as(f, "operator2", operator2, {"handover", "accept", "1"});
        REQUIRE_MESSAGE(accept.exit_code == 0, accept.err);
    }
};

const std::string MINUTES = R"minutes(# BERITA ACARA SERAH TERIMA AKUN MEDIA SOSIAL

**Bawaslu Kabupaten Ponorogo**  
Nomor: NNN/BAST/YYYY

Pada hari H, tanggal T WIB, di Bawaslu Kabupaten Ponorogo, telah dilaksanakan serah terima pengelolaan akun media sosial Kecamatan Babadan (35.02.01) dari Pihak Pertama kepada Pihak Kedua, sebagaimana tercatat dalam serah terima nomor 1 pada brankas.

## Para pihak

| Peran | Nama lengkap | NIP | Jabatan | Pengguna |
|---|---|---|---|---|
| Pihak Pertama (yang menyerahkan) | Siti Rahmawati, S.H. | 19850312 201001 2 002 | Ketua Panwaslu Kecamatan Babadan | `operator1` |
| Pihak Kedua (yang menerima) | Budi Santoso | - | Anggota Panwaslu Kecamatan Babadan | `operator2` |
| Administrator (yang memulai) | Drs. Agus Salim | 19700101 199503 1 001 | Koordinator Divisi Hukum | `admin` |

## Daftar akun yang diserahterimakan

| No. | Kecamatan | Platform | Akun | Surel / telepon masuk |
|---|---|---|---|---|
| 1 | Babadan (35.02.01) | instagram | `panwascam.babadan` | - |

Catatan: Pergantian operator

Dengan selesainya serah terima ini, akses Pihak Pertama telah dicabut, kunci kecamatan telah diganti, dan kata sandi setiap akun di atas wajib diganti. Kata sandi tidak dicantumkan dalam berita acara ini.

Pihak Pertama, Siti Rahmawati, S.H. (operator1), telah melepaskan akun-akun di atas dengan tanda tangan elektroniknya sendiri pada hari H, tanggal T WIB (peristiwa 19).

Pihak Kedua, Budi Santoso (operator2), telah menerima akun-akun di atas dengan tanda tangan elektroniknya sendiri pada hari H, tanggal T WIB (peristiwa 18).

## Tanda tangan

**Pihak Pertama**



.............................  
Siti Rahmawati, S.H.  
NIP. 19850312 201001 2 002

**Pihak Kedua**



.............................  
Budi Santoso  
NIP. -

**Mengetahui, Administrator**



.............................  
Drs. Agus Salim  
NIP. 19700101 199503 1 001

---

Kode verifikasi: **XXXX-XXXX**  
Periksa dengan: `brankas handover lookup XXXX-XXXX`
)minutes";

} // namespace

TEST_CASE("a person's full name, NIP and position: added, edited, shown, and every bad input refused in one line") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Babadan"}).exit_code == 0);
    Outcome added = f.brankas({"user", "add", "operator1", "--role", "custodian", "--unit", "35.02.01", "--kdf", "test", "--full-name",
                               "Siti Rahmawati, S.H.", "--nip", "19850312 201001 2 002", "--position", "Ketua Panwaslu Kecamatan Babadan"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    Outcome show = f.brankas({"user", "show", "operator1"});
    CHECK_MESSAGE(show.exit_code == 0, show.err);
    CHECK(show.out ==
          "operator1: custodian, pending\n"
          "  sub-districts: 35.02.01\n"
          "  full name: Siti Rahmawati, S.H.\n"
          "  NIP:       19850312 201001 2 002\n"
          "  position:  Ketua Panwaslu Kecamatan Babadan\n");
    // The log and the JSON keep the NIP's 18 digits alone.
    auto json = nlohmann::json::parse(f.brankas({"--json", "user", "show", "operator1"}).out);
    CHECK(json["nip"] == "198503122010012002");
    CHECK(json["full_name"] == "Siti Rahmawati, S.H.");
    auto listed = nlohmann::json::parse(f.brankas({"--json", "user", "list"}).out);
    bool found = false;
    for (const auto& u : listed)
        if (u["name"] == "operator1") found = u["position"] == "Ketua Panwaslu Kecamatan Babadan";
    CHECK(found);

    // An edit changes the fields given and keeps the others.
    Outcome edit = f.brankas({"user", "edit", "operator1", "--position", "Anggota Panwaslu Kecamatan Babadan"});
    CHECK_MESSAGE(edit.exit_code == 0, edit.err);
    CHECK(edit.out ==
          "Updated operator1:\n"
          "  full name: Siti Rahmawati, S.H.\n"
          "  NIP:       19850312 201001 2 002\n"
          "  position:  Anggota Panwaslu Kecamatan Babadan\n");
    Outcome not_civil = f.brankas({"user", "edit", "operator1", "--nip", "-"});
    CHECK(not_civil.out.find("  NIP:       -\n") != std::string::npos);
    // A person added without a record has none until an admin gives it.
    REQUIRE(f.brankas({"user", "add", "aud", "--role", "auditor", "--kdf", "test"}).exit_code == 0);
    CHECK(f.brankas({"user", "show", "aud"}).out.find("  full name: (not recorded)\n") != std::string::npos);

    SUBCASE("bad inputs") {
        check_one_line_error(f.brankas({"user", "add", "op2", "--role", "custodian", "--kdf", "test", "--nip", "12345"}), 2,
                             "'12345' is not a NIP");
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--nip", "19851312 201001 2 002"}), 2,
                             "'19851312 201001 2 002' is not a NIP"); // month 13
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--nip", "19850312  201001 2 002"}), 2, "is not a NIP");
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--nip", "198503122010013002"}), 2, "is not a NIP"); // sex 3
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--full-name", ""}), 2,
                             "the option '--full-name' is given an empty value");
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--full-name", " Siti"}), 2,
                             "the full name must be 1 to 100 printable characters");
        check_one_line_error(f.brankas({"user", "edit", "operator1", "--position", std::string(101, 'x')}), 2,
                             "the position must be 1 to 100 printable characters");
        check_one_line_error(f.brankas({"user", "edit", "operator1"}), 2, "nothing to change");
        check_one_line_error(f.brankas({"user", "edit", "nobody", "--nip", "-"}), 16, "no user 'nobody'");
        check_one_line_error(f.brankas({"user", "show", "nobody"}), 16, "no user 'nobody'");
        // Only an admin edits people: the engine decides, and the refusal is in the log.
        std::string aud = enroll(f, "aud2", {"--role", "auditor"});
        check_one_line_error(as(f, "aud2", aud, {"user", "edit", "operator1", "--nip", "-"}), 10, "may not manage users");
        CHECK(f.brankas({"user", "show", "operator1"}).out.find("NIP:       -") != std::string::npos);
    }
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("a handover is refused completion before the outgoing custodian releases it, and completes after") {
    Handing h;
    Fixture& f = h.f;
    check_one_line_error(f.brankas({"handover", "complete", "1"}), 10,
                         "the outgoing custodian(s) 'operator1' have not released the handover; the policy requires it");
    Outcome explain = f.brankas({"policy", "explain", "--as", "admin", "--action", "complete_handover", "--handover", "1"});
    CHECK_MESSAGE(explain.exit_code == 0, explain.err);
    CHECK(explain.out.starts_with("DENY: admin (admin) to complete_handover at "));
    CHECK(explain.out.find("have not released the handover") != std::string::npos);
    check_one_line_error(as(f, "operator2", h.operator2, {"handover", "release", "1"}), 10,
                         "only an outgoing custodian ('operator1') may release this handover");
    check_one_line_error(f.brankas({"handover", "release", "1"}), 10, "an admin may not release handovers");
    Outcome release_explain = f.brankas({"policy", "explain", "--as", "operator1", "--action", "release_handover", "--handover", "1"});
    CHECK(release_explain.out.starts_with("ALLOW: operator1 (custodian) to release_handover at "));

    Outcome release = as(f, "operator1", h.operator1, {"handover", "release", "1"});
    CHECK_MESSAGE(release.exit_code == 0, release.err);
    CHECK(release.out.find("Handover 1 is released by operator1; it is accepted.") != std::string::npos);
    check_one_line_error(as(f, "operator1", h.operator1, {"handover", "release", "1"}), 10, "'operator1' released this handover already");
    Outcome show = f.brankas({"handover", "show", "1"});
    CHECK(show.out.find("  released:  ") != std::string::npos);
    CHECK(show.out.find(" by operator1 (event ") != std::string::npos);

    Outcome complete = f.brankas({"handover", "complete", "1"});
    CHECK_MESSAGE(complete.exit_code == 0, complete.err);
    CHECK(complete.out.find("Handover 1 is completed.") != std::string::npos);
    CHECK(complete.out.find("without the release") == std::string::npos);
    auto shown = nlohmann::json::parse(f.brankas({"--json", "handover", "show", "1"}).out);
    CHECK(shown["release_asked"] == true);
    CHECK(shown["releases"].size() == 1);
    CHECK(shown["releases"][0]["by"] == "operator1");
    CHECK(shown["unreleased"].empty());

    // Both parties by full name, NIP and position, and each one's own signature in the vault.
    Outcome md = f.brankas({"handover", "minutes", "1", "--format", "md"});
    CHECK_MESSAGE(md.exit_code == 0, md.err);
    for (std::string_view needle :
         {"| Pihak Pertama (yang menyerahkan) | Siti Rahmawati, S.H. | 19850312 201001 2 002 | Ketua Panwaslu Kecamatan Babadan | `operator1` |",
          "| Pihak Kedua (yang menerima) | Budi Santoso | - | Anggota Panwaslu Kecamatan Babadan | `operator2` |",
          "| Administrator (yang memulai) | Drs. Agus Salim | 19700101 199503 1 001 | Koordinator Divisi Hukum | `admin` |",
          "Pihak Pertama, Siti Rahmawati, S.H. (operator1), telah melepaskan akun-akun di atas dengan tanda tangan elektroniknya sendiri",
          "Pihak Kedua, Budi Santoso (operator2), telah menerima akun-akun di atas", "NIP. 19850312 201001 2 002"})
        CHECK_MESSAGE(md.out.find(needle) != std::string::npos, needle);
    CHECK(md.out.find("TANPA pelepasan") == std::string::npos);
    Outcome html = f.brankas({"handover", "minutes", "1", "--format", "html"});
    CHECK(html.out.find("<td>Siti Rahmawati, S.H.</td><td>19850312 201001 2 002</td><td>Ketua Panwaslu Kecamatan Babadan</td>") !=
          std::string::npos);
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

TEST_CASE("where the policy allows it, a handover completes without the release, and the minutes say so in words") {
    Handing h;
    Fixture& f = h.f;
    write_file(f.dir / "bad.toml", "# the custodian is gone\n[handover]\nrelease_required = \"ya\"\n");
    Outcome bad = f.brankas({"policy", "check", (f.dir / "bad.toml").string()});
    CHECK(bad.exit_code == 2);
    CHECK_MESSAGE(bad.err.find("bad.toml:3: handover.release_required must be true or false, not a string\n") != std::string::npos, bad.err);
    write_file(f.dir / "gone.toml", "[handover]\nrelease_required = false\n");
    REQUIRE(f.brankas({"policy", "set", (f.dir / "gone.toml").string()}).exit_code == 0);
    Outcome explain = f.brankas({"policy", "explain", "--as", "admin", "--action", "complete_handover", "--handover", "1"});
    CHECK(explain.out.starts_with("ALLOW: admin (admin) to complete_handover at "));
    CHECK(explain.out.find("completed without the release of 'operator1': the policy allows it") != std::string::npos);

    Outcome complete = f.brankas({"handover", "complete", "1"});
    CHECK_MESSAGE(complete.exit_code == 0, complete.err);
    CHECK(complete.out.find("Completed without the release of operator1, as the policy allows; the minutes say so.") != std::string::npos);
    auto shown = nlohmann::json::parse(f.brankas({"--json", "handover", "show", "1"}).out);
    CHECK(shown["unreleased"] == nlohmann::json::array({"operator1"}));
    const std::string words =
        "Serah terima ini diselesaikan TANPA pelepasan oleh Pihak Pertama, Siti Rahmawati, S.H. (operator1), yang tidak menandatangani "
        "pelepasan di brankas";
    for (const std::string format : {"md", "html"}) {
        Outcome minutes = f.brankas({"handover", "minutes", "1", "--format", format});
        CHECK_MESSAGE(minutes.exit_code == 0, minutes.err);
        CHECK_MESSAGE(minutes.out.find(words) != std::string::npos, format);
        CHECK(minutes.out.find("administrator Drs. Agus Salim (admin)") != std::string::npos);
        CHECK(minutes.out.find("telah melepaskan") == std::string::npos);
    }
    Outcome verify = f.brankas({"audit", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out << verify.err);
}

// The minutes are the behaviour: compared whole, with what differs from run to run masked (the
// Indonesian date and time, the year in the number, the verification code).
TEST_CASE("the minutes of a released handover, in full") {
    Handing h;
    Fixture& f = h.f;
    REQUIRE(as(f, "operator1", h.operator1, {"handover", "release", "1"}).exit_code == 0);
    REQUIRE(f.brankas({"handover", "complete", "1"}).exit_code == 0);
    Outcome md = f.brankas({"handover", "minutes", "1", "--format", "md"});
    REQUIRE_MESSAGE(md.exit_code == 0, md.err);
    std::string text = std::regex_replace(md.out, std::regex(R"(hari \w+, tanggal \d+ \w+ \d{4}, pukul \d{2}\.\d{2})"), "hari H, tanggal T");
    text = std::regex_replace(text, std::regex(R"(\d{3}/BAST/\d{4})"), "NNN/BAST/YYYY");
    text = std::regex_replace(text, std::regex(R"([0-9A-F]{4}-[0-9A-F]{4})"), "XXXX-XXXX");
    CHECK(text == MINUTES);
}

TEST_CASE("report handovers: nobody released yet or left unreleased is an empty cell in --csv and an empty string in --json, not the table's '-'") {
    Handing h;
    Fixture& f = h.f;
    // Accepted, not released: released_by names nobody; operator1 is still to release.
    auto last_two_cells = [](const std::string& csv) {
        const std::string row = csv.substr(csv.find('\n') + 1);
        const std::size_t end = row.find_first_of("\r\n");
        const std::size_t second = row.rfind("\",\"", end);
        const std::size_t first = row.rfind("\",\"", second - 1);
        return row.substr(first + 2, end - first - 2);
    };
    Outcome before = f.brankas({"report", "handovers", "--csv"});
    REQUIRE_MESSAGE(before.exit_code == 0, before.err);
    CHECK(last_two_cells(before.out) == "\"\",\"operator1\"");
    CHECK(nlohmann::json::parse(f.brankas({"--json", "report", "handovers"}).out)[0]["released_by"] == "");

    REQUIRE(as(f, "operator1", h.operator1, {"handover", "release", "1"}).exit_code == 0);
    REQUIRE(f.brankas({"handover", "complete", "1"}).exit_code == 0);
    Outcome after = f.brankas({"report", "handovers", "--csv"});
    CHECK(last_two_cells(after.out) == "\"operator1\",\"\"");
    const auto j = nlohmann::json::parse(f.brankas({"--json", "report", "handovers"}).out)[0];
    CHECK(j["released_by"] == "operator1");
    CHECK(j["unreleased"] == "");
    // The table keeps its dash for an empty cell.
    CHECK(f.brankas({"report", "handovers"}).out.find("completed  operator1  operator2  -  ") != std::string::npos);
}

TEST_CASE("handover start and complete count the accounts in words: 1 account, 2 accounts") {
    Fixture f;
    f.init();
    REQUIRE(f.brankas({"unit", "add", "35.02.01", "Babadan"}).exit_code == 0);
    REQUIRE(f.brankas({"unit", "add", "35.02.02", "Jenangan"}).exit_code == 0);
    REQUIRE(f.brankas({"term", "add", "Pemilu 2099", "--start", "2025-01-01", "--end", "2099-12-31"}).exit_code == 0);
    for (const std::vector<std::string>& account : std::vector<std::vector<std::string>>{
             {"35.02.01", "instagram"}, {"35.02.02", "instagram"}, {"35.02.02", "tiktok"}})
        REQUIRE(f.brankas({"account", "add", "--unit", account[0], "--platform", account[1], "--handle", "panwascam." + account[0], "--generate"})
                    .exit_code == 0);
    const std::string operator1 = enroll(f, "operator1", {"--role", "custodian", "--unit", "35.02.01", "--unit", "35.02.02"});
    const std::string operator2 = enroll(f, "operator2", {"--role", "custodian"});
    Outcome one = f.brankas({"handover", "start", "--unit", "35.02.01", "--to", "operator2", "--note", "Pergantian operator"});
    REQUIRE_MESSAGE(one.exit_code == 0, one.err);
    CHECK(one.out.starts_with("Handover 1 started: 1 account of 35.02.01 from operator1 to operator2.\n"));
    Outcome two = f.brankas({"handover", "start", "--unit", "35.02.02", "--to", "operator2", "--note", "Pergantian operator"});
    REQUIRE_MESSAGE(two.exit_code == 0, two.err);
    CHECK(two.out.starts_with("Handover 2 started: 2 accounts of 35.02.02 from operator1 to operator2.\n"));
    for (const std::string id : {"1", "2"}) {
        REQUIRE(as(f, "operator2", operator2, {"handover", "accept", id}).exit_code == 0);
        REQUIRE(as(f, "operator1", operator1, {"handover", "release", id}).exit_code == 0);
    }
    Outcome done_one = f.brankas({"handover", "complete", "1"});
    CHECK(done_one.out.find("\nCompleted: operator2 holds 35.02.01, the outgoing custodians do not, and 1 account is due for a new password. ") !=
          std::string::npos);
    Outcome done_two = f.brankas({"handover", "complete", "2"});
    CHECK(done_two.out.find("\nCompleted: operator2 holds 35.02.02, the outgoing custodians do not, and 2 accounts are due for a new password. ") !=
          std::string::npos);
}
