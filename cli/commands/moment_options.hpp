// --since/--until of the auditor's listings (`audit log`, `report access`): a day or a moment
// in the vault's time zone, checked for form in setup() and turned into instants in run().
#pragma once

#include "faces/dates.hpp"
#include "vault/error.hpp"

#include <boost/program_options.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace brankas::cli {

// --since/--until as given; the instants are worked out once the vault's time zone is known.
struct MomentOptions {
    std::string since, until;

    void add_to(boost::program_options::options_description& o) {
        o.add_options()
            ("since", boost::program_options::value<std::string>(&since), i18n::tr("from this day (YYYY-MM-DD) or moment (YYYY-MM-DDTHH:MM[:SS]), in the vault's time zone"))
            ("until", boost::program_options::value<std::string>(&until), i18n::tr("up to and including this day, or up to this moment (exclusive)"));
    }
    // Syntax only (setup does no I/O): the zone does not change what is well-formed.
    [[nodiscard]] Status check() const {
        for (const auto* text : {&since, &until})
            if (!text->empty() && !parse_moment(*text, policy::TimeZone{}))
                return fail(ErrorCode::usage, i18n::fill(i18n::tr("'%s' is not a date (YYYY-MM-DD) or a moment (YYYY-MM-DDTHH:MM[:SS])"), {i18n::echo(*text)}),
                            i18n::fill(i18n::tr("a day from %1$s to %2$s, the time (if any) from 00:00 to 23:59:59"), {first_day, last_day}));
        return {};
    }
    void resolve(const policy::TimeZone& zone, std::optional<std::int64_t>& since_us, std::optional<std::int64_t>& until_us) const {
        if (!since.empty()) since_us = parse_moment(since, zone)->start_us;
        // A day given as --until includes the whole day; a moment is where the listing stops.
        if (auto u = until.empty() ? std::nullopt : parse_moment(until, zone))
            until_us = until.size() == 10 ? u->end_us : u->start_us;
    }
};

} // namespace brankas::cli
