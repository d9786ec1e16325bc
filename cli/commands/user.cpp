// user add, enroll, list, grant, revoke, disable, passwd; enforcer add: people, their roles
// and their sub-districts.
#include "cli/commands/awaiting_approval.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/kdf_description.hpp"
#include "cli/output.hpp"
#include "faces/dates.hpp"
#include "vault/encoding.hpp"
#include "vault/file_io.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// What the person unlocks with, as --json writes it: the same English name in every language.
std::string_view unlocks_with(const std::optional<SlotInfo>& slot) { return slot ? slot_kind_name(slot->kind) : "-"; }

// --full-name, --nip, --position: the person's record, each only when given.
void add_record_options(po::options_description& o, PersonRecord& record) {
    auto into = [](std::optional<std::string>& field) {
        return po::value<std::string>()->notifier([&field](const std::string& v) { field = v; });
    };
    o.add_options()
        ("full-name", into(record.full_name), tr("the person's full name, as on the minutes (with titles)"))
        ("nip", into(record.nip), tr("their NIP (18 digits), or - for someone who is not a civil servant"))
        ("position", into(record.position), tr("their position (jabatan)"));
}

// The record's fields as JSON (null where not recorded).
nlohmann::json record_json(const PersonRecord& r) {
    auto field = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    return {{"full_name", field(r.full_name)}, {"nip", field(r.nip)}, {"position", field(r.position)}};
}

class UserAddCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for user add NAME"));
        o.add_options()
            ("name", po::value<std::string>(&name_)->required(), tr("the new user's name"))
            ("role", po::value<std::string>(&role_)->required(), tr("admin, custodian or auditor"))
            ("unit", po::value<std::vector<std::string>>(&units_), tr("a sub-district the custodian keeps (repeatable)"))
            ("kdf", po::value<std::string>(&kdf_)->default_value("interactive"), tr("key derivation for the enrollment code's slot"));
        add_record_options(o, record_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override {
        // Checked before anyone is asked for a passphrase.
        BRANKAS_TRY(normalized_person_record(record_));
        auto role = policy::parse_role(role_);
        if (!role || *role == policy::Role::enforcer || *role == policy::Role::recovery)
            return fail(ErrorCode::usage, fill(tr("unknown role '%s'"), {i18n::echo(role_)}), tr("use admin, custodian or auditor"));
        parsed_role_ = *role;
        return {};
    }

    Status prepare(Context& ctx) override {
        profile_ = BRANKAS_TRY(chosen_kdf(kdf_, ctx.options.allow_test_kdf));
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        EnrollmentCode code = BRANKAS_TRY(add_user(vault, name_, parsed_role_, units_, kdf_limits(profile_), record_));
        if (ctx.options.json) {
            ctx.out << "{\"user\": ";
            write_json_string(ctx.out, name_);
            ctx.out << ", \"role\": \"" << role_ << "\", \"expires\": \"" << iso_utc(code.expires_us) << "\", \"enrollment_code\": ";
            write_json_secret(ctx.out, code.code);
            ctx.out << "}\n";
            return {};
        }
        if (!units_.empty()) ctx.out << fill(tr("Added %1$s as %2$s of %3$s."), {name_, role_, joined(units_)});
        else ctx.out << fill(tr("Added %1$s as %2$s."), {name_, role_});
        ctx.out << " " << fill(tr("One-time enrollment code (shown once, valid until %s):"), {format_zoned(code.expires_us, code.time_zone)}) << "\n\n    ";
        write_secret(ctx.out, code.code);
        ctx.out << "\n\n" << fill(tr("Give it to %s in person. They save it to a file and run:"), {name_}) << "\n"
                << "    brankas --user " << name_ << " user enroll --code-file FILE\n";
        return {};
    }

private:
    std::string name_, role_, kdf_;
    std::vector<std::string> units_;
    PersonRecord record_;
    policy::Role parsed_role_ = policy::Role::auditor;
    KdfProfile profile_ = KdfProfile::interactive;
};

class UserEditCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for user edit NAME"));
        o.add_options()("name", po::value<std::string>(&name_)->required(), tr("the person"));
        add_record_options(o, record_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override {
        if (record_.empty()) return fail(ErrorCode::usage, tr("nothing to change"), tr("give --full-name, --nip or --position"));
        BRANKAS_TRY(normalized_person_record(record_));
        return {};
    }
    Status run_in_vault(Context& ctx, Session& vault) override {
        PersonRecord now = BRANKAS_TRY(edit_user(vault, name_, record_));
        if (ctx.options.json) {
            nlohmann::json j = record_json(now);
            j["user"] = name_;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        ctx.out << fill(tr("Updated %s:"), {name_}) << "\n";
        print_record(ctx.out, now);
        return {};
    }

    static void print_record(std::ostream& out, const PersonRecord& r) {
        auto shown = [](const std::optional<std::string>& v) { return v ? for_terminal(*v) : std::string(tr("(not recorded)")); };
        // TRANSLATORS: the labels of a person's record ("full name: ", "NIP:       ", "position:  ") line up: give them one width.
        out << "  " << tr("full name: ") << shown(r.full_name) << "\n"
            << "  " << tr("NIP:       ") << (r.nip ? nip_as_written(*r.nip) : std::string(tr("(not recorded)"))) << "\n"
            << "  " << tr("position:  ") << shown(r.position) << "\n";
    }

private:
    std::string name_;
    PersonRecord record_;
};

class UserShowCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for user show NAME"));
        o.add_options()("name", po::value<std::string>(&name_)->required(), tr("the person"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }
    Status run_in_vault(Context& ctx, Session& vault) override {
        UserInfo u = BRANKAS_TRY(show_user(vault, name_));
        if (ctx.options.json) {
            nlohmann::json j{{"name", u.name}, {"role", u.role}, {"status", u.status}, {"units", u.units}, {"unlocks_with", unlocks_with(u.slot)}};
            j.update(record_json(u.record));
            ctx.out << json_text(j) << '\n';
            return {};
        }
        // The role and the status as words of the reader's language; --json keeps their names.
        ctx.out << fill(tr("%1$s: %2$s, %3$s"), {for_terminal(u.name), tr(u.role.c_str()), tr(u.status.c_str())}) << "\n";
        if (!u.units.empty()) ctx.out << "  " << fill(tr("sub-districts: %s"), {joined(u.units)}) << "\n";
        UserEditCommand::print_record(ctx.out, u.record);
        return {};
    }

private:
    std::string name_;
};

class UserEnrollCommand final : public VaultCommand {
public:
    // The enrollment code opens; --passphrase-file, if given, holds the new passphrase.
    UserEnrollCommand() : VaultCommand(Door::own) {}
    po::options_description options() override {
        po::options_description o(tr("Options for user enroll"));
        o.add_options()
            ("code-file", po::value<std::string>(&code_file_)->required(), tr("file holding the enrollment code"))
            ("kdf", po::value<std::string>(&kdf_)->default_value("moderate"), tr("key derivation cost of your new slot"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status prepare(Context& ctx) override {
        BRANKAS_TRY(refuse_key_file(ctx, "user enroll"));
        profile_ = BRANKAS_TRY(chosen_kdf(kdf_, ctx.options.allow_test_kdf));
        return {};
    }

    // The door is the enrollment code: it opens the slot once, and the new passphrase replaces it.
    Result<Session> unlock(Context& ctx) override {
        auto dir = BRANKAS_TRY(ctx.existing_vault_dir());
        auto user = BRANKAS_TRY(ctx.user_name());
        SecretBytes code = BRANKAS_TRY(read_first_line(code_file_, LineSecret::enrollment_code));
        return Vault::enroll(dir, user, code.text(), [&]() { return ctx.passphrases.new_passphrase(user); }, kdf_limits(profile_),
                             ctx.clock);
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        const std::string& user = vault.user();
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"user", user}, {"role", policy::role_name(vault.role())}, {"enrolled", true}}) << '\n';
            return {};
        }
        ctx.out << fill(tr("Enrolled %1$s (%2$s); your passphrase now opens the vault and the enrollment code is void."),
                        {user, tr(policy::role_name(vault.role()).data())})
                << "\n";
        return {};
    }

private:
    std::string code_file_, kdf_;
    KdfProfile profile_ = KdfProfile::moderate;
};

class UserListCommand final : public VaultCommand {
public:
    po::options_description options() override { return po::options_description(tr("Options for user list")); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        if (ctx.options.json) {
            JsonArrayStream array(ctx.out);
            BRANKAS_TRY(for_each_user(vault, [&](const UserInfo& u) -> Status {
                nlohmann::json entry{{"name", u.name}, {"role", u.role}, {"status", u.status}, {"units", u.units},
                                     {"unlocks_with", unlocks_with(u.slot)}};
                if (u.slot && u.slot->expires_us != 0) entry["expires"] = iso_utc(u.slot->expires_us);
                entry.update(record_json(u.record));
                array.element(entry);
                return {};
            }));
            array.finish();
            return {};
        }
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        BRANKAS_TRY(print_table_in_two_passes(ctx.out, {tr("NAME"), tr("ROLE"), tr("STATUS"), tr("UNITS"), tr("UNLOCKS WITH")},
                                              [&](const RowSink& sink) {
                                                  return for_each_user(vault, [&](const UserInfo& u) -> Status {
                                                      std::string unlock = u.slot ? tr(slot_kind_name(u.slot->kind).data()) : "-";
                                                      if (u.slot && u.slot->expires_us != 0)
                                                          unlock = fill(tr("%1$s (until %2$s)"), {unlock, format_zoned(u.slot->expires_us, zone)});
                                                      sink({u.name, u.role, u.status, joined(u.units), unlock});
                                                      return {};
                                                  });
                                              }));
        return {};
    }
};

enum class GrantChange { grant, revoke };

class UserGrantCommand final : public VaultCommand {
public:
    explicit UserGrantCommand(GrantChange change) : change_(change) {}
    po::options_description options() override {
        po::options_description o(change_ == GrantChange::grant ? tr("Options for user grant NAME") : tr("Options for user revoke NAME"));
        o.add_options()
            ("name", po::value<std::string>(&name_)->required(), tr("the custodian"))
            ("unit", po::value<std::string>(&unit_)->required(), tr("the sub-district's code"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        if (change_ == GrantChange::grant) {
            BRANKAS_TRY(grant(vault, name_, unit_));
            if (ctx.options.json) ctx.out << json_text(nlohmann::json{{"user", name_}, {"unit", unit_}, {"granted", true}}) << '\n';
            else ctx.out << fill(tr("Granted sub-district %1$s to %2$s; its key is sealed to them."), {unit_, name_}) << "\n";
            return {};
        }
        BRANKAS_TRY(revoke(vault, name_, unit_));
        auto accounts = BRANKAS_TRY(list_accounts(vault, {unit_, std::nullopt}));
        std::size_t due = 0;
        for (const auto& a : accounts) due += a.rotation_due ? 1 : 0;
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"user", name_}, {"unit", unit_}, {"revoked", true}, {"rotation_due", due}}) << '\n';
            return {};
        }
        ctx.out << fill(tr("Revoked sub-district %1$s from %2$s. The sub-district has a new key and its passwords were sealed again."),
                        {unit_, name_})
                << "\n"
                << fill(trn("%1$s account is due for a password change on the platform (what %2$s saw must stop working):",
                            "%1$s accounts are due for a password change on the platform (what %2$s saw must stop working):",
                            static_cast<unsigned long>(due)),
                        {std::to_string(due), name_})
                << "\n";
        for (const auto& a : accounts)
            if (a.rotation_due) ctx.out << "    " << for_terminal(a.ref()) << "\n";
        return {};
    }

private:
    GrantChange change_;
    std::string name_, unit_;
};

class UserDisableCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for user disable NAME"));
        o.add_options()
            ("name", po::value<std::string>(&name_)->required(), tr("the user to disable"))
            ("rekey", po::bool_switch(&rekey_), tr("also re-encrypt the store under a fresh key, so a copy of the old key (or of "
                                                "the old keyring) opens nothing written from now on"))
            ("reason", po::value<std::string>(&ask_.reason), tr("why (kept in the audit log; needed when the policy puts rekey under dual control)"))
            ("request", po::value<std::int64_t>(&request_), tr("under dual control: the approved request for this very person and --rekey to use"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map& vm) override {
        ask_.rekey = rekey_ ? StoreRekey::yes : StoreRekey::no;
        if (vm.count("request")) {
            if (request_ < 1) return fail(ErrorCode::usage, tr("a request's number is 1 or more"));
            if (!rekey_) return fail(ErrorCode::usage, tr("--request goes with --rekey: only the re-key is under dual control"));
            ask_.request = request_;
        }
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        auto before = BRANKAS_TRY(list_accounts(vault, {}));
        const std::uint32_t generation_before = vault.store_generation();
        const policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        DisableReceipt receipt = BRANKAS_TRY(disable_user(vault, name_, ask_));
        if (receipt.awaiting)
            return report_awaiting(ctx, *receipt.awaiting, zone, {{"user", name_}, {"disabled", false}},
                                   "brankas user disable " + name_ + " --rekey --request " + std::to_string(receipt.awaiting->request),
                                   fill(tr("disabling %1$s with a new store key needs a second person's approval: request %2$s is recorded"),
                                        {name_, std::to_string(receipt.awaiting->request)}));
        const std::vector<std::string>& also = receipt.also_disabled;
        // From here on the disable has committed: the command succeeded, whatever follows.
        const bool rekey_unfinished = rekey_ && vault.store_generation() == generation_before;
        if (rekey_unfinished)
            ctx.warn(tr("the store could not be encrypted under its new key yet (is the disk full?); the next brankas "
                        "command that opens the vault finishes that"));
        std::vector<std::string> newly_due;
        if (auto after = list_accounts(vault, {})) {
            for (const auto& a : *after) {
                bool was_due = std::any_of(before.begin(), before.end(), [&](const AccountInfo& b) { return b.id == a.id && b.rotation_due; });
                if (a.rotation_due && !was_due) newly_due.push_back(a.ref());
            }
        } else {
            ctx.warn(fill(tr("cannot list the accounts due for a password change now (%s); `brankas account list` shows them"),
                          {after.error().message}));
        }
        if (ctx.options.json) {
            nlohmann::json j{{"user", name_}, {"disabled", true}, {"also_disabled", also}, {"rotation_due", newly_due}};
            if (rekey_) {
                j["store_generation"] = vault.store_generation();
                j["rekey_finished"] = !rekey_unfinished;
            }
            if (receipt.request) j["request"] = *receipt.request;
            ctx.out << json_text(j) << '\n';
            return {};
        }
        ctx.out << fill(tr("Disabled %s: their slot is gone and their key signs nothing more."), {name_}) << "\n";
        if (receipt.request) ctx.out << fill(tr("Done by request %s, approved under dual control (recorded in the audit log)."), {std::to_string(*receipt.request)}) << "\n";
        if (!also.empty())
            ctx.out << fill(tr("Also disabled, because their enrollment code or key file passed through %1$s's hands: %2$s. Add them "
                               "again (`user add`, `enforcer add`)."),
                            {name_, for_terminal(joined(also))})
                    << "\n";
        if (rekey_ && !rekey_unfinished)
            ctx.out << fill(tr("The store is now encrypted under a new key (generation %s); every remaining slot reaches it."),
                            {std::to_string(vault.store_generation())})
                    << "\n";
        if (newly_due.empty()) return {};
        ctx.out << fill(trn("%1$s account is due for a password change on the platform (what %2$s could open must stop working):",
                            "%1$s accounts are due for a password change on the platform (what %2$s could open must stop working):",
                            static_cast<unsigned long>(newly_due.size())),
                        {std::to_string(newly_due.size()), name_})
                << "\n";
        for (const auto& ref : newly_due) ctx.out << "    " << for_terminal(ref) << "\n";
        return {};
    }

private:
    std::string name_;
    bool rekey_ = false;
    std::int64_t request_ = 0;
    DisableAsk ask_;
};

class UserPasswdCommand final : public VaultCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for user passwd (changes your own passphrase)"));
        o.add_options()
            ("new-passphrase-file", po::value<std::string>(&new_file_), tr("read the new passphrase from the first line of FILE; otherwise it is asked twice on the terminal"))
            ("kdf", po::value<std::string>(&kdf_)->default_value("moderate"), tr("key derivation cost of your slot"));
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status prepare(Context& ctx) override {
        profile_ = BRANKAS_TRY(chosen_kdf(kdf_, ctx.options.allow_test_kdf));
        if (new_file_.empty() && ctx.options.passphrase_file)
            return fail(ErrorCode::usage, tr("the current passphrase comes from a file; say where the new one is"),
                        tr("add --new-passphrase-file FILE"));
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        auto source = [&]() -> Result<SecretBytes> {
            if (!new_file_.empty()) return read_new_passphrase_file(new_file_);
            return ctx.passphrases.new_passphrase(vault.user());
        };
        BRANKAS_TRY(change_passphrase(vault, source, kdf_limits(profile_)));
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"user", vault.user()}, {"passphrase_changed", true}}) << '\n';
            return {};
        }
        ctx.out << fill(tr("Changed the passphrase of %s; the old one opens nothing now."), {vault.user()}) << "\n";
        return {};
    }

private:
    std::string new_file_, kdf_;
    KdfProfile profile_ = KdfProfile::moderate;
};

class EnforcerAddCommand final : public VaultCommand {
public:
    // --keyfile names the file to create: the person adding the enforcer unlocks with a passphrase.
    EnforcerAddCommand() : VaultCommand(Door::passphrase) {}
    po::options_description options() override {
        po::options_description o(tr("Options for enforcer add NAME --keyfile PATH (the global --keyfile names the key file to create)"));
        o.add_options()("name", po::value<std::string>(&name_)->required(), tr("the enforcer's user name"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"name"}); }
    Status setup(const po::variables_map&) override { return {}; }

    Status prepare(Context& ctx) override {
        if (!ctx.options.keyfile)
            return fail(ErrorCode::usage, tr("enforcer add needs --keyfile PATH: where to write the enforcer's new key file"));
        BRANKAS_TRY(ctx.refuse_inside_vault(*ctx.options.keyfile, "--keyfile"));
        // Checked again when the file is written (never over another file); said here before the
        // passphrase is asked for.
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(*ctx.options.keyfile, ec)))
            return fail(ErrorCode::conflict, fill(tr("%s already exists"), {ctx.options.keyfile->string()}),
                        tr("a key file is never written over another file: choose a new path"));
        return check_directory_of(*ctx.options.keyfile);
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        BRANKAS_TRY(add_enforcer(vault, name_, *ctx.options.keyfile));
        const std::string path = ctx.options.keyfile->string();
        if (ctx.options.json) {
            ctx.out << json_text(nlohmann::json{{"user", name_}, {"role", "enforcer"}, {"keyfile", path}}) << '\n';
            return {};
        }
        ctx.out << fill(tr("Added enforcer %1$s; its key file is %2$s (mode 0600). It holds no sub-district key: it can seal new "
                           "passwords, never read one."),
                        {name_, for_terminal(path)})
                << "\n" << tr("Keep the file readable by the job's account only, then run:") << "\n"
                << "    brankas --keyfile " << for_terminal(shell_word(path)) << " --user " << name_ << " status\n";
        return {};
    }

private:
    std::string name_;
};

} // namespace

std::unique_ptr<Command> make_user_disable_command() { return std::make_unique<UserDisableCommand>(); }
std::unique_ptr<Command> make_user_passwd_command() { return std::make_unique<UserPasswdCommand>(); }
std::unique_ptr<Command> make_user_edit_command() { return std::make_unique<UserEditCommand>(); }
std::unique_ptr<Command> make_user_show_command() { return std::make_unique<UserShowCommand>(); }
std::unique_ptr<Command> make_enforcer_add_command() { return std::make_unique<EnforcerAddCommand>(); }
std::unique_ptr<Command> make_user_add_command() { return std::make_unique<UserAddCommand>(); }
std::unique_ptr<Command> make_user_enroll_command() { return std::make_unique<UserEnrollCommand>(); }
std::unique_ptr<Command> make_user_list_command() { return std::make_unique<UserListCommand>(); }
std::unique_ptr<Command> make_user_grant_command() { return std::make_unique<UserGrantCommand>(GrantChange::grant); }
std::unique_ptr<Command> make_user_revoke_command() { return std::make_unique<UserGrantCommand>(GrantChange::revoke); }

} // namespace brankas::cli
