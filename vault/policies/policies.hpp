// The policy document in the vault: stored by an event (policy.set), in force from that event
// on for commands and for the replay alike, and explained on request (`policy explain`).
#pragma once

#include "policy/engine.hpp"
#include "vault/accounts/accounts.hpp"
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
};

[[nodiscard]] Result<PolicyState> policy_state(Session& session);
// Stores a document (an event); ErrorCode::usage naming the first error's line when it does not parse.
[[nodiscard]] Status set_policy(Session& session, std::string_view document);
[[nodiscard]] Result<Explanation> explain(Session& session, const ExplainQuestion& question);

// ---- the rule a live `policy set` and its replay both apply ----

// A document of at most policy::max_document_size bytes that parses; ErrorCode::usage otherwise,
// naming the first error and its line.
[[nodiscard]] Status check_policy_document(std::string_view document);

} // namespace brankas
