// rotate REF [--length N] | --confirm | --abort: the two steps of a password change. The pending
// password is shown once, after its event committed; `secret show REF --pending` shows it again
// to whoever holds the unit's key.
#include "cli/commands/account_ref.hpp"
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "vault/rotation/rotation.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

class RotateCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for rotate REF"));
        add_ref_option(o, ref_);
        o.add_options()
            ("length", po::value<std::size_t>(&length_)->default_value(20), tr("length of the new password"))
            ("confirm", po::bool_switch(&confirm_), tr("the pending password was set on the platform: make it current"))
            ("abort", po::bool_switch(&abort_), tr("drop the pending password (the current one stays)"));
        return o;
    }
    po::positional_options_description positionals() override { return ref_positional(); }
    Status setup(const po::variables_map& vm) override {
        if (confirm_ && abort_) return fail(ErrorCode::usage, tr("--confirm and --abort exclude each other"));
        if ((confirm_ || abort_) && !vm["length"].defaulted()) return fail(ErrorCode::usage, tr("--length applies when a rotation starts"));
        if (length_ < min_generated_length || length_ > max_generated_length)
            return fail(ErrorCode::usage, fill(tr("--length must be between %1$s and %2$s"),
                                               {std::to_string(min_generated_length), std::to_string(max_generated_length)}));
        return {};
    }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        AccountInfo a = BRANKAS_TRY(find_account(vault, ref_));
        if (confirm_) {
            ConfirmedRotation c = BRANKAS_TRY(confirm_rotation(vault, a.id));
            if (ctx.options.json) {
                ctx.out << json_text({{"account", a.ref()}, {"version", c.version}, {"state", "confirmed"}, {"carried_over", c.carried_over}})
                        << '\n';
                return {};
            }
            ctx.out << fill(tr("Version %1$s is now the current password of %2$s."), {std::to_string(c.version), for_terminal(a.ref())}) << "\n";
            if (c.carried_over) ctx.out << tr("It keeps the TOTP seed, recovery codes and notes of the version before it.") << "\n";
            return {};
        }
        if (abort_) {
            BRANKAS_TRY(abort_rotation(vault, a.id));
            if (ctx.options.json) ctx.out << json_text({{"account", a.ref()}, {"state", "aborted"}}) << '\n';
            else ctx.out << fill(tr("Dropped the pending password of %s; the current one stays."), {for_terminal(a.ref())}) << "\n";
            return {};
        }
        PendingRotation p = BRANKAS_TRY(start_rotation(vault, a.id, PasswordRules{length_, all_char_classes}));
        if (ctx.options.json) {
            ctx.out << "{\"account\": ";
            write_json_string(ctx.out, p.account.ref());
            ctx.out << ", \"version\": " << p.version << ", \"state\": \"pending\", \"password\": ";
            write_json_secret(ctx.out, p.password);
            ctx.out << "}\n";
            ctx.out.flush();
            return {};
        }
        write_secret(ctx.out, p.password);
        ctx.out << '\n';
        ctx.out.flush();
        ctx.err << fill(tr("brankas: this is the pending password (version %1$s) of %2$s. Set it on the platform, then run "
                           "`brankas rotate %2$s --confirm` (or --abort). Until then both passwords stay readable."),
                        {std::to_string(p.version), for_terminal(p.account.ref())})
                << "\n";
        return {};
    }

private:
    std::string ref_;
    std::size_t length_ = 20;
    bool confirm_ = false, abort_ = false;
};

} // namespace

std::unique_ptr<Command> make_rotate_command() { return std::make_unique<RotateCommand>(); }

} // namespace brankas::cli
