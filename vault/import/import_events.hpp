// The import domain's event (docs/formats.md "Actions").
#pragma once

#include "vault/import/import_table.hpp"
#include "vault/log/event.hpp"

#include <string>

namespace brankas {

// import: which file the account.add and secret.set events after it came from, by the hash of
// its bytes, and how many accounts and sub-districts it created.
struct ImportRecorded {
    ImportSource source; // format, name (the event's target), size, hash
    std::int64_t accounts = 0;
    std::int64_t units = 0;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<ImportRecorded> decode(const Event& event);
};

// The format's name in the event: "csv" for a spreadsheet, "keepassxc".
[[nodiscard]] std::string_view import_format_name(ImportFormat format) noexcept;
[[nodiscard]] std::optional<ImportFormat> parse_import_format(std::string_view name) noexcept;

} // namespace brankas
