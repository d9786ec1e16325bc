// The minutes' data: a handover as it stands, its steps with the events that recorded them, its
// accounts, and once completed the minutes' number and the verification code that ties the
// paper to the completing event. Rendering the minutes is the face's job (cli/handover_minutes).
#include "vault/handover/handover.hpp"

#include "vault/accounts/accounts.hpp"

#include <algorithm>

namespace brankas {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

// The local calendar year of an instant (days to civil date, proleptic Gregorian).
std::int64_t local_year(std::int64_t us, int utc_offset_minutes) {
    std::int64_t seconds = us / 1'000'000 + std::int64_t{utc_offset_minutes} * 60;
    std::int64_t days = seconds / 86'400 - (seconds % 86'400 < 0 ? 1 : 0);
    days += 719'468;
    const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
    const std::int64_t doe = days - era * 146'097;
    const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

std::string three_digits(std::int64_t n) {
    std::string s = std::to_string(n);
    return s.size() < 3 ? std::string(3 - s.size(), '0') + s : s;
}

Result<HandoverStep> step_of(Database& db, std::int64_t seq) {
    HandoverStep step;
    if (seq == 0) return step;
    Statement s = BRANKAS_TRY(db.prepare("SELECT actor, time_us, hash FROM events WHERE seq = ?"));
    s.bind(1, seq);
    if (!BRANKAS_TRY(s.step())) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a handover names an event the log does not have"), {});
    step.by = s.column_text(0);
    step.seq = seq;
    step.time_us = s.column_int(1);
    auto hash = s.column_raw(2);
    if (hash.size() != hash_size) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("an event's hash has the wrong length"), {});
    std::copy(hash.begin(), hash.end(), step.hash.begin());
    return step;
}

} // namespace

std::vector<std::string> HandoverInfo::unreleased() const {
    std::vector<std::string> out;
    if (!release_asked) return out;
    for (const std::string& from : outgoing)
        if (std::none_of(releases.begin(), releases.end(), [&](const HandoverStep& r) { return r.by == from; })) out.push_back(from);
    return out;
}

std::string handover_verification_code(const Hash& h) {
    std::string code;
    for (std::size_t i = 0; i < 4; ++i) {
        if (i == 2) code += '-';
        code += hex_digits[h[i] >> 4];
        code += hex_digits[h[i] & 15];
    }
    return code;
}

std::optional<std::string> normalize_verification_code(std::string_view code) {
    std::string digits;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (std::string_view(hex_digits).find(c) == std::string_view::npos || c == '\0' || digits.size() == 8) return std::nullopt;
        digits += c;
    }
    if (digits.size() != 8) return std::nullopt;
    return digits.substr(0, 4) + "-" + digits.substr(4);
}

Result<HandoverInfo> handover_info(Database& db, std::int64_t id) {
    const HandoverRow row = BRANKAS_TRY(existing_handover(db, id));
    HandoverInfo h;
    h.id = id;
    Statement v = BRANKAS_TRY(db.prepare("SELECT institution FROM vault"));
    if (BRANKAS_TRY(v.step())) h.institution = v.column_text(0);
    policy::Policy pol = BRANKAS_TRY(stored_policy(db));
    h.time_zone = pol.time_zone;
    h.unit = row.unit;
    Statement u = BRANKAS_TRY(db.prepare("SELECT name FROM units WHERE code = ?"));
    u.bind(1, row.unit);
    if (BRANKAS_TRY(u.step())) h.unit_name = u.column_text(0);
    h.receiver = row.receiver;
    h.note = row.note;
    h.state = row.state;
    h.outgoing = row.outgoing;
    h.witness = row.witness;
    h.started = BRANKAS_TRY(step_of(db, row.started_seq));
    h.accepted = BRANKAS_TRY(step_of(db, row.accepted_seq));
    h.witnessed = BRANKAS_TRY(step_of(db, row.witnessed_seq));
    h.ended = BRANKAS_TRY(step_of(db, row.ended_seq));
    h.release_asked = row.release_asked;
    for (const auto& [who, seq] : row.releases) h.releases.push_back(BRANKAS_TRY(step_of(db, seq)));
    std::vector<std::string> named = h.outgoing;
    named.push_back(h.receiver);
    if (h.witness) named.push_back(*h.witness);
    for (const std::string* who : {&h.witnessed.by, &h.started.by, &h.ended.by})
        if (!who->empty()) named.push_back(*who);
    for (const std::string& who : named)
        if (!h.records.contains(who)) h.records.emplace(who, BRANKAS_TRY(person_record(db, who)));
    for (const HandedOverVersion& handed : row.accounts) {
        AccountInfo a = BRANKAS_TRY(account_by_id(db, handed.account));
        h.accounts.push_back({a.id, a.unit, a.platform, a.handle, a.email, a.phone, a.status, a.rotation_due, handed.version, handed.fingerprint});
    }
    if (row.state == policy::HandoverState::completed) {
        h.code = handover_verification_code(h.ended.hash);
        // The minutes' number counts the handovers completed in the same local year up to this one.
        const std::int64_t year = local_year(h.ended.time_us, pol.time_zone.utc_offset_minutes);
        Statement n = BRANKAS_TRY(db.prepare(
            "SELECT e.time_us FROM handovers h JOIN events e ON e.seq = h.ended_seq WHERE h.state = 'completed' AND h.ended_seq <= ?"));
        n.bind(1, row.ended_seq);
        std::int64_t count = 0;
        while (BRANKAS_TRY(n.step())) count += local_year(n.column_int(0), pol.time_zone.utc_offset_minutes) == year;
        h.number = three_digits(count) + "/BAST/" + std::to_string(year);
    }
    return h;
}

} // namespace brankas
