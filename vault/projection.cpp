#include "vault/projection.hpp"

#include "policy/document.hpp"
#include "policy/engine.hpp"
#include "policy/role.hpp"
#include "vault/encoding.hpp"
#include "vault/decisions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/replay_cache.hpp"
#include "vault/log/signer_rule.hpp"
#include "vault/field_rules.hpp"
#include "vault/domain_appliers.hpp"
#include "vault/people/principals.hpp"

#include <algorithm>

namespace brankas {

// Every UPDATE in the appliers (and anywhere in vault/) says OR FAIL. A failing statement fails
// its whole event and the transaction is rolled back, so undoing just that statement is never
// needed; with the default ABORT, SQLite keeps a statement journal for each UPDATE, which
// SQLCipher encrypts page by page: an UPDATE then costs several times as much.

namespace {

Result<bool> vault_created(Database& db) {
    ReplayCache* kept = replay_cache(db);
    if (kept)
        if (const bool* created = kept->vault_created.find(db, {})) return *created;
    bool created = BRANKAS_TRY(db.query_int("SELECT count(*) FROM vault")) == 1;
    if (kept) kept->vault_created.keep(db, {}, created);
    return created;
}


constexpr ProjectionTable tables[] = {
    {"vault", "singleton"},
    {"principals", "name"},
    {"checkpoints", "seq"},
    {"units", "code"},
    {"unit_keys", "unit, principal, key_version"},
    {"unit_public_keys", "unit, key_version"},
    {"grants", "principal, unit, granted_seq"},
    {"signing_keys", "principal, introduced_seq"},
    {"accounts", "id"},
    {"secret_versions", "account, version"},
    {"policy", "singleton"},
    {"terms", "name"},
    {"term_units", "term, unit"},
    {"checkouts", "seq"},
    {"pending_secrets", "account"},
    {"checklist_step_lists", "list, position"},
    {"checklists", "account, opened_seq"},
    {"checklist_steps", "account, opened_seq, position"},
    {"handovers", "id"},
    {"handover_outgoing", "handover, principal"},
    {"handover_accounts", "handover, account"},
    {"approvals", "id"},
    {"approval_votes", "approval, approver"},
    {"principal_records", "principal"},
    {"handover_releases", "handover, principal"},
};

// Every domain's appliers, one per action (vault.create is the people domain's).
std::vector<ActionApplier> all_appliers() {
    std::vector<ActionApplier> out;
    for (auto table : {people_appliers(), audit_appliers(), unit_appliers(), account_appliers(), secret_appliers(), rotation_appliers(),
                       policy_appliers(), term_appliers(), checkout_appliers(), enforcement_appliers(), backup_appliers(),
                       import_appliers(), recovery_appliers(), handover_appliers(), approval_appliers()})
        out.insert(out.end(), table.begin(), table.end());
    // vault.create first: the list of actions begins with it.
    std::stable_partition(out.begin(), out.end(), [](const ActionApplier& a) { return a.action == actions::vault_create; });
    return out;
}

class VaultProjection final : public Projection {
public:
    VaultProjection() : appliers_(all_appliers()) {}

    Status apply(Database& db, const Event& e) const override {
        if (e.seq > 1 && !BRANKAS_TRY(vault_created(db))) return event_refused(e, i18n::tr_noop("comes before the vault was created"));
        for (const ActionApplier& entry : appliers_)
            if (entry.action == e.action) return entry.apply(db, e);
        return event_refused(e, i18n::tr_noop("has an action this brankas does not know"));
    }

    Result<std::optional<PublicKey>> signer_key(Database& db, const Event& e) const override {
        std::optional<SignerStanding> actor;
        if (e.action != actions::vault_create) {
            if (auto p = BRANKAS_TRY(find_principal(db, e.actor))) actor = SignerStanding{p->status, p->signing_key};
        }
        return signing_key_for(e, actor);
    }

    std::span<const ProjectionTable> tables() const override { return brankas::tables; }

    std::vector<std::string_view> actions() const override {
        std::vector<std::string_view> out;
        for (const ActionApplier& entry : appliers_) out.push_back(entry.action);
        return out;
    }

private:
    std::vector<ActionApplier> appliers_;
};

} // namespace

const Projection& vault_projection() {
    static const VaultProjection projection;
    return projection;
}

} // namespace brankas
