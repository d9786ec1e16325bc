// secret set, secret show, secret history and totp. A password reaches stdout only after its
// read event committed, and straight from secure memory.
#include "cli/commands/commands.hpp"
#include "cli/commands/secret_input.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "vault/encoding.hpp"
#include "vault/own_reasons.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/secrets/totp.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

class SecretSetCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for secret set REF"));
        add_ref_option(o);
        o.add(secret_.options());
        return o;
    }
    Status setup(const po::variables_map& vm) override { return secret_.setup(vm, SecretSourceRule::required); }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        SecretInput input = BRANKAS_TRY(secret_.read(ctx, a.ref()));
        std::int64_t version = BRANKAS_TRY(set_secret(vault, a.id, input));
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"account", a.ref()}, {"id", a.id}, {"version", version}, {"totp", input.totp.has_value()}})
                    << '\n';
            return {};
        }
        if (input.totp)
            ctx.out << fill(tr("Stored %1$s for %2$s as version %3$s, with its TOTP seed."),
                            {secret_.describe(), for_terminal(a.ref()), std::to_string(version)}) << "\n";
        else ctx.out << fill(tr("Stored %1$s for %2$s as version %3$s."), {secret_.describe(), for_terminal(a.ref()), std::to_string(version)}) << "\n";
        if (a.rotation_due) ctx.out << tr("The password change that was due is done.") << "\n";
        return {};
    }

private:
    SecretOptions secret_;
};

class SecretShowCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for secret show REF"));
        add_ref_option(o);
        o.add_options()
            ("reason", po::value<std::string>(&reason_)->required(), tr("why you read it (kept in the audit log)"))
            ("pending", po::bool_switch(&pending_), tr("the pending password of a rotation instead of the current one"))
            ("break-glass", po::bool_switch(&break_glass_),
             tr("outside every term or during another person's check-out: show it anyway, flagged (policy decides who may)"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        RevealedSecret s = BRANKAS_TRY(reveal_secret(vault, a.id, reason_, SecretPart::password,
                                                     pending_ ? SecretVersionChoice::pending : SecretVersionChoice::current,
                                                     break_glass_ ? BreakGlass::yes : BreakGlass::no));
        std::optional<SecretBytes> code;
        if (s.payload.totp) code = BRANKAS_TRY(totp_code(*s.payload.totp, ctx.clock.now_us() / 1'000'000));
        if (ctx.options.json) {
            BRANKAS_TRY(check_json_password(s.payload.password, a.ref(), JsonRefusal::read_recorded));
            ctx.out << "{\"account\": ";
            write_json_string(ctx.out, a.ref());
            ctx.out << ", \"version\": " << s.version << ", \"username\": ";
            write_json_string(ctx.out, a.handle);
            ctx.out << ", \"password\": ";
            write_json_secret(ctx.out, s.payload.password);
            ctx.out << ", \"totp\": ";
            if (code) write_json_secret(ctx.out, *code);
            else ctx.out << "null";
            ctx.out << ", \"break_glass\": " << (s.break_glass ? "true" : "false") << "}\n";
            ctx.out.flush();
            return {};
        }
        write_secret(ctx.out, s.payload.password);
        ctx.out << '\n';
        ctx.out.flush();
        if (code) {
            ctx.err << tr("brankas: TOTP code: ");
            write_secret(ctx.err, *code);
            ctx.err << '\n';
        }
        if (!s.payload.recovery_codes.empty()) ctx.err << tr("brankas: recovery codes are stored with this version.") << "\n";
        if (s.break_glass) ctx.warn(tr("this was a break-glass read: it is flagged in the audit log"));
        if (pending_)
            ctx.err << fill(tr("brankas: this is the pending version %1$s; make it current with `brankas rotate %2$s --confirm` "
                               "once it is set on the platform"),
                            {std::to_string(s.version), for_terminal(shell_word(a.ref()))})
                    << "\n";
        else if (a.rotation_due)
            ctx.warn(fill(tr("this password is due for a change: `brankas rotate %s`"), {for_terminal(shell_word(a.ref()))}));
        return {};
    }

private:
    std::string reason_;
    bool pending_ = false, break_glass_ = false;
};

class SecretHistoryCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of secret history: REF"));
        add_ref_option(o);
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_secret_version(vault, a.id, [&](const SecretVersionInfo& v) -> Status {
                array.element({{"version", v.version}, {"set_by", v.set_by}, {"time", iso_utc(v.set_us)}, {"reason", v.reason},
                               {"totp", v.has_totp}, {"current", v.current}});
                return {};
            }));
            array.finish();
            return {};
        }
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {tr("VERSION"), tr("TIME"), tr("SET BY"), "TOTP", tr("REASON")}, [&](const RowSink& sink) {
                return for_each_secret_version(vault, a.id, [&](const SecretVersionInfo& v) -> Status {
                    sink({std::to_string(v.version) + (v.current ? tr(" (current)") : ""), format_zoned_seconds(v.set_us, zone), v.set_by,
                          v.has_totp ? tr("yes") : "-", v.reason.empty() ? "-" : reason_for_reader(v.reason, tr)});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << fill(tr("%s has no password yet."), {for_terminal(a.ref())}) << "\n";
        return {};
    }
};

class TotpCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for totp REF"));
        add_ref_option(o);
        o.add_options()
            ("reason", po::value<std::string>(&reason_)->default_value("login code"), tr("why you need the code (kept in the audit log)"))
            ("break-glass", po::bool_switch(&break_glass_),
             tr("outside every term or during another person's check-out: show it anyway, flagged (policy decides who may)"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        RevealedSecret s = BRANKAS_TRY(reveal_secret(vault, a.id, reason_, SecretPart::totp, SecretVersionChoice::current,
                                                     break_glass_ ? BreakGlass::yes : BreakGlass::no));
        std::int64_t now = ctx.clock.now_us() / 1'000'000;
        SecretBytes code = BRANKAS_TRY(totp_code(*s.payload.totp, now));
        std::int64_t left = totp_seconds_left(*s.payload.totp, now);
        if (ctx.options.json) {
            ctx.out << "{\"account\": ";
            write_json_string(ctx.out, a.ref());
            ctx.out << ", \"code\": ";
            write_json_secret(ctx.out, code);
            ctx.out << ", \"seconds_left\": " << left << ", \"break_glass\": " << (s.break_glass ? "true" : "false") << "}\n";
            return {};
        }
        write_secret(ctx.out, code);
        ctx.out << '\n';
        ctx.err << fill(trn("brankas: valid for %s more second", "brankas: valid for %s more seconds", static_cast<unsigned long>(left)), {std::to_string(left)}) << "\n";
        if (s.break_glass) ctx.warn(tr("this was a break-glass read: it is flagged in the audit log"));
        return {};
    }

private:
    std::string reason_;
    bool break_glass_ = false;
};

} // namespace

std::unique_ptr<Command> make_secret_set_command() { return std::make_unique<SecretSetCommand>(); }
std::unique_ptr<Command> make_secret_show_command() { return std::make_unique<SecretShowCommand>(); }
std::unique_ptr<Command> make_secret_history_command() { return std::make_unique<SecretHistoryCommand>(); }
std::unique_ptr<Command> make_totp_command() { return std::make_unique<TotpCommand>(); }

} // namespace brankas::cli
