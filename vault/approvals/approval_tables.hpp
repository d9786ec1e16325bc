// What other domains read about a request under dual control, and how they use it up.
#pragma once

#include "policy/engine.hpp"
#include "vault/approvals/approval_events.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace brankas {

// An action under dual control that named no request: the request recorded instead, for a
// second person to approve (a break-glass check-out, a policy set).
struct AwaitingApproval {
    std::int64_t request = 0;
    std::int64_t expires_us = 0;
};

// One request as the approvals table holds it, with who granted it (in order).
struct ApprovalRow {
    std::int64_t id = 0; // the sequence number of its approval.request event
    ApprovalRequested asked;
    std::string requester;
    std::int64_t expires_us = 0;
    policy::ApprovalState state = policy::ApprovalState::pending;
    std::vector<std::string> granted_by;
};
[[nodiscard]] Result<std::optional<ApprovalRow>> find_approval(Database& db, std::int64_t id);

// What the engine is told about the request a dual-controlled action names: its standing, and
// whether the action (`acting`) is exactly what it asked for.
[[nodiscard]] policy::ApprovalFacts approval_facts(const ApprovalRow& row, const ApprovalRequested& acting);

// The request is rejected or used by event `e`: it can never be used (again).
[[nodiscard]] Status end_approval(Database& db, const Event& e, std::int64_t id, policy::ApprovalState state);

} // namespace brankas
