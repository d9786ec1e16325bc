// backup create, backup verify, backup restore: a signed copy of the whole vault, checked as
// `audit verify` checks a vault, and restored only whole.
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "vault/backup/backups.hpp"
#include "vault/file_io.hpp"
#include "vault/audit/vault_status.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Result<std::optional<Checkpoint>> read_checkpoint_option(const std::string& path) {
    if (path.empty()) return std::optional<Checkpoint>{};
    auto bytes = read_file_bounded(path, max_checkpoint_file);
    if (!bytes) return fail(ErrorCode::io, "cannot read the checkpoint file " + path + ": " + bytes.error().what);
    return std::optional<Checkpoint>(
        BRANKAS_TRY(parse_checkpoint(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()))));
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
    out << "Backup       " << for_terminal(file) << " (" << thousands(r.file_size) << " bytes)\n"
        << "Vault        " << to_hex(m.vault_id) << " (" << for_terminal(r.institution) << ")\n"
        << "Taken        " << local_time(m.created_us) << " by " << r.signer << ", at event " << m.events << "\n"
        << "Signature    valid, by " << r.signer << "'s key as the backup's own log introduced it\n"
        << "Parts        keyring (" << thousands(m.keyring_size) << " bytes) and store (" << thousands(m.store_size)
        << " bytes) match their signed hashes\n"
        << "Chain        " << r.log.events << (r.log.events == 1 ? " event" : " events")
        << ", every hash links to the one before\n"
        << "Signatures   " << r.log.events << " valid, each by a key the log introduced earlier\n"
        << "Replay       the stored tables match a fresh replay of the log\n";
    if (checkpoint)
        out << "Checkpoint   the log extends the checkpoint at event " << checkpoint->seq << " signed by " << checkpoint->signer
            << "\n";
    out << "Head         " << to_hex(r.log.head) << "\n"
        << "First admin  key " << to_hex(r.log.genesis_key) << "\n";
}

class BackupCreateCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of backup create: FILE"));
        o.add_options()("file", po::value<std::string>(&file_)->required(), tr("the backup file to write (never over an existing file)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
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
        ctx.out << "Backed up the vault of " << for_terminal(status.institution) << " to " << for_terminal(file_) << " ("
                << thousands(bytes) << " bytes): " << m.events << " events, head " << to_hex(m.head) << ", signed by "
                << vault.user() << ".\n"
                << "Check it with `brankas backup verify " << for_terminal(file_)
                << "`, and keep it away from this machine. It opens only with the passphrases of the vault's users.\n";
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
            file_, [&](const std::filesystem::path& dir) { return ctx.open_vault_in(dir); }, checkpoint));
        if (ctx.options.json) {
            ctx.out << json_text(report_json(file_, r, checkpoint)) << '\n';
            return {};
        }
        print_report(ctx.out, file_, r, checkpoint);
        ctx.out << "The backup verifies.\n";
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
            file_, to_, [&](const std::filesystem::path& dir) { return ctx.open_vault_in(dir); }, checkpoint));
        if (ctx.options.json) {
            nlohmann::json j = report_json(file_, r, checkpoint);
            j["restored_to"] = to_;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        print_report(ctx.out, file_, r, checkpoint);
        ctx.out << "Restored the vault to " << for_terminal(to_) << ": it verifies, and opens with the passphrases its users had on "
                << local_time(r.manifest.created_us) << ".\n"
                << "Anything done in the vault after that moment is not in it.\n";
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
