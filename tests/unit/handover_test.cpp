// Handovers through the vault API with a fixed clock: start, accept, witness, complete or
// cancel; who may act at each step; what completion changes; the minutes and their code. Each
// case ends with a full `audit verify`, whose replay re-decides every step.
#include "support/district.hpp"

#include "faces/handover_minutes.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/field_rules.hpp"
#include "vault/people/people_events.hpp"

#include <doctest/doctest.h>

using namespace brankas;
using namespace brankas::test;

namespace {

HandoverRequest to_operator2(std::optional<std::string> witness = std::nullopt) {
    HandoverRequest rq;
    rq.unit = "35.02.01";
    rq.receiver = "operator2";
    rq.note = "Pergantian operator masa tugas 2027";
    rq.witness = std::move(witness);
    return rq;
}

template <typename T>
T must(Result<T> r) {
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return std::move(*r);
}

// A district whose unit has two accounts, an outgoing custodian, a receiver and a second admin.
struct Handing : District {
    std::int64_t second = 0;
    Session operator1 = person("operator1", policy::Role::custodian, {"35.02.01"});
    Session operator2 = person("operator2", policy::Role::custodian);
    Session admin2 = person("admin2", policy::Role::admin);

    Handing() {
        second = must(add_account(admin, "35.02.01", {"facebook", "panwascam.ponorogo.fb", "humas@example.org", "", ""})).id;
        REQUIRE(set_secret(admin, second, password("rahasia-kedua")));
    }
};

} // namespace

TEST_CASE("a full handover: the receiver reads, the outgoing custodian is denied, rotation is due") {
    Handing d;
    CHECK(text_of(must(reveal_secret(d.operator1, d.account, "sebelum", SecretPart::password)).payload.password) == "rahasia-pertama");
    CHECK_FALSE(reveal_secret(d.operator2, d.account, "belum", SecretPart::password));

    HandoverInfo started = must(start_handover(d.admin, to_operator2("admin2")));
    CHECK(started.id == 1);
    CHECK(started.state == policy::HandoverState::started);
    CHECK(started.outgoing == std::vector<std::string>{"operator1"}); // the unit's custodians by default
    REQUIRE(started.accounts.size() == 2);
    CHECK(started.accounts[0].version == 1);
    CHECK_FALSE(started.accounts[0].rotation_due);
    CHECK(started.code.empty());

    d.clock.advance_seconds(60);
    CHECK(must(accept_handover(d.operator2, 1)).state == policy::HandoverState::accepted);
    // Nothing changed hands yet.
    CHECK_FALSE(reveal_secret(d.operator2, d.account, "belum", SecretPart::password));
    d.clock.advance_seconds(60);
    CHECK(must(release_handover(d.operator1, 1)).releases.size() == 1);
    HandoverInfo done = must(witness_handover(d.admin2, 1));
    CHECK(done.state == policy::HandoverState::completed);
    CHECK(done.witnessed.by == "admin2");
    CHECK(done.ended.by == "admin2");
    CHECK(done.number == "001/BAST/2027"); // the first of the year in WIB (the tests start on 2027-01-15)
    CHECK(done.code.size() == 9);

    CHECK(text_of(must(reveal_secret(d.operator2, d.account, "serah terima", SecretPart::password)).payload.password) == "rahasia-pertama");
    CHECK(text_of(must(reveal_secret(d.operator2, d.second, "serah terima", SecretPart::password)).payload.password) == "rahasia-kedua");
    auto denied = reveal_secret(d.operator1, d.account, "sesudah", SecretPart::password);
    REQUIRE_FALSE(denied);
    CHECK(denied.error().code == ErrorCode::denied);
    for (std::int64_t id : {d.account, d.second}) CHECK(must(find_account(d.admin, std::to_string(id))).rotation_due);
    auto users = must(list_users(d.admin));
    for (const UserInfo& u : users) {
        if (u.name == "operator1") CHECK(u.units.empty());
        if (u.name == "operator2") CHECK(u.units == std::vector<std::string>{"35.02.01"});
    }
    check_verifies(d.admin);

    // The code on the minutes finds the completing event, and the log verifies up to it.
    HandoverLookup found = must(lookup_handover(d.admin, done.code));
    CHECK(found.handover.id == 1);
    CHECK(found.event_seq == static_cast<std::uint64_t>(done.ended.seq));
    CHECK(found.verified_up_to_event);
    std::string lower = done.code;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(must(lookup_handover(d.admin, lower)).handover.id == 1);
    auto wrong = lookup_handover(d.admin, done.code == "0000-0000" ? "0000-0001" : "0000-0000");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.find("no completed handover has the verification code") != std::string::npos);
    CHECK_FALSE(lookup_handover(d.admin, "XYZ"));
}

TEST_CASE("the minutes list every account handed over and no password") {
    Handing d;
    REQUIRE(start_handover(d.admin, to_operator2("admin2")));
    REQUIRE(accept_handover(d.operator2, 1));
    REQUIRE(release_handover(d.operator1, 1));
    HandoverInfo h = must(witness_handover(d.admin2, 1));
    for (auto format : {MinutesFormat::markdown, MinutesFormat::html}) {
        std::string minutes = render_minutes(h, format);
        CAPTURE(minutes);
        for (std::string_view expected : {"instagram", "panwascam.ponorogo", "facebook", "panwascam.ponorogo.fb", "humas@example.org",
                                          "BERITA ACARA SERAH TERIMA AKUN MEDIA SOSIAL", "Pihak Kedua", "operator2", "operator1", "admin2"})
            CHECK(minutes.find(expected) != std::string::npos);
        CHECK(minutes.find(h.code) != std::string::npos);
        CHECK(minutes.find(h.number) != std::string::npos);
        CHECK(minutes.find("WIB") != std::string::npos);
        CHECK(minutes.find("rahasia") == std::string::npos);
    }
    std::string html = render_minutes(h, MinutesFormat::html);
    CHECK(html.find("@page { size: A4;") != std::string::npos);
    CHECK(html.find("http") == std::string::npos); // no external resources
}

TEST_CASE("who may act at each step, decided again on replay") {
    Handing d;
    Session auditor = d.person("auditor1", policy::Role::auditor);
    REQUIRE(start_handover(d.admin, to_operator2()));

    SUBCASE("only the receiver accepts, and only once") {
        auto by_outgoing = accept_handover(d.operator1, 1);
        REQUIRE_FALSE(by_outgoing);
        CHECK(by_outgoing.error().message == "only the receiver, 'operator2', may accept this handover");
        CHECK_FALSE(accept_handover(d.admin, 1));
        REQUIRE(accept_handover(d.operator2, 1));
        CHECK(accept_handover(d.operator2, 1).error().message == "only a started handover can be accepted; this one is accepted");
    }
    SUBCASE("without a witness, an admin completes the accepted handover") {
        CHECK_FALSE(complete_handover(d.admin, 1));
        REQUIRE(accept_handover(d.operator2, 1));
        REQUIRE(release_handover(d.operator1, 1));
        CHECK(must(complete_handover(d.admin, 1)).state == policy::HandoverState::completed);
        CHECK_FALSE(reveal_secret(d.operator1, d.account, "sesudah", SecretPart::password));
        CHECK_FALSE(cancel_handover(d.admin, 1, "terlambat"));
    }
    SUBCASE("an auditor witnesses; an admin then completes") {
        REQUIRE(accept_handover(d.operator2, 1));
        REQUIRE(release_handover(d.operator1, 1));
        CHECK(must(witness_handover(auditor, 1)).state == policy::HandoverState::witnessed);
        CHECK_FALSE(complete_handover(auditor, 1));
        CHECK(must(complete_handover(d.admin, 1)).state == policy::HandoverState::completed);
    }
    SUBCASE("the admin who started it is no witness") {
        REQUIRE(accept_handover(d.operator2, 1));
        CHECK(witness_handover(d.admin, 1).error().message ==
              "a witness is a second person: not who started the handover, nor a party to it");
    }
    SUBCASE("cancelled before completion: nothing changes hands") {
        REQUIRE(accept_handover(d.operator2, 1));
        CHECK(must(cancel_handover(d.admin, 1, "operator berhalangan")).state == policy::HandoverState::cancelled);
        CHECK_FALSE(complete_handover(d.admin, 1));
        CHECK(reveal_secret(d.operator1, d.account, "masih", SecretPart::password));
        CHECK_FALSE(reveal_secret(d.operator2, d.account, "tidak", SecretPart::password));
        CHECK_FALSE(must(find_account(d.admin, std::to_string(d.account))).rotation_due);
        // A new handover of the unit may start now.
        CHECK(must(start_handover(d.admin, to_operator2())).id == 2);
    }
    SUBCASE("one open handover per unit") {
        auto second = start_handover(d.admin, to_operator2());
        REQUIRE_FALSE(second);
        CHECK(second.error().message.find("already has an open handover (1)") != std::string::npos);
    }
    check_verifies(d.admin);
}

TEST_CASE("the policy can require a witness, or new passwords before acceptance") {
    Handing d;
    SUBCASE("witness_required") {
        REQUIRE(set_policy(d.admin, "[handover]\nwitness_required = true\n"));
        REQUIRE(start_handover(d.admin, to_operator2()));
        REQUIRE(accept_handover(d.operator2, 1));
        auto early = complete_handover(d.admin, 1);
        REQUIRE_FALSE(early);
        CHECK(early.error().message == "the handover needs a witness first (the policy requires one)");
        REQUIRE(release_handover(d.operator1, 1));
        CHECK(must(witness_handover(d.admin2, 1)).state == policy::HandoverState::completed);
    }
    SUBCASE("rotate_before_accept") {
        REQUIRE(set_policy(d.admin, "[handover]\nrotate_before_accept = true\n"));
        REQUIRE(start_handover(d.admin, to_operator2()));
        auto early = accept_handover(d.operator2, 1);
        REQUIRE_FALSE(early);
        CHECK(early.error().message.find("2 account(s) still have the password handed over") != std::string::npos);
        REQUIRE(set_secret(d.admin, d.account, password("rahasia-baru-1")));
        REQUIRE(set_secret(d.admin, d.second, password("rahasia-baru-2")));
        REQUIRE(accept_handover(d.operator2, 1));
        REQUIRE(release_handover(d.operator1, 1));
        CHECK(must(complete_handover(d.admin, 1)).state == policy::HandoverState::completed);
        CHECK(text_of(must(reveal_secret(d.operator2, d.account, "baru", SecretPart::password)).payload.password) == "rahasia-baru-1");
    }
    check_verifies(d.admin);
}

TEST_CASE("an account that gets a password after the start stops the handover until a new one lists it") {
    Handing d;
    REQUIRE(start_handover(d.admin, to_operator2()));
    const std::string stopped = "1 account(s) of the sub-district got a password after the handover started and are not in it";
    // An account without a password yet hands over nothing.
    std::int64_t third = must(add_account(d.admin, "35.02.01", {"tiktok", "panwascam.ponorogo.tt", "", "", ""})).id;
    SUBCASE("before acceptance") {
        REQUIRE(set_secret(d.admin, third, password("rahasia-ketiga")));
        auto accepted = accept_handover(d.operator2, 1);
        REQUIRE_FALSE(accepted);
        CHECK_MESSAGE(accepted.error().message.find(stopped) != std::string::npos, accepted.error().message);
    }
    SUBCASE("after acceptance, before completion") {
        REQUIRE(accept_handover(d.operator2, 1));
        REQUIRE(set_secret(d.admin, third, password("rahasia-ketiga")));
        auto completed = complete_handover(d.admin, 1);
        REQUIRE_FALSE(completed);
        CHECK_MESSAGE(completed.error().message.find(stopped) != std::string::npos, completed.error().message);
        auto witnessed = witness_handover(d.admin2, 1);
        REQUIRE_FALSE(witnessed);
        CHECK_MESSAGE(witnessed.error().message.find(stopped) != std::string::npos, witnessed.error().message);
    }
    // Nothing changed hands; a new handover lists all three and goes through.
    CHECK_FALSE(reveal_secret(d.operator2, d.account, "belum", SecretPart::password));
    REQUIRE(cancel_handover(d.admin, 1, "akun baru ditambahkan"));
    HandoverInfo again = must(start_handover(d.admin, to_operator2()));
    CHECK(again.accounts.size() == 3);
    REQUIRE(accept_handover(d.operator2, again.id));
    REQUIRE(release_handover(d.operator1, again.id));
    CHECK(must(complete_handover(d.admin, again.id)).state == policy::HandoverState::completed);
    CHECK(text_of(must(reveal_secret(d.operator2, third, "serah terima", SecretPart::password)).payload.password) == "rahasia-ketiga");
    CHECK(must(find_account(d.admin, std::to_string(third))).rotation_due);
    check_verifies(d.admin);
}

TEST_CASE("a handover's fingerprints identify each version without revealing it") {
    Handing d;
    HandoverInfo h = must(start_handover(d.admin, to_operator2()));
    REQUIRE(h.accounts.size() == 2);
    CHECK(h.accounts[0].fingerprint != h.accounts[1].fingerprint);
    // The same list always encodes the same way, and a malformed one is refused.
    std::vector<HandedOverVersion> list{{h.accounts[0].id, 1, h.accounts[0].fingerprint}, {h.accounts[1].id, 1, h.accounts[1].fingerprint}};
    Bytes encoded = encode_handed_over(list);
    CHECK(encoded.size() == 4 + 2 * (8 + 8 + 32));
    CHECK(decode_handed_over(encoded) == list);
    Bytes truncated(encoded.begin(), encoded.end() - 1);
    CHECK_FALSE(decode_handed_over(truncated));
    std::swap(list[0], list[1]);
    CHECK_FALSE(decode_handed_over(encode_handed_over(list))); // not in ascending order
    CHECK(handover_verification_code(Hash{0x3f, 0x9a, 0xc2, 0x1d}) == "3F9A-C21D");
}

namespace {

// The parties' full names, NIPs and positions, as an admin records them (user.add or user.edit).
bool user_records(Handing& d) {
    PersonRecord siti{"Siti Rahmawati, S.H.", "19850312 201001 2 002", "Ketua Panwaslu Kecamatan Babadan"};
    PersonRecord budi{"Budi Santoso", "-", "Anggota Panwaslu Kecamatan Babadan"};
    return edit_user(d.admin, "operator1", siti) && edit_user(d.admin, "operator2", budi);
}

} // namespace

TEST_CASE("the outgoing custodian releases the handover: without it, it completes only where the policy allows, and the minutes say so") {
    Handing d;
    REQUIRE(user_records(d));
    REQUIRE(start_handover(d.admin, to_operator2()));
    REQUIRE(accept_handover(d.operator2, 1));
    SUBCASE("required by default") {
        auto early = complete_handover(d.admin, 1);
        REQUIRE_FALSE(early);
        CHECK(early.error().message ==
              "the outgoing custodian(s) 'operator1' have not released the handover; the policy requires it ([handover] release_required)");
        auto by_receiver = release_handover(d.operator2, 1);
        REQUIRE_FALSE(by_receiver);
        CHECK(by_receiver.error().message == "only an outgoing custodian ('operator1') may release this handover");
        d.clock.advance_seconds(60);
        HandoverInfo released = must(release_handover(d.operator1, 1));
        REQUIRE(released.releases.size() == 1);
        CHECK(released.releases[0].by == "operator1");
        CHECK(released.unreleased().empty());
        CHECK(release_handover(d.operator1, 1).error().message == "'operator1' released this handover already");
        HandoverInfo done = must(complete_handover(d.admin, 1));
        std::string md = render_minutes(done, MinutesFormat::markdown);
        CAPTURE(md);
        CHECK(md.find("| Pihak Pertama (yang menyerahkan) | Siti Rahmawati, S.H. | 19850312 201001 2 002 | Ketua Panwaslu Kecamatan "
                      "Babadan | `operator1` |") != std::string::npos);
        CHECK(md.find("| Pihak Kedua (yang menerima) | Budi Santoso | - | Anggota Panwaslu Kecamatan Babadan | `operator2` |") != std::string::npos);
        CHECK(md.find("Pihak Pertama, Siti Rahmawati, S.H. (operator1), telah melepaskan akun-akun di atas") != std::string::npos);
        CHECK(md.find("TANPA pelepasan") == std::string::npos);
        CHECK(md.find("NIP. 19850312 201001 2 002") != std::string::npos);
    }
    SUBCASE("a district whose custodian is gone completes without it") {
        REQUIRE(set_policy(d.admin, "[handover]\nrelease_required = false\n"));
        HandoverInfo done = must(complete_handover(d.admin, 1));
        CHECK(done.unreleased() == std::vector<std::string>{"operator1"});
        for (auto format : {MinutesFormat::markdown, MinutesFormat::html}) {
            std::string minutes = render_minutes(done, format);
            CAPTURE(minutes);
            CHECK(minutes.find("Serah terima ini diselesaikan TANPA pelepasan oleh Pihak Pertama, Siti Rahmawati, S.H. (operator1)") !=
                  std::string::npos);
            CHECK(minutes.find("telah melepaskan") == std::string::npos);
        }
    }
    check_verifies(d.admin);
}

TEST_CASE("the characters that show as nothing but change how text reads are found, each of them, and nothing else") {
    const std::pair<const char*, const char*> marks[] = {
        {"\u061c", "U+061C"}, {"\u200b", "U+200B"}, {"\u200c", "U+200C"}, {"\u200d", "U+200D"}, {"\u200e", "U+200E"},
        {"\u200f", "U+200F"}, {"\u202a", "U+202A"}, {"\u202b", "U+202B"}, {"\u202c", "U+202C"}, {"\u202d", "U+202D"},
        {"\u202e", "U+202E"}, {"\u2060", "U+2060"}, {"\u2066", "U+2066"}, {"\u2067", "U+2067"}, {"\u2068", "U+2068"},
        {"\u2069", "U+2069"}, {"\ufeff", "U+FEFF"},
        // The rest of Default_Ignorable_Code_Point: each range's ends.
        {"\u00ad", "U+00AD"}, {"\u034f", "U+034F"}, {"\u115f", "U+115F"}, {"\u1160", "U+1160"}, {"\u17b4", "U+17B4"},
        {"\u17b5", "U+17B5"}, {"\u180b", "U+180B"}, {"\u180f", "U+180F"}, {"\u2061", "U+2061"}, {"\u2064", "U+2064"},
        {"\u206a", "U+206A"}, {"\u206f", "U+206F"}, {"\u3164", "U+3164"}, {"\ufe00", "U+FE00"}, {"\ufe0f", "U+FE0F"},
        {"\uffa0", "U+FFA0"}, {"\ufff0", "U+FFF0"}, {"\ufff8", "U+FFF8"}, {"\U0001bca0", "U+1BCA0"}, {"\U0001bca3", "U+1BCA3"},
        {"\U0001d173", "U+1D173"}, {"\U0001d17a", "U+1D17A"}, {"\U000e0000", "U+E0000"}, {"\U000e0001", "U+E0001"},
        {"\U000e0100", "U+E0100"}, {"\U000e0fff", "U+E0FFF"},
    };
    for (const auto& [mark, name] : marks) {
        CAPTURE(name);
        CHECK(hidden_mark_in(std::string("Ponorogo") + mark) == name);
        CHECK(hidden_mark_in(mark + std::string("Ponorogo")) == name);
    }
    // The first one is named.
    CHECK(hidden_mark_in("a\u2066b\u202ec") == "U+2066");
    // Their neighbours in the same blocks, and what names are written with, are not among them.
    for (std::string_view plain : std::initializer_list<std::string_view>{"Ponorogo", "", "Ngébel – Kulon “Lama”", "\u2010\u2011\u2028\u2030\u205f\u2070\u00a0",
                              "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\ufefe\uff01", "\u00ac\u00ae\u034e\u0350\u115e\u1161",
                              "\u17b3\u17b6\u180a\u1810\u3163\u3165\ufdff\ufe10\uff9f\uffa1\ufff9\ufffd",
                              "\U0001bc9f\U0001bca4\U0001d172\U0001d17b\U000dffff\U000e1000\U0001f600",
                              std::string_view("\xad\xe2\x80", 3)})
        CHECK(hidden_mark_in(plain) == std::nullopt);
}

TEST_CASE("text of nothing but the spaces of any script and characters that print as nothing is blank") {
    for (std::string_view blank : std::initializer_list<std::string_view>{"", " ", " \t\r\n", "\u00a0", "\u3000\u3000", "\u2002\u2009\u202f\u205f",
                                                                            "\u1680\u2028\u2029\u0085", "\u200b\u00a0\ufeff", "\u00ad"}) {
        CAPTURE(blank);
        CHECK(is_blank(blank));
    }
    for (std::string_view said : std::initializer_list<std::string_view>{"rapat", " a ", "\u00a0.\u00a0", "\u3000\u65e5", "-",
                                                                           std::string_view("\xa0", 1), std::string_view(" \xe2\x80", 3)}) {
        CAPTURE(said);
        CHECK_FALSE(is_blank(said));
    }
}

TEST_CASE("a name or a note the minutes print may not hold a character that makes it read as other text, and a log that holds one still replays") {
    Handing d;
    const std::string reads_as_other = ", an invisible character that can make it read as other text";
    // After U+202E (right-to-left override) the rest prints backwards: "J<U+202E>tise" reads "Jesit".
    auto unit = add_unit(d.admin, "35.02.03", "J\u202etise");
    REQUIRE_FALSE(unit);
    CHECK(unit.error().code == ErrorCode::usage);
    CHECK(unit.error().message == "the sub-district name holds U+202E" + reads_as_other);
    CHECK(unit.error().hint == "type it again by hand: such characters come with text copied from elsewhere");
    auto added = add_user(d.admin, "operator3", policy::Role::custodian, {"35.02.01"}, kdf_limits(KdfProfile::test),
                          PersonRecord{"Siti\u200bRahmawati", std::nullopt, std::nullopt});
    REQUIRE_FALSE(added);
    CHECK(added.error().message == "the full name holds U+200B" + reads_as_other);
    auto edited = edit_user(d.admin, "operator1", PersonRecord{std::nullopt, std::nullopt, "Ketua Panwaslu \u2066Kecamatan"});
    REQUIRE_FALSE(edited);
    CHECK(edited.error().message == "the position holds U+2066" + reads_as_other);
    HandoverRequest rq = to_operator2();
    rq.note = "Pergantian operator\ufeff";
    auto started = start_handover(d.admin, rq);
    REQUIRE_FALSE(started);
    CHECK(started.error().message == "the handover's note holds U+FEFF" + reads_as_other);
    TempDir elsewhere;
    CreateOptions options = test_options();
    options.institution = "Bawaslu Kabupaten\u200f Ponorogo";
    auto created = Vault::create(elsewhere / "v", options, test_passphrase, d.clock);
    REQUIRE_FALSE(created);
    CHECK(created.error().message == "the institution name holds U+200F" + reads_as_other);
    CHECK_FALSE(std::filesystem::exists(elsewhere / "v"));
    // The rest of what offices write in names stays a name: letters with marks, dashes, quotes.
    REQUIRE(add_unit(d.admin, "35.02.03", "Ngébel – Kulon “Lama”"));
    REQUIRE(start_handover(d.admin, to_operator2()));

    // A log an older build wrote may hold one: the replay applies it, and it verifies.
    REQUIRE(VaultTestAccess::record(d.admin, UserEdited{"operator1", PersonRecord{"Siti\u202eRahmawati", std::nullopt, std::nullopt}}.encode()));
    check_verifies(d.admin);
}
