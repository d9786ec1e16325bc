#include "cli/context.hpp"

#include "vault/file_io.hpp"

#include <algorithm>
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

Status Context::refuse_inside_vault(const std::filesystem::path& target, std::string_view what) const {
    std::error_code ec;
    const std::filesystem::path vault = std::filesystem::weakly_canonical(BRANKAS_TRY(vault_dir()), ec);
    if (ec) return {}; // no vault there: opening it says so
    const std::filesystem::path resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(target, ec), ec);
    if (ec) return {}; // the write itself names what is wrong with the path
    // resolved lies in the vault's directory when that directory is a prefix of it, element by element.
    auto [in_vault, in_target] = std::mismatch(vault.begin(), vault.end(), resolved.begin(), resolved.end());
    if (in_vault != vault.end()) return {};
    return fail(ErrorCode::usage, fill(tr("%1$s %2$s is inside the vault's directory %3$s"), {std::string(what), target.string(), vault.string()}),
                tr("write it outside the vault: there it could replace the vault's own files, and it goes wherever a copy of the vault goes"));
}

void Context::warn(std::string_view message) const { err << fill(tr("brankas: warning: %s"), {message}) << '\n'; }

boost::program_options::positional_options_description positional_words(std::initializer_list<const char*> names) {
    boost::program_options::positional_options_description p;
    for (const char* name : names) p.add(name, 1);
    return p;
}

} // namespace brankas::cli
