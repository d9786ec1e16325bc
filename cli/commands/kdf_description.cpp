#include "cli/commands/kdf_description.hpp"

#include "cli/output.hpp"
#include "i18n/translate.hpp"

namespace brankas::cli {

using i18n::fill;
using i18n::tr;

std::string describe_kdf(const KdfLimits& limits) {
    // The profile's name is what --kdf takes, so it stays as it is in every language.
    const std::string shape = fill(i18n::trn("Argon2id, %1$s pass, %2$s", "Argon2id, %1$s passes, %2$s", static_cast<unsigned long>(limits.opslimit)),
                                   {std::to_string(limits.opslimit), mebibytes(limits.memlimit)});
    auto profile = kdf_profile_of(limits);
    if (!profile) return fill(tr("custom (%s)"), {shape});
    if (*profile == KdfProfile::test) return fill(tr("test (%s) INSECURE, for the test suite only"), {shape});
    return fill(tr("%1$s (%2$s)"), {kdf_profile_name(*profile), shape});
}

std::string_view slot_kind_name(SlotKind kind) {
    switch (kind) {
    case SlotKind::passphrase: return i18n::tr_noop("passphrase");
    case SlotKind::keyfile: return i18n::tr_noop("key file");
    case SlotKind::recovery: return i18n::tr_noop("recovery shares");
    case SlotKind::enrollment: return i18n::tr_noop("enrollment code");
    }
    return "unknown";
}

Result<KdfProfile> chosen_kdf(std::string_view name, bool allow_test) {
    auto profile = parse_kdf_profile(name);
    if (!profile) return fail(ErrorCode::usage, fill(tr("unknown --kdf '%s'"), {i18n::echo(name)}), tr("use interactive, moderate or sensitive"));
    if (*profile == KdfProfile::test && !allow_test)
        return fail(ErrorCode::usage, tr("the 'test' key derivation protects nothing and is only for the test suite"),
                    tr("use --kdf interactive, moderate or sensitive"));
    return *profile;
}

} // namespace brankas::cli
