#include "log_builder.hpp"

#include "checked.hpp"
#include "samples.hpp"

#include "vault/log/event_log.hpp"
#include "vault/keyring.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

#include <iomanip>
#include <ostream>

namespace brankas::bench {

namespace {

constexpr std::int64_t event_step_us = 1'000; // the build clock moves on 1 ms per event
constexpr std::uint64_t events_per_transaction = 10'000;
// The term covers every event the bench writes.
constexpr std::int64_t term_start_us = 1'577'836'800'000'000; // 2020-01-01 00:00 UTC
constexpr std::int64_t term_end_us = 4'102'358'400'000'000;   // 2099-12-31 00:00 UTC

std::string unit_code(int index) {
    char code[48];
    std::snprintf(code, sizeof code, "%02d.%02d.%02d", 11 + index / 900, 1 + (index / 30) % 30, 1 + index % 30);
    return code;
}

// The district, through the vault API: every event here is one a person's command writes.
void set_up_district(const std::filesystem::path& dir, const LogShape& shape, FixedClock& clock) {
    auto tick = [&] { clock.set(clock.now_us() + event_step_us); };
    CreateOptions options{"Bawaslu (verification bench)", std::string(log_admin), kdf_limits(KdfProfile::test)};
    Session vault = checked(Vault::create(dir, options, log_admin_passphrase, clock), "creating the vault");
    tick();
    checked(add_term(vault, "Pengawasan 2020-2099", term_start_us, term_end_us, {}), "adding the term");
    for (int i = 0; i < shape.units; ++i) {
        tick();
        checked(add_unit(vault, unit_code(i), "Kecamatan " + std::to_string(i + 1)), "adding a sub-district");
    }
    for (int i = 0; i < shape.accounts; ++i) {
        char handle[32];
        std::snprintf(handle, sizeof handle, "panwas.%05d", i + 1);
        tick();
        AccountInfo a = checked(add_account(vault, unit_code(i % shape.units), {"instagram", handle, "", "", ""}), "adding an account");
        SecretInput in;
        in.password = SecretBytes::copy_of(as_bytes(std::string("kata-sandi-bangku-") + handle));
        in.reason = "first password";
        tick();
        checked(set_secret(vault, a.id, in), "setting a password");
    }
}

// One round of daily use of an account: a check-out, its check-in, and a password read of
// the next account. Returns the events in order.
std::vector<Event> round_events(std::uint64_t round, int accounts, std::int64_t now_us) {
    // A large prime stride spreads the rounds over every account.
    auto account = [&](std::uint64_t r) { return static_cast<std::int64_t>(1 + (r * 7919) % static_cast<std::uint64_t>(accounts)); };
    std::vector<Event> out(3);
    out[0].action = std::string(actions::checkout);
    out[0].target = account_target(account(round));
    out[0].details.integer("version", 1)
        .integer("until_us", now_us + 30 * 60 * 1'000'000LL)
        .integer("break_glass", 0)
        .text("reason", "unggah hasil pengawasan harian");
    out[1].action = std::string(actions::checkin);
    out[1].target = out[0].target;
    out[2] = SecretRead{account(round + 1), 1, SecretPart::password, "pemeriksaan bulanan"}.encode();
    return out;
}

void append_rounds(const std::filesystem::path& dir, const LogShape& shape, FixedClock& clock, std::ostream& progress) {
    Keyring keyring = checked(Keyring::load(VaultPaths{dir}.keyring()), "loading the keyring");
    SlotSecrets secrets = checked(keyring.open_with_passphrase(log_admin, log_admin_passphrase), "opening the admin's slot");
    SigningKey signer = SigningKey::from_seed(secrets.signing_seed);
    Database db = checked(Database::open_encrypted(VaultPaths{dir}.store(), secrets.store_key, Database::Mode::open_existing),
                          "opening the store");
    std::uint64_t have = checked(read_head(db), "reading the log head").seq;
    if (have >= shape.events) return;
    const std::uint64_t total = shape.events;
    Stopwatch watch;
    std::uint64_t round = 0, next_tenth = have + (total - have) / 10;
    while (have < total) {
        Transaction tx = checked(Transaction::begin_immediate(db), "starting a transaction");
        for (std::uint64_t in_tx = 0; in_tx < events_per_transaction && have < total; ++round) {
            for (Event& e : round_events(round, shape.accounts, clock.now_us())) {
                if (have == total) break;
                clock.set(clock.now_us() + event_step_us);
                e.actor = std::string(log_admin);
                checked(append_event(db, std::move(e), signer, clock.now_us(), vault_projection()), "appending an event");
                ++have;
                ++in_tx;
            }
        }
        checked(tx.commit(), "committing");
        if (have >= next_tenth || have == total) {
            progress << "  log " << have << '/' << total << "  " << std::fixed << std::setprecision(1) << watch.seconds() << " s\n"
                     << std::flush;
            next_tenth = have + (total - have) / 10 + 1;
        }
    }
    checked(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpointing the write-ahead log");
}

// Every event's hash and signature, read back from the store as `audit verify` reads them.
void read_signatures(const std::filesystem::path& dir, BuiltLog& built) {
    Keyring keyring = checked(Keyring::load(VaultPaths{dir}.keyring()), "loading the keyring");
    SlotSecrets secrets = checked(keyring.open_with_passphrase(log_admin, log_admin_passphrase), "opening the admin's slot");
    built.signer = SigningKey::from_seed(secrets.signing_seed).public_key();
    Database db = checked(Database::open_encrypted(VaultPaths{dir}.store(), secrets.store_key, Database::Mode::open_existing),
                          "opening the store");
    built.signed_hashes.clear();
    checked(for_each_signed_event(db, [&](const SignedEvent& e, const EventSummary& columns) -> Status {
                if (columns.actor != log_admin) return fail(ErrorCode::internal, "an event of the bench log is not the admin's");
                built.signed_hashes.push_back({e.hash, e.signature});
                return {};
            }),
            "reading the signatures back");
}

} // namespace

BuiltLog build_log(const std::filesystem::path& dir, const LogShape& shape, std::int64_t start_us, std::ostream& progress) {
    if (shape.units < 1 || shape.accounts < shape.units) throw BenchFailure("the district needs a sub-district and an account for each");
    FixedClock clock(start_us);
    BuiltLog built;
    Stopwatch setup;
    set_up_district(dir, shape, clock);
    built.setup_seconds = setup.seconds();
    Stopwatch append;
    append_rounds(dir, shape, clock, progress);
    built.append_seconds = append.seconds();
    read_signatures(dir, built);
    built.events = built.signed_hashes.size();
    return built;
}

} // namespace brankas::bench
