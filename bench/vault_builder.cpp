#include "vault_builder.hpp"

#include "checked.hpp"
#include "samples.hpp"
#include "policy/policy.hpp"
#include "vault/audit/vault_status.hpp"

#include "vault/field_rules.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/vault.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <ostream>

namespace brankas::bench {

namespace {

constexpr std::int64_t step_us = 10'000; // the build clock moves on 10 ms per operation

// Prints a phase's progress at every tenth of the way (only its end when it is short), with
// the time the phase took so far.
class PhaseProgress {
public:
    PhaseProgress(std::ostream& out, std::string_view vault, std::string_view phase, int total)
        : out_(out), vault_(vault), phase_(phase), total_(total) {}
    [[nodiscard]] double seconds() const { return watch_.seconds(); }
    void done(int count) {
        if (total_ <= 0) return;
        bool tenth = total_ >= 100 && count * 10 / total_ != (count - 1) * 10 / total_;
        if (count != total_ && !tenth) return;
        out_ << "  [" << vault_ << "] " << phase_ << ' ' << count << '/' << total_ << "  " << std::fixed << std::setprecision(1)
             << watch_.seconds() << " s\n"
             << std::flush;
    }

private:
    std::ostream& out_;
    std::string_view vault_, phase_;
    int total_;
    Stopwatch watch_;
};

std::string account_handle(int index) {
    char handle[32];
    std::snprintf(handle, sizeof handle, "panwas.%05d", index + 1);
    return handle;
}

SecretInput fresh_password(std::string reason) {
    SecretInput in;
    in.password = checked(generate_password(PasswordRules{}), "generating a password");
    in.reason = std::move(reason);
    return in;
}

// The account of a log round: a walk with a large prime stride, so the log's check-outs are
// spread over the whole vault rather than piled on a few rows.
std::int64_t log_account(int round, int accounts) {
    constexpr std::int64_t stride = 7919;
    return 1 + (static_cast<std::int64_t>(round) * stride) % accounts;
}

} // namespace

std::string unit_code(int index) {
    char code[48]; // GCC checks the buffer against any int; the codes themselves are 8 characters
    std::snprintf(code, sizeof code, "%02d.%02d.%02d", 11 + index / 900, 1 + (index / 30) % 30, 1 + index % 30);
    return code;
}

BuiltVault build_vault(const std::filesystem::path& dir, const VaultShape& shape, std::int64_t start_us,
                       std::int64_t must_end_before_us, std::ostream& progress) {
    Stopwatch watch;
    FixedClock clock(start_us);
    auto tick = [&] { clock.set(clock.now_us() + step_us); };
    BuiltVault built;
    built.dir = dir;
    built.enforcer_key = dir.parent_path() / (dir.filename().string() + "-enforcer.key");

    CreateOptions options{"Bawaslu (lifecycle bench)", std::string(admin_name), kdf_limits(KdfProfile::test)};
    Session vault = checked(Vault::create(dir, options, admin_passphrase, clock), "creating the vault");
    tick();
    checked(add_enforcer(vault, enforcer_name, built.enforcer_key), "adding the enforcer");
    tick();
    // For every sub-district, including those added after it.
    checked(add_term(vault, term_name, term_start_us, term_end_us, {}), "adding the term");
    tick();

    PhaseProgress units(progress, shape.label, "sub-districts", shape.units);
    const int twentieth = std::max(1, shape.units / 20);
    double first_ms = 0, last_ms = 0;
    for (int i = 0; i < shape.units; ++i) {
        Stopwatch one;
        checked(add_unit(vault, unit_code(i), "Kecamatan " + std::to_string(i + 1)), "adding a sub-district");
        if (i < twentieth) first_ms += one.milliseconds();
        if (i >= shape.units - twentieth) last_ms += one.milliseconds();
        tick();
        units.done(i + 1);
    }
    built.units_seconds = units.seconds();
    built.add_unit_first_ms = first_ms / twentieth;
    built.add_unit_last_ms = last_ms / twentieth;

    // The sub-districts' operators: unit i goes to custodian i % n, so each holds about
    // units_per_custodian units (they never enroll; their grants are what the enforcer revokes).
    built.custodians = std::max(1, shape.units / std::max(1, shape.units_per_custodian));
    PhaseProgress custodians(progress, shape.label, "custodians", built.custodians);
    for (int c = 0; c < built.custodians; ++c) {
        std::vector<std::string> granted;
        for (int i = c; i < shape.units; i += built.custodians) granted.push_back(unit_code(i));
        (void)checked(add_user(vault, "operator" + std::to_string(c + 1), policy::Role::custodian, granted, kdf_limits(KdfProfile::test)),
                      "adding a custodian");
        tick();
        custodians.done(c + 1);
    }
    built.custodians_seconds = custodians.seconds();

    PhaseProgress accounts(progress, shape.label, "accounts with a password", shape.accounts);
    for (int i = 0; i < shape.accounts; ++i) {
        std::string_view platform = platforms[static_cast<std::size_t>(i) % platforms.size()];
        AccountInput input{std::string(platform), account_handle(i), "", "", ""};
        AccountInfo account = checked(add_account(vault, unit_code(i % shape.units), input), "adding an account");
        tick();
        checked(set_secret(vault, account.id, fresh_password("first password")), "setting a password");
        tick();
        if (i == shape.accounts / 2) built.checkout_ref = account.ref();
        accounts.done(i + 1);
    }
    built.accounts_seconds = accounts.seconds();

    PhaseProgress log(progress, shape.label, "log rounds (check-out, check-in, read)", shape.log_rounds);
    for (int round = 0; round < shape.log_rounds; ++round) {
        std::int64_t id = log_account(round, shape.accounts);
        checked(checkout(vault, id, {"routine check of the account", 30 * policy::minute_us, false}), "checking out");
        tick();
        checked(checkin(vault, id), "checking in");
        tick();
        checked(reveal_secret(vault, log_account(round + 1, shape.accounts), "monthly audit sample", SecretPart::password),
                "reading a password");
        tick();
        log.done(round + 1);
    }
    built.log_seconds = log.seconds();

    VaultStatus status = checked(vault_status(vault), "reading the vault's status");
    built.events = status.events;
    built.last_event_us = status.last_event_us;
    built.build_seconds = watch.seconds();
    if (built.last_event_us >= must_end_before_us)
        throw BenchFailure("the build clock ran past the real clock: the timed commands would be refused");
    return built;
}

PassphraseSource admin_passphrase_source() {
    return [] { return Result<SecretBytes>(SecretBytes::copy_of(as_bytes(admin_passphrase))); };
}

void keep_as_built(const BuiltVault& v) {
    std::filesystem::copy(v.dir, std::filesystem::path(v.dir.string() + ".built"), std::filesystem::copy_options::recursive);
    std::ofstream ref(v.dir.string() + ".ref");
    ref << v.checkout_ref << '\n';
    if (!ref.flush()) throw BenchFailure("cannot write " + v.dir.string() + ".ref");
}

BuiltVault reused_vault(const std::filesystem::path& kept, const std::filesystem::path& dir) {
    const std::string name = dir.filename().string();
    const std::filesystem::path built = kept / (name + ".built");
    std::ifstream ref_file(kept / (name + ".ref"));
    BuiltVault v;
    if (!std::filesystem::is_directory(built) || !std::getline(ref_file, v.checkout_ref) || v.checkout_ref.empty())
        throw BenchFailure("--reuse: no vault kept as built at " + built.string() + " (run once with --keep)");
    std::filesystem::copy(built, dir, std::filesystem::copy_options::recursive);
    v.dir = dir;
    v.enforcer_key = dir.parent_path() / (name + "-enforcer.key");
    const std::filesystem::path kept_key = kept / (name + "-enforcer.key");
    if (!std::filesystem::is_regular_file(kept_key))
        throw BenchFailure("--reuse: no enforcer key kept at " + kept_key.string() + " (run once with --keep)");
    std::filesystem::copy_file(kept_key, v.enforcer_key, std::filesystem::copy_options::overwrite_existing);
    SystemClock now;
    Session s = checked(Vault::open(dir, admin_name, admin_passphrase_source(), now), "opening the reused vault");
    VaultStatus status = checked(vault_status(s), "reading the reused vault's status");
    v.events = status.events;
    v.last_event_us = status.last_event_us;
    return v;
}

BenchVaults bench_vaults(const std::filesystem::path& work, const VaultShape& small, const VaultShape& large,
                         const std::optional<std::filesystem::path>& reuse, bool keep, std::ostream& progress) {
    BenchVaults v;
    if (reuse) {
        progress << "\n== the vaults kept as built in " << reuse->string() << " (copied)\n" << std::flush;
        v.small = reused_vault(*reuse, work / "small");
        v.large = reused_vault(*reuse, work / "large");
        return v;
    }
    // The build clocks start a day before now (10 ms per operation: the default large build is
    // ~100,000 operations, ~17 minutes of vault time), so every event stays before the real
    // clock, which the timed commands use.
    const std::int64_t now = SystemClock().now_us();
    const std::int64_t start = now - 24 * policy::hour_us;
    progress << "\n== building the vaults (vault API, test KDF)\n" << std::flush;
    v.small = build_vault(work / "small", small, start, now, progress);
    v.large = build_vault(work / "large", large, start, now, progress);
    if (keep) {
        keep_as_built(v.small);
        keep_as_built(v.large);
    }
    return v;
}

} // namespace brankas::bench
