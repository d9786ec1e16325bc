// Terms, check-outs, two-step rotation and end-of-term enforcement, through the vault API with
// a fixed clock. Each case ends with a full `audit verify`, whose replay re-decides every event.
#include "support/district.hpp"

#include "policy/document.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/event.hpp"
#include "vault/log/event_log.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/store/database.hpp"
#include "vault/terms/term_events.hpp"
#include "vault/units/units.hpp"

#include <doctest/doctest.h>


using namespace brankas;
using namespace brankas::test;

namespace {

constexpr std::int64_t after_grace_us = term_end_us + 8 * policy::day_us; // the default grace is 7 days

CheckoutRequest for_reason(std::string reason, std::optional<std::int64_t> duration = std::nullopt) {
    return CheckoutRequest{std::move(reason), duration, false};
}

std::uint64_t event_count(Session& v) { return vault_status(v)->events; }

} // namespace

TEST_CASE("a check-out is exclusive: a second admin is denied, named the holder and the time") {
    District d;
    Session admin2 = d.person("admin2", policy::Role::admin);
    auto out = checkout(d.admin, d.account, for_reason("unggah hasil pengawasan"));
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    CHECK(text_of(out->payload.password) == "rahasia-pertama");
    CHECK(out->until_us == d.clock.now_us() + 2 * policy::hour_us);
    CHECK_FALSE(out->break_glass);

    auto second = checkout(admin2, d.account, for_reason("cek pesan masuk"));
    REQUIRE_FALSE(second);
    CHECK(second.error().code == ErrorCode::denied);
    CHECK(second.error().message.find("checked out by admin") != std::string::npos);
    CHECK(second.error().message.find("WIB") != std::string::npos);

    // After its end the hold is no hold: the next check-out takes over and the old one expires.
    d.clock.set(out->until_us + 1);
    REQUIRE(checkout(admin2, d.account, for_reason("cek pesan masuk")));
    auto list = list_checkouts(d.admin, WhichCheckouts::all);
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].ended == CheckoutEnding::expired);
    CHECK((*list)[1].holder == "admin2");
    check_verifies(d.admin);
}

TEST_CASE("a check-out needs a reason and stays within the maximum duration") {
    District d;
    auto no_reason = checkout(d.admin, d.account, for_reason(""));
    REQUIRE_FALSE(no_reason);
    CHECK(no_reason.error().code == ErrorCode::denied);
    auto too_long = checkout(d.admin, d.account, for_reason("rapat", 9 * policy::hour_us));
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().message.find("8h") != std::string::npos);
    // Both refusals are in the log.
    std::size_t denials = 0;
    REQUIRE(for_each_event(d.admin, [&](const EventSummary& e) {
        denials += e.action == "access.denied";
        return true;
    }));
    CHECK(denials == 2);
    check_verifies(d.admin);
}

TEST_CASE("check-in returns the account and the policy makes its password due for a change") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    REQUIRE(checkout(op, d.account, for_reason("unggah")));
    auto in = checkin(op, d.account);
    REQUIRE_MESSAGE(in, (in ? "" : in.error().message));
    CHECK(in->holder == "operator1");
    CHECK(in->rotation_due);
    CHECK(find_account(d.admin, "instagram/panwascam.ponorogo")->rotation_due);
    // Nothing to return twice.
    auto again = checkin(op, d.account);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::conflict);
    check_verifies(d.admin);
}

TEST_CASE("only the holder (or an admin) checks an account in") {
    District d;
    Session op1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    Session op2 = d.person("operator2", policy::Role::custodian, {"35.02.01"});
    REQUIRE(checkout(op1, d.account, for_reason("unggah")));
    auto other = checkin(op2, d.account);
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::denied);
    auto by_admin = checkin(d.admin, d.account);
    REQUIRE(by_admin);
    CHECK(by_admin->holder == "operator1");
    check_verifies(d.admin);
}

TEST_CASE("outside every term a custodian's check-out is denied and says why") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    d.clock.set(after_grace_us);
    auto out = checkout(op, d.account, for_reason("unggah"));
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::denied);
    CHECK(out.error().message.find("term") != std::string::npos);
    // Nor may they read it, or break the glass (the default policy keeps that to admins).
    CHECK_FALSE(reveal_secret(op, d.account, "lihat", SecretPart::password));
    auto glass = checkout(op, d.account, CheckoutRequest{"darurat", std::nullopt, true});
    REQUIRE_FALSE(glass);
    CHECK(glass.error().code == ErrorCode::denied);
    check_verifies(d.admin);
}

TEST_CASE("in the grace period after a term the accounts are still usable") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    d.clock.set(term_end_us + 3 * policy::day_us);
    CHECK(checkout(op, d.account, for_reason("serah terima")));
    check_verifies(d.admin);
}

TEST_CASE("break-glass: an admin takes an account outside every term, with a reason, flagged") {
    District d;
    d.clock.set(after_grace_us);
    auto no_reason = checkout(d.admin, d.account, CheckoutRequest{"", std::nullopt, true});
    REQUIRE_FALSE(no_reason);
    auto plain = checkout(d.admin, d.account, for_reason("cek"));
    REQUIRE_FALSE(plain);
    CHECK(plain.error().message.find("--break-glass") != std::string::npos);
    auto glass = checkout(d.admin, d.account, CheckoutRequest{"akun diretas, ganti sandi", std::nullopt, true});
    REQUIRE_MESSAGE(glass, (glass ? "" : glass.error().message));
    CHECK(glass->break_glass);
    CHECK(list_checkouts(d.admin, WhichCheckouts::open)->front().break_glass);
    check_verifies(d.admin);
}

TEST_CASE("two-step rotation: pending shown once, both readable until confirmed") {
    District d;
    auto p = start_rotation(d.admin, d.account, PasswordRules{24, all_char_classes}, "rotasi");
    REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
    CHECK(p->version == 2);
    CHECK(p->password.size() == 24);
    std::string pending = text_of(p->password);
    CHECK(text_of(reveal_secret(d.admin, d.account, "lihat", SecretPart::password)->payload.password) == "rahasia-pertama");
    auto again = reveal_secret(d.admin, d.account, "lihat", SecretPart::password, SecretVersionChoice::pending);
    REQUIRE(again);
    CHECK(text_of(again->payload.password) == pending);
    // A second start, or a plain `secret set`, waits for this one to be settled.
    CHECK_FALSE(start_rotation(d.admin, d.account, PasswordRules{}, "rotasi"));
    CHECK_FALSE(set_secret(d.admin, d.account, password("lain")));

    auto confirmed = confirm_rotation(d.admin, d.account);
    REQUIRE(confirmed);
    CHECK(confirmed->version == 2);
    CHECK_FALSE(confirmed->carried_over);
    CHECK(text_of(reveal_secret(d.admin, d.account, "lihat", SecretPart::password)->payload.password) == pending);
    CHECK_FALSE(pending_rotation(d.admin, d.account).value());

    REQUIRE(start_rotation(d.admin, d.account, PasswordRules{}, "rotasi"));
    REQUIRE(abort_rotation(d.admin, d.account));
    CHECK(find_account(d.admin, "1")->version == 2);
    CHECK_FALSE(abort_rotation(d.admin, d.account));
    check_verifies(d.admin);
}

TEST_CASE("a rotation pending across a unit key rotation is re-sealed with the rest") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto p = start_rotation(d.admin, d.account, PasswordRules{}, "rotasi");
    REQUIRE(p);
    std::string pending = text_of(p->password);
    REQUIRE(revoke(d.admin, "operator1", "35.02.01"));
    auto read = reveal_secret(d.admin, d.account, "lihat", SecretPart::password, SecretVersionChoice::pending);
    REQUIRE_MESSAGE(read, (read ? "" : read.error().message));
    CHECK(text_of(read->payload.password) == pending);
    check_verifies(d.admin);
}

TEST_CASE("enforce after the term and its grace: exactly the ended accounts, once, and nobody but admins can read the new password") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    auto other = add_account(d.admin, "35.02.02", {"facebook", "panwascam.babadan", "", "", ""});
    REQUIRE(other);
    REQUIRE(set_secret(d.admin, other->id, password("sandi-babadan")));
    // Babadan's court dispute: it serves a month longer.
    REQUIRE(extend_term(d.admin, term_name, term_end_us + 30 * policy::day_us, {"35.02.02"}));
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    REQUIRE(checkout(op, d.account, for_reason("unggah", 8 * policy::hour_us)));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));

    // Inside the grace period there is nothing to do.
    d.clock.set(term_end_us + policy::day_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    auto early = enforce(enforcer);
    REQUIRE(early);
    CHECK(early->plan.deactivate.empty());

    d.clock.set(after_grace_us);
    auto dry = enforcement_plan(enforcer, d.clock.now_us());
    REQUIRE(dry);
    std::uint64_t before = event_count(d.admin);
    auto report = enforce(enforcer);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->plan.deactivate == dry->deactivate);
    CHECK(report->plan.deactivate == std::vector<std::int64_t>{d.account});
    CHECK(report->plan.revoke.size() == 1);
    CHECK(report->sealed == 1);
    CHECK(report->rotated_units == 1);
    CHECK(event_count(d.admin) > before);
    // One event ends the unit and carries its account's fresh password (the check-out already
    // expired in the run inside the grace period): the pending version, sealed to the standby key
    // the unit moved to, whose row names that event.
    Statement written = *store_of(d.admin).prepare("SELECT action || ' ' || target, seq, body FROM events WHERE seq > ? ORDER BY seq");
    written.bind(1, static_cast<std::int64_t>(before));
    std::string actions;
    std::optional<UnitDeactivated> ending;
    std::int64_t ending_seq = 0;
    while (*written.step()) {
        actions += written.column_text(0) + "; ";
        ending = *UnitDeactivated::decode(*decode_event(written.column_blob(2)));
        ending_seq = written.column_int(1);
    }
    CHECK(actions == "unit.deactivate 35.02.01; ");
    REQUIRE(ending);
    REQUIRE(ending->fresh.size() == 1);
    CHECK(ending->fresh[0].account == d.account);
    CHECK(ending->fresh[0].version == 2);
    CHECK(ending->fresh[0].key_version == ending->key_version);
    Statement pending = *store_of(d.admin).prepare(
        "SELECT version || ' ' || key_version || ' ' || has_totp || ' ' || set_by || ' ' || set_seq || ' ' || sealed_seq || ' ' || "
        "break_glass || ' ' || reason, sealed FROM pending_secrets WHERE account = ?");
    pending.bind(1, d.account);
    REQUIRE(*pending.step());
    CHECK(pending.column_text(0) == "2 " + std::to_string(*ending->key_version) + " 0 enforcer " + std::to_string(ending_seq) + " " +
                                        std::to_string(ending_seq) + " 0 end of term '" + std::string(term_name) + "'");
    CHECK(pending.column_blob(1) == ending->fresh[0].sealed);

    auto ponorogo = find_account(d.admin, "1");
    CHECK(ponorogo->status == AccountStatus::deactivated);
    CHECK(ponorogo->rotation_due);
    CHECK(find_account(d.admin, std::to_string(other->id))->status == AccountStatus::active);
    CHECK(list_checkouts(d.admin, WhichCheckouts::open)->empty());
    // The custodian is out; the enforcer reads nothing; an admin reads both passwords.
    auto former = d.open_as("operator1");
    REQUIRE(former);
    CHECK_FALSE(reveal_secret(*former, d.account, "lihat", SecretPart::password));
    auto by_enforcer = reveal_secret(enforcer, d.account, "lihat", SecretPart::password, SecretVersionChoice::pending);
    REQUIRE_FALSE(by_enforcer);
    CHECK(by_enforcer.error().code == ErrorCode::denied);
    // After the term, an admin's reveal is a break-glass one, flagged.
    Session admin = open_test_vault(d.dir, d.clock);
    CHECK_FALSE(reveal_secret(admin, d.account, "arsip", SecretPart::password));
    CHECK(text_of(reveal_secret(admin, d.account, "arsip", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes)
                      ->payload.password) == "rahasia-pertama");
    auto fresh = reveal_secret(admin, d.account, "arsip", SecretPart::password, SecretVersionChoice::pending, BreakGlass::yes);
    REQUIRE_MESSAGE(fresh, (fresh ? "" : fresh.error().message));
    CHECK(fresh->payload.password.size() == 20);

    // A second run changes nothing.
    std::uint64_t after = event_count(admin);
    auto second = enforce(enforcer);
    REQUIRE(second);
    CHECK(second->plan.empty());
    CHECK(event_count(admin) == after);
    check_verifies(admin);
}

TEST_CASE("a check-out still open when its unit ends is expired right after the unit's event, once") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    // Taken an hour before the grace period ends, for eight hours: open, and not yet due, when
    // the enforcer ends the unit an hour after it.
    d.clock.set(term_end_us + 7 * policy::day_us - policy::hour_us);
    REQUIRE(checkout(op, d.account, for_reason("serah terima", 8 * policy::hour_us)));
    d.clock.set(term_end_us + 7 * policy::day_us + policy::hour_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    const std::uint64_t before = event_count(d.admin);
    auto report = enforce(enforcer);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->plan.expire.empty()); // not due: it ends because its account does
    Statement written = *store_of(d.admin).prepare("SELECT action || ' ' || target || ' ' || actor FROM events WHERE seq > ? ORDER BY seq");
    written.bind(1, static_cast<std::int64_t>(before));
    std::string actions;
    while (*written.step()) actions += written.column_text(0) + "; ";
    CHECK(actions == "unit.deactivate 35.02.01 enforcer; checkout.expire account/1 enforcer; ");
    CHECK(list_checkouts(d.admin, WhichCheckouts::open)->empty());
    // The next run finds nothing open and writes nothing.
    auto second = enforce(enforcer);
    REQUIRE(second);
    CHECK(event_count(d.admin) == before + 2);
    check_verifies(d.admin);
}

namespace {

// The enforcer's unit.deactivate of 35.02.01 at `now`, as `enforce` would write it (the District's
// unit has no custodian: no key switch), appended with the projection's checks; its refusal or
// nothing.
Status append_ending(District& d, Session& enforcer, std::vector<FreshPassword> fresh) {
    UnitDeactivated ending{"35.02.01", std::string(term_name), 1, "", std::nullopt, std::move(fresh)};
    Event e = ending.encode();
    e.actor = "enforcer";
    Transaction tx = *Transaction::begin_immediate(store_of(enforcer));
    BRANKAS_TRY(append_event(store_of(enforcer), e, signing_key_of(enforcer), d.clock.now_us(), vault_projection()));
    return {};
}

std::string refusal_of(const Status& s) { return s ? std::string("applied") : s.error().message; }

} // namespace

TEST_CASE("a unit's end carries fresh passwords only for the accounts it deactivates: the next version, sealed to its key") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    auto other = add_account(d.admin, "35.02.02", {"facebook", "panwascam.babadan", "", "", ""});
    REQUIRE(other);
    auto archived = add_account(d.admin, "35.02.01", {"tiktok", "panwascam.lama", "", "", ""});
    REQUIRE(archived);
    REQUIRE(archive_account(d.admin, archived->id));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    const std::int64_t key = current_unit_key(store_of(d.admin), "35.02.01")->version;
    const Bytes sealed(120, 7); // the replay never opens it: any sealed secret's size will do

    CHECK(refusal_of(append_ending(d, enforcer, {{other->id, 1, 1, sealed}})).find("carries a fresh password for account " +
                                                                                     std::to_string(other->id) + ", which it does not deactivate") !=
          std::string::npos);
    CHECK(refusal_of(append_ending(d, enforcer, {{archived->id, 1, key, sealed}})).find("which it does not deactivate") != std::string::npos);
    CHECK(refusal_of(append_ending(d, enforcer, {{d.account, 3, key, sealed}})).find("that is not its next version") != std::string::npos);
    CHECK(refusal_of(append_ending(d, enforcer, {{d.account, 2, key + 1, sealed}})).find("sealed to another key than the sub-district's") !=
          std::string::npos);
    CHECK(refusal_of(append_ending(d, enforcer, {{d.account, 2, key, Bytes(48, 7)}})).find("a fresh password of an unacceptable size") !=
          std::string::npos);
    // A field under the prefix that names no account, and more fresh passwords than a body may carry.
    UnitDeactivated ending{"35.02.01", std::string(term_name), 1, "", std::nullopt, {}};
    Event odd = ending.encode();
    odd.details.bytes("fresh.01", Bytes(200, 1));
    auto no_account = UnitDeactivated::decode(odd);
    REQUIRE_FALSE(no_account);
    CHECK(no_account.error().message.find("has a fresh password for no account: 'fresh.01'") != std::string::npos);
    for (std::int64_t id = 1; id <= static_cast<std::int64_t>(max_fresh_passwords) + 1; ++id) ending.fresh.push_back({id, 1, 1, sealed});
    auto too_many = UnitDeactivated::decode(ending.encode());
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().message.find("carries more fresh passwords than a body may") != std::string::npos);
    ending.fresh.pop_back();
    auto most = UnitDeactivated::decode(ending.encode());
    REQUIRE_MESSAGE(most, (most ? "" : most.error().message));
    CHECK(most->fresh == ending.fresh);

    // A rotation already pending keeps its password: no fresh one over it.
    REQUIRE(start_rotation(d.admin, d.account, PasswordRules{}, "akun diretas"));
    CHECK(refusal_of(append_ending(d, enforcer, {{d.account, 2, key, sealed}})).find("whose rotation is pending") != std::string::npos);
    check_verifies(d.admin);
}

TEST_CASE("a unit's event holds 252 fresh passwords, their fields within half a body") {
    const std::size_t field = fresh_field_bytes(12345, 120);
    CHECK(field == 1 + std::string("fresh.12345").size() + 1 + 4 + 16 + 120);
    CHECK(fresh_password_fits(0, 0, field));
    CHECK(fresh_password_fits(max_fresh_passwords - 1, 0, field));
    CHECK_FALSE(fresh_password_fits(max_fresh_passwords, 0, field));
    CHECK(fresh_password_fits(3, max_event_body / 2 - field, field));
    CHECK_FALSE(fresh_password_fits(3, max_event_body / 2 - field + 1, field));
    // The largest sealed secrets: 31 fit in half a body, and the body (with a term's longest name
    // and 200 custodians beside them) encodes.
    const std::size_t largest = fresh_field_bytes(999'999'999, max_sealed_secret);
    std::size_t fit = 0, bytes = 0;
    while (fresh_password_fits(fit, bytes, largest)) {
        bytes += largest;
        ++fit;
    }
    CHECK(fit == 31);
    UnitDeactivated ending{"35.02.01", std::string(65'535, 'x'), 0, "", std::nullopt, {}};
    for (int i = 0; i < 200; ++i) ending.custodians += (i ? ", " : "") + std::string(32, 'a');
    for (std::size_t i = 0; i < fit; ++i) ending.fresh.push_back({999'999'999 - static_cast<std::int64_t>(i), 1, 1, Bytes(max_sealed_secret, 9)});
    Event e = ending.encode();
    e.actor = "enforcer";
    auto body = encode_event(e);
    REQUIRE_MESSAGE(body, (body ? "" : body.error().message));
    CHECK(body->size() > max_event_body / 2);
}

TEST_CASE("a fresh password's row opens only with the end of term that sealed it, before and after its confirmation") {
    District d;
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    auto other = add_account(d.admin, "35.02.02", {"facebook", "panwascam.babadan", "", "", ""});
    REQUIRE(other);
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    REQUIRE(enforce(enforcer));
    Session admin = open_test_vault(d.dir, d.clock);
    Database& store = store_of(admin);
    auto pending_seq = [&](std::int64_t account) {
        Statement s = *store.prepare("SELECT sealed_seq FROM pending_secrets WHERE account = ?");
        s.bind(1, account);
        REQUIRE(*s.step());
        return s.column_int(0);
    };
    const std::int64_t ours = pending_seq(d.account), theirs = pending_seq(other->id);
    REQUIRE(ours != theirs);
    auto reveal_pending = [&]() { return reveal_secret(admin, d.account, "arsip", SecretPart::password, SecretVersionChoice::pending, BreakGlass::yes); };
    REQUIRE(reveal_pending());
    // The row pointed at the other unit's end (which seals a password, but not this account's),
    // or naming another version than the event sealed: refused before anything is opened.
    auto tamper = [&](const std::string& sql) {
        REQUIRE(store.exec(sql.c_str()));
        auto refused = reveal_pending();
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::store_corrupt);
        CHECK(refused.error().message.find("it is not what its event sealed") != std::string::npos);
    };
    tamper("UPDATE pending_secrets SET sealed_seq = " + std::to_string(theirs) + " WHERE account = " + std::to_string(d.account));
    tamper("UPDATE pending_secrets SET sealed_seq = " + std::to_string(ours) + ", version = 3 WHERE account = " + std::to_string(d.account));
    REQUIRE(store.exec(("UPDATE pending_secrets SET version = 2 WHERE account = " + std::to_string(d.account)).c_str()));
    REQUIRE(reveal_pending());
    // Confirmed, the current version keeps the end of term as the event that sealed it.
    REQUIRE(confirm_rotation(admin, d.account));
    Statement current = *store.prepare("SELECT version, sealed_seq FROM secret_versions WHERE account = ? ORDER BY version DESC LIMIT 1");
    current.bind(1, d.account);
    REQUIRE(*current.step());
    CHECK(current.column_int(0) == 2);
    CHECK(current.column_int(1) == ours);
    auto shown = reveal_secret(admin, d.account, "arsip", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes);
    REQUIRE_MESSAGE(shown, (shown ? "" : shown.error().message));
    CHECK(shown->payload.password.size() == 20);
    check_verifies(admin);
}

TEST_CASE("a unit with more fresh passwords than its event carries gets the rest as the enforcer's secret.pending") {
    District d;
    const std::size_t accounts = max_fresh_passwords + 3;
    for (std::size_t i = 1; i < accounts; ++i)
        REQUIRE(add_account(d.admin, "35.02.01", {"instagram", "panwascam.ke" + std::to_string(i), "", "", ""}));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    std::uint64_t before = event_count(d.admin);
    auto report = enforce(enforcer);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->sealed == accounts);
    Statement written = *store_of(d.admin).prepare("SELECT action, target, body FROM events WHERE seq > ? ORDER BY seq");
    written.bind(1, static_cast<std::int64_t>(before));
    REQUIRE(*written.step());
    auto ending = UnitDeactivated::decode(*decode_event(written.column_blob(2)));
    REQUIRE(ending);
    REQUIRE(ending->fresh.size() == max_fresh_passwords);
    CHECK(ending->fresh.front().account == 1);
    CHECK(ending->fresh.back().account == static_cast<std::int64_t>(max_fresh_passwords));
    std::string rest;
    while (*written.step()) rest += written.column_text(0) + " " + written.column_text(1) + "; ";
    CHECK(rest == "secret.pending account/253; secret.pending account/254; secret.pending account/255; ");
    Statement pending = *store_of(d.admin).prepare("SELECT count(*), count(DISTINCT set_seq), min(reason) = max(reason) FROM pending_secrets");
    REQUIRE(*pending.step());
    CHECK(pending.column_int(0) == static_cast<std::int64_t>(accounts));
    CHECK(pending.column_int(1) == 4);
    CHECK(pending.column_int(2) == 1);
    // Both kinds open for an admin (the sealing event of each checked first).
    Session admin = open_test_vault(d.dir, d.clock);
    for (std::int64_t id : {std::int64_t{1}, static_cast<std::int64_t>(accounts)}) {
        auto fresh = reveal_secret(admin, id, "arsip", SecretPart::password, SecretVersionChoice::pending, BreakGlass::yes);
        REQUIRE_MESSAGE(fresh, (fresh ? "" : fresh.error().message));
        CHECK(fresh->payload.password.size() == 20);
    }
    check_verifies(admin);
}

namespace {

std::vector<std::string> key_copy_holders(Session& v, std::string_view unit, std::int64_t version) {
    auto s = store_of(v).prepare("SELECT principal FROM unit_keys WHERE unit = ? AND key_version = ? ORDER BY principal");
    REQUIRE(s);
    s->bind(1, unit).bind(2, version);
    std::vector<std::string> out;
    while (*s->step()) out.push_back(s->column_text(0));
    s->reset();
    return out;
}

} // namespace

TEST_CASE("the enforcer switches a unit to the standby key only admins hold, and creates no key itself") {
    District d;
    // A new unit publishes its next key at once, sealed to the admins and to nobody else.
    CHECK(key_copy_holders(d.admin, "35.02.01", 2) == std::vector<std::string>{"admin"});
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    CHECK(key_copy_holders(d.admin, "35.02.01", 1) == std::vector<std::string>{"admin", "operator1"});
    CHECK(key_copy_holders(d.admin, "35.02.01", 2) == std::vector<std::string>{"admin"});
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");

    SUBCASE("the switch") {
        auto report = enforce(enforcer);
        REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
        CHECK(report->rotated_units == 1);
        CHECK(report->rotation_owed.empty());
        auto units = list_units(d.admin);
        REQUIRE(units);
        CHECK(units->front().key_version == 2);
        CHECK(units->front().key_holders == std::vector<std::string>{"admin"});
        // The account's row as the event that ended the unit left it: deactivated, and owing a new
        // password under the new key.
        CHECK(*store_of(d.admin).query_int("SELECT count(*) FROM accounts a JOIN events e ON e.seq = a.updated_seq WHERE a.unit = '35.02.01' "
                                           "AND a.status = 'deactivated' AND a.rotation_due = 1 AND a.updated_by = 'enforcer' "
                                           "AND e.action = 'unit.deactivate'") == 1);
        CHECK(*store_of(d.admin).query_int("SELECT count(*) FROM accounts WHERE unit = '35.02.01'") == 1);
        // Nothing the enforcer wrote carries a key: the new key is the one the admin published.
        CHECK(*store_of(d.admin).query_int("SELECT count(*) FROM unit_public_keys WHERE introduced_by = 'enforcer'") == 0);

        // An admin added after the switch receives the whole key history: the current password
        // (sealed to key 1) and the pending one (sealed to key 2) both open for them.
        Session admin2 = d.person("admin2", policy::Role::admin);
        CHECK(text_of(reveal_secret(admin2, d.account, "arsip", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes)
                          ->payload.password) == "rahasia-pertama");
        CHECK(reveal_secret(admin2, d.account, "arsip", SecretPart::password, SecretVersionChoice::pending, BreakGlass::yes));
        // The next team: a grant publishes a new standby, and revoking re-seals every version,
        // the ones under key 1 included.
        Session op2 = d.person("operator2", policy::Role::custodian);
        REQUIRE(add_term(d.admin, "Pilkada 2029", after_grace_us, after_grace_us + 200 * policy::day_us, {}));
        REQUIRE(grant(admin2, "operator2", "35.02.01"));
        CHECK(key_copy_holders(d.admin, "35.02.01", 3) == std::vector<std::string>{"admin", "admin2"});
        auto revoked = revoke(admin2, "operator2", "35.02.01");
        REQUIRE_MESSAGE(revoked, (revoked ? "" : revoked.error().message));
        CHECK(list_units(d.admin)->front().key_version == 3);
        check_verifies(d.admin);
    }
    SUBCASE("the enforcer may neither introduce a key, nor seal one, nor leave the revoked custodians the key") {
        Event rotate;
        rotate.action = "unit.rotate";
        rotate.target = "35.02.01";
        BoxKeyPair own = BoxKeyPair::generate();
        rotate.details.bytes("public_key", Bytes(own.public_key().begin(), own.public_key().end()))
            .integer("key_version", 3)
            .text("reason", "a key of its own");
        auto introduced = VaultTestAccess::record(enforcer, rotate);
        REQUIRE_FALSE(introduced);
        CHECK(introduced.error().message.find("is not allowed") != std::string::npos);

        Event seal;
        seal.action = "unit.key";
        seal.target = "35.02.01";
        seal.details.text("principal", "admin").integer("key_version", 2).bytes("sealed", Bytes(80, 1));
        auto sealed = VaultTestAccess::record(enforcer, seal);
        REQUIRE_FALSE(sealed);
        CHECK(sealed.error().message.find("only an admin") != std::string::npos);

        Event keep;
        keep.action = "unit.deactivate";
        keep.target = "35.02.01";
        keep.details.text("term", std::string(term_name)).integer("accounts", 1).text("custodians", "operator1");
        auto kept = VaultTestAccess::record(enforcer, keep);
        REQUIRE_FALSE(kept);
        CHECK(kept.error().message.find("leaves the revoked custodians the key") != std::string::npos);
        keep.details.integer("key_version", 2).text("custodians", "");
        auto hidden = VaultTestAccess::record(enforcer, keep);
        REQUIRE_FALSE(hidden);
        CHECK(hidden.error().message.find("does not name the sub-district's custodians") != std::string::npos);
        check_verifies(d.admin);
    }
}

TEST_CASE("without a standby key the enforcer still ends the grants, and status names the unit until an admin rotates") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    // A unit without a standby (as a vault from before standby keys has): taken out of the store.
    REQUIRE(store_of(d.admin).exec("DELETE FROM unit_keys WHERE key_version = 2"));
    REQUIRE(store_of(d.admin).exec("DELETE FROM unit_public_keys WHERE key_version = 2"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    auto report = enforce(enforcer);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->rotated_units == 0);
    CHECK(report->rotation_owed == std::vector<std::string>{"35.02.01"});
    auto users = list_users(d.admin);
    REQUIRE(users);
    for (const auto& u : *users)
        if (u.name == "operator1") CHECK(u.units.empty()); // the grant ended
    CHECK(*units_owing_rotation(d.admin) == std::vector<std::string>{"35.02.01"});
    CHECK_FALSE(rotate_unit(d.admin, "35.02.01", ""));
    REQUIRE(rotate_unit(d.admin, "35.02.01", "the enforcer had no standby key"));
    CHECK(units_owing_rotation(d.admin)->empty());
    CHECK(list_units(d.admin)->front().key_version == 2);
}

TEST_CASE("confirming a password-only pending version keeps the TOTP seed, recovery codes and notes of the current one") {
    District d;
    SecretInput in = password("dengan-dua-faktor");
    in.totp = TotpSeed{SecretBytes::copy_of(as_bytes(std::string_view("12345678901234567890"))), TotpAlgorithm::sha1, 6, 30};
    in.recovery_codes = SecretBytes::copy_of(as_bytes(std::string_view("1111-2222\n3333-4444")));
    REQUIRE(set_secret(d.admin, d.account, in));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    REQUIRE(enforce(enforcer)); // its fresh password carries nothing but the password
    auto pending = reveal_secret(d.admin, d.account, "serah terima", SecretPart::password, SecretVersionChoice::pending, BreakGlass::yes);
    REQUIRE(pending);
    CHECK_FALSE(pending->payload.totp);
    auto confirmed = confirm_rotation(d.admin, d.account);
    REQUIRE_MESSAGE(confirmed, (confirmed ? "" : confirmed.error().message));
    CHECK(confirmed->carried_over);
    auto now = reveal_secret(d.admin, d.account, "cek", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes);
    REQUIRE_MESSAGE(now, (now ? "" : now.error().message));
    CHECK(text_of(now->payload.password) == text_of(pending->payload.password));
    REQUIRE(now->payload.totp);
    CHECK(text_of(now->payload.totp->key) == "12345678901234567890");
    CHECK(text_of(now->payload.recovery_codes) == "1111-2222\n3333-4444");
    check_verifies(d.admin);
}

TEST_CASE("a password stored with the rest kept keeps the TOTP seed, recovery codes and notes, and one stored as given has none") {
    District d;
    SecretInput in = password("dengan-dua-faktor");
    in.totp = TotpSeed{SecretBytes::copy_of(as_bytes(std::string_view("12345678901234567890"))), TotpAlgorithm::sha1, 6, 30};
    in.recovery_codes = SecretBytes::copy_of(as_bytes(std::string_view("1111-2222\n3333-4444")));
    in.notes = SecretBytes::copy_of(as_bytes(std::string_view("nomor HP cadangan di map biru")));
    REQUIRE(set_secret(d.admin, d.account, in));

    SecretInput kept = password("sandi-baru-dari-platform");
    kept.rest = SecretRest::kept;
    auto version = set_secret(d.admin, d.account, kept);
    REQUIRE_MESSAGE(version, (version ? "" : version.error().message));
    auto now = reveal_secret(d.admin, d.account, "cek", SecretPart::password);
    REQUIRE_MESSAGE(now, (now ? "" : now.error().message));
    CHECK(now->version == *version);
    CHECK(text_of(now->payload.password) == "sandi-baru-dari-platform");
    REQUIRE(now->payload.totp);
    CHECK(text_of(now->payload.totp->key) == "12345678901234567890");
    CHECK(text_of(now->payload.recovery_codes) == "1111-2222\n3333-4444");
    CHECK(text_of(now->payload.notes) == "nomor HP cadangan di map biru");
    CHECK(secret_history(d.admin, d.account)->back().has_totp);

    // As given (`secret set` without --totp-file): the new version holds the password only.
    REQUIRE(set_secret(d.admin, d.account, password("tanpa-dua-faktor")));
    auto bare = reveal_secret(d.admin, d.account, "cek", SecretPart::password);
    REQUIRE(bare);
    CHECK_FALSE(bare->payload.totp);
    CHECK(bare->payload.notes.size() == 0);
    CHECK_FALSE(secret_history(d.admin, d.account)->back().has_totp);
    check_verifies(d.admin);
}

TEST_CASE("the deactivation checklist: steps from the policy, ticked as events, the waiting period enforced") {
    District d;
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(after_grace_us);
    REQUIRE(enforce(d.admin)); // an admin may run it by hand too
    auto list = checklist(d.admin, d.account);
    REQUIRE(list);
    REQUIRE(list->has_value());
    CHECK((*list)->steps.size() == 6);
    CHECK_FALSE((*list)->complete());
    CHECK(count_incomplete_checklists(d.admin).value() == 1);
    // What status counts and names, from the index of the steps left.
    auto refs = [&] {
        std::vector<std::string> out;
        REQUIRE(for_each_incomplete_checklist(d.admin, std::nullopt, [&](std::string_view ref) -> Status {
            out.emplace_back(ref);
            return {};
        }));
        return out;
    };
    CHECK(count_incomplete_checklists(d.admin).value() == 1);
    CHECK(refs() == std::vector<std::string>{(*list)->account.ref()});

    CHECK_FALSE(tick_checklist(d.admin, d.account, "no-such-step", ""));
    CHECK_FALSE(tick_checklist(d.admin, d.account, "waiting", "")); // the step before it is not done
    // The enforcer's new password is pending until it is on the platform and confirmed.
    auto early = tick_checklist(d.admin, d.account, "new-password", "ok");
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::conflict);
    CHECK(early.error().message.find("the new password is still pending") != std::string::npos);
    REQUIRE(confirm_rotation(d.admin, d.account));
    for (auto step : {"new-password", "recovery", "sessions", "request"}) REQUIRE(tick_checklist(d.admin, d.account, step, "ok"));
    CHECK_FALSE(tick_checklist(d.admin, d.account, "request", "twice"));
    auto waiting = tick_checklist(d.admin, d.account, "waiting", "");
    REQUIRE_FALSE(waiting);
    CHECK(waiting.error().message.find("waiting period") != std::string::npos);
    d.clock.advance_seconds(7 * 24 * 3600 + 1);
    REQUIRE(tick_checklist(d.admin, d.account, "waiting", ""));
    CHECK(count_incomplete_checklists(d.admin).value() == 1); // one step left is enough
    REQUIRE(tick_checklist(d.admin, d.account, "confirmed", "Instagram confirmed by e-mail"));
    CHECK(count_incomplete_checklists(d.admin).value() == 0);
    CHECK(refs().empty());
    CHECK(checklist(d.admin, d.account)->value().complete());
    CHECK(count_incomplete_checklists(d.admin).value() == 0);
    check_verifies(d.admin);
}

TEST_CASE("the accounts with checklist steps left are named in the order of their ids, all of them or the first few") {
    District d;
    // Ids in another order than the listings' (unit, platform, handle).
    auto second = add_account(d.admin, "35.02.01", {"youtube", "panwascam.ponorogo", "", "", ""});
    auto third = add_account(d.admin, "35.02.01", {"email", "panwascam.ponorogo", "", "", ""});
    REQUIRE(second);
    REQUIRE(third);
    REQUIRE(second->id < third->id);
    d.clock.set(after_grace_us);
    REQUIRE(enforce(d.admin));
    auto refs = [&](std::optional<std::size_t> first) {
        std::vector<std::string> out;
        REQUIRE(for_each_incomplete_checklist(d.admin, first, [&](std::string_view ref) -> Status {
            out.emplace_back(ref);
            return {};
        }));
        return out;
    };
    const std::vector<std::string> all{"instagram/panwascam.ponorogo", "youtube/panwascam.ponorogo", "email/panwascam.ponorogo"};
    CHECK(count_incomplete_checklists(d.admin).value() == 3);
    CHECK(refs(std::nullopt) == all);
    CHECK(refs(2) == std::vector<std::string>(all.begin(), all.begin() + 2));
    CHECK(refs(0).empty());
    // A step done leaves the others: each account is named once, however many steps it has left.
    REQUIRE(tick_checklist(d.admin, second->id, "recovery", "ok"));
    CHECK(refs(std::nullopt) == all);
}

TEST_CASE("a new term reactivates the accounts of its units when it starts: they serve the next cycle") {
    District d;
    d.clock.set(after_grace_us);
    REQUIRE(enforce(d.admin));
    REQUIRE(find_account(d.admin, "1")->status == AccountStatus::deactivated);
    REQUIRE(confirm_rotation(d.admin, d.account));
    REQUIRE(tick_checklist(d.admin, d.account, "new-password", "set"));

    SUBCASE("a future term: nothing changes until it starts, then the enforcer brings the accounts back") {
        auto back = add_term(d.admin, "Pemilu 2029", after_grace_us + policy::day_us, after_grace_us + 200 * policy::day_us, {"35.02.01"});
        REQUIRE(back);
        CHECK(back->empty());
        CHECK(find_account(d.admin, "1")->status == AccountStatus::deactivated);
        CHECK(checklist(d.admin, d.account)->has_value()); // still open, still listed by status
        d.clock.set(after_grace_us + 2 * policy::day_us);
        auto report = enforce(d.admin);
        REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
        REQUIRE(report->plan.reactivate.size() == 1);
        CHECK(report->plan.reactivate[0].code == "35.02.01");
        CHECK(report->plan.reactivate[0].term == "Pemilu 2029");
        CHECK(report->plan.reactivate[0].accounts == std::vector<std::int64_t>{d.account});
        CHECK(enforce(d.admin)->plan.empty()); // once
    }
    SUBCASE("a term already under way brings them back at once") {
        auto back = add_term(d.admin, "Pemilu 2029", after_grace_us - policy::day_us, after_grace_us + 200 * policy::day_us, {});
        REQUIRE(back);
        REQUIRE(back->size() == 1);
        CHECK(back->front().accounts == std::vector<std::int64_t>{d.account});
    }
    CHECK(find_account(d.admin, "1")->status == AccountStatus::active);
    CHECK_FALSE(checklist(d.admin, d.account)->has_value());
    // The closing is not silent: the event counts the checklist left unfinished.
    auto s = store_of(d.admin).prepare("SELECT body FROM events WHERE action = 'unit.reactivate'");
    REQUIRE(s);
    REQUIRE(*s->step());
    auto event = decode_event(s->column_blob(0));
    s->reset();
    REQUIRE(event);
    CHECK(event->details.get_integer("unfinished_checklists") == 1);
    CHECK(event->details.get_integer("accounts") == 1);
    check_verifies(d.admin);
}

TEST_CASE("terms: bad names, dates and units are refused, ends move only the right way") {
    District d;
    CHECK(add_term(d.admin, "", test_start_us, test_start_us + policy::day_us, {}).error().code == ErrorCode::usage);
    CHECK_FALSE(add_term(d.admin, "x", test_start_us + policy::day_us, test_start_us, {}));
    CHECK_FALSE(add_term(d.admin, "x", test_start_us - 5 * policy::day_us, test_start_us - policy::day_us, {})); // already past
    CHECK_FALSE(add_term(d.admin, "x", test_start_us, test_start_us + policy::day_us, {"99.99.99"}));
    CHECK_FALSE(add_term(d.admin, term_name, test_start_us, test_start_us + policy::day_us, {}));
    CHECK_FALSE(extend_term(d.admin, term_name, term_end_us - policy::day_us, {}));
    CHECK_FALSE(extend_term(d.admin, "no such term", term_end_us + policy::day_us, {}));
    REQUIRE(end_term(d.admin, term_name, {"35.02.01"}));
    CHECK_FALSE(end_term(d.admin, term_name, {"35.02.01"}));
    auto terms = list_terms(d.admin);
    REQUIRE(terms);
    REQUIRE(terms->size() == 1);
    REQUIRE((*terms)[0].units.size() == 1);
    CHECK((*terms)[0].units[0].end_us == d.clock.now_us());
    check_verifies(d.admin);
}

TEST_CASE("a new term's name may not hold a character that makes it read as other text, though one an older build recorded is still extended") {
    District d;
    auto added = add_term(d.admin, "Pemilu\u202e 2029", test_start_us, test_start_us + policy::day_us, {});
    REQUIRE_FALSE(added);
    CHECK(added.error().code == ErrorCode::usage);
    CHECK(added.error().message == "the term's name holds U+202E, an invisible character that can make it read as other text");
    CHECK(add_term(d.admin, "Pilkada\u00ad 2029", test_start_us, test_start_us + policy::day_us, {}).error().code == ErrorCode::usage);
    // Recorded before the rule: the replay applies it, and the term can be referred to.
    const std::string older = "Pilkada\u200b 2029";
    REQUIRE(VaultTestAccess::record(d.admin, TermAdded{older, test_start_us, test_start_us + policy::day_us, {}}.encode()));
    REQUIRE(extend_term(d.admin, older, test_start_us + 2 * policy::day_us, {}));
    check_verifies(d.admin);
}

TEST_CASE("a policy document is stored as an event and changes the decisions from then on") {
    District d;
    Session op = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    auto bad = set_policy(d.admin, "[checkout]\nmax_duraton = \"4h\"\n");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::usage);
    CHECK(bad.error().message.find("line 2") != std::string::npos);
    auto set = set_policy(d.admin, "[checkout]\nmax_duration = \"4h\"\n\n[[forbid]]\nrole = \"custodian\"\naction = \"checkout\"\n");
    REQUIRE_MESSAGE(set, (set ? "" : set.error().message));
    CHECK(policy_state(d.admin)->policy.checkout_max_us == 4 * policy::hour_us);
    auto forbidden = checkout(op, d.account, for_reason("unggah"));
    REQUIRE_FALSE(forbidden);
    CHECK(forbidden.error().message.find("line 4") != std::string::npos);
    CHECK_FALSE(set_policy(op, "[term]\ngrace_period = \"0d\"\n"));

    ExplainQuestion q;
    q.user = "operator1";
    q.action = policy::Action::checkout;
    q.account = d.account;
    q.at_us = d.clock.now_us();
    auto x = explain(d.admin, q);
    REQUIRE(x);
    CHECK_FALSE(x->decision.allowed());
    CHECK(x->facts.term == policy::TermState::active);
    bool names_rule = false;
    for (const auto& r : x->decision.reasons) names_rule |= r.rule == "forbid line 4";
    CHECK(names_rule);
    check_verifies(d.admin);
}

TEST_CASE("a term ended before it began is over, and a pending version sealed before a revocation is not confirmed") {
    District d;
    REQUIRE(add_term(d.admin, "Pemilu 2028", term_end_us + 10 * policy::day_us, term_end_us + 50 * policy::day_us, {}));
    // A person may no longer end it before its first day...
    auto refused = end_term(d.admin, "Pemilu 2028", {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::conflict);
    CHECK(refused.error().message == "term 'Pemilu 2028' has not started yet: it cannot end before its first day");
    // ... but a log an older build wrote holds such an ending: it applies, and the term is over.
    REQUIRE(VaultTestAccess::record(d.admin, TermEnded{"Pemilu 2028", {}, std::nullopt}.encode()));
    check_verifies(d.admin);
    d.clock.set(after_grace_us);
    auto plan = enforcement_plan(d.admin, d.clock.now_us());
    REQUIRE(plan);
    CHECK(plan->deactivate == std::vector<std::int64_t>{d.account});

    District e;
    Session op = e.person("operator1", policy::Role::custodian, {"35.02.01"});
    REQUIRE(start_rotation(op, e.account, PasswordRules{}, "rotasi"));
    REQUIRE(revoke(e.admin, "operator1", "35.02.01"));
    // The admin's re-seal moved it to the new key: operator1 knew it, though. Rotations of a
    // revoked holder are aborted and started again by the admin.
    REQUIRE(abort_rotation(e.admin, e.account));
    REQUIRE(start_rotation(e.admin, e.account, PasswordRules{}, "rotasi"));
    CHECK(confirm_rotation(e.admin, e.account));
    check_verifies(e.admin);
}

TEST_CASE("the enforcer never sets a current password") {
    District d;
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    auto set = set_secret(enforcer, d.account, password("pilihan-enforcer"));
    REQUIRE_FALSE(set);
    CHECK(set.error().code == ErrorCode::denied);
    check_verifies(d.admin);
}
