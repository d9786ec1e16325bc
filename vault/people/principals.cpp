#include "vault/people/principals.hpp"

#include "vault/people/people_events.hpp"
#include "vault/replay_cache.hpp"

#include <algorithm>

namespace brankas {

Result<bool> holds_grant(Database& db, std::string_view principal, std::string_view unit) {
    ReplayCache* kept = replay_cache(db);
    std::string key = kept ? ReplayCache::grant_key(principal, unit) : std::string();
    if (kept)
        if (const bool* held = kept->grants.find(db, key)) return *held;
    Statement s = BRANKAS_TRY(db.prepare("SELECT count(*) FROM grants WHERE principal = ? AND unit = ? AND revoked_seq IS NULL"));
    s.bind(1, principal).bind(2, unit);
    BRANKAS_TRY(s.step());
    bool held = s.column_int(0) > 0;
    if (kept) kept->grants.keep(db, key, held);
    return held;
}

Result<std::vector<std::string>> granted_units(Database& db, std::string_view principal) {
    Statement s = BRANKAS_TRY(db.prepare("SELECT unit FROM grants WHERE principal = ? AND revoked_seq IS NULL ORDER BY unit"));
    s.bind(1, principal);
    std::vector<std::string> units;
    while (BRANKAS_TRY(s.step())) units.push_back(s.column_text(0));
    return units;
}

Result<std::optional<PrincipalKeys>> find_principal(Database& db, std::string_view name) {
    ReplayCache* kept = replay_cache(db);
    if (kept)
        if (const auto* found = kept->principals.find(db, name)) return *found;
    std::optional<PrincipalKeys> found;
    Statement s = BRANKAS_TRY(db.prepare("SELECT role, status, signing_key, box_key FROM principals WHERE name = ?"));
    s.bind(1, name);
    if (BRANKAS_TRY(s.step())) {
        auto role = policy::parse_role(s.column_text(0));
        auto status = parse_principal_status(s.column_text(1));
        if (!role || !status) return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a principal has an unknown role or status"), {});
        PrincipalKeys k{*role, *status, {}, {}};
        auto sk = s.column_raw(2);
        auto bk = s.column_raw(3);
        if (sk.size() != public_key_size || bk.size() != public_key_size)
            return fail_phrased(ErrorCode::store_corrupt, i18n::tr_noop("a principal's public key has the wrong length"), {});
        std::copy(sk.begin(), sk.end(), k.signing_key.begin());
        std::copy(bk.begin(), bk.end(), k.box_key.begin());
        found = k;
    }
    if (kept) kept->principals.keep(db, name, found);
    return found;
}

std::optional<Signer> signer_of(const std::optional<PrincipalKeys>& p) {
    if (!p) return std::nullopt;
    return Signer{std::string(policy::role_name(p->role)), p->status, p->signing_key};
}

Result<std::optional<Signer>> principal_after(Database& db, const Event& e) {
    std::optional<Signer> before;
    if (std::string_view subject = signer_subject(e); !subject.empty()) before = signer_of(BRANKAS_TRY(find_principal(db, subject)));
    return signer_after(e, before);
}

Event genesis_event(const VaultId& vault_id, std::string_view institution, std::string_view admin, const PublicKey& signing_key,
                    const PublicKey& box_key) {
    Event e = VaultCreated{std::string(institution), vault_id, signing_key, box_key}.encode();
    e.seq = 1;
    e.actor = std::string(admin);
    return e;
}

} // namespace brankas
