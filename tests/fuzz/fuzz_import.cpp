// The files `import csv` and `import keepassxc` read: exported by other programs, edited by
// hand, passed around by e-mail. The first byte picks the reader: a spreadsheet as it comes, a
// spreadsheet with a --map, a KeePassXC export, or one cell's TOTP seed.
#include "fuzz_target.hpp"

#include "vault/import/csv_reader.hpp"
#include "vault/import/import_table.hpp"
#include "vault/secrets/totp.hpp"

using namespace brankas;

namespace {

void check_table(const ImportTable& table, std::size_t file_size) {
    fuzz::require(table.source.size == file_size, "the table names the file's size");
    fuzz::require(table.secrets_used <= table.secrets.size(), "the secret cells fit their buffer");
    for (const ImportRow& row : table.rows)
        for (SecretSpan s : {row.password, row.totp, row.notes})
            fuzz::require(s.offset + s.size <= table.secrets_used, "every secret cell lies in the used buffer");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    if (size == 0) return 0;
    const std::uint8_t mode = data[0] % 4;
    SecretBytes file = SecretBytes::copy_of(fuzz::bytes_of(data + 1, size - 1));
    switch (mode) {
    case 0:
    case 1: {
        SpreadsheetOptions options;
        if (mode == 1) options.map = {{"Akun", "platform"}, {"Nama Pengguna", "username"}, {"Rahasia", "password"}, {"Catatan", "ignore"}};
        if (auto table = read_spreadsheet("fuzz.csv", file, options)) check_table(*table, file.size());
        break;
    }
    case 2:
        if (auto table = read_keepassxc_export("fuzz.csv", file)) check_table(*table, file.size());
        break;
    default:
        if (auto seed = parse_totp_seed(file.view())) {
            auto code = totp_code(*seed, 1'700'000'000);
            fuzz::require(code.has_value() && code->size() == seed->digits, "a seed that parses gives a code of its digits");
        }
        break;
    }
    return 0;
}
