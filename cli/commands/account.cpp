// account add, list, show, edit, archive: platform accounts and their recovery channels.
// Metadata only; the password is a secret version (secret set / show).
#include "cli/commands/account_ref.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/secret_input.hpp"
#include "cli/output.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

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
            {"version", a.version},
            {"created", iso_utc(a.created_us)},
            {"updated", iso_utc(a.updated_us)},
            {"updated_by", a.updated_by}};
}

class AccountAddCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Options for account add");
        o.add_options()
            ("unit", po::value<std::string>(&unit_)->required(), "the sub-district's code")
            ("platform", po::value<std::string>(&input_.platform)->required(), "instagram, facebook, x, tiktok, youtube, threads, email or other")
            ("handle", po::value<std::string>(&input_.handle)->required(), "the account's handle or login name")
            ("email", po::value<std::string>(&input_.email), "login e-mail, also the account's recovery channel")
            ("phone", po::value<std::string>(&input_.phone), "login phone, also a recovery channel (+62...)")
            ("url", po::value<std::string>(&input_.url), "the account's page");
        o.add(secret_.options());
        return o;
    }
    Status setup(const po::variables_map& vm) override { return secret_.setup(vm, SecretSourceRule::optional); }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        // Read the secret's files before anything is written, so a typo in a path adds nothing.
        std::optional<SecretInput> secret;
        if (secret_.given()) secret = BRANKAS_TRY(secret_.read(ctx, input_.platform + "/" + input_.handle));
        AccountInfo a = BRANKAS_TRY(add_account(vault, unit_, input_));
        std::int64_t version = 0;
        if (secret) {
            if (secret->reason.empty()) secret->reason = "account added";
            // The account has committed: a password that cannot be stored now is a warning, not
            // the command's outcome (run again, it would find the account already there).
            auto stored = set_secret(vault, a.id, *secret);
            if (stored) version = *stored;
            else ctx.warn("the account was added, but its password could not be stored: " + stored.error().message);
        }
        if (ctx.options.json) {
            nlohmann::json j = account_json(a);
            j["version"] = version;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        ctx.out << "Added account " << a.id << ": " << for_terminal(a.ref()) << " in sub-district " << a.unit << "\n";
        if (version != 0) ctx.out << "Stored " << secret_.describe() << " as version " << version << ".\n";
        else ctx.out << "No password stored yet: `brankas secret set " << for_terminal(a.ref()) << "`.\n";
        return {};
    }

private:
    std::string unit_;
    AccountInput input_;
    SecretOptions secret_;
};

std::vector<std::string> row_of(const AccountInfo& a) {
    return {std::to_string(a.id), a.unit, a.ref(), std::string(account_status_name(a.status)), a.rotation_due ? "due" : "-",
            a.version == 0 ? "none" : "v" + std::to_string(a.version), or_dash(a.email)};
}

class AccountListCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Options for account list");
        o.add_options()
            ("unit", po::value<std::string>(), "only this sub-district")
            ("status", po::value<std::string>(), "only active, deactivated or archived accounts");
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("unit")) filter_.unit = vm["unit"].as<std::string>();
        if (vm.count("status")) {
            const std::string& status = vm["status"].as<std::string>();
            filter_.status = parse_account_status(status);
            if (!filter_.status) return fail(ErrorCode::usage, "unknown status '" + status + "'", "use active, deactivated or archived");
        }
        return {};
    }

    // Rows are written as they are read, whatever their number: the JSON array element by
    // element, the table in two passes over the accounts (the first only measures the columns),
    // so the bytes are those of one aligned table printed at once.
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_account(vault, filter_, AccountTimes::include, [&](const AccountInfo& a) -> Status {
                array.element(account_json(a));
                return {};
            }));
            array.finish();
            return {};
        }
        const std::vector<std::string> header{"ID", "UNIT", "ACCOUNT", "STATUS", "ROTATION", "PASSWORD", "E-MAIL"};
        std::vector<std::size_t> widths = column_widths(header);
        std::size_t count = 0;
        BRANKAS_TRY(for_each_account(vault, filter_, AccountTimes::leave_out, [&](const AccountInfo& a) -> Status {
            widen(widths, row_of(a));
            ++count;
            return {};
        }));
        if (count == 0) {
            ctx.out << "No accounts match.\n";
            return {};
        }
        // An account added between the passes prints in its place, pushing only its own line.
        print_row(ctx.out, header, widths);
        BRANKAS_TRY(for_each_account(vault, filter_, AccountTimes::leave_out, [&](const AccountInfo& a) -> Status {
            print_row(ctx.out, row_of(a), widths);
            return {};
        }));
        return {};
    }

private:
    AccountFilter filter_;
};

class AccountShowCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Arguments of account show: REF");
        add_ref_option(o, ref_);
        return o;
    }
    po::positional_options_description positionals() override { return ref_positional(); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        AccountInfo a = BRANKAS_TRY(find_account(vault, ref_));
        if (ctx.options.json) {
            ctx.out << json_text(account_json(a)) << '\n';
            return {};
        }
        std::vector<std::vector<std::string>> rows{
            {"Account", std::to_string(a.id) + ", " + a.ref()},
            {"Sub-district", a.unit},
            {"Status", std::string(account_status_name(a.status)) + (a.rotation_due ? ", password change due" : "")},
            {"Login e-mail", or_dash(a.email) + (a.email.empty() ? "" : "  (recovery channel)")},
            {"Login phone", or_dash(a.phone) + (a.phone.empty() ? "" : "  (recovery channel)")},
            {"URL", or_dash(a.url)},
            {"Password", a.version == 0 ? "none stored" : "version " + std::to_string(a.version) + " (`brankas secret show`)"},
            {"Added", local_time(a.created_us)},
            {"Last changed", local_time(a.updated_us) + " by " + a.updated_by},
        };
        print_table(ctx.out, {}, rows);
        if (a.email.empty() && a.phone.empty())
            ctx.warn("no recovery channel is recorded: without the login e-mail or phone a lost password may lose the account");
        return {};
    }

private:
    std::string ref_;
};

class AccountEditCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Options for account edit REF");
        add_ref_option(o, ref_);
        o.add_options()
            ("platform", po::value<std::string>(), "new platform")
            ("handle", po::value<std::string>(), "new handle")
            ("email", po::value<std::string>(), "new login e-mail (\"\" removes it)")
            ("phone", po::value<std::string>(), "new login phone (\"\" removes it)")
            ("url", po::value<std::string>(), "new URL (\"\" removes it)");
        return o;
    }
    po::positional_options_description positionals() override { return ref_positional(); }
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
            return fail(ErrorCode::usage, "nothing to change", "give --platform, --handle, --email, --phone or --url");
        return {};
    }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        AccountInfo before = BRANKAS_TRY(find_account(vault, ref_));
        AccountInfo a = BRANKAS_TRY(edit_account(vault, before.id, edit_));
        if (ctx.options.json) ctx.out << json_text(account_json(a)) << '\n';
        else ctx.out << "Updated account " << a.id << ": " << for_terminal(a.ref()) << "\n";
        return {};
    }

private:
    std::string ref_;
    AccountEdit edit_;
};

class AccountArchiveCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Arguments of account archive: REF");
        add_ref_option(o, ref_);
        return o;
    }
    po::positional_options_description positionals() override { return ref_positional(); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        AccountInfo a = BRANKAS_TRY(find_account(vault, ref_));
        BRANKAS_TRY(archive_account(vault, a.id));
        if (ctx.options.json) ctx.out << json_text(nlohmann::json{{"id", a.id}, {"status", "archived"}}) << '\n';
        else ctx.out << "Archived account " << a.id << ": " << for_terminal(a.ref()) << " (kept, with its history).\n";
        return {};
    }

private:
    std::string ref_;
};

} // namespace

std::unique_ptr<Command> make_account_add_command() { return std::make_unique<AccountAddCommand>(); }
std::unique_ptr<Command> make_account_list_command() { return std::make_unique<AccountListCommand>(); }
std::unique_ptr<Command> make_account_show_command() { return std::make_unique<AccountShowCommand>(); }
std::unique_ptr<Command> make_account_edit_command() { return std::make_unique<AccountEditCommand>(); }
std::unique_ptr<Command> make_account_archive_command() { return std::make_unique<AccountArchiveCommand>(); }

} // namespace brankas::cli
