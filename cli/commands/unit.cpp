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

    // Rows are written as they are read, whatever their number: the JSON array element by
    // element, the table in two passes (the first only measures the columns).
    Status run_in_vault(Context& ctx, Session& vault) override {
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_unit(vault, [&](const UnitInfo& u) -> Status {
                array.element(unit_json(u));
                return {};
            }));
            array.finish();
            return {};
        }
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {tr("CODE"), tr("NAME"), tr("ACCOUNTS"), tr("KEY"), tr("KEY HOLDERS")}, [&](const RowSink& sink) {
                return for_each_unit(vault, [&](const UnitInfo& u) -> Status {
                    sink({u.code, u.name, std::to_string(u.accounts), std::to_string(u.key_version), joined(u.key_holders)});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << tr("No sub-districts yet; add one with `brankas unit add CODE NAME`.") << "\n";
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
