#include "cli/commands/checkpoint_file.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/moment_options.hpp"
#include "cli/option_numbers.hpp"
#include "faces/audit_records.hpp"
#include "faces/dates.hpp"
#include "faces/error_text.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "vault/slot_integrity.hpp"
#include "cli/progress.hpp"
#include "policy/document.hpp"
#include "vault/encoding.hpp"
#include "vault/file_io.hpp"
#include "vault/own_reasons.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// Clocks of different computers differ by this much without anything being wrong.
constexpr std::int64_t clock_tolerance_us = 5 * 60 * 1'000'000LL;

class AuditLogCommand final : public VaultCommand {
public:
    po::options_description options() override {
        std::string actions;
        for (auto a : audit_actions()) actions += (actions.empty() ? "" : ", ") + std::string(a);
        action_help_ = tr("only events of this action (repeat for several): ") + actions;
        po::options_description o(tr("Options for audit log"));
        o.add_options()
            ("unit", po::value<std::string>(&unit_),
             tr("only this sub-district's events: those about the sub-district, about one of its accounts, or whose details name it "
                "(grants, revocations, terms for some sub-districts)"))
            ("account", po::value<std::string>(&account_), tr("only events about this account (platform/handle or number)"))
            ("actor", po::value<std::string>(&actor_), tr("only events by this user"))
            ("action", po::value<std::vector<std::string>>(&actions_)->composing(), action_help_.c_str());
        moments_.add_to(o);
        o.add_options()
            ("jsonl", po::bool_switch(&flags_.jsonl), tr("one JSON object per line (JSON Lines); not with --json (one array) or --csv"))
            ("csv", po::bool_switch(&flags_.csv), tr("CSV with a header row (RFC 4180)"));
        return o;
    }
    Status setup(const po::variables_map&) override {
        for (const auto& a : actions_)
            if (a.empty()) return fail(ErrorCode::usage, tr("--action needs an action name"));
        return moments_.check();
    }

    Status prepare(Context& ctx) override {
        flags_.json = ctx.options.json;
        if (!pick_format(flags_, format_)) return fail(ErrorCode::usage, tr("choose one of --json, --jsonl and --csv"));
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        AuditFilter filter;
        if (!unit_.empty()) filter.unit = unit_;
        if (!actor_.empty()) filter.actor = actor_;
        if (!account_.empty()) filter.account = BRANKAS_TRY(find_account(vault, account_)).id;
        filter.actions = actions_;
        moments_.resolve(zone, filter.since_us, filter.until_us);

        if (format_ == ListingFormat::table) {
            // Who did what to which, when, and why: the reason last, so that a long one runs on in
            // its own line instead of widening the columns of every other.
            TableStream rows(ctx.out, {tr("SEQ"), tr("TIME"), tr("ACTOR"), tr("ACTION"), tr("TARGET"), tr("REASON")}); // event names stay as they are
            auto listed = audit_log(vault, filter, [&](const AuditEntry& e) {
                // The quorum's acts stand out: they change who holds an admin's keys.
                bool quorum = e.action.starts_with("recovery.") && e.action != "recovery.split";
                // So do break-glass acts, marked as the access report marks them.
                bool break_glass = e.details.get_integer("break_glass").value_or(0) == 1;
                std::vector<std::string> row{std::to_string(e.seq), format_zoned_seconds(e.time_us, zone), e.actor,
                                             (quorum ? "** " + e.action + " **" : e.action) + (break_glass ? " BREAK-GLASS" : ""),
                                             e.target.empty() ? "-" : e.target};
                // An event without a reason leaves its cell empty (and its line without trailing spaces);
                // one the vault wrote itself, and a refusal of the role matrix, read in the reader's
                // language, as the browser's audit log shows them (one function for both faces).
                if (!e.reason.empty()) row.push_back(event_reason_for_reader(e.action, e.reason, tr));
                rows.row(std::move(row));
                return true;
            });
            if (!listed) rows.abandon();
            return listed;
        }
        RecordWriter writer(ctx.out, format_, audit_record_columns());
        auto listed = audit_log(vault, filter, [&](const AuditEntry& e) {
            writer.write(audit_record(e, zone, format_));
            return true;
        });
        if (!listed) writer.abandon();
        return listed;
    }

private:
    std::string unit_, account_, actor_, action_help_;
    std::vector<std::string> actions_;
    MomentOptions moments_;
    FormatFlags flags_;
    ListingFormat format_{};
};

class AuditCheckpointCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for audit checkpoint"));
        o.add_options()
            ("out", po::value<std::string>(&out_)->required(), tr("file to write the checkpoint to (keep it outside the vault)"))
            ("force", po::bool_switch(&force_), tr("replace an existing file"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status prepare(Context& ctx) override {
        std::filesystem::path out(out_);
        std::error_code ec;
        // Check the destination before the checkpoint is recorded in the log.
        BRANKAS_TRY(ctx.refuse_inside_vault(out, "--out"));
        if (std::filesystem::exists(out, ec) && !force_)
            return fail(ErrorCode::conflict, fill(tr("%s already exists"), {out.string()}), tr("choose another file, or add --force to replace it"));
        return check_directory_of(out);
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        std::filesystem::path out(out_);
        Checkpoint c = BRANKAS_TRY(take_checkpoint(vault));
        std::string text = format_checkpoint(c);
        BRANKAS_TRY(write_file_atomic(out, as_bytes(text), force_ ? Existing::replace : Existing::refuse));
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"file", out.string()}, {"sequence", c.seq}, {"head", to_hex(c.head)}, {"signer", c.signer}})
                    << '\n';
            return {};
        }
        ctx.out << fill(tr("Checkpoint of event %1$s (head %2$s) signed by %3$s and written to %4$s."),
                        {std::to_string(c.seq), to_hex(c.head), c.signer, out.string()})
                << "\n"
                << fill(tr("Keep it outside the vault; `brankas audit verify --checkpoint %s` proves the log still extends it."),
                        {for_terminal(shell_word(out.string()))})
                << "\n";
        return {};
    }

private:
    std::string out_;
    bool force_ = false;
};

class AuditVerifyCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for audit verify"));
        o.add_options()
            ("checkpoint", po::value<std::string>(&checkpoint_file_),
             tr("a checkpoint file the log must still extend (proves it was not rolled back or rewritten)"))
            ("since", po::value<std::string>(&since_file_),
             tr("verify only what came after this checkpoint, once the log is shown to extend it: every event is "
                "re-hashed, the signatures after it are checked; the replay and the comparison of the tables need the "
                "whole history, so they are left out (run without --since for them)"))
            ("threads", po::value<std::string>(&threads_text_), tr("threads that check signatures (default: one per CPU)"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("checkpoint") && vm.count("since"))
            return fail(ErrorCode::usage, tr("--checkpoint and --since are alternatives"),
                        tr("--since FILE also proves that the log extends that checkpoint"));
        if (vm.count("threads")) {
            const std::optional<std::uint64_t> threads = parse_count(threads_text_);
            if (!threads || *threads < 1 || *threads > 256) return fail(ErrorCode::usage, tr("--threads must be 1 to 256"));
            threads_ = static_cast<unsigned>(*threads);
        }
        return {};
    }

    // The checkpoint is read and parsed before the vault is unlocked.
    Status prepare(Context&) override {
        options_.threads = threads_;
        if (!checkpoint_file_.empty()) options_.checkpoint = BRANKAS_TRY(read_checkpoint_file(checkpoint_file_));
        if (!since_file_.empty()) {
            options_.checkpoint = BRANKAS_TRY(read_checkpoint_file(since_file_));
            options_.scope = VerifyScope::after_checkpoint;
        }
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        ProgressBar bar(ctx.err, ctx.options.err_is_terminal, tr("verifying"));
        options_.progress = [&](const VerifyProgress& p) { bar.update(p.done, p.total); };
        VerifyReport r = BRANKAS_TRY(verify(vault, options_));
        bar.clear();
        // The keyring is not part of the log, but each slot's hash is: a slot that differs from
        // its record is damaged (the recovery slot above all, which nothing else ever opens).
        std::vector<std::string> damaged;
        for (const SlotCheck& c : BRANKAS_TRY(check_slots(vault)))
            if (c.state == SlotState::damaged) damaged.push_back(c.principal);
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        // Writers refuse to write before the last event's time, so a log dated ahead of real
        // time (a writer's clock ran fast) holds everyone back until real time catches up.
        // Such a log still verifies; the auditor is told.
        const bool ahead = r.ok && r.head_time_us > ctx.clock.now_us() + clock_tolerance_us;

        const bool since = options_.scope == VerifyScope::after_checkpoint;
        if (ctx.options.json) {
            nlohmann::json j{{"ok", r.ok},
                             {"events", r.events},
                             {"head", to_hex(r.head)},
                             {"head_time", r.ok ? nlohmann::json(format_iso(r.head_time_us, zone)) : nlohmann::json()},
                             {"head_after_clock", ahead},
                             {"first_admin_key", to_hex(r.genesis_key)},
                             {"checkpoint", options_.checkpoint ? nlohmann::json(r.checkpoint_checked) : nlohmann::json()},
                             {"scope", since ? "after_checkpoint" : "whole_log"},
                             {"signatures", r.signatures},
                             {"first_signed", r.first_signed},
                             {"replayed", !since},
                             {"threads", r.threads},
                             {"bad_event", r.bad_event ? nlohmann::json(*r.bad_event) : nlohmann::json()},
                             {"problem", r.ok ? nlohmann::json() : nlohmann::json(r.problem)},
                             {"damaged_slots", damaged}};
            ctx.out << json_text(j) << '\n';
        } else if (r.ok) {
            std::string clock_note;
            if (ahead)
                clock_note = fill(tr("the last event is dated %1$s, %2$s after this computer's clock: a writer's clock ran ahead "
                                     "(nobody can write\n"
                                     "             before that time), or this computer's clock is behind"),
                                  {format_zoned(r.head_time_us, zone), policy::format_duration(r.head_time_us - ctx.clock.now_us())});
            print_verified(ctx, r, options_, since, clock_note);
        }
        if (r.ok && !damaged.empty())
            return fail(ErrorCode::keyring_unreadable,
                        fill(trn("the log verifies, but the keyring slot of %s is damaged: not the slot the log recorded",
                                 "the log verifies, but the keyring slots of %s are damaged: not the slot the log recorded",
                                 static_cast<unsigned long>(damaged.size())),
                             {for_terminal(joined(damaged))}),
                        tr("restore the keyring from a backup of this vault; `brankas status` says what each one means"));
        if (r.ok) return {};
        // The problem in the reader's language (--json above keeps its English).
        const std::string problem = faces::phrase_text(r.problem_phrase, r.problem, [](const char* id) { return tr(id); });
        if (!r.bad_event) return fail(ErrorCode::verification_failed, fill(tr("verification failed: %s"), {problem}));
        return fail(ErrorCode::verification_failed, fill(tr("verification failed: event %1$s: %2$s"), {std::to_string(*r.bad_event), problem}),
                    fill(tr("events before %s verified"), {std::to_string(*r.bad_event)}));
    }

private:
    static void print_verified(Context& ctx, const VerifyReport& r, const VerifyOptions& options, bool since,
                               const std::string& clock_note) {
        const Checkpoint* c = options.checkpoint ? &*options.checkpoint : nullptr;
        const BlockLabels label{tr_noop("Chain"), tr_noop("Signatures"), tr_noop("Replay"),     tr_noop("Checkpoint"),
                                tr_noop("Clock"), tr_noop("Head"),       tr_noop("First admin")};
        ctx.out << label(tr_noop("Chain"))
                << fill(trn("%s event, every hash links to the one before", "%s events, every hash links to the one before",
                            static_cast<unsigned long>(r.events)),
                        {std::to_string(r.events)})
                << "\n";
        if (since)
            ctx.out << label(tr_noop("Signatures"))
                    << (r.signatures == 0
                            // A checkpoint taken at the head: there is no range of events to name.
                            ? fill(tr("none to check: no event after the checkpoint at event %s"), {std::to_string(c->seq)})
                            : fill(tr("%1$s valid (events %2$s to %3$s), each by a key the log introduced earlier; %4$s before the "
                                      "checkpoint not checked again"),
                                   {std::to_string(r.signatures), std::to_string(r.first_signed), std::to_string(r.events), std::to_string(c->seq)}))
                    << "\n"
                    << label(tr_noop("Replay"))
                    << label.lines(tr("not run: it needs the whole history (`brankas audit verify` without --since); the\n"
                                      "             stored users' roles, status and keys match what the log says"))
                    << "\n";
        else
            ctx.out << label(tr_noop("Signatures")) << fill(tr("%s valid, each by a key the log introduced earlier"), {std::to_string(r.signatures)})
                    << "\n"
                    << label(tr_noop("Replay")) << tr("the stored tables match a fresh replay of the log") << "\n";
        if (c)
            ctx.out << label(tr_noop("Checkpoint"))
                    << fill(tr("the log extends the checkpoint at event %1$s signed by %2$s"), {std::to_string(c->seq), c->signer}) << "\n";
        if (!clock_note.empty()) ctx.out << label(tr_noop("Clock")) << clock_note << "\n";
        ctx.out << label(tr_noop("Head")) << to_hex(r.head) << "\n"
                << label(tr_noop("First admin")) << fill(tr("key %s"), {to_hex(r.genesis_key)}) << "\n"
                << (since ? tr("The vault verifies from the checkpoint on.") : tr("The vault verifies.")) << "\n";
    }

    std::string checkpoint_file_, since_file_;
    std::string threads_text_; // read by parse_count: Boost would wrap a negative number around
    unsigned threads_ = 0;
    VerifyOptions options_;
};

} // namespace

std::unique_ptr<Command> make_audit_log_command() { return std::make_unique<AuditLogCommand>(); }
std::unique_ptr<Command> make_audit_checkpoint_command() { return std::make_unique<AuditCheckpointCommand>(); }
std::unique_ptr<Command> make_audit_verify_command() { return std::make_unique<AuditVerifyCommand>(); }

} // namespace brankas::cli
