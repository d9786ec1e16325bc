// The terms domain's events (docs/formats.md "Actions"). A term's units travel as one text
// field, the codes joined by ','; none means every unit, including those added later.
#pragma once

#include "vault/log/event.hpp"

#include <optional>
#include <string>
#include <vector>

namespace brankas {

// term.add: a new term, its window [start_us, end_us) and its units.
struct TermAdded {
    std::string name;
    std::int64_t start_us = 0, end_us = 0;
    std::vector<std::string> units;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<TermAdded> decode(const Event& event);
};

// term.extend: the end moves later, for the whole term (no units) or as those units' own end.
struct TermExtended {
    std::string name;
    std::int64_t end_us = 0;
    std::vector<std::string> units;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<TermExtended> decode(const Event& event);
};

// term.end: the end becomes the event's time (never before the start), for the whole term or
// those units. The replay has always accepted a `reason` beside the units; no command writes one.
struct TermEnded {
    std::string name;
    std::vector<std::string> units;
    std::optional<std::string> reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<TermEnded> decode(const Event& event);
};

} // namespace brankas
