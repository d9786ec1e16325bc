// The end-of-term job. The plan is the policy engine's (a pure function of the facts read here,
// the policy and the time); carrying it out is a series of ordinary events in one change, each
// checked by the projection as any other. The enforcer holds no unit key: it seals fresh
// passwords to a unit's public key and can never open them again, and it rotates a unit's key
// only to the standby key an admin published ahead.
#include "vault/enforcement/enforcement.hpp"
#include "vault/own_reasons.hpp"

#include "policy/document.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/decisions.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_batch.hpp"
#include "vault/projection.hpp"
#include "vault/replay_cache.hpp"
#include "vault/secrets/secret_payload.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/rotation/rotation.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/rotation/rotation_tables.hpp"
#include "vault/session.hpp"
#include "vault/units/units.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace brankas {

namespace {

// Brings back the deactivated accounts of units inside a term again (unit.reactivate, one event
// per unit), each event handed to `append`.
Status reactivate_units(Database& db, const std::vector<policy::ReactivatedUnit>& units, const std::function<Status(Event)>& append) {
    for (const auto& unit : units)
        BRANKAS_TRY(append(UnitReactivated{unit.code, unit.term, static_cast<std::int64_t>(unit.accounts.size()),
                                           BRANKAS_TRY(unfinished_checklists(db, unit.code))}
                               .encode()));
    return {};
}

// An account the plan deactivates: what its fresh password is sealed with, nothing more (the
// listing's row, with the events that added and last changed it, would cost a join per account).
struct PlannedAccount {
    std::int64_t id = 0;
    std::int64_t version = 0;      // the current secret version; the fresh one is next_version()
    bool rotation_pending = false; // a person's rotation is already waiting: no fresh password
};

// The accounts the plan deactivates, by unit: their unit and version as the plan's facts read
// them (no read per account: at the end of a national term, tens of thousands), and whether a
// rotation is pending for each, from one read of the pending rotations.
Result<std::map<std::string, std::vector<PlannedAccount>>> deactivations_by_unit(Database& db, const EnforcementReads& reads,
                                                                                  const policy::EnforcementPlan& plan) {
    std::vector<std::int64_t> pending;
    Statement p = BRANKAS_TRY(db.prepare("SELECT account FROM pending_secrets ORDER BY account"));
    while (BRANKAS_TRY(p.step())) pending.push_back(p.column_int(0));
    std::map<std::string, std::vector<PlannedAccount>> out;
    const auto& accounts = reads.facts.accounts;
    for (std::int64_t id : plan.deactivate) {
        auto it = std::lower_bound(accounts.begin(), accounts.end(), id, [](const policy::AccountFacts& a, std::int64_t v) { return a.id < v; });
        if (it == accounts.end() || it->id != id) return fail_phrased(ErrorCode::internal, i18n::tr_noop("a planned account is missing"), {});
        out[it->unit].push_back({id, reads.versions[static_cast<std::size_t>(it - accounts.begin())],
                                 std::binary_search(pending.begin(), pending.end(), id)});
    }
    return out;
}

// A fresh password for an account taken out of use: generated, encoded and sealed to the key
// its unit has once it ended, by the batch's workers ahead of the writer (generating and
// sealing dominate a large run, and are the enforcer's only use of randomness and public-key
// encryption). Only the sealed box leaves. Small (an end of term makes one per account): a
// failure, which is rare, is kept apart from the box.
struct FreshSealing {
    PlannedAccount account;
    UnitPublicKey key;
    Bytes sealed;
    std::unique_ptr<Error> failure;
    bool out_of_memory = false; // set where nothing more may be allocated; the error is made by take()

    void fail(Error e) { failure = std::make_unique<Error>(std::move(e)); }
    Result<Bytes> take() {
        if (out_of_memory)
            return fail_phrased(ErrorCode::internal, i18n::tr_noop("secure memory for the new passwords could not be allocated"), {});
        if (failure) return std::unexpected(std::move(*failure));
        return std::move(sealed);
    }

    // Through `password` and `payload`, secure memory reused from one account to the next and
    // wiped after each.
    void seal(SecretBytes& password, SecretBytes& payload) {
        auto length = generate_password_into(PasswordRules{}, password);
        if (!length) {
            fail(length.error());
            return;
        }
        SecretPayloadView view{static_cast<std::uint64_t>(account.id), static_cast<std::uint32_t>(next_version(account.version)),
                               password.view().first(*length), nullptr, ByteView(), ByteView()};
        auto size = encode_secret_payload_into(view, payload);
        sodium_memzero(password.data(), password.size());
        if (!size) {
            fail(size.error());
            return;
        }
        sealed = seal_to(key.key, payload.view().first(*size));
        sodium_memzero(payload.data(), *size);
    }
};

// Seals fresh[first, end) (the batch's preparation: it must not throw), through secure memory
// each thread keeps from one chunk to the next (a payload's buffer is too large for a kept
// slot: sodium_malloc maps it between guard pages, and freeing it makes every core flush its
// TLB), wiped whole when the chunk is done or cut short.
void seal_fresh(std::vector<FreshSealing>& fresh, std::size_t first, std::size_t end) noexcept {
    try {
        thread_local SecretBytes password(PasswordRules{}.length), payload(max_secret_payload);
        const WipedAtExit wiped(password, payload);
        for (std::size_t i = first; i < end; ++i) fresh[i].seal(password, payload);
    } catch (const std::bad_alloc&) {
        for (std::size_t i = first; i < end; ++i) fresh[i].out_of_memory = true;
    }
}

// One unit the plan ends: its event, the accounts it takes out of use, and which of the fresh
// passwords are theirs.
struct Ending {
    UnitDeactivated event;
    const std::vector<PlannedAccount>* accounts;
    std::size_t first_fresh = 0, end_fresh = 0;
};

} // namespace

Result<policy::EnforcementPlan> enforcement_plan(Session& session, std::int64_t at_us) {
    BRANKAS_TRY(session.permit(policy::Action::enforce, "enforce"));
    Transaction tx = BRANKAS_TRY(Transaction::begin_read(session.db()));
    policy::Policy pol = BRANKAS_TRY(stored_policy(session.db()));
    return policy::plan_enforcement(BRANKAS_TRY(enforcement_facts(session.db())), pol, at_us);
}

Result<EnforcementReport> enforce(Session& session) {
    return session.write([&](Change& change) -> Result<EnforcementReport> {
        BRANKAS_TRY(change.permit(policy::Action::enforce, "enforce"));
        Database& db = change.db();
        // Every event of the batch asks its appliers again who the enforcer is, what the policy
        // says and where the unit stands in its terms, which none of these events changes:
        // kept for this write (replay_cache.hpp says why a kept read cannot be stale).
        ReadsKeptForWrite kept_reads = BRANKAS_TRY(ReadsKeptForWrite::begin(db));
        policy::Policy pol = BRANKAS_TRY(stored_policy(db));
        EnforcementReport report;
        const EnforcementReads reads = BRANKAS_TRY(enforcement_reads(db));
        report.plan = policy::plan_enforcement(reads.facts, pol, change.now());
        const policy::EnforcementPlan& plan = report.plan;

        // First what the events will be, reading only: each ended unit's event, and the fresh
        // passwords of its accounts, to be sealed to the key the unit has once its event applied.
        auto deactivate_by_unit = BRANKAS_TRY(deactivations_by_unit(db, reads, plan));
        // The accounts checked out now (the facts' open check-outs: no event of this batch
        // before an account's own check-out.expire ends one).
        std::set<std::int64_t> checked_out;
        for (const auto& c : reads.facts.checkouts) checked_out.insert(c.account);
        // plan.revoke is sorted by unit, then principal: the names come out sorted, as the event wants them.
        std::unordered_map<std::string, std::string> custodians_of;
        for (const auto& grant : plan.revoke) {
            std::string& names = custodians_of[grant.unit];
            names += (names.empty() ? "" : ", ") + grant.principal;
        }
        std::vector<Ending> endings;
        std::vector<FreshSealing> fresh;
        fresh.reserve(plan.deactivate.size());
        std::size_t most_events = plan.reactivate.size() + plan.expire.size() + plan.flag_rotation.size();
        for (const auto& unit : plan.ended_units) {
            const auto& accounts = deactivate_by_unit[unit.code];
            const std::string& custodians = custodians_of[unit.code];
            if (accounts.empty() && custodians.empty()) continue; // ended before, nothing left
            // One event ends the unit: its accounts deactivated (each with a checklist), its
            // custodians' grants ended and, when it has one, the unit moved to its standby key,
            // which the revoked custodians never held and whose secret half only the admins hold:
            // the enforcer switches keys without ever seeing one. The versions sealed to the old
            // key stay readable by those who hold it (and are flagged for rotation). Without a
            // standby (an admin's rotation is owed), the grants still end and `status` names the unit.
            UnitDeactivated ending{unit.code, unit.last_term, static_cast<std::int64_t>(accounts.size()), custodians, std::nullopt, {}};
            const UnitKeys keys = BRANKAS_TRY(current_and_standby_keys(db, unit.code));
            if (!custodians.empty()) {
                ending.key_version = deactivation_key_version(custodians, keys.standby ? std::optional(keys.standby->version) : std::nullopt);
                if (ending.key_version) ++report.rotated_units;
                else report.rotation_owed.push_back(unit.code);
            }
            const UnitPublicKey key = ending.key_version ? *keys.standby : keys.current;
            const std::size_t first = fresh.size();
            for (const PlannedAccount& account : accounts)
                if (!account.rotation_pending) fresh.push_back({account, key, {}, {}, false});
            endings.push_back({std::move(ending), &accounts, first, fresh.size()});
            most_events += 1 + 2 * accounts.size(); // the unit's event, and each account's expiry and fresh password at most
        }

        // Then the events in order, on this thread, while the batch's workers seal ahead of it
        // and sign behind it.
        const auto started = std::chrono::steady_clock::now();
        std::chrono::steady_clock::duration waiting_for_sealing{};
        auto batch = BRANKAS_TRY(EventBatch::begin(db, session.signing_key(), change.now(), vault_projection(), most_events,
                                                   {fresh.size(), [&fresh](std::size_t first, std::size_t end) {
                                                        seal_fresh(fresh, first, end);
                                                    }}));
        auto append = [&](Event event) -> Status {
            event.actor = session.user();
            BRANKAS_TRY(batch->add(std::move(event)));
            ++report.events;
            return {};
        };
        std::set<std::int64_t> expired;
        auto sealed_fresh = [&](std::size_t i) -> Result<Bytes> {
            const auto wait_started = std::chrono::steady_clock::now();
            batch->wait_prepared(i);
            waiting_for_sealing += std::chrono::steady_clock::now() - wait_started;
            ++report.sealed;
            return fresh[i].take();
        };
        for (Ending& ending : endings) {
            // The unit's event carries its accounts' fresh passwords, as many as its body holds
            // (docs/formats.md "unit.deactivate"); the rest follow as the enforcer's secret.pending.
            std::size_t carried_bytes = 0;
            std::vector<Bytes> left; // sealed, but past what the event holds: as secret.pending below
            for (std::size_t i = ending.first_fresh; i < ending.end_fresh; ++i) {
                Bytes sealed = BRANKAS_TRY(sealed_fresh(i));
                const FreshSealing& f = fresh[i];
                const std::size_t field_bytes = fresh_field_bytes(f.account.id, sealed.size());
                if (!left.empty() || !fresh_password_fits(ending.event.fresh.size(), carried_bytes, field_bytes)) {
                    left.push_back(std::move(sealed));
                    continue;
                }
                carried_bytes += field_bytes;
                ending.event.fresh.push_back({f.account.id, next_version(f.account.version), f.key.version, std::move(sealed)});
            }
            const std::size_t carried = ending.first_fresh + ending.event.fresh.size();
            BRANKAS_TRY(append(ending.event.encode()));
            ending.event.fresh = {};
            for (const PlannedAccount& account : *ending.accounts) {
                // A check-out of an account that is no longer usable ends with it.
                if (checked_out.contains(account.id)) {
                    BRANKAS_TRY(append(CheckoutExpired{account.id}.encode()));
                    expired.insert(account.id);
                }
            }
            for (std::size_t i = carried; i < ending.end_fresh; ++i) {
                const FreshSealing& f = fresh[i];
                SecretPending pending;
                pending.account = f.account.id;
                pending.version = next_version(f.account.version);
                pending.key_version = f.key.version;
                pending.reason = fresh_password_reason(ending.event.term);
                pending.sealed = std::move(left[i - carried]);
                BRANKAS_TRY(append(pending.encode()));
            }
        }
        BRANKAS_TRY(reactivate_units(db, plan.reactivate, append));
        for (const auto& c : plan.expire) {
            if (expired.contains(c.account)) continue;
            BRANKAS_TRY(append(CheckoutExpired{c.account}.encode()));
        }
        for (std::int64_t id : plan.flag_rotation)
            BRANKAS_TRY(append(AccountFlagged{id, own_reason(OwnReason::password_older_than, {policy::format_duration(pol.max_password_age_us)})}.encode()));
        BRANKAS_TRY(batch->finish());
        report.sealing_seconds = std::chrono::duration<double>(waiting_for_sealing).count();
        report.writing_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    });
}

Result<std::vector<policy::ReactivatedUnit>> reactivate_now(Change& change) {
    policy::Policy pol = BRANKAS_TRY(stored_policy(change.db()));
    auto plan = policy::plan_enforcement(BRANKAS_TRY(enforcement_facts(change.db())), pol, change.now());
    BRANKAS_TRY(reactivate_units(change.db(), plan.reactivate, [&change](Event event) -> Status {
        BRANKAS_TRY(change.append(std::move(event)));
        return {};
    }));
    return plan.reactivate;
}

} // namespace brankas
