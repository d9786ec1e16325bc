#include "cli/commands/kdf_description.hpp"

#include "cli/output.hpp"

namespace brankas::cli {

std::string describe_kdf(const KdfLimits& limits) {
    std::string shape = "Argon2id, " + std::to_string(limits.opslimit) + (limits.opslimit == 1 ? " pass, " : " passes, ") +
                        mebibytes(limits.memlimit);
    auto profile = kdf_profile_of(limits);
    if (!profile) return "custom (" + shape + ")";
    if (*profile == KdfProfile::test) return "test (" + shape + ") INSECURE, for the test suite only";
    return std::string(kdf_profile_name(*profile)) + " (" + shape + ")";
}

} // namespace brankas::cli
