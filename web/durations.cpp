#include "web/durations.hpp"

#include "policy/document.hpp"

#include <algorithm>

namespace brankas::web {

// The check-out durations a form offers: the policy's default, and common ones up to its maximum.
std::vector<std::int64_t> duration_choices(const policy::Policy& policy) {
    std::vector<std::int64_t> out;
    for (std::int64_t d : {30 * policy::minute_us, policy::hour_us, 2 * policy::hour_us, 4 * policy::hour_us, 8 * policy::hour_us,
                           policy::day_us})
        if (d <= policy.checkout_max_us) out.push_back(d);
    if (std::find(out.begin(), out.end(), policy.checkout_default_us) == out.end()) out.push_back(policy.checkout_default_us);
    std::sort(out.begin(), out.end());
    return out;
}

// "2 jam", "2 hours": the durations a form offers, as people say them.
std::string duration_label(const Translator& t, std::int64_t us) {
    struct Named {
        std::int64_t us;
        const char* msgid;
    };
    static constexpr Named named[] = {
        {30 * policy::minute_us, tr_noop("30 minutes")}, {policy::hour_us, tr_noop("1 hour")},
        {2 * policy::hour_us, tr_noop("2 hours")},       {4 * policy::hour_us, tr_noop("4 hours")},
        {8 * policy::hour_us, tr_noop("8 hours")},       {policy::day_us, tr_noop("1 day")},
    };
    for (const Named& n : named)
        if (n.us == us) return std::string(t.tr(n.msgid));
    return policy::format_duration(us);
}

} // namespace brankas::web
