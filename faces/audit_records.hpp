// One event of `audit log` as a record for programs: the columns and values both faces write
// (`brankas audit log --csv/--jsonl/--json` and the auditor's downloads in the browser), so the
// CSV from the browser is the CLI's, byte for byte.
#pragma once

#include "faces/records.hpp"
#include "policy/policy.hpp"
#include "vault/audit/audit_views.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace brankas {

// seq, time, actor, action, target, unit, account, reason, details.
[[nodiscard]] const std::vector<std::string>& audit_record_columns();

// The event's record: its time in ISO 8601 with `zone`'s offset, its units joined by commas, its
// details (every field but the reason) as a JSON object whose byte fields (keys, sealed blobs,
// documents) show only their size: a listing is for reading, and may leave the vault. In CSV
// (which people open in a spreadsheet) the instants among the details (fields named `*_us`) read
// as ISO 8601 in `zone` too; JSON keeps the signed integers for programs.
[[nodiscard]] nlohmann::ordered_json audit_record(const AuditEntry& entry, const policy::TimeZone& zone, ListingFormat format);

} // namespace brankas
