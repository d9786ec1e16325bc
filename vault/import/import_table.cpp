#include "vault/import/import_table.hpp"

#include "vault/import/csv_reader.hpp"
#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"
#include "vault/secrets/secret_payload.hpp"
#include "vault/secrets/totp.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>

namespace brankas {

using i18n::Phrase;
using i18n::tr_noop;

namespace {

constexpr std::size_t max_notes = 8192; // leaves room for the rest of a 16 KiB payload
constexpr std::size_t max_file_name = 255;

// Lower-case ASCII without spaces, '.', '-', '_' or '/': "No. HP" and "no_hp" are "nohp".
std::string folded(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_' || c == '/') continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// What is wrong with a username that is not a handle (field_rules.hpp), said as exactly as the
// command line says it of a handle: the character refused, the length, where the spaces are.
Phrase refused_username(std::string_view platform, std::string_view handle) {
    auto value = [](std::string v) { return Phrase::plain(std::move(v)); };
    const Phrase name = value(cited(handle));
    if (auto refused = refused_handle_character(platform, handle))
        return Phrase(platform_allows_spaces(platform)
                          ? tr_noop("%1$s is not a username: its character %2$s (%3$s) may not be in one (visible ASCII characters without '/', "
                                    "single spaces between words)")
                          : tr_noop("%1$s is not a username: its character %2$s (%3$s) may not be in one (visible ASCII characters without '/', "
                                    "no spaces)"),
                      {name, value(std::to_string(refused->position)), value(refused->code_point)});
    if (auto refused = refused_handle_shape(platform, handle)) {
        switch (refused->fault) {
        case HandleShapeFault::empty: return Phrase(tr_noop("%1$s is not a username: nothing follows its '@'"), {name});
        case HandleShapeFault::too_long:
            return Phrase(tr_noop("%1$s is not a username: it is %2$s characters long, at most %3$s"),
                          {name, value(std::to_string(refused->length)), value(std::to_string(max_handle))});
        case HandleShapeFault::space_at_start: return Phrase(tr_noop("%1$s is not a username: it begins with a space"), {name});
        case HandleShapeFault::space_at_end: return Phrase(tr_noop("%1$s is not a username: it ends with a space"), {name});
        case HandleShapeFault::double_space:
            return Phrase(tr_noop("%1$s is not a username: its characters %2$s and %3$s are two spaces in a row (single spaces between words)"),
                          {name, value(std::to_string(refused->position)), value(std::to_string(refused->position + 1))});
        }
    }
    return Phrase(tr_noop("%s is not a username"), {name});
}

struct FieldAlias {
    std::string_view alias;
    ImportField field;
};
// Headers as districts write them, in Indonesian and English, already folded.
constexpr FieldAlias field_aliases[] = {
    {"unit", ImportField::unit_name},       {"kecamatan", ImportField::unit_name},  {"namakecamatan", ImportField::unit_name},
    {"subdistrict", ImportField::unit_name}, {"namaunit", ImportField::unit_name},  {"code", ImportField::unit_code},
    {"kode", ImportField::unit_code},       {"kodekecamatan", ImportField::unit_code}, {"kodewilayah", ImportField::unit_code},
    {"unitcode", ImportField::unit_code},   {"kodeunit", ImportField::unit_code},  {"platform", ImportField::platform},
    {"mediasosial", ImportField::platform}, {"medsos", ImportField::platform},     {"username", ImportField::handle},
    {"handle", ImportField::handle},        {"akun", ImportField::handle},         {"namaakun", ImportField::handle},
    {"namapengguna", ImportField::handle},  {"password", ImportField::password},   {"katasandi", ImportField::password},
    {"sandi", ImportField::password},       {"email", ImportField::email},         {"surel", ImportField::email},
    {"phone", ImportField::phone},          {"nohp", ImportField::phone},          {"nomorhp", ImportField::phone},
    {"notelepon", ImportField::phone},      {"telepon", ImportField::phone},       {"notelp", ImportField::phone},
    {"notes", ImportField::notes},          {"catatan", ImportField::notes},       {"keterangan", ImportField::notes},
    {"url", ImportField::url},              {"tautan", ImportField::url},          {"link", ImportField::url},
    {"totp", ImportField::totp},            {"otp", ImportField::totp},            {"ignore", ImportField::ignore},
    // A spreadsheet's running number.
    {"no", ImportField::ignore},            {"nomor", ImportField::ignore},        {"#", ImportField::ignore},
};

struct HostPlatform {
    std::string_view host;
    std::string_view platform;
};
constexpr HostPlatform host_platforms[] = {
    {"instagram.com", "instagram"}, {"facebook.com", "facebook"}, {"fb.com", "facebook"},     {"x.com", "x"},
    {"twitter.com", "x"},           {"tiktok.com", "tiktok"},     {"youtube.com", "youtube"}, {"youtu.be", "youtube"},
    {"threads.net", "threads"},     {"threads.com", "threads"},   {"mail.google.com", "email"}, {"gmail.com", "email"},
    {"outlook.com", "email"},       {"outlook.live.com", "email"}, {"mail.yahoo.com", "email"},
};

// Builds an ImportTable row by row: copies secrets into the table's secure arena, checks each
// row on its own and against the rows before it.
class TableBuilder {
public:
    TableBuilder(ImportFormat format, std::string_view file_name, const SecretBytes& file) {
        table_.source.format = format;
        std::string base = std::filesystem::path(std::string(file_name)).filename().string();
        // A name that would not read as it is (a control character, or one that reorders or hides
        // text, "akun\u202evsc.csv") is not recorded, as one too long is not.
        if (base.size() <= max_file_name && is_printable_utf8(base) && !hidden_mark_in(base)) table_.source.name = base;
        table_.source.size = file.size();
        table_.source.hash = blake2b_256(file.view());
        table_.secrets = SecretBytes(file.size() + 1);
    }

    SecretSpan keep(std::string_view secret) {
        SecretSpan s{table_.secrets_used, secret.size()};
        if (!secret.empty()) std::memcpy(table_.secrets.data() + table_.secrets_used, secret.data(), secret.size()); // memcpy(nullptr, 0) is UB
        table_.secrets_used += secret.size();
        return s;
    }

    void problem(std::size_t line, Phrase text) { table_.problems.emplace_back(line, std::move(text)); }
    void skipped_in_recycle_bin(std::size_t n) { table_.skipped_in_recycle_bin = n; }

    // The plain fields of `row` are set; `password`, `totp` and `notes` are the secret cells.
    void add(ImportRow row, std::string_view password, std::string_view totp, std::string_view notes) {
        std::size_t problems_before = table_.problems.size();
        auto bad = [&](Phrase text) { problem(row.line, std::move(text)); };
        auto value = [](std::string v) { return Phrase::plain(std::move(v)); };
        if (!is_valid_platform(row.platform)) bad(Phrase(tr_noop("unknown platform %s"), {value(cited(row.platform))}));
        if (row.handle.empty()) bad(Phrase(tr_noop("the username is missing")));
        else if (auto h = normalize_handle(row.platform, row.handle)) row.handle = *h;
        else bad(refused_username(row.platform, row.handle));
        if (!row.unit_code.empty() && !is_valid_unit_code(row.unit_code))
            bad(Phrase(tr_noop("%s is not a kecamatan code (NN.NN.NN, e.g. 35.02.01)"), {value(cited(row.unit_code))}));
        if (row.unit_code.empty() && row.unit_name.empty()) bad(Phrase(tr_noop("it names no sub-district (kode or kecamatan)")));
        if (!row.unit_name.empty() && !is_valid_unit_name(row.unit_name)) bad(Phrase(tr_noop("the kecamatan name is too long or not printable text")));
        if (password.empty()) bad(Phrase(tr_noop("the password is missing")));
        else if (password.size() > max_secret_password)
            bad(Phrase(tr_noop("the password is longer than %s bytes"), {value(std::to_string(max_secret_password))}));
        // No platform takes one, and it cuts the password short wherever a C string carries it
        // (a file saved as UTF-16 is full of them).
        else if (password.find('\0') != std::string_view::npos) bad(Phrase(tr_noop("the password holds a NUL byte (is the file UTF-16?)")));
        // check_password_text's rule (secrets.hpp: UTF-8 text), said as the row's problem; the
        // parser does not reach for the secrets' domain, which the fuzz targets do not build.
        else if (!is_utf8(password)) bad(Phrase(tr_noop("the password is not UTF-8 text (save the file as UTF-8)")));
        if (!totp.empty()) {
            // parse_totp_seed never quotes the seed, so its sentence may stand in the row's.
            if (auto seed = parse_totp_seed(as_bytes(totp)); !seed)
                bad(Phrase(tr_noop("%s; the seed is not shown here"), {phrase_of(seed.error())}));
        }
        if (notes.size() > max_notes) bad(Phrase(tr_noop("the notes are longer than %s bytes"), {value(std::to_string(max_notes))}));
        if (!is_valid_email(row.email)) bad(Phrase(tr_noop("%s is not an e-mail address"), {value(cited(row.email))}));
        if (!is_valid_phone(row.phone)) bad(Phrase(tr_noop("%s is not a phone number (write it as +628123456789)"), {value(cited(row.phone))}));
        if (!is_valid_url(row.url)) bad(Phrase(tr_noop("%s is not a URL (https://...)"), {value(cited(row.url))}));
        if (table_.problems.size() == problems_before) {
            std::string ref = row.platform + "/" + row.handle;
            if (auto [it, fresh] = handles_.emplace(ref, row.line); !fresh)
                bad(Phrase(tr_noop("%1$s is also on line %2$s"), {value(ref), value(std::to_string(it->second))}));
            if (!row.unit_code.empty() && !row.unit_name.empty()) {
                auto [it, fresh] = unit_names_.emplace(row.unit_code, std::make_pair(row.unit_name, row.line));
                if (!fresh && it->second.first != row.unit_name)
                    bad(Phrase(tr_noop("sub-district %1$s is named %2$s on line %3$s and %4$s here"),
                               {value(row.unit_code), value(cited(it->second.first)), value(std::to_string(it->second.second)), value(cited(row.unit_name))}));
            }
        }
        if (table_.problems.size() != problems_before) return;
        row.password = keep(password);
        row.totp = keep(totp);
        row.notes = keep(notes);
        table_.rows.push_back(std::move(row));
    }

    ImportTable finish() && {
        std::stable_sort(table_.problems.begin(), table_.problems.end(),
                         [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
        return std::move(table_);
    }

private:
    ImportTable table_;
    std::map<std::string, std::size_t> handles_;
    std::map<std::string, std::pair<std::string, std::size_t>> unit_names_;
};

std::string field_list() {
    return "unit (kecamatan), code (kode), platform, username, password, email, phone, notes, url, totp or ignore";
}

} // namespace

std::string cited(std::string_view s) {
    if (s.size() <= 60) return "'" + std::string(s) + "'";
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
    return "'" + std::string(s.substr(0, cut)) + "...'";
}

std::string_view import_field_name(ImportField f) noexcept {
    switch (f) {
    case ImportField::unit_name: return "unit";
    case ImportField::unit_code: return "code";
    case ImportField::platform: return "platform";
    case ImportField::handle: return "username";
    case ImportField::password: return "password";
    case ImportField::email: return "email";
    case ImportField::phone: return "phone";
    case ImportField::notes: return "notes";
    case ImportField::url: return "url";
    case ImportField::totp: return "totp";
    case ImportField::ignore: return "ignore";
    }
    return "unknown";
}

std::optional<ImportField> parse_import_field(std::string_view name) {
    std::string f = folded(name);
    for (const auto& a : field_aliases)
        if (a.alias == f) return a.field;
    return std::nullopt;
}

std::optional<std::string> platform_from_text(std::string_view text) {
    auto lookup = [](std::string_view t) { return platform_named(t); };
    text = trimmed(text);
    if (auto p = lookup(text)) return p;
    // "Instagram Panwascam Ponorogo": the first word names it.
    auto space = text.find(' ');
    if (space != std::string_view::npos) return lookup(text.substr(0, space));
    return std::nullopt;
}

std::optional<std::string> platform_from_url(std::string_view url) {
    url = trimmed(url);
    auto scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    std::string host(url.substr(0, url.find_first_of("/?#:")));
    std::transform(host.begin(), host.end(), host.begin(), [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    for (std::string_view prefix : {"www.", "m.", "mobile.", "web."})
        if (host.starts_with(prefix)) host.erase(0, prefix.size());
    for (const auto& h : host_platforms)
        if (h.host == host) return std::string(h.platform);
    return std::nullopt;
}

Result<ImportTable> read_spreadsheet(std::string_view file_name, const SecretBytes& file, const SpreadsheetOptions& options) {
    ByteView data = without_bom(file.view());
    TableBuilder table(ImportFormat::spreadsheet, file_name, file);

    // --map COLUMN=FIELD, checked before the file is read.
    std::vector<std::pair<std::string, ImportField>> mapped;
    for (const auto& [column, field_name] : options.map) {
        auto field = parse_import_field(field_name);
        if (!field) return fail_phrased(ErrorCode::usage, i18n::tr_noop("--map %1$s=%2$s: %3$s is not a field"),
                                        {std::string(column), std::string(field_name), std::string(cited(field_name)), std::string(field_list())},
                                        i18n::tr_noop("the fields are %4$s"));
        mapped.emplace_back(folded(column), *field);
    }

    std::vector<std::optional<ImportField>> columns; // what each column holds; set from the header
    bool header_done = false;
    auto column_of = [&](ImportField f) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (columns[i] == f) return i;
        return std::nullopt;
    };

    auto visit = [&](const CsvRecord& rec) -> Status {
        if (!header_done) {
            header_done = true;
            std::vector<std::string> unknown;
            std::vector<bool> map_used(mapped.size(), false);
            for (std::string_view raw : rec.fields) {
                std::string f = folded(raw);
                std::optional<ImportField> field;
                for (std::size_t m = 0; m < mapped.size(); ++m)
                    if (mapped[m].first == f) {
                        field = mapped[m].second;
                        map_used[m] = true;
                    }
                if (!field) field = parse_import_field(raw);
                if (!field) unknown.push_back(cited(trimmed(raw)) + " (column " + std::to_string(columns.size() + 1) + ")");
                if (field && *field != ImportField::ignore && column_of(*field))
                    return fail_phrased(ErrorCode::usage, i18n::tr_noop("line %1$s: two columns hold the %2$s field"),
                                        {std::to_string(rec.line), std::string(import_field_name(*field))},
                                        i18n::tr_noop("drop one with --map 'COLUMN=ignore'"));
                columns.push_back(field);
            }
            for (std::size_t m = 0; m < mapped.size(); ++m)
                if (!map_used[m])
                    return fail_phrased(ErrorCode::usage, i18n::tr_noop("--map %s=...: the file has no such column"),
                                        {std::string(options.map[m].first)}, i18n::tr_noop("the first line of the file names its columns"));
            if (!unknown.empty()) {
                std::string list;
                for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
                return fail_phrased(ErrorCode::usage,
                                    unknown.size() > 1 ? i18n::tr_noop("line %1$s: Brankas does not know the columns %2$s")
                                                       : i18n::tr_noop("line %1$s: Brankas does not know the column %2$s"),
                                    {std::to_string(rec.line), list, field_list()},
                                    i18n::tr_noop("say what each holds with --map 'COLUMN=FIELD' (FIELD: %3$s)"));
            }
            for (ImportField needed : {ImportField::platform, ImportField::handle, ImportField::password})
                if (!column_of(needed))
                    return fail_phrased(ErrorCode::usage, i18n::tr_noop("the file has no %1$s column"), {std::string(import_field_name(needed))},
                                        i18n::tr_noop("name it in the first line, or point to it with --map 'COLUMN=%1$s'"));
            if (!column_of(ImportField::unit_code) && !column_of(ImportField::unit_name))
                return fail_phrased(ErrorCode::usage, i18n::tr_noop("the file has no kode or kecamatan column"), {},
                                    i18n::tr_noop("every row must name its sub-district"));
            return {};
        }
        if (rec.fields.size() > columns.size()) {
            table.problem(rec.line, Phrase(tr_noop("it has %1$s fields, the header %2$s"),
                                           {Phrase::plain(std::to_string(rec.fields.size())), Phrase::plain(std::to_string(columns.size()))}));
            return {};
        }
        ImportRow row;
        row.line = rec.line;
        std::string_view password, totp, notes;
        for (std::size_t i = 0; i < rec.fields.size(); ++i) {
            if (!columns[i]) continue;
            std::string_view cell = rec.fields[i];
            switch (*columns[i]) {
            case ImportField::unit_name: row.unit_name = trimmed(cell); break;
            case ImportField::unit_code: row.unit_code = trimmed(cell); break;
            case ImportField::platform: row.platform = platform_from_text(cell).value_or(std::string(trimmed(cell))); break;
            case ImportField::handle: row.handle = trimmed(cell); break;
            case ImportField::email: row.email = trimmed(cell); break;
            case ImportField::phone: row.phone = trimmed(cell); break;
            case ImportField::url: row.url = trimmed(cell); break;
            // Secrets are taken exactly as the cell holds them: a password may begin with a space.
            case ImportField::password: password = cell; break;
            case ImportField::totp: totp = trimmed(cell); break;
            case ImportField::notes: notes = cell; break;
            case ImportField::ignore: break;
            }
        }
        table.add(std::move(row), password, totp, notes);
        return {};
    };
    BRANKAS_TRY(read_csv(data, detect_delimiter(data), visit));
    if (!header_done) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the file is empty"), {},
                                          i18n::tr_noop("the first line names the columns; each line after it is an account"));
    return std::move(table).finish();
}

namespace {

constexpr std::array<std::string_view, 7> keepassxc_columns{"Group", "Title", "Username", "Password", "URL", "Notes", "TOTP"};

bool in_recycle_bin(std::string_view group) {
    // KeePassXC names the bin when it creates it, in the language of its interface then.
    for (std::string_view bin : {"/Recycle Bin", "/Tempat Sampah"}) {
        auto at = group.find(bin);
        if (at != std::string_view::npos && (at + bin.size() == group.size() || group[at + bin.size()] == '/')) return true;
    }
    return false;
}

// "35.02.01 Ponorogo", "35.02.01 - Ponorogo", "35.02.01": a code, then the name. Otherwise the
// whole part is a name.
std::pair<std::string, std::string> unit_of_group(std::string_view part) {
    part = trimmed(part);
    if (part.size() >= 8 && is_valid_unit_code(part.substr(0, 8)) && (part.size() == 8 || part[8] == ' ' || part[8] == '-' || part[8] == ':')) {
        std::string_view rest = part.substr(8);
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '-' || rest.front() == ':')) rest.remove_prefix(1);
        return {std::string(part.substr(0, 8)), std::string(rest)};
    }
    return {std::string(), std::string(part)};
}

} // namespace

Result<ImportTable> read_keepassxc_export(std::string_view file_name, const SecretBytes& file) {
    ByteView data = without_bom(file.view());
    TableBuilder table(ImportFormat::keepassxc, file_name, file);
    bool header_done = false;
    std::size_t in_bin = 0;
    auto visit = [&](const CsvRecord& rec) -> Status {
        if (!header_done) {
            header_done = true;
            bool matches = rec.fields.size() >= keepassxc_columns.size();
            for (std::size_t i = 0; matches && i < keepassxc_columns.size(); ++i) matches = rec.fields[i] == keepassxc_columns[i];
            if (!matches)
                return fail_phrased(ErrorCode::usage, i18n::tr_noop("this is not a KeePassXC CSV export: its first line is not \"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",..."),
                                    {},
                                    i18n::tr_noop("export with `keepassxc-cli export --format csv DATABASE > FILE`, or use `brankas import csv` for a spreadsheet"));
            return {};
        }
        if (rec.fields.size() < keepassxc_columns.size()) {
            table.problem(rec.line, Phrase(tr_noop("it has %s fields, a KeePassXC export has at least 7"), {Phrase::plain(std::to_string(rec.fields.size()))}));
            return {};
        }
        std::string_view group = rec.fields[0], title = trimmed(rec.fields[1]), url = trimmed(rec.fields[4]);
        if (in_recycle_bin(group)) {
            ++in_bin;
            return {};
        }
        ImportRow row;
        row.line = rec.line;
        auto slash = group.rfind('/');
        if (slash == std::string_view::npos) {
            table.problem(rec.line, Phrase(tr_noop("entry %s is not in a group that names a sub-district (\"NN.NN.NN Name\")"), {Phrase::plain(cited(title))}));
            return {};
        }
        std::tie(row.unit_code, row.unit_name) = unit_of_group(group.substr(slash + 1));
        auto platform = platform_from_text(title);
        if (!platform) platform = platform_from_url(url);
        if (!platform) {
            table.problem(rec.line, Phrase(tr_noop("cannot tell the platform of entry %s from its title or its URL"), {Phrase::plain(cited(title))}));
            return {};
        }
        row.platform = *platform;
        row.handle = trimmed(rec.fields[2]);
        // A username that is an e-mail address is also the account's login e-mail.
        if (row.handle.find('@') != std::string::npos && !row.handle.starts_with("@") && is_valid_email(row.handle)) row.email = row.handle;
        row.url = url;
        if (!row.url.empty() && row.url.find("://") == std::string::npos) row.url = "https://" + row.url;
        table.add(std::move(row), rec.fields[3], trimmed(rec.fields[6]), rec.fields[5]);
        return {};
    };
    BRANKAS_TRY(read_csv(data, ',', visit));
    if (!header_done) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the file is empty"), {},
                                          i18n::tr_noop("export with `keepassxc-cli export --format csv DATABASE > FILE`"));
    table.skipped_in_recycle_bin(in_bin);
    return std::move(table).finish();
}

} // namespace brankas
