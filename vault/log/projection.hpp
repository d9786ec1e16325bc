// What the log does with an event once it is in: it hands it to the projection, which changes
// the tables that answer queries. The log knows no domain: the domains own the appliers and
// vault/projection.cpp gathers them into one Projection, which is handed to the log (appending,
// the batch of an import, the replay of `audit verify`). No arrow runs back up.
#pragma once

#include "vault/log/event.hpp"
#include "vault/store/database.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace brankas {

// One table the log projects into, with the order that makes its rows comparable between the
// store and a replay.
struct ProjectionTable {
    const char* name;
    const char* order_by;
};

// One action's applier: a domain's function that applies that action's events.
struct ActionApplier {
    std::string_view action;
    Status (*apply)(Database& db, const Event& event);
};

class Projection {
public:
    virtual ~Projection() = default;
    // Applies one event: checks that it fits the state it is applied to (who may do it, what
    // it names) and changes the tables. The same call serves a live write and the replay; an
    // event that does not fit (an unknown action, a reference to nobody) is refused, which the
    // replay reports as a bad event.
    [[nodiscard]] virtual Status apply(Database& db, const Event& event) const = 0;
    // The signing key the event's signature must verify with, from the tables as they stand
    // before it; nullopt when its actor may not sign it (signer_rule.hpp).
    [[nodiscard]] virtual Result<std::optional<PublicKey>> signer_key(Database& db, const Event& event) const = 0;
    // Every table the log projects into (what the replay compares).
    [[nodiscard]] virtual std::span<const ProjectionTable> tables() const = 0;
    // Every action it applies, vault.create first.
    [[nodiscard]] virtual std::vector<std::string_view> actions() const = 0;
};

} // namespace brankas
