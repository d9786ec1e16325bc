#include "vault/policies/policy_events.hpp"

#include "policy/document.hpp"
#include "vault/log/actions.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

constexpr std::string_view policy_target = "policy";
constexpr std::string_view document_prefix = "policy/";

} // namespace

std::string policy_document_target(std::string_view document) {
    return std::string(document_prefix) + to_hex(blake2b_256(as_bytes(document)));
}

bool is_policy_document_target(std::string_view target) {
    if (!target.starts_with(document_prefix)) return false;
    std::string_view hex = target.substr(document_prefix.size());
    Hash h{};
    // from_hex accepts either case; the target is written in lower case only, one spelling.
    return hex.find_first_of("ABCDEF") == std::string_view::npos && from_hex(hex, h);
}

Event PolicySet::encode() const {
    Event e;
    e.action = std::string(actions::policy_set);
    e.target = std::string(policy_target);
    e.details.bytes("document", Bytes(document.begin(), document.end()));
    if (reason) e.details.text("reason", *reason);
    if (request) e.details.integer("request", *request);
    return e;
}

Result<PolicySet> PolicySet::decode(const Event& e) {
    EventFields f(e);
    if (e.target != policy_target) return f.refuse(i18n::tr_noop("does not name the policy"));
    Bytes bytes = BRANKAS_TRY(f.bytes("document"));
    // Bounded before it is read as a document.
    if (bytes.size() > policy::max_document_size) return f.refuse(i18n::tr_noop("carries a policy document larger than any"));
    PolicySet set{std::string(bytes.begin(), bytes.end())};
    set.reason = BRANKAS_TRY(f.optional_text("reason"));
    set.request = BRANKAS_TRY(f.optional_integer("request"));
    if (set.request && *set.request <= 0) return f.refuse(i18n::tr_noop("names a request that cannot exist"));
    BRANKAS_TRY(f.finish());
    return set;
}

} // namespace brankas
