// Platform accounts of a sub-district: metadata only (the passwords are secret versions).
// Accounts are never deleted, only archived.
#include "vault/accounts/accounts.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/accounts/account_tables.hpp"
#include "vault/audit/audit_queries.hpp"
#include "vault/checkouts/checkout_tables.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/session.hpp"
#include "vault/units/unit_tables.hpp"
#include "vault/unit_sight.hpp"

#include <algorithm>
#include <optional>

namespace brankas {

namespace {

constexpr const char* account_columns =
    "SELECT a.id, a.unit, a.platform, a.handle, a.email, a.phone, a.url, a.status, a.rotation_due, a.version, "
    "(SELECT time_us FROM events WHERE seq = a.created_seq), (SELECT time_us FROM events WHERE seq = a.updated_seq), "
    "a.updated_by, EXISTS (SELECT 1 FROM pending_secrets p WHERE p.account = a.id) FROM accounts a";
// The same columns, the two times as 0, for a listing: which accounts have a pending rotation
// is read once for all its rows instead of looked up for each.
constexpr const char* account_columns_without_times =
    "SELECT a.id, a.unit, a.platform, a.handle, a.email, a.phone, a.url, a.status, a.rotation_due, a.version, 0, 0, "
    "a.updated_by, a.id IN (SELECT account FROM pending_secrets) FROM accounts a";

// A text column as a view of the row being read (valid until the statement moves on).
std::string_view text_of(const Statement& s, int column) {
    const ByteView bytes = s.column_raw(column);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The status in `column` of an account row whose id is column 0.
Result<AccountStatus> status_at(const Statement& s, int column) {
    auto status = parse_account_status(text_of(s, column));
    if (!status) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("account %s has an unknown status"), {std::to_string(s.column_int(0))});
    return *status;
}

Result<AccountInfo> account_from(const Statement& s) {
    const AccountStatus status = BRANKAS_TRY(status_at(s, 7));
    return AccountInfo{s.column_int(0),  s.column_text(1), s.column_text(2), s.column_text(3),  s.column_text(4),
                       s.column_text(5), s.column_text(6), status,           s.column_int(8) != 0, s.column_int(9),
                       s.column_int(10), s.column_int(11), s.column_text(12), s.column_int(13) != 0};
}

std::unexpected<Error> already_exists(std::string_view platform, std::string_view handle, std::int64_t id) {
    return fail_phrased(ErrorCode::conflict, i18n::tr_noop("%1$s/%2$s already exists (account %3$s)"),
                        {std::string(platform), std::string(handle), std::to_string(id)});
}

// What is wrong with a handle refused for its length or its spacing; %3$s is the longest a handle
// may be, %4$s its length, %5$s and %6$s where its two spaces are.
std::string_view handle_shape_hint(HandleShapeFault fault) {
    switch (fault) {
    case HandleShapeFault::empty: return i18n::tr_noop("nothing follows its '@': a handle has 1 to %3$s characters");
    case HandleShapeFault::too_long: return i18n::tr_noop("it is %4$s characters long: a handle has at most %3$s");
    case HandleShapeFault::space_at_start: return i18n::tr_noop("it begins with a space: single spaces between words, none at either end");
    case HandleShapeFault::space_at_end: return i18n::tr_noop("it ends with a space: single spaces between words, none at either end");
    case HandleShapeFault::double_space:
        return i18n::tr_noop("its characters %5$s and %6$s are two spaces in a row: single spaces between words");
    }
    return {};
}

} // namespace

Result<std::string> checked_platform(std::string_view name) {
    auto platform = platform_named(name);
    if (!platform) {
        std::string list;
        for (auto p : platforms) list += (list.empty() ? "" : ", ") + std::string(p);
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("unknown platform '%1$s'"), {i18n::echo(name), std::string(list)},
                            i18n::tr_noop("use one of: %2$s"));
    }
    return *platform;
}

Result<std::string> checked_handle(std::string_view platform, std::string_view handle) {
    if (!is_valid_platform(platform)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("unknown platform '%s'"), {i18n::echo(platform)});
    auto normalized = normalize_handle(platform, handle);
    if (!normalized)
        if (auto refused = refused_handle_character(platform, handle))
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%1$s' is not a handle on %2$s"),
                                {i18n::echo(handle), std::string(platform), std::to_string(max_handle), std::to_string(refused->position),
                                 refused->code_point},
                                platform_allows_spaces(platform)
                                    ? i18n::tr_noop("its character %4$s (%5$s) may not be in a handle: 1 to %3$s visible ASCII characters "
                                                    "without '/', single spaces between words")
                                    : i18n::tr_noop("its character %4$s (%5$s) may not be in a handle: 1 to %3$s visible ASCII characters "
                                                    "without '/', no spaces"));
    if (!normalized)
        if (auto refused = refused_handle_shape(platform, handle))
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%1$s' is not a handle on %2$s"),
                                {i18n::echo(handle), std::string(platform), std::to_string(max_handle), std::to_string(refused->length),
                                 std::to_string(refused->position), std::to_string(refused->position + 1)},
                                handle_shape_hint(refused->fault));
    if (!normalized) return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%1$s' is not a handle on %2$s"), {i18n::echo(handle), std::string(platform)});
    return *normalized;
}

Status check_account_fields(const AccountFields& f) {
    std::string handle = BRANKAS_TRY(checked_handle(f.platform, f.handle));
    if (handle != f.handle) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the handle '%s' is not in its stored form"),
                                                {std::string(f.handle)});
    if (!is_valid_email(f.email)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not an e-mail address"), {i18n::echo(f.email)});
    if (!is_valid_phone(f.phone)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not a phone number"), {i18n::echo(f.phone)},
                                                      i18n::tr_noop("write it as +628123456789"));
    if (!is_valid_url(f.url)) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the URL must start with https:// or http://"), {});
    return {};
}

Result<std::optional<std::int64_t>> account_with_handle(Database& db, std::string_view platform, std::string_view handle,
                                                        std::int64_t except) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT id FROM accounts WHERE platform = ? AND handle = ? AND id != ?"));
    s.bind(1, platform).bind(2, handle).bind(3, except);
    if (!BRANKAS_TRY(s.step())) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(s.column_int(0));
}

Result<std::int64_t> next_account_number(Database& db) { return db.query_int("SELECT ifnull(max(id), 0) + 1 FROM accounts"); }

Status account_may_change(AccountStatus status) {
    if (status == AccountStatus::archived) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("is archived and cannot change"), {});
    return {};
}

Status account_may_archive(Database& db, const AccountRow& row) {
    if (row.status == AccountStatus::archived) return fail_phrased(ErrorCode::conflict, i18n::tr_noop("is already archived"), {});
    if (BRANKAS_TRY(open_checkout(db, row.id)) || BRANKAS_TRY(pending_version(db, row.id)))
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("is checked out or has a pending rotation"), {});
    return {};
}

Result<AccountInfo> account_by_id(Database& db, std::int64_t id) {
    Statement s = BRANKAS_TRY(db.prepare(std::string(account_columns) + " WHERE a.id = ?"));
    s.bind(1, id);
    if (!BRANKAS_TRY(s.step())) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no account number %s"), {std::to_string(id)});
    return account_from(s);
}

Result<AccountInfo> find_account(Session& session, std::string_view ref) {
    auto slash = ref.find('/');
    if (slash == std::string_view::npos) {
        std::int64_t id = 0;
        bool number = !ref.empty() && ref.size() <= 18;
        for (char c : ref) {
            if (c < '0' || c > '9') number = false;
            else id = id * 10 + (c - '0');
        }
        if (!number) return fail_phrased(ErrorCode::usage, i18n::tr_noop("'%s' is not an account"), {i18n::echo(ref)},
                                         i18n::tr_noop("write platform/handle or the account's number"));
        return account_by_id(session.db(), id);
    }
    std::string platform = platform_named(ref.substr(0, slash)).value_or(std::string(ref.substr(0, slash)));
    auto handle = normalize_handle(platform, ref.substr(slash + 1));
    Statement s = BRANKAS_TRY(session.db().prepare(std::string(account_columns) + " WHERE a.platform = ? AND a.handle = ?"));
    s.bind(1, platform).bind(2, handle.value_or(""));
    if (!handle || !BRANKAS_TRY(s.step()))
        return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no account %s"), {i18n::echo(ref)},
                            i18n::tr_noop("`brankas account list` shows the accounts"));
    return account_from(s);
}

Result<AccountInfo> show_account(Session& session, std::string_view ref) {
    AccountInfo a = BRANKAS_TRY(find_account(session, ref));
    BRANKAS_TRY(session.permit(policy::Action::read_unit, account_target(a.id), a.unit));
    return a;
}

Result<std::vector<AccountInfo>> list_accounts(Session& session, const AccountFilter& filter) {
    std::vector<AccountInfo> out;
    BRANKAS_TRY(for_each_account(session, filter, AccountTimes::include, [&](const AccountInfo& a) -> Status {
        out.push_back(a);
        return {};
    }));
    return out;
}

namespace {

// The listing's walk: `columns` (a SELECT whose second column is the unit) over the accounts the
// filter names, in the listing's order, each row the person may see handed to `row` as the
// statement stands on it.
Status walk_accounts(Session& session, const AccountFilter& filter, const std::string& columns,
                     const std::function<Status(const Statement&)>& row) {
    // A sub-district asked for by name is one that exists (a mistyped code is not a sub-district
    // without accounts), and is refused (and the refusal recorded) when it may not be seen;
    // without one, the accounts of sub-districts that may not be seen are left out.
    if (filter.unit) BRANKAS_TRY(audit_queries::require_unit(session.db(), *filter.unit));
    if (filter.unit) BRANKAS_TRY(session.permit(policy::Action::read_unit, "account list", *filter.unit));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    // The sub-districts to walk: the one asked for; else, when the person sees only some of them
    // (a custodian their own), each of those by itself, so that a custodian's list reads their
    // own rows and not every row of the district (30,000 on a national vault, to keep 75); else
    // the whole table in one walk.
    std::vector<std::optional<std::string>> walks;
    // When every sub-district gets the same answer (an admin's or an auditor's usual sight), the
    // answer for one is the answer for every row: one walk of the whole table, or none, and no
    // row asked about.
    const bool alike = sight.answers_every_unit_alike();
    if (filter.unit) {
        walks.emplace_back(*filter.unit);
    } else if (alike) {
        Statement first = BRANKAS_TRY(session.db().prepare("SELECT code FROM units LIMIT 1"));
        if (!BRANKAS_TRY(first.step()) || BRANKAS_TRY(sight.sees(text_of(first, 0)))) walks.emplace_back(std::nullopt);
    } else {
        std::vector<std::optional<std::string>> seen;
        bool every_unit = true;
        Statement units = BRANKAS_TRY(session.db().prepare("SELECT code FROM units ORDER BY code"));
        while (BRANKAS_TRY(units.step())) {
            std::string code = units.column_text(0);
            if (BRANKAS_TRY(sight.sees(code))) seen.emplace_back(std::move(code));
            else every_unit = false;
        }
        if (every_unit) walks.emplace_back(std::nullopt);
        else walks = std::move(seen);
    }
    // In the order of the index accounts_in_order (migration 7): rows come as the index is
    // walked, with no sort that would first read them all, and sub-district after sub-district
    // in the same order as one walk gives them. The index holds every column of a table of
    // accounts (migration 12): such a walk reads no row of the table.
    // A sub-district's own walk names it outright: behind "?1 IS NULL OR", SQLite would not
    // seek to it in the index but read the whole index and compare every row.
    const std::string order = " AND (?2 IS NULL OR a.status = ?2) ORDER BY a.unit, a.platform, a.handle";
    for (const std::optional<std::string>& unit : walks) {
        Statement s = BRANKAS_TRY(session.db().prepare(columns + (unit ? " WHERE a.unit = ?1" : " WHERE 1") + order));
        if (unit) s.bind(1, *unit);
        if (filter.status) s.bind(2, account_status_name(*filter.status)); else s.bind_null(2);
        while (BRANKAS_TRY(s.step())) {
            if (alike || BRANKAS_TRY(sight.sees(text_of(s, 1)))) BRANKAS_TRY(row(s));
        }
    }
    return {};
}

// What a table of accounts prints, in row_of_list's order (whether a rotation is pending comes
// from pending_accounts).
constexpr const char* account_list_columns =
    "SELECT a.id, a.unit, a.platform, a.handle, a.status, a.email, a.version, a.rotation_due FROM accounts a";

// The accounts with a pending rotation, in order of id: a few at most, read once for a whole
// listing, so that no row asks SQLite to look its account up among them.
Result<std::vector<std::int64_t>> pending_accounts(Database& db) {
    std::vector<std::int64_t> out;
    Statement s = BRANKAS_TRY(db.prepare("SELECT account FROM pending_secrets ORDER BY account"));
    while (BRANKAS_TRY(s.step())) out.push_back(s.column_int(0));
    return out;
}

bool is_pending(const std::vector<std::int64_t>& pending, std::int64_t id) {
    return !pending.empty() && std::binary_search(pending.begin(), pending.end(), id);
}

} // namespace

Status for_each_account(Session& session, const AccountFilter& filter, AccountTimes times,
                        const std::function<Status(const AccountInfo&)>& row) {
    // Without the times, no event is looked up (two per row, all over the log).
    const std::string columns = times == AccountTimes::include ? std::string(account_columns) : std::string(account_columns_without_times);
    return walk_accounts(session, filter, columns, [&row](const Statement& s) -> Status { return row(BRANKAS_TRY(account_from(s))); });
}

Status for_each_account_row(Session& session, const AccountFilter& filter, const std::function<Status(const AccountListRow&)>& row) {
    const std::vector<std::int64_t> pending = BRANKAS_TRY(pending_accounts(session.db()));
    return walk_accounts(session, filter, account_list_columns, [&row, &pending](const Statement& s) -> Status {
        const AccountStatus status = BRANKAS_TRY(status_at(s, 4));
        const std::int64_t id = s.column_int(0);
        return row(AccountListRow{id, text_of(s, 1), text_of(s, 2), text_of(s, 3), status, text_of(s, 5), s.column_int(6),
                                  s.column_int(7) != 0, is_pending(pending, id)});
    });
}

namespace {

// Printable ASCII, ' ' to '~': one column per byte on a terminal.
bool plain_ascii(ByteView text) {
    return std::all_of(text.begin(), text.end(), [](std::uint8_t c) { return c >= 0x20 && c <= 0x7e; });
}

std::int64_t digits(std::int64_t n) { return static_cast<std::int64_t>(std::to_string(n).size()); }

} // namespace

Result<AccountExtent> account_extent(Session& session, const AccountFilter& filter) {
    if (filter.unit) BRANKAS_TRY(audit_queries::require_unit(session.db(), *filter.unit));
    if (filter.unit) BRANKAS_TRY(session.permit(policy::Action::read_unit, "account list", *filter.unit));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    // One scan of the index the listing then walks (accounts_in_order holds every column read
    // here, migration 12: no row of the table is read, and the walk finds the index's pages
    // decrypted already), reading only what is measured; which accounts have a pending rotation
    // is read once, not looked up row by row. Numbers as the listing reads
    // them (sqlite3_column_int64), texts as their bytes.
    const std::vector<std::int64_t> pending_ids = BRANKAS_TRY(pending_accounts(session.db()));
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT id, unit, platform, handle, status, version, rotation_due "
        "FROM accounts WHERE (?1 IS NULL OR unit = ?1) AND (?2 IS NULL OR status = ?2)"));
    if (filter.unit) s.bind(1, *filter.unit); else s.bind_null(1);
    if (filter.status) s.bind(2, account_status_name(*filter.status)); else s.bind_null(2);
    // When every sub-district is seen alike, the first row's answers for all.
    const bool alike = sight.answers_every_unit_alike();
    std::optional<bool> seen_alike;
    AccountExtent e;
    // The widest id and version are those of the largest or the smallest number (a minus sign
    // counts): only those two are kept, and measured once at the end.
    std::optional<std::int64_t> min_id, max_id, min_version, max_version;
    while (BRANKAS_TRY(s.step())) {
        const ByteView unit = s.column_raw(1);
        const std::string_view unit_text(reinterpret_cast<const char*>(unit.data()), unit.size());
        if (alike) {
            if (!seen_alike) seen_alike = BRANKAS_TRY(sight.sees(unit_text));
            if (!*seen_alike) break;
        } else if (!BRANKAS_TRY(sight.sees(unit_text))) {
            continue;
        }
        const ByteView platform = s.column_raw(2), handle = s.column_raw(3), status = s.column_raw(4);
        const std::int64_t id = s.column_int(0), version = s.column_int(5);
        const bool pending = is_pending(pending_ids, id), due = s.column_int(6) != 0;
        ++e.accounts;
        min_id = std::min(min_id.value_or(id), id);
        max_id = std::max(max_id.value_or(id), id);
        e.unit = std::max(e.unit, static_cast<std::int64_t>(unit.size()));
        e.ref = std::max(e.ref, static_cast<std::int64_t>(platform.size() + 1 + handle.size()));
        e.status = std::max(e.status, static_cast<std::int64_t>(status.size()));
        if (version == 0) {
            e.some_without_version = true;
        } else {
            min_version = std::min(min_version.value_or(version), version);
            max_version = std::max(max_version.value_or(version), version);
        }
        if (pending) e.some_pending = true;
        else if (due) e.some_due = true;
        else e.some_neither = true;
        e.plain_ascii = e.plain_ascii && plain_ascii(unit) && plain_ascii(platform) && plain_ascii(handle) && plain_ascii(status);
    }
    if (max_id) e.id = std::max(digits(*min_id), digits(*max_id));
    if (max_version) e.version = std::max(digits(*min_version), digits(*max_version));
    return e;
}

// The WHERE of both repeats the condition of the index accounts_rotation_due (migration 10) word
// for word, and they read only its columns.
Result<std::int64_t> count_accounts_owing_rotation(Session& session) {
    return session.db().query_int("SELECT count(*) FROM accounts WHERE rotation_due = 1 AND status <> 'archived'");
}

Status for_each_account_owing_rotation(Session& session, std::optional<std::size_t> first,
                                       const std::function<Status(std::string_view ref)>& each) {
    Statement s = BRANKAS_TRY(session.db().prepare(
        "SELECT platform || '/' || handle FROM accounts WHERE rotation_due = 1 AND status <> 'archived' ORDER BY unit, platform, handle "
        "LIMIT ?"));
    s.bind(1, first ? static_cast<std::int64_t>(*first) : std::int64_t{-1}); // -1: no limit
    while (BRANKAS_TRY(s.step())) BRANKAS_TRY(each(text_of(s, 0)));
    return {};
}

Result<AccountInfo> add_account(Session& session, std::string_view unit, const AccountInput& input) {
    std::string platform = BRANKAS_TRY(checked_platform(input.platform));
    AccountAdded added{0, std::string(unit), platform, BRANKAS_TRY(checked_handle(platform, input.handle)), input.email,
                       input.phone, input.url};
    BRANKAS_TRY(check_account_fields({added.platform, added.handle, added.email, added.phone, added.url}));
    BRANKAS_TRY(session.permit(policy::Action::manage_accounts, added.platform + "/" + added.handle));
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        Database& db = change.db();
        if (!BRANKAS_TRY(unit_exists(db, unit)))
            return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(unit)},
                                i18n::tr_noop("add it with `brankas unit add CODE NAME`"));
        if (auto other = BRANKAS_TRY(account_with_handle(db, added.platform, added.handle)))
            return already_exists(added.platform, added.handle, *other);
        added.account = BRANKAS_TRY(next_account_number(db));
        BRANKAS_TRY(change.append(added));
        return {};
    }));
    return account_by_id(session.db(), added.account);
}

Result<AccountInfo> edit_account(Session& session, std::int64_t id, const AccountEdit& edit) {
    AccountInfo current = BRANKAS_TRY(account_by_id(session.db(), id));
    if (auto blocked = account_may_change(current.status); !blocked)
        return fail_phrase(blocked.error().code, i18n::Phrase(i18n::tr_noop("account %1$s %2$s"), {i18n::Phrase::plain(current.ref()), phrase_of(blocked.error())}));
    AccountFields f{edit.platform ? BRANKAS_TRY(checked_platform(*edit.platform)) : current.platform, "", edit.email.value_or(""), edit.phone.value_or(""), edit.url.value_or("")};
    f.handle = BRANKAS_TRY(checked_handle(f.platform, edit.handle.value_or(current.handle)));
    BRANKAS_TRY(check_account_fields(f));
    BRANKAS_TRY(session.permit(policy::Action::manage_accounts, account_target(id)));
    AccountEdited e{id, {}, {}, {}, {}, {}};
    if (f.platform != current.platform) e.platform = f.platform;
    if (f.handle != current.handle) e.handle = f.handle;
    if (edit.email && *edit.email != current.email) e.email = *edit.email;
    if (edit.phone && *edit.phone != current.phone) e.phone = *edit.phone;
    if (edit.url && *edit.url != current.url) e.url = *edit.url;
    if (e.changes_nothing()) return fail_phrased(ErrorCode::usage, i18n::tr_noop("nothing to change: the account already has these values"), {});
    BRANKAS_TRY(session.write([&](Change& change) -> Status {
        if (auto other = BRANKAS_TRY(account_with_handle(change.db(), f.platform, f.handle, id)))
            return already_exists(f.platform, f.handle, *other);
        BRANKAS_TRY(change.append(e));
        return {};
    }));
    return account_by_id(session.db(), id);
}

Status archive_account(Session& session, std::int64_t id) {
    AccountInfo current = BRANKAS_TRY(account_by_id(session.db(), id));
    if (current.status == AccountStatus::archived)
        return fail_phrased(ErrorCode::conflict, i18n::tr_noop("account %s is already archived"), {current.ref()});
    BRANKAS_TRY(session.permit(policy::Action::manage_accounts, account_target(id)));
    return session.write([&](Change& change) -> Status {
        AccountRow row{id, current.unit, BRANKAS_TRY(account_by_id(change.db(), id)).status, current.version};
        if (auto blocked = account_may_archive(change.db(), row); !blocked)
            return fail_phrase(blocked.error().code, i18n::Phrase(i18n::tr_noop("account %1$s %2$s"), {i18n::Phrase::plain(current.ref()), phrase_of(blocked.error())}));
        BRANKAS_TRY(change.append(AccountArchived{id}));
        return {};
    });
}

} // namespace brankas
