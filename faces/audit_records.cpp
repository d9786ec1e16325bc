#include "faces/audit_records.hpp"

#include "faces/dates.hpp"

namespace brankas {

namespace {

// Given a zone, the instants (fields named `*_us`) read as ISO 8601 in it.
nlohmann::ordered_json details_json(const EventDetails& details, const policy::TimeZone* times_in) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [key, value] : details.fields()) {
        if (const auto* t = std::get_if<std::string>(&value)) j[key] = *t;
        else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            if (times_in && key.ends_with("_us")) j[key] = format_iso(*i, *times_in);
            else j[key] = *i;
        }
        else j[key] = "<" + std::to_string(std::get<Bytes>(value).size()) + " bytes>";
    }
    return j;
}

} // namespace

const std::vector<std::string>& audit_record_columns() {
    static const std::vector<std::string> columns{"seq", "time", "actor", "action", "target", "unit", "account", "reason", "details"};
    return columns;
}

nlohmann::ordered_json audit_record(const AuditEntry& e, const policy::TimeZone& zone, ListingFormat format) {
    nlohmann::ordered_json row;
    row["seq"] = e.seq;
    row["time"] = format_iso(e.time_us, zone);
    row["actor"] = e.actor;
    row["action"] = e.action;
    row["target"] = e.target;
    std::string units;
    for (const auto& u : e.units) units += (units.empty() ? "" : ",") + u;
    row["unit"] = units;
    row["account"] = e.account;
    row["reason"] = e.reason;
    row["details"] = details_json(e.details, format == ListingFormat::csv ? &zone : nullptr);
    return row;
}

} // namespace brankas
