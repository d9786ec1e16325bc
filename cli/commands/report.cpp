// `report access`, `report exposure`, `report status`: the auditor's reports, as a table for
// people, or --json / --csv. No report contains a password: they are built from the log and
// the tables, which hold none.
#include "cli/commands/commands.hpp"
#include "cli/commands/moment_options.hpp"
#include "faces/dates.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "vault/audit/exposure.hpp"
#include "vault/own_reasons.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

void add_csv_switch(po::options_description& o, bool& csv) {
    o.add_options()("csv", po::bool_switch(&csv), tr("CSV with a header row (RFC 4180); --json for JSON"));
}

Result<ListingFormat> format_of(const Context& ctx, bool csv) {
    FormatFlags flags;
    flags.json = ctx.options.json;
    flags.csv = csv;
    ListingFormat f{};
    if (!pick_format(flags, f)) return fail(ErrorCode::usage, tr("choose one of --json and --csv"));
    return f;
}

// A report: its format (table, --json or --csv) is picked before the vault is unlocked.
class ReportCommand : public VaultCommand {
protected:
    Status prepare(Context& ctx) override {
        format_ = BRANKAS_TRY(format_of(ctx, csv_));
        return {};
    }

    bool csv_ = false;
    ListingFormat format_{};
};

std::string yes_no(bool b) { return b ? tr("yes") : tr("no"); } // the text table's, never CSV's

// ---- report access ----

class ReportAccessCommand final : public ReportCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for report access"));
        o.add_options()("unit", po::value<std::string>(&unit_), tr("only this sub-district's accounts"));
        moments_.add_to(o);
        add_csv_switch(o, csv_);
        return o;
    }
    Status setup(const po::variables_map&) override { return moments_.check(); }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        AccessFilter filter;
        if (!unit_.empty()) filter.unit = unit_;
        moments_.resolve(zone, filter.since_us, filter.until_us);
        if (format_ == ListingFormat::table) return table(ctx, vault, filter, zone);
        if (format_ == ListingFormat::json) return json(ctx, vault, filter, zone);
        RecordWriter writer(ctx.out, format_,
                            // The request column last: scripts that read the earlier ones by position keep working.
                            {"account", "unit", "seq", "time", "who", "what", "version", "break_glass", "until", "reason", "request"});
        auto listed = access_report(vault, filter, [&](const AccessEntry& e) {
            writer.write(row_of(e, zone, true));
            return true;
        });
        if (!listed) writer.abandon();
        return listed;
    }

private:
    static nlohmann::ordered_json row_of(const AccessEntry& e, const policy::TimeZone& zone, bool with_account) {
        nlohmann::ordered_json j;
        if (with_account) {
            j["account"] = e.ref;
            j["unit"] = e.unit;
        }
        j["seq"] = e.seq;
        j["time"] = format_iso(e.time_us, zone);
        j["who"] = e.who;
        j["what"] = access_kind_name(e.kind);
        j["version"] = e.version;
        j["break_glass"] = e.break_glass;
        j["until"] = e.until_us ? nlohmann::ordered_json(format_iso(*e.until_us, zone)) : nlohmann::ordered_json();
        j["reason"] = e.reason;
        // Dual control: the approved request a check-out used (null where none), and who approved it.
        j["request"] = e.request ? nlohmann::ordered_json(*e.request) : nlohmann::ordered_json();
        if (e.request) j["approved_by"] = e.approved_by;
        return j;
    }

    // The kind of access as a word of the reader's language, since a phrase follows it ("checkout
    // until ..."); --json and --csv keep access_kind_name.
    static std::string access_word(AccessKind kind) {
        switch (kind) {
        // TRANSLATORS: report access, column WHAT: the password was shown.
        case AccessKind::password: return tr("password");
        // TRANSLATORS: report access, column WHAT: a TOTP code was shown.
        case AccessKind::totp: return tr("totp");
        case AccessKind::checkout: return tr("checkout");
        // TRANSLATORS: report access, column WHAT: a new password was generated and shown.
        case AccessKind::rotation: return tr("rotation");
        }
        return std::string(access_kind_name(kind));
    }

    // "BREAK-GLASS", and under dual control the request used and who approved it.
    static std::string glass_cell(const AccessEntry& e) {
        std::string cell = e.break_glass ? tr("BREAK-GLASS") : "";
        if (e.request) {
            std::string names;
            for (const std::string& n : e.approved_by) names += (names.empty() ? "" : ", ") + n;
            cell += (cell.empty() ? "" : " ") + fill(tr("(request %1$s, approved by %2$s)"), {std::to_string(*e.request), names});
        }
        return cell;
    }

    // One object per account, its accesses inside; written as they come (they come by account).
    static Status json(Context& ctx, Session& vault, const AccessFilter& filter, const policy::TimeZone& zone) {
        std::int64_t current = 0;
        bool any = false;
        auto status = access_report(vault, filter, [&](const AccessEntry& e) {
            if (e.account != current) {
                ctx.out << (any ? "\n  ]}," : "[");
                nlohmann::ordered_json head{{"account", e.ref}, {"unit", e.unit}};
                std::string text = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                text.pop_back(); // the closing brace: the accesses follow
                ctx.out << "\n  " << text << ",\"accesses\":[";
                current = e.account;
                any = true;
            } else {
                ctx.out << ",";
            }
            ctx.out << "\n    " << row_of(e, zone, false).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return true;
        });
        if (status || any) ctx.out << (any ? "\n  ]}\n]\n" : "[]\n");
        return status;
    }

    static Status table(Context& ctx, Session& vault, const AccessFilter& filter, const policy::TimeZone& zone) {
        TableStream t(ctx.out, {tr("ACCOUNT"), tr("TIME"), tr("WHO"), tr("WHAT"), tr("VERSION"), tr("BREAK-GLASS"), tr("REASON")});
        std::int64_t current = 0;
        std::size_t rows = 0;
        auto status = access_report(vault, filter, [&](const AccessEntry& e) {
            std::string what = access_word(e.kind);
            if (e.until_us) what += fill(tr(" until %s"), {format_zoned(*e.until_us, zone)});
            // The account is named on its first line only: each account's accesses read as a group.
            t.row({e.account == current ? "" : e.ref + " (" + e.unit + ")", format_zoned_seconds(e.time_us, zone), e.who, what,
                   std::to_string(e.version), glass_cell(e), e.reason.empty() ? "-" : reason_for_reader(e.reason, tr)});
            current = e.account;
            ++rows;
            return true;
        });
        if (!status) {
            t.abandon();
            return status;
        }
        t.finish();
        if (status && rows == 0) ctx.out << tr("No password was read or checked out in that period.") << "\n";
        return status;
    }

    std::string unit_;
    MomentOptions moments_;
};

// ---- report exposure ----

class ReportExposureCommand final : public ReportCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for report exposure"));
        o.add_options()("user", po::value<std::string>(&person_), tr("the person (who leaves, or left): also the first word after `exposure`"));
        add_csv_switch(o, csv_);
        return o;
    }
    po::positional_options_description positionals() override { return positional_words({"user"}); }
    Status setup(const po::variables_map&) override {
        if (person_.empty()) return fail(ErrorCode::usage, tr("report exposure needs the person: --user NAME"));
        return {};
    }

    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        // Entries are written as they are found, whatever their number (vault/audit/exposure.hpp).
        ExposedPerson who = BRANKAS_TRY(exposed_person(vault, person_));
        if (format_ == ListingFormat::json) {
            // Byte for byte the dump of {"user", "role", "status", "accounts": [...]} at once:
            // each entry indented two levels.
            auto dumped = [](const nlohmann::ordered_json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); };
            ctx.out << "{\n  \"user\": " << dumped(who.person) << ",\n  \"role\": " << dumped(who.role) << ",\n  \"status\": "
                    << dumped(who.status) << ",\n  \"accounts\": ";
            bool first = true;
            BRANKAS_TRY(for_each_exposure(vault, person_, [&](const ExposureEntry& e) -> Status {
                nlohmann::ordered_json seen = nlohmann::ordered_json::array();
                for (const auto& s : e.seen)
                    seen.push_back({{"seq", s.seq}, {"time", format_iso(s.time_us, zone)}, {"what", access_kind_name(s.kind)}, {"reason", s.reason}});
                nlohmann::ordered_json j{{"account", e.ref}, {"unit", e.unit}, {"status", e.status}, {"version", e.version},
                                         {"pending", e.pending}, {"seen", seen}, {"set_by_them", e.set_by_them},
                                         {"could_open", e.could_open()}, {"key_versions", e.key_versions}};
                std::string text = dumped(j), indented = "    ";
                for (char c : text) {
                    indented += c;
                    if (c == '\n') indented += "    ";
                }
                ctx.out << (first ? "[\n" : ",\n") << indented;
                first = false;
                return {};
            }));
            ctx.out << (first ? "[]" : "\n  ]") << "\n}\n";
            return {};
        }
        if (format_ == ListingFormat::csv) {
            RecordWriter writer(ctx.out, format_,
                                {"account", "unit", "status", "version", "pending", "seen", "last_seen", "set_by_them", "could_open",
                                 "key_versions"});
            return for_each_exposure(vault, person_, [&](const ExposureEntry& e) -> Status {
                writer.write(row_of(e, zone));
                return {};
            });
        }
        // The count heads the report: a first pass counts, the second prints.
        std::size_t count = 0;
        BRANKAS_TRY(for_each_exposure(vault, person_, [&](const ExposureEntry&) -> Status {
            ++count;
            return {};
        }));
        ctx.out << fill(trn("Exposure of %1$s (%2$s, %3$s): %4$s password to rotate", "Exposure of %1$s (%2$s, %3$s): %4$s passwords to rotate",
                            static_cast<unsigned long>(count)),
                        {for_terminal(who.person), tr(who.role.c_str()), tr(who.status.c_str()), std::to_string(count)})
                << "\n";
        if (count == 0) return {};
        ctx.out << "\n";
        TableStream t(ctx.out, {tr("ACCOUNT"), tr("UNIT"), tr("VERSION"), tr("SEEN"), tr("STORED BY THEM"), tr("COULD OPEN")});
        Status printed = for_each_exposure(vault, person_, [&](const ExposureEntry& e) -> Status {
            nlohmann::ordered_json row = row_of(e, zone);
            std::string seen = row["seen"].get<std::string>();
            if (!e.seen.empty()) seen += fill(tr(", last %s"), {format_zoned(e.seen.back().time_us, zone)});
            std::string keys;
            for (auto k : e.key_versions) keys += (keys.empty() ? "" : ", ") + std::to_string(k);
            t.row({e.ref, e.unit, std::to_string(e.version) + (e.pending ? tr(" (pending)") : ""), seen.empty() ? "-" : seen,
                   yes_no(e.set_by_them), e.could_open() ? fill(tr("yes (unit key %s)"), {keys}) : std::string(tr("no"))});
            return {};
        });
        if (!printed) {
            t.abandon();
            return printed;
        }
        t.finish();
        ctx.out << "\n" << tr("Rotate each of them: brankas rotate REF (a pending one: --abort, then rotate again).") << "\n";
        return {};
    }

private:
    static nlohmann::ordered_json row_of(const ExposureEntry& e, const policy::TimeZone& zone) {
        std::string seen;
        for (const auto& s : e.seen) {
            std::string kind(access_kind_name(s.kind));
            if (seen.find(kind) == std::string::npos) seen += (seen.empty() ? "" : " ") + kind;
        }
        std::string keys;
        for (auto k : e.key_versions) keys += (keys.empty() ? "" : " ") + std::to_string(k);
        return {{"account", e.ref},
                {"unit", e.unit},
                {"status", e.status},
                {"version", e.version},
                {"pending", e.pending},
                {"seen", seen},
                {"last_seen", e.seen.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(format_iso(e.seen.back().time_us, zone))},
                {"set_by_them", e.set_by_them},
                {"could_open", e.could_open()},
                {"key_versions", keys}};
    }

    std::string person_;
};

// ---- report status ----

class ReportStatusCommand final : public ReportCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for report status"));
        o.add_options()("days", po::value<int>(&days_)->default_value(30), tr("list the term ends within this many days"));
        add_csv_switch(o, csv_);
        return o;
    }
    Status setup(const po::variables_map&) override {
        if (days_ < 1 || days_ > 3660) return fail(ErrorCode::usage, tr("--days must be 1 to 3660"));
        return {};
    }

    // Every section streams: after a term, tens of thousands of accounts owe a new password.
    Status run_in_vault(Context& ctx, Session& vault) override {
        policy::TimeZone zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
        StatusReportReader r = BRANKAS_TRY(StatusReportReader::open(vault, days_ * policy::day_us));
        if (format_ == ListingFormat::json) return print_json(ctx, r, zone);
        if (format_ == ListingFormat::csv) {
            // One table for four lists: the `section` column says which a row belongs to.
            RecordWriter w(ctx.out, format_, {"section", "unit", "account", "status", "count", "who", "reason", "from", "until", "term"});
            BRANKAS_TRY(r.for_each_count([&](const StatusCount& c) -> Status {
                w.write({{"section", "accounts"}, {"unit", c.unit}, {"status", c.status}, {"count", c.accounts}});
                return {};
            }));
            BRANKAS_TRY(r.for_each_rotation_due([&](const DueRotation& d) -> Status {
                w.write({{"section", "rotation_due"}, {"unit", d.unit}, {"account", d.ref}, {"status", d.status}});
                return {};
            }));
            BRANKAS_TRY(r.for_each_overdue([&](const OverdueCheckout& o) -> Status {
                w.write({{"section", "overdue_checkout"}, {"unit", o.unit}, {"account", o.ref}, {"who", o.holder}, {"reason", o.reason},
                         {"from", format_iso(o.start_us, zone)}, {"until", format_iso(o.until_us, zone)}});
                return {};
            }));
            return r.for_each_term_ending([&](const TermEnding& t) -> Status {
                w.write({{"section", "term_ending"}, {"unit", t.unit}, {"until", format_iso(t.end_us, zone)}, {"term", t.term}});
                return {};
            });
        }
        return print_text(ctx, r, zone);
    }

private:
    static Status print_json(Context& ctx, StatusReportReader& r, const policy::TimeZone& zone) {
        const StatusSummary& s = r.summary();
        // The lists are written in their places as they are read.
        const nlohmann::ordered_json j{{"at", format_iso(s.at_us, zone)},
                                       {"totals", s.accounts},
                                       {"accounts", nullptr},
                                       {"rotation_due", nullptr},
                                       {"overdue_checkouts", nullptr},
                                       {"terms_ending", nullptr},
                                       {"terms_ending_within_days", s.window_us / policy::day_us}};
        return write_json_object(
            ctx.out, j,
            {{"accounts",
              [&](JsonArrayStream& array) {
                  return r.for_each_count([&](const StatusCount& c) -> Status {
                      array.element_in_order(nlohmann::ordered_json{{"unit", c.unit}, {"status", c.status}, {"accounts", c.accounts}});
                      return {};
                  });
              }},
             {"rotation_due",
              [&](JsonArrayStream& array) {
                  return r.for_each_rotation_due([&](const DueRotation& d) -> Status {
                      array.element_in_order(nlohmann::ordered_json{{"account", d.ref}, {"unit", d.unit}, {"status", d.status}, {"version", d.version}});
                      return {};
                  });
              }},
             {"overdue_checkouts",
              [&](JsonArrayStream& array) {
                  return r.for_each_overdue([&](const OverdueCheckout& o) -> Status {
                      array.element_in_order(nlohmann::ordered_json{{"account", o.ref}, {"unit", o.unit}, {"holder", o.holder}, {"reason", o.reason},
                                                           {"from", format_iso(o.start_us, zone)}, {"until", format_iso(o.until_us, zone)},
                                                           {"break_glass", o.break_glass}});
                      return {};
                  });
              }},
             {"terms_ending", [&](JsonArrayStream& array) {
                  return r.for_each_term_ending([&](const TermEnding& t) -> Status {
                      array.element_in_order(nlohmann::ordered_json{{"term", t.term},
                                                           {"unit", t.unit.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t.unit)},
                                                           {"end", format_iso(t.end_us, zone)},
                                                           {"last_day", format_last_day(t.end_us, zone)}});
                      return {};
                  });
              }}});
    }

    static Status print_text(Context& ctx, StatusReportReader& r, const policy::TimeZone& zone) {
        const StatusSummary& s = r.summary();
        ctx.out << fill(tr("Status at %s"), {format_zoned(s.at_us, zone)}) << "\n\n" << tr("Accounts by status") << "\n";
        {
            // The rows come in order of unit, then status: a unit's line is printed when the next unit begins.
            TableStream counts(ctx.out, {"  " + std::string(tr("UNIT")), tr("ACTIVE"), tr("DEACTIVATED"), tr("ARCHIVED")});
            std::string unit;
            std::map<std::string, std::int64_t> statuses;
            auto unit_row = [&] {
                if (!statuses.empty())
                    counts.row({"  " + unit, std::to_string(statuses["active"]), std::to_string(statuses["deactivated"]),
                                std::to_string(statuses["archived"])});
                statuses.clear();
            };
            Status read = r.for_each_count([&](const StatusCount& c) -> Status {
                if (c.unit != unit) unit_row();
                unit = c.unit;
                statuses[c.status] = c.accounts;
                return {};
            });
            if (!read) {
                counts.abandon();
                return read;
            }
            unit_row();
            counts.row({"  " + std::string(tr("all")), std::to_string(s.accounts.at("active")), std::to_string(s.accounts.at("deactivated")),
                        std::to_string(s.accounts.at("archived"))});
            counts.finish();
        }

        ctx.out << "\n" << fill(tr("Rotation due (%s)"), {std::to_string(s.rotation_due)}) << "\n";
        BRANKAS_TRY(r.for_each_rotation_due([&](const DueRotation& d) -> Status {
            ctx.out << "  " << for_terminal(d.ref) << "  " << d.unit << "  " << d.status << "\n";
            return {};
        }));
        if (s.rotation_due == 0) ctx.out << "  " << tr("none") << "\n";

        ctx.out << "\n" << fill(tr("Overdue check-outs (%s)"), {std::to_string(s.overdue)}) << "\n";
        BRANKAS_TRY(r.for_each_overdue([&](const OverdueCheckout& o) -> Status {
            ctx.out << "  " << for_terminal(o.ref) << "  "
                    << fill(tr("held by %1$s since %2$s, due back %3$s"), {o.holder, format_zoned(o.start_us, zone), format_zoned(o.until_us, zone)})
                    << (o.break_glass ? "  " + std::string(tr("BREAK-GLASS")) : "") << "  \"" << for_terminal(reason_for_reader(o.reason, tr)) << "\"\n";
            return {};
        }));
        if (s.overdue == 0) ctx.out << "  " << tr("none") << "\n";

        ctx.out << "\n"
                << fill(tr("Terms ending within %1$s days (%2$s)"), {std::to_string(s.window_us / policy::day_us), std::to_string(s.terms_ending)})
                << "\n";
        BRANKAS_TRY(r.for_each_term_ending([&](const TermEnding& t) -> Status {
            ctx.out << "  '" << for_terminal(t.term) << "' "
                    << (t.unit.empty() ? fill(tr("for the whole term: last day %s"), {format_last_day(t.end_us, zone)})
                                       : fill(tr("for %1$s: last day %2$s"), {t.unit, format_last_day(t.end_us, zone)}))
                    << "\n";
            return {};
        }));
        if (s.terms_ending == 0) ctx.out << "  " << tr("none") << "\n";
        return {};
    }

    int days_ = 30;
};

// ---- report handovers ----

class ReportHandoversCommand final : public ReportCommand {
public:
    po::options_description options() override {
        po::options_description o(tr("Options for report handovers"));
        o.add_options()("unit", po::value<std::string>(&unit_), tr("only this sub-district's handovers"));
        add_csv_switch(o, csv_);
        return o;
    }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        std::optional<std::string> unit;
        if (!unit_.empty()) unit = unit_;
        if (format_ == ListingFormat::table) {
            TableStream t(ctx.out, {"ID", tr("UNIT"), tr("STATE"), tr("FROM"), tr("TO"), tr("WITNESS"), tr("STARTED"), tr("ENDED"), tr("ACCOUNTS"),
                                    tr("DUE"), tr("NUMBER"), tr("CODE")});
            std::size_t rows = 0;
            Status listed = for_each_handover(vault, unit, [&](const HandoverInfo& h) -> Status {
                const auto cells = cells_of(h);
                t.row({cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], h.started.seq ? format_zoned(h.started.time_us, h.time_zone) : "-",
                       h.ended.seq ? format_zoned(h.ended.time_us, h.time_zone) : "-", cells[8], cells[9], cells[10], cells[11]});
                ++rows;
                return {};
            });
            if (!listed) {
                t.abandon();
                return listed;
            }
            t.finish();
            if (rows == 0) ctx.out << tr("No handovers.") << "\n";
            return {};
        }
        RecordWriter w(ctx.out, format_, {"id", "unit", "state", "from", "to", "witness", "started", "ended", "accounts", "rotation_due", "number",
                                         "verification_code", "started_by", "accepted", "witnessed_by", "note", "from_full_names",
                                         "to_full_name", "released_by", "unreleased"});
        Status listed = for_each_handover(vault, unit, [&](const HandoverInfo& h) -> Status {
            nlohmann::ordered_json j;
            j["id"] = h.id;
            j["unit"] = h.unit;
            j["state"] = std::string(policy::handover_state_name(h.state));
            j["from"] = joined(h.outgoing, "");
            j["to"] = h.receiver;
            j["witness"] = h.witnessed.by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(h.witnessed.by);
            j["started"] = format_iso(h.started.time_us, h.time_zone);
            j["ended"] = h.ended.seq ? nlohmann::ordered_json(format_iso(h.ended.time_us, h.time_zone)) : nlohmann::ordered_json();
            j["accounts"] = h.accounts.size();
            j["rotation_due"] = due_of(h);
            j["number"] = h.number.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(h.number);
            j["verification_code"] = h.code.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(h.code);
            j["started_by"] = h.started.by;
            j["accepted"] = h.accepted.seq ? nlohmann::ordered_json(format_iso(h.accepted.time_us, h.time_zone)) : nlohmann::ordered_json();
            j["witnessed_by"] = h.witnessed.by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(h.witnessed.by);
            j["note"] = h.note;
            // The people as the minutes name them (their full names where recorded), and who signed the release.
            std::vector<std::string> from_names;
            for (const std::string& from : h.outgoing) from_names.push_back(full_name_of(h, from));
            j["from_full_names"] = joined(from_names, "");
            j["to_full_name"] = full_name_of(h, h.receiver);
            std::vector<std::string> released;
            for (const HandoverStep& r : h.releases) released.push_back(r.by);
            j["released_by"] = joined(released, "");
            j["unreleased"] = joined(h.unreleased(), "");
            w.write(j);
            return {};
        });
        if (!listed) w.abandon();
        return listed;
    }

private:
    static std::string full_name_of(const HandoverInfo& h, const std::string& who) {
        auto it = h.records.find(who);
        return it != h.records.end() && it->second.full_name ? *it->second.full_name : "";
    }
    static std::size_t due_of(const HandoverInfo& h) {
        std::size_t due = 0;
        for (const HandoverAccount& a : h.accounts) due += a.rotation_due;
        return due;
    }
    static std::vector<std::string> cells_of(const HandoverInfo& h) {
        return {std::to_string(h.id), h.unit, std::string(policy::handover_state_name(h.state)), joined(h.outgoing), h.receiver,
                h.witnessed.by.empty() ? "-" : h.witnessed.by, "", "",
                std::to_string(h.accounts.size()), std::to_string(due_of(h)), h.number.empty() ? "-" : h.number, h.code.empty() ? "-" : h.code};
    }

    std::string unit_;
};

} // namespace

std::unique_ptr<Command> make_report_handovers_command() { return std::make_unique<ReportHandoversCommand>(); }
std::unique_ptr<Command> make_report_access_command() { return std::make_unique<ReportAccessCommand>(); }
std::unique_ptr<Command> make_report_exposure_command() { return std::make_unique<ReportExposureCommand>(); }
std::unique_ptr<Command> make_report_status_command() { return std::make_unique<ReportStatusCommand>(); }

} // namespace brankas::cli
