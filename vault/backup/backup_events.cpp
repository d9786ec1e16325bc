#include "vault/backup/backup_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Event BackupCreated::encode() const {
    Event e;
    e.action = std::string(actions::backup_create);
    return e;
}

Result<BackupCreated> BackupCreated::decode(const Event& e) {
    EventFields f(e);
    BRANKAS_TRY(f.no_target());
    BRANKAS_TRY(f.finish());
    return BackupCreated{};
}

} // namespace brankas
