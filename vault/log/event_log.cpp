#include "vault/log/event_log.hpp"


namespace brankas {

Result<LogHead> read_head(Database& db) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT seq, hash, time_us FROM events ORDER BY seq DESC LIMIT 1"));
    if (!BRANKAS_TRY(s.step())) return LogHead{};
    LogHead head;
    head.seq = static_cast<std::uint64_t>(s.column_int(0));
    auto h = s.column_raw(1);
    if (h.size() != hash_size) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("the last event's hash has the wrong length"), {});
    std::copy(h.begin(), h.end(), head.hash.begin());
    head.time_us = s.column_int(2);
    return head;
}

Status store_signed_event(Database& db, const Event& event, const SignedEvent& signed_event) {
    Statement s = BRANKAS_TRY(db.prepare(
        "INSERT INTO events (seq, time_us, actor, action, target, body, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    return s.bind(1, static_cast<std::int64_t>(event.seq))
        .bind(2, event.time_us)
        .bind(3, event.actor)
        .bind(4, event.action)
        .bind(5, event.target)
        .bind(6, ByteView(signed_event.body))
        .bind(7, ByteView(signed_event.hash))
        .bind(8, ByteView(signed_event.signature))
        .run();
}

Status check_not_before_head(const LogHead& head, std::int64_t now) {
    if (now < head.time_us)
        return fail_phrased(ErrorCode::clock_backwards, i18n::tr_noop("this computer's clock is earlier than the vault's last event; refusing to write"),
                            {std::to_string((head.time_us - now) / 1'000'000)},
                            i18n::tr_noop("correct the system clock (the last event is %s s in this clock's future)"));
    return {};
}

Result<SignedEvent> append_event(Database& db, Event event, const SigningKey& signer, std::int64_t now,
                                 const Projection& projection) {
    LogHead head = BRANKAS_TRY(read_head(db));
    BRANKAS_TRY(check_not_before_head(head, now));
    event.seq = head.seq + 1;
    event.time_us = now;

    SignedEvent signed_event;
    signed_event.seq = event.seq;
    signed_event.time_us = event.time_us;
    signed_event.body = BRANKAS_TRY(encode_event(event));
    signed_event.hash = chain_hash(head.hash, signed_event.body);
    signed_event.signature = signer.sign(event_signing_message(signed_event.hash));

    BRANKAS_TRY(store_signed_event(db, event, signed_event));
    BRANKAS_TRY(projection.apply(db, event));
    return signed_event;
}

Status for_each_event(Database& db, const std::function<bool(const EventSummary&)>& visit) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT seq, time_us, actor, action, target FROM events ORDER BY seq"));
    while (BRANKAS_TRY(s.step())) {
        EventSummary row{static_cast<std::uint64_t>(s.column_int(0)), s.column_int(1), s.column_text(2),
                         s.column_text(3), s.column_text(4)};
        if (!visit(row)) break;
    }
    return {};
}

Status for_each_signed_event(Database& db,
                             const std::function<Status(const SignedEvent&, const EventSummary&)>& visit) {
    Statement s = BRANKAS_TRY(
        db.prepare("SELECT seq, time_us, actor, action, target, body, hash, signature FROM events ORDER BY seq"));
    while (BRANKAS_TRY(s.step())) {
        EventSummary row{static_cast<std::uint64_t>(s.column_int(0)), s.column_int(1), s.column_text(2),
                         s.column_text(3), s.column_text(4)};
        SignedEvent ev;
        ev.seq = row.seq;
        ev.time_us = row.time_us;
        // Bound the body before copying it: the file is untrusted and SQLite allows ~1 GB.
        if (s.column_size(5) > max_event_body)
            return fail_phrased(ErrorCode::verification_failed, i18n::tr_noop("event %s has a body larger than any event"),
                                {std::to_string(row.seq)});
        ev.body = s.column_blob(5);
        auto h = s.column_raw(6);
        auto sig = s.column_raw(7);
        // The schema's CHECK constraints bound these lengths, but the file is untrusted input.
        if (h.size() != hash_size || sig.size() != signature_size)
            return fail_phrased(ErrorCode::verification_failed, i18n::tr_noop("event %s has a hash or signature of the wrong length"),
                                {std::to_string(row.seq)});
        std::copy(h.begin(), h.end(), ev.hash.begin());
        std::copy(sig.begin(), sig.end(), ev.signature.begin());
        BRANKAS_TRY(visit(ev, row));
    }
    return {};
}

} // namespace brankas
