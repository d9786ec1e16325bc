// Import: accounts and their passwords from a spreadsheet or a KeePassXC export (import_table.hpp
// reads the file), all in one transaction or none at all.
#pragma once

#include "vault/import/import_table.hpp"

#include <functional>
#include <string>
#include <vector>

namespace brankas {

class Session;

// A sub-district the file names that does not exist: refused, or created (it needs a code and
// a name).
enum class MissingUnits { refuse, create };
// Whether anything is written: a dry run checks everything and says what would be created.
enum class ImportRun { write, dry_run };

struct ImportOptions {
    MissingUnits missing_units = MissingUnits::refuse;
    ImportRun run = ImportRun::write;
};

struct PlannedUnit {
    std::string code, name;
};

// What `import` found and did. With problems, nothing was imported.
struct ImportOutcome {
    std::vector<RowProblem> problems;  // every bad row (reading and vault checks), in line order
    std::vector<PlannedUnit> new_units;
    std::size_t accounts = 0;          // imported, or (dry run) to be imported
    std::int64_t first_account = 0;    // the first new account's number
    bool imported = false;
};

// Called as accounts are written: how many of how many.
using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

// Checks every row of `table` against the vault (its unit exists, or is created with
// MissingUnits::create; its handle is free) and, if no row has a problem, imports them all in
// one transaction: an import event naming the file by its hash, the new units, then each
// account's account.add and secret.set. Rows that name their unit only by name get its code.
[[nodiscard]] Result<ImportOutcome> import_accounts(Session& session, ImportTable& table, const ImportOptions& options,
                                                    const ImportProgress& progress = {});

} // namespace brankas
