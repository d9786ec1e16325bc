// The auditor's reports. Access and exposure come from the log (a read leaves no trace in the
// tables); status comes from the projection. Auditors and admins run them (read_history,
// vault-wide); a custodian may run `report access` for a unit it is granted.
#include "vault/audit/audit.hpp"

#include "vault/audit/audit_queries.hpp"
#include "vault/audit/exposure.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/people/principals.hpp"
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

std::optional<Revealed> revealed_by(const Event& e, const PrincipalRoles& roles) {
    auto version = e.details.get_integer("version").value_or(0);
    if (e.action == actions::checkout) return Revealed{AccessKind::checkout, version};
    if (e.action == actions::secret_read)
        return Revealed{e.details.get_text("what") == "totp" ? AccessKind::totp : AccessKind::password, version};
    // `rotate` shows the pending password once, to the person who started it.
    if (e.action == actions::secret_pending) {
        auto role = roles.find(e.actor);
        if (role != roles.end() && role->second == policy::Role::enforcer) return std::nullopt;
        return Revealed{AccessKind::rotation, version};
    }
    return std::nullopt;
}

constexpr const char* event_by_seq = "SELECT seq, time_us, actor, action, target, body FROM events WHERE seq = ?";

} // namespace

Status access_report(Session& session, const AccessFilter& filter, const std::function<bool(const AccessEntry&)>& visit) {
    Database& db = session.db();
    if (filter.since_us && filter.until_us && *filter.until_us <= *filter.since_us)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("--until is not after --since"), {});
    if (filter.unit) BRANKAS_TRY(require_unit(db, *filter.unit));
    // Vault-wide for auditors and admins; one granted unit for its custodian. What
    // own_access_report_units asks too: change them together.
    BRANKAS_TRY(session.permit(report_action, "report access", filter.unit.value_or("")));
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

Result<std::vector<std::string>> own_access_report_units(Session& session) {
    std::vector<std::string> out;
    for (std::string& unit : BRANKAS_TRY(granted_units(session.db(), session.user())))
        if (BRANKAS_TRY(session.permits(report_action, unit)) && BRANKAS_TRY(session.permits(policy::Action::read_unit, unit)))
            out.push_back(std::move(unit));
    return out;
}

Result<ExposedPerson> exposed_person(Session& session, std::string_view person) {
    Database& db = session.db();
    BRANKAS_TRY(session.permit(report_action, "report exposure"));
    BRANKAS_TRY(require_principal(db, person));
    ExposedPerson out{std::string(person), {}, {}};
    Statement p = BRANKAS_TRY(db.prepare("SELECT role, status FROM principals WHERE name = ?"));
    p.bind(1, person);
    if (BRANKAS_TRY(p.step())) {
        out.role = p.column_text(0);
        out.status = p.column_text(1);
    }
    return out;
}

Result<ExposureReport> exposure_report(Session& session, std::string_view person) {
    ExposedPerson who = BRANKAS_TRY(exposed_person(session, person));
    ExposureReport report{who.person, who.role, who.status, {}};
    BRANKAS_TRY(for_each_exposure(session, person, [&](const ExposureEntry& e) -> Status {
        report.entries.push_back(e);
        return {};
    }));
    return report;
}

namespace {

// Events of some actions on accounts, walked account by account (then in order). Only the
// account and the sequence number go through SQLite's sort; each event is then read by its
// sequence number, so the walk keeps one event at a time.
class EventsByAccount {
public:
    static Result<EventsByAccount> open(Database& db, const std::string& where, std::string_view actor = {}) {
        std::string sql = "SELECT seq, CAST(substr(target, 9) AS INTEGER) FROM events WHERE " + where +
                          " AND target LIKE 'account/%' ORDER BY CAST(substr(target, 9) AS INTEGER), seq";
        Statement order = BRANKAS_TRY(db.prepare(sql));
        if (!actor.empty()) order.bind(1, actor);
        Statement row = BRANKAS_TRY(db.prepare(event_by_seq));
        EventsByAccount walk(std::move(order), std::move(row));
        BRANKAS_TRY(walk.advance());
        return walk;
    }
    // Hands `visit` each event of `account` (with its id as the target names it), skipping those
    // of accounts before it.
    Status take(std::int64_t account, const std::function<void(const Event&, std::int64_t)>& visit) {
        while (!done_ && key_ <= account) {
            if (key_ == account) {
                row_.reset();
                row_.bind(1, seq_);
                if (!BRANKAS_TRY(row_.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("an event vanished while it was read"), {});
                Event e = BRANKAS_TRY(event_of_row(row_));
                if (auto id = parse_account_target(e.target)) visit(e, *id);
            }
            BRANKAS_TRY(advance());
        }
        return {};
    }

private:
    EventsByAccount(Statement order, Statement row) : order_(std::move(order)), row_(std::move(row)) {}
    Status advance() {
        done_ = !BRANKAS_TRY(order_.step());
        if (!done_) {
            seq_ = order_.column_int(0);
            key_ = order_.column_int(1);
        }
        return {};
    }
    Statement order_, row_;
    bool done_ = false;
    std::int64_t seq_ = 0, key_ = 0;
};

// A version of an account sealed to a unit key: one of the fresh passwords a unit.deactivate
// carries in its body, not in an event of the account's own.
struct CarriedSealing {
    std::int64_t account, version, key_version;
    auto operator<=>(const CarriedSealing&) const = default;
};

// Sorted by account, then version, without repeats; of each account only the versions that may
// still be its current or pending one. A version only grows (a fresh password is the next one
// of its time, and a current version is never taken back), so once an account had fresh version
// v its current version is at least v - 1, and a fresh version below the account's highest one
// less 1 can be neither: dropping those keeps an account's sealings to a few however many terms
// ended, and the list to the size of the accounts.
void compact_carried(std::vector<CarriedSealing>& fresh) {
    std::sort(fresh.begin(), fresh.end());
    fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
    std::size_t kept = 0;
    for (std::size_t first = 0, end = 0; first < fresh.size(); first = end) {
        for (end = first; end < fresh.size() && fresh[end].account == fresh[first].account;) ++end;
        const std::int64_t highest = fresh[end - 1].version;
        for (std::size_t i = first; i < end; ++i)
            if (fresh[i].version >= highest - 1) fresh[kept++] = fresh[i];
    }
    fresh.resize(kept);
}

// The fresh passwords the ends of terms carried (docs/formats.md "unit.deactivate") that were
// sealed to a unit key version in `held`, read in one pass over the log (the events have no
// index on their target, and a query per account would read it once each). The enforcer's own
// secret.pending events (before the field existed, or past what one body holds) are the
// account's and come by EventsByAccount.
Result<std::vector<CarriedSealing>> carried_sealings(Database& db, const std::map<std::string, std::set<std::int64_t>, std::less<>>& held) {
    std::vector<CarriedSealing> out;
    if (held.empty()) return out;
    // A superset (a term's name may hold the word); the decoded event says which fields are fresh passwords.
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT seq, time_us, actor, action, target, body FROM events WHERE action = 'unit.deactivate' AND instr(body, CAST('fresh.' AS BLOB)) > 0"));
    std::size_t compacted = 0;
    while (BRANKAS_TRY(s.step())) {
        const Event e = BRANKAS_TRY(event_of_row(s));
        // Its fields were checked when it was written and by every replay: only an edited store
        // gets here. The decoder's sentence names the event; it is a store to verify, as
        // event_of_row says of a body that does not decode at all.
        auto decoded = UnitDeactivated::decode(e);
        if (!decoded) return fail_phrase(ErrorCode::store_corrupt, phrase_of(decoded.error()), i18n::tr_noop("run `brankas audit verify`"));
        UnitDeactivated& ending = *decoded;
        auto keys = held.find(ending.unit);
        if (keys == held.end()) continue;
        for (const FreshPassword& f : ending.fresh)
            if (keys->second.contains(f.key_version)) out.push_back({f.account, f.version, f.key_version});
        if (out.size() > 2 * compacted + 4096) {
            compact_carried(out);
            compacted = out.size();
        }
    }
    compact_carried(out);
    out.shrink_to_fit();
    return out;
}

} // namespace

Status for_each_exposure(Session& session, std::string_view person, const std::function<Status(const ExposureEntry&)>& entry) {
    Database& db = session.db();
    BRANKAS_TRY(session.permit(report_action, "report exposure"));
    BRANKAS_TRY(require_principal(db, person));
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(db));

    // 1. Every unit key version that was ever sealed to them (the copies stay readable in the
    //    log even after a revocation drops them from the tables): a set per unit, not per account.
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
    auto roles = BRANKAS_TRY(principal_roles(db));
    // The versions the ends of terms sealed to those keys, with the account's other sealings below.
    const std::vector<CarriedSealing> fresh = BRANKAS_TRY(carried_sealings(db, held));

    // 2. Account by account: the versions that matter (the current one and the pending one, if
    //    any), then 3. which keys each was sealed to (when stored, and again after every rotation
    //    of the unit key) and whether they stored it themselves, then 4. when it was shown to them
    //    (a password read, a check-out, or the rotation they started; TOTP codes show no password).
    Statement accounts = BRANKAS_TRY(db.prepare(
        "SELECT a.id, a.unit, a.platform || '/' || a.handle, a.status, a.version, p.version FROM accounts a "
        "LEFT JOIN pending_secrets p ON p.account = a.id WHERE a.status != 'archived' ORDER BY a.id"));
    EventsByAccount seals = BRANKAS_TRY(EventsByAccount::open(db, "action IN ('secret.set', 'secret.pending', 'secret.reseal')"));
    EventsByAccount shown = BRANKAS_TRY(EventsByAccount::open(db, "actor = ?1 AND action IN ('secret.read', 'checkout', 'secret.pending')", person));
    std::vector<ExposureEntry> entries; // this account's: by version, at most two
    while (BRANKAS_TRY(accounts.step())) {
        entries.clear();
        ExposureEntry base;
        base.account = accounts.column_int(0);
        base.unit = accounts.column_text(1);
        base.ref = accounts.column_text(2);
        base.status = accounts.column_text(3);
        if (accounts.column_int(4) >= 1) {
            base.version = accounts.column_int(4);
            entries.push_back(base);
        }
        if (!accounts.column_is_null(5)) {
            base.version = accounts.column_int(5);
            base.pending = true;
            bool known = std::any_of(entries.begin(), entries.end(), [&](const ExposureEntry& x) { return x.version == base.version; });
            if (!known) entries.push_back(base);
        }
        std::sort(entries.begin(), entries.end(), [](const ExposureEntry& x, const ExposureEntry& y) { return x.version < y.version; });
        auto entry_of = [&](std::int64_t id, std::int64_t version) -> ExposureEntry* {
            if (id != base.account) return nullptr;
            auto it = std::find_if(entries.begin(), entries.end(), [&](const ExposureEntry& x) { return x.version == version; });
            return it == entries.end() ? nullptr : &*it;
        };
        auto sealed_to = [&](ExposureEntry& found, std::int64_t key_version) {
            auto keys = held.find(found.unit);
            if (keys != held.end() && keys->second.contains(key_version) &&
                std::find(found.key_versions.begin(), found.key_versions.end(), key_version) == found.key_versions.end())
                found.key_versions.push_back(key_version);
        };
        BRANKAS_TRY(seals.take(base.account, [&](const Event& e, std::int64_t id) {
            ExposureEntry* found = entry_of(id, e.details.get_integer("version").value_or(0));
            if (found == nullptr) return;
            if (e.action == actions::secret_set && e.actor == person) found->set_by_them = true;
            if (auto key_version = e.details.get_integer("key_version")) sealed_to(*found, *key_version);
        }));
        // Sealed by the enforcer, as its secret.pending was: shown to nobody, stored by nobody.
        auto of_account = std::equal_range(fresh.begin(), fresh.end(), CarriedSealing{base.account, 0, 0},
                                           [](const CarriedSealing& x, const CarriedSealing& y) { return x.account < y.account; });
        for (auto it = of_account.first; it != of_account.second; ++it)
            if (ExposureEntry* found = entry_of(it->account, it->version)) sealed_to(*found, it->key_version);
        BRANKAS_TRY(shown.take(base.account, [&](const Event& e, std::int64_t id) {
            auto what = revealed_by(e, roles);
            if (!what || what->kind == AccessKind::totp) return;
            if (ExposureEntry* found = entry_of(id, what->version))
                found->seen.push_back({what->kind, e.seq, e.time_us, e.details.get_text("reason").value_or("")});
        }));
        for (auto& x : entries)
            if (!x.seen.empty() || x.set_by_them || x.could_open()) {
                std::sort(x.key_versions.begin(), x.key_versions.end());
                BRANKAS_TRY(entry(x));
            }
    }
    return {};
}

} // namespace brankas
