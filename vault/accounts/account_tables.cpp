#include "vault/accounts/account_tables.hpp"

#include "policy/document.hpp"
#include "vault/decisions.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Result<AccountFacts> account_of(Database& db, const Event& e) {
    auto id = parse_account_target(e.target);
    if (!id) return event_refused(e, "does not name an account");
    Statement s = BRANKAS_TRY(db.prepare("SELECT unit, status, version FROM accounts WHERE id = ?"));
    s.bind(1, *id);
    if (!BRANKAS_TRY(s.step())) return event_refused(e, "names an account that does not exist");
    return AccountFacts{*id, s.column_text(0), s.column_text(1), s.column_int(2)};
}

} // namespace brankas
