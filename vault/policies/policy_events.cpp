#include "vault/policies/policy_events.hpp"

#include "policy/document.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

constexpr std::string_view policy_target = "policy";

} // namespace

Event PolicySet::encode() const {
    Event e;
    e.action = std::string(actions::policy_set);
    e.target = std::string(policy_target);
    e.details.bytes("document", Bytes(document.begin(), document.end()));
    return e;
}

Result<PolicySet> PolicySet::decode(const Event& e) {
    EventFields f(e);
    if (e.target != policy_target) return f.refuse("does not name the policy");
    Bytes bytes = BRANKAS_TRY(f.bytes("document"));
    // Bounded before it is read as a document.
    if (bytes.size() > policy::max_document_size) return f.refuse("carries a policy document larger than any");
    BRANKAS_TRY(f.finish());
    return PolicySet{std::string(bytes.begin(), bytes.end())};
}

} // namespace brankas
