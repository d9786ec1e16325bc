// term add, term list, term extend, term end: the windows in which a sub-district's accounts
// are usable. Dates are whole days in the institution's time zone; a term ends at the end of
// its last day.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "cli/output.hpp"
#include "policy/document.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::size_t reactivated_count(const std::vector<policy::ReactivatedUnit>& units) {
    std::size_t n = 0;
    for (const auto& u : units) n += u.accounts.size();
    return n;
}

// Deactivated accounts come back when their unit is inside a term: at once when the term is
// under way, otherwise at the enforcer's first run after its start.
void print_reactivated(std::ostream& out, const std::vector<policy::ReactivatedUnit>& units) {
    std::size_t n = reactivated_count(units);
    if (n > 0)
        out << fill(trn("%s deactivated account is active again; an unfinished deactivation checklist closed with it.",
                        "%s deactivated accounts are active again; an unfinished deactivation checklist closed with them.", n),
                    {std::to_string(n)})
            << "\n";
}

Result<std::int64_t> date_start(std::string_view text, std::string_view what, const policy::TimeZone& zone) {
    auto at = parse_date(text, zone);
    if (!at) return fail(ErrorCode::usage, fill(what == "start" ? tr("the start date '%s' is not a date") : tr("the end date '%s' is not a date"), {i18n::echo(text)}),
                         fill(tr("write it as YYYY-MM-DD, a day from %1$s to %2$s"), {first_day, last_day}));
    return *at;
}

// The exclusive end of a term whose last day is `text`.
Result<std::int64_t> date_end(std::string_view text, const policy::TimeZone& zone) {
    return BRANKAS_TRY(date_start(text, "end", zone)) + policy::day_us;
}

std::string units_text(const std::vector<std::string>& units) { return units.empty() ? tr("every sub-district") : joined(units); }

void add_name_and_units(po::options_description& o, std::string& name, std::vector<std::string>& units) {
    o.add_options()
        ("name", po::value<std::string>(&name)->required(), tr("the term's name, e.g. \"Pilkada 2029\""))
        ("unit", po::value<std::vector<std::string>>(&units)->composing(), tr("a sub-district code (repeat; default: every sub-district)"));
}

class TermAddCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for term add NAME"));
        add_name_and_units(o, name_, units_);
        o.add_options()
            ("start", po::value<std::string>(&start_)->required(), tr("first day, YYYY-MM-DD"))
            ("end", po::value<std::string>(&end_)->required(), tr("last day, YYYY-MM-DD"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::int64_t start = BRANKAS_TRY(date_start(start_, "start", zone));
        std::int64_t end = BRANKAS_TRY(date_end(end_, zone));
        auto back = BRANKAS_TRY(add_term(vault, name_, start, end, units_));
        if (ctx.options.json) {
            ctx.out << json_text({{"term", name_}, {"start", iso_utc(start)}, {"end", iso_utc(end)}, {"units", units_},
                                  {"reactivated_accounts", reactivated_count(back)}})
                    << '\n';
            return {};
        }
        ctx.out << fill(tr("Added term '%1$s' from %2$s to %3$s (%4$s) for %5$s."),
                        {for_terminal(name_), format_date(start, zone), format_last_day(end, zone), zone.name, units_text(units_)})
                << "\n";
        print_reactivated(ctx.out, back);
        return {};
    }

private:
    std::string name_, start_, end_;
    std::vector<std::string> units_;
};

class TermListCommand final : public VaultCommand {
public:
    po::options_description options() override { return po::options_description(tr("term list takes no options")); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        PolicyState state = BRANKAS_TRY(policy_state(vault));
        const policy::TimeZone& zone = state.policy.time_zone;
        std::int64_t now = ctx.clock.now_us();
        auto state_of = [&](const TermInfo& t) {
            if (now < t.start_us) return "upcoming";
            if (now < t.end_us) return "active";
            if (now < t.end_us + state.policy.term_grace_us) return "grace";
            return "ended";
        };
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_term(vault, [&](const TermInfo& t) -> Status {
                nlohmann::json units = nlohmann::json::array();
                for (const auto& u : t.units)
                    units.push_back({{"unit", u.unit}, {"end", u.end_us ? nlohmann::json(iso_utc(*u.end_us)) : nlohmann::json(nullptr)}});
                array.element({{"name", t.name}, {"start", iso_utc(t.start_us)}, {"end", iso_utc(t.end_us)}, {"all_units", t.all_units},
                               {"units", units}, {"state", state_of(t)}});
                return {};
            }));
            array.finish();
            return {};
        }
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {tr("TERM"), tr("START"), tr("LAST DAY"), tr("STATE"), tr("UNITS"), tr("OWN ENDS")}, [&](const RowSink& sink) {
                return for_each_term(vault, [&](const TermInfo& t) -> Status {
                    std::string units = t.all_units ? tr("all") : "";
                    std::string own;
                    for (const auto& u : t.units) {
                        if (!t.all_units) units += (units.empty() ? "" : ", ") + u.unit;
                        if (u.end_us) own += (own.empty() ? "" : ", ") + fill(tr("%1$s until %2$s"), {u.unit, format_last_day(*u.end_us, zone)});
                    }
                    sink({t.name, format_first_day(t.start_us, zone), format_last_day(t.end_us, zone), state_of(t), units, own.empty() ? "-" : own});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << tr("No terms yet: add one with `brankas term add NAME --start DATE --end DATE`.") << "\n";
        return {};
    }
};

class TermExtendCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for term extend NAME"));
        add_name_and_units(o, name_, units_);
        o.add_options()("end", po::value<std::string>(&end_)->required(), tr("the new last day, YYYY-MM-DD"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::int64_t end = BRANKAS_TRY(date_end(end_, zone));
        auto back = BRANKAS_TRY(extend_term(vault, name_, end, units_));
        if (ctx.options.json) {
            ctx.out << json_text({{"term", name_}, {"end", iso_utc(end)}, {"units", units_}, {"reactivated_accounts", reactivated_count(back)}})
                    << '\n';
            return {};
        }
        ctx.out << fill(tr("Term '%1$s' now lasts until %2$s for %3$s."),
                        {for_terminal(name_), format_last_day(end, zone), units_.empty() ? tr("its sub-districts") : joined(units_)})
                << "\n";
        print_reactivated(ctx.out, back);
        return {};
    }

private:
    std::string name_, end_;
    std::vector<std::string> units_;
};

class TermEndCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for term end NAME"));
        add_name_and_units(o, name_, units_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        PolicyState state = BRANKAS_TRY(policy_state(vault));
        BRANKAS_TRY(end_term(vault, name_, units_));
        if (ctx.options.json) {
            ctx.out << json_text({{"term", name_}, {"ended", iso_utc(ctx.clock.now_us())}, {"units", units_}}) << '\n';
            return {};
        }
        ctx.out << fill(tr("Term '%1$s' ended now for %2$s; their accounts stay usable for the grace period (%3$s), then "
                           "`brankas enforce` deactivates them."),
                        {for_terminal(name_), units_.empty() ? tr("its sub-districts") : joined(units_),
                         policy::format_duration(state.policy.term_grace_us)})
                << "\n";
        return {};
    }

private:
    std::string name_;
    std::vector<std::string> units_;
};

} // namespace

std::unique_ptr<Command> make_term_add_command() { return std::make_unique<TermAddCommand>(); }
std::unique_ptr<Command> make_term_list_command() { return std::make_unique<TermListCommand>(); }
std::unique_ptr<Command> make_term_extend_command() { return std::make_unique<TermExtendCommand>(); }
std::unique_ptr<Command> make_term_end_command() { return std::make_unique<TermEndCommand>(); }

} // namespace brankas::cli
