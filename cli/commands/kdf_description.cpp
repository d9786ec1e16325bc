#include "cli/commands/kdf_description.hpp"

#include "cli/output.hpp"
#include "i18n/translate.hpp"

namespace brankas::cli {

using i18n::fill;
using i18n::tr;

std::string describe_kdf(const KdfLimits& limits) {
    std::string shape = "Argon2id, " + std::to_string(limits.opslimit) + (limits.opslimit == 1 ? " pass, " : " passes, ") +
                        mebibytes(limits.memlimit);
    auto profile = kdf_profile_of(limits);
    if (!profile) return "custom (" + shape + ")";
    if (*profile == KdfProfile::test) return "test (" + shape + ") INSECURE, for the test suite only";
    return std::string(kdf_profile_name(*profile)) + " (" + shape + ")";
}

Result<KdfProfile> chosen_kdf(std::string_view name, bool allow_test) {
    auto profile = parse_kdf_profile(name);
    if (!profile) return fail(ErrorCode::usage, fill(tr("unknown --kdf '%s'"), {name}), tr("use interactive, moderate or sensitive"));
    if (*profile == KdfProfile::test && !allow_test)
        return fail(ErrorCode::usage, tr("the 'test' key derivation protects nothing and is only for the test suite"),
                    tr("use --kdf interactive, moderate or sensitive"));
    return *profile;
}

} // namespace brankas::cli
