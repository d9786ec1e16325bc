#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "cli/commands/kdf_description.hpp"
#include "cli/vault_command.hpp"
#include "vault/audit/vault_status.hpp"
#include "vault/encoding.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// The test profile's limits protect nothing; the test suite opts in with this variable.

class InitCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for init"));
        o.add_options()
            ("institution", po::value<std::string>(&institution_)->required(), tr("the institution that owns the vault, e.g. \"Bawaslu Kabupaten Ponorogo\""))
            ("kdf", po::value<std::string>(&kdf_)->default_value("moderate"), tr("key derivation cost of the admin's slot: interactive, moderate or sensitive"));
        return o;
    }

    Status setup(const po::variables_map&) override {
        auto profile = parse_kdf_profile(kdf_);
        if (!profile) return fail(ErrorCode::usage, fill(tr("unknown --kdf '%s'"), {i18n::echo(kdf_)}), tr("use interactive, moderate or sensitive"));
        profile_ = *profile;
        return {};
    }

    Status run(Context& ctx) override {
        BRANKAS_TRY(refuse_key_file(ctx, "init"));
        if (profile_ == KdfProfile::test && !ctx.options.allow_test_kdf)
            return fail(ErrorCode::usage, tr("the 'test' key derivation protects nothing and is only for the test suite"),
                        tr("use --kdf interactive, moderate or sensitive"));
        auto dir = BRANKAS_TRY(ctx.vault_dir());
        auto admin = BRANKAS_TRY(ctx.user_name());
        // Refuse early, before asking for a passphrase that would be thrown away.
        BRANKAS_TRY(Vault::check_new_location(dir));
        SecretBytes passphrase = BRANKAS_TRY(ctx.passphrases.new_passphrase(admin));
        CreateOptions options{institution_, admin, kdf_limits(profile_)};
        Session vault = BRANKAS_TRY(Vault::create(dir, options, passphrase.text(), ctx.clock));
        VaultStatus s = BRANKAS_TRY(vault_status(vault));
        if (profile_ == KdfProfile::test) ctx.warn(tr("this vault uses the INSECURE test key derivation; use it for tests only"));

        if (ctx.options.json) {
            nlohmann::json j{{"vault", dir.string()},
                             {"vault_id", to_hex(s.vault_id)},
                             {"institution", s.institution},
                             {"admin", admin},
                             {"kdf", kdf_profile_name(profile_)},
                             {"events", s.events},
                             {"head", to_hex(s.head)}};
            ctx.out << json_text(j) << '\n';
            return {};
        }
        // TRANSLATORS: the three labels ("  vault id:  ", ...) line up: give them the same width.
        ctx.out << fill(tr("Created the vault of %1$s in %2$s"), {for_terminal(s.institution), for_terminal(dir.string())}) << "\n"
                << tr("  vault id:  ") << to_hex(s.vault_id) << "\n"
                << tr("  admin:     ") << fill(tr("%1$s, key derivation %2$s"), {admin, describe_kdf(options.kdf)}) << "\n"
                << tr("  log head:  ") << fill(tr("event %1$s, %2$s"), {std::to_string(s.events), to_hex(s.head)}) << "\n"
                << tr("Keep a checkpoint outside the vault so later changes to its history can be proven:") << "\n"
                << "  brankas --vault " << for_terminal(shell_word(dir.string())) << " --user " << admin << " audit checkpoint --out FILE\n";
        return {};
    }

private:
    std::string institution_;
    std::string kdf_;
    KdfProfile profile_ = KdfProfile::moderate;
};

} // namespace

std::unique_ptr<Command> make_init_command() { return std::make_unique<InitCommand>(); }

} // namespace brankas::cli
