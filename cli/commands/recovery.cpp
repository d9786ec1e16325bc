// recovery split, recovery unlock: the k-of-n shares that bring the vault back when every
// admin is gone.
#include "cli/commands/awaiting_approval.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/kdf_description.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "vault/file_io.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

constexpr std::size_t max_share_file = 4096; // a share's text is under 700 bytes

class RecoverySplitCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for recovery split"));
        o.add_options()
            ("shares", po::value<int>(&shares_)->required(), tr("how many holders get a share (2 to 16)"))
            ("threshold", po::value<int>(&threshold_)->required(), tr("how many shares recover the vault (2 to --shares)"))
            ("out-dir", po::value<std::string>(&out_dir_)->required(), tr("directory for the share files (created 0700 if missing)"))
            ("reason", po::value<std::string>(&ask_.reason), tr("why (kept in the audit log; needed when the policy puts recovery_split under dual control)"))
            ("request", po::value<std::int64_t>(&request_), tr("under dual control: the approved request for this very threshold and number of shares to use"));
        return o;
    }
    Status setup(const po::variables_map& vm) override {
        if (vm.count("request")) {
            if (request_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
            ask_.request = request_;
        }
        if (shares_ < min_recovery_shares || shares_ > max_recovery_shares || threshold_ < min_recovery_shares || threshold_ > shares_)
            return fail(ErrorCode::usage, fill(tr("choose --shares from 2 to %s and --threshold from 2 to --shares"),
                                               {std::to_string(max_recovery_shares)}));
        return {};
    }
    Status prepare(Context& ctx) override {
        BRANKAS_TRY(ctx.refuse_inside_vault(out_dir_, "--out-dir"));
        return check_directory_of(out_dir_); // only its last level is created: a missing parent is said before the passphrase
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        RecoverySplit split = BRANKAS_TRY(split_recovery(vault, shares_, threshold_, out_dir_, ask_));
        if (split.awaiting) {
            const std::string id = std::to_string(split.awaiting->request);
            return report_awaiting(ctx, *split.awaiting, zone, {{"shares", shares_}, {"threshold", threshold_}, {"files", nlohmann::json::array()}},
                                   "brankas recovery split --shares " + std::to_string(shares_) + " --threshold " + std::to_string(threshold_) +
                                       " --out-dir DIR --request " + id,
                                   fill(tr("a new recovery split needs a second person's approval: request %s is recorded"), {id}));
        }
        if (ctx.options.json) {
            nlohmann::json files = nlohmann::json::array();
            for (const auto& f : split.files) files.push_back(f.string());
            nlohmann::json out{{"shares", shares_}, {"threshold", threshold_}, {"files", files}, {"replaced", split.replaced},
                               {"rotated_units", split.rotated_units}};
            if (split.request) out["request"] = *split.request;
            ctx.out << json_text(out) << '\n';
            return {};
        }
        if (split.replaced)
            ctx.out << tr("Replaced the recovery key. THE EARLIER SHARES NO LONGER WORK: collect and destroy them.") << "\n"
                    << fill(trn("%s sub-district moved to a fresh key, so the old key opens nothing written from now on; its accounts "
                                "are due for a password change.",
                                "%s sub-districts moved to a fresh key, so the old key opens nothing written from now on; their "
                                "accounts are due for a password change.",
                                static_cast<unsigned long>(split.rotated_units.size())),
                            {std::to_string(split.rotated_units.size())})
                    << "\n";
        ctx.out << fill(tr("Split the recovery key into %1$s shares; any %2$s of them recover the vault."),
                        {std::to_string(shares_), std::to_string(threshold_)})
                << "\n";
        if (split.request) ctx.out << fill(tr("Done by request %s, approved under dual control (recorded in the audit log)."), {std::to_string(*split.request)}) << "\n";
        ctx.out << tr("Share files (mode 0600), one per holder:") << "\n";
        for (const auto& f : split.files) ctx.out << "    " << for_terminal(f.string()) << "\n";
        ctx.out << tr("Print each file, hand it to its holder in person, then delete the files.") << "\n"
                << fill(tr("To recover: brankas recovery unlock --share-file FILE (%s times) reset-passphrase NAME"), {std::to_string(threshold_)})
                << "\n";
        return {};
    }

private:
    int shares_ = 0, threshold_ = 0;
    std::string out_dir_;
    std::int64_t request_ = 0;
    SplitAsk ask_;
};

// One share typed at the terminal, line by line with echo off: an empty line is asked again, a
// mistyped one up to three times; the end of input (Ctrl-D) stops before anything is done.
Result<RecoveryShare> typed_share(Context& ctx, std::size_t number) {
    SecretBytes text(share_text_lines * 80);
    std::size_t len = 0;
    for (int line = 1; line <= share_text_lines; ++line) {
        for (int wrong = 0;;) {
            auto typed = BRANKAS_TRY(read_line_or_end_from_terminal(
                fill(tr("Share %1$s, line %2$s (as printed, starting with \"%2$s:\"): "), {std::to_string(number), std::to_string(line)}),
                LineSecret::share_line));
            if (!typed)
                return fail(ErrorCode::usage, fill(tr("the input ended at line %1$s of share %2$s: nothing was done"),
                                                   {std::to_string(line), std::to_string(number)}),
                            tr("run it again and type every line, or give each share with --share-file FILE"));
            if (typed->empty()) {
                ctx.err << fill(tr("brankas: line %s is empty; type it again (Ctrl-D stops)"), {std::to_string(line)}) << "\n";
                continue;
            }
            auto phrase = check_share_line(typed->text(), line);
            std::optional<std::string> bad = phrase ? std::optional<std::string>(phrase->in(tr)) : std::nullopt;
            if (!bad && len + typed->size() + 1 <= text.size()) {
                std::copy_n(typed->data(), typed->size(), text.data() + len);
                len += typed->size();
                text.data()[len++] = '\n';
                break;
            }
            if (++wrong == 3)
                return fail(ErrorCode::usage, fill(tr("line %1$s of share %2$s is wrong: %3$s"),
                                                   {std::to_string(line), std::to_string(number), bad.value_or(tr("it is too long"))}));
            ctx.err << fill(tr("brankas: line %1$s is wrong: %2$s; type it again"), {std::to_string(line), bad.value_or(tr("it is too long"))})
                    << "\n";
        }
    }
    text.truncate(len);
    return parse_share_text(text.text(), fill(tr("share %s"), {std::to_string(number)}));
}

class RecoveryUnlockCommand final : public VaultCommand {
public:
    // The quorum's shares open: --keyfile and --passphrase-file have no part.
    RecoveryUnlockCommand() : VaultCommand(Door::own) {}
    po::options_description options() override {
        po::options_description o(tr("Options for recovery unlock [--share-file FILE]... reset-passphrase|enroll-admin NAME"));
        o.add_options()
            ("share-file", po::value<std::vector<std::string>>(&files_), tr("a share file (repeat it; without any, the shares are typed)"))
            ("kdf", po::value<std::string>(&kdf_)->default_value("interactive"), tr("key derivation for the enrollment code's slot"))
            ("action", po::value<std::string>(&action_)->required(), tr("reset-passphrase or enroll-admin"))
            ("name", po::value<std::string>(&name_)->required(), tr("the admin"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"action", "name"}); }
    Status setup(const po::variables_map&) override {
        if (action_ == "reset-passphrase") request_.action = RecoveryAction::reset_passphrase;
        else if (action_ == "enroll-admin") request_.action = RecoveryAction::enroll_admin;
        else return fail(ErrorCode::usage, fill(tr("unknown recovery action '%s'"), {i18n::echo(action_)}), tr("use reset-passphrase NAME or enroll-admin NAME"));
        request_.name = name_;
        return {};
    }

    Status prepare(Context& ctx) override {
        KdfProfile profile = BRANKAS_TRY(chosen_kdf(kdf_, ctx.options.allow_test_kdf));
        request_.code_kdf = kdf_limits(profile);
        return {};
    }

    // The door is the quorum's shares, read from the files given or typed at the terminal.
    Result<Session> unlock(Context& ctx) override {
        auto dir = BRANKAS_TRY(ctx.existing_vault_dir());
        std::vector<RecoveryShare> shares;
        for (const auto& f : files_) {
            SecretBytes text = BRANKAS_TRY(read_secret_file(f, max_share_file));
            shares.push_back(BRANKAS_TRY(parse_share_text(text.text(), fill(tr("share file %s"), {f}))));
        }
        if (files_.empty()) {
            shares.push_back(BRANKAS_TRY(typed_share(ctx, 1)));
            while (shares.size() < shares.front().threshold) shares.push_back(BRANKAS_TRY(typed_share(ctx, shares.size() + 1)));
        }
        return open_for_recovery(dir, shares, request_, ctx.clock);
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        EnrollmentCode code = BRANKAS_TRY(recovery_act(vault, request_));
        const bool reset = request_.action == RecoveryAction::reset_passphrase;
        if (ctx.options.json) {
            ctx.out << "{\"action\": \"" << action_ << "\", \"user\": ";
            write_json_string(ctx.out, name_);
            ctx.out << ", \"expires\": \"" << iso_utc(code.expires_us) << "\", \"enrollment_code\": ";
            write_json_secret(ctx.out, code.code);
            ctx.out << "}\n";
            return {};
        }
        if (reset)
            ctx.out << fill(tr("Recovery: the passphrase of admin %s is void and their keys are replaced."), {name_}) << "\n";
        else
            ctx.out << fill(tr("Recovery: added %s as admin."), {name_}) << "\n";
        ctx.out << tr("The action is signed by the recovery principal and stands in the audit log.") << "\n"
                << fill(tr("One-time enrollment code (shown once, valid until %s):"), {format_zoned(code.expires_us, code.time_zone)}) << "\n\n    ";
        write_secret(ctx.out, code.code);
        ctx.out << "\n\n" << fill(tr("Give it to %s in person. They save it to a file and run:"), {name_}) << "\n"
                << "    brankas --user " << name_ << " user enroll --code-file FILE\n";
        return {};
    }

private:
    std::vector<std::string> files_;
    std::string kdf_, action_, name_;
    RecoveryRequest request_;
};

} // namespace

std::unique_ptr<Command> make_recovery_split_command() { return std::make_unique<RecoverySplitCommand>(); }
std::unique_ptr<Command> make_recovery_unlock_command() { return std::make_unique<RecoveryUnlockCommand>(); }

} // namespace brankas::cli
