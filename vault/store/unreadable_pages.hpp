// A second opinion before pages that do not authenticate are reported as damage. SQLCipher
// answers "not a database" both for bytes that were altered and for pages another process
// re-encrypted under a new key since this connection opened; only the connection's owner (the
// session, which knows the key generation it opened) can tell the two apart.
#pragma once

#include "vault/error.hpp"
#include "vault/store/database.hpp"

#include <functional>
#include <optional>

namespace brankas {

// Returns the error to report instead of "corrupted or tampered with", or nullopt to keep that
// report. Runs on the failing thread and must not use the connection.
using UnreadableExplanation = std::function<std::optional<Error>()>;

// Registers `explain` for `db`'s connection (replacing any earlier one); it goes with the
// connection.
void explain_unreadable_pages(Database& db, UnreadableExplanation explain);

} // namespace brankas
