// Who may sign at each point of the log, learned from the log alone: the signing keys that
// the genesis event, `user.add` and `user.enroll` introduce, and the principals that
// `user.disable` ends. `audit verify --since` checks the signatures after a checkpoint with
// it, without replaying the whole projection. Who may sign, and how an event changes that, is
// decided by the one rule of signer_rule.hpp, as in the replay.
#pragma once

#include "vault/log/event.hpp"
#include "vault/log/signer_rule.hpp"

#include <map>
#include <optional>
#include <string>

namespace brankas {

class SignerKeys {
public:
    using Principal = Signer;

    // The key the event's signature must verify with; nullopt when its actor may not sign it.
    [[nodiscard]] std::optional<PublicKey> expected(const Event& event) const;
    // Takes in what the event changes about principals (most events change nothing). An event
    // that does not fit (a second genesis, a key of the wrong length) is a finding.
    [[nodiscard]] Status learn(const Event& event);
    [[nodiscard]] const std::map<std::string, Principal, std::less<>>& principals() const noexcept { return principals_; }

private:
    std::map<std::string, Principal, std::less<>> principals_;
};

} // namespace brankas
