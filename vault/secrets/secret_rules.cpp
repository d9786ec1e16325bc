// The rules of writing and reading a secret version, for a person now and for the replay of the
// event.
#include "vault/accounts/account_tables.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/secrets/secrets.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

Status secret_may_be_set(Database& db, const AccountRow& account) {
    BRANKAS_TRY(account_may_change(account.status));
    if (BRANKAS_TRY(pending_version(db, account.id))) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("has a pending rotation"), {});
    return {};
}

Status check_set_reason(std::string_view reason) {
    if (reason.size() > max_reason || !is_printable_utf8(reason))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the reason must be at most %s bytes of printable text"), {std::to_string(max_reason)});
    return {};
}

Status check_password_text(std::string_view password) {
    if (!is_utf8(password)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the password is not UTF-8 text"), {}, i18n::tr_noop("write it as UTF-8"));
    return {};
}

Status check_read_reason(std::string_view reason) {
    // A reason that is there but too long is told so: "required" would read as if it were missing.
    if (reason.find_first_not_of(" \t") != std::string_view::npos) BRANKAS_TRY(check_reason_length(reason));
    if (reason.find_first_not_of(" \t") == std::string_view::npos || !is_printable_utf8(reason))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("a reason is required (at most %s bytes of printable text)"),
                            {std::to_string(max_reason)});
    return {};
}

Result<policy::Decision> decide_secret_read(Database& db, const Actor& actor, std::int64_t now_us, const AccountRow& account,
                                            std::string_view reason, BreakGlass glass) {
    policy::Request request;
    request.action = policy::Action::read_secret;
    request.reason = std::string(reason);
    request.break_glass = glass == BreakGlass::yes;
    policy::Facts facts;
    facts.holder = current_holder(BRANKAS_TRY(open_checkout(db, account.id)), now_us);
    return decide_as(db, actor, now_us, std::move(request), account.unit, std::move(facts));
}

std::optional<policy::Action> sealing_action(std::string_view action, policy::Role writer) {
    if (action == actions::secret_set) return policy::Action::write_secret;
    if (action == actions::secret_pending) return rotation_action(writer);
    if (action == actions::secret_confirm) return policy::Action::rotate;
    if (action == actions::secret_reseal) return policy::Action::manage_people;
    if (action == actions::unit_deactivate) return policy::Action::enforce; // its fresh passwords
    return std::nullopt;
}

Status check_current_key(Database& db, const Event& e, std::string_view unit, std::int64_t key_version) {
    if (key_version != BRANKAS_TRY(unit_key_version(db, e, unit))) return event_refused(e, i18n::tr_noop("is sealed to an old sub-district key"));
    return {};
}

} // namespace brankas
