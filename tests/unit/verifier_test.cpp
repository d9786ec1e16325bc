#include "support/district.hpp"
#include "support/planted_event.hpp"
#include "support/test_vault.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/people/people.hpp"
#include "vault/people/people_events.hpp"
#include "vault/recovery/recovery.hpp"
#include "vault/recovery/recovery_events.hpp"
#include "vault/audit/audit_events.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/log/signer_keys.hpp"
#include "vault/policies/policies.hpp"
#include "vault/policies/policy_events.hpp"
#include "vault/handover/handover_records.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_events.hpp"

using namespace brankas;
using namespace brankas::test;

namespace {

// A vault with three events: genesis and two checkpoints a minute apart.
struct ThreeEvents {
    TempDir dir;
    FixedClock clock{test_start_us};
    Session vault = make_test_vault(dir, clock);
    ThreeEvents() {
        clock.advance_seconds(60);
        REQUIRE(take_checkpoint(vault));
        clock.advance_seconds(60);
        REQUIRE(take_checkpoint(vault));
    }
    Database& db() { return store_of(vault); }
    VerifyReport verify(const std::optional<Checkpoint>& c = std::nullopt) {
        auto r = brankas::verify(vault, c);
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return *r;
    }
};

} // namespace

TEST_CASE("an untouched vault verifies and reports its first admin's key") {
    ThreeEvents v;
    VerifyReport r = v.verify();
    CHECK(r.ok);
    CHECK(r.events == 3);
    CHECK(r.problem.empty());
    auto key = find_principal(v.db(), "admin");
    REQUIRE(key);
    REQUIRE(key->has_value());
    CHECK(r.genesis_key == (*key)->signing_key);
}

TEST_CASE("verification names the first bad event") {
    ThreeEvents v;
    std::string expect;
    SUBCASE("a body changed") {
        REQUIRE(v.db().exec("UPDATE events SET body = CAST(body || x'00' AS BLOB) WHERE seq = 2"));
        expect = "hash does not match";
    }
    SUBCASE("a body and its hash rewritten by someone without the actor's key") {
        // Recompute a consistent chain for a changed event 2: only the signature can tell.
        auto head = v.db().prepare("SELECT hash FROM events WHERE seq = 1");
        REQUIRE(head);
        REQUIRE(*head->step());
        Hash h1{};
        auto raw = head->column_raw(0);
        std::copy(raw.begin(), raw.end(), h1.begin());
        Event forged;
        forged.seq = 2;
        forged.time_us = test_start_us + 1;
        forged.actor = "admin";
        forged.action = "audit.checkpoint";
        Bytes body = *encode_event(forged);
        Hash h2 = chain_hash(h1, body);
        auto upd = v.db().prepare("UPDATE events SET body = ?, hash = ?, time_us = ? WHERE seq = 2");
        REQUIRE(upd);
        REQUIRE(upd->bind(1, ByteView(body)).bind(2, ByteView(h2)).bind(3, forged.time_us).run());
        expect = "signature does not verify";
    }
    SUBCASE("a signature changed") {
        REQUIRE(v.db().exec("UPDATE events SET signature = zeroblob(64) WHERE seq = 2"));
        expect = "signature does not verify";
    }
    SUBCASE("a listed column changed") {
        REQUIRE(v.db().exec("UPDATE events SET actor = 'siti' WHERE seq = 2"));
        expect = "columns disagree";
    }
    SUBCASE("an event removed from the middle") {
        REQUIRE(v.db().exec("DELETE FROM events WHERE seq = 2"));
        expect = "missing";
    }
    VerifyReport r = v.verify();
    CHECK_FALSE(r.ok);
    REQUIRE(r.bad_event.has_value());
    CHECK(*r.bad_event == (expect == "missing" ? 3u : 2u));
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
    CHECK(r.events == 1);
}

TEST_CASE("a projection changed outside the log is caught by the replay") {
    ThreeEvents v;
    std::string expect;
    SUBCASE("a field edited") {
        REQUIRE(v.db().exec("UPDATE vault SET institution = 'Bawaslu Kota Madiun'"));
        expect = "table 'vault'";
    }
    SUBCASE("a row added") {
        REQUIRE(v.db().exec("INSERT INTO principals VALUES ('zed', 'admin', 'active', zeroblob(32), zeroblob(32), 1, 1)"));
        expect = "rows that no event created";
    }
    SUBCASE("a row removed") {
        REQUIRE(v.db().exec("DELETE FROM checkpoints WHERE seq = 3"));
        expect = "fewer rows";
    }
    VerifyReport r = v.verify();
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.bad_event.has_value());
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
    CHECK(r.problem.find("changed outside the log") != std::string::npos);
}

TEST_CASE("a checkpoint proves the log was not rolled back, truncated or rewritten") {
    ThreeEvents v;
    auto c = take_checkpoint(v.vault); // event 4
    REQUIRE(c);
    CHECK(v.verify(*c).ok);
    CHECK(v.verify(*c).checkpoint_checked);

    SUBCASE("the last events removed") {
        REQUIRE(v.db().exec("DELETE FROM checkpoints WHERE seq = 4"));
        REQUIRE(v.db().exec("DELETE FROM events WHERE seq = 4"));
        // Without the checkpoint the shorter log is self-consistent...
        CHECK(v.verify().ok);
        // ...with it, the truncation shows.
        VerifyReport r = v.verify(*c);
        CHECK_FALSE(r.ok);
        CHECK(r.problem.find("truncated or rolled back") != std::string::npos);
    }
    SUBCASE("a checkpoint whose head differs from the log's event") {
        Checkpoint other = *c;
        other.head[0] ^= 1;
        // Re-signed by the same admin, so only the log comparison can catch it.
        other = sign_checkpoint(other, signing_key_of(v.vault));
        VerifyReport r = v.verify(other);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == 4);
        CHECK(r.problem.find("the log was rewritten") != std::string::npos);
    }
    SUBCASE("a signed checkpoint that does not describe its event") {
        Checkpoint other = *c;
        other.time_us += 1;
        other = sign_checkpoint(other, signing_key_of(v.vault));
        VerifyReport r = v.verify(other);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == 4);
        CHECK(r.problem.find("not the checkpoint event the checkpoint file describes") != std::string::npos);
    }
    SUBCASE("a checkpoint of another vault") {
        Checkpoint other = *c;
        other.vault_id[0] ^= 1;
        VerifyReport r = v.verify(other);
        CHECK_FALSE(r.ok);
        CHECK(r.problem.find("another vault") != std::string::npos);
    }
    SUBCASE("a checkpoint whose signature was forged") {
        Checkpoint other = *c;
        other.seq = 3;
        VerifyReport r = v.verify(other);
        CHECK_FALSE(r.ok);
        CHECK(r.problem.find("signature is not valid") != std::string::npos);
    }
    SUBCASE("a checkpoint signed by a key the log never introduced") {
        Checkpoint other = *c;
        other = sign_checkpoint(other, SigningKey::generate());
        VerifyReport r = v.verify(other);
        CHECK_FALSE(r.ok);
        CHECK(r.problem.find("signer key") != std::string::npos);
    }
}

TEST_CASE("restoring an older copy of the store after a checkpoint is detected") {
    TempDir dir;
    FixedClock clock(test_start_us);
    { Session v = make_test_vault(dir, clock); }
    std::filesystem::copy_file(dir / "v" / "store.db", dir / "old-store.db");
    std::optional<Checkpoint> c;
    {
        clock.advance_seconds(10);
        Session v = open_test_vault(dir, clock);
        auto taken = take_checkpoint(v);
        REQUIRE(taken);
        c = *taken;
    }
    std::filesystem::copy_file(dir / "old-store.db", dir / "v" / "store.db", std::filesystem::copy_options::overwrite_existing);
    Session v = open_test_vault(dir, clock);
    auto r = verify(v, c);
    REQUIRE(r);
    CHECK_FALSE(r->ok);
    CHECK(r->problem.find("log ends at event 1 but the checkpoint covers event 2") != std::string::npos);
}

// ---- at scale: signatures on worker threads, and from a checkpoint ----

namespace {

// A vault whose log is long enough for many signature batches: genesis and `extra` checkpoints.
struct LongLog {
    TempDir dir;
    FixedClock clock{test_start_us};
    Session vault = make_test_vault(dir, clock);
    // One change appends them all: one transaction, not a commit per event.
    explicit LongLog(int extra) {
        clock.advance_seconds(1);
        auto written = vault.write([&](Change& change) -> Status {
            for (int i = 0; i < extra; ++i) BRANKAS_TRY(change.append(CheckpointTaken{}));
            return {};
        });
        REQUIRE_MESSAGE(written, (written ? "" : written.error().message));
    }
    Database& db() { return store_of(vault); }
    VerifyReport verify(const VerifyOptions& o) {
        auto r = brankas::verify(vault, o);
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return *r;
    }
    Checkpoint checkpoint() {
        clock.advance_seconds(1);
        auto c = take_checkpoint(vault);
        REQUIRE(c);
        return *c;
    }
    void break_signature(int seq) {
        REQUIRE(db().exec(("UPDATE events SET signature = zeroblob(64) WHERE seq = " + std::to_string(seq)).c_str()));
    }
};

VerifyOptions on_threads(unsigned threads) {
    VerifyOptions o;
    o.threads = threads;
    return o;
}

VerifyOptions after(const Checkpoint& c) {
    VerifyOptions o;
    o.checkpoint = c;
    o.scope = VerifyScope::after_checkpoint;
    return o;
}

} // namespace

TEST_CASE("signatures checked on several threads: every one is counted, and the first bad one is named") {
    LongLog v(1499); // 1,500 events: several batches per worker
    for (unsigned threads : {1u, 2u, 4u}) {
        CAPTURE(threads);
        VerifyReport r = v.verify(on_threads(threads));
        CHECK(r.ok);
        CHECK(r.events == 1500);
        CHECK(r.signatures == 1500);
        CHECK(r.threads == threads);
    }
    v.break_signature(1203);
    v.break_signature(701);
    for (unsigned threads : {1u, 2u, 4u}) {
        CAPTURE(threads);
        VerifyReport r = v.verify(on_threads(threads));
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == 701);
        CHECK(r.events == 700);
        CHECK(r.problem == "its signature does not verify with admin's key");
        // The head is the hash of the last good event, as stored.
        auto h = v.db().prepare("SELECT hash FROM events WHERE seq = 700");
        REQUIRE(h);
        REQUIRE(*h->step());
        CHECK(std::ranges::equal(r.head, h->column_raw(0)));
    }
}

TEST_CASE("a bad signature before a broken chain is the one named, and the other way round") {
    LongLog v(999);
    SUBCASE("signature first") {
        v.break_signature(300);
        REQUIRE(v.db().exec("UPDATE events SET body = CAST(body || x'00' AS BLOB) WHERE seq = 900"));
        VerifyReport r = v.verify(on_threads(2));
        CHECK(r.bad_event == 300);
        CHECK(r.problem.find("signature does not verify") != std::string::npos);
    }
    SUBCASE("chain first") {
        REQUIRE(v.db().exec("UPDATE events SET body = CAST(body || x'00' AS BLOB) WHERE seq = 300"));
        v.break_signature(900);
        VerifyReport r = v.verify(on_threads(2));
        CHECK(r.bad_event == 300);
        CHECK(r.problem.find("hash does not match") != std::string::npos);
    }
}

TEST_CASE("progress is reported as the log is read, ending at the whole log") {
    LongLog v(299);
    std::vector<VerifyProgress> seen;
    VerifyOptions o;
    o.progress = [&](const VerifyProgress& p) { seen.push_back(p); };
    o.progress_every = 100;
    CHECK(v.verify(o).ok);
    REQUIRE(seen.size() >= 3);
    CHECK(seen.front().done < seen.back().done);
    CHECK(seen.back().done == 300);
    CHECK(seen.back().total == 300);
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i - 1].done <= seen[i].done);
}

TEST_CASE("from a checkpoint: the log must extend it, and only later signatures are checked") {
    LongLog v(20);
    Checkpoint c = v.checkpoint(); // event 22
    for (int i = 0; i < 30; ++i) v.checkpoint();
    VerifyReport r = v.verify(after(c));
    CHECK(r.ok);
    CHECK(r.scope == VerifyScope::after_checkpoint);
    CHECK(r.checkpoint_checked);
    CHECK(r.events == 52);
    CHECK(r.first_signed == 23);
    CHECK(r.signatures == 30);

    SUBCASE("a signature before the checkpoint is not checked again; the whole-log verify still sees it") {
        v.break_signature(10);
        CHECK(v.verify(after(c)).ok);
        CHECK(v.verify(on_threads(2)).bad_event == 10);
    }
    SUBCASE("a signature after the checkpoint is checked") {
        v.break_signature(40);
        VerifyReport bad = v.verify(after(c));
        CHECK_FALSE(bad.ok);
        CHECK(bad.bad_event == 40);
    }
    SUBCASE("an event before the checkpoint rewritten: the chain no longer reaches the checkpoint's head") {
        REQUIRE(v.db().exec("UPDATE events SET body = CAST(body || x'00' AS BLOB) WHERE seq = 5"));
        VerifyReport bad = v.verify(after(c));
        CHECK_FALSE(bad.ok);
        CHECK(bad.bad_event == 5);
    }
    SUBCASE("the log rolled back to before the checkpoint") {
        REQUIRE(v.db().exec("DELETE FROM checkpoints WHERE seq >= 22"));
        REQUIRE(v.db().exec("DELETE FROM events WHERE seq >= 22"));
        VerifyReport bad = v.verify(after(c));
        CHECK_FALSE(bad.ok);
        CHECK(bad.problem.find("truncated or rolled back") != std::string::npos);
    }
    SUBCASE("a signing key slipped into the stored users") {
        REQUIRE(v.db().exec("UPDATE principals SET signing_key = zeroblob(32) WHERE name = 'admin'"));
        VerifyReport bad = v.verify(after(c));
        CHECK_FALSE(bad.ok);
        CHECK(bad.problem.find("the stored user admin differs from what the log says") != std::string::npos);
    }
    SUBCASE("an event appended after the checkpoint by a key the log never introduced") {
        auto head = v.db().prepare("SELECT hash FROM events WHERE seq = 52");
        REQUIRE(head);
        REQUIRE(*head->step());
        Hash h{};
        std::copy(head->column_raw(0).begin(), head->column_raw(0).end(), h.begin());
        Event forged;
        forged.seq = 53;
        forged.time_us = v.clock.now_us() + 1;
        forged.actor = "admin";
        forged.action = "audit.checkpoint";
        Bytes body = *encode_event(forged);
        Hash h53 = chain_hash(h, body);
        Signature sig = SigningKey::generate().sign(event_signing_message(h53));
        auto ins = v.db().prepare(
            "INSERT INTO events (seq, time_us, actor, action, target, body, hash, signature) VALUES (53, ?, 'admin', 'audit.checkpoint', '', ?, ?, ?)");
        REQUIRE(ins);
        REQUIRE(ins->bind(1, forged.time_us).bind(2, ByteView(body)).bind(3, ByteView(h53)).bind(4, ByteView(sig)).run());
        VerifyReport bad = v.verify(after(c));
        CHECK_FALSE(bad.ok);
        CHECK(bad.bad_event == 53);
        CHECK(bad.problem.find("signature does not verify") != std::string::npos);
    }
}

TEST_CASE("from a checkpoint, the signers are followed through enrollment, the enforcer and disabling") {
    test::District d; // support/district.hpp
    auto c = take_checkpoint(d.admin);
    REQUIRE(c);
    Session custodian = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    d.person("auditor1", policy::Role::auditor);
    REQUIRE(add_enforcer(d.admin, "enforcer", d.dir / "enforcer.key"));
    d.clock.advance_seconds(1);
    REQUIRE(reveal_secret(custodian, d.account, "posting", SecretPart::password));
    d.clock.advance_seconds(1);
    REQUIRE(disable_user(d.admin, "operator1", StoreRekey::no));
    d.clock.advance_seconds(1);
    VerifyOptions o;
    o.checkpoint = *c;
    o.scope = VerifyScope::after_checkpoint;
    auto r = verify(d.admin, o);
    REQUIRE(r);
    CHECK_MESSAGE(r->ok, r->problem);
    auto whole = verify(d.admin, std::optional<Checkpoint>(*c));
    REQUIRE(whole);
    CHECK(whole->ok);
    CHECK(whole->events == r->events);

    SUBCASE("an event signed by the disabled custodian's key is refused") {
        Database& db = store_of(d.admin);
        auto head = db.prepare("SELECT seq, hash, time_us FROM events ORDER BY seq DESC LIMIT 1");
        REQUIRE(head);
        REQUIRE(*head->step());
        Hash h{};
        std::copy(head->column_raw(1).begin(), head->column_raw(1).end(), h.begin());
        Event e;
        e.seq = static_cast<std::uint64_t>(head->column_int(0)) + 1;
        e.time_us = head->column_int(2) + 1;
        e.actor = "operator1";
        e.action = "audit.checkpoint";
        Bytes body = *encode_event(e);
        Hash next = chain_hash(h, body);
        Signature sig = signing_key_of(custodian).sign(event_signing_message(next));
        auto ins = db.prepare("INSERT INTO events (seq, time_us, actor, action, target, body, hash, signature) VALUES (?, ?, ?, ?, '', ?, ?, ?)");
        REQUIRE(ins);
        REQUIRE(ins->bind(1, static_cast<std::int64_t>(e.seq)).bind(2, e.time_us).bind(3, e.actor).bind(4, e.action)
                    .bind(5, ByteView(body)).bind(6, ByteView(next)).bind(7, ByteView(sig)).run());
        auto bad = verify(d.admin, o);
        REQUIRE(bad);
        CHECK_FALSE(bad->ok);
        CHECK(bad->bad_event == e.seq);
        CHECK(bad->problem.find("'operator1', who is not an active principal") != std::string::npos);
    }
}

TEST_CASE("the signer keys learned from the log: who may sign what, and when") {
    SigningKey admin = SigningKey::generate(), person = SigningKey::generate(), enrolled = SigningKey::generate();
    auto bytes_of = [](const PublicKey& k) { return Bytes(k.begin(), k.end()); };
    auto event = [](std::string actor, std::string action, std::string target = {}) {
        Event e;
        e.actor = std::move(actor);
        e.action = std::move(action);
        e.target = std::move(target);
        return e;
    };
    SignerKeys keys;
    Event genesis = event("admin", "vault.create");
    genesis.details.bytes("signing_key", bytes_of(admin.public_key()));
    CHECK(keys.expected(genesis) == admin.public_key());
    REQUIRE(keys.learn(genesis));
    CHECK_FALSE(keys.learn(genesis)); // a second genesis does not fit

    Event add = event("admin", "user.add", "siti");
    add.details.text("role", "custodian").bytes("signing_key", bytes_of(person.public_key()));
    REQUIRE(keys.learn(add));
    CHECK_FALSE(keys.expected(event("siti", "audit.checkpoint")).has_value()); // pending: only its enrollment
    Event enroll = event("siti", "user.enroll", "siti");
    enroll.details.bytes("signing_key", bytes_of(enrolled.public_key()));
    CHECK(keys.expected(enroll) == person.public_key()); // signed with the code's key
    REQUIRE(keys.learn(enroll));
    CHECK(keys.expected(event("siti", "audit.checkpoint")) == enrolled.public_key());
    CHECK_FALSE(keys.learn(enroll)); // not pending any more

    Event enforcer = event("admin", "user.add", "penegak");
    enforcer.details.text("role", "enforcer").bytes("signing_key", bytes_of(person.public_key()));
    REQUIRE(keys.learn(enforcer));
    CHECK(keys.expected(event("penegak", "enforce")) == person.public_key()); // active at once

    REQUIRE(keys.learn(event("admin", "user.disable", "siti")));
    CHECK_FALSE(keys.expected(event("siti", "audit.checkpoint")).has_value());
    CHECK_FALSE(keys.learn(event("admin", "user.disable", "siti")));
    CHECK_FALSE(keys.expected(event("nobody", "audit.checkpoint")).has_value());
    CHECK(principal_status_name(keys.principals().at("siti").status) == "disabled");
}

namespace {

// Plants `e` in the district's log as `signer` (their name, their key) at `time_us`, and checks
// that verification stops at it, naming `expect`.
void check_planted_refused(District& d, Event e, const Session& signer, std::int64_t time_us, std::string_view expect) {
    e.actor = signer.user();
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(signer), time_us);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
}

} // namespace

TEST_CASE("the replay asks again who may act once the log changed it, however often it asked before") {
    District d;
    Session op = d.person("op1", policy::Role::custodian, {"35.02.01"});
    // Check-outs and check-ins: the replay asks many times whether op1 is active, holds the
    // sub-district and is inside a term, and is told yes each time.
    for (int i = 0; i < 3; ++i) {
        d.clock.advance_seconds(60);
        REQUIRE(checkout(op, d.account, CheckoutRequest{"unggah hasil pengawasan", std::nullopt, false}));
        d.clock.advance_seconds(60);
        REQUIRE(checkin(op, d.account));
    }
    REQUIRE(verify(d.admin, std::nullopt)->ok);

    std::string expect;
    SUBCASE("the grant revoked") {
        REQUIRE(revoke(d.admin, "op1", "35.02.01"));
        expect = "is not allowed";
    }
    SUBCASE("the person disabled") {
        REQUIRE(disable_user(d.admin, "op1", StoreRekey::no));
        expect = "not an active principal";
    }
    SUBCASE("a policy that forbids it set") {
        REQUIRE(set_policy(d.admin, "[[forbid]]\nrole = \"custodian\"\naction = \"checkout\"\n"));
        expect = "is not allowed";
    }
    SUBCASE("the term ended for the sub-district, grace included") {
        REQUIRE(end_term(d.admin, term_name, {"35.02.01"}));
        d.clock.advance_seconds(8 * 24 * 3600);
        expect = "is not allowed";
    }
    // A check-out by op1 that a live write would refuse now, signed with op1's real key.
    Event e;
    e.actor = "op1";
    e.action = std::string(actions::checkout);
    e.target = account_target(d.account);
    e.details.integer("version", 1)
        .integer("until_us", d.clock.now_us() + 3'600'000'000)
        .integer("break_glass", 0)
        .text("reason", "unggah hasil pengawasan");
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(op), d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
}

TEST_CASE("the replay refuses an acceptance that leaves out an account given a password after the start") {
    District d;
    Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    Session operator2 = d.person("operator2", policy::Role::custodian);
    HandoverRequest rq;
    rq.unit = "35.02.01";
    rq.receiver = "operator2";
    rq.note = "Pergantian operator";
    REQUIRE(start_handover(d.admin, rq));
    auto later = add_account(d.admin, "35.02.01", {"tiktok", "panwascam.ponorogo.tt", "", "", ""});
    REQUIRE(later);
    REQUIRE(set_secret(d.admin, later->id, password("rahasia-ketiga")));
    REQUIRE(verify(d.admin, std::nullopt)->ok);

    // The acceptance operator2's own software would have refused, signed with operator2's key.
    auto row = find_handover(store_of(d.admin), 1);
    REQUIRE(row);
    REQUIRE(row->has_value());
    Event e;
    e.actor = "operator2";
    e.action = std::string(actions::handover_accept);
    e.target = handover_target(1);
    e.details.bytes("accounts_digest", Bytes((*row)->accounts_digest.begin(), (*row)->accounts_digest.end())).text("unit", "35.02.01");
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(operator2), d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find("1 account(s) of the sub-district got a password after the handover started") != std::string::npos,
                  r.problem);
}

TEST_CASE("the replay refuses a password set while a rotation is pending, and a read without a reason") {
    District d;
    REQUIRE(start_rotation(d.admin, d.account, PasswordRules{}, "rotasi"));
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::string expect;
    Event e;
    SUBCASE("a new current version while the pending one waits") {
        SecretSet set;
        set.account = d.account;
        set.version = 2;
        set.key_version = 1;
        set.reason = "dipaksa";
        set.sealed = Bytes(80, 7);
        e = set.encode();
        expect = "sets the password of an account that has a pending rotation";
    }
    SUBCASE("a read that gives no reason") {
        e = SecretRead{d.account, 1, SecretPart::password, ""}.encode();
        expect = "reads without a proper reason";
    }
    // What the admin's own software would have refused, signed with the admin's key.
    check_planted_refused(d, e, d.admin, d.clock.now_us() + 1, expect);
}

TEST_CASE("the replay refuses a tick of the new password while it is pending, or naming another version") {
    District d;
    d.clock.set(term_end_us + 8 * policy::day_us); // past the term and its grace
    REQUIRE(enforce(d.admin));                     // deactivated, a new password pending
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::int64_t version = 1;
    std::string expect;
    SUBCASE("the new password still pending") { expect = "ticks the new password while it is still pending"; }
    SUBCASE("confirmed, but the tick names the old version") {
        REQUIRE(confirm_rotation(d.admin, d.account));
        expect = "names a version that is not the account's current password";
    }
    // The tick the admin's own software would have refused, signed with the admin's key.
    Event e;
    e.actor = "admin";
    e.action = std::string(actions::checklist_tick);
    e.target = account_target(d.account);
    e.details.text("note", "sandi dari brankas").text("step", "new-password").integer("version", version);
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(d.admin), d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
}

TEST_CASE("a version whose sealing event is by someone the role matrix never lets write it does not open") {
    District d;
    Session auditor = d.person("auditor1", policy::Role::auditor);
    // The very bytes of version 1, as if the auditor had sealed them: its event is well signed
    // and names the version, but an auditor may never set a password.
    Statement row = *store_of(d.admin).prepare("SELECT sealed FROM secret_versions WHERE account = 1 AND version = 1");
    REQUIRE(*row.step());
    SecretSet set;
    set.account = d.account;
    set.version = 1;
    set.key_version = 1;
    set.reason = "ditanam";
    set.sealed = row.column_blob(0);
    row.reset();
    Event e = set.encode();
    e.actor = "auditor1";
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(auditor), d.clock.now_us() + 1);
    Statement point = *store_of(d.admin).prepare("UPDATE secret_versions SET sealed_seq = ? WHERE account = 1 AND version = 1");
    REQUIRE(point.bind(1, static_cast<std::int64_t>(planted)).run());
    auto opened = VaultTestAccess::open_version(d.admin, d.account, 1);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == ErrorCode::store_corrupt);
    CHECK_MESSAGE(opened.error().message.find("its writer, auditor1, was not allowed to write it") != std::string::npos,
                  opened.error().message);
}

namespace {

// Rewrites the last event of `db` as `forged` (same seq, chained onto the event before it),
// signed with `key`, or keeping the old signature when there is none.
void rewrite_last_event(Database& db, Event forged, const SigningKey* key) {
    auto before = db.prepare("SELECT hash FROM events WHERE seq = ?");
    REQUIRE(before);
    before->bind(1, static_cast<std::int64_t>(forged.seq - 1));
    REQUIRE(*before->step());
    Hash previous{};
    auto raw = before->column_raw(0);
    std::copy(raw.begin(), raw.end(), previous.begin());
    before->reset();
    Bytes body = *encode_event(forged);
    Hash hash = chain_hash(previous, body);
    auto upd = db.prepare("UPDATE events SET body = ?, hash = ? WHERE seq = ?");
    REQUIRE(upd);
    REQUIRE(upd->bind(1, ByteView(body)).bind(2, ByteView(hash)).bind(3, static_cast<std::int64_t>(forged.seq)).run());
    if (key != nullptr) {
        auto sig = db.prepare("UPDATE events SET signature = ? WHERE seq = ?");
        REQUIRE(sig);
        REQUIRE(sig->bind(1, ByteView(key->sign(event_signing_message(hash)))).bind(2, static_cast<std::int64_t>(forged.seq)).run());
    }
}

} // namespace

TEST_CASE("an event whose signature and replay both fail is named for its signature, as the spec orders the checks") {
    // The last event, a checkpoint, rewritten to carry a field no checkpoint has: the replay
    // refuses it, and the signature (of the old bytes) no longer verifies either.
    auto forged_checkpoint = [](std::uint64_t seq, std::int64_t time_us) {
        Event e;
        e.seq = seq;
        e.time_us = time_us;
        e.actor = "admin";
        e.action = std::string(actions::audit_checkpoint);
        e.details.text("note", "added later");
        return e;
    };
    SUBCASE("a short log, checked on one thread") {
        ThreeEvents v;
        rewrite_last_event(v.db(), forged_checkpoint(3, test_start_us + 120'000'000), nullptr);
        VerifyReport r = v.verify();
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == 3u);
        CHECK(r.problem == "its signature does not verify with admin's key");
    }
    SUBCASE("a long log, whose signatures are checked on worker threads") {
        LongLog v(999);
        // LongLog appends its events in one change, one second after the vault was made.
        rewrite_last_event(v.db(), forged_checkpoint(1000, test_start_us + 1'000'000), nullptr);
        for (unsigned threads : {1u, 2u, 4u}) {
            CAPTURE(threads);
            VerifyReport r = v.verify(on_threads(threads));
            CHECK_FALSE(r.ok);
            CHECK(r.bad_event == 1000u);
            CHECK(r.problem == "its signature does not verify with admin's key");
        }
    }
    SUBCASE("with a good signature, the replay's reason is the one named") {
        ThreeEvents v;
        rewrite_last_event(v.db(), forged_checkpoint(3, test_start_us + 120'000'000), &signing_key_of(v.vault));
        VerifyReport r = v.verify();
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == 3u);
        CHECK(r.problem == "event 3 (audit.checkpoint) has an unexpected field 'note'");
    }
}

TEST_CASE("a row of the log whose values are not stored as the schema says is refused, though its bytes are right") {
    ThreeEvents v;
    std::string column;
    SUBCASE("the target stored as a blob") {
        column = "target";
    }
    SUBCASE("the actor stored as a blob") {
        column = "actor";
    }
    SUBCASE("the action stored as a blob") {
        column = "action";
    }
    SUBCASE("the body stored as text") {
        REQUIRE(v.db().exec("UPDATE events SET body = CAST(body AS TEXT) WHERE seq = 2"));
    }
    if (!column.empty())
        REQUIRE(v.db().exec(("UPDATE events SET " + column + " = CAST(" + column + " AS BLOB) WHERE seq = 2").c_str()));
    VerifyReport r = v.verify();
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == 2u);
    CHECK_MESSAGE(r.problem.starts_with("its row is malformed"), r.problem);
    CHECK(r.events == 1);
}

// ---- dual control: approvals the replay decides again ----

namespace {

// A district whose policy puts break-glass check-outs under dual control, its term over (so a
// check-out breaks the glass), a second admin, and the request the first admin's break-glass
// check-out recorded.
struct DualDistrict {
    District d;
    Session admin2 = d.person("admin2", policy::Role::admin);
    std::int64_t request = 0;
    DualDistrict() {
        REQUIRE(set_policy(d.admin, "[dual_control]\nactions = [\"break_glass\"]\n"));
        REQUIRE(end_term(d.admin, term_name, {"35.02.01"}));
        d.clock.advance_seconds(8 * 24 * 3600);
        auto asked = checkout(d.admin, d.account, CheckoutRequest{"akun diretas", std::nullopt, true});
        REQUIRE_MESSAGE(asked, (asked ? "" : asked.error().message));
        REQUIRE(asked->awaiting);
        request = asked->awaiting->request;
        d.clock.advance_seconds(60);
    }
    // A break-glass check-out of the account by admin for the request's reason and 2h.
    Event glass_checkout(std::optional<std::int64_t> named, std::int64_t at) const {
        return CheckoutTaken{d.account, 1, at + 2 * policy::hour_us, true, "akun diretas", named}.encode();
    }
};

} // namespace

TEST_CASE("the replay refuses approvals planted or reused by someone who signs but skips the rules") {
    DualDistrict v;
    District& d = v.d;
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::int64_t at = d.clock.now_us() + 1;
    std::string expect;
    Event e;
    SUBCASE("the requester approving their own request") {
        e = ApprovalGranted{v.request, "saya sendiri"}.encode();
        expect = "nobody approves or rejects their own request";
    }
    SUBCASE("a check-out naming a request nobody approved") {
        e = v.glass_checkout(v.request, at);
        expect = "has 0 of the 1 approval(s) the policy needs";
    }
    SUBCASE("a break-glass check-out that names no request") {
        e = v.glass_checkout(std::nullopt, at);
        expect = "under dual control";
    }
    SUBCASE("a request used a second time") {
        REQUIRE(decide_request(v.admin2, v.request, ApprovalVerdict::grant, "dikonfirmasi"));
        d.clock.advance_seconds(60);
        auto used = checkout(d.admin, d.account, CheckoutRequest{"", std::nullopt, true, v.request});
        REQUIRE_MESSAGE(used, (used ? "" : used.error().message));
        CHECK(used->request == v.request);
        d.clock.advance_seconds(60);
        REQUIRE(checkin(d.admin, d.account));
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        at = d.clock.now_us() + 1;
        e = v.glass_checkout(v.request, at);
        expect = "was used already: an approval is used once";
    }
    SUBCASE("an approval by someone the policy does not name") {
        Session auditor = d.person("auditor1", policy::Role::auditor);
        e = ApprovalGranted{v.request, "setuju"}.encode();
        e.actor = "auditor1";
        expect = "the policy does not let an auditor approve or reject requests";
        const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(auditor), d.clock.now_us() + 1);
        VerifyReport r = *verify(d.admin, std::nullopt);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == planted);
        CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
        return;
    }
    check_planted_refused(d, e, d.admin, at, expect);
}

// ---- dual control over the policy itself ----

namespace {

const std::string dual_policy_doc = "[dual_control]\nactions = [\"policy_set\"]\n";
const std::string lifted_doc = "[dual_control]\nactions = []\n";

// A district whose policy puts `policy set` under dual control, a second admin, and a request
// by the first admin to lift it (with its reason).
struct DualPolicyDistrict {
    District d;
    Session admin2 = d.person("admin2", policy::Role::admin);
    std::int64_t request = 0;
    DualPolicyDistrict() {
        REQUIRE(set_policy(d.admin, dual_policy_doc));
        d.clock.advance_seconds(60);
        auto asked = set_policy(d.admin, lifted_doc, PolicySetAsk{"rapat pleno 3 Desember", std::nullopt});
        REQUIRE_MESSAGE(asked, (asked ? "" : asked.error().message));
        REQUIRE(asked->awaiting);
        request = asked->awaiting->request;
        d.clock.advance_seconds(60);
    }
};

} // namespace

TEST_CASE("the replay refuses a policy set that dual control holds back, planted without its approval") {
    DualPolicyDistrict v;
    District& d = v.d;
    // Under dual control the live path records a request (with a reason), never the document.
    auto no_reason = set_policy(d.admin, lifted_doc);
    REQUIRE_FALSE(no_reason);
    CHECK(no_reason.error().message == "setting the policy under dual control needs a reason");
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::string expect;
    PolicySet set{lifted_doc, std::string("rapat pleno 3 Desember"), std::nullopt};
    SUBCASE("a policy set that names no request") {
        set.request = std::nullopt;
        expect = "is not allowed: the policy puts setting the policy under dual control";
    }
    SUBCASE("a policy set naming a request nobody approved") {
        set.request = v.request;
        expect = "has 0 of the 1 approval(s) the policy needs";
    }
    SUBCASE("a policy set of another document than the approved request's") {
        REQUIRE(decide_request(v.admin2, v.request, ApprovalVerdict::grant, "sesuai notulen"));
        d.clock.advance_seconds(60);
        set.document = "[dual_control]\nactions = []\n\n[checkout]\nmax_duration = \"24h\"\n";
        set.request = v.request;
        expect = "asked for something else";
    }
    SUBCASE("a request used a second time") {
        REQUIRE(decide_request(v.admin2, v.request, ApprovalVerdict::grant, "sesuai notulen"));
        d.clock.advance_seconds(60);
        // The approved document keeps dual control, so a second use is still decided by it.
        auto used = set_policy(d.admin, lifted_doc, PolicySetAsk{"", v.request});
        REQUIRE_MESSAGE(used, (used ? "" : used.error().message));
        CHECK(used->request == v.request);
        REQUIRE(set_policy(d.admin, dual_policy_doc));
        d.clock.advance_seconds(60);
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        set.request = v.request;
        expect = "was used already: an approval is used once";
    }
    SUBCASE("a request naming a document under a policy that does not hold it back") {
        REQUIRE(decide_request(v.admin2, v.request, ApprovalVerdict::grant, "sesuai notulen"));
        d.clock.advance_seconds(60);
        REQUIRE(set_policy(d.admin, lifted_doc, PolicySetAsk{"", v.request}));
        d.clock.advance_seconds(60);
        Event asked = ApprovalRequested{policy::DualAction::policy_set, policy_document_target(dual_policy_doc), "kembali", 0}.encode();
        asked.actor = "admin";
        const std::uint64_t planted = plant_event(store_of(d.admin), asked, signing_key_of(d.admin), d.clock.now_us() + 1);
        VerifyReport r = *verify(d.admin, std::nullopt);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == planted);
        CHECK_MESSAGE(r.problem.find("asks for an approval the action does not need") != std::string::npos, r.problem);
        return;
    }
    Event e = set.encode();
    check_planted_refused(d, e, d.admin, d.clock.now_us() + 1, expect);
}

TEST_CASE("a policy set without a reason or a request has the bytes it always had") {
    Event plain = PolicySet{"[checkout]\nmax_duration = \"4h\"\n"}.encode();
    CHECK(plain.details.fields().size() == 1);
    Event both = PolicySet{"[checkout]\nmax_duration = \"4h\"\n", std::string("rapat"), 7}.encode();
    auto decoded = PolicySet::decode(both);
    REQUIRE(decoded);
    CHECK(decoded->reason == "rapat");
    CHECK(decoded->request == 7);
    both.details.integer("request", 0);
    CHECK(PolicySet::decode(both).error().message.find("names a request that cannot exist") != std::string::npos);
}

// ---- dual control over a re-key and a recovery split ----

namespace {

// A district whose policy puts re-keys and recovery splits under dual control, a second admin, an
// auditor to disable, and the requests the first admin recorded for each.
struct DualPeopleDistrict {
    District d;
    Session admin2 = d.person("admin2", policy::Role::admin);
    Session auditor = d.person("auditor1", policy::Role::auditor);
    std::int64_t rekey_request = 0, split_request = 0;
    DualPeopleDistrict() {
        REQUIRE(set_policy(d.admin, "[dual_control]\nactions = [\"rekey\", \"recovery_split\"]\n"));
        d.clock.advance_seconds(60);
        auto rekey = disable_user(d.admin, "auditor1", DisableAsk{StoreRekey::yes, "masa tugas selesai", std::nullopt});
        REQUIRE_MESSAGE(rekey, (rekey ? "" : rekey.error().message));
        REQUIRE(rekey->awaiting);
        rekey_request = rekey->awaiting->request;
        auto split = split_recovery(d.admin, 3, 2, d.dir / "shares", SplitAsk{"komisioner baru", std::nullopt});
        REQUIRE_MESSAGE(split, (split ? "" : split.error().message));
        REQUIRE(split->awaiting);
        split_request = split->awaiting->request;
        d.clock.advance_seconds(60);
    }
    void approve_both() {
        REQUIRE(decide_request(admin2, rekey_request, ApprovalVerdict::grant, "sesuai berita acara"));
        REQUIRE(decide_request(admin2, split_request, ApprovalVerdict::grant, "sesuai rapat pleno"));
        d.clock.advance_seconds(60);
    }
    // A user.disable of `name` that announces the next store key, as a re-key would.
    Event rekey_disable(std::string name, std::optional<std::string> reason, std::optional<std::int64_t> request) {
        UserDisabled disabled{std::move(name), StoreKeyAnnounced{static_cast<std::int64_t>(d.admin.store_generation()) + 1, Hash{}},
                              std::move(reason)};
        disabled.request = request;
        return disabled.encode();
    }
    Event split_event(std::int64_t shares, std::int64_t threshold, std::optional<std::int64_t> request) {
        RecoveryKeySplit split{SigningKey::generate().public_key(), BoxKeyPair::generate().public_key(), shares, threshold, SplitId{}, std::nullopt};
        split.reason = std::string("komisioner baru");
        split.request = request;
        return split.encode();
    }
};

} // namespace

TEST_CASE("the replay refuses a re-key or a recovery split planted past dual control") {
    DualPeopleDistrict v;
    District& d = v.d;
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::string expect;
    Event e;
    SUBCASE("a re-key that names no request") {
        e = v.rekey_disable("auditor1", std::nullopt, std::nullopt);
        expect = "is not allowed: the policy puts disabling a person with a new store key under dual control";
    }
    SUBCASE("a re-key naming a request nobody approved") {
        e = v.rekey_disable("auditor1", std::string("masa tugas selesai"), v.rekey_request);
        expect = "has 0 of the 1 approval(s) the policy needs";
    }
    SUBCASE("a re-key of another person than the approved request's") {
        v.approve_both();
        e = v.rekey_disable("admin2", std::string("masa tugas selesai"), v.rekey_request);
        expect = "asked for something else";
    }
    SUBCASE("a re-key using the split's approval") {
        v.approve_both();
        e = v.rekey_disable("auditor1", std::string("komisioner baru"), v.split_request);
        expect = "asked for something else";
    }
    SUBCASE("a split that names no request") {
        e = v.split_event(3, 2, std::nullopt);
        expect = "is not allowed: the policy puts a new recovery split under dual control";
    }
    SUBCASE("a split of another shape than the approved request's") {
        v.approve_both();
        e = v.split_event(5, 3, v.split_request);
        expect = "asked for something else";
    }
    SUBCASE("a split using its approval a second time") {
        v.approve_both();
        auto used = split_recovery(d.admin, 3, 2, d.dir / "shares", SplitAsk{"", v.split_request});
        REQUIRE_MESSAGE(used, (used ? "" : used.error().message));
        CHECK(used->request == v.split_request);
        d.clock.advance_seconds(60);
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        e = v.split_event(3, 2, v.split_request);
        expect = "was used already: an approval is used once";
    }
    SUBCASE("a request for a re-key the policy does not hold back") {
        REQUIRE(set_policy(d.admin, "[dual_control]\nactions = [\"recovery_split\"]\n"));
        d.clock.advance_seconds(60);
        e = ApprovalRequested{policy::DualAction::rekey, "auditor1", "masa tugas selesai", 0}.encode();
        expect = "asks for an approval the action does not need";
    }
    check_planted_refused(d, e, d.admin, d.clock.now_us() + 1, expect);
}

TEST_CASE("a re-key and a split without a request have the bytes they always had") {
    UserDisabled plain{"auditor1", StoreKeyAnnounced{2, Hash{}}, std::nullopt};
    CHECK_FALSE(plain.encode().details.fields().contains("request"));
    UserDisabled named = plain;
    named.request = 7;
    CHECK(UserDisabled::decode(named.encode())->request == 7);
    // A request goes with a re-key only.
    UserDisabled without_rekey{"auditor1", std::nullopt, std::nullopt};
    without_rekey.request = 7;
    CHECK(UserDisabled::decode(without_rekey.encode()).error().message.find("names a request without a re-key") != std::string::npos);
    RecoveryKeySplit split{SigningKey::generate().public_key(), BoxKeyPair::generate().public_key(), 3, 2, SplitId{}, std::nullopt};
    CHECK_FALSE(split.encode().details.fields().contains("request"));
    CHECK_FALSE(split.encode().details.fields().contains("reason"));
    CHECK(recovery_split_target(2, 3) == "recovery/2-of-3");
    CHECK(parse_recovery_split_target("recovery/2-of-3")->shares == 3);
    CHECK_FALSE(parse_recovery_split_target("recovery/02-of-3"));
    CHECK_FALSE(parse_recovery_split_target("recovery/4-of-3"));
}

TEST_CASE("the replay refuses a read during someone else's check-out, unless it broke the glass and says so") {
    District d;
    Session op = d.person("op1", policy::Role::custodian, {"35.02.01"});
    Session admin2 = d.person("admin2", policy::Role::admin);
    d.clock.advance_seconds(60);
    REQUIRE(checkout(d.admin, d.account, CheckoutRequest{"unggah hasil pengawasan", std::nullopt, false}));
    d.clock.advance_seconds(60);
    REQUIRE(verify(d.admin, std::nullopt)->ok);

    // Reads that the live path would refuse (or record otherwise), each signed with its actor's
    // real key.
    std::string actor, expect;
    SecretRead read{d.account, 1, SecretPart::password, "unggah", false};
    const SigningKey* key = nullptr;
    SUBCASE("a custodian's read") {
        actor = "op1";
        key = &signing_key_of(op);
        expect = "is not allowed: it is checked out by admin until";
    }
    SUBCASE("another admin's read without break-glass") {
        actor = "admin2";
        key = &signing_key_of(admin2);
        expect = "is not allowed: it is checked out by admin until";
    }
    SUBCASE("the holder's own read flagged as break-glass") {
        actor = "admin";
        key = &signing_key_of(d.admin);
        read.break_glass = true;
        expect = "does not record the break-glass flag its decision gave";
    }
    SUBCASE("a read whose reason is only spaces") {
        actor = "admin";
        key = &signing_key_of(d.admin);
        read.reason = "   ";
        expect = "reads without a proper reason";
    }
    Event e = read.encode();
    e.actor = actor;
    const std::uint64_t planted = plant_event(store_of(d.admin), e, *key, d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
}

TEST_CASE("a used approval set back to pending in the store is caught by the replay") {
    DualDistrict v;
    REQUIRE(decide_request(v.admin2, v.request, ApprovalVerdict::grant, "dikonfirmasi"));
    v.d.clock.advance_seconds(60);
    REQUIRE(checkout(v.d.admin, v.d.account, CheckoutRequest{"", std::nullopt, true, v.request}));
    REQUIRE(store_of(v.d.admin).exec("UPDATE approvals SET state = 'pending', ended_seq = NULL"));
    VerifyReport r = *verify(v.d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK_MESSAGE(r.problem.find("the stored table 'approvals' row 1 differs from what the log says") != std::string::npos, r.problem);
}

TEST_CASE("a break-glass read during someone else's check-out replays, flagged") {
    District d;
    Session admin2 = d.person("admin2", policy::Role::admin);
    d.clock.advance_seconds(60);
    REQUIRE(checkout(d.admin, d.account, CheckoutRequest{"unggah hasil pengawasan", std::nullopt, false}));
    d.clock.advance_seconds(60);
    CHECK_FALSE(reveal_secret(admin2, d.account, "akun diretas", SecretPart::password));
    d.clock.advance_seconds(1);
    auto shown = reveal_secret(admin2, d.account, "akun diretas", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes);
    REQUIRE(shown);
    CHECK(shown->break_glass);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_MESSAGE(r.ok, r.problem);
}

TEST_CASE("the replay refuses a person's rotation without a reason") {
    District d;
    SecretPending pending;
    pending.account = d.account;
    pending.version = 2;
    pending.key_version = 1;
    pending.reason = " ";
    pending.sealed = Bytes(80, 7);
    Event e = pending.encode();
    e.actor = "admin";
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(d.admin), d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find("starts a rotation without a proper reason") != std::string::npos, r.problem);
}

TEST_CASE("the replay refuses a completion planted before the outgoing custodian released the handover") {
    District d;
    Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    Session operator2 = d.person("operator2", policy::Role::custodian);
    HandoverRequest rq;
    rq.unit = "35.02.01";
    rq.receiver = "operator2";
    rq.note = "Pergantian operator";
    REQUIRE(start_handover(d.admin, rq));
    REQUIRE(accept_handover(operator2, 1));
    // The live path refuses to complete it: operator1 has not released it.
    auto refused = complete_handover(d.admin, 1);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("have not released the handover") != std::string::npos);
    REQUIRE(verify(d.admin, std::nullopt)->ok);

    // The completion an admin's own software would have refused, signed with the admin's key.
    auto row = find_handover(store_of(d.admin), 1);
    REQUIRE(row);
    REQUIRE(row->has_value());
    Event e;
    e.actor = "admin";
    e.action = std::string(actions::handover_complete);
    e.target = handover_target(1);
    e.details.bytes("accounts_digest", Bytes((*row)->accounts_digest.begin(), (*row)->accounts_digest.end())).text("unit", "35.02.01");
    const std::uint64_t planted = plant_event(store_of(d.admin), e, signing_key_of(d.admin), d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find("the outgoing custodian(s) 'operator1' have not released the handover") != std::string::npos, r.problem);
}

TEST_CASE("the replay refuses a release signed by someone who did not hold the sub-district, and a malformed NIP") {
    District d;
    Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
    Session operator2 = d.person("operator2", policy::Role::custodian);
    HandoverRequest rq;
    rq.unit = "35.02.01";
    rq.receiver = "operator2";
    rq.note = "Pergantian operator";
    REQUIRE(start_handover(d.admin, rq));
    REQUIRE(verify(d.admin, std::nullopt)->ok);
    std::string expect;
    Event e;
    const SigningKey* key = nullptr;
    SUBCASE("a release by the receiver") {
        auto row = find_handover(store_of(d.admin), 1);
        REQUIRE(row);
        REQUIRE(row->has_value());
        e.actor = "operator2";
        e.action = std::string(actions::handover_release);
        e.target = handover_target(1);
        e.details.bytes("accounts_digest", Bytes((*row)->accounts_digest.begin(), (*row)->accounts_digest.end())).text("unit", "35.02.01");
        key = &signing_key_of(operator2);
        expect = "only an outgoing custodian ('operator1') may release this handover";
    }
    SUBCASE("a NIP written in groups") {
        e.actor = "admin";
        e.action = std::string(actions::user_edit);
        e.target = "operator1";
        e.details.text("nip", "19850312 201001 2 002");
        key = &signing_key_of(d.admin);
        expect = "is not a NIP";
    }
    const std::uint64_t planted = plant_event(store_of(d.admin), e, *key, d.clock.now_us() + 1);
    VerifyReport r = *verify(d.admin, std::nullopt);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_event == planted);
    CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
}

TEST_CASE("the replay decides a custodian's rotation outside every term as the check-out's break-glass, flag included") {
    District d;
    auto [outside, operator1] = d.account_outside_every_term();
    auto planted_pending = [&](std::int64_t account, bool glass) {
        SecretPending pending;
        pending.account = account;
        pending.version = 2;
        pending.key_version = 1;
        pending.reason = "akun diretas";
        pending.sealed = Bytes(80, 7);
        pending.break_glass = glass;
        Event e = pending.encode();
        e.actor = "operator1";
        return plant_event(store_of(d.admin), e, signing_key_of(operator1), d.clock.now_us() + 1);
    };
    SUBCASE("outside every term without the flag: not allowed") {
        const std::uint64_t planted = planted_pending(outside, false);
        VerifyReport r = *verify(d.admin, std::nullopt);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == planted);
        CHECK_MESSAGE(r.problem.find("usable only inside a term") != std::string::npos, r.problem);
    }
    SUBCASE("inside the term with the flag: a flag its decision did not give") {
        const std::uint64_t planted = planted_pending(d.account, true);
        VerifyReport r = *verify(d.admin, std::nullopt);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == planted);
        CHECK_MESSAGE(r.problem.find("does not record the break-glass flag its decision gave") != std::string::npos, r.problem);
    }
    SUBCASE("outside every term, flagged, as the live rotation writes it: verifies") {
        auto started = start_rotation(operator1, outside, PasswordRules{}, "akun diretas", BreakGlass::yes);
        REQUIRE(started);
        CHECK(started->break_glass);
        CHECK(verify(d.admin, std::nullopt)->ok);
    }
}

TEST_CASE("the replay lets only the custodian who started a break-glass rotation finish it outside every term, flagged") {
    District d;
    auto [outside, operator1] = d.account_outside_every_term();
    Session operator2 = d.person("operator2", policy::Role::custodian, {"35.02.01", "35.02.09"});
    auto planted_finish = [&](const Session& signer, std::int64_t account, bool confirm, bool glass) {
        Event e = confirm ? SecretConfirmed{account, 2, std::nullopt, glass}.encode() : SecretAborted{account, 2, glass}.encode();
        e.actor = signer.user();
        return plant_event(store_of(d.admin), e, signing_key_of(signer), d.clock.now_us() + 1);
    };
    auto refused_at = [&](std::uint64_t planted, std::string_view expect) {
        VerifyReport r = *verify(d.admin, std::nullopt);
        CHECK_FALSE(r.ok);
        CHECK(r.bad_event == planted);
        CHECK_MESSAGE(r.problem.find(expect) != std::string::npos, r.problem);
    };
    SUBCASE("a break-glass rotation") {
        auto started = start_rotation(operator1, outside, PasswordRules{}, "akun diretas", BreakGlass::yes);
        REQUIRE(started);
        REQUIRE(started->break_glass);
        d.clock.advance_seconds(60);
        // Each planted event is taken out again before the next (the tables never saw it).
        auto take_back = [&] { REQUIRE(store_of(d.admin).exec("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")); };
        SUBCASE("finished by another custodian of the sub-district, flagged or not: not allowed") {
            for (bool confirm : {true, false})
                for (bool glass : {true, false}) {
                    CAPTURE(confirm);
                    CAPTURE(glass);
                    refused_at(planted_finish(operator2, outside, confirm, glass), "is not allowed");
                    take_back();
                }
        }
        SUBCASE("finished by its starter without the flag: the flag its decision gave is missing") {
            for (bool confirm : {true, false}) {
                CAPTURE(confirm);
                refused_at(planted_finish(operator1, outside, confirm, false), "does not record the break-glass flag its decision gave");
                take_back();
            }
        }
        SUBCASE("confirmed by its starter, flagged, as the live step writes it: verifies") {
            auto done = confirm_rotation(operator1, outside);
            REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
            CHECK(done->break_glass);
            CHECK(verify(d.admin, std::nullopt)->ok);
        }
        SUBCASE("aborted by its starter, flagged: verifies") {
            auto done = abort_rotation(operator1, outside);
            REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
            CHECK(done->break_glass);
            CHECK(verify(d.admin, std::nullopt)->ok);
        }
    }
    SUBCASE("an ordinary rotation whose term ended before it was finished") {
        auto started = start_rotation(operator1, d.account, PasswordRules{}, "pergantian rutin");
        REQUIRE(started);
        REQUIRE_FALSE(started->break_glass);
        REQUIRE(end_term(d.admin, term_name, {"35.02.01"}));
        d.clock.advance_seconds(8 * 24 * 3600);
        SUBCASE("its starter may not finish it outside every term, flagged or not") {
            for (bool glass : {true, false}) {
                CAPTURE(glass);
                refused_at(planted_finish(operator1, d.account, true, glass), "is not allowed");
                REQUIRE(store_of(d.admin).exec("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)"));
            }
            auto live = confirm_rotation(operator1, d.account);
            REQUIRE_FALSE(live);
            CHECK(live.error().code == ErrorCode::denied);
        }
        SUBCASE("an admin may, unflagged") {
            auto done = confirm_rotation(d.admin, d.account);
            REQUIRE(done);
            CHECK_FALSE(done->break_glass);
            CHECK(verify(d.admin, std::nullopt)->ok);
        }
    }
}
