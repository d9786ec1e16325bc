#include "vault/import/csv_reader.hpp"

#include <csv.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace brankas {

namespace {

constexpr std::size_t max_fields = 256;
constexpr std::size_t secure_header = 16; // the usable size, kept in front of each block
thread_local std::uint64_t growth_copies = 0; // csv_growth_copies()

// libcsv grows its field buffer with realloc and frees it with free. These two keep it in
// sodium_malloc memory instead, so every byte of a password that passes through it is wiped
// (sodium_free wipes) when the buffer grows or goes.
//
// libcsv asks for one block (4 KiB) more each time a field fills its buffer, and every new
// secure allocation copies the whole field: a cell of n bytes cost n^2 / 8 KiB bytes of
// copying (a 20 MB cell, 36 s). A block that grows is given at least twice its size, and a
// request that fits is answered with the same block, so the copies add up to less than 2n.
void* secure_realloc(void* old, std::size_t size) {
    std::size_t old_capacity = 0;
    unsigned char* old_base = nullptr;
    if (old != nullptr) {
        old_base = static_cast<unsigned char*>(old) - secure_header;
        std::memcpy(&old_capacity, old_base, sizeof old_capacity);
        if (size <= old_capacity) return old;
    }
    std::size_t capacity = std::max(size, old_capacity * 2); // the file bounds both: no overflow
    auto* base = static_cast<unsigned char*>(sodium_malloc(capacity + secure_header));
    if (base == nullptr && capacity > size) base = static_cast<unsigned char*>(sodium_malloc((capacity = size) + secure_header));
    if (base == nullptr) return nullptr;
    std::memcpy(base, &capacity, sizeof capacity);
    if (old != nullptr) {
        std::memcpy(base + secure_header, old, std::min(old_capacity, size));
        growth_copies += std::min(old_capacity, size);
        sodium_free(old_base);
    }
    return base + secure_header;
}

// libcsv trims spaces around fields unless told that nothing is a space: a password may begin
// or end with one, so nothing is trimmed here (the callers trim the plain fields).
int nothing_is_space(unsigned char) { return 0; }

void secure_free(void* block) {
    if (block != nullptr) sodium_free(static_cast<unsigned char*>(block) - secure_header);
}

// The parser's state, shared with libcsv's callbacks.
struct Reading {
    const std::function<Status(const CsvRecord&)>* visit = nullptr;
    SecretBytes record;       // the fields of the current record, one after another
    std::size_t used = 0;
    std::vector<std::pair<std::size_t, std::size_t>> spans; // offset, size of each field
    std::size_t start_line = 0;  // 0: no record open
    std::size_t current_line = 0;
    std::optional<Error> error;

    void wipe_record() noexcept {
        if (used > 0) sodium_memzero(record.data(), used);
        used = 0;
        spans.clear();
        start_line = 0;
    }
};

void on_field(void* text, std::size_t size, void* data) {
    auto& r = *static_cast<Reading*>(data);
    if (r.error) return;
    if (r.spans.size() == max_fields) {
        r.error = phrased_error(ErrorCode::usage, i18n::tr_noop("line %1$s has more than %2$s fields"),
                                {std::to_string(r.start_line), std::to_string(max_fields)});
        return;
    }
    // A record never holds more bytes than the file, which is what `record` was sized to.
    if (size != 0) std::memcpy(r.record.data() + r.used, text, size); // an empty field may come as a null pointer
    r.spans.emplace_back(r.used, size);
    r.used += size;
}

void on_record_end(int, void* data) {
    auto& r = *static_cast<Reading*>(data);
    if (r.error) return;
    bool blank = std::all_of(r.spans.begin(), r.spans.end(), [](const auto& s) { return s.second == 0; });
    if (!blank) {
        CsvRecord rec;
        rec.line = r.start_line == 0 ? r.current_line : r.start_line;
        rec.fields.reserve(r.spans.size());
        for (const auto& [offset, size] : r.spans)
            rec.fields.emplace_back(reinterpret_cast<const char*>(r.record.data()) + offset, size);
        if (auto visited = (*r.visit)(rec); !visited) r.error = visited.error();
    }
    r.wipe_record();
}

// Frees libcsv's buffer (through secure_free) on every path out.
struct Parser {
    csv_parser p{};
    bool ready = false;
    ~Parser() {
        if (ready) csv_free(&p);
    }
};

} // namespace

std::uint64_t csv_growth_copies() noexcept { return growth_copies; }

char detect_delimiter(ByteView file) {
    std::size_t commas = 0, semicolons = 0;
    bool quoted = false;
    for (std::uint8_t c : file) {
        if (c == '"') quoted = !quoted; // a doubled quote toggles twice: still right
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted && c == ',') ++commas;
        else if (!quoted && c == ';') ++semicolons;
    }
    return semicolons > commas ? ';' : ',';
}

Status read_csv(ByteView file, char delimiter, const std::function<Status(const CsvRecord&)>& visit) {
    Parser parser;
    // Strict: a stray quote inside an unquoted field, or a quote left open at the end, is an
    // error rather than a guess about where a password ends.
    if (csv_init(&parser.p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("cannot start the CSV parser"), {});
    parser.ready = true;
    csv_set_realloc_func(&parser.p, secure_realloc);
    csv_set_free_func(&parser.p, secure_free);
    csv_set_blk_size(&parser.p, 4096);
    csv_set_space_func(&parser.p, nothing_is_space);
    csv_set_delim(&parser.p, static_cast<unsigned char>(delimiter));

    Reading r;
    r.visit = &visit;
    r.record = SecretBytes(file.size() + 1);
    // One physical line at a time, so that every record knows the line it starts on.
    std::size_t pos = 0;
    while (pos < file.size() && !r.error) {
        auto nl = std::find(file.begin() + static_cast<std::ptrdiff_t>(pos), file.end(), std::uint8_t{'\n'});
        std::size_t end = nl == file.end() ? file.size() : static_cast<std::size_t>(nl - file.begin()) + 1;
        ++r.current_line;
        ByteView line = file.subspan(pos, end - pos);
        bool has_content = std::any_of(line.begin(), line.end(), [](std::uint8_t c) { return c != '\n' && c != '\r'; });
        if (r.start_line == 0 && has_content) r.start_line = r.current_line;
        if (csv_parse(&parser.p, line.data(), line.size(), on_field, on_record_end, &r) != line.size() && !r.error)
            r.error = phrased_error(
                ErrorCode::usage,
                i18n::tr_noop("line %s has a quote inside a field that is not quoted, or a field that goes on after its closing quote"),
                {std::to_string(r.current_line)},
                i18n::tr_noop("a field with quotes in it is written in double quotes, each quote doubled: \"a\"\"b\""));
        pos = end;
    }
    if (!r.error && csv_fini(&parser.p, on_field, on_record_end, &r) != 0 && !r.error)
        r.error = phrased_error(ErrorCode::usage, i18n::tr_noop("the quote opened on line %s is never closed"), {std::to_string(r.start_line)});
    r.wipe_record();
    if (r.error) return std::unexpected(std::move(*r.error));
    return {};
}

} // namespace brankas
