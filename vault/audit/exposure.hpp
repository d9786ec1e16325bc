// `report exposure` read as a stream: the entries of exposure_report (audit.hpp) one by one, in
// its order, so that the report of a person who held every unit key of a national vault takes
// the memory of one account's entries, not of every account's.
#pragma once

#include "vault/audit/audit_views.hpp"

#include <functional>
#include <string_view>

namespace brankas {

class Session;

// The person the report is about: ExposureReport's person, role and status.
struct ExposedPerson {
    std::string person, role, status;
};
[[nodiscard]] Result<ExposedPerson> exposed_person(Session& session, std::string_view person);

// Each entry of exposure_report(session, person).entries, in that order, handed to `entry` as
// it is found and not kept. The first error `entry` returns stops it.
[[nodiscard]] Status for_each_exposure(Session& session, std::string_view person,
                                       const std::function<Status(const ExposureEntry&)>& entry);

} // namespace brankas
