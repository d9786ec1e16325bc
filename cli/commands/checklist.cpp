// account checklist REF [--done STEP [--note TEXT]]: the steps that take a deactivated account
// off the platform for good, each ticked as an event.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "cli/output.hpp"
#include "policy/built_in_checklist.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

nlohmann::json checklist_json(const ChecklistInfo& c) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : c.steps)
        steps.push_back({{"step", s.id}, {"text", s.text}, {"done", s.done},
                         {"done_at", s.done ? nlohmann::json(iso_utc(s.done_us)) : nlohmann::json(nullptr)},
                         {"done_by", s.done ? nlohmann::json(s.done_by) : nlohmann::json(nullptr)},
                         {"note", s.done ? nlohmann::json(s.note) : nlohmann::json(nullptr)},
                         {"wait_until", s.wait_until_us ? nlohmann::json(iso_utc(*s.wait_until_us)) : nlohmann::json(nullptr)}});
    return {{"account", c.account.ref()}, {"opened", iso_utc(c.opened_us)}, {"complete", c.complete()}, {"steps", steps}};
}

class AccountChecklistCommand final : public AccountCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for account checklist REF"));
        add_ref_option(o);
        o.add_options()
            ("done", po::value<std::string>(&done_), tr("tick this step (its name, e.g. recovery)"))
            ("note", po::value<std::string>(&note_), tr("with --done: what was done (kept in the audit log)"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("note") && done_.empty()) return fail(ErrorCode::usage, tr("--note goes with --done STEP"));
        return {};
    }

    Status run_on_account(Context& ctx, Session& vault, const AccountInfo& a) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        if (!done_.empty()) BRANKAS_TRY(tick_checklist(vault, a.id, done_, note_));
        auto list = BRANKAS_TRY(checklist(vault, a.id));
        if (ctx.options.json) {
            ctx.out << json_text(list ? checklist_json(*list) : nlohmann::json{{"account", a.ref()}, {"steps", nullptr}}) << '\n';
            return {};
        }
        if (!list) {
            ctx.out << fill(tr("%1$s has no open deactivation checklist (it is %2$s)."), {for_terminal(a.ref()), tr(account_status_name(a.status).data())}) << "\n";
            return {};
        }
        ctx.out << fill(tr("Deactivation checklist of %1$s (opened %2$s):"), {for_terminal(a.ref()), format_zoned(list->opened_us, zone)}) << "\n";
        for (const auto& s : list->steps) {
            const char* built_in = policy::built_in_step_text(s.id, s.text);
            ctx.out << "  [" << (s.done ? 'x' : ' ') << "] " << s.id << ": " << (built_in ? std::string(tr(built_in)) : for_terminal(s.text));
            if (s.waits && s.wait_until_us && !s.done) ctx.out << fill(tr(" until %s"), {format_zoned(*s.wait_until_us, zone)});
            if (s.done) {
                ctx.out << " (" << format_zoned(s.done_us, zone) << ", " << s.done_by;
                if (!s.note.empty()) ctx.out << ": " << for_terminal(s.note);
                ctx.out << ")";
            }
            ctx.out << '\n';
        }
        if (list->complete()) ctx.out << tr("Every step is done.") << "\n";
        return {};
    }

private:
    std::string done_, note_;
};

} // namespace

std::unique_ptr<Command> make_account_checklist_command() { return std::make_unique<AccountChecklistCommand>(); }

} // namespace brankas::cli
