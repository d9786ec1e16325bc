// The enforcement domain's events (docs/formats.md "Actions"): a unit taken out of use at the end
// of its terms and brought back by a new one, and the steps of the deactivation checklist.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>

namespace brankas {

// unit.deactivate: the unit's active accounts deactivated, its custodians' grants ended and,
// with key_version, the unit moved to its standby key.
struct UnitDeactivated {
    std::string unit;
    std::string term;       // the term that ended last
    std::int64_t accounts = 0; // the unit's active accounts
    std::string custodians;    // the names holding a live grant, sorted, joined by ", "
    std::optional<std::int64_t> key_version;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitDeactivated> decode(const Event& event);
};

// unit.reactivate: the unit inside a term again, its deactivated accounts active again.
struct UnitReactivated {
    std::string unit;
    std::string term;
    std::int64_t accounts = 0;              // the unit's deactivated accounts
    std::int64_t unfinished_checklists = 0; // of those, with an open checklist with a step not done
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UnitReactivated> decode(const Event& event);
};

// checklist.tick: a step of the account's open deactivation checklist done.
struct ChecklistTicked {
    std::int64_t account = 0;
    std::string step, note;
    std::optional<std::int64_t> version; // the new password's tick: the version set on the platform
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<ChecklistTicked> decode(const Event& event);
};

} // namespace brankas
