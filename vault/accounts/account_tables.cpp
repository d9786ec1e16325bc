#include "vault/accounts/account_tables.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Result<AccountRow> account_of(Database& db, const Event& e) {
    const std::int64_t id = BRANKAS_TRY(account_of_target(e));
    Statement s = BRANKAS_TRY(db.prepare("SELECT unit, status, version FROM accounts WHERE id = ?"));
    s.bind(1, id);
    if (!BRANKAS_TRY(s.step())) return event_refused(e, i18n::tr_noop("names an account that does not exist"));
    auto status = policy::parse_account_status(s.column_text(1));
    if (!status) return event_refused(e, i18n::tr_noop("names an account with an unknown status"));
    return AccountRow{id, s.column_text(0), *status, s.column_int(2)};
}

} // namespace brankas
