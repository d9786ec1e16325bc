// unit add, unit list, unit rotate: the sub-districts (kecamatan) of the district.
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

nlohmann::json unit_json(const UnitInfo& u) {
    return {{"code", u.code}, {"name", u.name}, {"key_version", u.key_version}, {"accounts", u.accounts}, {"key_holders", u.key_holders}};
}

class UnitAddCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of unit add: CODE NAME"));
        o.add_options()
            ("code", po::value<std::string>(&code_)->required(), tr("official region code, NN.NN.NN (e.g. 35.02.01)"))
            ("name", po::value<std::string>(&name_)->required(), tr("the sub-district's name"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"code", "name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        UnitInfo u = BRANKAS_TRY(add_unit(vault, code_, name_));
        if (ctx.options.json) {
            ctx.out << json_text(unit_json(u)) << '\n';
            return {};
        }
        ctx.out << fill(tr("Added sub-district %1$s %2$s; its key is held by %3$s"), {u.code, for_terminal(u.name), joined(u.key_holders)})
                << "\n";
        return {};
    }

private:
    std::string code_, name_;
};

class UnitListCommand final : public VaultCommand {
public:
    po::options_description options() override { return po::options_description(tr("Options for unit list")); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        auto units = BRANKAS_TRY(list_units(vault));
        if (ctx.options.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& u : units) j.push_back(unit_json(u));
            ctx.out << json_text(j) << '\n';
            return {};
        }
        if (units.empty()) {
            ctx.out << tr("No sub-districts yet; add one with `brankas unit add CODE NAME`.") << "\n";
            return {};
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& u : units)
            rows.push_back({u.code, u.name, std::to_string(u.accounts), std::to_string(u.key_version), joined(u.key_holders)});
        print_table(ctx.out, {tr("CODE"), tr("NAME"), tr("ACCOUNTS"), tr("KEY"), tr("KEY HOLDERS")}, rows);
        return {};
    }
};

class UnitRotateCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for unit rotate: CODE --reason TEXT"));
        o.add_options()
            ("code", po::value<std::string>(&code_)->required(), tr("the sub-district's region code"))
            ("reason", po::value<std::string>(&reason_)->required(), tr("why the key is rotated (recorded)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"code"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        BRANKAS_TRY(rotate_unit(vault, code_, reason_));
        auto units = BRANKAS_TRY(list_units(vault));
        auto it = std::find_if(units.begin(), units.end(), [&](const UnitInfo& u) { return u.code == code_; });
        if (it == units.end()) return fail(ErrorCode::internal, tr("the rotated sub-district is missing"));
        if (ctx.options.json) {
            ctx.out << json_text(unit_json(*it)) << '\n';
            return {};
        }
        ctx.out << fill(tr("Rotated the key of %1$s to version %2$s; it is held by %3$s. Every account of the sub-district is "
                           "flagged for a password change."),
                        {it->code, std::to_string(it->key_version), joined(it->key_holders)})
                << "\n";
        return {};
    }

private:
    std::string code_, reason_;
};

} // namespace

std::unique_ptr<Command> make_unit_rotate_command() { return std::make_unique<UnitRotateCommand>(); }
std::unique_ptr<Command> make_unit_add_command() { return std::make_unique<UnitAddCommand>(); }
std::unique_ptr<Command> make_unit_list_command() { return std::make_unique<UnitListCommand>(); }

} // namespace brankas::cli
