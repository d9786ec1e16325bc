// What auditors read: the filtered log and the reports, through the vault API with a fixed
// clock, on a district of two sub-districts.
#include "support/district.hpp"

#include "vault/audit/exposure.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/event.hpp"
#include "vault/projection.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace brankas;
using namespace brankas::test;

namespace {

// Every entry of the audit log the filter selects, as `v` sees it.
std::vector<AuditEntry> entries_of(Session& v, const AuditFilter& f) {
    std::vector<AuditEntry> out;
    auto ok = audit_log(v, f, [&](const AuditEntry& e) {
        out.push_back(e);
        return true;
    });
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    return out;
}

// Two sub-districts: Ponorogo (35.02.01, the district's account 1, custodian operator1) and
// Babadan (35.02.02, account 2, its own term). Every kind of event that names a unit happens.
struct TwoUnits {
    District d;
    std::int64_t babadan_account = 0;
    std::optional<Session> operator1, auditor1;

    TwoUnits() {
        REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
        auto a = add_account(d.admin, "35.02.02", {"tiktok", "panwascam.babadan", "", "", ""});
        REQUIRE(a);
        babadan_account = a->id;
        REQUIRE(set_secret(d.admin, babadan_account, password("rahasia-babadan")));
        REQUIRE(add_term(d.admin, "Sengketa Babadan", test_start_us, test_start_us + 40 * policy::day_us, {"35.02.02"}));
        operator1.emplace(d.person("operator1", policy::Role::custodian, {"35.02.01"}));
        auditor1.emplace(d.person("auditor1", policy::Role::auditor));
        step();
        REQUIRE(reveal_secret(*operator1, d.account, "posting", SecretPart::password));
        step();
        REQUIRE(checkout(d.admin, babadan_account, {"unggah", std::nullopt, false}));
        step();
        REQUIRE(checkin(d.admin, babadan_account));
        step();
        REQUIRE(grant(d.admin, "operator1", "35.02.02"));
        step();
        REQUIRE(revoke(d.admin, "operator1", "35.02.02"));
        step();
    }
    void step() { d.clock.advance_seconds(60); }

    std::vector<AuditEntry> log(Session& v, const AuditFilter& f) { return entries_of(v, f); }
    std::vector<AuditEntry> log(const AuditFilter& f) { return log(*auditor1, f); }
};

AuditFilter for_unit(std::string unit) {
    AuditFilter f;
    f.unit = std::move(unit);
    return f;
}

// The spec of "a unit's events", written out independently of the query.
bool concerns(const AuditEntry& e, const std::string& unit, const std::vector<std::int64_t>& accounts) {
    if (e.target == unit) return true;
    for (auto id : accounts)
        if (e.target == account_target(id)) return true;
    if (e.details.get_text("unit") == unit) return true;
    if (auto units = e.details.get_text("units")) {
        std::string list = "," + *units + ",";
        if (list.find("," + unit + ",") != std::string::npos) return true;
    }
    return false;
}

std::vector<std::uint64_t> seqs(const std::vector<AuditEntry>& entries) {
    std::vector<std::uint64_t> out;
    for (const auto& e : entries) out.push_back(e.seq);
    return out;
}

} // namespace

TEST_CASE("a unit's events are exactly those about it, its accounts, or naming it") {
    TwoUnits t;
    std::vector<AuditEntry> all = t.log({});
    REQUIRE(all.size() > 20);
    for (const auto& [unit, accounts] : std::vector<std::pair<std::string, std::vector<std::int64_t>>>{
             {"35.02.01", {t.d.account}}, {"35.02.02", {t.babadan_account}}}) {
        CAPTURE(unit);
        std::vector<std::uint64_t> expected;
        for (const auto& e : all)
            if (concerns(e, unit, accounts)) expected.push_back(e.seq);
        std::vector<AuditEntry> got = t.log(for_unit(unit));
        CHECK(seqs(got) == expected);
        for (const auto& e : got) CHECK(std::find(e.units.begin(), e.units.end(), unit) != e.units.end());
    }
    // The grant and the revocation name Babadan in their details; the term for every unit names none.
    std::vector<AuditEntry> babadan = t.log(for_unit("35.02.02"));
    auto has_action = [&](const std::vector<AuditEntry>& es, std::string_view a) {
        return std::any_of(es.begin(), es.end(), [&](const AuditEntry& e) { return e.action == a; });
    };
    CHECK(has_action(babadan, "user.grant"));
    CHECK(has_action(babadan, "user.revoke"));
    CHECK(has_action(babadan, "unit.rotate"));
    CHECK(has_action(babadan, "term.add")); // the term for Babadan alone
    std::vector<AuditEntry> ponorogo = t.log(for_unit("35.02.01"));
    CHECK_FALSE(std::any_of(ponorogo.begin(), ponorogo.end(), [](const AuditEntry& e) { return e.action == "term.add"; }));
    CHECK(has_action(ponorogo, "secret.read"));
    for (const auto& e : ponorogo) CHECK(e.target != account_target(t.babadan_account));
}

TEST_CASE("the log filters by account, actor, action and time, and every criterion must hold") {
    TwoUnits t;
    AuditFilter by_account;
    by_account.account = t.babadan_account;
    for (const auto& e : t.log(by_account)) {
        CHECK(e.target == account_target(t.babadan_account));
        CHECK(e.account == "tiktok/panwascam.babadan");
    }
    AuditFilter by_actor;
    by_actor.actor = "operator1";
    std::vector<AuditEntry> mine = t.log(by_actor);
    REQUIRE_FALSE(mine.empty());
    for (const auto& e : mine) CHECK(e.actor == "operator1");

    AuditFilter reads;
    reads.actions = {"secret.read", "checkout"};
    std::vector<AuditEntry> r = t.log(reads);
    REQUIRE(r.size() == 2);
    CHECK(r[0].action == "secret.read");
    CHECK(r[0].reason == "posting");
    CHECK_FALSE(r[0].details.get_text("reason")); // the reason is its own column
    CHECK(r[1].action == "checkout");
    CHECK(r[1].details.get_integer("break_glass") == 0);

    // Since is inclusive, until exclusive, to the microsecond.
    std::vector<AuditEntry> all = t.log({});
    const AuditEntry& middle = all[all.size() / 2];
    AuditFilter window;
    window.since_us = middle.time_us;
    window.until_us = all.back().time_us;
    for (const auto& e : t.log(window)) {
        CHECK(e.time_us >= middle.time_us);
        CHECK(e.time_us < all.back().time_us);
    }
    std::size_t expected = static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const AuditEntry& e) {
        return e.time_us >= middle.time_us && e.time_us < all.back().time_us;
    }));
    CHECK(t.log(window).size() == expected);
    AuditFilter both = for_unit("35.02.02");
    both.actions = {"checkout"};
    both.actor = "operator1";
    CHECK(t.log(both).empty());
}

TEST_CASE("bad filters are refused with a sentence") {
    TwoUnits t;
    auto run = [&](const AuditFilter& f) { return audit_log(*t.auditor1, f, [](const AuditEntry&) { return true; }); };
    AuditFilter unknown_action;
    unknown_action.actions = {"fly"};
    auto a = run(unknown_action);
    REQUIRE_FALSE(a);
    CHECK(a.error().code == ErrorCode::usage);
    CHECK(a.error().message == "unknown action 'fly'");
    auto u = run(for_unit("35.02.99"));
    REQUIRE_FALSE(u);
    CHECK(u.error().code == ErrorCode::not_found);
    AuditFilter nobody;
    nobody.actor = "siti";
    auto n = run(nobody);
    REQUIRE_FALSE(n);
    CHECK(n.error().code == ErrorCode::not_found);
    AuditFilter backwards;
    backwards.since_us = test_start_us;
    backwards.until_us = test_start_us - 1;
    CHECK(run(backwards).error().code == ErrorCode::usage);
}

TEST_CASE("a row whose columns disagree with its signed body is reported, not shown") {
    TwoUnits t;
    REQUIRE(store_of(t.d.admin).exec("UPDATE events SET actor = 'auditor1' WHERE seq = 2"));
    auto r = audit_log(t.d.admin, {}, [](const AuditEntry&) { return true; });
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::store_corrupt);
    CHECK(r.error().message.find("event 2") != std::string::npos);
}

TEST_CASE("report access lists reads, check-outs and rotations by account, break-glass marked") {
    TwoUnits t;
    // After every term: only break-glass takes the Ponorogo account out.
    t.d.clock.set(term_end_us + 10 * policy::day_us);
    REQUIRE(checkout(t.d.admin, t.d.account, {"akun diretas", std::nullopt, true}));
    t.step();
    REQUIRE(checkin(t.d.admin, t.d.account));
    t.step();
    REQUIRE(start_rotation(t.d.admin, t.d.account, PasswordRules{}, "rotasi"));
    std::vector<AccessEntry> rows;
    REQUIRE(access_report(*t.auditor1, {}, [&](const AccessEntry& e) {
        rows.push_back(e);
        return true;
    }));
    REQUIRE(rows.size() == 4);
    // Account 1 first (its read, its break-glass check-out, its rotation), then account 2.
    CHECK(rows[0].account == t.d.account);
    CHECK(rows[0].who == "operator1");
    CHECK(rows[0].kind == AccessKind::password);
    CHECK(rows[0].reason == "posting");
    CHECK(rows[1].kind == AccessKind::checkout);
    CHECK(rows[1].break_glass);
    CHECK(rows[1].reason == "akun diretas");
    CHECK(rows[1].until_us.has_value());
    CHECK(rows[2].kind == AccessKind::rotation);
    CHECK(rows[2].version == 2);
    CHECK(rows[3].account == t.babadan_account);
    CHECK_FALSE(rows[3].break_glass);
    CHECK(rows[3].unit == "35.02.02");

    AccessFilter babadan;
    babadan.unit = "35.02.02";
    std::size_t n = 0;
    REQUIRE(access_report(*t.auditor1, babadan, [&](const AccessEntry& e) {
        CHECK(e.unit == "35.02.02");
        ++n;
        return true;
    }));
    CHECK(n == 1);
}

TEST_CASE("reports are for auditors and admins, and for a custodian only its own unit") {
    TwoUnits t;
    auto none = [](const AccessEntry&) { return true; };
    auto denied = access_report(*t.operator1, {}, none);
    REQUIRE_FALSE(denied);
    CHECK(denied.error().code == ErrorCode::denied);
    AccessFilter own;
    own.unit = "35.02.01";
    CHECK(access_report(*t.operator1, own, none));
    CHECK(status_report(*t.operator1, 30 * policy::day_us).error().code == ErrorCode::denied);
    CHECK(exposure_report(*t.operator1, "admin").error().code == ErrorCode::denied);
    CHECK(status_report(*t.auditor1, 30 * policy::day_us));
    CHECK(exposure_report(t.d.admin, "operator1"));
    // The refusals are in the log.
    AuditFilter refusals;
    refusals.actions = {"access.denied"};
    refusals.actor = "operator1";
    CHECK(t.log(refusals).size() == 3);
}

TEST_CASE("a custodian's own access reports are those of the sub-districts they hold, asked without a record") {
    TwoUnits t;
    const std::size_t before = t.log({}).size();
    CHECK(*own_access_report_units(*t.operator1) == std::vector<std::string>{"35.02.01"});
    // An auditor holds no sub-district: their reports are the vault-wide ones.
    CHECK(own_access_report_units(*t.auditor1)->empty());
    CHECK(t.log({}).size() == before);
}

TEST_CASE("report exposure: what a leaver saw and could open, and what a new password puts out of reach") {
    TwoUnits t;
    ExposureReport r = *exposure_report(*t.auditor1, "operator1");
    CHECK(r.role == "custodian");
    // Ponorogo's password: read, and sealed to the unit key they hold. Babadan's: granted for a
    // while (key 1 was sealed to them), revoked since (the key rotated and the version was
    // sealed again), so still exposed: the copy in the log opens it.
    REQUIRE(r.entries.size() == 2);
    const ExposureEntry& ponorogo = r.entries[0];
    CHECK(ponorogo.account == t.d.account);
    CHECK(ponorogo.version == 1);
    REQUIRE(ponorogo.seen.size() == 1);
    CHECK(ponorogo.seen[0].kind == AccessKind::password);
    CHECK(ponorogo.seen[0].reason == "posting");
    CHECK(ponorogo.key_versions == std::vector<std::int64_t>{1});
    CHECK_FALSE(ponorogo.set_by_them);
    const ExposureEntry& babadan = r.entries[1];
    CHECK(babadan.account == t.babadan_account);
    CHECK(babadan.seen.empty());
    CHECK(babadan.key_versions == std::vector<std::int64_t>{1});

    // A new Babadan password after the revocation is sealed to key 2 only: out of their reach.
    REQUIRE(start_rotation(t.d.admin, t.babadan_account, PasswordRules{}, "rotasi"));
    t.step();
    REQUIRE(confirm_rotation(t.d.admin, t.babadan_account));
    r = *exposure_report(*t.auditor1, "operator1");
    REQUIRE(r.entries.size() == 1);
    CHECK(r.entries[0].account == t.d.account);

    // The auditor holds no unit key and read nothing; the admin holds every key.
    CHECK(exposure_report(t.d.admin, "auditor1")->entries.empty());
    ExposureReport admin = *exposure_report(*t.auditor1, "admin");
    CHECK(admin.entries.size() == 2);
    for (const auto& e : admin.entries) CHECK(e.could_open());
    auto unknown = exposure_report(*t.auditor1, "siti");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::not_found);
}

TEST_CASE("report exposure counts the pending version of a rotation they started") {
    District d;
    Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    d.clock.advance_seconds(60);
    REQUIRE(start_rotation(operator1, d.account, PasswordRules{}, "rotasi"));
    ExposureReport r = *exposure_report(d.admin, "operator1");
    REQUIRE(r.entries.size() == 2);
    CHECK_FALSE(r.entries[0].pending);
    CHECK(r.entries[0].seen.empty());
    CHECK(r.entries[1].pending);
    CHECK(r.entries[1].version == 2);
    REQUIRE(r.entries[1].seen.size() == 1);
    CHECK(r.entries[1].seen[0].kind == AccessKind::rotation);
}

namespace {

constexpr std::int64_t past_term_and_grace_us = term_end_us + 8 * policy::day_us; // the default grace is 7 days

AuditFilter for_account(std::int64_t account, std::vector<std::string> actions = {}) {
    AuditFilter f;
    f.account = account;
    f.actions = std::move(actions);
    return f;
}

} // namespace

TEST_CASE("report exposure counts the fresh password an end of term sealed, by the key it was sealed to") {
    District d;
    Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));

    SUBCASE("without a standby key, the custodian it revoked held the key of the fresh password") {
        // A unit without a standby (as a vault from before standby keys has): taken out of the store.
        REQUIRE(store_of(d.admin).exec("DELETE FROM unit_keys WHERE key_version = 2"));
        REQUIRE(store_of(d.admin).exec("DELETE FROM unit_public_keys WHERE key_version = 2"));
        d.clock.set(past_term_and_grace_us);
        Session enforcer = d.open_enforcer(keys / "enforcer.key");
        auto run = enforce(enforcer);
        REQUIRE_MESSAGE(run, (run ? "" : run.error().message));
        REQUIRE(run->sealed == 1);
        ExposureReport r = *exposure_report(d.admin, "operator1");
        REQUIRE(r.entries.size() == 2);
        CHECK(r.entries[0].version == 1);
        CHECK_FALSE(r.entries[0].pending);
        CHECK(r.entries[0].key_versions == std::vector<std::int64_t>{1});
        const ExposureEntry& fresh = r.entries[1];
        CHECK(fresh.account == d.account);
        CHECK(fresh.version == 2);
        CHECK(fresh.pending);
        CHECK(fresh.key_versions == std::vector<std::int64_t>{1});
        CHECK(fresh.seen.empty()); // sealed by the enforcer, shown to nobody
        CHECK_FALSE(fresh.set_by_them);
        // The admin's rotation of the unit key re-seals it; the copy of key 1 in the log still opens it.
        d.clock.advance_seconds(60);
        REQUIRE(rotate_unit(d.admin, "35.02.01", "the enforcer had no standby key"));
        r = *exposure_report(d.admin, "operator1");
        REQUIRE(r.entries.size() == 2);
        CHECK(r.entries[1].key_versions == std::vector<std::int64_t>{1});
    }
    SUBCASE("with a standby key, the fresh password is out of the custodian's reach and within the admins'") {
        d.clock.set(past_term_and_grace_us);
        Session enforcer = d.open_enforcer(keys / "enforcer.key");
        REQUIRE(enforce(enforcer));
        ExposureReport r = *exposure_report(d.admin, "operator1");
        REQUIRE(r.entries.size() == 1);
        CHECK_FALSE(r.entries[0].pending);
        ExposureReport admin = *exposure_report(d.admin, "admin");
        REQUIRE(admin.entries.size() == 2);
        CHECK(admin.entries[1].pending);
        CHECK(admin.entries[1].version == 2);
        CHECK(admin.entries[1].key_versions == std::vector<std::int64_t>{2});
        CHECK(admin.entries[1].seen.empty());
        CHECK_FALSE(admin.entries[1].set_by_them);
        check_verifies(d.admin);
    }
    SUBCASE("an end of term whose fields do not decode (an edited store) is reported as a store to verify") {
        d.clock.set(past_term_and_grace_us);
        Session enforcer = d.open_enforcer(keys / "enforcer.key");
        REQUIRE(enforce(enforcer));
        // The event's row keeps its columns; its fresh password's field is cut to three bytes.
        Statement row = *store_of(d.admin).prepare("SELECT seq, body FROM events WHERE action = 'unit.deactivate'");
        REQUIRE(*row.step());
        const std::int64_t seq = row.column_int(0);
        Event edited = *decode_event(row.column_blob(1));
        row.reset();
        REQUIRE(edited.details.get_bytes("fresh." + std::to_string(d.account)));
        edited.details.bytes("fresh." + std::to_string(d.account), Bytes{1, 2, 3});
        Statement put = *store_of(d.admin).prepare("UPDATE events SET body = ? WHERE seq = ?");
        REQUIRE(put.bind(1, *encode_event(edited)).bind(2, seq).run());
        auto r = exposure_report(d.admin, "admin");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::store_corrupt);
        CHECK(r.error().message == "event " + std::to_string(seq) + " (unit.deactivate) has a fresh password of an unacceptable size: 'fresh." +
                                       std::to_string(d.account) + "'");
        CHECK(r.error().hint == "run `brankas audit verify`");
    }
    SUBCASE("an admin who runs the enforcement is not shown the fresh passwords, and the access report lists none") {
        d.clock.set(past_term_and_grace_us);
        REQUIRE(enforce(d.admin));
        ExposureReport admin = *exposure_report(d.admin, "admin");
        REQUIRE(admin.entries.size() == 2);
        CHECK(admin.entries[1].pending);
        CHECK(admin.entries[1].key_versions == std::vector<std::int64_t>{2});
        CHECK(admin.entries[1].seen.empty());
        std::vector<AccessEntry> accesses;
        REQUIRE(access_report(d.admin, {}, [&](const AccessEntry& e) {
            accesses.push_back(e);
            return true;
        }));
        CHECK(accesses.empty());
        check_verifies(d.admin);
    }
}

TEST_CASE("report exposure counts the fresh passwords of a unit too large for one event, from both kinds of event") {
    District d;
    const std::int64_t accounts = static_cast<std::int64_t>(max_fresh_passwords) + 3;
    for (std::int64_t i = 2; i <= accounts; ++i)
        REQUIRE(add_account(d.admin, "35.02.01", {"instagram", "panwascam.ke" + std::to_string(i), "", "", ""}));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(past_term_and_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    REQUIRE(enforce(enforcer));
    // Every account's fresh password, whichever event carried it, sealed to the key the admin holds.
    std::int64_t pending = 0;
    REQUIRE(for_each_exposure(d.admin, "admin", [&](const ExposureEntry& e) -> Status {
        if (e.pending) {
            ++pending;
            CHECK(e.version == (e.account == d.account ? 2 : 1));
            CHECK(e.key_versions == std::vector<std::int64_t>{1});
            CHECK(e.seen.empty());
        }
        return {};
    }));
    CHECK(pending == accounts);
}

TEST_CASE("an account's log shows the end of term that carried its fresh password, and not another account's") {
    District d;
    // Nine more accounts of Ponorogo, 2 to 10: the field of account 10, fresh.10, begins with fresh.1.
    std::int64_t last = 0;
    for (int i = 2; i <= 10; ++i) {
        auto a = add_account(d.admin, "35.02.01", {"facebook", "panwascam.ke" + std::to_string(i), "", "", ""});
        REQUIRE(a);
        last = a->id;
    }
    REQUIRE(d.account == 1);
    REQUIRE(last == 10);
    // Babadan serves a month longer: its account is untouched by the end of Ponorogo's term.
    REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
    auto babadan = add_account(d.admin, "35.02.02", {"tiktok", "panwascam.babadan", "", "", ""});
    REQUIRE(babadan);
    REQUIRE(extend_term(d.admin, term_name, term_end_us + 30 * policy::day_us, {"35.02.02"}));
    // Account 1's rotation is pending when the term ends: it keeps that one and gets no fresh password.
    d.clock.advance_seconds(60);
    REQUIRE(start_rotation(d.admin, d.account, PasswordRules{}, "akun diretas"));
    TempDir keys;
    REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
    d.clock.set(past_term_and_grace_us);
    Session enforcer = d.open_enforcer(keys / "enforcer.key");
    REQUIRE(enforce(enforcer));
    Session auditor = d.person("auditor1", policy::Role::auditor);

    std::vector<AuditEntry> endings = entries_of(auditor, for_account(10, {"unit.deactivate"}));
    REQUIRE(endings.size() == 1);
    const AuditEntry& ending = endings[0];
    CHECK(ending.actor == "enforcer");
    CHECK(ending.target == "35.02.01");
    CHECK(ending.account == "facebook/panwascam.ke10");
    CHECK(ending.units == std::vector<std::string>{"35.02.01"});
    CHECK(ending.details.get_bytes("fresh.10"));
    // Among the account's other events, in order.
    std::vector<AuditEntry> ten = entries_of(auditor, for_account(10));
    CHECK(std::any_of(ten.begin(), ten.end(), [&](const AuditEntry& e) { return e.seq == ending.seq; }));
    CHECK(std::is_sorted(ten.begin(), ten.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.seq < b.seq; }));
    CHECK(entries_of(auditor, for_account(2, {"unit.deactivate"})).size() == 1);
    // Account 1 had none (its field would be fresh.1, a prefix of fresh.10), Babadan's none either.
    CHECK(entries_of(auditor, for_account(1, {"unit.deactivate"})).empty());
    CHECK(entries_of(auditor, for_account(babadan->id, {"unit.deactivate"})).empty());
    // The unit's log has it once, about the unit.
    AuditFilter unit = for_unit("35.02.01");
    unit.actions = {"unit.deactivate"};
    std::vector<AuditEntry> by_unit = entries_of(auditor, unit);
    REQUIRE(by_unit.size() == 1);
    CHECK(by_unit[0].seq == ending.seq);
    CHECK(by_unit[0].account.empty());
    CHECK(entries_of(auditor, for_unit("35.02.02")).size() > 0);
    unit.unit = "35.02.02";
    CHECK(entries_of(auditor, unit).empty());
    check_verifies(d.admin);
}

TEST_CASE("report status: accounts by status, rotations due, overdue check-outs, terms ending soon") {
    TwoUnits t;
    REQUIRE(checkout(t.d.admin, t.d.account, {"unggah", policy::hour_us, false}));
    t.d.clock.advance_seconds(2 * 3600);
    StatusReport r = *status_report(*t.auditor1, 30 * policy::day_us);
    REQUIRE(r.counts.size() == 2);
    CHECK(r.counts[0].unit == "35.02.01");
    CHECK(r.counts[0].status == "active");
    CHECK(r.counts[0].accounts == 1);
    // Babadan was checked in (rotation due after a check-in) and had its key rotated.
    REQUIRE(r.rotation_due.size() == 1);
    CHECK(r.rotation_due[0].account == t.babadan_account);
    REQUIRE(r.overdue.size() == 1);
    CHECK(r.overdue[0].holder == "admin");
    CHECK(r.overdue[0].reason == "unggah");
    // Babadan's own term ends in 40 days from the start: outside 30 days, inside 60.
    CHECK(r.terms_ending.empty());
    StatusReport wider = *status_report(*t.auditor1, 60 * policy::day_us);
    REQUIRE(wider.terms_ending.size() == 1);
    CHECK(wider.terms_ending[0].term == "Sengketa Babadan");
    CHECK(wider.terms_ending[0].unit.empty());

    // Read section by section, the report counts first what its sections then list.
    auto reader = StatusReportReader::open(*t.auditor1, 60 * policy::day_us);
    REQUIRE(reader);
    const StatusSummary& s = reader->summary();
    CHECK(s.accounts == std::map<std::string, std::int64_t>{{"active", 2}, {"archived", 0}, {"deactivated", 0}});
    CHECK(s.rotation_due == 1);
    CHECK(s.overdue == 1);
    CHECK(s.terms_ending == 1);
    CHECK_FALSE(StatusReportReader::open(*t.operator1, 30 * policy::day_us));
}
