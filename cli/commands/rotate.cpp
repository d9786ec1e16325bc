// rotate REF [--length N] | --confirm | --abort: the two steps of a password change. The pending
// password is shown once, after its event committed; `secret show REF --pending` shows it again
// to whoever holds the unit's key.
#include "cli/commands/commands.hpp"
#include "cli/option_numbers.hpp"
#include "cli/output.hpp"
#include "vault/encoding.hpp"
#include "vault/rotation/rotation.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

class RotateCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for rotate REF"));
        add_ref_option(o);
        o.add_options()
            ("length", po::value<std::string>(&length_text_)->default_value("20"), tr("length of the new password"))
            ("reason", po::value<std::string>(&reason_), tr("why you change it: required to start, as the new password is shown (kept in the audit log)"))
            ("confirm", po::bool_switch(&confirm_), tr("the pending password was set on the platform: make it current"))
            ("abort", po::bool_switch(&abort_), tr("drop the pending password (the current one stays)"))
            ("break-glass", po::bool_switch(&break_glass_),
             tr("a custodian outside every term: start it anyway, flagged (policy decides who may)"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (confirm_ && abort_) return fail(ErrorCode::usage, tr("--confirm and --abort exclude each other"));
        if ((confirm_ || abort_) && !vm["length"].defaulted()) return fail(ErrorCode::usage, tr("--length applies when a rotation starts"));
        if ((confirm_ || abort_) && vm.count("reason")) return fail(ErrorCode::usage, tr("--reason applies when a rotation starts"));
        // Refused rather than ignored: who may finish a rotation outside every term follows from how
        // it was started (its starter, if that broke the glass), never from an option given now.
        if ((confirm_ || abort_) && break_glass_)
            return fail(ErrorCode::usage, tr("--break-glass applies when a rotation starts"),
                        tr("whoever started a rotation by break-glass confirms or aborts it without the option"));
        if (!confirm_ && !abort_ && !vm.count("reason"))
            return fail(ErrorCode::usage, tr("the option '--reason' is required to start a rotation (the new password is shown)"));
        const std::optional<std::uint64_t> length = parse_count(length_text_);
        if (!length || *length < min_generated_length || *length > max_generated_length)
            return fail(ErrorCode::usage, fill(tr("--length must be between %1$s and %2$s"),
                                               {std::to_string(min_generated_length), std::to_string(max_generated_length)}));
        length_ = static_cast<std::size_t>(*length);
        return {};
    }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        if (confirm_) {
            ConfirmedRotation c = BRANKAS_TRY(confirm_rotation(vault, a.id));
            if (ctx.options.json) {
                ctx.out << json_text({{"account", a.ref()}, {"version", c.version}, {"state", "confirmed"}, {"carried_over", c.carried_over},
                                      {"break_glass", c.break_glass}})
                        << '\n';
                return {};
            }
            ctx.out << fill(tr("Version %1$s is now the current password of %2$s."), {std::to_string(c.version), for_terminal(a.ref())}) << "\n";
            if (c.carried_over) ctx.out << tr("It keeps the TOTP seed, recovery codes and notes of the version before it.") << "\n";
            if (c.break_glass) ctx.warn(tr("this finished a break-glass rotation outside every term: it is flagged in the audit log"));
            return {};
        }
        if (abort_) {
            AbortedRotation r = BRANKAS_TRY(abort_rotation(vault, a.id));
            if (ctx.options.json) {
                ctx.out << json_text({{"account", a.ref()}, {"state", "aborted"}, {"break_glass", r.break_glass}}) << '\n';
                return {};
            }
            ctx.out << fill(tr("Dropped the pending password of %s; the current one stays."), {for_terminal(a.ref())}) << "\n";
            if (r.break_glass) ctx.warn(tr("this finished a break-glass rotation outside every term: it is flagged in the audit log"));
            return {};
        }
        PendingRotation p = BRANKAS_TRY(start_rotation(vault, a.id, PasswordRules{length_, all_char_classes}, reason_,
                                                       break_glass_ ? BreakGlass::yes : BreakGlass::no));
        if (ctx.options.json) {
            ctx.out << "{\"account\": ";
            write_json_string(ctx.out, p.account.ref());
            ctx.out << ", \"version\": " << p.version << ", \"state\": \"pending\", \"password\": ";
            write_json_secret(ctx.out, p.password);
            ctx.out << ", \"break_glass\": " << (p.break_glass ? "true" : "false") << "}\n";
            ctx.out.flush();
            return {};
        }
        write_secret(ctx.out, p.password);
        ctx.out << '\n';
        ctx.out.flush();
        ctx.err << fill(tr("brankas: this is the pending password (version %1$s) of %2$s. Set it on the platform, then run "
                           "`brankas rotate %3$s --confirm` (or --abort). Until then both passwords stay readable."),
                        {std::to_string(p.version), for_terminal(p.account.ref()), for_terminal(shell_word(p.account.ref()))})
                << "\n";
        if (p.break_glass) ctx.warn(tr("this was a break-glass rotation: it is flagged in the audit log"));
        return {};
    }

private:
    std::string reason_;
    std::string length_text_; // read by parse_count: Boost would wrap a negative number around
    std::size_t length_ = 20;
    bool confirm_ = false, abort_ = false, break_glass_ = false;
};

} // namespace

std::unique_ptr<Command> make_rotate_command() { return std::make_unique<RotateCommand>(); }

} // namespace brankas::cli
