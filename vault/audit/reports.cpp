// The auditor's reports. Access and exposure come from the log (a read leaves no trace in the
// tables); status comes from the projection. Auditors and admins run them (read_history,
// vault-wide); a custodian may run `report access` for a unit it is granted.
#include "vault/audit/audit.hpp"

#include "vault/audit/audit_queries.hpp"
#include "vault/projection.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace brankas {

using namespace audit_queries;

std::string_view access_kind_name(AccessKind kind) noexcept {
    switch (kind) {
    case AccessKind::password: return "password";
    case AccessKind::totp: return "totp";
    case AccessKind::checkout: return "checkout";
    case AccessKind::rotation: return "rotation";
    }
    return "unknown";
}

namespace {

// What an access event revealed, and to whom; nullopt for an event that showed nothing (the
// enforcer seals a pending password it cannot read).
struct Revealed {
    AccessKind kind;
    std::int64_t version;
};

std::optional<Revealed> revealed_by(const Event& e, const std::map<std::string, std::string, std::less<>>& roles) {
    auto version = e.details.get_integer("version").value_or(0);
    if (e.action == actions::checkout) return Revealed{AccessKind::checkout, version};
    if (e.action == actions::secret_read)
        return Revealed{e.details.get_text("what") == "totp" ? AccessKind::totp : AccessKind::password, version};
    // `rotate` shows the pending password once, to the person who started it.
    if (e.action == actions::secret_pending) {
        auto role = roles.find(e.actor);
        if (role != roles.end() && role->second == "enforcer") return std::nullopt;
        return Revealed{AccessKind::rotation, version};
    }
    return std::nullopt;
}

Result<std::map<std::string, std::string, std::less<>>> principal_roles(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT name, role FROM principals"));
    std::map<std::string, std::string, std::less<>> out;
    while (BRANKAS_TRY(s.step())) out.emplace(s.column_text(0), s.column_text(1));
    return out;
}

constexpr const char* event_by_seq = "SELECT seq, time_us, actor, action, target, body FROM events WHERE seq = ?";

} // namespace

Status access_report(Session& session, const AccessFilter& filter, const std::function<bool(const AccessEntry&)>& visit) {
    Database& db = session.db();
    if (filter.since_us && filter.until_us && *filter.until_us <= *filter.since_us)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("--until is not after --since"), {});
    if (filter.unit) BRANKAS_TRY(require_unit(db, *filter.unit));
    // Vault-wide for auditors and admins; one granted unit for its custodian.
    BRANKAS_TRY(session.permit(policy::Action::read_history, "report access", filter.unit.value_or("")));
    if (filter.unit) BRANKAS_TRY(session.permit(policy::Action::read_unit, "report access", *filter.unit));
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session)); // the accounts of sub-districts the person may see

    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(db));
    auto accounts = BRANKAS_TRY(account_refs(db));
    auto roles = BRANKAS_TRY(principal_roles(db));
    SeqRange range = BRANKAS_TRY(seq_range(db, filter.since_us, filter.until_us));
    // Sorted by account, then in order. Only the account and the sequence number go through
    // the sort (SQLite sorts in memory here); each event is then read by its sequence number.
    std::string sql =
        "SELECT seq FROM events WHERE seq >= ?1 AND seq <= ?2 AND action IN ('secret.read', 'checkout', 'secret.pending') "
        "AND target LIKE 'account/%'";
    if (filter.unit) sql += " AND target IN (SELECT 'account/' || id FROM accounts WHERE unit = ?3)";
    sql += " ORDER BY CAST(substr(target, 9) AS INTEGER), seq";
    Statement s = BRANKAS_TRY(db.prepare(sql));
    s.bind(1, static_cast<std::int64_t>(range.first)).bind(2, static_cast<std::int64_t>(range.last));
    if (filter.unit) s.bind(3, *filter.unit);
    Statement row = BRANKAS_TRY(db.prepare(event_by_seq));
    Statement approvers = BRANKAS_TRY(db.prepare("SELECT approver FROM approval_votes WHERE approval = ? AND verdict = 'grant' ORDER BY seq"));
    while (BRANKAS_TRY(s.step())) {
        row.reset();
        row.bind(1, s.column_int(0));
        if (!BRANKAS_TRY(row.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("an event vanished while it was read"), {});
        Event e = BRANKAS_TRY(event_of_row(row));
        if ((filter.since_us && e.time_us < *filter.since_us) || (filter.until_us && e.time_us >= *filter.until_us)) continue;
        auto shown = revealed_by(e, roles);
        auto id = parse_account_target(e.target);
        if (!shown || !id) continue;
        AccessEntry entry;
        entry.account = *id;
        if (auto it = accounts.find(*id); it != accounts.end()) {
            entry.ref = it->second.ref;
            entry.unit = it->second.unit;
        }
        if (!BRANKAS_TRY(sight.sees(entry.unit))) continue;
        entry.seq = e.seq;
        entry.time_us = e.time_us;
        entry.who = e.actor;
        entry.kind = shown->kind;
        entry.version = shown->version;
        entry.reason = e.details.get_text("reason").value_or("");
        entry.break_glass = e.details.get_integer("break_glass").value_or(0) == 1;
        if (e.action == actions::checkout) entry.until_us = e.details.get_integer("until_us");
        if (e.action == actions::checkout) entry.request = e.details.get_integer("request");
        if (entry.request) {
            approvers.reset();
            approvers.bind(1, *entry.request);
            while (BRANKAS_TRY(approvers.step())) entry.approved_by.push_back(approvers.column_text(0));
        }
        if (!visit(entry)) break;
    }
    return {};
}

Result<ExposureReport> exposure_report(Session& session, std::string_view person) {
    Database& db = session.db();
    BRANKAS_TRY(session.permit(policy::Action::read_history, "report exposure"));
    BRANKAS_TRY(require_principal(db, person));
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(db));
    ExposureReport report;
    report.person = std::string(person);
    {
        Statement p = BRANKAS_TRY(db.prepare("SELECT role, status FROM principals WHERE name = ?"));
        p.bind(1, person);
        if (BRANKAS_TRY(p.step())) {
            report.role = p.column_text(0);
            report.status = p.column_text(1);
        }
    }

    // 1. Every unit key version that was ever sealed to them (the copies stay readable in the
    //    log even after a revocation drops them from the tables).
    std::map<std::string, std::set<std::int64_t>, std::less<>> held;
    {
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT seq, time_us, actor, action, target, body FROM events WHERE action = 'unit.key' AND instr(body, CAST(? AS BLOB)) > 0"));
        s.bind(1, person);
        while (BRANKAS_TRY(s.step())) {
            Event e = BRANKAS_TRY(event_of_row(s));
            auto version = e.details.get_integer("key_version");
            if (e.details.get_text("principal") == person && version) held[e.target].insert(*version);
        }
    }

    // 2. The versions that matter: each account's current one and its pending one, if any.
    std::map<std::pair<std::int64_t, std::int64_t>, ExposureEntry> entries;
    {
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT a.id, a.unit, a.platform || '/' || a.handle, a.status, a.version, p.version FROM accounts a "
            "LEFT JOIN pending_secrets p ON p.account = a.id WHERE a.status != 'archived' ORDER BY a.id"));
        while (BRANKAS_TRY(s.step())) {
            ExposureEntry base;
            base.account = s.column_int(0);
            base.unit = s.column_text(1);
            base.ref = s.column_text(2);
            base.status = s.column_text(3);
            if (s.column_int(4) >= 1) {
                base.version = s.column_int(4);
                entries.emplace(std::pair(base.account, base.version), base);
            }
            if (!s.column_is_null(5)) {
                base.version = s.column_int(5);
                base.pending = true;
                entries.emplace(std::pair(base.account, base.version), base);
            }
        }
    }
    auto entry_of = [&](const Event& e, std::int64_t version) -> ExposureEntry* {
        auto id = parse_account_target(e.target);
        if (!id) return nullptr;
        auto it = entries.find(std::pair(*id, version));
        return it == entries.end() ? nullptr : &it->second;
    };

    // 3. Which keys each of those versions was sealed to (when stored, and again after every
    //    rotation of the unit key), and whether they stored it themselves.
    {
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT seq, time_us, actor, action, target, body FROM events "
            "WHERE action IN ('secret.set', 'secret.pending', 'secret.reseal') ORDER BY seq"));
        while (BRANKAS_TRY(s.step())) {
            Event e = BRANKAS_TRY(event_of_row(s));
            ExposureEntry* entry = entry_of(e, e.details.get_integer("version").value_or(0));
            if (entry == nullptr) continue;
            if (e.action == actions::secret_set && e.actor == person) entry->set_by_them = true;
            auto key_version = e.details.get_integer("key_version");
            auto keys = held.find(entry->unit);
            if (key_version && keys != held.end() && keys->second.contains(*key_version) &&
                std::find(entry->key_versions.begin(), entry->key_versions.end(), *key_version) == entry->key_versions.end())
                entry->key_versions.push_back(*key_version);
        }
    }

    // 4. When those versions were shown to them: a password read, a check-out, or the rotation
    //    they started (TOTP codes show no password).
    {
        auto roles = BRANKAS_TRY(principal_roles(db));
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT seq, time_us, actor, action, target, body FROM events "
            "WHERE actor = ? AND action IN ('secret.read', 'checkout', 'secret.pending') ORDER BY seq"));
        s.bind(1, person);
        while (BRANKAS_TRY(s.step())) {
            Event e = BRANKAS_TRY(event_of_row(s));
            auto shown = revealed_by(e, roles);
            if (!shown || shown->kind == AccessKind::totp) continue;
            if (ExposureEntry* entry = entry_of(e, shown->version))
                entry->seen.push_back({shown->kind, e.seq, e.time_us, e.details.get_text("reason").value_or("")});
        }
    }

    for (auto& [key, entry] : entries)
        if (!entry.seen.empty() || entry.set_by_them || entry.could_open()) {
            std::sort(entry.key_versions.begin(), entry.key_versions.end());
            report.entries.push_back(std::move(entry));
        }
    return report;
}

Result<StatusReport> status_report(Session& session, std::int64_t window_us) {
    Database& db = session.db();
    BRANKAS_TRY(session.permit(policy::Action::read_history, "report status"));
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(db));
    StatusReport r;
    r.at_us = session.clock().now_us();
    r.window_us = window_us;
    {
        Statement s = BRANKAS_TRY(db.prepare("SELECT unit, status, count(*) FROM accounts GROUP BY unit, status ORDER BY unit, status"));
        while (BRANKAS_TRY(s.step())) r.counts.push_back({s.column_text(0), s.column_text(1), s.column_int(2)});
    }
    {
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT id, platform || '/' || handle, unit, status, version FROM accounts WHERE rotation_due = 1 AND status != 'archived' "
            "ORDER BY unit, id"));
        while (BRANKAS_TRY(s.step()))
            r.rotation_due.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_int(4)});
    }
    {
        // Past its end and not yet returned or expired by an event (the enforcer's next run ends it).
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT c.account, a.platform || '/' || a.handle, a.unit, c.holder, c.reason, c.start_us, c.until_us, c.break_glass "
            "FROM checkouts c JOIN accounts a ON a.id = c.account WHERE c.ended_seq IS NULL AND c.until_us <= ? ORDER BY c.until_us, c.seq"));
        s.bind(1, r.at_us);
        while (BRANKAS_TRY(s.step()))
            r.overdue.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4), s.column_int(5),
                                 s.column_int(6), s.column_int(7) != 0});
    }
    {
        // A term's own end, and the ends that `term extend`/`term end` gave single units.
        Statement s = BRANKAS_TRY(db.prepare(
            "SELECT name, '', end_us FROM terms WHERE end_us > ?1 AND end_us <= ?2 "
            "UNION ALL SELECT term, unit, end_us FROM term_units WHERE end_us IS NOT NULL AND end_us > ?1 AND end_us <= ?2 "
            "ORDER BY 3, 1, 2"));
        s.bind(1, r.at_us).bind(2, r.at_us + window_us);
        while (BRANKAS_TRY(s.step())) r.terms_ending.push_back({s.column_text(0), s.column_text(1), s.column_int(2)});
    }
    return r;
}

} // namespace brankas
