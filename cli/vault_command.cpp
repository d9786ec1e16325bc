#include "cli/vault_command.hpp"

#include "vault/file_io.hpp"
#include "vault/vault.hpp"

namespace brankas::cli {

namespace {

// Which door --keyfile and --passphrase-file together would open is anyone's guess: refused.
// (BRANKAS_PASSPHRASE_FILE is a default that --keyfile overrides; with `enforcer add`, --keyfile
// names the file to write and the passphrase opens; a command that opens by its own action
// reads neither to unlock, and says itself what it takes.)
Status one_door(const Context& ctx, Door door) {
    if (door == Door::chosen && ctx.options.keyfile && ctx.options.passphrase_file_given_by == GivenBy::command_line)
        return fail(ErrorCode::usage, tr("--keyfile and --passphrase-file exclude each other: unlock with a key file or with a passphrase"),
                    tr("leave out the one you did not mean"));
    return {};
}

} // namespace

Status refuse_key_file(const Context& ctx, std::string_view command) {
    if (!ctx.options.keyfile) return {};
    return fail(ErrorCode::usage,
                fill(tr("--keyfile has no part in %s, which sets a new passphrase (from --passphrase-file, or typed at the terminal)"),
                     {command}),
                tr("leave out --keyfile"));
}

Result<Session> unlock_vault(Context& ctx, Door door, const std::filesystem::path& dir) {
    BRANKAS_TRY(one_door(ctx, door));
    auto user = BRANKAS_TRY(ctx.user_name());
    if (door == Door::passphrase || !ctx.options.keyfile)
        return Vault::open(dir, user, [&]() { return ctx.passphrases.existing(user); }, ctx.clock);
    return Vault::open_with_key_file(dir, user, [&]() { return read_key_file(*ctx.options.keyfile); }, ctx.clock);
}

Status VaultCommand::run(Context& ctx) {
    BRANKAS_TRY(one_door(ctx, door_)); // before prepare() does any work
    BRANKAS_TRY(prepare(ctx));
    Session vault = BRANKAS_TRY(unlock(ctx));
    return run_in_vault(ctx, vault);
}

Result<Session> VaultCommand::unlock(Context& ctx) {
    // The directory is checked (and a warning given) before the user is looked for.
    auto dir = BRANKAS_TRY(ctx.existing_vault_dir());
    return unlock_vault(ctx, door_, dir);
}

boost::program_options::positional_options_description AccountCommand::positionals() { return positional_words({"ref"}); }

void AccountCommand::add_ref_option(boost::program_options::options_description& o) {
    o.add_options()("ref", boost::program_options::value<std::string>(&ref_)->required(), tr("platform/handle or the account's number"));
}

Status AccountCommand::run_in_vault(Context& ctx, Session& vault) {
    AccountInfo account = BRANKAS_TRY(look_up(vault, ref_));
    return run_on_account(ctx, vault, account);
}

Result<AccountInfo> AccountCommand::look_up(Session& vault, const std::string& ref) {
    return find_account(vault, ref);
}

} // namespace brankas::cli
