// checkout, checkin, checkouts. A check-out prints the login only after its event committed,
// straight from secure memory (or puts the password on the clipboard with --clip).
#include "cli/clipboard.hpp"
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "cli/output.hpp"
#include "policy/document.hpp"
#include "vault/encoding.hpp"
#include "vault/own_reasons.hpp"
#include "vault/secrets/totp.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

class CheckoutCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for checkout REF"));
        add_ref_option(o);
        o.add_options()
            ("reason", po::value<std::string>(&reason_), tr("why you take it (kept in the audit log; the policy may require it)"))
            ("for", po::value<std::string>(&duration_), tr("how long, e.g. 2h, 30m, 1d (default and maximum: the policy's)"))
            ("break-glass", po::bool_switch(&break_glass_), tr("outside every term or during another person's check-out: take it anyway, flagged (needs a reason; policy decides who may)"))
            ("request", po::value<std::int64_t>(&request_), tr("under dual control: the approved request to use (its reason and length unless given)"))
            ("clip", po::bool_switch(&clip_), tr("copy the password to the clipboard (cleared after 45 s) instead of printing it"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("request")) {
            if (request_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
            request_given_ = true;
        }
        if (!duration_.empty()) {
            duration_us_ = policy::parse_duration(duration_);
            if (!duration_us_ || *duration_us_ <= 0)
                return fail(ErrorCode::usage, fill(tr("--for '%s' is not a duration"), {i18n::echo(duration_)}), tr("write it like 2h, 30m, 1d12h"));
        }
        return {};
    }

    Status prepare(Context&) override {
        if (clip_) clipboard_ = BRANKAS_TRY(find_clipboard()); // before anything is checked out
        return {};
    }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::optional<std::int64_t> request;
        if (request_given_) request = request_;
        CheckoutReceipt r = BRANKAS_TRY(checkout(vault, a.id, {reason_, duration_us_, break_glass_, request}));
        if (r.awaiting) return awaiting(ctx, r, zone);
        std::optional<SecretBytes> code;
        if (r.payload.totp) code = BRANKAS_TRY(totp_code(*r.payload.totp, ctx.clock.now_us() / 1'000'000));
        if (clipboard_) BRANKAS_TRY(copy_to_clipboard(*clipboard_, r.payload.password));
        if (ctx.options.json) {
            if (!clipboard_) BRANKAS_TRY(check_json_password(r.payload.password, r.account.ref(), JsonRefusal::check_out_held));
            ctx.out << "{\"account\": ";
            write_json_string(ctx.out, r.account.ref());
            ctx.out << ", \"version\": " << r.version << ", \"username\": ";
            write_json_string(ctx.out, r.account.handle);
            ctx.out << ", \"email\": ";
            write_json_string(ctx.out, r.account.email);
            ctx.out << ", \"password\": ";
            if (clipboard_) ctx.out << "null";
            else write_json_secret(ctx.out, r.payload.password);
            ctx.out << ", \"totp\": ";
            if (code) write_json_secret(ctx.out, *code);
            else ctx.out << "null";
            ctx.out << ", \"until\": \"" << iso_utc(r.until_us) << "\", \"break_glass\": " << (r.break_glass ? "true" : "false") << "}\n";
            ctx.out.flush();
            return {};
        }
        // TRANSLATORS: the four labels line up: give them the same width.
        ctx.out << tr("username: ") << for_terminal(r.account.handle) << '\n';
        if (!r.account.email.empty()) ctx.out << tr("e-mail:   ") << for_terminal(r.account.email) << '\n';
        ctx.out << tr("password: ");
        if (clipboard_) ctx.out << fill(tr("(on the clipboard, cleared in %s s)"), {std::to_string(clipboard_clear_seconds)});
        else write_secret(ctx.out, r.payload.password);
        ctx.out << '\n';
        if (code) {
            ctx.out << tr("totp:     ");
            write_secret(ctx.out, *code);
            ctx.out << '\n';
        }
        ctx.out.flush();
        ctx.err << fill(tr("brankas: %1$s is yours until %2$s; give it back with `brankas checkin %3$s`"),
                        {for_terminal(r.account.ref()), format_zoned(r.until_us, zone), for_terminal(shell_word(r.account.ref()))})
                << "\n";
        if (r.break_glass) ctx.warn(tr("this was a break-glass check-out: it is flagged in the audit log"));
        return {};
    }

private:
    // Dual control: nothing was checked out; the request waits for a second person.
    Status awaiting(Context& ctx, const CheckoutReceipt& r, const policy::TimeZone& zone) {
        const AwaitingApproval& w = *r.awaiting;
        if (ctx.options.json) {
            ctx.out << json_text({{"account", r.account.ref()}, {"request", w.request}, {"until", format_iso(w.expires_us, zone)},
                                  {"state", "pending"}})
                    << '\n';
        } else {
            const std::string id = std::to_string(w.request);
            ctx.out << fill(tr("Request %1$s waits for approval until %2$s."), {id, format_zoned(w.expires_us, zone)}) << "\n";
            ctx.out << fill(tr("Another person approves it with `brankas approve %1$s --reason ...`; then run `brankas checkout %2$s --break-glass --request %1$s`."),
                            {id, for_terminal(shell_word(r.account.ref()))})
                    << "\n";
        }
        return fail(ErrorCode::awaiting_approval, fill(tr("the break-glass check-out of %1$s needs a second person's approval: request %2$s is recorded"),
                                                       {r.account.ref(), std::to_string(w.request)}));
    }

    std::string reason_, duration_;
    std::optional<std::int64_t> duration_us_;
    std::int64_t request_ = 0;
    bool request_given_ = false;
    bool break_glass_ = false, clip_ = false;
    std::optional<ClipboardTool> clipboard_;
};

class CheckinCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of checkin: REF"));
        add_ref_option(o);
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        CheckinReceipt r = BRANKAS_TRY(checkin(vault, a.id));
        if (ctx.options.json) {
            ctx.out << json_text({{"account", r.account.ref()}, {"holder", r.holder}, {"rotation_due", r.rotation_due}}) << '\n';
            return {};
        }
        if (r.holder != vault.user())
            ctx.out << fill(tr("Checked in %1$s (held by %2$s)."), {for_terminal(r.account.ref()), r.holder}) << "\n";
        else ctx.out << fill(tr("Checked in %s."), {for_terminal(r.account.ref())}) << "\n";
        if (r.rotation_due)
            ctx.out << fill(tr("The policy asks for a new password now: `brankas rotate %s`."), {for_terminal(shell_word(r.account.ref()))}) << "\n";
        return {};
    }
};

class CheckoutsCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for checkouts"));
        o.add_options()("all", po::bool_switch(&all_), tr("also the check-outs that were returned or expired"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        const WhichCheckouts which = all_ ? WhichCheckouts::all : WhichCheckouts::open;
        std::int64_t now = ctx.clock.now_us();
        auto state_of = [&](const CheckoutInfo& c) -> std::string {
            switch (c.ended) {
            case CheckoutEnding::returned: return tr("returned");
            case CheckoutEnding::expired: return tr("expired");
            case CheckoutEnding::not_yet: break;
            }
            return c.until_us <= now ? tr("OVERDUE") : tr("out");
        };
        // Rows are written as they are read, whatever their number: the JSON array element by
        // element, the table in two passes (the first only measures the columns).
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_checkout(vault, which, [&](const CheckoutInfo& c) -> Status {
                array.element({{"account", c.ref}, {"id", c.account}, {"unit", c.unit}, {"holder", c.holder}, {"reason", c.reason},
                               {"start", iso_utc(c.start_us)}, {"until", iso_utc(c.until_us)}, {"break_glass", c.break_glass},
                               {"state", c.ended == CheckoutEnding::not_yet ? (c.until_us <= now ? "overdue" : "out") : std::string(checkout_ending_name(c.ended))},
                               {"ended", c.ended_us ? nlohmann::json(iso_utc(c.ended_us)) : nlohmann::json(nullptr)}});
                return {};
            }));
            array.finish();
            return {};
        }
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {tr("ACCOUNT"), tr("UNIT"), tr("HOLDER"), tr("UNTIL"), tr("STATE"), tr("REASON")}, [&](const RowSink& sink) {
                return for_each_checkout(vault, which, [&](const CheckoutInfo& c) -> Status {
                    sink({c.ref, c.unit, c.holder, format_zoned(c.until_us, zone), state_of(c) + (c.break_glass ? tr(" (break-glass)") : ""),
                          c.reason.empty() ? "-" : reason_for_reader(c.reason, tr)});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << (all_ ? tr("Nothing was ever checked out.") : tr("Nothing is checked out.")) << "\n";
        return {};
    }

private:
    bool all_ = false;
};

} // namespace

std::unique_ptr<Command> make_checkout_command() { return std::make_unique<CheckoutCommand>(); }
std::unique_ptr<Command> make_checkin_command() { return std::make_unique<CheckinCommand>(); }
std::unique_ptr<Command> make_checkouts_command() { return std::make_unique<CheckoutsCommand>(); }

} // namespace brankas::cli
