// Import: accounts and their passwords from a spreadsheet or a KeePassXC export, all in one
// transaction or none at all.
#include "vault/import/imports.hpp"
#include "vault/own_reasons.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/decisions.hpp"
#include "vault/field_rules.hpp"
#include "vault/import/import_events.hpp"
#include "vault/log/event_batch.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

namespace brankas {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Encodes and seals one row's payload (version 1) through `buffer`, secure memory that the
// worker reuses from row to row (a sodium_malloc per row would cost more than the sealing) and
// wipes after each; only the sealed box leaves.
Result<Bytes> seal_row(const ImportTable& table, const ImportRow& row, std::int64_t account, const PublicKey& unit_key,
                       SecretBytes& buffer) {
    std::optional<TotpSeed> totp;
    if (row.totp.size > 0) totp = BRANKAS_TRY(parse_totp_seed(table.secret(row.totp)));
    SecretPayloadView payload{static_cast<std::uint64_t>(account), 1, table.secret(row.password), totp ? &*totp : nullptr,
                              ByteView(), table.secret(row.notes)};
    std::size_t size = BRANKAS_TRY(encode_secret_payload_into(payload, buffer));
    Bytes sealed = seal_to(unit_key, buffer.view().first(size));
    sodium_memzero(buffer.data(), size);
    return sealed;
}

// Each row's sealed payload (or why it could not be sealed), filled in by the batch's workers
// ahead of the writer: crypto_box_seal costs about 80 µs and each row's is independent of
// every other's.
class SealedRows {
public:
    SealedRows(const ImportTable& table, std::vector<std::int64_t> accounts, std::vector<PublicKey> keys)
        : table_(table), accounts_(std::move(accounts)), keys_(std::move(keys)), sealed_(table.rows.size()), errors_(table.rows.size()) {}

    // Seals rows [first, end) through one buffer of secure memory, wiped after each row and
    // whole when the chunk is done or cut short, that each thread keeps from one chunk to the
    // next (sodium_malloc maps it between guard pages, and freeing it makes every core flush
    // its TLB); only the sealed boxes leave.
    void seal(std::size_t first, std::size_t end) noexcept {
        try {
            thread_local SecretBytes buffer(max_secret_payload);
            const WipedAtExit wiped(buffer);
            for (std::size_t i = first; i < end; ++i) {
                auto sealed = seal_row(table_, table_.rows[i], accounts_[i], keys_[i], buffer);
                if (sealed) sealed_[i] = std::move(*sealed);
                else errors_[i] = sealed.error();
            }
        } catch (const std::bad_alloc&) {
            const Error no_memory = phrased_error(ErrorCode::internal, i18n::tr_noop("secure memory for the passwords could not be allocated"), {});
            for (std::size_t i = first; i < end; ++i)
                if (sealed_[i].empty() && !errors_[i]) errors_[i] = no_memory;
        }
    }
    // Row `i`'s sealed payload, once sealed.
    Result<Bytes> take(std::size_t i) {
        if (errors_[i]) return std::unexpected(*errors_[i]);
        return std::move(sealed_[i]);
    }
    [[nodiscard]] std::int64_t account(std::size_t i) const { return accounts_[i]; }

private:
    const ImportTable& table_;
    std::vector<std::int64_t> accounts_;
    std::vector<PublicKey> keys_;
    std::vector<Bytes> sealed_;
    std::vector<std::optional<Error>> errors_;
};

// The vault's side of an import's checks (read only): each row's unit exists (or is to be
// created), its handle is free. Fills the outcome's problems and new units.
Status plan_import(Database& db, ImportTable& table, const ImportOptions& options, ImportOutcome& outcome) {
    outcome.problems = table.problems;
    using i18n::Phrase;
    using i18n::tr_noop;
    auto problem = [&](const ImportRow& row, Phrase text) { outcome.problems.emplace_back(row.line, std::move(text)); };
    auto value = [](std::string v) { return Phrase::plain(std::move(v)); };
    const bool create_units = options.missing_units == MissingUnits::create;

    std::map<std::string, std::string> units;                 // code -> name
    std::map<std::string, std::vector<std::string>> by_name;  // lower-case name -> codes
    {
        Statement s = BRANKAS_TRY(db.prepare("SELECT code, name FROM units"));
        while (BRANKAS_TRY(s.step())) {
            units.emplace(s.column_text(0), s.column_text(1));
            by_name[lower_ascii(s.column_text(1))].push_back(s.column_text(0));
        }
    }
    std::map<std::string, std::string> new_units;
    Statement taken = BRANKAS_TRY(db.prepare("SELECT id FROM accounts WHERE platform = ? AND handle = ?"));
    for (ImportRow& row : table.rows) {
        if (row.unit_code.empty()) {
            auto found = by_name.find(lower_ascii(row.unit_name));
            if (found == by_name.end()) {
                problem(row, Phrase(create_units ? tr_noop("no sub-district is named %s (creating one needs its kode)") : tr_noop("no sub-district is named %s"),
                                    {value(cited(row.unit_name))}));
                continue;
            }
            if (found->second.size() > 1) {
                problem(row, Phrase(tr_noop("several sub-districts are named %s; give the kode"), {value(cited(row.unit_name))}));
                continue;
            }
            row.unit_code = found->second.front();
        }
        // A row that names both: the kode decides where the account goes, and a kecamatan name
        // the vault knows by another name is a row to check, not one to file under the kode.
        if (auto known = units.find(row.unit_code); known != units.end() && !row.unit_name.empty() &&
                                                     lower_ascii(known->second) != lower_ascii(row.unit_name)) {
            problem(row, Phrase(tr_noop("sub-district %1$s is %2$s in this vault, not %3$s: check the row's kode and kecamatan"),
                                {value(row.unit_code), value(cited(known->second)), value(cited(row.unit_name))}));
            continue;
        }
        if (!units.contains(row.unit_code) && !new_units.contains(row.unit_code)) {
            if (!create_units)
                problem(row, Phrase(tr_noop("there is no sub-district %s (add it with `brankas unit add`, or import with --create-units)"), {value(row.unit_code)}));
            else if (row.unit_name.empty())
                problem(row, Phrase(tr_noop("sub-district %s does not exist, and the row gives no kecamatan name to create it with"), {value(row.unit_code)}));
            // A name that prints as another is refused where the import would create the unit
            // (as unit add refuses it); a row that refers to a unit an older build named so finds it.
            else if (auto hidden = check_no_hidden_mark(row.unit_name, tr_noop("the sub-district name")); !hidden)
                problem(row, phrase_of(hidden.error()));
            else
                new_units.emplace(row.unit_code, row.unit_name);
        }
        taken.reset();
        taken.bind(1, row.platform).bind(2, row.handle);
        if (BRANKAS_TRY(taken.step()))
            problem(row, Phrase(tr_noop("%1$s/%2$s already exists (account %3$s)"),
                                {value(row.platform), value(row.handle), value(std::to_string(taken.column_int(0)))}));
    }
    std::stable_sort(outcome.problems.begin(), outcome.problems.end(),
                     [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
    for (auto& [code, name] : new_units) outcome.new_units.push_back({code, name});
    outcome.accounts = table.rows.size();
    return {};
}

// A dry run is decided as a real import is, without recording a refusal: it writes nothing.
Result<ImportOutcome> plan_only(Session& session, ImportTable& table, const ImportOptions& options) {
    policy::Request request;
    request.action = policy::Action::manage_accounts;
    policy::Decision d = BRANKAS_TRY(decide_as(session.db(), Actor{session.user(), session.role()}, session.clock().now_us(),
                                               std::move(request), ""));
    if (!d.allowed()) return refusal(d);
    ImportOutcome outcome;
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(session.db()));
    BRANKAS_TRY(plan_import(session.db(), table, options, outcome));
    outcome.first_account = BRANKAS_TRY(next_account_number(session.db()));
    return outcome;
}

} // namespace

Result<ImportOutcome> import_accounts(Session& session, ImportTable& table, const ImportOptions& options, const ImportProgress& progress) {
    if (table.rows.empty() && table.problems.empty()) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the file holds no accounts"), {});
    if (options.run == ImportRun::dry_run) return plan_only(session, table, options);
    BRANKAS_TRY(session.permit(policy::Action::manage_accounts, table.source.name));
    return session.write([&](Change& change) -> Result<ImportOutcome> {
        Database& db = change.db();
        ImportOutcome outcome;
        BRANKAS_TRY(plan_import(db, table, options, outcome));
        if (!outcome.problems.empty()) return outcome; // nothing was written

        BRANKAS_TRY(change.append(ImportRecorded{table.source, static_cast<std::int64_t>(table.rows.size()),
                                                 static_cast<std::int64_t>(outcome.new_units.size())}));
        for (const PlannedUnit& u : outcome.new_units) BRANKAS_TRY(append_unit(change, u.code, u.name));

        // The batch's workers seal the rows ahead of this thread, which writes them in order, and
        // sign each chunk of events once this thread has chained it.
        outcome.first_account = BRANKAS_TRY(next_account_number(db));
        std::map<std::string, UnitPublicKey> unit_keys;
        std::vector<std::int64_t> accounts(table.rows.size());
        std::vector<PublicKey> keys(table.rows.size());
        for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const std::string& code = table.rows[i].unit_code;
            auto key = unit_keys.find(code);
            if (key == unit_keys.end()) key = unit_keys.emplace(code, BRANKAS_TRY(current_unit_key(db, code))).first;
            accounts[i] = outcome.first_account + static_cast<std::int64_t>(i);
            keys[i] = key->second.key;
        }
        SealedRows sealed_rows(table, std::move(accounts), std::move(keys));
        // Every event of the batch asks its appliers again whether the vault exists, who the
        // importer is, what the policy says and where the unit stands in its terms, which none of
        // them changes: kept for this write (replay_cache.hpp says why a kept read cannot be stale).
        ReadsKeptForWrite kept_reads = BRANKAS_TRY(ReadsKeptForWrite::begin(db));
        // The accounts carry the import event's time (docs/formats.md), the change's instant.
        auto batch = BRANKAS_TRY(EventBatch::begin(
            db, session.signing_key(), change.now(), vault_projection(), 2 * table.rows.size(),
            {table.rows.size(), [&sealed_rows](std::size_t first, std::size_t end) { sealed_rows.seal(first, end); }}));
        for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const ImportRow& row = table.rows[i];
            Event added = AccountAdded{sealed_rows.account(i), row.unit_code, row.platform, row.handle, row.email, row.phone, row.url}.encode();
            added.actor = session.user();
            BRANKAS_TRY(batch->add(std::move(added)));
            SecretSet set;
            set.account = sealed_rows.account(i);
            set.version = 1;
            set.key_version = unit_keys.at(row.unit_code).version;
            set.has_totp = row.totp.size > 0;
            const std::string line = std::to_string(row.line);
            set.reason = table.source.name.empty() ? own_reason(OwnReason::imported_line, {line})
                                                   : own_reason(OwnReason::imported_from_line, {table.source.name, line});
            if (set.reason.size() > max_reason) set.reason = own_reason(OwnReason::imported_line, {line});
            batch->wait_prepared(i);
            set.sealed = BRANKAS_TRY(sealed_rows.take(i));
            Event sealed = set.encode();
            sealed.actor = session.user();
            BRANKAS_TRY(batch->add(std::move(sealed)));
            if (progress && ((i + 1) % 100 == 0 || i + 1 == table.rows.size())) progress(i + 1, table.rows.size());
        }
        BRANKAS_TRY(batch->finish());
        outcome.imported = true;
        return outcome;
    });
}

} // namespace brankas
