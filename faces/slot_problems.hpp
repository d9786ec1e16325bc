// What is said of a keyring slot that is not the one the log recorded, or is missing: the
// command line's `brankas status` and the browser face's log (at its first sign-in) say the
// same sentence.
#pragma once

#include "i18n/translate.hpp"
#include "vault/people/principals.hpp"
#include "vault/slot_integrity.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace brankas::faces {

// The line for a slot that is damaged or missing (nothing for one that is intact, or that the
// log holds no hash of). `who` is the slot's principal as the face shows a name (escaped for a
// terminal or for a log); `translate(const char* msgid)` is the face's own (the CLI's i18n::tr,
// or the English msgid itself for a log).
template <typename Translate>
[[nodiscard]] std::optional<std::string> slot_problem(const SlotCheck& c, std::string_view who, Translate&& translate) {
    using i18n::fill;
    using i18n::tr_noop;
    auto said = [&](const char* id) { return std::string_view(translate(id)); };
    const bool recovery = c.principal == recovery_principal;
    const std::string seq = std::to_string(c.recorded_seq);
    if (c.state == SlotState::damaged) {
        if (recovery)
            return c.recorded_seq != 0
                       ? fill(said(tr_noop("DAMAGED SLOT the recovery slot is not the one event %s wrote: the shares cannot open it "
                                         "(run `brankas recovery split` again while the vault opens)")),
                              {seq})
                       : std::string(said(tr_noop("DAMAGED SLOT the recovery slot is not the one the log wrote: the shares cannot open it "
                                                "(run `brankas recovery split` again while the vault opens)")));
        return c.recorded_seq != 0
                   ? fill(said(tr_noop("DAMAGED SLOT the slot of %1$s is not the one event %2$s wrote: it cannot be unlocked "
                                     "(restore the keyring from a backup, or disable the user and add them again)")),
                          {who, seq})
                   : fill(said(tr_noop("DAMAGED SLOT the slot of %s is not the one the log wrote: it cannot be unlocked "
                                     "(restore the keyring from a backup, or disable the user and add them again)")),
                          {who});
    }
    if (c.state == SlotState::missing)
        return recovery ? fill(said(tr_noop("MISSING SLOT the recovery slot is not in the keyring: nobody can unlock as %s")), {who})
                        : fill(said(tr_noop("MISSING SLOT the slot of %1$s is not in the keyring: nobody can unlock as %1$s")), {who});
    return std::nullopt;
}

} // namespace brankas::faces
