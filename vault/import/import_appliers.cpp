// The applier of the import domain.
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/import/import_events.hpp"
#include "vault/log/actions.hpp"

namespace brankas {

namespace {

// An import changes no table itself: it records how many accounts came from which file (by
// the hash of its bytes); the account.add and secret.set events after it do the work.
Status apply_import(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    BRANKAS_TRY(ImportRecorded::decode(e));
    return {};
}

} // namespace

std::span<const ActionApplier> import_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::import_accounts, apply_import},
    };
    return appliers;
}

} // namespace brankas
