// The auditor's pages: the audit log with the command line's filters and its CSV and JSON Lines
// downloads (the same bytes as `brankas audit log --csv/--jsonl`: faces/audit_records.hpp), the
// access, exposure, status and handover reports, and a whole `audit verify` that runs on a
// thread of its own while the page shows how far it has come. Who may read what is the
// engine's decision inside the vault's functions (a custodian's refusal is an access.denied).
#include "faces/audit_records.hpp"
#include "faces/dates.hpp"
#include "faces/error_text.hpp"
#include "faces/records.hpp"
#include "vault/accounts/accounts.hpp"
#include "vault/encoding.hpp"
#include "vault/own_reasons.hpp"
#include "web/admin_page.hpp"
#include "web/menu.hpp"
#include "web/site.hpp"
#include "web/vault_calls.hpp"

#include <array>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace brankas::web {

namespace {

// The log page shows the last events that match; the downloads hold every one.
constexpr std::size_t events_on_page = 200;
constexpr std::size_t max_filter_text = 100;

// A table of the report template: its columns, then rows of cells.
class Table {
public:
    Table(Page& page, const char* id, std::initializer_list<const char*> columns) : page_(page) {
        dict_ = page.body().AddSectionDictionary("TABLE");
        dict_->SetValue("ID", id);
        for (const char* c : columns) {
            std::string_view name = page.t().tr(c);
            dict_->AddSectionDictionary("COL")->SetValue("NAME", ctemplate::TemplateString(name.data(), name.size()));
        }
    }
    void caption(const char* msgid) { text("CAPTION", "HAS_CAPTION", page_.t().tr(msgid)); }
    void note(std::string_view note) { text("NOTE", "HAS_NOTE", note); }
    void row(std::initializer_list<std::string_view> cells) {
        ctemplate::TemplateDictionary* r = dict_->AddSectionDictionary("ROW");
        for (std::string_view c : cells) r->AddSectionDictionary("CELL")->SetValue("TEXT", ctemplate::TemplateString(c.data(), c.size()));
        ++rows_;
    }
    // Says `msgid` when no row was added.
    void finish(const char* msgid) {
        if (rows_ > 0) return;
        std::string_view none = page_.t().tr(msgid);
        dict_->SetValueAndShowSection("NONE", ctemplate::TemplateString(none.data(), none.size()), "EMPTY");
    }

private:
    void text(const char* marker, const char* section, std::string_view value) {
        dict_->SetValueAndShowSection(marker, ctemplate::TemplateString(value.data(), value.size()), section);
    }
    Page& page_;
    ctemplate::TemplateDictionary* dict_;
    std::size_t rows_ = 0;
};

void heading(Page& page, const char* title, const char* intro) {
    std::string_view h = page.t().tr(title), i = page.t().tr(intro);
    page.body().SetValue("HEADING", ctemplate::TemplateString(h.data(), h.size()));
    page.body().SetValueAndShowSection("INTRO", ctemplate::TemplateString(i.data(), i.size()), "HAS_INTRO");
}

// The links between the auditor's pages: the reports only to whom the engine lets run them (the
// question each report asks first, report_action), so that no link leads to a refusal; to whom it
// lets run only the access report of their own sub-districts (a custodian), one link for each.
Status report_links(Page& page, Session& vault) {
    struct Link {
        const char* href;
        const char* id;
        const char* msgid;
        bool report;
    };
    static constexpr Link links[] = {
        {"/audit", "to-log", tr_noop("Audit log"), false},
        {"/audit/verify", "to-verify", tr_noop("Verify the log"), false},
        {"/reports/access", "to-access", tr_noop("Access report"), true},
        {"/reports/exposure", "to-exposure", tr_noop("Exposure report"), true},
        {"/reports/status", "to-status", tr_noop("Status report"), true},
        {"/reports/handovers", "to-handovers", tr_noop("Handovers"), false},
    };
    const OfferedReports reports = BRANKAS_TRY(offered_reports(vault));
    const auto names = BRANKAS_TRY(unit_names(vault, std::set<std::string>(reports.units.begin(), reports.units.end())));
    ctemplate::TemplateDictionary* list = page.body().AddSectionDictionary("LINKS");
    auto link = [&](const std::string& href, const std::string& id, std::string_view label) {
        ctemplate::TemplateDictionary* d = list->AddSectionDictionary("LINK");
        d->SetValue("HREF", href);
        d->SetValue("ID", id);
        d->SetValue("LABEL", ctemplate::TemplateString(label.data(), label.size()));
    };
    for (const Link& l : links) {
        if (l.report && !reports.district) {
            if (std::string_view(l.id) != "to-access") continue;
            for (const std::string& unit : reports.units) {
                auto name = names.find(unit);
                const std::string named = name == names.end() ? unit : unit + " " + name->second;
                link("/reports/access?unit=" + encode_query_value(unit), "to-access-" + unit,
                     fill(page.t().tr(tr_noop("Access report %s")), {named}));
            }
            continue;
        }
        link(l.href, l.id, page.t().tr(l.msgid));
    }
    return {};
}

// The keyring slots that are not the ones the log recorded (slot_sentences), listed in `dict`.
// Returns how many.
enum class SlotsTold { damaged_or_missing, damaged };
Result<std::size_t> slot_problems(const Visit& visit, ctemplate::TemplateDictionary& dict, Session& vault, SlotsTold which) {
    const std::vector<std::string> lines = BRANKAS_TRY(slot_sentences(vault, visit.t, which == SlotsTold::damaged));
    ctemplate::TemplateDictionary* list = lines.empty() ? nullptr : dict.AddSectionDictionary("SLOTS");
    for (const std::string& line : lines) list->AddSectionDictionary("SLOT")->SetValue("TEXT", line);
    return lines.size();
}

// A filter of the page's form: its field, its label and what the visitor typed.
struct FilterField {
    const char* name;
    const char* label;
    const char* hint = "";
};

ctemplate::TemplateDictionary* filter_form(Page& page, const Visit& visit, const char* action, std::span<const FilterField> fields) {
    static constexpr Words words[] = {{"T_FILTER", tr_noop("Show")}};
    ctemplate::TemplateDictionary* form = page.body().AddSectionDictionary("FILTER");
    page.words(*form, words);
    form->SetValue("ACTION", action);
    for (const FilterField& f : fields) {
        ctemplate::TemplateDictionary* d = form->AddSectionDictionary("FIELD");
        d->SetValue("NAME", f.name);
        std::string_view label = page.t().tr(f.label);
        d->SetValue("LABEL", ctemplate::TemplateString(label.data(), label.size()));
        d->SetValue("VALUE", visit.query(f.name).substr(0, max_filter_text));
        d->SetValue("HINT", f.hint);
    }
    return form;
}

// "2029-03-01" or "2029-03-01 10:00" in the policy's zone, as `audit log --since/--until` take it.
Status moment(const Visit& visit, const char* name, const policy::TimeZone& zone, std::optional<std::int64_t>& out, bool end) {
    std::string text = visit.query(name);
    if (text.empty()) return {};
    auto m = parse_moment(text, zone);
    if (!m) return fail(ErrorCode::usage, fill(visit.t.tr(tr_noop("'%s' is not a date (YYYY-MM-DD, or YYYY-MM-DD HH:MM).")), {text}));
    // --since is the first instant of what it names; --until the first instant after it.
    out = end ? m->end_us : m->start_us;
    return {};
}

// The filters of `audit log`, from the page's query.
Result<AuditFilter> audit_filter(Session& vault, const Visit& visit, const policy::TimeZone& zone) {
    AuditFilter filter;
    if (auto u = visit.query("unit"); !u.empty()) filter.unit = u;
    if (auto a = visit.query("actor"); !a.empty()) filter.actor = a;
    if (auto a = visit.query("account"); !a.empty()) filter.account = BRANKAS_TRY(find_account(vault, a)).id;
    if (auto a = visit.query("action"); !a.empty()) filter.actions.push_back(a);
    BRANKAS_TRY(moment(visit, "since", zone, filter.since_us, false));
    BRANKAS_TRY(moment(visit, "until", zone, filter.until_us, true));
    return filter;
}

// The page's query again, for the download links: the same filters.
std::string same_query(const Visit& visit, std::initializer_list<const char*> names) {
    std::string q;
    for (const char* n : names) {
        std::string v = visit.query(n);
        if (v.empty()) continue;
        q += (q.empty() ? "?" : "&") + std::string(n) + "=" + encode_query_value(v);
    }
    return q;
}

Result<Reply> log_page(Site&, Visit& visit) {
    static constexpr FilterField fields[] = {
        {"unit", tr_noop("Sub-district"), "35.02.01"},
        {"account", tr_noop("Account"), "instagram/..."},
        {"actor", tr_noop("By"), ""},
        {"since", tr_noop("From"), "YYYY-MM-DD"},
        {"until", tr_noop("Until"), "YYYY-MM-DD"},
    };
    static constexpr Words words[] = {{"T_DOWNLOAD", tr_noop("Download")}};
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    AuditFilter filter = BRANKAS_TRY(audit_filter(vault, visit, zone));
    Page page(visit.t, "report");
    page.words(words);
    heading(page, tr_noop("Audit log"), tr_noop("Every change to the vault, signed by whoever made it. Filter it, or download it whole."));
    BRANKAS_TRY(report_links(page, vault));
    ctemplate::TemplateDictionary* form = filter_form(page, visit, "/audit", fields);
    ctemplate::TemplateDictionary* choice = form->AddSectionDictionary("CHOICE");
    choice->SetValue("NAME", "action");
    choice->SetValue("LABEL", std::string(visit.t.tr(tr_noop("Action"))));
    choice->SetValue("ANY", std::string(visit.t.tr(tr_noop("any"))));
    std::string chosen = visit.query("action");
    for (std::string_view a : brankas::audit_actions())
        choice->AddSectionDictionary("OPTION")->AddSectionDictionary(a == chosen ? "SELECTED" : "OTHER")->SetValue("VALUE", std::string(a));

    std::string query = same_query(visit, {"unit", "account", "actor", "action", "since", "until"});
    ctemplate::TemplateDictionary* downloads = page.body().AddSectionDictionary("DOWNLOADS");
    for (auto [id, path, label] : {std::array<const char*, 3>{"download-csv", "/audit/log.csv", "CSV"},
                                   std::array<const char*, 3>{"download-jsonl", "/audit/log.jsonl", "JSON Lines"}}) {
        ctemplate::TemplateDictionary* d = downloads->AddSectionDictionary("DOWNLOAD");
        d->SetValue("ID", id);
        d->SetValue("HREF", std::string(path) + query);
        d->SetValue("LABEL", label);
    }

    // The newest `events_on_page` of those that match, newest last as in the command line.
    std::deque<AuditEntry> last;
    std::uint64_t matched = 0;
    BRANKAS_TRY(audit_log(vault, filter, [&](const AuditEntry& e) {
        last.push_back(e);
        if (last.size() > events_on_page) last.pop_front();
        ++matched;
        return true;
    }));
    Table table(page, "events", {tr_noop("No."), tr_noop("Time"), tr_noop("By"), tr_noop("Action"), tr_noop("About"), tr_noop("Reason")});
    if (matched > last.size())
        table.note(fill(visit.t.tr(tr_noop("The last %s of %s events that match; the downloads hold every one.")),
                        {std::to_string(last.size()), std::to_string(matched)}));
    for (const AuditEntry& e : last) {
        std::string about = e.account.empty() ? e.target : e.account;
        // A break-glass act stands out, as in `brankas audit log`.
        bool break_glass = e.details.get_integer("break_glass").value_or(0) == 1;
        table.row({std::to_string(e.seq), format_zoned_seconds(e.time_us, zone), e.actor, e.action + (break_glass ? " BREAK-GLASS" : ""),
                   about, event_reason_for_reader(e.action, e.reason, [&](const char* id) { return visit.t.tr(id); })});
    }
    table.finish(tr_noop("No event matches."));
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Audit log"))))));
}

// The log as a file: the command line's own CSV or JSON Lines of the same filters.
Result<Reply> log_download(Site& site, Visit& visit, ListingFormat format) {
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    AuditFilter filter = BRANKAS_TRY(audit_filter(vault, visit, zone));
    std::ostringstream out;
    {
        RecordWriter writer(out, format, audit_record_columns());
        auto listed = audit_log(vault, filter, [&](const AuditEntry& e) {
            writer.write(audit_record(e, zone, format));
            return true;
        });
        if (!listed) {
            writer.abandon();
            return std::unexpected(listed.error());
        }
    }
    site.log("audit log downloaded by '" + for_log(vault.user()) + "'");
    bool csv = format == ListingFormat::csv;
    return Reply::file(out.str(), csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8",
                       csv ? "brankas-audit-log.csv" : "brankas-audit-log.jsonl");
}

Result<Reply> log_csv(Site& site, Visit& visit) { return log_download(site, visit, ListingFormat::csv); }
Result<Reply> log_jsonl(Site& site, Visit& visit) { return log_download(site, visit, ListingFormat::jsonl); }

const char* access_words(AccessKind kind) {
    switch (kind) {
    case AccessKind::password: return tr_noop("password read");
    case AccessKind::totp: return tr_noop("code read");
    case AccessKind::checkout: return tr_noop("checked out");
    case AccessKind::rotation: return tr_noop("rotation started");
    }
    return tr_noop("password read");
}

Result<Reply> access_page(Site&, Visit& visit) {
    static constexpr FilterField fields[] = {
        {"unit", tr_noop("Sub-district"), "35.02.01"},
        {"since", tr_noop("From"), "YYYY-MM-DD"},
        {"until", tr_noop("Until"), "YYYY-MM-DD"},
    };
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    AccessFilter filter;
    if (auto u = visit.query("unit"); !u.empty()) filter.unit = u;
    BRANKAS_TRY(moment(visit, "since", zone, filter.since_us, false));
    BRANKAS_TRY(moment(visit, "until", zone, filter.until_us, true));
    Page page(visit.t, "report");
    heading(page, tr_noop("Access report"), tr_noop("Who saw or held the password of each account, and why."));
    BRANKAS_TRY(report_links(page, vault));
    filter_form(page, visit, "/reports/access", fields);
    Table table(page, "access", {tr_noop("Account"), tr_noop("Sub-district"), tr_noop("Time"), tr_noop("Who"), tr_noop("What"),
                                 tr_noop("Version"), tr_noop("Reason")});
    BRANKAS_TRY(access_report(vault, filter, [&](const AccessEntry& e) {
        std::string what(visit.t.tr(access_words(e.kind)));
        if (e.break_glass) what += " (" + std::string(visit.t.tr(tr_noop("break-glass"))) + ")";
        if (e.until_us) what += ", " + fill(visit.t.tr(tr_noop("until %s")), {format_zoned(*e.until_us, zone)});
        table.row({e.ref, e.unit, format_zoned(e.time_us, zone), e.who, what, std::to_string(e.version),
                   reason_for_reader(e.reason, [&](const char* id) { return visit.t.tr(id); })});
        return true;
    }));
    table.finish(tr_noop("Nobody saw a password in this period."));
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Access report"))))));
}

Result<Reply> exposure_page(Site&, Visit& visit) {
    static constexpr FilterField fields[] = {{"person", tr_noop("Person"), ""}};
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    Page page(visit.t, "report");
    heading(page, tr_noop("Exposure report"),
            tr_noop("The current passwords a person saw or could open: what to change when they leave."));
    BRANKAS_TRY(report_links(page, vault));
    filter_form(page, visit, "/reports/exposure", fields);
    std::string person = visit.query("person").substr(0, max_filter_text);
    if (!person.empty()) {
        ExposureReport r = BRANKAS_TRY(exposure_report(vault, person));
        Table table(page, "exposure", {tr_noop("Account"), tr_noop("Sub-district"), tr_noop("Version"), tr_noop("Seen"),
                                       tr_noop("Could open it")});
        table.note(fill(visit.t.tr(tr_noop("%s (%s, %s)")),
                        {r.person, std::string(visit.t.tr(role_label(r.role))), std::string(visit.t.tr(person_status_label(r.status)))}));
        for (const ExposureEntry& e : r.entries) {
            std::string seen;
            for (const ExposureSight& s : e.seen)
                seen += (seen.empty() ? "" : "; ") + std::string(visit.t.tr(access_words(s.kind))) + " " + format_zoned(s.time_us, zone);
            if (e.set_by_them) seen += (seen.empty() ? "" : "; ") + std::string(visit.t.tr(tr_noop("set it")));
            std::string version = std::to_string(e.version);
            if (e.pending) version += " (" + std::string(visit.t.tr(tr_noop("pending"))) + ")";
            table.row({e.ref, e.unit, version, seen, visit.t.tr(e.could_open() ? tr_noop("yes") : tr_noop("no"))});
        }
        table.finish(tr_noop("This person saw and can open no current password."));
    }
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Exposure report"))))));
}

// An account's status as the report names it ("active"), in the reader's language, as the
// account list says it.
std::string state_words(const Translator& t, const std::string& status) {
    auto parsed = parse_account_status(status);
    if (!parsed) return status;
    switch (*parsed) {
    case AccountStatus::active: return std::string(t.tr(tr_noop("active")));
    case AccountStatus::deactivated: return std::string(t.tr(tr_noop("deactivated")));
    case AccountStatus::archived: return std::string(t.tr(tr_noop("archived")));
    }
    return status;
}

Result<Reply> status_report_page(Site&, Visit& visit) {
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    // The window of terms ending soon: `report status`'s default.
    StatusReport r = BRANKAS_TRY(status_report(vault, 30 * policy::day_us));
    Page page(visit.t, "report");
    heading(page, tr_noop("Status report"), tr_noop("The accounts of each sub-district, what is overdue, and the terms ending soon."));
    BRANKAS_TRY(report_links(page, vault));
    BRANKAS_TRY(slot_problems(visit, page.body(), vault, SlotsTold::damaged_or_missing));
    {
        Table t(page, "counts", {tr_noop("Sub-district"), tr_noop("Status"), tr_noop("Accounts")});
        t.caption(tr_noop("Accounts"));
        for (const StatusCount& c : r.counts) t.row({c.unit, state_words(visit.t, c.status), std::to_string(c.accounts)});
        t.finish(tr_noop("No accounts."));
    }
    {
        Table t(page, "rotation-due", {tr_noop("Account"), tr_noop("Sub-district"), tr_noop("Status"), tr_noop("Version")});
        t.caption(tr_noop("Password change due"));
        for (const DueRotation& d : r.rotation_due) t.row({d.ref, d.unit, state_words(visit.t, d.status), std::to_string(d.version)});
        t.finish(tr_noop("None."));
    }
    {
        Table t(page, "overdue", {tr_noop("Account"), tr_noop("Sub-district"), tr_noop("Held by"), tr_noop("Until"), tr_noop("Reason")});
        t.caption(tr_noop("Overdue check-outs"));
        for (const OverdueCheckout& o : r.overdue)
            t.row({o.ref, o.unit, o.holder, format_zoned(o.until_us, zone), reason_for_reader(o.reason, [&](const char* id) { return visit.t.tr(id); })});
        t.finish(tr_noop("None."));
    }
    {
        Table t(page, "terms-ending", {tr_noop("Term"), tr_noop("Sub-district"), tr_noop("Last day")});
        t.caption(tr_noop("Terms ending within 30 days"));
        for (const TermEnding& e : r.terms_ending)
            t.row({e.term, e.unit.empty() ? std::string(visit.t.tr(tr_noop("all"))) : e.unit, format_last_day(e.end_us, zone)});
        t.finish(tr_noop("None."));
    }
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Status report"))))));
}

Result<Reply> handovers_page(Site&, Visit& visit) {
    static constexpr FilterField fields[] = {{"unit", tr_noop("Sub-district"), "35.02.01"}};
    Session& vault = visit.person->vault;
    std::optional<std::string> unit;
    if (auto u = visit.query("unit"); !u.empty()) unit = u;
    auto list = BRANKAS_TRY(list_handovers(vault, unit));
    Page page(visit.t, "report");
    heading(page, tr_noop("Handovers"), tr_noop("Every handover of a sub-district's accounts from one team to the next."));
    BRANKAS_TRY(report_links(page, vault));
    filter_form(page, visit, "/reports/handovers", fields);
    Table t(page, "handovers", {tr_noop("No."), tr_noop("Sub-district"), tr_noop("State"), tr_noop("From"), tr_noop("To"),
                                tr_noop("Started"), tr_noop("Ended"), tr_noop("Accounts"), tr_noop("Minutes")});
    for (const HandoverInfo& h : list) {
        std::string from;
        for (const auto& o : h.outgoing) from += (from.empty() ? "" : ", ") + o;
        std::string minutes = h.number.empty() ? "" : h.number + " (" + h.code + ")";
        t.row({std::to_string(h.id), h.unit, std::string(visit.t.tr(policy::handover_state_name(h.state).data())), from, h.receiver, format_zoned(h.started.time_us, h.time_zone),
               h.ended.seq ? format_zoned(h.ended.time_us, h.time_zone) : "", std::to_string(h.accounts.size()), minutes});
    }
    t.finish(tr_noop("No handovers."));
    return Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Handovers"))))));
}

// ---- audit verify ----

// The verification each person last started, by name: it outlives a sign-out (a session that
// ends does not stop it), and a new one replaces it once it has ended. One runs at a time.
class Verifications {
public:
    std::shared_ptr<Verification> of(const std::string& user) {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(user);
        return it == jobs_.end() ? nullptr : it->second;
    }
    // Starts one for `vault`'s person, in their place.
    Status start(Session& vault) {
        std::shared_ptr<Verification> job = BRANKAS_TRY(Verification::start(vault, turn_));
        std::lock_guard lock(mutex_);
        jobs_[vault.user()] = std::move(job);
        return {};
    }

private:
    std::mutex turn_; // before the jobs: they are joined before it goes
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Verification>> jobs_;
};

Verifications& verifications() {
    // What the jobs read is built first, so that it is destroyed after them (they are joined
    // when `all` goes).
    prepare_verification();
    static Verifications all;
    return all;
}

Result<Reply> verify_page(Site& site, Visit& visit) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Verify the audit log")},
        {"T_INTRO", tr_noop("Recomputes every hash of the log, checks every signature, and replays every event into fresh "
                            "tables to compare with the stored ones, as `brankas audit verify` does.")},
        {"T_REFRESH", tr_noop("This page refreshes itself until the verification ends.")},
        {"T_START", tr_noop("Verify now")},
    };
    Session& vault = visit.person->vault;
    policy::TimeZone zone = BRANKAS_TRY(policy_in_force(vault)).time_zone;
    Page page(visit.t, "verify");
    page.words(words);
    auto& body = page.body();
    Frame frame = visit.frame(visit.t.tr(tr_noop("Verify the log")));
    std::shared_ptr<Verification> job = verifications().of(vault.user());
    std::optional<Verification::State> state;
    if (job) state = job->state();
    if (state && !state->result) {
        ctemplate::TemplateDictionary* running = body.AddSectionDictionary("RUNNING");
        std::uint64_t total = std::max<std::uint64_t>(state->progress.total, 1);
        running->SetValue("PROGRESS", state->waiting ? std::string(visit.t.tr(tr_noop("Waiting: another verification is running, this one starts when it ends.")))
                                                     : fill(visit.t.tr(tr_noop("Verifying: %s of %s events checked.")),
                                                            {std::to_string(state->progress.done), std::to_string(state->progress.total)}));
        running->SetIntValue("TOTAL", static_cast<long>(total));
        running->SetIntValue("DONE", static_cast<long>(std::min(state->progress.done, total)));
        running->SetValue("PERCENT", std::to_string(state->progress.done * 100 / total) + "%");
        frame.refresh_s = 1;
    } else {
        if (state) {
            const Result<VerifyReport>& r = *state->result;
            if (r && r->ok) {
                ctemplate::TemplateDictionary* passed = body.AddSectionDictionary("PASSED");
                // The keyring is not part of the log, but each slot's hash is: as `audit verify`,
                // the page fails on a slot that differs from its record, and says which.
                const std::size_t damaged = BRANKAS_TRY(slot_problems(visit, *passed, vault, SlotsTold::damaged));
                passed->SetValue("RESULT_CLASS", damaged == 0 ? "ok" : "bad");
                passed->SetValue("RESULT", fill(visit.t.tr(damaged == 0 ? tr_noop("The vault verifies: %s events, every hash, signature and replay held.")
                                                                        : tr_noop("The log verifies (%s events, every hash, signature and replay held), "
                                                                                  "but the keyring is damaged:")),
                                                {std::to_string(r->events)}));
                auto fact = [&](const char* name, std::string value) {
                    ctemplate::TemplateDictionary* f = passed->AddSectionDictionary("FACT");
                    f->SetValue("NAME", std::string(visit.t.tr(name)));
                    f->SetValue("VALUE", value);
                };
                fact(tr_noop("Started"), format_zoned_seconds(state->started_us, zone));
                fact(tr_noop("Signatures"), std::to_string(r->signatures));
                fact(tr_noop("Last event"), format_zoned_seconds(r->head_time_us, zone));
                fact(tr_noop("Head"), to_hex(r->head));
                fact(tr_noop("First admin's key"), to_hex(r->genesis_key));
            } else {
                // The problem in the visitor's language.
                auto translate = [&](const char* id) { return visit.t.tr(id); };
                const std::string why = r ? faces::phrase_text(r->problem_phrase, r->problem, translate) : faces::error_text(r.error(), translate).message;
                std::string problem = r && r->bad_event
                                          ? fill(visit.t.tr(tr_noop("Verification failed at event %s: %s")), {std::to_string(*r->bad_event), why})
                                          : fill(visit.t.tr(tr_noop("Verification failed: %s")), {why});
                body.AddSectionDictionary("FAILED")->SetValue("RESULT", problem);
            }
        }
        body.AddSectionDictionary("CAN_START")->SetValue("CSRF", visit.person->csrf);
    }
    (void)site;
    return Reply::page(BRANKAS_TRY(page.render(frame)));
}

Result<Reply> start_verify(Site& site, Visit& visit) {
    Session& vault = visit.person->vault;
    std::shared_ptr<Verification> job = verifications().of(vault.user());
    // One at a time per person: a second press while it runs only shows it.
    if (!job || job->state().result) {
        BRANKAS_TRY(verifications().start(vault));
        site.log("audit verify started by '" + for_log(vault.user()) + "'");
    }
    return Reply::redirect("/audit/verify");
}

} // namespace

std::span<const Route> audit_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/audit", Who::signed_in, &log_page},
        Route{Method::get, "/audit/log.csv", Who::signed_in, &log_csv},
        Route{Method::get, "/audit/log.jsonl", Who::signed_in, &log_jsonl},
        Route{Method::get, "/audit/verify", Who::signed_in, &verify_page},
        Route{Method::post, "/audit/verify", Who::signed_in, &start_verify},
        Route{Method::get, "/reports/access", Who::signed_in, &access_page},
        Route{Method::get, "/reports/exposure", Who::signed_in, &exposure_page},
        Route{Method::get, "/reports/status", Who::signed_in, &status_report_page},
        Route{Method::get, "/reports/handovers", Who::signed_in, &handovers_page},
    };
    return routes;
}

} // namespace brankas::web
