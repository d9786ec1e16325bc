// What a command under dual control says when it recorded a request instead of acting: the
// request's number and expiry, how another person approves it and how the requester then uses it,
// and the error (exit code 18) that says nothing was done.
#pragma once

#include "cli/context.hpp"
#include "policy/policy.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/error.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace brankas::cli {

// `json` is what --json prints, to which request, until and state are added; `use` the command
// that uses the request once approved; `refusal` the error's sentence.
[[nodiscard]] Status report_awaiting(Context& ctx, const AwaitingApproval& waiting, const policy::TimeZone& zone, nlohmann::json json,
                                     const std::string& use, const std::string& refusal);

} // namespace brankas::cli
