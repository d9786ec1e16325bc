// Platform accounts of a sub-district: metadata only (the passwords are secret versions).
// Accounts are never deleted, only archived.
#include "vault/names.hpp"
#include "vault/ops/account_events.hpp"
#include "vault/projection.hpp"
#include "vault/vault.hpp"

namespace brankas {

namespace {

constexpr const char* account_columns =
    "SELECT a.id, a.unit, a.platform, a.handle, a.email, a.phone, a.url, a.status, a.rotation_due, a.version, "
    "(SELECT time_us FROM events WHERE seq = a.created_seq), (SELECT time_us FROM events WHERE seq = a.updated_seq), "
    "a.updated_by FROM accounts a";

AccountInfo account_from(const Statement& s) {
    return AccountInfo{s.column_int(0),  s.column_text(1), s.column_text(2),   s.column_text(3),  s.column_text(4),
                       s.column_text(5), s.column_text(6), s.column_text(7),   s.column_int(8) != 0, s.column_int(9),
                       s.column_int(10), s.column_int(11), s.column_text(12)};
}

Status check_contact_fields(std::string_view email, std::string_view phone, std::string_view url) {
    if (!is_valid_email(email)) return fail(ErrorCode::usage, "'" + std::string(email) + "' is not an e-mail address");
    if (!is_valid_phone(phone))
        return fail(ErrorCode::usage, "'" + std::string(phone) + "' is not a phone number", "write it as +628123456789");
    if (!is_valid_url(url)) return fail(ErrorCode::usage, "the URL must start with https:// or http://");
    return {};
}

Result<std::string> checked_handle(std::string_view platform, std::string_view handle) {
    if (!is_valid_platform(platform)) {
        std::string list;
        for (auto p : platforms) list += (list.empty() ? "" : ", ") + std::string(p);
        return fail(ErrorCode::usage, "unknown platform '" + std::string(platform) + "'", "use one of: " + list);
    }
    auto normalized = normalize_handle(handle);
    if (!normalized)
        return fail(ErrorCode::usage, "'" + std::string(handle) + "' is not a handle",
                    "1 to " + std::to_string(max_handle) + " visible characters, without spaces or '/'");
    return *normalized;
}

} // namespace

Result<AccountInfo> Session::account_by_id(std::int64_t id) {
    Statement s = BRANKAS_TRY(db_.prepare(std::string(account_columns) + " WHERE a.id = ?"));
    s.bind(1, id);
    if (!BRANKAS_TRY(s.step())) return fail(ErrorCode::usage, "no account number " + std::to_string(id));
    return account_from(s);
}

Result<AccountInfo> Session::find_account(std::string_view ref) {
    auto slash = ref.find('/');
    if (slash == std::string_view::npos) {
        std::int64_t id = 0;
        bool number = !ref.empty() && ref.size() <= 18;
        for (char c : ref) {
            if (c < '0' || c > '9') number = false;
            else id = id * 10 + (c - '0');
        }
        if (!number) return fail(ErrorCode::usage, "'" + std::string(ref) + "' is not an account", "write platform/handle or the account's number");
        return account_by_id(id);
    }
    std::string platform(ref.substr(0, slash));
    auto handle = normalize_handle(ref.substr(slash + 1));
    Statement s = BRANKAS_TRY(db_.prepare(std::string(account_columns) + " WHERE a.platform = ? AND a.handle = ?"));
    s.bind(1, platform).bind(2, handle.value_or(""));
    if (!handle || !BRANKAS_TRY(s.step()))
        return fail(ErrorCode::usage, "no account " + std::string(ref), "`brankas account list` shows the accounts");
    return account_from(s);
}

Result<std::vector<AccountInfo>> Session::list_accounts(const AccountFilter& filter) {
    if (filter.status && *filter.status != "active" && *filter.status != "deactivated" && *filter.status != "archived")
        return fail(ErrorCode::usage, "unknown status '" + *filter.status + "'", "use active, deactivated or archived");
    std::string sql = std::string(account_columns) + " WHERE (?1 IS NULL OR a.unit = ?1) AND (?2 IS NULL OR a.status = ?2) ORDER BY a.unit, a.platform, a.handle";
    Statement s = BRANKAS_TRY(db_.prepare(sql));
    if (filter.unit) s.bind(1, *filter.unit); else s.bind_null(1);
    if (filter.status) s.bind(2, *filter.status); else s.bind_null(2);
    std::vector<AccountInfo> out;
    while (BRANKAS_TRY(s.step())) out.push_back(account_from(s));
    return out;
}

Result<AccountInfo> Session::add_account(std::string_view unit, const AccountInput& input) {
    std::string handle = BRANKAS_TRY(checked_handle(input.platform, input.handle));
    BRANKAS_TRY(check_contact_fields(input.email, input.phone, input.url));
    BRANKAS_TRY(permit(policy::Action::manage_accounts, input.platform + "/" + handle));
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Statement u = BRANKAS_TRY(db_.prepare("SELECT count(*) FROM units WHERE code = ?"));
    u.bind(1, unit);
    BRANKAS_TRY(u.step());
    if (u.column_int(0) == 0)
        return fail(ErrorCode::usage, "no sub-district " + std::string(unit), "add it with `brankas unit add CODE NAME`");
    Statement taken = BRANKAS_TRY(db_.prepare("SELECT id FROM accounts WHERE platform = ? AND handle = ?"));
    taken.bind(1, input.platform).bind(2, handle);
    if (BRANKAS_TRY(taken.step()))
        return fail(ErrorCode::usage, input.platform + "/" + handle + " already exists (account " + std::to_string(taken.column_int(0)) + ")");
    std::int64_t id = BRANKAS_TRY(db_.query_int("SELECT ifnull(max(id), 0) + 1 FROM accounts"));
    BRANKAS_TRY(append(account_added(id, {unit, input.platform, handle, input.email, input.phone, input.url})));
    BRANKAS_TRY(tx.commit());
    return account_by_id(id);
}

Result<AccountInfo> Session::edit_account(std::int64_t id, const AccountEdit& edit) {
    AccountInfo current = BRANKAS_TRY(account_by_id(id));
    if (current.status == "archived") return fail(ErrorCode::usage, "account " + current.ref() + " is archived and cannot change");
    std::string platform = edit.platform.value_or(current.platform);
    std::string handle = BRANKAS_TRY(checked_handle(platform, edit.handle.value_or(current.handle)));
    BRANKAS_TRY(check_contact_fields(edit.email.value_or(""), edit.phone.value_or(""), edit.url.value_or("")));
    BRANKAS_TRY(permit(policy::Action::manage_accounts, account_target(id)));
    Event e;
    e.action = std::string(actions::account_edit);
    e.target = account_target(id);
    if (platform != current.platform) e.details.text("platform", platform);
    if (handle != current.handle) e.details.text("handle", handle);
    if (edit.email && *edit.email != current.email) e.details.text("email", *edit.email);
    if (edit.phone && *edit.phone != current.phone) e.details.text("phone", *edit.phone);
    if (edit.url && *edit.url != current.url) e.details.text("url", *edit.url);
    if (e.details.fields().empty()) return fail(ErrorCode::usage, "nothing to change: the account already has these values");
    Transaction tx = BRANKAS_TRY(Transaction::begin_immediate(db_));
    Statement taken = BRANKAS_TRY(db_.prepare("SELECT id FROM accounts WHERE platform = ? AND handle = ? AND id != ?"));
    taken.bind(1, platform).bind(2, handle).bind(3, id);
    if (BRANKAS_TRY(taken.step())) return fail(ErrorCode::usage, platform + "/" + handle + " already exists (account " + std::to_string(taken.column_int(0)) + ")");
    BRANKAS_TRY(append(std::move(e)));
    BRANKAS_TRY(tx.commit());
    return account_by_id(id);
}

Status Session::archive_account(std::int64_t id) {
    AccountInfo current = BRANKAS_TRY(account_by_id(id));
    if (current.status == "archived") return fail(ErrorCode::usage, "account " + current.ref() + " is already archived");
    BRANKAS_TRY(permit(policy::Action::manage_accounts, account_target(id)));
    Event e;
    e.action = std::string(actions::account_archive);
    e.target = account_target(id);
    BRANKAS_TRY(record(std::move(e)));
    return {};
}

} // namespace brankas
