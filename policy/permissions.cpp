#include "policy/permissions.hpp"

namespace brankas::policy {

std::string_view action_description(Action action) noexcept {
    switch (action) {
    case Action::read_metadata: return "read the vault's metadata";
    case Action::manage_units: return "manage sub-districts";
    case Action::manage_accounts: return "manage accounts";
    case Action::manage_people: return "manage users";
    case Action::write_secret: return "set passwords";
    case Action::read_secret: return "read passwords";
    case Action::read_history: return "read password history";
    case Action::take_checkpoint: return "take checkpoints";
    }
    return "do that";
}

namespace {

Decision allow() { return {Verdict::allow, {}}; }

Decision deny(const Request& r, std::string_view why = {}) {
    std::string_view name = role_name(r.role);
    bool vowel = !name.empty() && std::string_view("aeiou").find(name.front()) != std::string_view::npos;
    std::string reason = (vowel ? "an " : "a ") + std::string(name) + " may not " + std::string(action_description(r.action));
    if (!why.empty()) reason += " " + std::string(why);
    return {Verdict::deny, std::move(reason)};
}

bool everyone_reads(Action a) { return a == Action::read_metadata || a == Action::take_checkpoint; }

} // namespace

Decision decide(const Request& r) {
    switch (r.role) {
    case Role::admin:
        return allow();
    case Role::custodian:
        if (everyone_reads(r.action)) return allow();
        if (r.action == Action::read_secret || r.action == Action::write_secret || r.action == Action::read_history) {
            if (r.scope == UnitScope::granted) return allow();
            return deny(r, "of a sub-district they are not granted");
        }
        return deny(r);
    case Role::auditor:
        if (everyone_reads(r.action) || r.action == Action::read_history) return allow();
        return deny(r);
    case Role::enforcer:
        if (r.action == Action::read_metadata || r.action == Action::write_secret) return allow();
        return deny(r);
    case Role::recovery:
        return deny(r);
    }
    return deny(r);
}

} // namespace brankas::policy
