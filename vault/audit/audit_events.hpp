// The audit domain's events (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

#include <string>

namespace brankas {

// audit.checkpoint: the actor took a checkpoint of the log at this very event. No target, no field.
struct CheckpointTaken {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<CheckpointTaken> decode(const Event& event);
};

// access.denied: the record of a refusal. `target` is what was refused, `action` the engine's
// description of what was asked ("check passwords out"), `reason` the denial a person read.
struct AccessDenied {
    std::string target, action, reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<AccessDenied> decode(const Event& event);
};

} // namespace brankas
