// Accounts read from a file for `import`: the spreadsheets districts keep today (CSV with
// Indonesian or English headers) and KeePassXC's CSV export. Reading checks every row on its
// own (platform, handle, password, code, contact fields) and records every problem with its
// line; what needs the vault (which units exist, which handles are taken) is checked by
// import_accounts (imports.hpp). Secret fields never leave secure memory.
#pragma once

#include "i18n/translate.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <string>
#include <utility>
#include <vector>

namespace brankas {

enum class ImportFormat { spreadsheet, keepassxc };

// What the import event records of the file: its format, name and size, and a BLAKE2b-256 of
// its bytes (so the log names the exact file without holding any of it).
struct ImportSource {
    ImportFormat format = ImportFormat::spreadsheet;
    std::string name; // the file's base name, if it is printable text; else empty
    std::uint64_t size = 0;
    Hash hash{};
};

// Where a secret field's bytes are in ImportTable::secrets.
struct SecretSpan {
    std::size_t offset = 0, size = 0;
};

struct ImportRow {
    std::size_t line = 0;  // the line of the file the row starts on
    std::string unit_code; // NN.NN.NN; empty when the row names its unit only by name
    std::string unit_name;
    std::string platform, handle, email, phone, url;
    SecretSpan password, totp, notes;
};

struct RowProblem {
    RowProblem() = default;
    RowProblem(std::size_t at, i18n::Phrase what) : line(at), problem(what.english()), phrase(std::move(what)) {}
    RowProblem(std::size_t at, std::string english) : line(at), problem(std::move(english)) {}

    std::size_t line = 0;
    std::string problem; // never quotes a secret field; English (`import --json` keeps it)
    i18n::Phrase phrase; // the same, for a face to say in its reader's language
    friend bool operator==(const RowProblem& a, const RowProblem& b) { return a.line == b.line && a.problem == b.problem; }
};

struct ImportTable {
    ImportSource source;
    std::vector<ImportRow> rows;
    std::vector<RowProblem> problems; // every bad row, in line order
    std::size_t skipped_in_recycle_bin = 0; // entries skipped on purpose (a KeePassXC recycle bin)
    SecretBytes secrets;              // every secret field, one after another
    std::size_t secrets_used = 0;

    [[nodiscard]] ByteView secret(SecretSpan s) const { return secrets.view().subspan(s.offset, s.size); }
};

// The fields a spreadsheet column can hold (`--map COLUMN=FIELD` names them).
enum class ImportField { unit_name, unit_code, platform, handle, password, email, phone, notes, url, totp, ignore };

// A value from the file, quoted for a message: at most 60 bytes, cut at a character boundary.
[[nodiscard]] std::string cited(std::string_view value);

[[nodiscard]] std::string_view import_field_name(ImportField f) noexcept;
// A field by its name or any header alias, compared without case, spaces, '.', '-' or '_'
// ("Kata Sandi", "kata_sandi" and "password" are one field).
[[nodiscard]] std::optional<ImportField> parse_import_field(std::string_view name);

struct SpreadsheetOptions {
    // COLUMN=FIELD pairs: a header (as written in the file, compared like the aliases) and the
    // field it holds; "ignore" drops a column.
    std::vector<std::pair<std::string, std::string>> map;
};

inline constexpr std::size_t max_import_file = 64 << 20;

// A spreadsheet saved as CSV: UTF-8 with or without a byte order mark, ',' or ';' (detected),
// one header row. A header problem (an unknown column, a field named twice, a required field
// missing) is an error (ErrorCode::usage); row problems are in the table.
[[nodiscard]] Result<ImportTable> read_spreadsheet(std::string_view file_name, const SecretBytes& file,
                                                   const SpreadsheetOptions& options);
// `keepassxc-cli export --format csv`: "Group","Title","Username","Password","URL","Notes",
// "TOTP","Icon","Last Modified","Created". The last part of an entry's group names its unit:
// "NN.NN.NN Name" (code, then the name) or just a name that an existing unit has. The
// platform comes from the title, or else the URL's host. Entries in the recycle bin are skipped.
[[nodiscard]] Result<ImportTable> read_keepassxc_export(std::string_view file_name, const SecretBytes& file);

// The platform a spreadsheet cell or a KeePassXC title names ("Instagram", "IG", "Twitter",
// "e-mail" ...), if any.
[[nodiscard]] std::optional<std::string> platform_from_text(std::string_view text);
// The platform of a URL's host (instagram.com, x.com, twitter.com ...), if any.
[[nodiscard]] std::optional<std::string> platform_from_url(std::string_view url);

} // namespace brankas
