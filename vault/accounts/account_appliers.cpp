// The appliers of accounts: what each of its events changes in the tables, after checking that it
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

struct AccountFields {
    std::string platform, handle, email, phone, url;
};

bool valid_account_fields(const AccountFields& f) {
    return is_valid_platform(f.platform) && normalize_handle(f.handle) == f.handle && is_valid_email(f.email) &&
           is_valid_phone(f.phone) && is_valid_url(f.url);
}

Result<bool> handle_taken(Database& db, const AccountFields& f, std::int64_t except_id) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM accounts WHERE platform = ? AND handle = ? AND id != ?"));
    s.bind(1, f.platform).bind(2, f.handle).bind(3, except_id);
    BRANKAS_TRY(s.step());
    return s.column_int(0) > 0;
}

Status apply_account_add(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    auto id = parse_account_target(e.target);
    std::int64_t next = BRANKAS_TRY(db.query_int("SELECT ifnull(max(id), 0) + 1 FROM accounts"));
    if (!id || *id != next) return event_refused(e, "does not add the next account number");
    std::string unit = BRANKAS_TRY(required_text(e, "unit"));
    BRANKAS_TRY(unit_key_version(db, e, unit));
    AccountFields f{BRANKAS_TRY(required_text(e, "platform")), BRANKAS_TRY(required_text(e, "handle")),
                    e.details.get_text("email").value_or(""), e.details.get_text("phone").value_or(""),
                    e.details.get_text("url").value_or("")};
    if (!valid_account_fields(f)) return event_refused(e, "has a malformed account field");
    if (BRANKAS_TRY(handle_taken(db, f, *id))) return event_refused(e, "adds " + f.platform + "/" + f.handle + " a second time");
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO accounts (id, unit, platform, handle, email, phone, url, status, rotation_due, version, created_seq, "
        "updated_seq, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 0, 0, ?, ?, ?)"));
    return s.bind(1, *id).bind(2, unit).bind(3, f.platform).bind(4, f.handle).bind(5, f.email).bind(6, f.phone).bind(7, f.url)
        .bind(8, seq_of(e)).bind(9, seq_of(e)).bind(10, e.actor).run();
}

Status apply_account_edit(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (facts.status == "archived") return event_refused(e, "edits an archived account");
    if (e.details.fields().empty()) return event_refused(e, "changes nothing");
    Statement cur = BRANKAS_TRY(db.prepare("SELECT platform, handle, email, phone, url FROM accounts WHERE id = ?"));
    cur.bind(1, facts.id);
    BRANKAS_TRY(cur.step());
    AccountFields f{cur.column_text(0), cur.column_text(1), cur.column_text(2), cur.column_text(3), cur.column_text(4)};
    for (const auto& [key, value] : e.details.fields()) {
        const auto* text = std::get_if<std::string>(&value);
        if (text == nullptr) return event_refused(e, "has a field that is not text");
        if (key == "platform") f.platform = *text;
        else if (key == "handle") f.handle = *text;
        else if (key == "email") f.email = *text;
        else if (key == "phone") f.phone = *text;
        else if (key == "url") f.url = *text;
        else return event_refused(e, "has an unknown field '" + key + "'");
    }
    if (!valid_account_fields(f)) return event_refused(e, "has a malformed account field");
    if (BRANKAS_TRY(handle_taken(db, f, facts.id))) return event_refused(e, "renames to " + f.platform + "/" + f.handle + ", which exists");
    Statement s = BRANKAS_TRY(db.prepare(
        "UPDATE OR FAIL accounts SET platform = ?, handle = ?, email = ?, phone = ?, url = ?, updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, f.platform).bind(2, f.handle).bind(3, f.email).bind(4, f.phone).bind(5, f.url).bind(6, seq_of(e))
        .bind(7, e.actor).bind(8, facts.id).run();
}

Status apply_account_archive(Database& db, const Event& e) {
    BRANKAS_TRY(require(db, e, policy::Action::manage_accounts));
    AccountFacts facts = BRANKAS_TRY(account_of(db, e));
    if (facts.status == "archived") return event_refused(e, "archives an account that is archived");
    if (BRANKAS_TRY(open_checkout(db, facts.id)) || BRANKAS_TRY(pending_version(db, facts.id)))
        return event_refused(e, "archives an account that is checked out or has a pending rotation");
    if (!e.details.fields().empty()) return event_refused(e, "carries unexpected details");
    Statement s = BRANKAS_TRY(db.prepare("UPDATE OR FAIL accounts SET status = 'archived', updated_seq = ?, updated_by = ? WHERE id = ?"));
    return s.bind(1, seq_of(e)).bind(2, e.actor).bind(3, facts.id).run();
}

constexpr ActionApplier appliers[] = {
    {actions::account_add, apply_account_add},
    {actions::account_edit, apply_account_edit},
    {actions::account_archive, apply_account_archive},
};

} // namespace

std::span<const ActionApplier> account_appliers() { return appliers; }

} // namespace brankas
