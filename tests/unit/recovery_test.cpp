// Threshold recovery: the shares (split, combine, their text and its checks) and the recovery
// principal (split, reset-passphrase, enroll-admin, a new split).
#include "support/district.hpp"
#include "support/file_mode.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/log/event.hpp"
#include "vault/projection.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/slot_integrity.hpp"

#include <fstream>

using namespace brankas;
using namespace brankas::test;

namespace {

const VaultId vault_a{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const SplitId split_a{0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8};

SecretBytes test_key() {
    SecretBytes k(recovery_key_size);
    for (std::size_t i = 0; i < k.size(); ++i) k.data()[i] = static_cast<std::uint8_t>(0x40 + i);
    return k;
}

std::vector<RecoveryShare> pick(const std::vector<RecoveryShare>& all, std::initializer_list<int> holders) {
    std::vector<RecoveryShare> out;
    for (int h : holders) {
        const RecoveryShare& s = all[static_cast<std::size_t>(h - 1)];
        out.push_back(RecoveryShare{s.vault_id, s.split_id, s.threshold, s.shares, s.holder, SecretBytes::copy_of(s.y.view())});
    }
    return out;
}

std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<RecoveryShare> read_shares(const std::filesystem::path& dir, int total, std::initializer_list<int> holders) {
    std::vector<RecoveryShare> out;
    for (int h : holders) {
        auto p = dir / ("share-" + std::to_string(h) + "-of-" + std::to_string(total) + ".txt");
        auto s = parse_share_text(file_text(p), p.string());
        REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
        out.push_back(std::move(*s));
    }
    return out;
}

RecoveryRequest reset(std::string name) { return {RecoveryAction::reset_passphrase, std::move(name), kdf_limits(KdfProfile::test)}; }
RecoveryRequest enroll(std::string name) { return {RecoveryAction::enroll_admin, std::move(name), kdf_limits(KdfProfile::test)}; }

std::int64_t count_of(Session& v, const char* sql) {
    auto n = store_of(v).query_int(sql);
    REQUIRE(n);
    return *n;
}

// Replaces the symbol at `pos` of the text's line `line` (its numbered share lines only).
std::string with_symbol(std::string text, int line, std::size_t pos, char c) {
    std::size_t at = text.find("\n" + std::to_string(line) + ": ");
    REQUIRE(at != std::string::npos);
    at += 4;
    std::size_t seen = 0;
    for (; at < text.size(); ++at) {
        if (text[at] == ' ') continue;
        if (seen++ == pos) break;
    }
    text[at] = c;
    return text;
}

} // namespace

TEST_CASE("any 3 of 5 shares give the key back, in any order") {
    SecretBytes key = test_key();
    auto shares = split_recovery_key(key, vault_a, split_a, 3, 5);
    REQUIRE(shares);
    REQUIRE(shares->size() == 5);
    for (auto holders : {std::initializer_list<int>{1, 2, 3}, {5, 3, 1}, {2, 4, 5}, {4, 1, 3, 5}}) {
        auto combined = combine_recovery_shares(pick(*shares, holders), vault_a);
        REQUIRE(combined);
        CHECK(combined->equals(key.view()));
    }
    // No share is the key, and two shares are refused before anything is combined.
    for (const auto& s : *shares) CHECK_FALSE(s.y.equals(key.view()));
    auto two = combine_recovery_shares(pick(*shares, {1, 4}), vault_a);
    REQUIRE_FALSE(two);
    CHECK(two.error().message == "3 shares are needed and 2 were given");
    auto twice = combine_recovery_shares(pick(*shares, {1, 4, 1}), vault_a);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message == "shares 1 and 3 are the same holder's (holder 1)");
}

TEST_CASE("a split refuses impossible thresholds") {
    SecretBytes key = test_key();
    CHECK_FALSE(split_recovery_key(key, vault_a, split_a, 1, 5));
    CHECK_FALSE(split_recovery_key(key, vault_a, split_a, 6, 5));
    CHECK_FALSE(split_recovery_key(key, vault_a, split_a, 2, max_recovery_shares + 1));
    CHECK(split_recovery_key(key, vault_a, split_a, 2, 2));
}

TEST_CASE("a share's text reads back as the same share") {
    auto shares = split_recovery_key(test_key(), vault_a, split_a, 3, 5);
    REQUIRE(shares);
    const RecoveryShare& s = (*shares)[3];
    SecretBytes text = share_text(s, "Bawaslu Kabupaten Ponorogo");
    std::string t(text.text());
    CHECK(t.find("BRANKAS RECOVERY SHARE 4 of 5 (any 3 of them recover the vault)") != std::string::npos);
    CHECK(t.find("Vault id: 0102030405060708090a0b0c0d0e0f10") != std::string::npos);
    auto back = parse_share_text(t, "share file s4.txt");
    REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
    CHECK(back->vault_id == vault_a);
    CHECK(back->split_id == split_a);
    CHECK(back->holder == 4);
    CHECK(back->threshold == 3);
    CHECK(back->shares == 5);
    CHECK(back->y.equals(s.y.view()));

    SUBCASE("lower case and the usual misreadings are forgiven") {
        std::string lower = t;
        for (char& c : lower)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        auto again = parse_share_text(lower, "typed");
        REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
        CHECK(again->y.equals(s.y.view()));
    }
    SUBCASE("a mistyped symbol is caught with its line, before anything is combined") {
        std::size_t line3 = t.find("\n3: ") + 4;
        const std::string line = t.substr(line3 - 3, t.find('\n', line3) - line3 + 3);
        // A symbol whose change the line's check symbol catches (31 in 32 do).
        char wrong = 0;
        for (char c : std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ")) {
            std::string changed = line;
            changed[3] = c;
            if (c != line[3] && check_share_line(changed, 3)) {
                wrong = c;
                break;
            }
        }
        REQUIRE(wrong != 0);
        auto typo = parse_share_text(with_symbol(t, 3, 0, wrong), "share file s4.txt");
        REQUIRE_FALSE(typo);
        CHECK(typo.error().message ==
              "share file s4.txt: line 3 of the share is wrong: its check symbol does not match: a symbol is mistyped");
        CHECK(check_share_line(line, 3) == std::nullopt);
        CHECK(check_share_line(line, 2)->english() == "it is numbered 3, not 2");
    }
    SUBCASE("a line left out, or a text that is no share, is named") {
        std::size_t line6 = t.find("\n6: ");
        std::string five = t.substr(0, line6) + t.substr(t.find('\n', line6 + 1));
        auto short_share = parse_share_text(five, "s4.txt");
        REQUIRE_FALSE(short_share);
        CHECK(short_share.error().message == "s4.txt has 5 share lines; a share has 6");
        auto none = parse_share_text("hello\nworld\n", "notes.txt");
        REQUIRE_FALSE(none);
        CHECK(none.error().message == "notes.txt is not a Brankas recovery share (it has no numbered share lines)");
    }
    SUBCASE("a typo that slips past its line check is caught by the share's checksum") {
        // Find a change to line 2 whose own check symbol still matches (one in 32 do), as a
        // second typo in the check symbol could make it: the share's checksum stops it.
        std::size_t line2 = t.find("\n2: ") + 1;
        std::size_t end = t.find('\n', line2);
        std::string line = t.substr(line2, end - line2);
        bool found = false;
        for (char c : std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ")) {
            for (char check : std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ")) {
                std::string changed = line;
                if (changed[3] == c) continue;
                changed[3] = c;
                changed.back() = check;
                if (check_share_line(changed, 2)) continue;
                auto bad = parse_share_text(t.substr(0, line2) + changed + t.substr(end), "s4.txt");
                REQUIRE_FALSE(bad);
                CHECK(bad.error().message == "s4.txt: the share's checksum does not match: a line is mistyped");
                found = true;
                break;
            }
            if (found) break;
        }
        CHECK(found);
    }
}

TEST_CASE("recovery split writes private share files and 3 of 5 reset a forgotten admin passphrase") {
    District d;
    const auto dir = d.dir / "shares";
    auto split = split_recovery(d.admin, 5, 3, dir);
    REQUIRE_MESSAGE(split, (split ? "" : split.error().message));
    CHECK_FALSE(split->replaced);
    REQUIRE(split->files.size() == 5);
    for (const auto& f : split->files) CHECK(mode_of(f) == 0600);
    // The recovery principal holds every key of the unit: current and standby.
    CHECK(count_of(d.admin, "SELECT count(*) FROM unit_keys WHERE principal = 'recovery'") ==
          count_of(d.admin, "SELECT count(*) FROM unit_public_keys"));
    // Its slot opens only with the shares, never as a user.
    auto as_user = Vault::open(d.dir / "v", "recovery", passphrase_of(test_passphrase), d.clock);
    REQUIRE_FALSE(as_user);
    CHECK(as_user.error().message == "'recovery' is the recovery principal: only a quorum of its shares unlocks it");
    auto with_key = Vault::open_with_key_file(d.dir / "v", "recovery", passphrase_of("0123456789abcdef0123456789abcdef"), d.clock);
    REQUIRE_FALSE(with_key);
    CHECK(with_key.error().code == ErrorCode::usage);

    SUBCASE("two shares are not enough") {
        auto two = recover(d.dir / "v", read_shares(dir, 5, {2, 4}), reset("admin"), d.clock);
        REQUIRE_FALSE(two);
        CHECK(two.error().message == "3 shares are needed and 2 were given");
    }
    SUBCASE("a share of another vault is refused before combining") {
        District other;
        REQUIRE(split_recovery(other.admin, 3, 2, other.dir / "shares"));
        auto mixed = read_shares(dir, 5, {1, 2});
        mixed.push_back(std::move(read_shares(other.dir / "shares", 3, {1})[0]));
        auto refused = recover(d.dir / "v", mixed, reset("admin"), d.clock);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.starts_with("share 3 belongs to another vault (id "));
    }
    SUBCASE("a reset gives a code that enrolls, and the audit log shows it") {
        d.clock.advance_seconds(60);
        auto code = recover(d.dir / "v", read_shares(dir, 5, {1, 3, 5}), reset("admin"), d.clock);
        REQUIRE_MESSAGE(code, (code ? "" : code.error().message));
        // The forgotten passphrase opens nothing now.
        auto old = Vault::open(d.dir / "v", "admin", passphrase_of(test_passphrase), d.clock);
        REQUIRE_FALSE(old);
        CHECK(old.error().message == "user 'admin' has not enrolled yet");
        d.clock.advance_seconds(60);
        auto admin = Vault::enroll(d.dir / "v", "admin", code->code.text(), passphrase_of(person_passphrase),
                                   kdf_limits(KdfProfile::test), d.clock);
        REQUIRE_MESSAGE(admin, (admin ? "" : admin.error().message));
        auto secret = reveal_secret(*admin, d.account, "after recovery", SecretPart::password);
        REQUIRE_MESSAGE(secret, (secret ? "" : secret.error().message));
        CHECK(text_of(secret->payload.password) == "rahasia-pertama");
        bool logged = false;
        REQUIRE(for_each_event(*admin, [&](const EventSummary& e) {
            if (e.action == "recovery.reset" && e.actor == "recovery" && e.target == "admin") logged = true;
            return true;
        }));
        CHECK(logged);
        auto report = verify(*admin, std::nullopt);
        REQUIRE(report);
        CHECK(report->ok);
        auto status = vault_status(*admin);
        REQUIRE(status);
        REQUIRE(status->recovery);
        CHECK(status->recovery->shares == 5);
        CHECK(status->recovery->threshold == 3);
        REQUIRE(status->last_recovery_action);
        CHECK(status->last_recovery_action->action == "recovery.reset");
        CHECK(status->last_recovery_action->target == "admin");
    }
    SUBCASE("enroll-admin adds an admin who holds every unit key") {
        auto code = recover(d.dir / "v", read_shares(dir, 5, {2, 3, 4}), enroll("komisioner"), d.clock);
        REQUIRE_MESSAGE(code, (code ? "" : code.error().message));
        d.clock.advance_seconds(1);
        auto added = Vault::enroll(d.dir / "v", "komisioner", code->code.text(), passphrase_of(person_passphrase),
                                   kdf_limits(KdfProfile::test), d.clock);
        REQUIRE_MESSAGE(added, (added ? "" : added.error().message));
        CHECK(added->role() == policy::Role::admin);
        CHECK(text_of(reveal_secret(*added, d.account, "check", SecretPart::password)->payload.password) == "rahasia-pertama");
        CHECK(verify(*added, std::nullopt)->ok);
        auto again = recover(d.dir / "v", read_shares(dir, 5, {2, 3, 4}), enroll("komisioner"), d.clock);
        REQUIRE_FALSE(again);
        CHECK(again.error().message == "user 'komisioner' already exists");
    }
    SUBCASE("the shares reset admins only") {
        { Session p = d.person("operator1", policy::Role::custodian, {"35.02.01"}); }
        auto custodian = recover(d.dir / "v", read_shares(dir, 5, {1, 2, 3}), reset("operator1"), d.clock);
        REQUIRE_FALSE(custodian);
        CHECK(custodian.error().message == "'operator1' has the role custodian; the recovery shares reset admins only");
    }
}

TEST_CASE("units added after the split reach the recovery principal, standby key included") {
    District d;
    REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "shares"));
    REQUIRE(add_unit(d.admin, "35.02.02", "Jenangan"));
    CHECK(count_of(d.admin, "SELECT count(*) FROM unit_keys WHERE principal = 'recovery' AND unit = '35.02.02'") == 2);
    // A standby held by the recovery principal is still one only admins held: a revocation uses it.
    { Session p = d.person("operator1", policy::Role::custodian, {"35.02.02"}); }
    const auto standby = count_of(d.admin, "SELECT max(key_version) FROM unit_public_keys WHERE unit = '35.02.02'");
    REQUIRE(revoke(d.admin, "operator1", "35.02.02"));
    CHECK(count_of(d.admin, "SELECT key_version FROM units WHERE code = '35.02.02'") == standby);
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("status names an edited recovery split as a store to verify, not as a bare decoding error") {
    District d;
    REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "shares"));
    auto before = vault_status(d.admin);
    REQUIRE_MESSAGE(before, (before ? "" : before.error().message));
    REQUIRE(before->recovery);
    CHECK(before->recovery->shares == 3);
    CHECK(before->recovery->threshold == 2);
    Statement row = *store_of(d.admin).prepare("SELECT seq, body FROM events WHERE action = 'recovery.split'");
    REQUIRE(*row.step());
    const std::int64_t seq = row.column_int(0);
    Event split = *decode_event(row.column_blob(1));
    row.reset();
    auto rewrite = [&](const Bytes& body) {
        Statement put = *store_of(d.admin).prepare("UPDATE events SET body = ? WHERE seq = ?");
        REQUIRE(put.bind(1, body).bind(2, seq).run());
    };
    SUBCASE("a field of the split that does not decode") {
        // The row keeps its columns; the split's id is cut to three bytes.
        REQUIRE(split.details.get_bytes("split_id"));
        split.details.bytes("split_id", Bytes{1, 2, 3});
        rewrite(*encode_event(split));
        auto status = vault_status(d.admin);
        REQUIRE_FALSE(status);
        CHECK(status.error().code == ErrorCode::store_corrupt);
        CHECK(status.error().message.starts_with("event " + std::to_string(seq) + " (recovery.split) "));
        CHECK(status.error().hint == "run `brankas audit verify`");
    }
    SUBCASE("a body that does not decode at all") {
        rewrite(Bytes{1, 2, 3});
        auto status = vault_status(d.admin);
        REQUIRE_FALSE(status);
        CHECK(status.error().code == ErrorCode::store_corrupt);
        CHECK(status.error().message.starts_with("event " + std::to_string(seq) + " does not decode: "));
        CHECK(status.error().hint == "run `brankas audit verify`");
    }
}

TEST_CASE("a new split makes the old shares fail and moves every unit to a fresh key") {
    District d;
    REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "old"));
    const auto before = count_of(d.admin, "SELECT key_version FROM units WHERE code = '35.02.01'");
    auto again = split_recovery(d.admin, 3, 2, d.dir / "new");
    REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
    CHECK(again->replaced);
    CHECK(again->rotated_units == std::vector<std::string>{"35.02.01"});
    CHECK(count_of(d.admin, "SELECT key_version FROM units WHERE code = '35.02.01'") > before);

    auto old = recover(d.dir / "v", read_shares(d.dir / "old", 3, {1, 2}), reset("admin"), d.clock);
    REQUIRE_FALSE(old);
    CHECK(old.error().code == ErrorCode::wrong_passphrase);
    CHECK(old.error().message == "the shares agree with each other but do not open this vault's recovery slot: they come "
                                 "from a split that was replaced, or the slot is damaged");
    auto mixed = read_shares(d.dir / "old", 3, {1});
    mixed.push_back(std::move(read_shares(d.dir / "new", 3, {2})[0]));
    auto refused = recover(d.dir / "v", mixed, reset("admin"), d.clock);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.starts_with("shares 1 and 2 come from different splits"));

    CHECK(recover(d.dir / "v", read_shares(d.dir / "new", 3, {3, 1}), reset("admin"), d.clock));
    // A replayed log agrees with the store.
    CHECK(verify(d.admin, std::nullopt)->ok);
}

TEST_CASE("recovery split writes no share over an existing file and changes nothing then") {
    District d;
    std::filesystem::create_directories(d.dir / "shares");
    { std::ofstream(d.dir / "shares" / "share-2-of-3.txt") << "keep me\n"; }
    auto refused = split_recovery(d.admin, 3, 2, d.dir / "shares");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("a share file is never written over another file") != std::string::npos);
    CHECK(file_text(d.dir / "shares" / "share-2-of-3.txt") == "keep me\n");
    CHECK_FALSE(std::filesystem::exists(d.dir / "shares" / "share-1-of-3.txt"));
    CHECK(count_of(d.admin, "SELECT count(*) FROM principals WHERE name = 'recovery'") == 0);
    CHECK_FALSE(add_user(d.admin, "recovery", policy::Role::auditor, {}, kdf_limits(KdfProfile::test)));
}

TEST_CASE("a damaged recovery slot is named as a possibility, not blamed on a good share") {
    District d;
    REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "shares"));
    auto k = Keyring::load(d.dir / "v" / "keyring");
    REQUIRE(k);
    Slot damaged = *k->find("recovery");
    damaged.ciphertext[17] ^= 0x40;
    k->put(damaged);
    REQUIRE(k->save(d.dir / "v" / "keyring"));

    auto recovered = recover(d.dir / "v", read_shares(d.dir / "shares", 3, {1, 3}), reset("admin"), d.clock);
    REQUIRE_FALSE(recovered);
    CHECK(recovered.error().code == ErrorCode::wrong_passphrase);
    CHECK(recovered.error().message == "the shares agree with each other but do not open this vault's recovery slot: they "
                                       "come from a split that was replaced, or the slot is damaged");
    // Any user finds it before the quorum meets.
    auto checks = check_slots(d.admin);
    REQUIRE(checks);
    auto recovery = std::find_if(checks->begin(), checks->end(), [](const SlotCheck& c) { return c.principal == "recovery"; });
    REQUIRE(recovery != checks->end());
    CHECK(recovery->state == SlotState::damaged);
}
