// The status report (`report status`): accounts by status, rotations due, overdue check-outs and
// term ends, each section counted first, then read row by row from one snapshot.
#include "vault/audit/audit.hpp"

#include "vault/session.hpp"

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace brankas {

namespace {

// Each section's rows; the summary counts the same SELECT.
constexpr const char* counts_sql = "SELECT unit, status, count(*) FROM accounts GROUP BY unit, status ORDER BY unit, status";
constexpr const char* rotation_due_sql =
    "SELECT id, platform || '/' || handle, unit, status, version FROM accounts WHERE rotation_due = 1 AND status != 'archived' "
    "ORDER BY unit, id";
// ?1: now.
constexpr const char* overdue_sql =
    "SELECT c.account, a.platform || '/' || a.handle, a.unit, c.holder, c.reason, c.start_us, c.until_us, c.break_glass "
    "FROM checkouts c JOIN accounts a ON a.id = c.account WHERE c.ended_seq IS NULL AND c.until_us <= ?1 ORDER BY c.until_us, c.seq";
// A term's own end, and the ends that `term extend`/`term end` gave single units; ?1: now, ?2: the
// window's end.
constexpr const char* terms_ending_sql =
    "SELECT name, '', end_us FROM terms WHERE end_us > ?1 AND end_us <= ?2 "
    "UNION ALL SELECT term, unit, end_us FROM term_units WHERE end_us IS NOT NULL AND end_us > ?1 AND end_us <= ?2 "
    "ORDER BY 3, 1, 2";

// The rows `sql` would return with `values` bound to ?1, ?2, ..., counted.
Result<std::int64_t> count_of(Database& db, std::string_view sql, std::initializer_list<std::int64_t> values) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM (" + std::string(sql) + ")"));
    int index = 0;
    for (std::int64_t v : values) s.bind(++index, v);
    BRANKAS_TRY(s.step());
    return s.column_int(0);
}

} // namespace

Result<StatusReportReader> StatusReportReader::open(Session& session, std::int64_t window_us) {
    Database& db = session.db();
    BRANKAS_TRY(session.permit(report_action, "report status"));
    StatusReportReader r(db, BRANKAS_TRY(Transaction::begin_read(db)));
    StatusSummary& s = r.summary_;
    s.at_us = session.clock().now_us();
    s.window_us = window_us;
    s.accounts = {{"active", 0}, {"deactivated", 0}, {"archived", 0}};
    Statement totals = BRANKAS_TRY(db.prepare("SELECT status, count(*) FROM accounts GROUP BY status"));
    while (BRANKAS_TRY(totals.step())) s.accounts[totals.column_text(0)] = totals.column_int(1);
    // The condition of the index accounts_rotation_due (migration 10), which answers alone.
    s.rotation_due = BRANKAS_TRY(db.query_int("SELECT count(*) FROM accounts WHERE rotation_due = 1 AND status <> 'archived'"));
    s.overdue = BRANKAS_TRY(count_of(db, overdue_sql, {s.at_us}));
    s.terms_ending = BRANKAS_TRY(count_of(db, terms_ending_sql, {s.at_us, s.at_us + window_us}));
    return r;
}

Status StatusReportReader::for_each_count(const std::function<Status(const StatusCount&)>& row) {
    Statement s = BRANKAS_TRY(db_->prepare(counts_sql));
    while (BRANKAS_TRY(s.step())) BRANKAS_TRY(row({s.column_text(0), s.column_text(1), s.column_int(2)}));
    return {};
}

Status StatusReportReader::for_each_rotation_due(const std::function<Status(const DueRotation&)>& row) {
    Statement s = BRANKAS_TRY(db_->prepare(rotation_due_sql));
    while (BRANKAS_TRY(s.step())) BRANKAS_TRY(row({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_int(4)}));
    return {};
}

Status StatusReportReader::for_each_overdue(const std::function<Status(const OverdueCheckout&)>& row) {
    Statement s = BRANKAS_TRY(db_->prepare(overdue_sql));
    s.bind(1, summary_.at_us);
    while (BRANKAS_TRY(s.step()))
        BRANKAS_TRY(row({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4), s.column_int(5),
                         s.column_int(6), s.column_int(7) != 0}));
    return {};
}

Status StatusReportReader::for_each_term_ending(const std::function<Status(const TermEnding&)>& row) {
    Statement s = BRANKAS_TRY(db_->prepare(terms_ending_sql));
    s.bind(1, summary_.at_us).bind(2, summary_.at_us + summary_.window_us);
    while (BRANKAS_TRY(s.step())) BRANKAS_TRY(row({s.column_text(0), s.column_text(1), s.column_int(2)}));
    return {};
}

namespace {

// A section's handler that keeps each row it is handed in `rows`.
template <typename Row>
std::function<Status(const Row&)> kept_in(std::vector<Row>& rows) {
    return [&rows](const Row& row) -> Status {
        rows.push_back(row);
        return {};
    };
}

} // namespace

Result<StatusReport> status_report(Session& session, std::int64_t window_us) {
    StatusReportReader reader = BRANKAS_TRY(StatusReportReader::open(session, window_us));
    StatusReport r;
    r.at_us = reader.summary().at_us;
    r.window_us = window_us;
    BRANKAS_TRY(reader.for_each_count(kept_in(r.counts)));
    BRANKAS_TRY(reader.for_each_rotation_due(kept_in(r.rotation_due)));
    BRANKAS_TRY(reader.for_each_overdue(kept_in(r.overdue)));
    BRANKAS_TRY(reader.for_each_term_ending(kept_in(r.terms_ending)));
    return r;
}

} // namespace brankas
