#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "vault/file_io.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

class AuditLogCommand final : public Command {
public:
    po::options_description options() override { return po::options_description("Options for audit log"); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Vault vault = BRANKAS_TRY(ctx.open_vault());
        if (ctx.options.json) {
            // Streamed as a JSON array, one event per line, so a long log is never held whole.
            ctx.out << "[";
            bool first = true;
            BRANKAS_TRY(vault.for_each_event([&](const EventSummary& e) {
                nlohmann::json j{{"seq", e.seq}, {"time", iso_utc(e.time_us)}, {"actor", e.actor}, {"action", e.action}, {"target", e.target}};
                ctx.out << (first ? "\n  " : ",\n  ") << json_text(j, -1);
                first = false;
                return true;
            }));
            ctx.out << (first ? "]\n" : "\n]\n");
            return {};
        }
        std::vector<std::vector<std::string>> rows;
        BRANKAS_TRY(vault.for_each_event([&](const EventSummary& e) {
            // The quorum's acts stand out: they change who holds an admin's keys.
            std::string action = e.action.starts_with("recovery.") && e.action != "recovery.split" ? "** " + e.action + " **" : e.action;
            rows.push_back({std::to_string(e.seq), local_time(e.time_us), e.actor, action, e.target.empty() ? "-" : e.target});
            return true;
        }));
        print_table(ctx.out, {"SEQ", "TIME", "ACTOR", "ACTION", "TARGET"}, rows);
        return {};
    }
};

class AuditCheckpointCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Options for audit checkpoint");
        o.add_options()
            ("out", po::value<std::string>(&out_)->required(), "file to write the checkpoint to (keep it outside the vault)")
            ("force", po::bool_switch(&force_), "replace an existing file");
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        std::filesystem::path out(out_);
        std::error_code ec;
        // Check the destination before the checkpoint is recorded in the log.
        if (std::filesystem::exists(out, ec) && !force_)
            return fail(ErrorCode::usage, out.string() + " already exists", "choose another file, or add --force to replace it");
        auto parent = directory_of(out);
        if (!std::filesystem::is_directory(parent, ec))
            return fail(ErrorCode::io, "cannot write " + out.string() + ": " + parent.string() + " is not a directory");

        Vault vault = BRANKAS_TRY(ctx.open_vault());
        Checkpoint c = BRANKAS_TRY(vault.take_checkpoint());
        std::string text = format_checkpoint(c);
        BRANKAS_TRY(write_file_atomic(out, as_bytes(text), force_ ? Existing::replace : Existing::refuse));
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"file", out.string()}, {"sequence", c.seq}, {"head", to_hex(c.head)}, {"signer", c.signer}})
                    << '\n';
            return {};
        }
        ctx.out << "Checkpoint of event " << c.seq << " (head " << to_hex(c.head) << ") signed by " << c.signer
                << " and written to " << out.string() << ".\n"
                << "Keep it outside the vault; `brankas audit verify --checkpoint " << out.string()
                << "` proves the log still extends it.\n";
        return {};
    }

private:
    std::string out_;
    bool force_ = false;
};

class AuditVerifyCommand final : public Command {
public:
    po::options_description options() override {
        po::options_description o("Options for audit verify");
        o.add_options()("checkpoint", po::value<std::string>(&checkpoint_file_),
                        "a checkpoint file the log must still extend (proves it was not rolled back or rewritten)");
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        std::optional<Checkpoint> checkpoint;
        if (!checkpoint_file_.empty()) {
            auto bytes = read_file_bounded(checkpoint_file_, max_checkpoint_file);
            if (!bytes)
                return fail(ErrorCode::io, "cannot read the checkpoint file " + checkpoint_file_ + ": " + bytes.error().what);
            checkpoint = BRANKAS_TRY(parse_checkpoint(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size())));
        }
        Vault vault = BRANKAS_TRY(ctx.open_vault());
        VerifyReport r = BRANKAS_TRY(vault.verify(checkpoint));

        if (ctx.options.json) {
            nlohmann::json j{{"ok", r.ok},
                             {"events", r.events},
                             {"head", to_hex(r.head)},
                             {"first_admin_key", to_hex(r.genesis_key)},
                             {"checkpoint", checkpoint ? nlohmann::json(r.checkpoint_checked) : nlohmann::json()},
                             {"bad_event", r.bad_event ? nlohmann::json(*r.bad_event) : nlohmann::json()},
                             {"problem", r.ok ? nlohmann::json() : nlohmann::json(r.problem)}};
            ctx.out << json_text(j) << '\n';
        } else if (r.ok) {
            ctx.out << "Chain        " << r.events << (r.events == 1 ? " event" : " events") << ", every hash links to the one before\n"
                    << "Signatures   " << r.events << " valid, each by a key the log introduced earlier\n"
                    << "Replay       the stored tables match a fresh replay of the log\n";
            if (checkpoint)
                ctx.out << "Checkpoint   the log extends the checkpoint at event " << checkpoint->seq << " signed by "
                        << checkpoint->signer << "\n";
            ctx.out << "Head         " << to_hex(r.head) << "\n"
                    << "First admin  key " << to_hex(r.genesis_key) << "\n"
                    << "The vault verifies.\n";
        }
        if (r.ok) return {};
        std::string where = r.bad_event ? "event " + std::to_string(*r.bad_event) + ": " : std::string();
        return fail(ErrorCode::verification_failed, "verification failed: " + where + r.problem,
                    r.bad_event ? "events before " + std::to_string(*r.bad_event) + " verified" : std::string());
    }

private:
    std::string checkpoint_file_;
};

} // namespace

std::unique_ptr<Command> make_audit_log_command() { return std::make_unique<AuditLogCommand>(); }
std::unique_ptr<Command> make_audit_checkpoint_command() { return std::make_unique<AuditCheckpointCommand>(); }
std::unique_ptr<Command> make_audit_verify_command() { return std::make_unique<AuditVerifyCommand>(); }

} // namespace brankas::cli
