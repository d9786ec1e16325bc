// The enforcement domain's events (docs/formats.md "Actions"): a unit taken out of use at the end
// of its terms and brought back by a new one, and the steps of the deactivation checklist.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

// A fresh password the enforcer sealed for an account it deactivates, carried by the unit's
// event as the field `fresh.<account>` = u64 version ‖ u64 key_version ‖ sealed
// (docs/formats.md "unit.deactivate"): the pending version a `secret.pending` would add.
struct FreshPassword {
    std::int64_t account = 0;
    std::int64_t version = 0;
    std::int64_t key_version = 0;
    Bytes sealed;
    friend bool operator==(const FreshPassword&, const FreshPassword&) = default;
};
// "fresh.<account>"
[[nodiscard]] std::string fresh_field(std::int64_t account);
inline constexpr std::size_t fresh_value_header = 16;
// A body holds 256 fields; the event's others are at most four (accounts, custodians,
// key_version, term).
inline constexpr std::size_t max_fresh_passwords = 252;
// Whether one more fresh password of `sealed_size` bytes fits in a unit's event that carries
// `carried` of them taking `carried_bytes` (their fields' bytes, as fresh_field_bytes counts
// them): at most max_fresh_passwords, and their fields within half a body (1 MiB), the rest of
// the event (its custodians, its term) having the other half.
[[nodiscard]] std::size_t fresh_field_bytes(std::int64_t account, std::size_t sealed_size);
[[nodiscard]] bool fresh_password_fits(std::size_t carried, std::size_t carried_bytes, std::size_t field_bytes);
// The pending version's reason, which the event does not repeat: "end of term '<term>'".
[[nodiscard]] std::string fresh_password_reason(std::string_view term);

// unit.deactivate: the unit's active accounts deactivated, its custodians' grants ended and,
// with key_version, the unit moved to its standby key; then each fresh password pending.
struct UnitDeactivated {
    std::string unit;
    std::string term;       // the term that ended last
    std::int64_t accounts = 0; // the unit's active accounts
    std::string custodians;    // the names holding a live grant, sorted, joined by ", "
    std::optional<std::int64_t> key_version;
    std::vector<FreshPassword> fresh; // ascending account; at most max_fresh_passwords
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
