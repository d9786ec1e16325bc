#include "cli/commands/awaiting_approval.hpp"

#include "cli/output.hpp"
#include "faces/dates.hpp"

namespace brankas::cli {

Status report_awaiting(Context& ctx, const AwaitingApproval& waiting, const policy::TimeZone& zone, nlohmann::json json,
                       const std::string& use, const std::string& refusal) {
    const std::string id = std::to_string(waiting.request);
    if (ctx.options.json) {
        json["request"] = waiting.request;
        json["until"] = format_iso(waiting.expires_us, zone);
        json["state"] = "pending";
        ctx.out << json_text(json) << '\n';
    } else {
        ctx.out << fill(tr("Request %1$s waits for approval until %2$s."), {id, format_zoned(waiting.expires_us, zone)}) << "\n";
        ctx.out << fill(tr("Another person approves it with `brankas approve %1$s --reason ...`; then run `%2$s`."), {id, for_terminal(use)})
                << "\n";
    }
    return fail(ErrorCode::awaiting_approval, refusal);
}

} // namespace brankas::cli
