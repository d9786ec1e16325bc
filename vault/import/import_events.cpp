#include "vault/import/import_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

std::string_view import_format_name(ImportFormat format) noexcept {
    switch (format) {
    case ImportFormat::spreadsheet: return "csv";
    case ImportFormat::keepassxc: return "keepassxc";
    }
    return "";
}

std::optional<ImportFormat> parse_import_format(std::string_view name) noexcept {
    for (ImportFormat f : {ImportFormat::spreadsheet, ImportFormat::keepassxc})
        if (import_format_name(f) == name) return f;
    return std::nullopt;
}

Event ImportRecorded::encode() const {
    Event e;
    e.action = std::string(actions::import_accounts);
    e.target = source.name;
    e.details.text("format", std::string(import_format_name(source.format)))
        .bytes("file_hash", Bytes(source.hash.begin(), source.hash.end()))
        .integer("file_bytes", static_cast<std::int64_t>(source.size))
        .integer("accounts", accounts)
        .integer("units", units);
    return e;
}

Result<ImportRecorded> ImportRecorded::decode(const Event& e) {
    EventFields f(e);
    ImportRecorded r;
    r.source.name = e.target;
    auto format = parse_import_format(BRANKAS_TRY(f.text("format")));
    if (!format) return f.refuse(i18n::tr_noop("names an unknown file format"));
    r.source.format = *format;
    if (!f.has("file_hash")) return f.refuse(i18n::tr_noop("lacks a 32-byte 'file_hash'"));
    r.source.hash = BRANKAS_TRY(f.array<hash_size>("file_hash"));
    const std::int64_t size = BRANKAS_TRY(f.integer("file_bytes"));
    r.accounts = BRANKAS_TRY(f.integer("accounts"));
    r.units = BRANKAS_TRY(f.integer("units"));
    if (size < 0 || r.accounts < 1 || r.units < 0) return f.refuse(i18n::tr_noop("has a count out of range"));
    r.source.size = static_cast<std::uint64_t>(size);
    BRANKAS_TRY(f.finish());
    return r;
}

} // namespace brankas
