// The base of the commands that work in an unlocked vault. It opens the vault once, through the
// door the command names, and hands the command a Session; AccountCommand on top of it resolves
// the command's account reference once. So a command's file reads: parse the options (setup),
// call the room's function with the session (and the account), print.
#pragma once

#include "cli/context.hpp"
#include "vault/accounts/accounts.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace brankas::cli {

// How a command unlocks the vault.
enum class Door {
    chosen,     // with --keyfile if one is given (the enforcer), else with the user's passphrase
    passphrase, // with the passphrase whatever --keyfile says (`enforcer add`, where --keyfile is the file to create)
    own,        // by the command's own action, neither a key file nor a passphrase (an enrollment code, a quorum's shares)
};

// Refuses --keyfile for `command`, which sets a new passphrase (init, user enroll): there is no
// door for a key file to open, and no key file to write.
[[nodiscard]] Status refuse_key_file(const Context& ctx, std::string_view command);

// Unlocks the vault in `dir` as the chosen user through `door`; the passphrase is asked only once
// the user's slot was found. For a command that opens a vault other than the one of --vault
// (the copy inside a backup); VaultCommand opens the vault of --vault with it.
[[nodiscard]] Result<Session> unlock_vault(Context& ctx, Door door, const std::filesystem::path& dir);

class VaultCommand : public Command {
public:
    // prepare(), then unlock() once, then run_in_vault() with the session.
    [[nodiscard]] Status run(Context& ctx) final;

protected:
    explicit VaultCommand(Door door = Door::chosen) : door_(door) {}

    // What must happen before anyone is asked for a passphrase: a check that would otherwise
    // cost one in vain (an output file that exists, a policy document that does not parse), a
    // file read and checked whole (an import). Nothing is unlocked if it fails.
    [[nodiscard]] virtual Status prepare(Context&) { return {}; }
    // Opens the vault of --vault through the command's door. A command whose door is its own
    // action (an enrollment code, a quorum's shares) overrides it.
    [[nodiscard]] virtual Result<Session> unlock(Context& ctx);
    // The command's work: call the room's functions with `vault`, print what they return.
    [[nodiscard]] virtual Status run_in_vault(Context& ctx, Session& vault) = 0;

private:
    Door door_;
};

// A command about one account, named by REF (platform/handle or the account's number), the
// first positional argument. The reference is resolved once, by find_account: a reference that
// names no account is the same error for every command.
class AccountCommand : public VaultCommand {
public:
    [[nodiscard]] boost::program_options::positional_options_description positionals() override;

protected:
    using VaultCommand::VaultCommand;

    // Adds the REF argument to the command's options, where its help should list it.
    void add_ref_option(boost::program_options::options_description& o);
    // Finds the account `ref` names; a command whose finding is itself a read the policy decides
    // (account show) overrides it. The same "no account" error either way.
    [[nodiscard]] virtual Result<AccountInfo> look_up(Session& vault, const std::string& ref);
    [[nodiscard]] virtual Status run_on_account(Context& ctx, Session& vault, const AccountInfo& account) = 0;

private:
    [[nodiscard]] Status run_in_vault(Context& ctx, Session& vault) final;

    std::string ref_;
};

} // namespace brankas::cli
