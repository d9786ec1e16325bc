// The appliers of import: what each of its events changes in the tables, after checking that it
// fits the state it is applied to. The same code runs for a live write and for the replay.
#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/secrets/secret_tables.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/people/people_tables.hpp"

#include <algorithm>

namespace brankas {

namespace {

// An import changes no table itself: it records how many accounts came from which file (by
// the hash of its bytes); the account.add and secret.set events after it do the work.
Status apply_import(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    for (const auto& [key, value] : e.details.fields())
        if (key != "format" && key != "file_hash" && key != "file_bytes" && key != "accounts" && key != "units")
            return event_refused(e, "has an unexpected field '" + key + "'");
    std::string format = BRANKAS_TRY(required_text(e, "format"));
    if (format != "csv" && format != "keepassxc") return event_refused(e, "names an unknown file format");
    if (!e.details.get_array<hash_size>("file_hash")) return event_refused(e, "lacks a 32-byte 'file_hash'");
    if (BRANKAS_TRY(required_integer(e, "file_bytes")) < 0 || BRANKAS_TRY(required_integer(e, "accounts")) < 1 ||
        BRANKAS_TRY(required_integer(e, "units")) < 0)
        return event_refused(e, "has a count out of range");
    return {};
}

constexpr ActionApplier appliers[] = {
    {actions::import_accounts, apply_import},
};

} // namespace

std::span<const ActionApplier> import_appliers() { return appliers; }

} // namespace brankas
