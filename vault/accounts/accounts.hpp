// Platform accounts of a sub-district: metadata only (the passwords are secret versions,
// vault/secrets/). Accounts are never deleted, only archived.
#pragma once

#include "policy/engine.hpp"
#include "vault/error.hpp"
#include "vault/store/database.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas {

class Session;

using policy::AccountStatus;
using policy::account_status_name;
using policy::parse_account_status;

struct AccountInput {
    std::string platform, handle, email, phone, url; // email, phone, url may be empty
};

// Only the fields that are set change; an empty string clears email, phone or url.
struct AccountEdit {
    std::optional<std::string> platform, handle, email, phone, url;
};

struct AccountInfo {
    std::int64_t id = 0;
    std::string unit, platform, handle, email, phone, url;
    AccountStatus status = AccountStatus::active;
    bool rotation_due = false;
    std::int64_t version = 0; // the current secret version; 0: none yet
    std::int64_t created_us = 0, updated_us = 0;
    std::string updated_by;
    bool rotation_pending = false; // a new password is generated, waiting to be set on the platform
    [[nodiscard]] std::string ref() const { return platform + "/" + handle; }
};

struct AccountFilter {
    std::optional<std::string> unit;
    std::optional<AccountStatus> status;
};

[[nodiscard]] Result<AccountInfo> add_account(Session& session, std::string_view unit, const AccountInput& input);
// "platform/handle" or the account's number.
[[nodiscard]] Result<AccountInfo> find_account(Session& session, std::string_view ref);
// `account show`: the account, if its sub-district may be seen (read_unit; a refusal is recorded).
[[nodiscard]] Result<AccountInfo> show_account(Session& session, std::string_view ref);
// The accounts of the sub-districts the person may see (read_unit), as the filter narrows them.
[[nodiscard]] Result<std::vector<AccountInfo>> list_accounts(Session& session, const AccountFilter& filter);
// Whether a listing needs when each account was added and last changed (an event looked up per
// row) or leaves them 0.
enum class AccountTimes { include, leave_out };
// The accounts of list_accounts, in its order, each handed to `row` as it is read and not kept:
// a listing of any length in the memory of one row. The first error `row` returns stops it.
[[nodiscard]] Status for_each_account(Session& session, const AccountFilter& filter, AccountTimes times,
                                      const std::function<Status(const AccountInfo&)>& row);
// One account as a table of them shows it: the texts point into the row being read and are
// valid only during the call they are handed to.
struct AccountListRow {
    std::int64_t id = 0;
    std::string_view unit, platform, handle;
    AccountStatus status = AccountStatus::active;
    std::string_view email;
    std::int64_t version = 0; // the current secret version; 0: none yet
    bool rotation_due = false;
    bool rotation_pending = false; // a new password is generated, waiting to be set on the platform
};
// The accounts of for_each_account, in its order, with only what a table of them shows: no
// AccountInfo built, no text copied.
[[nodiscard]] Status for_each_account_row(Session& session, const AccountFilter& filter,
                                          const std::function<Status(const AccountListRow&)>& row);
// What the rows for_each_account hands over measure, from one scan of the table in its cheapest
// order: enough for a face to size a table's columns before the first row. Lengths are in bytes
// of the stored text (the ref's: platform, '/', handle); those of the id and the version are of
// their decimal digits. The e-mail is not measured: a table of accounts shows it last, where
// it needs no width.
struct AccountExtent {
    std::int64_t accounts = 0;
    std::int64_t id = 0, unit = 0, ref = 0, status = 0;
    std::int64_t version = 0; // the longest version number, among the accounts that have one
    bool some_without_version = false;
    // Of the rotation column: a new password pending; else a change due; else neither.
    bool some_pending = false, some_due = false, some_neither = false;
    // Every text measured is printable ASCII (no control character, no byte above 0x7e), so its
    // length is also the number of columns it takes on a terminal; otherwise the lengths say
    // nothing about the columns.
    bool plain_ascii = true;
};
// The extent of the rows for_each_account(session, filter, ...) would hand over now: the same
// filter, the same sub-districts left out. A row written after it is read is not in it.
[[nodiscard]] Result<AccountExtent> account_extent(Session& session, const AccountFilter& filter);
// The accounts owing a new password (archived ones owe nothing): how many, and "platform/handle"
// of each in the order of the listings, or of the first `first` of them, handed to `each` (the
// view is valid during the call only). Both read an index of just those accounts alone, not a
// scan of all of them (status names a few of thousands, its --json every one).
[[nodiscard]] Result<std::int64_t> count_accounts_owing_rotation(Session& session);
[[nodiscard]] Status for_each_account_owing_rotation(Session& session, std::optional<std::size_t> first,
                                                     const std::function<Status(std::string_view ref)>& each);
[[nodiscard]] Result<AccountInfo> edit_account(Session& session, std::int64_t id, const AccountEdit& edit);
[[nodiscard]] Status archive_account(Session& session, std::int64_t id);

// The account as the tables have it now (no permission involved: metadata is every role's).
[[nodiscard]] Result<AccountInfo> account_by_id(Database& db, std::int64_t id);

// Checks a platform and a handle as a person typed them; returns the handle as stored.
[[nodiscard]] Result<std::string> checked_handle(std::string_view platform, std::string_view handle);
// The platform a person named ("Instagram", "IG"), as stored ("instagram"); usage error if unknown.
[[nodiscard]] Result<std::string> checked_platform(std::string_view name);

// ---- the rules a live change and its replay both apply (account_appliers.cpp) ----

struct AccountFields {
    std::string platform, handle, email, phone, url;
};
// A known platform, a handle in its stored form, contact fields that are what they say.
[[nodiscard]] Status check_account_fields(const AccountFields& fields);
// The account that has this platform/handle, other than `except`.
[[nodiscard]] Result<std::optional<std::int64_t>> account_with_handle(Database& db, std::string_view platform, std::string_view handle,
                                                                      std::int64_t except = 0);
// Accounts are numbered 1, 2, 3 ... in the order they were added.
[[nodiscard]] Result<std::int64_t> next_account_number(Database& db);
// Whether an account in this state may change; the error (conflict) completes "account X ...".
[[nodiscard]] Status account_may_change(AccountStatus status);
// An account is archived once, and not while it is checked out or has a pending rotation.
struct AccountRow;
[[nodiscard]] Status account_may_archive(Database& db, const AccountRow& row);

} // namespace brankas
