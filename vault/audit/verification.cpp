// Checkpoints and `audit verify`: the log walked again from its first event (or from a
// checkpoint kept outside the vault), every event replayed through the same appliers.
#include "vault/audit/audit.hpp"

#include "vault/audit/audit_events.hpp"
#include "vault/projection.hpp"
#include "vault/session.hpp"

namespace brankas {

Status for_each_event(Session& session, const std::function<bool(const EventSummary&)>& visit) {
    return for_each_event(session.db(), visit);
}

Result<Checkpoint> take_checkpoint(Session& session) {
    SignedEvent recorded = BRANKAS_TRY(session.write([&](Change& change) { return change.append(CheckpointTaken{}); }));
    Checkpoint c;
    c.vault_id = session.vault_id();
    c.seq = recorded.seq;
    c.head = recorded.hash;
    c.time_us = recorded.time_us;
    c.signer = session.user();
    return sign_checkpoint(std::move(c), session.signing_key());
}

Result<VerifyReport> verify(Session& session, const std::optional<Checkpoint>& checkpoint) {
    VerifyOptions options;
    options.checkpoint = checkpoint;
    return verify(session, options);
}

Result<VerifyReport> verify(Session& session, const VerifyOptions& options) {
    VerifyOptions with_connection = options;
    if (!with_connection.another_connection)
        with_connection.another_connection = [&session] {
            return Database::open_encrypted(session.paths().store(), session.store_key(), Database::Mode::open_existing);
        };
    return verify_log(session.db(), session.vault_id(), vault_projection(), with_connection);
}

} // namespace brankas
