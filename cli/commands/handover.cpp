// handover start | accept | release | witness | complete | cancel | show | list | minutes | lookup: a
// unit's accounts move from one custodian team to the next, and the minutes the district files.
// No handover command shows a password: a handover records accounts by fingerprint only.
#include "cli/commands/commands.hpp"
#include "faces/dates.hpp"
#include "faces/error_text.hpp"
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

nlohmann::ordered_json releases_json(const HandoverInfo& h) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const HandoverStep& r : h.releases) out.push_back(step_json(r, h.time_zone));
    return out;
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
            {"release_asked", h.release_asked},
            {"releases", releases_json(h)},
            {"unreleased", h.unreleased()},
            {"number", h.number.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.number)},
            {"verification_code", h.code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.code)},
            {"accounts", accounts}};
}

void print_step(std::ostream& out, std::string_view label, const HandoverStep& s, const policy::TimeZone& zone) {
    if (s.seq == 0) return;
    out << "  " << label << fill(tr("%1$s by %2$s (event %3$s)"), {format_zoned(s.time_us, zone), for_terminal(s.by), std::to_string(s.seq)}) << "\n";
}

void print_handover(std::ostream& out, const HandoverInfo& h) {
    out << fill(tr("Handover %1$s of %2$s (%3$s): %4$s"),
                {std::to_string(h.id), for_terminal(h.unit), for_terminal(h.unit_name), policy::handover_state_name(h.state)})
        << "\n"
        // TRANSLATORS: the labels of a handover ("from:      ", "to:        ", ...) line up: give them one width.
        << "  " << tr("from:      ") << for_terminal(joined(h.outgoing)) << "\n"
        << "  " << tr("to:        ") << for_terminal(h.receiver) << "\n";
    if (h.witness) out << "  " << tr("witness:   ") << fill(tr("%s (named)"), {for_terminal(*h.witness)}) << "\n";
    out << "  " << tr("note:      ") << for_terminal(h.note) << "\n";
    print_step(out, tr("started:   "), h.started, h.time_zone);
    for (const HandoverStep& r : h.releases) print_step(out, tr("released:  "), r, h.time_zone);
    print_step(out, tr("accepted:  "), h.accepted, h.time_zone);
    print_step(out, tr("witnessed: "), h.witnessed, h.time_zone);
    print_step(out, h.state == policy::HandoverState::cancelled ? tr("cancelled: ") : tr("completed: "), h.ended, h.time_zone);
    if (!h.code.empty())
        out << "  " << tr("minutes:   ") << fill(tr("number %1$s, verification code %2$s"), {h.number, h.code}) << "\n";
    out << "  " << fill(tr("accounts (%s):"), {std::to_string(h.accounts.size())}) << "\n";
    for (const HandoverAccount& a : h.accounts)
        out << "    " << for_terminal(a.platform + "/" + a.handle) << "  "
            << fill(tr("version %1$s  fingerprint %2$s"), {std::to_string(a.version), hex_of(a.fingerprint).substr(0, 16)})
            << (a.rotation_due ? "  " + std::string(tr("rotation due")) : "") << "\n";
}

// What comes next, for the person who just acted.
void print_next(std::ostream& out, const HandoverInfo& h) {
    const std::string id = std::to_string(h.id);
    if (h.state == policy::HandoverState::started && h.accepted.seq == 0)
        out << fill(tr("Next: `brankas --user %1$s handover accept %2$s`."), {for_terminal(h.receiver), id}) << "\n";
    const bool open = h.state != policy::HandoverState::completed && h.state != policy::HandoverState::cancelled;
    for (const std::string& from : h.unreleased())
        if (open) out << fill(tr("The outgoing custodian releases it: `brankas --user %1$s handover release %2$s`."), {for_terminal(from), id}) << "\n";
    if (h.state == policy::HandoverState::accepted)
        out << (h.witness ? fill(tr("Next: `brankas --user %1$s handover witness %2$s`."), {for_terminal(*h.witness), id})
                          : fill(tr("Next: `brankas handover complete %s` (or a witness first)."), {id}))
            << "\n";
    if (h.state == policy::HandoverState::witnessed)
        out << fill(tr("Next: an admin completes it: `brankas handover complete %s`."), {id}) << "\n";
    if (h.state == policy::HandoverState::completed && !h.unreleased().empty())
        out << fill(tr("Completed without the release of %s, as the policy allows; the minutes say so."), {for_terminal(joined(h.unreleased()))})
            << "\n";
    if (h.state == policy::HandoverState::completed)
        out << fill(trn("Completed: %1$s holds %2$s, the outgoing custodians do not, and %3$s account is due for a new password. "
                        "Minutes: `brankas handover minutes %4$s --format html --out FILE`.",
                        "Completed: %1$s holds %2$s, the outgoing custodians do not, and %3$s accounts are due for a new password. "
                        "Minutes: `brankas handover minutes %4$s --format html --out FILE`.",
                        static_cast<unsigned long>(h.accounts.size())),
                    {for_terminal(h.receiver), for_terminal(h.unit), std::to_string(h.accounts.size()), id})
            << "\n";
}

void add_id(po::options_description& o, std::int64_t& id) {
    o.add_options()("id", po::value<std::int64_t>(&id)->required(), tr("the handover's number"));
}

Status check_id(std::int64_t id) {
    if (id < 1) return fail(ErrorCode::usage, tr("a handover's number is 1 or more"));
    return {};
}

class HandoverStartCommand final : public VaultCommand {
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
    Status run_in_vault(Context& ctx, Session& vault) override {
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
        ctx.out << fill(trn("Handover %1$s started: %2$s account of %3$s from %4$s to %5$s.",
                            "Handover %1$s started: %2$s accounts of %3$s from %4$s to %5$s.", static_cast<unsigned long>(h.accounts.size())),
                        {std::to_string(h.id), std::to_string(h.accounts.size()), for_terminal(h.unit), for_terminal(joined(h.outgoing)),
                         for_terminal(h.receiver)})
                << "\n";
        print_next(ctx.out, h);
        return {};
    }

private:
    std::string unit_, to_, witness_, note_;
    std::vector<std::string> from_;
    bool witness_given_ = false;
};

// accept, witness and complete: one handover number, one step.
class HandoverStepCommand final : public VaultCommand {
public:
    enum class Step { accept, witness, complete, release };
    explicit HandoverStepCommand(Step step) : step_(step) {}
    po::options_description options() override {
        po::options_description o(step_ == Step::accept    ? tr("Options for handover accept ID")
                                  : step_ == Step::witness ? tr("Options for handover witness ID")
                                  : step_ == Step::release ? tr("Options for handover release ID")
                                                           : tr("Options for handover complete ID"));
        add_id(o, id_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run_in_vault(Context& ctx, Session& vault) override {
        HandoverInfo h = step_ == Step::accept    ? BRANKAS_TRY(accept_handover(vault, id_))
                         : step_ == Step::witness ? BRANKAS_TRY(witness_handover(vault, id_))
                         : step_ == Step::release ? BRANKAS_TRY(release_handover(vault, id_))
                                                  : BRANKAS_TRY(complete_handover(vault, id_));
        if (ctx.options.json) {
            ctx.out << json_text(handover_json(h)) << '\n';
            return {};
        }
        if (step_ == Step::release)
            ctx.out << fill(tr("Handover %1$s is released by %2$s; it is %3$s."),
                            {std::to_string(h.id), for_terminal(vault.user()), tr(policy::handover_state_name(h.state).data())})
                    << "\n";
        else
            ctx.out << fill(tr("Handover %1$s is %2$s."), {std::to_string(h.id), tr(policy::handover_state_name(h.state).data())}) << "\n";
        print_next(ctx.out, h);
        return {};
    }

private:
    Step step_;
    std::int64_t id_ = 0;
};

class HandoverCancelCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover cancel ID"));
        add_id(o, id_);
        o.add_options()("reason", po::value<std::string>(&reason_), tr("why (kept in the audit log)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run_in_vault(Context& ctx, Session& vault) override {
        HandoverInfo h = BRANKAS_TRY(cancel_handover(vault, id_, reason_));
        if (ctx.options.json) ctx.out << json_text(handover_json(h)) << '\n';
        else ctx.out << fill(tr("Handover %s is cancelled; nothing changed hands."), {std::to_string(h.id)}) << "\n";
        return {};
    }

private:
    std::int64_t id_ = 0;
    std::string reason_;
};

class HandoverShowCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover show ID"));
        add_id(o, id_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"id"}); }
    Status setup(const po::variables_map&) override { return check_id(id_); }
    Status run_in_vault(Context& ctx, Session& vault) override {
        HandoverInfo h = BRANKAS_TRY(show_handover(vault, id_));
        if (ctx.options.json) ctx.out << json_text(handover_json(h)) << '\n';
        else print_handover(ctx.out, h);
        return {};
    }

private:
    std::int64_t id_ = 0;
};

class HandoverListCommand final : public VaultCommand {
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
    Status run_in_vault(Context& ctx, Session& vault) override {
        std::optional<std::string> unit;
        if (unit_given_) unit = unit_;
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_handover(vault, unit, [&](const HandoverInfo& h) -> Status {
                array.element(handover_json(h));
                return {};
            }));
            array.finish();
            return {};
        }
        std::size_t printed = BRANKAS_TRY(print_table_in_two_passes(
            ctx.out, {"ID", tr("UNIT"), tr("STATE"), tr("FROM"), tr("TO"), tr("ACCOUNTS"), tr("STARTED"), tr("CODE")}, [&](const RowSink& sink) {
                return for_each_handover(vault, unit, [&](const HandoverInfo& h) -> Status {
                    sink({std::to_string(h.id), h.unit, std::string(policy::handover_state_name(h.state)), joined(h.outgoing), h.receiver,
                          std::to_string(h.accounts.size()), format_zoned(h.started.time_us, h.time_zone), h.code.empty() ? "-" : h.code});
                    return {};
                });
            }));
        if (printed == 0) ctx.out << (unit ? fill(tr("No handovers of %s."), {for_terminal(*unit)}) : std::string(tr("No handovers."))) << "\n";
        return {};
    }

private:
    std::string unit_;
    bool unit_given_ = false;
};

class HandoverMinutesCommand final : public VaultCommand {
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
        if (format_ != "md" && format_ != "html") return fail(ErrorCode::usage, fill(tr("--format is md or html, not '%s'"), {i18n::echo(format_)}));
        if (force_ && out_.empty()) return fail(ErrorCode::usage, tr("--force goes with --out FILE"));
        return check_id(id_);
    }
    Status prepare(Context& ctx) override {
        std::error_code ec;
        if (!out_.empty()) BRANKAS_TRY(ctx.refuse_inside_vault(out_, "--out"));
        if (!out_.empty() && std::filesystem::exists(out_, ec) && !force_)
            return fail(ErrorCode::conflict, fill(tr("%s already exists"), {out_}), tr("choose another file, or add --force to replace it"));
        if (!out_.empty()) BRANKAS_TRY(check_directory_of(out_));
        return {};
    }
    Status run_in_vault(Context& ctx, Session& vault) override {
        std::filesystem::path out(out_);
        HandoverInfo h = BRANKAS_TRY(show_handover(vault, id_));
        if (h.state != policy::HandoverState::completed)
            return fail(ErrorCode::conflict, fill(tr("handover %1$s is %2$s; its minutes exist once it completes"),
                                                  {std::to_string(h.id), tr(policy::handover_state_name(h.state).data())}));
        std::string text = render_minutes(h, format_ == "html" ? MinutesFormat::html : MinutesFormat::markdown);
        if (out_.empty()) {
            ctx.out << text;
            return {};
        }
        BRANKAS_TRY(write_file_atomic(out, as_bytes(text), force_ ? Existing::replace : Existing::refuse));
        if (ctx.options.json)
            ctx.out << json_text(nlohmann::json{{"file", out.string()}, {"number", h.number}, {"verification_code", h.code}}) << '\n';
        else
            ctx.out << fill(tr("Minutes %1$s of handover %2$s written to %3$s (verification code %4$s)."),
                            {h.number, std::to_string(h.id), out.string(), h.code})
                    << "\n";
        return {};
    }

private:
    std::int64_t id_ = 0;
    std::string format_, out_;
    bool force_ = false;
};

class HandoverLookupCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for handover lookup CODE"));
        o.add_options()("code", po::value<std::string>(&code_)->required(), tr("the verification code printed on the minutes (XXXX-XXXX)"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"code"}); }
    Status setup(const po::variables_map&) override { return {}; }
    Status run_in_vault(Context& ctx, Session& vault) override {
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
            // Two messages: fill() numbers its values 1 to 9.
            const std::string completed = fill(tr("completed %1$s by %2$s in event %3$s (hash %4$s)"),
                                               {format_zoned(h.ended.time_us, h.time_zone), for_terminal(h.ended.by),
                                                std::to_string(l.event_seq), hex_of(h.ended.hash)});
            ctx.out << fill(tr("Verification code %1$s: minutes %2$s of handover %3$s (%4$s, %5$s to %6$s), %7$s."),
                            {h.code, h.number, std::to_string(h.id), for_terminal(h.unit), for_terminal(joined(h.outgoing)),
                             for_terminal(h.receiver), completed})
                    << "\n";
            // The problem in the reader's language (--json above keeps its English).
            const std::string problem =
                for_terminal(faces::phrase_text(l.report.problem_phrase, l.report.problem, [](const char* id) { return tr(id); }));
            if (l.verified_up_to_event)
                ctx.out << (l.report.ok ? std::string(tr("The vault verifies up to that event and beyond: the whole log holds."))
                                        : fill(tr("The vault verifies up to that event; later: %s."), {problem}))
                        << "\n";
            else
                ctx.out << fill(tr("The vault does NOT verify up to that event: %s."), {problem}) << "\n";
        }
        if (!l.verified_up_to_event) return fail(ErrorCode::verification_failed, tr("the log does not verify up to the handover's completion"));
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
std::unique_ptr<Command> make_handover_release_command() {
    return std::make_unique<HandoverStepCommand>(HandoverStepCommand::Step::release);
}
std::unique_ptr<Command> make_handover_cancel_command() { return std::make_unique<HandoverCancelCommand>(); }
std::unique_ptr<Command> make_handover_show_command() { return std::make_unique<HandoverShowCommand>(); }
std::unique_ptr<Command> make_handover_list_command() { return std::make_unique<HandoverListCommand>(); }
std::unique_ptr<Command> make_handover_minutes_command() { return std::make_unique<HandoverMinutesCommand>(); }
std::unique_ptr<Command> make_handover_lookup_command() { return std::make_unique<HandoverLookupCommand>(); }

} // namespace brankas::cli
