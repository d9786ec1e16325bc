// import csv, import keepassxc: the accounts districts keep in spreadsheets and password
// managers today, brought in without retyping. Every row is checked first; one bad row and
// nothing is imported.
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "faces/error_text.hpp"
#include "vault/crypto/bytes.hpp"
#include "vault/encoding.hpp"
#include "vault/import/imports.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <ostream>
#include <unistd.h>
#include <vector>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// A bar on stderr, redrawn in place; only when stderr is the real terminal.
class ImportBar {
public:
    explicit ImportBar(std::ostream& err) : err_(err), shown_(&err == &std::cerr && ::isatty(STDERR_FILENO) == 1) {}
    void operator()(std::size_t done, std::size_t total) {
        if (!shown_) return;
        constexpr std::size_t width = 30;
        std::size_t filled = total == 0 ? width : width * done / total;
        err_ << "\r" << tr("importing") << " [" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << thousands(done) << "/"
             << thousands(total) << (done == total ? "\n" : "") << std::flush;
    }

private:
    std::ostream& err_;
    bool shown_;
};

class ImportCommand : public VaultCommand {
public:
    explicit ImportCommand(ImportFormat format) : format_(format) {}

    po::options_description options() override {
        po::options_description o(format_ == ImportFormat::spreadsheet ? tr("Arguments of import csv: FILE") : tr("Arguments of import keepassxc: FILE"));
        o.add_options()("file", po::value<std::string>(&file_)->required(),
                        format_ == ImportFormat::spreadsheet ? tr("the spreadsheet, saved as CSV (UTF-8; ',' or ';')")
                                                             : tr("the export of `keepassxc-cli export --format csv`"));
        if (format_ == ImportFormat::spreadsheet)
            o.add_options()("map", po::value<std::vector<std::string>>(&maps_),
                            tr("COLUMN=FIELD: what a column the header does not name holds (FIELD: unit, code, platform, username, "
                               "password, email, phone, notes, url, totp, or ignore); repeat for more columns"));
        o.add_options()
            ("create-units", po::bool_switch(&create_units_), tr("create the sub-districts the file names that do not exist (needs kode and kecamatan)"))
            ("dry-run", po::bool_switch(&dry_run_), tr("check every row and show what would be created; change nothing"));
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"file"}); }
    Status setup(const po::variables_map&) override {
        for (const std::string& m : maps_) {
            auto eq = m.rfind('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
                return fail(ErrorCode::usage, fill(tr("--map %s: write it as COLUMN=FIELD"), {i18n::echo(m)}), tr("e.g. --map 'Nama Akun=username'"));
            spreadsheet_.map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
        }
        return {};
    }

    // The file holds passwords: it goes into secure memory, and is read (and every row
    // checked) before anyone is asked for a passphrase.
    Status prepare(Context&) override {
        SecretBytes bytes = BRANKAS_TRY(read_secret_file(file_, max_import_file, FileKind::regular));
        table_ = format_ == ImportFormat::spreadsheet ? BRANKAS_TRY(read_spreadsheet(file_, bytes, spreadsheet_))
                                                      : BRANKAS_TRY(read_keepassxc_export(file_, bytes));
        return {}; // the bytes are wiped here; the table keeps only the secret fields
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        ImportBar bar(ctx.err);
        const ImportOptions options{create_units_ ? MissingUnits::create : MissingUnits::refuse,
                                    dry_run_ ? ImportRun::dry_run : ImportRun::write};
        ImportOutcome outcome = BRANKAS_TRY(import_accounts(vault, table_, options, std::ref(bar)));

        if (ctx.options.json) print_json(ctx, table_, outcome);
        else if (!outcome.problems.empty()) print_problems(ctx, outcome);
        else if (dry_run_) print_plan(ctx, table_, outcome);
        else print_done(ctx, table_, outcome);
        if (!outcome.problems.empty()) {
            // A row with two problems is one bad row: its line is named (and counted) once.
            std::vector<std::size_t> bad_rows;
            for (const RowProblem& p : outcome.problems) bad_rows.push_back(p.line);
            std::sort(bad_rows.begin(), bad_rows.end());
            bad_rows.erase(std::unique(bad_rows.begin(), bad_rows.end()), bad_rows.end());
            std::string lines;
            for (std::size_t i = 0; i < bad_rows.size() && i < 10; ++i) lines += (i == 0 ? "" : ", ") + std::to_string(bad_rows[i]);
            if (bad_rows.size() > 10) lines += ", ...";
            return fail(ErrorCode::usage,
                        fill(trn("%1$s row of %2$s cannot be imported (line %3$s); nothing was imported",
                                 "%1$s rows of %2$s cannot be imported (lines %3$s); nothing was imported",
                                 static_cast<unsigned long>(bad_rows.size())),
                             {thousands(bad_rows.size()), file_, lines}),
                        tr("correct the file and run the import again; --dry-run checks it without importing"));
        }
        return {};
    }

private:
    std::string describe(const ImportTable& t) const {
        return fill(tr("%1$s (%2$s bytes, BLAKE2b %3$s...)"), {file_, thousands(t.source.size), to_hex(t.source.hash).substr(0, 16)});
    }

    void print_problems(Context& ctx, const ImportOutcome& o) const {
        for (const RowProblem& p : o.problems)
            ctx.err << fill(tr("brankas: line %1$s: %2$s"),
                            {std::to_string(p.line), for_terminal(faces::phrase_text(p.phrase, p.problem, [](const char* id) { return tr(id); }))})
                    << "\n";
    }

    void print_notes(Context& ctx, const ImportTable& t) const {
        const std::size_t n = t.skipped_in_recycle_bin;
        if (n > 0)
            ctx.out << fill(trn("Note: skipped %s entry in the recycle bin.", "Note: skipped %s entries in the recycle bin.", n), {std::to_string(n)})
                    << "\n";
    }

    void print_plan(Context& ctx, const ImportTable& t, const ImportOutcome& o) const {
        ctx.out << fill(trn("Would import %1$s account from %2$s:", "Would import %1$s accounts from %2$s:", static_cast<unsigned long>(o.accounts)),
                        {thousands(o.accounts), for_terminal(describe(t))})
                << "\n";
        std::vector<std::vector<std::string>> rows;
        std::int64_t id = o.first_account;
        for (const ImportRow& r : t.rows)
            rows.push_back({std::to_string(r.line), std::to_string(id++), r.unit_code, r.platform + "/" + r.handle,
                            r.email.empty() ? "-" : r.email, r.phone.empty() ? "-" : r.phone, r.totp.size > 0 ? tr("yes") : tr("no"),
                            r.notes.size > 0 ? tr("yes") : tr("no")});
        print_table(ctx.out, {tr("LINE"), tr("NUMBER"), tr("SUB-DISTRICT"), tr("ACCOUNT"), tr("EMAIL"), tr("PHONE"), "TOTP", tr("NOTES")}, rows);
        for (const PlannedUnit& u : o.new_units)
            ctx.out << fill(tr("Would create sub-district %1$s %2$s."), {u.code, for_terminal(u.name)}) << "\n";
        print_notes(ctx, t);
        ctx.out << tr("Nothing was changed (--dry-run). Every account would get its password as version 1.") << "\n";
    }

    void print_done(Context& ctx, const ImportTable& t, const ImportOutcome& o) const {
        ctx.out << fill(trn("Imported %1$s account (numbers %2$s to %3$s) from %4$s in one transaction",
                            "Imported %1$s accounts (numbers %2$s to %3$s) from %4$s in one transaction",
                            static_cast<unsigned long>(o.accounts)),
                        {thousands(o.accounts), std::to_string(o.first_account),
                         std::to_string(o.first_account + static_cast<std::int64_t>(o.accounts) - 1), for_terminal(describe(t))});
        if (!o.new_units.empty())
            ctx.out << fill(trn(", creating %s sub-district", ", creating %s sub-districts", static_cast<unsigned long>(o.new_units.size())),
                            {thousands(o.new_units.size())});
        ctx.out << ".\n";
        print_notes(ctx, t);
        ctx.out << tr("Each password is sealed to its sub-district's key; the import event names the file by its hash.") << "\n"
                << fill(tr("The file still holds every password in plain text: wipe it now (shred -u %s)."), {for_terminal(shell_word(file_))}) << "\n";
    }

    void print_json(Context& ctx, const ImportTable& t, const ImportOutcome& o) const {
        nlohmann::json problems = nlohmann::json::array();
        for (const RowProblem& p : o.problems) problems.push_back({{"line", p.line}, {"problem", p.problem}});
        nlohmann::json units = nlohmann::json::array();
        for (const PlannedUnit& u : o.new_units) units.push_back({{"code", u.code}, {"name", u.name}});
        nlohmann::json accounts = nlohmann::json::array();
        if (o.problems.empty()) {
            std::int64_t id = o.first_account;
            for (const ImportRow& r : t.rows)
                accounts.push_back({{"line", r.line}, {"number", id++}, {"unit", r.unit_code}, {"platform", r.platform}, {"handle", r.handle},
                                    {"email", r.email}, {"phone", r.phone}, {"url", r.url}, {"totp", r.totp.size > 0}});
        }
        // The notes as they always read in --json (machine output keeps its English).
        nlohmann::json notes = nlohmann::json::array();
        if (const std::size_t n = t.skipped_in_recycle_bin; n > 0)
            notes.push_back("skipped " + std::to_string(n) + (n == 1 ? " entry" : " entries") + " in the recycle bin");
        ctx.out << json_text(nlohmann::json{{"file", file_},
                                            {"file_bytes", t.source.size},
                                            {"file_hash", to_hex(t.source.hash)},
                                            {"dry_run", dry_run_},
                                            {"imported", o.imported},
                                            {"accounts", accounts},
                                            {"new_units", units},
                                            {"problems", problems},
                                            {"notes", notes}})
                << '\n';
    }

    ImportFormat format_;
    std::string file_;
    std::vector<std::string> maps_;
    SpreadsheetOptions spreadsheet_;
    bool create_units_ = false, dry_run_ = false;
    ImportTable table_; // read whole and checked in prepare(), imported in run_in_vault()
};

} // namespace

std::unique_ptr<Command> make_import_csv_command() { return std::make_unique<ImportCommand>(ImportFormat::spreadsheet); }
std::unique_ptr<Command> make_import_keepassxc_command() { return std::make_unique<ImportCommand>(ImportFormat::keepassxc); }

} // namespace brankas::cli
