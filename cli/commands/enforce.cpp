// enforce [--dry-run [--at DATE]]: the unattended end-of-term job (a systemd timer or cron runs
// it with the enforcer's key file). Exit 0 when it did its work, whether or not there was any.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "cli/output.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

nlohmann::json plan_json(const policy::EnforcementPlan& plan, const std::map<std::int64_t, std::string>& refs) {
    auto ref = [&](std::int64_t id) {
        auto it = refs.find(id);
        return it == refs.end() ? std::to_string(id) : it->second;
    };
    nlohmann::json ended = nlohmann::json::array(), deactivate = nlohmann::json::array(), revoke = nlohmann::json::array(),
                   expire = nlohmann::json::array(), flag = nlohmann::json::array();
    for (const auto& u : plan.ended_units) ended.push_back({{"unit", u.code}, {"term", u.last_term}, {"deadline", iso_utc(u.deadline_us)}});
    for (auto id : plan.deactivate) deactivate.push_back(ref(id));
    for (const auto& g : plan.revoke) revoke.push_back({{"user", g.principal}, {"unit", g.unit}});
    for (const auto& c : plan.expire) expire.push_back({{"account", ref(c.account)}, {"holder", c.holder}, {"until", iso_utc(c.until_us)}});
    for (auto id : plan.flag_rotation) flag.push_back(ref(id));
    nlohmann::json back = nlohmann::json::array();
    for (const auto& r : plan.reactivate) {
        nlohmann::json accounts = nlohmann::json::array();
        for (auto id : r.accounts) accounts.push_back(ref(id));
        back.push_back({{"unit", r.code}, {"term", r.term}, {"accounts", accounts}});
    }
    return {{"ended_units", ended}, {"deactivate", deactivate}, {"revoke", revoke}, {"expire_checkouts", expire}, {"flag_rotation", flag},
            {"reactivate", back}};
}

void print_plan(std::ostream& out, const policy::EnforcementPlan& plan, const std::map<std::int64_t, std::string>& refs,
                const policy::TimeZone& zone) {
    auto ref = [&](std::int64_t id) {
        auto it = refs.find(id);
        return it == refs.end() ? std::to_string(id) : it->second;
    };
    for (const auto& u : plan.ended_units)
        out << "  " << fill(tr("sub-district %1$s: term '%2$s' ended (grace until %3$s)"),
                            {u.code, for_terminal(u.last_term), format_zoned(u.deadline_us, zone)})
            << "\n";
    for (auto id : plan.deactivate) out << "  " << fill(tr("deactivate %s and seal a new password for it"), {for_terminal(ref(id))}) << "\n";
    for (const auto& g : plan.revoke)
        out << "  " << fill(tr("revoke %1$s from %2$s (the unit moves to its standby key)"), {g.principal, g.unit}) << "\n";
    for (const auto& c : plan.expire)
        out << "  " << fill(tr("expire the check-out of %1$s by %2$s (until %3$s)"),
                            {for_terminal(ref(c.account)), c.holder, format_zoned(c.until_us, zone)})
            << "\n";
    for (auto id : plan.flag_rotation) out << "  " << fill(tr("flag %s: its password is past the maximum age"), {for_terminal(ref(id))}) << "\n";
    for (const auto& r : plan.reactivate)
        for (auto id : r.accounts)
            out << "  " << fill(tr("reactivate %1$s: %2$s is inside term '%3$s' (an unfinished deactivation checklist closes)"),
                                {for_terminal(ref(id)), r.code, for_terminal(r.term)})
                << "\n";
}

// Names for the accounts the plan mentions; nothing is read when it mentions none (the daily
// run on a quiet day should not list every account).
Result<std::map<std::int64_t, std::string>> account_refs(Session& vault, const policy::EnforcementPlan& plan) {
    std::map<std::int64_t, std::string> refs;
    if (plan.deactivate.empty() && plan.expire.empty() && plan.flag_rotation.empty() && plan.reactivate.empty()) return refs;
    for (const auto& a : BRANKAS_TRY(list_accounts(vault, {}))) refs[a.id] = a.ref();
    return refs;
}

class EnforceCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for enforce"));
        o.add_options()
            ("dry-run", po::bool_switch(&dry_run_), tr("print the plan and change nothing"))
            ("at", po::value<std::string>(&at_), tr("with --dry-run: plan as of this day (YYYY-MM-DD, its first moment)"));
        return o;
    }
    Status setup(const po::variables_map&) override {
        // The clock is never moved for a real run: --at only asks "what would happen then".
        if (!at_.empty() && !dry_run_)
            return fail(ErrorCode::usage, tr("--at is accepted only with --dry-run"), tr("a real run always uses the present time"));
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        std::int64_t at = ctx.clock.now_us();
        if (!at_.empty()) {
            auto parsed = parse_date(at_, zone);
            if (!parsed)
                return fail(ErrorCode::usage, fill(tr("--at '%s' is not a date"), {i18n::echo(at_)}),
                            fill(tr("write it as YYYY-MM-DD, a day from %1$s to %2$s"), {first_day, last_day}));
            at = *parsed;
        }
        if (dry_run_) {
            policy::EnforcementPlan plan = BRANKAS_TRY(enforcement_plan(vault, at));
            auto refs = BRANKAS_TRY(account_refs(vault, plan));
            if (ctx.options.json) {
                nlohmann::json j = plan_json(plan, refs);
                j["dry_run"] = true;
                j["at"] = iso_utc(at);
                ctx.out << json_text(j) << '\n';
                return {};
            }
            if (plan.empty()) {
                ctx.out << fill(tr("Nothing to do as of %s."), {format_zoned(at, zone)}) << "\n";
                return {};
            }
            ctx.out << fill(tr("As of %s, enforce would:"), {format_zoned(at, zone)}) << "\n";
            print_plan(ctx.out, plan, refs, zone);
            return {};
        }
        EnforcementReport r = BRANKAS_TRY(enforce(vault));
        auto refs = BRANKAS_TRY(account_refs(vault, r.plan));
        if (ctx.options.json) {
            nlohmann::json j = plan_json(r.plan, refs);
            j["dry_run"] = false;
            j["at"] = iso_utc(at);
            j["sealed"] = r.sealed;
            j["rotated_units"] = r.rotated_units;
            j["rotation_owed"] = r.rotation_owed;
            j["events"] = r.events;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        if (r.plan.empty()) {
            ctx.out << tr("Nothing to do.") << "\n";
            return {};
        }
        ctx.out << fill(trn("Done (%s event):", "Done (%s events):", static_cast<unsigned long>(r.events)), {std::to_string(r.events)}) << "\n";
        print_plan(ctx.out, r.plan, refs, zone);
        if (r.sealed > 0)
            ctx.out << fill(trn("%s new password sealed; an admin reads each with `brankas secret show REF --pending` and follows "
                                "`brankas account checklist REF`.",
                                "%s new passwords sealed; an admin reads each with `brankas secret show REF --pending` and follows "
                                "`brankas account checklist REF`.",
                                static_cast<unsigned long>(r.sealed)),
                            {std::to_string(r.sealed)})
                    << "\n";
        if (!r.rotation_owed.empty())
            ctx.out << fill(tr("No standby key for %s: their revoked custodians still hold the current key until an admin rotates it "
                               "(`brankas status` lists them)."),
                            {joined(r.rotation_owed)})
                    << "\n";
        return {};
    }

private:
    bool dry_run_ = false;
    std::string at_;
};

} // namespace

std::unique_ptr<Command> make_enforce_command() { return std::make_unique<EnforceCommand>(); }

} // namespace brankas::cli
