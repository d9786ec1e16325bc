#include "vault/audit/vault_status.hpp"

#include "vault/log/event_log.hpp"
#include "vault/recovery/recovery.hpp"

namespace brankas {

Result<VaultStatus> vault_status(Session& session) {
    Database& db = session.db();
    const Keyring& keyring = session.keyring();
    VaultStatus s;
    s.vault_id = keyring.vault_id();
    s.schema_version = static_cast<int>(BRANKAS_TRY(db.query_int("PRAGMA user_version")));
    s.cipher_version = BRANKAS_TRY(db.query_text("PRAGMA cipher_version"));
    s.institution = BRANKAS_TRY(db.query_text("SELECT institution FROM vault"));
    LogHead head = BRANKAS_TRY(read_head(db));
    s.events = head.seq;
    s.head = head.hash;
    s.last_event_us = head.time_us;
    {
        Statement c = BRANKAS_TRY(db.prepare("SELECT seq, signer FROM checkpoints ORDER BY seq DESC LIMIT 1"));
        if (BRANKAS_TRY(c.step())) {
            s.last_checkpoint_seq = static_cast<std::uint64_t>(c.column_int(0));
            s.last_checkpoint_signer = c.column_text(1);
        }
    }
    {
        Statement p = BRANKAS_TRY(db.prepare("SELECT count(*), ifnull(sum(status = 'active'), 0) FROM principals"));
        BRANKAS_TRY(p.step());
        s.people = static_cast<std::size_t>(p.column_int(0));
        s.active_people = static_cast<std::size_t>(p.column_int(1));
    }
    s.slots = keyring.slots().size();
    s.envelopes = keyring.envelopes().size();
    s.store_generation = session.store_generation();
    RecoveryStatus recovery = BRANKAS_TRY(recovery_status(db));
    s.recovery = std::move(recovery.setup);
    s.last_recovery_action = std::move(recovery.last_action);
    return s;
}

Status for_each_principal(Session& session, const std::function<Status(const PrincipalInfo&)>& row) {
    Statement p = BRANKAS_TRY(session.db().prepare("SELECT name, role, status FROM principals ORDER BY name"));
    while (BRANKAS_TRY(p.step())) {
        PrincipalInfo info{p.column_text(0), p.column_text(1), p.column_text(2), std::nullopt};
        // Slots carry no names: find each principal's slot by its derived id.
        if (const Slot* slot = session.keyring().find(info.name))
            info.slot = SlotInfo{slot->kind, slot->kdf, slot->limits, slot->created_us, slot->expires_us};
        BRANKAS_TRY(row(info));
    }
    return {};
}

} // namespace brankas
