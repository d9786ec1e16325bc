// The reasons the vault writes itself into its events ("account added", "imported, line 12",
// "created by siti"): in English, as an event's bytes are signed and read the same to every
// verifier in every language. They are written from the one table here, and a listing for a
// person recognises them here, exactly, to show the catalogue's translation; a reason a person
// typed is shown as typed.
#pragma once

#include "i18n/translate.hpp"
#include "policy/engine.hpp"
#include "vault/log/actions.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

enum class OwnReason {
    account_added,            // a password given with `account add` and no reason
    imported_line,            // a password imported from line N of a file
    imported_from_line,       // ... of the file named (its base name)
    created_by,               // an enforcer disabled with the person who created it
    handover_completed,       // a unit key rotated as a handover completes
    access_revoked,           // a unit key rotated as a person's access is revoked
    access_ended_disabled,    // ... as a person is disabled
    recovery_shares_replaced, // a unit key rotated as the recovery shares are replaced
    password_older_than,      // an account flagged by the enforcer for its password's age
    end_of_term,              // the fresh password the enforcer stores as a term ends
};

// The reason to store: its English with `values` put in, in order (a number, a name, a file's or
// a term's name, a duration as the policy writes it).
[[nodiscard]] std::string own_reason(OwnReason which, std::initializer_list<std::string_view> values = {});

// The catalogue's phrase of `stored` when it is one of the reasons above exactly (its values of
// the kind that reason takes), its values plain text; nullopt for any other text.
[[nodiscard]] std::optional<i18n::Phrase> own_reason_phrase(std::string_view stored);

// `stored` as a person reads it through `translate` (a face's tr): an own reason in the reader's
// language, anything else as it was written.
template <typename Translate>
[[nodiscard]] std::string reason_for_reader(std::string_view stored, Translate&& translate) {
    if (auto phrase = own_reason_phrase(stored)) return phrase->in(translate);
    return std::string(stored);
}

// An event's reason as a person reads it: a refusal's (access.denied) in the reader's language when
// it is one of the engine's sentences that policy::denial_phrase knows exactly, and otherwise as
// reason_for_reader says it. The event keeps the English it was signed with.
template <typename Translate>
[[nodiscard]] std::string event_reason_for_reader(std::string_view action, std::string_view stored, Translate&& translate) {
    if (action == actions::access_denied)
        if (auto phrase = policy::denial_phrase(stored)) return phrase->in(translate);
    return reason_for_reader(stored, translate);
}

} // namespace brankas
