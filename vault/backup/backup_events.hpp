// The backup domain's event (docs/formats.md "Actions").
#pragma once

#include "vault/log/event.hpp"

namespace brankas {

// backup.create: the actor took a backup of the vault at this event, the copy's last. It has
// no target and no details.
struct BackupCreated {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<BackupCreated> decode(const Event& event);
};

} // namespace brankas
