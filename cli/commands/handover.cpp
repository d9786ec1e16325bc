// handover start | accept | witness | complete | cancel | show | list | minutes | lookup: a
// unit's accounts move from one custodian team to the next, and the minutes the district files.
// No handover command shows a password: a handover records accounts by fingerprint only.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "faces/handover_minutes.hpp"
#include "cli/output.hpp"
#include "vault/file_io.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string hex_of(const Hash& h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : h) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

nlohmann::ordered_json step_json(const HandoverStep& s, const policy::TimeZone& zone) {
    if (s.seq == 0) return nullptr;
    return {{"by", s.by}, {"seq", s.seq}, {"time", format_iso(s.time_us, zone)}};
}

nlohmann::ordered_json handover_json(const HandoverInfo& h) {
    nlohmann::ordered_json accounts = nlohmann::ordered_json::array();
    for (const HandoverAccount& a : h.accounts)
        accounts.push_back({{"id", a.id}, {"platform", a.platform}, {"handle", a.handle}, {"email", a.email}, {"phone", a.phone},
                            {"status", a.status}, {"version", a.version}, {"fingerprint", hex_of(a.fingerprint)},
                            {"rotation_due", a.rotation_due}});
    return {{"id", h.id},
            {"unit", h.unit},
            {"unit_name", h.unit_name},
            {"state", std::string(policy::handover_state_name(h.state))},
            {"receiver", h.receiver},
            {"outgoing", h.outgoing},
            {"witness", h.witness ? nlohmann::ordered_json(*h.witness) : nlohmann::ordered_json(nullptr)},
            {"note", h.note},
            {"started", step_json(h.started, h.time_zone)},
            {"accepted", step_json(h.accepted, h.time_zone)},
            {"witnessed", step_json(h.witnessed, h.time_zone)},
            {"ended", step_json(h.ended, h.time_zone)}, // completed or cancelled, as `state` says
            {"number", h.number.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.number)},
            {"verification_code", h.code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.code)},
            {"accounts", accounts}};
}

void print_step(std::ostream& out, std::string_view label, const HandoverStep& s, const policy::TimeZone& zone) {
    if (s.seq == 0) return;
    out << "  " << label << format_zoned(s.time_us, zone) << " by " << for_terminal(s.by) << " (event " << s.seq << ")\n";
}

void print_handover(std::ostream& out, const HandoverInfo& h) {
    out << "Handover " << h.id << " of " << for_terminal(h.unit) << " (" << for_terminal(h.unit_name)
        << "): " << policy::handover_state_name(h.state) << "\n"
        << "  from:      " << for_terminal(joined(h.outgoing)) << "\n"
        << "  to:        " << for_terminal(h.receiver) << "\n";
    if (h.witness) out << "  witness:   " << for_terminal(*h.witness) << " (named)\n";
    out << "  note:      " << for_terminal(h.note) << "\n";
    print_step(out, "started:   ", h.started, h.time_zone);
    print_step(out, "accepted:  ", h.accepted, h.time_zone);
    print_step(out, "witnessed: ", h.witnessed, h.time_zone);
    print_step(out, h.state == policy::HandoverState::cancelled ? "cancelled: " : "completed: ", h.ended, h.time_zone);
    if (!h.code.empty()) out << "  minutes:   number " << h.number << ", verification code " << h.code << "\n";
    out << "  accounts (" << h.accounts.size() << "):\n";
    for (const HandoverAccount& a : h.accounts)
        out << "    " << for_terminal(a.platform + "/" + a.handle) << "  version " << a.version << "  fingerprint "
            << hex_of(a.fingerprint).substr(0, 16) << (a.rotation_due ? "  rotation due" : "") << "\n";
}

// What comes next, for the person who just acted.
void print_next(std::ostream& out, const HandoverInfo& h) {
    if (h.state == policy::HandoverState::started) out << "Next: `brankas --user " << for_terminal(h.receiver) << " handover accept " << h.id << "`.\n";
    if (h.state == policy::HandoverState::accepted)
        out << "Next: " << (h.witness ? "`brankas --user " + for_terminal(*h.witness) + " handover witness " + std::to_string(h.id) + "`"
                                      : "`brankas handover complete " + std::to_string(h.id) + "` (or a witness first)")
            << ".\n";
    if (h.state == policy::HandoverState::witnessed) out << "Next: an admin completes it: `brankas handover complete " << h.id << "`.\n";
    if (h.state == policy::HandoverState::completed)
        out << "Completed: " << for_terminal(h.receiver) << " holds " << for_terminal(h.unit) << ", the outgoing custodians do not, and "
            << h.accounts.size() << " account(s) are due for a new password. Minutes: `brankas handover minutes " << h.id
            << " --format html --out FILE`.\n";
}

void add_id(po::options_description& o, std::int64_t& id) {
    o.add_options()("id", po::value<std::int64_t>(&id)->required(), tr("the handover's number"));
}

Status check_id(std::int64_t id) {
    if (id < 1) return fail(ErrorCode::usage, "a handover's number is 1 or more");
    return {};
}

class HandoverStartCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover start"));
        o.add_options()
            ("unit", po::value<std::string>(&unit_)->required(), tr("the sub-district handed over"))
            ("to", po::value<std::string>(&to_)->required(), tr("the receiving custodian"))
            ("from", po::value<std::vector<std::string>>(&from_), tr("an outgoing custodian (repeatable; default: the unit's custodians now)"))
            ("witness", po::value<std::string>(&witness_), tr("the admin or auditor who must witness it"))
            ("note", po::value<std::string>(&note_)->required(), tr("why (printed on the minutes)"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        witness_given_ = vm.count("witness") > 0;
        return {};
    }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverRequest rq;
        rq.unit = unit_;
        rq.receiver = to_;
        rq.note = note_;
        if (!from_.empty()) rq.outgoing = from_;
        if (witness_given_) rq.witness = witness_;
        HandoverInfo h = BRANKAS_TRY(start_handover(vault, rq));
        if (ctx.options.json) {
            ctx.out << json_text(handover_json(h)) << '\n';
            return {};
        }
        ctx.out << "Handover " << h.id << " started: " << h.accounts.size() << " account(s) of " << for_terminal(h.unit) << " from "
                << for_terminal(joined(h.outgoing)) << " to " << for_terminal(h.receiver) << ".\n";
        print_next(ctx.out, h);
        return {};
    }

private:
    std::string unit_, to_, witness_, note_;
    std::vector<std::string> from_;
    bool witness_given_ = false;
};

// accept, witness and complete: one handover number, one step.
class HandoverStepCommand final : public Command {
public:
    enum class Step { accept, witness, complete };
    explicit HandoverStepCommand(Step step) : step_(step) {}
    po::options_description options() override {
        po::options_description o(step_ == Step::accept ? tr("Options for handover accept ID") : step_ == Step::witness ? tr("Options for handover witness ID") : tr("Options for handover complete ID"));
        add_id(o, id_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverInfo h = step_ == Step::accept    ? BRANKAS_TRY(accept_handover(vault, id_))
                         : step_ == Step::witness ? BRANKAS_TRY(witness_handover(vault, id_))
                                                  : BRANKAS_TRY(complete_handover(vault, id_));
        if (ctx.options.json) {
            ctx.out << json_text(handover_json(h)) << '\n';
            return {};
        }
        ctx.out << "Handover " << h.id << " is " << policy::handover_state_name(h.state) << ".\n";
        print_next(ctx.out, h);
        return {};
    }

private:
    Step step_;
    std::int64_t id_ = 0;
};

class HandoverCancelCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover cancel ID"));
        add_id(o, id_);
        o.add_options()("reason", po::value<std::string>(&reason_), tr("why (kept in the audit log)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverInfo h = BRANKAS_TRY(cancel_handover(vault, id_, reason_));
        if (ctx.options.json) ctx.out << json_text(handover_json(h)) << '\n';
        else ctx.out << "Handover " << h.id << " is cancelled; nothing changed hands.\n";
        return {};
    }

private:
    std::int64_t id_ = 0;
    std::string reason_;
};

class HandoverShowCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover show ID"));
        add_id(o, id_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverInfo h = BRANKAS_TRY(show_handover(vault, id_));
        if (ctx.options.json) ctx.out << json_text(handover_json(h)) << '\n';
        else print_handover(ctx.out, h);
        return {};
    }

private:
    std::int64_t id_ = 0;
};

class HandoverListCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover list"));
        o.add_options()("unit", po::value<std::string>(&unit_), tr("only this sub-district's handovers"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("unit")) unit_given_ = true;
        return {};
    }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        std::optional<std::string> unit;
        if (unit_given_) unit = unit_;
        auto list = BRANKAS_TRY(list_handovers(vault, unit));
        if (ctx.options.json) {
            nlohmann::ordered_json all = nlohmann::ordered_json::array();
            for (const HandoverInfo& h : list) all.push_back(handover_json(h));
            ctx.out << json_text(all) << '\n';
            return {};
        }
        if (list.empty()) {
            ctx.out << "No handovers" << (unit ? " of " + for_terminal(*unit) : "") << ".\n";
            return {};
        }
        std::vector<std::vector<std::string>> rows;
        for (const HandoverInfo& h : list)
            rows.push_back({std::to_string(h.id), h.unit, std::string(policy::handover_state_name(h.state)), joined(h.outgoing), h.receiver,
                            std::to_string(h.accounts.size()),
                            format_zoned(h.started.time_us, h.time_zone), h.code.empty() ? "-" : h.code});
        print_table(ctx.out, {"ID", "UNIT", "STATE", "FROM", "TO", "ACCOUNTS", "STARTED", "CODE"}, rows);
        return {};
    }

private:
    std::string unit_;
    bool unit_given_ = false;
};

class HandoverMinutesCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover minutes ID"));
        add_id(o, id_);
        o.add_options()
            ("format", po::value<std::string>(&format_)->default_value("md"), tr("md (Markdown) or html (prints on A4)"))
            ("out", po::value<std::string>(&out_), tr("write to FILE instead of standard output"))
            ("force", po::bool_switch(&force_), tr("replace an existing --out file"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override {
        if (format_ != "md" && format_ != "html") return fail(ErrorCode::usage, "--format is md or html, not '" + format_ + "'");
        if (force_ && out_.empty()) return fail(ErrorCode::usage, "--force goes with --out FILE");
        return check_id(id_);
    }
    Status run(Context& ctx) override {
        std::filesystem::path out(out_);
        std::error_code ec;
        if (!out_.empty() && std::filesystem::exists(out, ec) && !force_)
            return fail(ErrorCode::usage, out.string() + " already exists", "choose another file, or add --force to replace it");
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverInfo h = BRANKAS_TRY(show_handover(vault, id_));
        if (h.state != policy::HandoverState::completed)
            return fail(ErrorCode::conflict, "handover " + std::to_string(h.id) + " is " + std::string(policy::handover_state_name(h.state)) +
                                                 "; its minutes exist once it completes");
        std::string text = render_minutes(h, format_ == "html" ? MinutesFormat::html : MinutesFormat::markdown);
        if (out_.empty()) {
            ctx.out << text;
            return {};
        }
        BRANKAS_TRY(write_file_atomic(out, as_bytes(text), force_ ? Existing::replace : Existing::refuse));
        if (ctx.options.json)
            ctx.out << json_text(nlohmann::json{{"file", out.string()}, {"number", h.number}, {"verification_code", h.code}}) << '\n';
        else
            ctx.out << "Minutes " << h.number << " of handover " << h.id << " written to " << out.string() << " (verification code " << h.code
                    << ").\n";
        return {};
    }

private:
    std::int64_t id_ = 0;
    std::string format_, out_;
    bool force_ = false;
};

class HandoverLookupCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover lookup CODE"));
        o.add_options()("code", po::value<std::string>(&code_)->required(), tr("the verification code printed on the minutes (XXXX-XXXX)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"code"}); }
    Status setup(const po::variables_map&) override { return {}; }
    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        HandoverLookup l = BRANKAS_TRY(lookup_handover(vault, code_));
        const HandoverInfo& h = l.handover;
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::ordered_json{{"verification_code", h.code},
                                                        {"handover", h.id},
                                                        {"number", h.number},
                                                        {"event", l.event_seq},
                                                        {"event_hash", hex_of(h.ended.hash)},
                                                        {"verified_up_to_event", l.verified_up_to_event},
                                                        {"log_verifies", l.report.ok},
                                                        {"problem", l.report.ok ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(l.report.problem)}})
                    << '\n';
        } else {
            ctx.out << "Verification code " << h.code << ": minutes " << h.number << " of handover " << h.id << " (" << for_terminal(h.unit)
                    << ", " << for_terminal(joined(h.outgoing)) << " to " << for_terminal(h.receiver) << "), completed "
                    << format_zoned(h.ended.time_us, h.time_zone) << " by " << for_terminal(h.ended.by) << " in event " << l.event_seq
                    << " (hash " << hex_of(h.ended.hash) << ").\n";
            if (l.verified_up_to_event)
                ctx.out << "The vault verifies up to that event" << (l.report.ok ? " and beyond: the whole log holds" : "")
                        << (l.report.ok ? ".\n" : "; later: " + for_terminal(l.report.problem) + ".\n");
            else
                ctx.out << "The vault does NOT verify up to that event: " << for_terminal(l.report.problem) << ".\n";
        }
        if (!l.verified_up_to_event) return fail(ErrorCode::verification_failed, "the log does not verify up to the handover's completion");
        return {};
    }

private:
    std::string code_;
};

} // namespace

std::unique_ptr<Command> make_handover_start_command() { return std::make_unique<HandoverStartCommand>(); }
std::unique_ptr<Command> make_handover_accept_command() {
    return std::make_unique<HandoverStepCommand>(HandoverStepCommand::Step::accept);
}
std::unique_ptr<Command> make_handover_witness_command() {
    return std::make_unique<HandoverStepCommand>(HandoverStepCommand::Step::witness);
}
std::unique_ptr<Command> make_handover_complete_command() {
    return std::make_unique<HandoverStepCommand>(HandoverStepCommand::Step::complete);
}
std::unique_ptr<Command> make_handover_cancel_command() { return std::make_unique<HandoverCancelCommand>(); }
std::unique_ptr<Command> make_handover_show_command() { return std::make_unique<HandoverShowCommand>(); }
std::unique_ptr<Command> make_handover_list_command() { return std::make_unique<HandoverListCommand>(); }
std::unique_ptr<Command> make_handover_minutes_command() { return std::make_unique<HandoverMinutesCommand>(); }
std::unique_ptr<Command> make_handover_lookup_command() { return std::make_unique<HandoverLookupCommand>(); }

} // namespace brankas::cli
