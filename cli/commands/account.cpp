// account add, list, show, edit, archive: platform accounts and their recovery channels.
// Metadata only; the password is a secret version (secret set / show).
#include "cli/commands/commands.hpp"
#include "cli/commands/secret_input.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "i18n/translate.hpp"
#include "vault/encoding.hpp"
#include "vault/own_reasons.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

// A pending rotation says more than "due": the new password exists and waits to be set.
std::string rotation_state(const AccountInfo& a) {
    if (a.rotation_pending) return i18n::tr("pending");
    return a.rotation_due ? i18n::tr("due") : "-";
}

nlohmann::json account_json(const AccountInfo& a) {
    return {{"id", a.id},
            {"ref", a.ref()},
            {"unit", a.unit},
            {"platform", a.platform},
            {"handle", a.handle},
            {"email", a.email},
            {"phone", a.phone},
            {"url", a.url},
            {"status", std::string(account_status_name(a.status))},
            {"rotation_due", a.rotation_due},
            {"rotation_pending", a.rotation_pending},
            {"version", a.version},
            {"created", iso_utc(a.created_us)},
            {"updated", iso_utc(a.updated_us)},
            {"updated_by", a.updated_by}};
}

class AccountAddCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for account add"));
        o.add_options()
            ("unit", po::value<std::string>(&unit_)->required(), tr("the sub-district's code"))
            ("platform", po::value<std::string>(&input_.platform)->required(), tr("instagram, facebook, x, tiktok, youtube, threads, email or other"))
            ("handle", po::value<std::string>(&input_.handle)->required(), tr("the account's handle or login name"))
            ("email", po::value<std::string>(&input_.email), tr("login e-mail, also the account's recovery channel"))
            ("phone", po::value<std::string>(&input_.phone), tr("login phone, also a recovery channel (+62...)"))
            ("url", po::value<std::string>(&input_.url), tr("the account's page"));
        o.add(secret_.options());
        return o;
    }
    Status setup(const po::variables_map& vm) override { return secret_.setup(vm, SecretSourceRule::optional); }

    Status run_in_vault(Context& ctx, Session& vault) override {
        // Read the secret's files before anything is written, so a typo in a path adds nothing.
        std::optional<SecretInput> secret;
        if (secret_.given()) secret = BRANKAS_TRY(secret_.read(ctx, input_.platform + "/" + input_.handle));
        AccountInfo a = BRANKAS_TRY(add_account(vault, unit_, input_));
        std::int64_t version = 0;
        if (secret) {
            if (secret->reason.empty()) secret->reason = own_reason(OwnReason::account_added); // signed into the log: stays English
            // The account has committed: a password that cannot be stored now is a warning, not
            // the command's outcome (run again, it would find the account already there).
            auto stored = set_secret(vault, a.id, *secret);
            if (stored) version = *stored;
            else ctx.warn(fill(tr("the account was added, but its password could not be stored: %s"), {stored.error().message}));
        }
        if (ctx.options.json) {
            nlohmann::json j = account_json(a);
            j["version"] = version;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        ctx.out << fill(tr("Added account %1$s: %2$s in sub-district %3$s"), {std::to_string(a.id), for_terminal(a.ref()), a.unit}) << "\n";
        if (version != 0) ctx.out << fill(tr("Stored %1$s as version %2$s."), {secret_.describe(), std::to_string(version)}) << "\n";
        else ctx.out << fill(tr("No password stored yet: `brankas secret set %s`."), {for_terminal(shell_word(a.ref()))}) << "\n";
        return {};
    }

private:
    std::string unit_;
    AccountInput input_;
    SecretOptions secret_;
};

std::vector<std::string> row_of(const AccountInfo& a) {
    return {std::to_string(a.id), a.unit, a.ref(), std::string(account_status_name(a.status)), rotation_state(a),
            a.version == 0 ? i18n::tr("none") : "v" + std::to_string(a.version), or_dash(a.email)};
}

// row_of()'s cells for each row of for_each_account_row, built in buffers kept from one row to
// the next: the same bytes, without an AccountInfo or a string per cell.
class ListRowPrinter {
public:
    ListRowPrinter(std::ostream& out, const std::vector<std::size_t>& widths)
        : out_(out), widths_(widths), pending_(i18n::tr("pending")), due_(i18n::tr("due")), none_(i18n::tr("none")) {}

    void print(const AccountListRow& a) {
        ref_.assign(a.platform).append("/").append(a.handle);
        // The numbers as std::to_string writes them, into buffers of this printer ("v" stays
        // in front of the version's digits).
        const std::string_view id = digits_of(a.id, id_, id_ + sizeof id_);
        const std::string_view version =
            a.version == 0 ? std::string_view(none_)
                           : std::string_view(version_, static_cast<std::size_t>(digits_of(a.version, version_ + 1, version_ + sizeof version_).end() - version_));
        const std::string_view cells[] = {id,
                                          a.unit,
                                          ref_,
                                          account_status_name(a.status),
                                          a.rotation_pending ? std::string_view(pending_) : a.rotation_due ? std::string_view(due_) : "-",
                                          version,
                                          a.email.empty() ? "-" : a.email};
        print_cells(out_, cells, widths_, line_);
    }

private:
    static std::string_view digits_of(std::int64_t n, char* first, char* last) {
        const auto written = std::to_chars(first, last, n);
        return {first, static_cast<std::size_t>(written.ptr - first)};
    }

    std::ostream& out_;
    const std::vector<std::size_t>& widths_;
    const std::string pending_, due_, none_;
    std::string ref_, line_;
    char id_[24]{}, version_[24]{'v'};
};

// The widths the rows of row_of() measured by `extent` need, every text being plain ASCII (one
// column per byte): each column's widest cell, as row_of() writes it, but the last (the e-mail,
// which takes no width: print_cells pads every cell but the last).
void widen_to(std::vector<std::size_t>& widths, const AccountExtent& extent) {
    auto cell = [](std::int64_t length) { return std::string(static_cast<std::size_t>(std::max<std::int64_t>(length, 0)), 'x'); };
    widen(widths, {cell(extent.id), cell(extent.unit), cell(extent.ref), cell(extent.status)});
    if (extent.some_pending) widen(widths, {"", "", "", "", i18n::tr("pending")});
    if (extent.some_due) widen(widths, {"", "", "", "", i18n::tr("due")});
    if (extent.some_neither) widen(widths, {"", "", "", "", "-"});
    if (extent.version > 0) widen(widths, {"", "", "", "", "", cell(1 + extent.version)});
    if (extent.some_without_version) widen(widths, {"", "", "", "", "", i18n::tr("none")});
}

class AccountListCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for account list"));
        o.add_options()
            ("unit", po::value<std::string>(), tr("only this sub-district"))
            ("status", po::value<std::string>(), tr("only active, deactivated or archived accounts"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("unit")) filter_.unit = vm["unit"].as<std::string>();
        if (vm.count("status")) {
            const std::string& status = vm["status"].as<std::string>();
            filter_.status = parse_account_status(status);
            if (!filter_.status) return fail(ErrorCode::usage, fill(tr("unknown status '%s'"), {i18n::echo(status)}), tr("use active, deactivated or archived"));
        }
        return {};
    }

    // Rows are written as they are read, whatever their number: the JSON array element by
    // element, the table after one aggregate query has measured its columns, so the bytes are
    // those of one aligned table printed at once.
    Status run_in_vault(Context& ctx, Session& vault) override {
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_account(vault, filter_, AccountTimes::include, [&](const AccountInfo& a) -> Status {
                array.element(account_json(a));
                return {};
            }));
            array.finish();
            return {};
        }
        const std::vector<std::string> header{"ID", tr("UNIT"), tr("ACCOUNT"), tr("STATUS"), tr("ROTATION"), tr("PASSWORD"), tr("E-MAIL")};
        const AccountExtent extent = BRANKAS_TRY(account_extent(vault, filter_));
        if (extent.accounts == 0) {
            ctx.out << tr("No accounts match.") << "\n";
            return {};
        }
        std::vector<std::size_t> widths = column_widths(header);
        if (extent.plain_ascii) {
            widen_to(widths, extent);
        } else {
            // Text that is not plain ASCII takes as many columns as for_terminal shows it in:
            // measured row by row.
            BRANKAS_TRY(for_each_account(vault, filter_, AccountTimes::leave_out, [&](const AccountInfo& a) -> Status {
                widen(widths, row_of(a));
                return {};
            }));
        }
        // An account added after the measuring prints in its place, pushing only its own line.
        print_row(ctx.out, header, widths);
        ListRowPrinter printer(ctx.out, widths);
        return for_each_account_row(vault, filter_, [&printer](const AccountListRow& a) -> Status {
            printer.print(a);
            return {};
        });
    }

private:
    AccountFilter filter_;
};

class AccountShowCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of account show: REF"));
        add_ref_option(o);
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    // Showing an account is reading it: a custodian sees only their own sub-districts'.
    Result<AccountInfo> look_up(Session& vault, const std::string& ref) override { return show_account(vault, ref); }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        if (ctx.options.json) {
            ctx.out << json_text(account_json(a)) << '\n';
            return {};
        }
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::vector<std::vector<std::string>> rows{
            {tr("Account"), std::to_string(a.id) + ", " + a.ref()},
            {tr("Sub-district"), a.unit},
            // The status inside a phrase of the reader's language: its word, not its name.
            {tr("Status"), std::string(tr(account_status_name(a.status).data())) + (a.rotation_due ? tr(", password change due") : "") +
                               (a.rotation_pending ? tr(", new password pending (rotate --confirm or --abort)") : "")},
            {tr("Login e-mail"), or_dash(a.email) + (a.email.empty() ? "" : tr("  (recovery channel)"))},
            {tr("Login phone"), or_dash(a.phone) + (a.phone.empty() ? "" : tr("  (recovery channel)"))},
            {"URL", or_dash(a.url)},
            {tr("Password"), a.version == 0 ? tr("none stored") : fill(tr("version %s (`brankas secret show`)"), {std::to_string(a.version)})},
            {tr("Added"), format_zoned_seconds(a.created_us, zone)},
            {tr("Last changed"), fill(tr("%1$s by %2$s"), {format_zoned_seconds(a.updated_us, zone), a.updated_by})},
        };
        print_table(ctx.out, {}, rows);
        if (a.email.empty() && a.phone.empty())
            ctx.warn(tr("no recovery channel is recorded: without the login e-mail or phone a lost password may lose the account"));
        return {};
    }
};

class AccountEditCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for account edit REF"));
        add_ref_option(o);
        o.add_options()
            ("platform", po::value<std::string>(), tr("new platform"))
            ("handle", po::value<std::string>(), tr("new handle"))
            ("email", po::value<std::string>(), tr("new login e-mail (\"\" removes it)"))
            ("phone", po::value<std::string>(), tr("new login phone (\"\" removes it)"))
            ("url", po::value<std::string>(), tr("new URL (\"\" removes it)"));
        return o;
    }
    std::vector<std::string> options_that_may_be_empty() const override { return {"email", "phone", "url"}; }
    Status setup(const po::variables_map& vm) override {
        auto take = [&](const char* name, std::optional<std::string>& field) {
            if (vm.count(name)) field = vm[name].as<std::string>();
        };
        take("platform", edit_.platform);
        take("handle", edit_.handle);
        take("email", edit_.email);
        take("phone", edit_.phone);
        take("url", edit_.url);
        if (!edit_.platform && !edit_.handle && !edit_.email && !edit_.phone && !edit_.url)
            return fail(ErrorCode::usage, tr("nothing to change"), tr("give --platform, --handle, --email, --phone or --url"));
        return {};
    }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& before) override {
        AccountInfo a = BRANKAS_TRY(edit_account(vault, before.id, edit_));
        if (ctx.options.json) ctx.out << json_text(account_json(a)) << '\n';
        else ctx.out << fill(tr("Updated account %1$s: %2$s"), {std::to_string(a.id), for_terminal(a.ref())}) << "\n";
        return {};
    }

private:
    AccountEdit edit_;
};

class AccountArchiveCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of account archive: REF"));
        add_ref_option(o);
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        BRANKAS_TRY(archive_account(vault, a.id));
        if (ctx.options.json) ctx.out << json_text(nlohmann::json{{"id", a.id}, {"status", "archived"}}) << '\n';
        else ctx.out << fill(tr("Archived account %1$s: %2$s (kept, with its history)."), {std::to_string(a.id), for_terminal(a.ref())}) << "\n";
        return {};
    }
};

} // namespace

std::unique_ptr<Command> make_account_add_command() { return std::make_unique<AccountAddCommand>(); }
std::unique_ptr<Command> make_account_list_command() { return std::make_unique<AccountListCommand>(); }
std::unique_ptr<Command> make_account_show_command() { return std::make_unique<AccountShowCommand>(); }
std::unique_ptr<Command> make_account_edit_command() { return std::make_unique<AccountEditCommand>(); }
std::unique_ptr<Command> make_account_archive_command() { return std::make_unique<AccountArchiveCommand>(); }

} // namespace brankas::cli
