// policy show, policy check FILE, policy set FILE, policy explain. The document is TOML; every
// key is known, and an error names its line.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "faces/error_text.hpp"
#include "cli/output.hpp"
#include "policy/document.hpp"
#include "policy/role.hpp"
#include "vault/file_io.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

Result<std::string> read_document(const std::filesystem::path& file) {
    auto bytes = read_file_bounded(file, policy::max_document_size);
    if (!bytes) {
        if (bytes.error().too_large) return fail(ErrorCode::usage, fill(tr("%s is larger than a policy document may be (64 KiB)"), {file.string()}));
        return fail(ErrorCode::io, fill(tr("cannot read %1$s: %2$s"), {file.string(), bytes.error().what}));
    }
    return std::string(bytes->begin(), bytes->end());
}

void add_file_option(po::options_description& o, std::filesystem::path& file) {
    o.add_options()("file", po::value<std::filesystem::path>(&file)->required(), tr("the policy document (TOML)"));
}

// Every error as "FILE:LINE: message" on stderr, the way compilers say it.
void print_errors(Context& ctx, const std::filesystem::path& file, const std::vector<policy::DocumentError>& errors) {
    for (const auto& e : errors)
        ctx.err << "brankas: " << file.string() << ':' << (e.line > 0 ? std::to_string(e.line) + ":" : "") << ' '
                << for_terminal(faces::phrase_text(e.phrase, e.message, [](const char* id) { return tr(id); })) << '\n';
}

class PolicyCheckCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of policy check: FILE"));
        add_file_option(o, file_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override { return {}; }

    // Needs no vault: a district can check a document before anyone unlocks anything.
    Status run(Context& ctx) override {
        std::string text = BRANKAS_TRY(read_document(file_));
        auto parsed = policy::parse_policy_document(text);
        if (!parsed) {
            print_errors(ctx, file_, parsed.error());
            const auto errors = static_cast<unsigned long>(parsed.error().size());
            return fail(ErrorCode::usage, fill(i18n::trn("%1$s is not a valid policy document (%2$s error)", "%1$s is not a valid policy document (%2$s errors)",
                                                         errors),
                                               {file_.string(), std::to_string(errors)}));
        }
        if (ctx.options.json) ctx.out << json_text({{"file", file_.string()}, {"valid", true}}) << '\n';
        else ctx.out << fill(tr("%s is a valid policy document."), {file_.string()}) << "\n";
        return {};
    }

private:
    std::filesystem::path file_;
};

class PolicySetCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Arguments of policy set: FILE"));
        add_file_option(o, file_);
        o.add_options()
            ("reason", po::value<std::string>(&reason_), tr("why (kept in the audit log; needed when the policy puts policy_set under dual control)"))
            ("request", po::value<std::int64_t>(&request_), tr("under dual control: the approved request for this very document to use"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("request")) {
            if (request_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
            ask_.request = request_;
        }
        ask_.reason = reason_;
        return {};
    }

    // Checked before the vault is unlocked, so a typo costs no passphrase.
    Status prepare(Context& ctx) override {
        text_ = BRANKAS_TRY(read_document(file_));
        auto parsed = policy::parse_policy_document(text_);
        if (!parsed) {
            print_errors(ctx, file_, parsed.error());
            return fail(ErrorCode::usage, fill(tr("%s is not a valid policy document; nothing was changed"), {file_.string()}));
        }
        document_ = std::move(*parsed);
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        // Read before the write, said after it: a name that reaches nobody is kept, not refused.
        const auto unmatched = BRANKAS_TRY(unmatched_forbid_names(vault, document_));
        PolicySetReceipt r = BRANKAS_TRY(set_policy(vault, text_, ask_));
        for (const ForbidNameUnmatched& u : unmatched) warn_unmatched(ctx, u);
        if (r.awaiting) return awaiting(ctx, *r.awaiting, zone);
        if (ctx.options.json) {
            nlohmann::json out{{"file", file_.string()}, {"set", true}};
            if (r.request) out["request"] = *r.request;
            ctx.out << json_text(out) << '\n';
        } else if (r.request) {
            ctx.out << fill(tr("The policy from %1$s is in force, by request %2$s (recorded in the audit log)."),
                            {file_.string(), std::to_string(*r.request)})
                    << "\n";
        } else {
            ctx.out << fill(tr("The policy from %s is in force (recorded in the audit log)."), {file_.string()}) << "\n";
        }
        return {};
    }

private:
    void warn_unmatched(Context& ctx, const ForbidNameUnmatched& u) {
        const std::string line = std::to_string(u.line), name = for_terminal(u.name);
        switch (u.kind) {
        case ForbidNameUnmatched::Kind::no_user:
            ctx.warn(fill(tr("the [[forbid]] rule on line %1$s names '%2$s', who is not a user of this vault: it forbids them nothing "
                             "until someone of that name is added"),
                          {line, name}));
            break;
        case ForbidNameUnmatched::Kind::no_unit:
            ctx.warn(fill(tr("the [[forbid]] rule on line %1$s names sub-district %2$s, which is not in this vault: it forbids nothing "
                             "there until that sub-district is added"),
                          {line, name}));
            break;
        case ForbidNameUnmatched::Kind::other_role:
            ctx.warn(fill(tr("the [[forbid]] rule on line %1$s is for another role, but names '%2$s', who has the role %3$s: it "
                             "forbids them nothing while they have it"),
                          {line, name, policy::role_word(*u.role).in(tr)}));
            break;
        }
    }

    // Dual control: nothing was set; the request for exactly this document waits for a second person.
    Status awaiting(Context& ctx, const AwaitingApproval& w, const policy::TimeZone& zone) {
        const std::string id = std::to_string(w.request);
        if (ctx.options.json) {
            ctx.out << json_text({{"file", file_.string()}, {"request", w.request}, {"until", format_iso(w.expires_us, zone)}, {"state", "pending"}})
                    << '\n';
        } else {
            ctx.out << fill(tr("Request %1$s waits for approval until %2$s."), {id, format_zoned(w.expires_us, zone)}) << "\n";
            ctx.out << fill(tr("Another person approves it with `brankas approve %1$s --reason ...`; then run `brankas policy set %2$s "
                               "--request %1$s` with this very file."),
                            {id, for_terminal(file_.string())})
                    << "\n";
        }
        return fail(ErrorCode::awaiting_approval,
                    fill(tr("setting the policy from %1$s needs a second person's approval: request %2$s is recorded"), {file_.string(), id}));
    }

    std::filesystem::path file_;
    std::string text_;
    policy::Policy document_; // text_, parsed
    std::string reason_;
    std::int64_t request_ = 0;
    PolicySetAsk ask_;
};

class PolicyShowCommand final : public VaultCommand {
public:
    po::options_description options() override { return po::options_description(tr("policy show takes no options")); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        PolicyState state = BRANKAS_TRY(policy_state(vault));
        if (ctx.options.json) {
            const std::string effective = policy::render_policy_document(state.policy);
            ctx.out << json_text({{"source", state.document ? "stored" : "defaults"},
                                  {"set_by", state.document ? nlohmann::json(state.set_by) : nlohmann::json(nullptr)},
                                  {"set", state.document ? nlohmann::json(iso_utc(state.set_us)) : nlohmann::json(nullptr)},
                                  {"document", effective}})
                    << '\n';
            return {};
        }
        if (state.document)
            ctx.out << fill(tr("# The policy set by %1$s on %2$s, with every default filled in."),
                            {state.set_by, format_zoned(state.set_us, state.policy.time_zone)})
                    << "\n";
        else
            ctx.out << tr("# No policy was set: these are the defaults. Change them with `brankas policy set FILE`.") << "\n";
        ctx.out << for_terminal_document(policy::render_policy_document(state.policy, [](const char* id) { return std::string(tr(id)); }));
        return {};
    }

private:
    // The document is ours (rendered), but its texts came from a person: keep control bytes out.
    static std::string for_terminal_document(const std::string& text) {
        std::string out;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            out += for_terminal(std::string_view(text).substr(start, nl - start)) + '\n';
            start = nl + 1;
        }
        return out;
    }
};

// English, as --json writes them; tr() them for a person.
const char* effect_word(policy::Effect e) {
    switch (e) {
    case policy::Effect::permit: return tr_noop("permits");
    case policy::Effect::forbid: return tr_noop("forbids");
    case policy::Effect::note: return tr_noop("notes");
    }
    return "?";
}

const char* scope_name(policy::UnitScope s) {
    switch (s) {
    case policy::UnitScope::none: return tr_noop("not about a sub-district");
    case policy::UnitScope::granted: return tr_noop("granted");
    case policy::UnitScope::not_granted: return tr_noop("not granted");
    }
    return "?";
}

class PolicyExplainCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for policy explain"));
        std::string actions;
        for (auto a : policy::all_actions()) actions += (actions.empty() ? "" : ", ") + std::string(policy::action_name(a));
        o.add_options()
            ("as", po::value<std::string>(&as_)->required(), tr("the user whose request is explained"))
            ("action", po::value<std::string>(&action_)->required(), (tr("one of: ") + actions).c_str())
            ("account", po::value<std::string>(&account_), tr("the account (platform/handle or number) it is about"))
            ("handover", po::value<std::int64_t>(&handover_), tr("for a handover step (accept_handover, witness_handover, "
                                                             "cancel_handover, complete_handover): the handover's number"))
            ("at", po::value<std::string>(&at_), tr("as of this day (YYYY-MM-DD, its first moment; default: now)"))
            ("reason", po::value<std::string>(&reason_), tr("the reason the request would give"))
            ("for", po::value<std::string>(&duration_), tr("a check-out's duration"))
            ("break-glass", po::bool_switch(&break_glass_), tr("the request asks for break-glass"))
            ("finish", po::bool_switch(&finish_), tr("with rotate: confirming or aborting the account's pending rotation, not starting one"))
            ("request", po::value<std::int64_t>(&request_), tr("dual control: the request a check-out, a policy set, a re-key or a recovery split names (`--request ID`), or the one to approve"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        auto action = policy::parse_action(action_);
        if (!action) return fail(ErrorCode::usage, fill(tr("unknown action '%s'"), {i18n::echo(action_)}), tr("`brankas policy explain --help` lists them"));
        question_.action = *action;
        // A step on a handover is decided by that handover's state and parties.
        const bool step = policy::is_handover_step(*action);
        if (vm.count("handover") != 0) {
            if (!step) return fail(ErrorCode::usage, fill(tr("--handover goes only with a handover step (%s is not one)"), {action_}));
            if (handover_ < 1) return fail(ErrorCode::usage, tr("a handover's number is 1 or more"));
            if (vm.count("account") != 0) return fail(ErrorCode::usage, tr("a handover step is about a handover, not an account: drop --account"));
            question_.handover = handover_;
        } else if (step) {
            return fail(ErrorCode::usage, fill(tr("%s is a step on a handover: say which with --handover ID"), {action_}),
                        tr("`brankas handover list` shows the numbers"));
        }
        if (!duration_.empty()) {
            question_.duration_us = policy::parse_duration(duration_);
            if (!question_.duration_us) return fail(ErrorCode::usage, fill(tr("--for '%s' is not a duration"), {i18n::echo(duration_)}));
        }
        if (vm.count("request") != 0) {
            if (request_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
            if (*action != policy::Action::checkout && *action != policy::Action::approve && *action != policy::Action::set_policy &&
                *action != policy::Action::manage_people)
                return fail(ErrorCode::usage, tr("--request goes with checkout, approve, set_policy or manage_people only"));
            question_.request = request_;
        } else if (*action == policy::Action::approve) {
            return fail(ErrorCode::usage, tr("approve is about a request: say which with --request ID"), tr("`brankas approvals` shows the numbers"));
        }
        if (finish_ && (*action != policy::Action::rotate || vm.count("account") == 0))
            return fail(ErrorCode::usage, tr("--finish goes with --action rotate and the --account whose rotation it finishes"));
        question_.user = as_;
        question_.reason = reason_;
        question_.break_glass = break_glass_;
        question_.finish = finish_;
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        question_.at_us = ctx.clock.now_us();
        if (!at_.empty()) {
            auto parsed = parse_date(at_, zone);
            if (!parsed)
                return fail(ErrorCode::usage, fill(tr("--at '%s' is not a date"), {i18n::echo(at_)}),
                            fill(tr("write it as YYYY-MM-DD, a day from %1$s to %2$s"), {first_day, last_day}));
            question_.at_us = *parsed;
        }
        if (!account_.empty()) question_.account = BRANKAS_TRY(find_account(vault, account_)).id;
        Explanation x = BRANKAS_TRY(explain(vault, question_));
        const auto& d = x.decision;
        if (ctx.options.json) {
            nlohmann::json reasons = nlohmann::json::array();
            for (const auto& r : d.reasons) reasons.push_back({{"rule", r.rule}, {"effect", effect_word(r.effect)}, {"text", r.text}});
            nlohmann::json obligations = nlohmann::json::array();
            for (auto o : d.obligations) obligations.push_back(policy::obligation_name(o));
            nlohmann::json facts{{"scope", scope_name(x.facts.scope)}};
            if (x.facts.term) facts["term_state"] = policy::term_state_name(*x.facts.term);
            if (x.facts.term_name) facts["term"] = *x.facts.term_name;
            if (x.facts.holder) facts["holder"] = {{"name", x.facts.holder->name}, {"until", iso_utc(x.facts.holder->until_us)}};
            if (x.facts.pending_rotation)
                facts["pending_rotation"] = {{"started_by", x.facts.pending_rotation->started_by}, {"break_glass", x.facts.pending_rotation->break_glass}};
            if (x.facts.approval) {
                const policy::ApprovalFacts& a = *x.facts.approval;
                facts["request"] = {{"id", a.id}, {"for", policy::dual_action_name(a.action)}, {"requester", a.requester},
                                    {"state", policy::approval_state_name(a.state)}, {"approved_by", a.granted_by},
                                    {"until", iso_utc(a.expires_us)}, {"matches", a.matches}};
            }
            if (x.handover && x.facts.handover) {
                const policy::HandoverFacts& h = *x.facts.handover;
                facts["handover"] = {{"id", *x.handover},
                                     {"unit", x.handover_unit},
                                     {"state", policy::handover_state_name(h.state)},
                                     {"started_by", h.started_by},
                                     {"receiver", h.receiver},
                                     {"outgoing", h.outgoing},
                                     {"witness", h.witness ? nlohmann::json(*h.witness) : nlohmann::json(nullptr)},
                                     {"accounts_unrotated", h.unrotated},
                                     {"accounts_unlisted", h.unlisted},
                                     {"release_asked", h.release_asked},
                                     {"released_by", h.released}};
            }
            ctx.out << json_text({{"user", x.user}, {"role", x.role}, {"action", policy::action_name(x.action)},
                                  {"account", x.account ? nlohmann::json(x.account->ref()) : nlohmann::json(nullptr)},
                                  {"at", iso_utc(x.at_us)}, {"decision", d.allowed() ? "allow" : "deny"}, {"facts", facts},
                                  {"reasons", reasons}, {"obligations", obligations}})
                    << '\n';
            return {};
        }
        const std::string what = x.account ? std::string(policy::action_name(x.action)) + " " + for_terminal(x.account->ref())
                                           : std::string(policy::action_name(x.action));
        ctx.out << fill(d.allowed() ? tr("ALLOW: %1$s (%2$s) to %3$s at %4$s") : tr("DENY: %1$s (%2$s) to %3$s at %4$s"),
                        {x.user, x.role, what, format_zoned(x.at_us, zone)})
                << "\n";
        ctx.out << tr("facts:") << "\n";
        if (x.account) {
            ctx.out << "  " << fill(tr("sub-district %1$s: %2$s to %3$s"), {x.account->unit, tr(scope_name(x.facts.scope)), x.user}) << "\n";
            ctx.out << "  " << tr("term: ") << tr(x.facts.term ? policy::term_state_name(*x.facts.term).data() : "no term");
            if (x.facts.term_name) ctx.out << " ('" << for_terminal(*x.facts.term_name) << "'";
            if (x.facts.term_name && x.facts.term_end_us) ctx.out << fill(tr(", last day %s"), {format_last_day(*x.facts.term_end_us, zone)});
            if (x.facts.term_name) ctx.out << ")";
            ctx.out << "\n";
            ctx.out << "  " << tr("holder: ");
            if (x.facts.holder) ctx.out << fill(tr("%1$s until %2$s"), {x.facts.holder->name, format_zoned(x.facts.holder->until_us, zone)}) << "\n";
            else ctx.out << tr("nobody") << "\n";
            if (question_.finish) {
                const auto& p = x.facts.pending_rotation;
                ctx.out << "  "
                        << (!p                ? std::string(tr("pending rotation: none"))
                            : p->break_glass ? fill(tr("pending rotation: started by %s, by break-glass"), {for_terminal(p->started_by)})
                                             : fill(tr("pending rotation: started by %s"), {for_terminal(p->started_by)}))
                        << "\n";
            }
        } else if (x.handover && x.facts.handover) {
            const policy::HandoverFacts& h = *x.facts.handover;
            // The handover as it stands now, whatever --at says (it has no history of its own here).
            // The state in the reader's words (--json writes its name).
            ctx.out << "  "
                    << fill(tr("handover %1$s of %2$s (now): %3$s, started by %4$s"),
                            {std::to_string(*x.handover), for_terminal(x.handover_unit), tr(policy::handover_state_name(h.state).data()), for_terminal(h.started_by)})
                    << "\n";
            std::string outgoing;
            for (std::size_t i = 0; i < h.outgoing.size(); ++i) outgoing += (i == 0 ? "" : ", ") + for_terminal(h.outgoing[i]);
            ctx.out << "  "
                    << fill(tr("receiver %1$s; outgoing %2$s; witness %3$s"),
                            {for_terminal(h.receiver), h.outgoing.empty() ? std::string(tr("nobody")) : outgoing,
                             h.witness ? fill(tr("named: %s"), {for_terminal(*h.witness)}) : std::string(tr("not named"))})
                    << "\n";
            if (h.release_asked) {
                std::string released;
                for (std::size_t i = 0; i < h.released.size(); ++i) released += (i == 0 ? "" : ", ") + for_terminal(h.released[i]);
                ctx.out << "  " << fill(tr("released by %s"), {h.released.empty() ? std::string(tr("nobody yet")) : released}) << "\n";
            }
            if (h.state != policy::HandoverState::completed && h.state != policy::HandoverState::cancelled)
                ctx.out << "  "
                        << fill(tr("accounts: %1$s still at the password handed over, %2$s with a password since the start and not in it"),
                                {std::to_string(h.unrotated), std::to_string(h.unlisted)})
                        << "\n";
        } else {
            ctx.out << "  " << tr("(no account given)") << "\n";
        }
        if (x.facts.approval) {
            const policy::ApprovalFacts& a = *x.facts.approval;
            std::string approvers;
            for (std::size_t i = 0; i < a.granted_by.size(); ++i) approvers += (i == 0 ? "" : ", ") + for_terminal(a.granted_by[i]);
            // The action is its name, as --json and [dual_control] write it; the state in the reader's words.
            ctx.out << "  "
                    << fill(tr("request %1$s (now): %2$s by %3$s, %4$s, approved by %5$s, until %6$s"),
                            {std::to_string(a.id), policy::dual_action_name(a.action), for_terminal(a.requester), tr(policy::approval_state_name(a.state).data()),
                             a.granted_by.empty() ? std::string(tr("nobody")) : approvers, format_zoned(a.expires_us, zone)});
            if (x.action == policy::Action::checkout) ctx.out << (a.matches ? tr("; matches this check-out") : tr("; does not match this check-out"));
            ctx.out << "\n";
        }
        ctx.out << tr("rules:") << "\n";
        for (const auto& r : d.reasons)
            ctx.out << "  [" << r.rule << "] " << tr(effect_word(r.effect)) << ": " << for_terminal(faces::reason_text(r, [](const char* id) { return tr(id); }))
                    << "\n";
        // Each obligation's name (as --json writes it) and what it asks in the reader's words, as
        // the browser's policy page shows them.
        if (!d.obligations.empty()) {
            ctx.out << tr("obligations:") << "\n";
            for (auto o : d.obligations)
                ctx.out << "  " << policy::obligation_name(o) << " (" << tr(policy::obligation_description(o).data()) << ")\n";
        }
        return {};
    }

private:
    std::string as_, action_, account_, at_, reason_, duration_;
    std::int64_t handover_ = 0, request_ = 0;
    bool break_glass_ = false, finish_ = false;
    ExplainQuestion question_;
};

} // namespace

std::unique_ptr<Command> make_policy_show_command() { return std::make_unique<PolicyShowCommand>(); }
std::unique_ptr<Command> make_policy_check_command() { return std::make_unique<PolicyCheckCommand>(); }
std::unique_ptr<Command> make_policy_set_command() { return std::make_unique<PolicySetCommand>(); }
std::unique_ptr<Command> make_policy_explain_command() { return std::make_unique<PolicyExplainCommand>(); }

} // namespace brankas::cli
