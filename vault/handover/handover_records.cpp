#include "vault/handover/handover_records.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/encoding.hpp"
#include "vault/projection.hpp"

namespace brankas {

namespace {

// Domain separation: these bytes are hashed for nothing else.
constexpr std::string_view fingerprint_label = "brankas handover fingerprint v1";
// Enough for a unit's accounts; a larger list is refused rather than allocated.
constexpr std::size_t max_handed_over = 10'000;
constexpr std::size_t handed_over_record = 8 + 8 + hash_size;

} // namespace

std::string handover_target(std::int64_t id) { return "handover/" + std::to_string(id); }

std::optional<std::int64_t> parse_handover_target(std::string_view target) { return parse_numbered_target(target, "handover/"); }

Hash handover_fingerprint(std::int64_t account, std::int64_t version, ByteView sealed) {
    ByteWriter w;
    w.raw(ByteView(reinterpret_cast<const std::uint8_t*>(fingerprint_label.data()), fingerprint_label.size()))
        .i64(account)
        .i64(version)
        .bytes32(sealed);
    return blake2b_256(w.bytes());
}

Bytes encode_handed_over(const std::vector<HandedOverVersion>& accounts) {
    ByteWriter w;
    w.u32(static_cast<std::uint32_t>(accounts.size()));
    for (const HandedOverVersion& a : accounts) w.i64(a.account).i64(a.version).raw(a.fingerprint);
    return std::move(w).take();
}

std::optional<std::vector<HandedOverVersion>> decode_handed_over(ByteView bytes) {
    ByteReader r(bytes);
    auto n = r.u32();
    // The count is checked against the bytes that are there before anything is reserved.
    if (!n || *n > max_handed_over || r.remaining() != std::size_t{*n} * handed_over_record) return std::nullopt;
    std::vector<HandedOverVersion> out;
    out.reserve(*n);
    for (std::uint32_t i = 0; i < *n; ++i) {
        HandedOverVersion a;
        auto account = r.i64();
        auto version = r.i64();
        if (!account || !version || !r.raw_into(a.fingerprint)) return std::nullopt;
        a.account = *account;
        a.version = *version;
        // Ascending account ids: one order, so one encoding for one list.
        if (a.account < 1 || a.version < 1 || (!out.empty() && out.back().account >= a.account)) return std::nullopt;
        out.push_back(a);
    }
    return out;
}

Result<std::vector<HandedOverVersion>> current_handed_over(Database& db, std::string_view unit) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT a.id, a.version, v.sealed FROM accounts a JOIN secret_versions v ON v.account = a.id AND v.version = a.version "
        "WHERE a.unit = ? AND a.status != 'archived' AND a.version >= 1 ORDER BY a.id"));
    s.bind(1, unit);
    std::vector<HandedOverVersion> out;
    while (BRANKAS_TRY(s.step())) {
        HandedOverVersion h;
        h.account = s.column_int(0);
        h.version = s.column_int(1);
        h.fingerprint = handover_fingerprint(h.account, h.version, s.column_raw(2));
        out.push_back(h);
    }
    return out;
}

std::optional<policy::HandoverState> parse_handover_state(std::string_view name) noexcept {
    using policy::HandoverState;
    for (HandoverState s : {HandoverState::started, HandoverState::accepted, HandoverState::witnessed, HandoverState::completed,
                            HandoverState::cancelled})
        if (policy::handover_state_name(s) == name) return s;
    return std::nullopt;
}

Result<std::optional<HandoverRow>> find_handover(Database& db, std::int64_t id) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT unit, started_by, receiver, note, witness, witnessed_by, accounts_digest, state, started_seq, "
        "ifnull(accepted_seq, 0), ifnull(witnessed_seq, 0), ifnull(ended_seq, 0), release_asked FROM handovers WHERE id = ?"));
    s.bind(1, id);
    if (!BRANKAS_TRY(s.step())) return std::optional<HandoverRow>{};
    HandoverRow h;
    h.id = id;
    h.unit = s.column_text(0);
    h.started_by = s.column_text(1);
    h.receiver = s.column_text(2);
    h.note = s.column_text(3);
    if (!s.column_is_null(4)) h.witness = s.column_text(4);
    if (!s.column_is_null(5)) h.witnessed_by = s.column_text(5);
    auto digest = s.column_raw(6);
    auto state = parse_handover_state(s.column_text(7));
    if (digest.size() != hash_size || !state) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a handover's row is malformed"), {});
    std::copy(digest.begin(), digest.end(), h.accounts_digest.begin());
    h.state = *state;
    h.started_seq = s.column_int(8);
    h.accepted_seq = s.column_int(9);
    h.witnessed_seq = s.column_int(10);
    h.ended_seq = s.column_int(11);
    h.release_asked = s.column_int(12) == 1;
    Statement r = BRANKAS_TRY(db.prepare("SELECT principal, seq FROM handover_releases WHERE handover = ? ORDER BY seq"));
    r.bind(1, id);
    while (BRANKAS_TRY(r.step())) h.releases.emplace_back(r.column_text(0), r.column_int(1));
    Statement o = BRANKAS_TRY(db.prepare("SELECT principal FROM handover_outgoing WHERE handover = ? ORDER BY principal"));
    o.bind(1, id);
    while (BRANKAS_TRY(o.step())) h.outgoing.push_back(o.column_text(0));
    Statement a = BRANKAS_TRY(db.prepare("SELECT account, version, fingerprint FROM handover_accounts WHERE handover = ? ORDER BY account"));
    a.bind(1, id);
    while (BRANKAS_TRY(a.step())) {
        HandedOverVersion v;
        v.account = a.column_int(0);
        v.version = a.column_int(1);
        auto fp = a.column_raw(2);
        if (fp.size() != hash_size) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a handed-over account's fingerprint is malformed"), {});
        std::copy(fp.begin(), fp.end(), v.fingerprint.begin());
        h.accounts.push_back(v);
    }
    return std::optional<HandoverRow>(std::move(h));
}

Result<HandoverRow> existing_handover(Database& db, std::int64_t id) {
    auto row = BRANKAS_TRY(find_handover(db, id));
    if (!row) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no handover %s"), {std::to_string(id)}, i18n::tr_noop("see `brankas handover list`"));
    return std::move(*row);
}

Result<policy::HandoverFacts> handover_facts(Database& db, const HandoverRow& row) {
    policy::HandoverFacts f;
    f.state = row.state;
    f.started_by = row.started_by;
    f.receiver = row.receiver;
    f.outgoing = row.outgoing;
    f.witness = row.witness;
    f.release_asked = row.release_asked;
    for (const auto& [who, seq] : row.releases) f.released.push_back(who);
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT count(*) FROM handover_accounts h JOIN accounts a ON a.id = h.account WHERE h.handover = ? AND a.version = h.version "
        "AND a.status != 'archived'"));
    s.bind(1, row.id);
    BRANKAS_TRY(s.step());
    f.unrotated = static_cast<std::size_t>(s.column_int(0));
    Statement u = BRANKAS_TRY(db.prepare(
        "SELECT count(*) FROM accounts a WHERE a.unit = ? AND a.status != 'archived' AND a.version >= 1 "
        "AND a.id NOT IN (SELECT account FROM handover_accounts WHERE handover = ?)"));
    u.bind(1, row.unit).bind(2, row.id);
    BRANKAS_TRY(u.step());
    f.unlisted = static_cast<std::size_t>(u.column_int(0));
    return f;
}

} // namespace brankas
