#include "vault/audit/audit_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Event CheckpointTaken::encode() const {
    Event e;
    e.action = std::string(actions::audit_checkpoint);
    return e;
}

Result<CheckpointTaken> CheckpointTaken::decode(const Event& e) {
    EventFields f(e);
    BRANKAS_TRY(f.no_target());
    BRANKAS_TRY(f.finish());
    return CheckpointTaken{};
}

Event AccessDenied::encode() const {
    Event e;
    e.action = std::string(actions::access_denied);
    e.target = target;
    e.details.text("action", action).text("reason", reason);
    return e;
}

Result<AccessDenied> AccessDenied::decode(const Event& e) {
    EventFields f(e);
    AccessDenied d;
    d.target = e.target;
    d.action = BRANKAS_TRY(f.text("action"));
    d.reason = BRANKAS_TRY(f.text("reason"));
    BRANKAS_TRY(f.finish());
    return d;
}

} // namespace brankas
