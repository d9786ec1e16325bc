// The approvals domain's events (docs/formats.md "Dual control"). A request describes exactly
// the action it asks leave for; a grant or a rejection names the request by its target.
#pragma once

#include "policy/policy.hpp"
#include "vault/log/event.hpp"

#include <string>

namespace brankas {

// approval.request: by whoever will act; its target is the action's (a break-glass check-out:
// `account/<id>`; a policy set: `policy/<hash of the document>`; a re-key: the person disabled;
// a recovery split: `recovery/<threshold>-of-<shares>`), its fields the rest of the
// action: what (`for`), why, and for a check-out how long.
struct ApprovalRequested {
    policy::DualAction action = policy::DualAction::break_glass;
    std::string target;
    std::string reason;
    std::int64_t duration_us = 0; // the check-out's length, resolved at the request; 0 for the other actions
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<ApprovalRequested> decode(const Event& event);
};

// approval.grant: a second person approves `approval/<id>`, with a reason.
struct ApprovalGranted {
    std::int64_t request = 0;
    std::string reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<ApprovalGranted> decode(const Event& event);
};

// approval.reject: a second person turns `approval/<id>` down, with a reason; it cannot be used.
struct ApprovalRejected {
    std::int64_t request = 0;
    std::string reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<ApprovalRejected> decode(const Event& event);
};

[[nodiscard]] std::string approval_target(std::int64_t request);

} // namespace brankas
