// The replay's test vectors (docs/formats.md, "Replay test vectors"): the store of the
// vault-0.1 fixture exported table by table, and the schema every store of version 15 has. The
// tests check that the files say what the fixture and the migrations hold, and that replaying
// the exported log reaches exactly the exported tables. With BRANKAS_WRITE_REPLAY_VECTORS=1
// they write the files instead (after the fixture is made again).
#include "support/district.hpp"
#include "support/planted_event.hpp"
#include "support/test_vault.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/checkouts/checkouts.hpp"
#include "vault/enforcement/enforcement.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/handover/handover.hpp"
#include "vault/log/event_log.hpp"
#include "vault/people/people.hpp"
#include "vault/recovery/recovery.hpp"
#include "vault/policies/policies.hpp"
#include "vault/projection.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/store/schema.hpp"
#include "vault/terms/terms.hpp"
#include "vault/units/units.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

using namespace brankas;
using namespace brankas::test;
namespace fs = std::filesystem;

namespace {

const fs::path fixture_dir = BRANKAS_FIXTURE_VAULT;
const fs::path vectors_dir = fs::path(BRANKAS_VECTORS_FILE).parent_path();
const fs::path export_file = vectors_dir / "replay-vault-0.1.jsonl";
const fs::path schema_file = vectors_dir / "sqlite_master-15.jsonl";

bool writing_vectors() {
    const char* v = std::getenv("BRANKAS_WRITE_REPLAY_VECTORS");
    return v != nullptr && std::string_view(v) == "1";
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Compares `text` with the file, or writes it there when the vectors are being made again.
void check_or_write(const fs::path& file, const std::string& text) {
    if (writing_vectors()) {
        std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
        MESSAGE("wrote " << file);
        return;
    }
    std::string expected = read_text(file);
    CHECK_MESSAGE(text == expected, file << " does not hold what it should (" << text.size() << " bytes made, "
                                         << expected.size() << " in the file)");
}

// One value as the vectors write it: null, an integer, a string, or {"blob": "<hex>"}.
nlohmann::json value_of(const Statement& s, int c) {
    switch (s.column_type(c)) {
    case Statement::ColumnType::null: return nullptr;
    case Statement::ColumnType::integer: return s.column_int(c);
    case Statement::ColumnType::text: return s.column_text(c);
    case Statement::ColumnType::blob: return nlohmann::json{{"blob", to_hex(s.column_raw(c))}};
    case Statement::ColumnType::real: break;
    }
    FAIL("a column holds a floating-point value");
    return nullptr;
}

std::vector<std::string> columns_of(Database& db, std::string_view table) {
    Statement s = *db.prepare("PRAGMA table_info(" + std::string(table) + ")");
    std::vector<std::string> out;
    while (*s.step()) out.push_back(s.column_text(1));
    return out;
}

// The lines of one table: its columns, then its rows in the order of its key.
std::string export_table(Database& db, std::string_view table, std::string_view order_by) {
    std::string out = nlohmann::json{{"table", table}, {"columns", columns_of(db, table)}}.dump() + "\n";
    auto s = db.prepare("SELECT * FROM " + std::string(table) + " ORDER BY " + std::string(order_by));
    REQUIRE(s);
    while (*s->step()) {
        nlohmann::json row = nlohmann::json::array();
        for (int c = 0; c < s->column_count(); ++c) row.push_back(value_of(*s, c));
        out += nlohmann::json{{"table", table}, {"row", row}}.dump() + "\n";
    }
    return out;
}

std::string export_projection(Database& db) {
    std::string out;
    for (const ProjectionTable& t : vault_projection().tables()) out += export_table(db, t.name, t.order_by);
    return out;
}

// The fixture copied where it may be opened (git keeps no file modes).
struct FixtureCopy {
    TempDir dir;
    FixedClock clock{1'800'000'000'000'000};
    FixtureCopy() {
        fs::create_directory(dir / "v");
        fs::permissions(dir / "v", fs::perms::owner_all, fs::perm_options::replace);
        for (const char* name : {"store.db", "keyring"}) {
            fs::copy_file(fixture_dir / name, dir / "v" / name);
            fs::permissions(dir / "v" / name, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
        }
    }
    Session open(const std::string& user) {
        std::string passphrase = read_text(fixture_dir / "TEST-ONLY-passphrases" / (user + ".txt"));
        passphrase.erase(passphrase.find('\n'));
        auto v = Vault::open(dir / "v", user, [passphrase]() -> Result<SecretBytes> { return SecretBytes::copy_of(as_bytes(passphrase)); },
                             clock);
        REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
        return std::move(*v);
    }
};

// The export's lines of one table, without its column line.
std::vector<nlohmann::json> rows_of(const std::string& exported, std::string_view table) {
    std::vector<nlohmann::json> out;
    std::istringstream in(exported);
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        if (j["table"] == table && j.contains("row")) out.push_back(j["row"]);
    }
    return out;
}

Bytes blob_of(const nlohmann::json& v) {
    std::string hex = v.at("blob").get<std::string>();
    Bytes out(hex.size() / 2);
    REQUIRE(from_hex(hex, out));
    return out;
}

} // namespace

TEST_CASE("a store of schema 15 has exactly the sqlite_master rows the vectors list") {
    auto db = Database::open_memory();
    REQUIRE(db);
    REQUIRE(apply_migrations(*db, 0, latest_schema_version));
    REQUIRE(latest_schema_version == 15);
    auto s = db->prepare("SELECT type, name, tbl_name, ifnull(sql, '') FROM sqlite_master ORDER BY type, name");
    REQUIRE(s);
    std::string text;
    while (*s->step())
        text += nlohmann::json{{"type", s->column_text(0)}, {"name", s->column_text(1)}, {"tbl_name", s->column_text(2)},
                               {"sql", s->column_text(3)}}
                    .dump() +
                "\n";
    check_or_write(schema_file, text);
}

TEST_CASE("the replay vectors are the vault-0.1 fixture's tables, and its log replays to exactly them") {
    FixtureCopy fixture;
    Session vault = fixture.open("aud");
    Database& store = store_of(vault);
    std::string exported = export_table(store, "events", "seq") + export_projection(store);
    check_or_write(export_file, exported);
    if (writing_vectors()) return;

    // Audit verify agrees: the fixture is a good vault.
    auto report = verify(vault, std::nullopt);
    REQUIRE(report);
    CHECK_MESSAGE(report->ok, report->problem);
    CHECK(report->events == 206);

    // The events of the file, replayed into empty tables, give the tables of the file.
    auto fresh = Database::open_memory();
    REQUIRE(fresh);
    REQUIRE(apply_migrations(*fresh, 0, latest_schema_version));
    std::string exported_file = read_text(export_file);
    std::uint64_t replayed = 0;
    for (const nlohmann::json& row : rows_of(exported_file, "events")) {
        auto event = decode_event(blob_of(row.at(5)));
        REQUIRE_MESSAGE(event, (event ? "" : event.error().message));
        auto applied = vault_projection().apply(*fresh, *event);
        REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
        ++replayed;
    }
    CHECK(replayed == 206);
    std::string projection_in_file;
    std::istringstream lines(exported_file);
    for (std::string line; std::getline(lines, line);)
        if (nlohmann::json::parse(line)["table"] != "events") projection_in_file += line + "\n";
    CHECK(export_projection(*fresh) == projection_in_file);
}

TEST_CASE("what only the replay finds in a copy of the vault-0.1 fixture") {
    FixtureCopy fixture;
    Session vault = fixture.open("admin");
    Database& store = store_of(vault);
    std::string expected;
    SUBCASE("an account's handle edited outside the log") {
        REQUIRE(store.exec("UPDATE accounts SET handle = 'panwascam.ponorog0' WHERE id = 1"));
        expected = "the stored table 'accounts' row 1 differs from what the log says";
    }
    SUBCASE("a checklist's count of steps left edited outside the log") {
        REQUIRE(store.exec("UPDATE checklists SET steps_left = steps_left + 1"));
        REQUIRE(store.query_int("SELECT count(*) FROM checklists") == 1);
        expected = "the stored table 'checklists' row 1 differs from what the log says";
    }
    SUBCASE("a checkpoint event appended, signed, without its table row") {
        auto head = store.prepare("SELECT seq, hash, time_us FROM events ORDER BY seq DESC LIMIT 1");
        REQUIRE(head);
        REQUIRE(*head->step());
        Hash previous{};
        auto raw = head->column_raw(1);
        std::copy(raw.begin(), raw.end(), previous.begin());
        Event e;
        e.seq = static_cast<std::uint64_t>(head->column_int(0)) + 1;
        e.time_us = head->column_int(2) + 60'000'000;
        e.actor = "admin";
        e.action = std::string(actions::audit_checkpoint);
        SignedEvent signed_event;
        signed_event.seq = e.seq;
        signed_event.time_us = e.time_us;
        signed_event.body = *encode_event(e);
        signed_event.hash = chain_hash(previous, signed_event.body);
        signed_event.signature = signing_key_of(vault).sign(event_signing_message(signed_event.hash));
        head->reset();
        REQUIRE(store_signed_event(store, e, signed_event));
        expected = "the stored table 'checkpoints' has fewer rows than the log created";
    }
    auto report = verify(vault, std::nullopt);
    REQUIRE(report);
    CHECK_FALSE(report->ok);
    CHECK(report->problem.find(expected) != std::string::npos);
}

namespace {

// The events of an exported log, replayed into empty tables, give exactly the tables the file
// holds, and among them are `actions`.
void replays_to_its_tables(const fs::path& file, std::initializer_list<const char*> actions_expected) {
    std::string exported = read_text(file);
    auto fresh = Database::open_memory();
    REQUIRE(fresh);
    REQUIRE(apply_migrations(*fresh, 0, latest_schema_version));
    std::set<std::string> actions;
    for (const nlohmann::json& row : rows_of(exported, "events")) {
        auto event = decode_event(blob_of(row.at(5)));
        REQUIRE_MESSAGE(event, (event ? "" : event.error().message));
        actions.insert(event->action);
        auto applied = vault_projection().apply(*fresh, *event);
        REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    }
    for (const char* action : actions_expected) CHECK(actions.contains(action));
    std::string projection_in_file;
    std::istringstream lines(exported);
    for (std::string line; std::getline(lines, line);)
        if (nlohmann::json::parse(line)["table"] != "events") projection_in_file += line + "\n";
    CHECK(export_projection(*fresh) == projection_in_file);
}

// Plants `e`, signed with `signer`'s key, at the end of the admin's log, and writes the log
// that no longer verifies to `file`.
void write_forged(Session& admin, Event e, const Session& signer, std::int64_t now_us, const fs::path& file) {
    Database& store = store_of(admin);
    plant_event(store, std::move(e), signing_key_of(signer), now_us);
    REQUIRE_FALSE(verify(admin, std::nullopt)->ok);
    check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
}

// A forged log: every event but the last applies; the last, `action` by `actor`, is refused
// with a message holding `why`.
void last_event_refused(const fs::path& file, std::string_view action, std::string_view actor, std::string_view why) {
    std::vector<nlohmann::json> events = rows_of(read_text(file), "events");
    REQUIRE_FALSE(events.empty());
    auto fresh = Database::open_memory();
    REQUIRE(fresh);
    REQUIRE(apply_migrations(*fresh, 0, latest_schema_version));
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        auto event = decode_event(blob_of(events[i].at(5)));
        REQUIRE(event);
        auto applied = vault_projection().apply(*fresh, *event);
        REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    }
    auto last = decode_event(blob_of(events.back().at(5)));
    REQUIRE(last);
    CHECK(last->action == action);
    CHECK(last->actor == actor);
    auto refused = vault_projection().apply(*fresh, *last);
    REQUIRE_FALSE(refused);
    CHECK_MESSAGE(refused.error().message.find(why) != std::string::npos, refused.error().message);
}

} // namespace

// A second log for verifiers of their own: dual control (a request granted and used, one
// rejected), made by Brankas with BRANKAS_WRITE_REPLAY_VECTORS=1 and replayed here and by
// tests/vectors/independent_check.py. It is made anew with fresh keys, so only its replay is
// checked, not its bytes.
TEST_CASE("the dual-control replay vector replays to exactly its tables") {
    const fs::path file = vectors_dir / "replay-dual-control.jsonl";
    if (writing_vectors()) {
        District d;
        Session admin2 = d.person("admin2", policy::Role::admin);
        REQUIRE(set_policy(d.admin, "[dual_control]\nactions = [\"break_glass\"]\n"));
        REQUIRE(end_term(d.admin, term_name, {"35.02.01"}));
        d.clock.advance_seconds(8 * 24 * 3600);
        auto asked = checkout(d.admin, d.account, CheckoutRequest{"akun diretas", std::nullopt, true});
        REQUIRE(asked);
        REQUIRE(asked->awaiting);
        d.clock.advance_seconds(60);
        REQUIRE(decide_request(admin2, asked->awaiting->request, ApprovalVerdict::grant, "dikonfirmasi lewat telepon"));
        d.clock.advance_seconds(60);
        REQUIRE(checkout(d.admin, d.account, CheckoutRequest{"", std::nullopt, true, asked->awaiting->request}));
        d.clock.advance_seconds(60);
        REQUIRE(checkin(d.admin, d.account));
        auto again = checkout(d.admin, d.account, CheckoutRequest{"cek lagi", std::nullopt, true});
        REQUIRE(again);
        REQUIRE(again->awaiting);
        d.clock.advance_seconds(60);
        REQUIRE(decide_request(admin2, again->awaiting->request, ApprovalVerdict::reject, "tidak bisa dikonfirmasi"));
        // The policy itself, a re-key and a recovery split under dual control: each takes a
        // request, a grant and its use (the re-key last of the three: it moves the store).
        d.clock.advance_seconds(60);
        REQUIRE(set_policy(d.admin, "[dual_control]\nactions = [\"break_glass\", \"policy_set\", \"rekey\", \"recovery_split\"]\n"));
        Session auditor = d.person("auditor1", policy::Role::auditor);
        d.clock.advance_seconds(60);
        auto split = split_recovery(d.admin, 3, 2, d.dir / "shares", SplitAsk{"komisioner baru", std::nullopt});
        REQUIRE(split);
        REQUIRE(split->awaiting);
        d.clock.advance_seconds(60);
        REQUIRE(decide_request(admin2, split->awaiting->request, ApprovalVerdict::grant, "sesuai rapat pleno"));
        d.clock.advance_seconds(60);
        REQUIRE(split_recovery(d.admin, 3, 2, d.dir / "shares", SplitAsk{"", split->awaiting->request}));
        d.clock.advance_seconds(60);
        const std::string lifted = "[dual_control]\nactions = []\n";
        auto lift = set_policy(d.admin, lifted, PolicySetAsk{"pemilu selesai", std::nullopt});
        REQUIRE(lift);
        REQUIRE(lift->awaiting);
        d.clock.advance_seconds(60);
        REQUIRE(decide_request(admin2, lift->awaiting->request, ApprovalVerdict::grant, "sesuai notulen rapat"));
        d.clock.advance_seconds(60);
        auto rekey = disable_user(d.admin, "auditor1", DisableAsk{StoreRekey::yes, "masa tugas selesai", std::nullopt});
        REQUIRE(rekey);
        REQUIRE(rekey->awaiting);
        d.clock.advance_seconds(60);
        REQUIRE(decide_request(admin2, rekey->awaiting->request, ApprovalVerdict::grant, "sesuai berita acara"));
        d.clock.advance_seconds(60);
        auto rekeyed = disable_user(d.admin, "auditor1", DisableAsk{StoreRekey::yes, "", rekey->awaiting->request});
        REQUIRE_MESSAGE(rekeyed, (rekeyed ? "" : rekeyed.error().message));
        CHECK(rekeyed->request == rekey->awaiting->request);
        d.clock.advance_seconds(60);
        REQUIRE(set_policy(d.admin, lifted, PolicySetAsk{"", lift->awaiting->request}));
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        Database& store = store_of(d.admin);
        check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
        return;
    }
    replays_to_its_tables(file, {"approval.request", "approval.grant", "approval.reject", "checkout", "policy.set", "user.disable",
                                 "recovery.split"});
}

// A third log: a person's record (user.add with it, user.edit), a handover released by its
// outgoing custodian and completed, and one completed without the release where the policy
// allowed it. Made like the dual-control log and replayed here and by independent_check.py.
TEST_CASE("the release replay vector replays to exactly its tables") {
    const fs::path file = vectors_dir / "replay-release.jsonl";
    if (writing_vectors()) {
        District d;
        Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
        Session operator2 = d.person("operator2", policy::Role::custodian);
        REQUIRE(edit_user(d.admin, "operator1", PersonRecord{"Siti Rahmawati, S.H.", "19850312 201001 2 002", "Ketua Panwaslu Kecamatan"}));
        REQUIRE(edit_user(d.admin, "operator2", PersonRecord{"Budi Santoso", "-", std::nullopt}));
        REQUIRE(edit_user(d.admin, "operator2", PersonRecord{std::nullopt, std::nullopt, "Anggota Panwaslu Kecamatan"}));
        HandoverRequest rq;
        rq.unit = "35.02.01";
        rq.receiver = "operator2";
        rq.note = "Pergantian operator";
        REQUIRE(start_handover(d.admin, rq));
        d.clock.advance_seconds(60);
        REQUIRE(release_handover(operator1, 1));
        REQUIRE(accept_handover(operator2, 1));
        REQUIRE(complete_handover(d.admin, 1));
        // Back to operator1, who is gone: completed without the release, as the policy allows.
        rq.receiver = "operator1";
        REQUIRE(start_handover(d.admin, rq));
        REQUIRE(accept_handover(operator1, 2));
        REQUIRE(set_policy(d.admin, "[handover]\nrelease_required = false\n"));
        d.clock.advance_seconds(60);
        REQUIRE(complete_handover(d.admin, 2));
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        Database& store = store_of(d.admin);
        check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
        return;
    }
    replays_to_its_tables(file, {"user.edit", "handover.release", "handover.complete"});
}

// A fourth log: a custodian's rotation started outside every term by break-glass (the
// secret.pending flagged), confirmed by an admin, an ordinary rotation inside the term, then two
// more break-glass rotations that their starter confirms and aborts (both flagged). The same
// district goes on into a fifth, forged log: another custodian's confirmation planted, signed
// with their own key, which both replays refuse.
TEST_CASE("the rotation replay vector replays to exactly its tables, and its forged sequel is refused") {
    const fs::path file = vectors_dir / "replay-rotation.jsonl";
    const fs::path forged_file = vectors_dir / "replay-rotation-forged.jsonl";
    if (writing_vectors()) {
        District d;
        auto [outside, operator1] = d.account_outside_every_term();
        Session operator2 = d.person("operator2", policy::Role::custodian, {"35.02.09"});
        d.clock.advance_seconds(60);
        auto broken = start_rotation(operator1, outside, PasswordRules{}, "akun diretas, masa tugas sudah berakhir", BreakGlass::yes);
        REQUIRE(broken);
        REQUIRE(broken->break_glass);
        d.clock.advance_seconds(60);
        REQUIRE(confirm_rotation(d.admin, outside));
        auto ordinary = start_rotation(operator1, d.account, PasswordRules{}, "pergantian rutin");
        REQUIRE(ordinary);
        REQUIRE_FALSE(ordinary->break_glass);
        d.clock.advance_seconds(60);
        REQUIRE(confirm_rotation(operator1, d.account));
        REQUIRE(start_rotation(operator1, outside, PasswordRules{}, "akun diretas lagi", BreakGlass::yes));
        d.clock.advance_seconds(60);
        auto confirmed = confirm_rotation(operator1, outside);
        REQUIRE(confirmed);
        REQUIRE(confirmed->break_glass);
        REQUIRE(start_rotation(operator1, outside, PasswordRules{}, "akun diretas sekali lagi", BreakGlass::yes));
        d.clock.advance_seconds(60);
        auto aborted = abort_rotation(operator1, outside);
        REQUIRE(aborted);
        REQUIRE(aborted->break_glass);
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        Database& store = store_of(d.admin);
        check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
        // The sequel: operator1 breaks the glass once more; operator2 confirms it, planted.
        REQUIRE(start_rotation(operator1, outside, PasswordRules{}, "akun diretas, untuk dicek", BreakGlass::yes));
        d.clock.advance_seconds(60);
        auto pending = pending_rotation(d.admin, outside);
        REQUIRE(pending);
        Event e = SecretConfirmed{outside, **pending, std::nullopt, true}.encode();
        e.actor = "operator2";
        write_forged(d.admin, std::move(e), operator2, d.clock.now_us(), forged_file);
        return;
    }
    replays_to_its_tables(file, {"secret.pending", "secret.confirm", "secret.abort", "policy.set"});
    // The forged sequel: operator2 confirming operator1's break-glass rotation outside every term.
    last_event_refused(forged_file, "secret.confirm", "operator2", "is not allowed: sub-district accounts are usable only inside a term");
}

// A sixth log: reads and check-outs that break the glass, past another's check-out inside the
// term and outside every term. operator1 checks an account out; operator2, a custodian of the
// same sub-district whom the policy lets break the glass, reads it past that hold, then takes it
// (both flagged), then reads it under their own hold (not flagged). Outside every term operator1
// and an admin read by break-glass (`break_glass.reveals` is true by default); after a policy
// with `reveals = false` the admin reads there without it. Its forged sequel: operator1 reading
// outside every term under that policy (custodians may not), planted with their own key.
TEST_CASE("the reveal replay vector replays to exactly its tables, and its forged sequel is refused") {
    const fs::path file = vectors_dir / "replay-reveal.jsonl";
    const fs::path forged_file = vectors_dir / "replay-reveal-forged.jsonl";
    if (writing_vectors()) {
        District d;
        auto [outside, operator1] = d.account_outside_every_term();
        Session operator2 = d.person("operator2", policy::Role::custodian, {"35.02.01", "35.02.09"});
        d.clock.advance_seconds(60);
        REQUIRE(checkout(operator1, d.account, CheckoutRequest{"unggah laporan pengawasan", std::nullopt, false}));
        d.clock.advance_seconds(60);
        auto past_hold = reveal_secret(operator2, d.account, "akun diretas, perlu dicek segera", SecretPart::password,
                                       SecretVersionChoice::current, BreakGlass::yes);
        REQUIRE(past_hold);
        REQUIRE(past_hold->break_glass);
        d.clock.advance_seconds(60);
        auto taken = checkout(operator2, d.account, CheckoutRequest{"akun diretas, diambil alih", std::nullopt, true});
        REQUIRE(taken);
        REQUIRE(taken->break_glass);
        auto own_hold = reveal_secret(operator2, d.account, "cek ulang", SecretPart::password);
        REQUIRE(own_hold);
        REQUIRE_FALSE(own_hold->break_glass);
        d.clock.advance_seconds(60);
        auto after_term = reveal_secret(operator1, outside, "akun diretas, masa tugas sudah berakhir", SecretPart::password,
                                        SecretVersionChoice::current, BreakGlass::yes);
        REQUIRE(after_term);
        REQUIRE(after_term->break_glass);
        auto by_admin = reveal_secret(d.admin, outside, "pemeriksaan akun", SecretPart::password, SecretVersionChoice::current, BreakGlass::yes);
        REQUIRE(by_admin);
        REQUIRE(by_admin->break_glass);
        REQUIRE(set_policy(d.admin, "[break_glass]\nroles = [\"admin\", \"custodian\"]\nreveals = false\n"));
        d.clock.advance_seconds(60);
        auto plain_admin = reveal_secret(d.admin, outside, "serah terima arsip", SecretPart::password);
        REQUIRE(plain_admin);
        REQUIRE_FALSE(plain_admin->break_glass);
        REQUIRE_FALSE(reveal_secret(operator1, outside, "dicek lagi", SecretPart::password));
        REQUIRE(verify(d.admin, std::nullopt)->ok);
        Database& store = store_of(d.admin);
        check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
        d.clock.advance_seconds(60);
        Event e = SecretRead{outside, 1, SecretPart::password, "dicek lagi", false}.encode();
        e.actor = "operator1";
        write_forged(d.admin, std::move(e), operator1, d.clock.now_us(), forged_file);
        return;
    }
    replays_to_its_tables(file, {"checkout", "secret.read", "policy.set", "access.denied"});
    last_event_refused(forged_file, "secret.read", "operator1", "is not allowed: sub-district accounts are usable only inside a term");
}

// A seventh log: an end of term. operator1's sub-district ends after the term and its grace; the
// enforcer's unit.deactivate revokes operator1, moves the unit to its standby key and carries the
// account's fresh password (fresh.1), which an admin then confirms. Babadan, whose term was
// extended, stays. Its forged sequel: when Babadan ends too (no custodian, so no key switch), a
// unit.deactivate carrying a fresh password sealed to Babadan's standby key instead of its
// current one, planted with the enforcer's key.
TEST_CASE("the enforcement replay vector replays to exactly its tables, and its forged sequel is refused") {
    const fs::path file = vectors_dir / "replay-enforce.jsonl";
    const fs::path forged_file = vectors_dir / "replay-enforce-forged.jsonl";
    if (writing_vectors()) {
        District d;
        Session operator1 = d.person("operator1", policy::Role::custodian, {"35.02.01"});
        REQUIRE(add_unit(d.admin, "35.02.02", "Babadan"));
        auto babadan = add_account(d.admin, "35.02.02", {"facebook", "panwascam.babadan", "", "", ""});
        REQUIRE(babadan);
        REQUIRE(set_secret(d.admin, babadan->id, password("sandi-babadan")));
        REQUIRE(extend_term(d.admin, term_name, term_end_us + 30 * policy::day_us, {"35.02.02"}));
        TempDir keys;
        REQUIRE(add_enforcer(d.admin, "enforcer", keys / "enforcer.key"));
        d.clock.set(term_end_us + 8 * policy::day_us);
        Session enforcer = d.open_enforcer(keys / "enforcer.key");
        auto ended = enforce(enforcer);
        REQUIRE_MESSAGE(ended, (ended ? "" : ended.error().message));
        REQUIRE(ended->sealed == 1);
        REQUIRE(ended->rotated_units == 1);
        d.clock.advance_seconds(60);
        Session admin = open_test_vault(d.dir, d.clock);
        REQUIRE(confirm_rotation(admin, d.account));
        REQUIRE(verify(admin, std::nullopt)->ok);
        Database& store = store_of(admin);
        check_or_write(file, export_table(store, "events", "seq") + export_projection(store));
        // The sequel: Babadan's end, its fresh password sealed to the standby key.
        d.clock.set(term_end_us + 38 * policy::day_us + policy::day_us);
        const std::int64_t standby = current_unit_key(store, "35.02.02")->version + 1;
        Event e = UnitDeactivated{"35.02.02", std::string(term_name), 1, "", std::nullopt, {{babadan->id, 2, standby, Bytes(97, 0x46)}}}.encode();
        e.actor = "enforcer";
        write_forged(admin, std::move(e), enforcer, d.clock.now_us(), forged_file);
        return;
    }
    replays_to_its_tables(file, {"unit.deactivate", "secret.confirm", "user.add"});
    last_event_refused(forged_file, "unit.deactivate", "enforcer", "sealed to another key than the sub-district's");
}
