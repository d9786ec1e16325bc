// The appliers of the accounts domain: each decodes its typed event, checks it with the same
// rules a live `account add/edit/archive` checks, and changes the accounts table.
#include "vault/accounts/account_events.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/decisions.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

namespace {

// The same field rules as a person's `account add` or `edit`, and the same uniqueness.
Status check_fields(Database& db, const Event& e, const AccountFields& f, std::int64_t id) {
    if (auto checked = check_account_fields(f); !checked) return event_refused(e, i18n::tr_noop("has a malformed account field: %s"), checked.error());
    if (auto other = BRANKAS_TRY(account_with_handle(db, f.platform, f.handle, id)))
        return event_refused(e, i18n::tr_noop("gives %1$s/%2$s to a second account"), {f.platform, f.handle});
    return {};
}

Status apply_account_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountAdded added = BRANKAS_TRY(AccountAdded::decode(e));
    if (added.account != BRANKAS_TRY(next_account_number(db))) return event_refused(e, i18n::tr_noop("does not add the next account number"));
    if (!BRANKAS_TRY(unit_exists(db, added.unit))) return event_refused(e, i18n::tr_noop("names sub-district %s, which does not exist"), {added.unit});
    AccountFields f{added.platform, added.handle, added.email, added.phone, added.url};
    BRANKAS_TRY(check_fields(db, e, f, added.account));
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO accounts (id, unit, platform, handle, email, phone, url, status, rotation_due, version, created_seq, "
        "updated_seq, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 0, 0, ?, ?, ?)"));
    return s.bind(1, added.account).bind(2, added.unit).bind(3, f.platform).bind(4, f.handle).bind(5, f.email).bind(6, f.phone)
        .bind(7, f.url).bind(8, seq_of(e)).bind(9, seq_of(e)).bind(10, e.actor).run();
}

Status apply_account_edit(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountEdited edit = BRANKAS_TRY(AccountEdited::decode(e));
    AccountRow row = BRANKAS_TRY(account_of(db, e));
    if (auto blocked = account_may_change(row.status); !blocked) return event_refused(e, blocked.error());
    AccountInfo current = BRANKAS_TRY(account_by_id(db, row.id));
    AccountFields f{edit.platform.value_or(current.platform), edit.handle.value_or(current.handle), edit.email.value_or(current.email),
                    edit.phone.value_or(current.phone), edit.url.value_or(current.url)};
    BRANKAS_TRY(check_fields(db, e, f, row.id));
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET platform = ?, handle = ?, email = ?, phone = ?, url = ?, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, f.platform).bind(2, f.handle).bind(3, f.email).bind(4, f.phone).bind(5, f.url).bind(6, seq_of(e))
        .bind(7, e.actor).bind(8, row.id).run();
}

Status apply_account_archive(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountArchived archived = BRANKAS_TRY(AccountArchived::decode(e));
    AccountRow row = BRANKAS_TRY(account_of(db, e));
    if (auto blocked = account_may_archive(db, row); !blocked) return event_refused(e, blocked.error());
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET status = 'archived', updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, seq_of(e)).bind(2, e.actor).bind(3, archived.account).run();
}

} // namespace

std::span<const ActionApplier> account_appliers() {
    static constexpr ActionApplier appliers[] = {
        {actions::account_add, apply_account_add},
        {actions::account_edit, apply_account_edit},
        {actions::account_archive, apply_account_archive},
    };
    return appliers;
}

} // namespace brankas
