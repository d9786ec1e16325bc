// The applier of the backup domain.
#include "vault/backup/backup_events.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"

namespace brankas {

namespace {

// A backup changes no table: the event records who took it, and is the copy's last event.
Status apply_backup_create(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::create_backup));
    BRANKAS_TRY(BackupCreated::decode(e));
    return {};
}

} // namespace

std::span<const ActionApplier> backup_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::backup_create, apply_backup_create},
    };
    return appliers;
}

} // namespace brankas
