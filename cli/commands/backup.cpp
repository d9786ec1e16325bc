// backup create, backup verify, backup restore: a signed copy of the whole vault, checked as
// `audit verify` checks a vault, and restored only whole.
#include "cli/commands/checkpoint_file.hpp"
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "vault/backup/backups.hpp"
#include "vault/encoding.hpp"
#include "vault/file_io.hpp"
#include "vault/audit/vault_status.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

Result<std::optional<Checkpoint>> read_checkpoint_option(const std::string& path) {
    if (path.empty()) return std::optional<Checkpoint>{};
    return std::optional<Checkpoint>(BRANKAS_TRY(read_checkpoint_file(path)));
}

nlohmann::json manifest_json(const BackupManifest& m) {
    return {{"vault", to_hex(m.vault_id)},
            {"events", m.events},
            {"head", to_hex(m.head)},
            {"time", iso_utc(m.created_us)},
            {"store_generation", m.store_generation},
            {"schema_version", m.schema_version},
            {"keyring_bytes", m.keyring_size},
            {"store_bytes", m.store_size}};
}

nlohmann::json report_json(const std::string& file, const BackupReport& r, const std::optional<Checkpoint>& checkpoint) {
    nlohmann::json j{{"file", file},
                     {"bytes", r.file_size},
                     {"ok", r.log.ok},
                     {"manifest", manifest_json(r.manifest)},
                     {"institution", r.institution},
                     {"signer", r.signer},
                     {"signer_key", to_hex(r.signer_key)},
                     {"first_admin_key", to_hex(r.log.genesis_key)},
                     {"checkpoint", checkpoint ? nlohmann::json(r.log.checkpoint_checked) : nlohmann::json()}};
    return j;
}

// What was checked, one line each, as `audit verify` prints it for a vault.
void print_report(std::ostream& out, const std::string& file, const BackupReport& r, const std::optional<Checkpoint>& checkpoint) {
    const BackupManifest& m = r.manifest;
    const BlockLabels label{tr_noop("Backup"), tr_noop("Vault"),      tr_noop("Taken"),      tr_noop("Signature"),
                            tr_noop("Parts"),  tr_noop("Chain"),      tr_noop("Signatures"), tr_noop("Replay"),
                            tr_noop("Checkpoint"), tr_noop("Head"),   tr_noop("First admin")};
    out << label(tr_noop("Backup")) << fill(tr("%1$s (%2$s bytes)"), {for_terminal(file), thousands(r.file_size)}) << "\n"
        << label(tr_noop("Vault")) << to_hex(m.vault_id) << " (" << for_terminal(r.institution) << ")\n"
        << label(tr_noop("Taken"))
        << fill(tr("%1$s by %2$s, at event %3$s"), {format_zoned_seconds(m.created_us, r.time_zone), r.signer, std::to_string(m.events)}) << "\n"
        << label(tr_noop("Signature")) << fill(tr("valid, by %s's key as the backup's own log introduced it"), {r.signer}) << "\n"
        << label(tr_noop("Parts"))
        << fill(tr("keyring (%1$s bytes) and store (%2$s bytes) match their signed hashes"),
                {thousands(m.keyring_size), thousands(m.store_size)})
        << "\n"
        << label(tr_noop("Chain"))
        << fill(trn("%s event, every hash links to the one before", "%s events, every hash links to the one before",
                    static_cast<unsigned long>(r.log.events)),
                {std::to_string(r.log.events)})
        << "\n"
        << label(tr_noop("Signatures")) << fill(tr("%s valid, each by a key the log introduced earlier"), {std::to_string(r.log.events)})
        << "\n"
        << label(tr_noop("Replay")) << tr("the stored tables match a fresh replay of the log") << "\n";
    if (checkpoint)
        out << label(tr_noop("Checkpoint"))
            << fill(tr("the log extends the checkpoint at event %1$s signed by %2$s"), {std::to_string(checkpoint->seq), checkpoint->signer})
            << "\n";
    out << label(tr_noop("Head")) << to_hex(r.log.head) << "\n"
        << label(tr_noop("First admin")) << fill(tr("key %s"), {to_hex(r.log.genesis_key)}) << "\n";
}

class BackupCreateCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of backup create: FILE"));
        o.add_options()("file", po::value<std::string>(&file_)->required(), tr("the backup file to write (never over an existing file)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override { return {}; }
    Status prepare(Context& ctx) override { return ctx.refuse_inside_vault(file_, tr("the backup file")); }

    Status run_in_vault(Context& ctx, Session& vault) override {
        BackupManifest m = BRANKAS_TRY(create_backup(vault, file_));
        VaultStatus status = BRANKAS_TRY(vault_status(vault));
        std::error_code ec;
        std::uint64_t bytes = std::filesystem::file_size(file_, ec);
        if (ctx.options.json) {
            nlohmann::json j = manifest_json(m);
            j["file"] = file_;
            j["institution"] = status.institution;
            j["signer"] = vault.user();
            j["bytes"] = bytes;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        ctx.out << fill(tr("Backed up the vault of %1$s to %2$s (%3$s bytes): %4$s events, head %5$s, signed by %6$s."),
                        {for_terminal(status.institution), for_terminal(file_), thousands(bytes), std::to_string(m.events), to_hex(m.head),
                         vault.user()})
                << "\n"
                << fill(tr("Check it with `brankas backup verify %s`, and keep it away from this machine. It opens only with the "
                           "passphrases of the vault's users."),
                        {for_terminal(shell_word(file_))})
                << "\n";
        return {};
    }

private:
    std::string file_;
};

class BackupVerifyCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of backup verify: FILE"));
        o.add_options()
            ("file", po::value<std::string>(&file_)->required(), tr("the backup file"))
            ("checkpoint", po::value<std::string>(&checkpoint_file_),
             tr("a checkpoint file the backup's log must extend (proves it is a copy of that vault's history)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        auto checkpoint = BRANKAS_TRY(read_checkpoint_option(checkpoint_file_));
        BackupReport r = BRANKAS_TRY(verify_backup(
            file_, [&](const std::filesystem::path& dir) { return unlock_vault(ctx, Door::chosen, dir); }, checkpoint));
        if (ctx.options.json) {
            ctx.out << json_text(report_json(file_, r, checkpoint)) << '\n';
            return {};
        }
        print_report(ctx.out, file_, r, checkpoint);
        ctx.out << tr("The backup verifies.") << "\n";
        return {};
    }

private:
    std::string file_, checkpoint_file_;
};

class BackupRestoreCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of backup restore: FILE --to DIR"));
        o.add_options()
            ("file", po::value<std::string>(&file_)->required(), tr("the backup file"))
            ("to", po::value<std::string>(&to_)->required(), tr("the directory to restore into (must not exist, or be empty)"))
            ("checkpoint", po::value<std::string>(&checkpoint_file_), tr("a checkpoint file the backup's log must extend"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        auto checkpoint = BRANKAS_TRY(read_checkpoint_option(checkpoint_file_));
        BackupReport r = BRANKAS_TRY(restore_backup(
            file_, to_, [&](const std::filesystem::path& dir) { return unlock_vault(ctx, Door::chosen, dir); }, checkpoint));
        if (ctx.options.json) {
            nlohmann::json j = report_json(file_, r, checkpoint);
            j["restored_to"] = to_;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        print_report(ctx.out, file_, r, checkpoint);
        ctx.out << fill(tr("Restored the vault to %1$s: it verifies, and opens with the passphrases its users had on %2$s."),
                        {for_terminal(to_), format_zoned_seconds(r.manifest.created_us, r.time_zone)})
                << "\n" << tr("Anything done in the vault after that moment is not in it.") << "\n";
        return {};
    }

private:
    std::string file_, to_, checkpoint_file_;
};

} // namespace

std::unique_ptr<Command> make_backup_create_command() { return std::make_unique<BackupCreateCommand>(); }
std::unique_ptr<Command> make_backup_verify_command() { return std::make_unique<BackupVerifyCommand>(); }
std::unique_ptr<Command> make_backup_restore_command() { return std::make_unique<BackupRestoreCommand>(); }

} // namespace brankas::cli
