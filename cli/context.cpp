#include "cli/context.hpp"

#include "vault/file_io.hpp"

#include <ostream>

namespace brankas::cli {

Result<std::filesystem::path> Context::vault_dir() const {
    if (options.vault) return *options.vault;
    return fail(ErrorCode::usage, tr("no vault given"), tr("use --vault DIR or set BRANKAS_VAULT"));
}

Result<std::filesystem::path> Context::existing_vault_dir() const {
    std::filesystem::path dir = BRANKAS_TRY(vault_dir());
    if (auto warning = BRANKAS_TRY(check_vault_directory(dir))) warn(warning->in(tr));
    return dir;
}

Result<std::string> Context::user_name() const {
    if (options.user) return *options.user;
    return fail(ErrorCode::usage, tr("no user given"), tr("use --user NAME or set BRANKAS_USER"));
}

void Context::warn(std::string_view message) const { err << fill(tr("brankas: warning: %s"), {message}) << '\n'; }

boost::program_options::positional_options_description positional_words(std::initializer_list<const char*> names) {
    boost::program_options::positional_options_description p;
    for (const char* name : names) p.add(name, 1);
    return p;
}

} // namespace brankas::cli
