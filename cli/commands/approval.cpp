// approvals, approve, reject: dual control. A request is recorded by the action that needs one
// (`checkout --break-glass` under [dual_control]); a second person lists what waits and grants
// or rejects it with a reason, signed with their own key.
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "policy/document.hpp"
#include "vault/encoding.hpp"
#include "vault/own_reasons.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/recovery/recovery_events.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// A policy set's request names the document by its hash: "policy/<64 hex digits>".
std::string document_hash(const ApprovalInfo& a) {
    const std::string& t = a.row.asked.target;
    const std::size_t slash = t.find('/');
    return slash == std::string::npos ? t : t.substr(slash + 1);
}

// "a break-glass check-out of instagram/panwascam.ponorogo for 2h", "setting the policy to
// document 3f2a9c0d1e4b5a69…" (the hash's first 16 digits: `b2sum -l 256 FILE` shows it whole)
std::string describe(const ApprovalInfo& a) {
    switch (a.row.asked.action) {
    case policy::DualAction::break_glass:
        return fill(tr("a break-glass check-out of %1$s for %2$s"), {a.ref, policy::format_duration(a.row.asked.duration_us)});
    case policy::DualAction::policy_set: return fill(tr("setting the policy to document %s…"), {document_hash(a).substr(0, 16)});
    case policy::DualAction::rekey: return fill(tr("disabling %s with a new store key"), {a.row.asked.target});
    case policy::DualAction::recovery_split: {
        auto shape = parse_recovery_split_target(a.row.asked.target);
        if (!shape) break;
        return fill(tr("a new recovery split: any %1$s of %2$s shares"), {std::to_string(shape->threshold), std::to_string(shape->shares)});
    }
    }
    return std::string(policy::dual_action_name(a.row.asked.action));
}

// How the requester uses an approved request.
std::string how_to_use(const ApprovalInfo& a) {
    const std::string id = std::to_string(a.row.id);
    switch (a.row.asked.action) {
    case policy::DualAction::break_glass: return "brankas checkout " + for_terminal(shell_word(a.ref)) + " --break-glass --request " + id;
    case policy::DualAction::policy_set: return "brankas policy set FILE --request " + id;
    case policy::DualAction::rekey: return "brankas user disable " + for_terminal(a.row.asked.target) + " --rekey --request " + id;
    case policy::DualAction::recovery_split:
        if (auto shape = parse_recovery_split_target(a.row.asked.target))
            return "brankas recovery split --shares " + std::to_string(shape->shares) + " --threshold " + std::to_string(shape->threshold) +
                   " --out-dir DIR --request " + id;
        break;
    }
    return {};
}

nlohmann::ordered_json approval_json(const ApprovalInfo& a, const policy::TimeZone& zone, std::int64_t now) {
    nlohmann::ordered_json votes = nlohmann::ordered_json::array();
    for (const ApprovalVote& v : a.votes)
        votes.push_back({{"by", v.approver}, {"verdict", std::string(approval_verdict_name(v.verdict))}, {"reason", v.reason},
                         {"time", format_iso(v.at_us, zone)}});
    nlohmann::ordered_json out = {{"id", a.row.id},
            {"for", std::string(policy::dual_action_name(a.row.asked.action))},
            {"account", a.ref},
            {"unit", a.unit},
            {"reason", a.row.asked.reason},
            {"duration", policy::format_duration(a.row.asked.duration_us)},
            {"requester", a.row.requester},
            {"requested", format_iso(a.requested_us, zone)},
            {"until", format_iso(a.row.expires_us, zone)},
            {"state", std::string(a.standing(now))},
            {"approvals", static_cast<int>(a.row.granted_by.size())},
            {"needed", a.needed},
            {"votes", votes}};
    // A policy set's request names its document whole (absent for a check-out: its JSON is as it was).
    if (a.row.asked.action == policy::DualAction::policy_set) out["document"] = document_hash(a);
    // A re-key's request names the person; a split's, its threshold and number of shares.
    if (a.row.asked.action == policy::DualAction::rekey) out["person"] = a.row.asked.target;
    if (auto shape = parse_recovery_split_target(a.row.asked.target); shape && a.row.asked.action == policy::DualAction::recovery_split) {
        out["threshold"] = shape->threshold;
        out["shares"] = shape->shares;
    }
    return out;
}

class ApprovalsCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for approvals"));
        o.add_options()("all", po::bool_switch(&all_), tr("also requests that were used, rejected or expired"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }
    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        const WhichApprovals which = all_ ? WhichApprovals::all : WhichApprovals::waiting;
        std::int64_t now = ctx.clock.now_us();
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_approval(vault, which, [&](const ApprovalInfo& a) -> Status {
                array.element(approval_json(a, zone, now));
                return {};
            }));
            array.finish();
            return {};
        }
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {tr("ID"), tr("STATE"), tr("BY"), tr("ASKS FOR"), tr("REASON"), tr("APPROVED"), tr("UNTIL")}, [&](const RowSink& sink) {
                return for_each_approval(vault, which, [&](const ApprovalInfo& a) -> Status {
                    sink({std::to_string(a.row.id), std::string(tr(a.standing(now).data())), a.row.requester, describe(a), reason_for_reader(a.row.asked.reason, tr),
                          std::to_string(a.row.granted_by.size()) + "/" + std::to_string(a.needed), format_zoned(a.row.expires_us, zone)});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << (all_ ? tr("No requests.") : tr("No request waits for approval.")) << "\n";
        return {};
    }

private:
    bool all_ = false;
};

class DecideCommand final : public VaultCommand {
public:
    explicit DecideCommand(ApprovalVerdict verdict) : verdict_(verdict) {}
    po::options_description options() override {
        po::options_description o(verdict_ == ApprovalVerdict::grant ? tr("Options for approve ID") : tr("Options for reject ID"));
        o.add_options()
            ("id", po::value<std::int64_t>(&id_)->required(), tr("the request's number (`brankas approvals`)"))
            ("reason", po::value<std::string>(&reason_)->required(), tr("why (kept in the audit log)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override {
        if (id_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
        return check_approval_reason(reason_);
    }
    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        ApprovalInfo a = BRANKAS_TRY(decide_request(vault, id_, verdict_, reason_));
        std::int64_t now = ctx.clock.now_us();
        if (ctx.options.json) {
            ctx.out << json_text(approval_json(a, zone, now)) << '\n';
            return {};
        }
        if (verdict_ == ApprovalVerdict::reject) {
            ctx.out << fill(tr("Rejected request %1$s (%2$s: %3$s); it cannot be used."),
                            {std::to_string(a.row.id), for_terminal(a.row.requester), for_terminal(describe(a))})
                    << "\n";
            return {};
        }
        ctx.out << fill(trn("Approved request %1$s (%2$s: %3$s), %4$s of %5$s approval.", "Approved request %1$s (%2$s: %3$s), %4$s of %5$s approvals.",
                            static_cast<unsigned long>(a.needed)),
                        {std::to_string(a.row.id), for_terminal(a.row.requester), for_terminal(describe(a)), std::to_string(a.row.granted_by.size()),
                         std::to_string(a.needed)})
                << "\n";
        if (static_cast<int>(a.row.granted_by.size()) >= a.needed)
            ctx.out << fill(tr("%1$s may use it once, until %2$s: `%3$s`."),
                            {for_terminal(a.row.requester), format_zoned(a.row.expires_us, zone), how_to_use(a)})
                    << "\n";
        return {};
    }

private:
    ApprovalVerdict verdict_;
    std::int64_t id_ = 0;
    std::string reason_;
};

} // namespace

std::unique_ptr<Command> make_approvals_command() { return std::make_unique<ApprovalsCommand>(); }
std::unique_ptr<Command> make_approve_command() { return std::make_unique<DecideCommand>(ApprovalVerdict::grant); }
std::unique_ptr<Command> make_reject_command() { return std::make_unique<DecideCommand>(ApprovalVerdict::reject); }

} // namespace brankas::cli
