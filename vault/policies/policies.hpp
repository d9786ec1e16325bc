// The policy document in the vault: stored by an event (policy.set), in force from that event
// on for commands and for the replay alike, and explained on request (`policy explain`).
#pragma once

#include "policy/engine.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/approvals/approval_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brankas {

class Session;

struct PolicyState {
    policy::Policy policy;                 // in force: the stored document's, or the defaults
    std::optional<std::string> document;   // the stored document, if one was set
    std::int64_t set_us = 0;
    std::string set_by;
};

// What `policy explain` shows: the question, the facts found and the decision.
struct Explanation {
    std::string user, role;
    policy::Action action = policy::Action::read_metadata;
    std::optional<AccountInfo> account;
    std::optional<std::int64_t> handover; // the handover a step is about (facts.handover holds its facts)
    std::string handover_unit;
    std::int64_t at_us = 0;
    policy::Facts facts;
    policy::Decision decision;
};

struct ExplainQuestion {
    std::string user;                  // whose decision
    policy::Action action = policy::Action::checkout;
    std::optional<std::int64_t> account;
    std::optional<std::int64_t> handover; // for a handover step: the handover, as it stands now
    std::int64_t at_us = 0;
    std::string reason;
    bool break_glass = false;
    std::optional<std::int64_t> duration_us;
    std::optional<std::int64_t> request; // dual control: the request a check-out names, or the one approved
    bool finish = false;                 // rotate: the confirmation or abort of the account's pending rotation
};

[[nodiscard]] Result<PolicyState> policy_state(Session& session);
// `policy set`: why, and under dual control the approved request to use (`--request ID`).
struct PolicySetAsk {
    std::string reason;                    // empty: none (with a request: the request's)
    std::optional<std::int64_t> request;
};
struct PolicySetReceipt {
    std::optional<std::int64_t> request;   // the approved request it used
    std::optional<AwaitingApproval> awaiting; // set instead when nothing was set: the request recorded
};
// Stores a document (an event); ErrorCode::usage naming the first error's line when it does not
// parse. Under dual control without a request it records a request for exactly this document
// and reason instead (PolicySetReceipt::awaiting).
[[nodiscard]] Result<PolicySetReceipt> set_policy(Session& session, std::string_view document, const PolicySetAsk& ask);
// The same without a reason or a request; a request recorded instead is ErrorCode::awaiting_approval.
[[nodiscard]] Status set_policy(Session& session, std::string_view document);
[[nodiscard]] Result<Explanation> explain(Session& session, const ExplainQuestion& question);

// A name a [[forbid]] rule gives that reaches nobody in the vault as it stands: a person or a
// sub-district it does not have (a typo, or someone not added yet), or a person the rule names
// under a role they do not have. The rule is valid and kept (it takes effect once the name
// fits); `policy set` says so, because a rule that silently forbids nobody looks like one that
// works.
struct ForbidNameUnmatched {
    int line = 0;                      // the rule's line in the document
    enum class Kind { no_user, no_unit, other_role } kind = Kind::no_user;
    std::string name;
    std::optional<policy::Role> role;  // other_role: the role the person has
};
[[nodiscard]] Result<std::vector<ForbidNameUnmatched>> unmatched_forbid_names(Session& session, const policy::Policy& policy);

// ---- the rule a live `policy set` and its replay both apply ----

// A document of at most policy::max_document_size bytes that parses; ErrorCode::usage otherwise,
// naming the first error and its line.
[[nodiscard]] Status check_policy_document(std::string_view document);
// The reason of a policy set, when there is one (and always under dual control): not blank,
// printable, at most max_reason bytes.
[[nodiscard]] Status check_policy_reason(std::string_view reason);
// The engine's decision on `actor` setting a policy at `now_us` under the policy in force,
// naming `approval` (the request it uses, as approval_facts() reads it) if any.
[[nodiscard]] Result<policy::Decision> decide_policy_set(Database& db, const Actor& actor, std::int64_t now_us,
                                                         std::optional<policy::ApprovalFacts> approval);

} // namespace brankas
