// The one commit path. Every operation that changes the vault runs as Session::write(body):
// the write lock is taken (BEGIN IMMEDIATE), the clock is read once, and `body` gets a Change
// at that instant; it decides (the policy engine, through the domain's rule), builds its typed
// events and appends them — each encoded, chained, signed by the session's user, stored and
// applied to the tables by the domains' appliers — and everything commits together, or nothing
// does. A refusal is an event too: Change::refuse records access.denied in the same
// transaction, at the same instant as the decision, and returns the error to report.
#pragma once

#include "policy/engine.hpp"
#include "vault/keyring.hpp"
#include "vault/log/event_log.hpp"
#include "vault/store/database.hpp"

#include <concepts>
#include <optional>
#include <string_view>
#include <utility>

namespace brankas {

class Session;

class Change {
public:
    Change(const Change&) = delete;
    Change& operator=(const Change&) = delete;

    // The instant of this change: every event it appends carries it.
    [[nodiscard]] std::int64_t now() const noexcept { return now_; }
    [[nodiscard]] Session& session() noexcept { return session_; }
    [[nodiscard]] Database& db() noexcept;

    [[nodiscard]] Result<SignedEvent> append(Event event);
    template <class Typed>
        requires requires(const Typed& t) {
            { t.encode() } -> std::same_as<Event>;
        }
    [[nodiscard]] Result<SignedEvent> append(const Typed& typed) {
        return append(typed.encode());
    }

    // The engine's decision for the session's user at now(), with the unit's grant and term as
    // facts (none for a request about no unit) and `holder` as the account's current hold.
    [[nodiscard]] Result<policy::Decision> decide(policy::Request request, std::string_view unit,
                                                  std::optional<policy::Holder> holder = std::nullopt);
    // Records the refusal (access.denied, naming the action and the reason) in this change and
    // returns it as the error to report; the change still commits.
    [[nodiscard]] std::unexpected<Error> refuse(policy::Action action, std::string_view target, const policy::Decision& decision);
    // decide() for a request that needs no more than the action, then refuse() if it is denied.
    [[nodiscard]] Status permit(policy::Action action, std::string_view target, std::string_view unit = {});

    // The keyring as it is on disk now (this change holds the write lock, which is what keeps
    // two writers of the keyring apart); fails if the store was re-keyed since the session opened.
    [[nodiscard]] Result<Keyring> keyring_on_disk();
    // `updated` is written just before the commit; if the commit fails, `before` is written back.
    void save_keyring(Keyring updated, Keyring before);

private:
    friend class Session;
    Change(Session& session, std::int64_t now) : session_(session), now_(now) {}

    Session& session_;
    std::int64_t now_;
    bool refused_ = false;
    std::optional<std::pair<Keyring, Keyring>> keyring_; // updated, before
};

} // namespace brankas
