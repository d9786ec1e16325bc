// `audit log`: the events, filtered in SQL and then checked against their signed bodies. The
// columns (actor, action, target) make the query cheap; the body is what is shown, and a row
// whose columns disagree with its body is reported, not shown.
#include "vault/audit/audit.hpp"

#include "vault/accounts/accounts.hpp"
#include "vault/audit/audit_queries.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/people/people.hpp"
#include "vault/projection.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"

#include <algorithm>

namespace brankas {

namespace audit_queries {

Result<std::unordered_map<std::int64_t, AccountRef>> account_refs(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT id, unit, platform || '/' || handle FROM accounts"));
    std::unordered_map<std::int64_t, AccountRef> out;
    while (BRANKAS_TRY(s.step())) out.emplace(s.column_int(0), AccountRef{s.column_text(1), s.column_text(2)});
    return out;
}

Result<std::uint64_t> first_seq_at(Database& db, std::int64_t time_us) {
    // Event times never go backwards (every write checks it, verify proves it), so the log is
    // sorted by time as well as by seq: a binary search over rowids finds the bound.
    std::uint64_t lo = 1, hi = BRANKAS_TRY(read_head(db)).seq + 1;
    Statement s = BRANKAS_TRY(db.prepare("SELECT time_us FROM events WHERE seq = ?"));
    while (lo < hi) {
        std::uint64_t mid = lo + (hi - lo) / 2;
        s.reset();
        s.bind(1, static_cast<std::int64_t>(mid));
        if (!BRANKAS_TRY(s.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("event %s is missing from the log"),
                                                        {std::to_string(mid)}, i18n::tr_noop("run `brankas audit verify`"));
        if (s.column_int(0) < time_us) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

Result<SeqRange> seq_range(Database& db, std::optional<std::int64_t> since_us, std::optional<std::int64_t> until_us) {
    SeqRange r;
    r.last = BRANKAS_TRY(read_head(db)).seq;
    if (since_us) r.first = BRANKAS_TRY(first_seq_at(db, *since_us));
    if (until_us) r.last = std::min(r.last, BRANKAS_TRY(first_seq_at(db, *until_us)) - 1);
    return r;
}

Result<Event> event_of_row(const Statement& s, int seq_col) {
    auto seq = static_cast<std::uint64_t>(s.column_int(seq_col));
    // `why` says what is wrong with event `seq`: "event 12 does not decode: ...".
    auto corrupt = [&](i18n::Phrase why) {
        return fail_phrase(ErrorCode::store_corrupt, std::move(why), i18n::tr_noop("run `brankas audit verify`"));
    };
    const i18n::Phrase number = i18n::Phrase::plain(std::to_string(seq));
    if (s.column_size(seq_col + 5) > max_event_body) return corrupt(i18n::Phrase(i18n::tr_noop("event %s has a body larger than any event"), {number}));
    auto event = decode_event(s.column_raw(seq_col + 5));
    if (!event) return corrupt(i18n::Phrase(i18n::tr_noop("event %1$s does not decode: %2$s"), {number, phrase_of(event.error())}));
    if (event->seq != seq || event->time_us != s.column_int(seq_col + 1) || event->actor != s.column_text(seq_col + 2) ||
        event->action != s.column_text(seq_col + 3) || event->target != s.column_text(seq_col + 4))
        return corrupt(i18n::Phrase(i18n::tr_noop("event %s has listed columns that disagree with its signed contents"), {number}));
    return std::move(*event);
}

Status require_unit(Database& db, std::string_view code) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM units WHERE code = ?"));
    s.bind(1, code);
    BRANKAS_TRY(s.step());
    if (s.column_int(0) == 0) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"), {i18n::echo(code)},
                                                  i18n::tr_noop("`brankas unit list` shows them"));
    return {};
}

Status require_principal(Database& db, std::string_view name) {
    if (!BRANKAS_TRY(find_principal(db, name)))
        return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no user '%s' in this vault"), {i18n::echo(name)},
                            i18n::tr_noop("`brankas user list` shows them"));
    return {};
}

Result<std::unordered_map<std::int64_t, std::int64_t>> approval_accounts(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT id, target FROM approvals WHERE target LIKE 'account/%'"));
    std::unordered_map<std::int64_t, std::int64_t> out;
    while (BRANKAS_TRY(s.step()))
        if (auto account = parse_account_target(s.column_text(1))) out.emplace(s.column_int(0), *account);
    return out;
}

std::optional<std::int64_t> account_of_event(const Event& e, const std::unordered_map<std::int64_t, std::int64_t>& approvals) {
    if (auto id = parse_account_target(e.target)) return id;
    if (auto request = parse_numbered_target(e.target, "approval/"))
        if (auto it = approvals.find(*request); it != approvals.end()) return it->second;
    return std::nullopt;
}

std::vector<std::string> units_named(const Event& e, std::optional<std::int64_t> account,
                                     const std::unordered_map<std::int64_t, AccountRef>& accounts) {
    std::vector<std::string> out;
    auto add = [&](std::string code) {
        if (!code.empty() && std::find(out.begin(), out.end(), code) == out.end()) out.push_back(std::move(code));
    };
    if (account) {
        if (auto it = accounts.find(*account); it != accounts.end()) add(it->second.unit);
    } else if (is_valid_unit_code(e.target)) {
        add(e.target);
    }
    if (auto unit = e.details.get_text("unit")) add(*unit);
    if (auto list = e.details.get_text("units")) {
        std::size_t start = 0;
        while (start <= list->size()) {
            std::size_t comma = std::min(list->find(',', start), list->size());
            add(list->substr(start, comma - start));
            start = comma + 1;
        }
    }
    return out;
}

Result<PrincipalRoles> principal_roles(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT name, role FROM principals"));
    PrincipalRoles out;
    // The schema allows only the roles parse_role knows (migrations.cpp, CHECK on role).
    while (BRANKAS_TRY(s.step()))
        if (auto role = policy::parse_role(s.column_text(1))) out.emplace(s.column_text(0), *role);
    return out;
}

Result<std::unordered_map<std::int64_t, std::string>> approval_people(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT a.id, a.target FROM approvals a JOIN principals p ON p.name = a.target"));
    std::unordered_map<std::int64_t, std::string> out;
    while (BRANKAS_TRY(s.step())) out.emplace(s.column_int(0), s.column_text(1));
    return out;
}

std::vector<std::string> people_named(std::string_view action, std::string_view target, std::string_view actor, const PrincipalRoles& roles,
                                      const std::unordered_map<std::int64_t, std::string>& approvals) {
    // The actions whose target is a person when it names one (a request's may name an account,
    // a refusal's anything that was asked for).
    static constexpr std::string_view about_a_person[] = {
        actions::user_add,     actions::user_enroll, actions::user_grant,     actions::user_revoke,
        actions::user_disable, actions::user_passwd, actions::user_edit,      actions::recovery_reset,
        actions::recovery_enroll, actions::approval_request, actions::access_denied,
    };
    std::vector<std::string> out;
    auto add = [&](std::string_view name) {
        if (roles.contains(name) && std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    };
    if (std::find(std::begin(about_a_person), std::end(about_a_person), action) != std::end(about_a_person)) {
        std::string_view person = target;
        // `user show` of someone refused: "user/<name>".
        if (action == actions::access_denied && person.starts_with("user/")) person.remove_prefix(5);
        add(person);
    }
    // A request's grant or rejection, or a refusal about the request: the person it names.
    if (action != actions::approval_request)
        if (auto request = parse_numbered_target(target, "approval/"))
            if (auto it = approvals.find(*request); it != approvals.end()) add(it->second);
    if (auto it = roles.find(actor); it != roles.end() && it->second == policy::Role::custodian) add(actor);
    return out;
}

} // namespace audit_queries

using namespace audit_queries;

namespace {

// Whether `e` is the end of a unit's term that carried the fresh password of `account`
// (docs/formats.md "unit.deactivate": the field `fresh.<id>`, exactly; fresh.1 is no field of
// account 10's).
bool carries_fresh_password(const Event& e, std::int64_t account) {
    if (e.action != actions::unit_deactivate) return false;
    const auto& fields = e.details.fields();
    auto it = fields.find(fresh_field(account));
    return it != fields.end() && std::holds_alternative<Bytes>(it->second);
}

// The events `filter` selects that `sight` shows, in order, until `visit` returns false.
Status list_events(Database& db, UnitSight& sight, const AuditFilter& filter, const std::function<bool(const AuditEntry&)>& visit) {
    // One snapshot: events committed while the listing runs do not appear half-way.
    Transaction snapshot = BRANKAS_TRY(Transaction::begin_read(db));
    auto accounts = BRANKAS_TRY(account_refs(db));
    auto approvals = BRANKAS_TRY(approval_accounts(db));
    auto roles = BRANKAS_TRY(principal_roles(db));
    auto people = BRANKAS_TRY(approval_people(db));
    SeqRange range = BRANKAS_TRY(seq_range(db, filter.since_us, filter.until_us));
    // The account's unit and the name of its field in the end of that unit's term, if it has one.
    std::optional<std::string> account_unit;
    if (filter.account)
        if (auto it = accounts.find(*filter.account); it != accounts.end()) account_unit = it->second.unit;
    std::string sql =
        "SELECT seq, time_us, actor, action, target, body FROM events WHERE seq >= ?1 AND seq <= ?2 "
        "AND (?3 IS NULL OR actor = ?3) "
        // An account's events, with the grants and rejections of the requests that name it, and
        // the end of its unit's term that carried its fresh password (a superset: the body holds
        // the field's name, or one it begins; narrowed below by the decoded details).
        "AND (?4 IS NULL OR target = ?4 OR target IN (SELECT 'approval/' || id FROM approvals WHERE target = ?4) "
        "OR (action = 'unit.deactivate' AND target = ?6 AND instr(body, CAST(?7 AS BLOB)) > 0))";
    // A unit's events: the target is the unit or one of its accounts (or a request naming one),
    // or the body names the unit (a superset, narrowed below by the decoded details).
    if (filter.unit)
        sql += " AND (instr(body, CAST(?5 AS BLOB)) > 0 OR target IN (SELECT 'account/' || id FROM accounts WHERE unit = ?5)"
               " OR target IN (SELECT 'approval/' || p.id FROM approvals p JOIN accounts a ON p.target = 'account/' || a.id WHERE a.unit = ?5))";
    if (!filter.actions.empty()) {
        sql += " AND action IN (";
        for (std::size_t i = 0; i < filter.actions.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(8 + i);
        sql += ")";
    }
    sql += " ORDER BY seq";
    Statement s = BRANKAS_TRY(db.prepare(sql));
    s.bind(1, static_cast<std::int64_t>(range.first)).bind(2, static_cast<std::int64_t>(range.last));
    if (filter.actor) s.bind(3, *filter.actor); else s.bind_null(3);
    if (filter.account) s.bind(4, account_target(*filter.account)); else s.bind_null(4);
    if (filter.unit) s.bind(5, *filter.unit);
    if (account_unit) s.bind(6, *account_unit).bind(7, fresh_field(*filter.account)); else s.bind_null(6).bind_null(7);
    for (std::size_t i = 0; i < filter.actions.size(); ++i) s.bind(static_cast<int>(8 + i), filter.actions[i]);

    while (BRANKAS_TRY(s.step())) {
        Event e = BRANKAS_TRY(event_of_row(s, 0));
        // The bounds came from a search that trusts times to be in order; the times decide.
        if ((filter.since_us && e.time_us < *filter.since_us) || (filter.until_us && e.time_us >= *filter.until_us)) continue;
        AuditEntry entry;
        std::optional<std::int64_t> account = account_of_event(e, approvals);
        // In an account's log the end that carried its fresh password is about the account.
        if (filter.account && e.action == actions::unit_deactivate) {
            if (!carries_fresh_password(e, *filter.account)) continue;
            account = filter.account;
        }
        entry.units = units_named(e, account, accounts);
        if (filter.unit && std::find(entry.units.begin(), entry.units.end(), *filter.unit) == entry.units.end()) continue;
        // One that names no unit is the district's, shown as the people it names are.
        const std::vector<std::string> named = entry.units.empty() ? people_named(e.action, e.target, e.actor, roles, people) : std::vector<std::string>{};
        if (!BRANKAS_TRY(sight.sees_event(entry.units, named))) continue;
        entry.seq = e.seq;
        entry.time_us = e.time_us;
        entry.actor = std::move(e.actor);
        entry.action = std::move(e.action);
        entry.target = std::move(e.target);
        if (account)
            if (auto it = accounts.find(*account); it != accounts.end()) entry.account = it->second.ref;
        for (const auto& [key, value] : e.details.fields()) {
            if (key == "reason" && std::holds_alternative<std::string>(value)) entry.reason = std::get<std::string>(value);
            else if (const auto* t = std::get_if<std::string>(&value)) entry.details.text(key, *t);
            else if (const auto* i = std::get_if<std::int64_t>(&value)) entry.details.integer(key, *i);
            else entry.details.bytes(key, std::get<Bytes>(value));
        }
        if (!visit(entry)) break;
    }
    return {};
}

} // namespace

std::vector<std::string_view> audit_actions() { return vault_projection().actions(); }

Status audit_log(Session& session, const AuditFilter& filter, const std::function<bool(const AuditEntry&)>& visit) {
    auto known = vault_projection().actions();
    for (const auto& a : filter.actions)
        if (std::find(known.begin(), known.end(), a) == known.end())
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("unknown action '%s'"), {i18n::echo(a)},
                                i18n::tr_noop("`brankas audit log --help` lists the actions"));
    if (filter.since_us && filter.until_us && *filter.until_us <= *filter.since_us)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("--until is not after --since"), {});
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "audit log", filter.unit.value_or("")));
    Database& db = session.db();
    if (filter.unit) BRANKAS_TRY(require_unit(db, *filter.unit));
    if (filter.unit) BRANKAS_TRY(session.permit(policy::Action::read_unit, "audit log", *filter.unit));
    // The log of an account the person may not see is refused as `account show` refuses the
    // account, and the refusal recorded (an empty list would be an answer about it).
    if (filter.account) (void)BRANKAS_TRY(show_account(session, std::to_string(*filter.account)));
    // The events of sub-districts the person may see, and of the people they may see.
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    if (filter.actor) {
        BRANKAS_TRY(require_principal(db, *filter.actor));
        // Someone the person may not see (to a custodian, another sub-district's custodian) is
        // asked about only where some act of theirs is shown (an admin's in the custodian's own
        // sub-districts), whatever the other filters; with none shown, the question is refused
        // as `user show` refuses it, and recorded: an empty list would tell, unrecorded, that
        // the name is someone's.
        if (!BRANKAS_TRY(sight.sees_person_named(*filter.actor))) {
            AuditFilter acts;
            acts.actor = filter.actor;
            bool shown = false;
            BRANKAS_TRY(list_events(db, sight, acts, [&shown](const AuditEntry&) { return !(shown = true); }));
            if (!shown) (void)BRANKAS_TRY(show_user(session, *filter.actor));
        }
    }
    return list_events(db, sight, filter, visit);
}

} // namespace brankas
