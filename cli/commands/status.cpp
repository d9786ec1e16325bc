#include "cli/commands/commands.hpp"
#include "cli/commands/kdf_description.hpp"
#include "faces/dates.hpp"
#include "faces/slot_problems.hpp"
#include "vault/approvals/approvals.hpp"
#include "vault/audit/vault_status.hpp"
#include "cli/output.hpp"
#include "vault/slot_integrity.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <ostream>
#include <span>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string slot_derivation(const SlotInfo& slot) {
    if (slot.kind == SlotKind::recovery) return tr("none (the random 32-byte key its shares recover)");
    if (slot.kdf == SlotKdf::key_file) return tr("none (a random 32-byte key file)");
    return describe_kdf(slot.limits);
}

// How many of a list there are, and the first few of them (after a term, tens of thousands of
// accounts owe a new password: the text names some, --json streams every one).
struct Sample {
    std::int64_t count = 0;
    std::vector<std::string> first;
    // A walk's handler that keeps each ref it is handed in `first`.
    std::function<Status(std::string_view)> keeper() {
        return [this](std::string_view ref) -> Status {
            first.emplace_back(ref);
            return {};
        };
    }
};
constexpr std::size_t sample_size = 8;

// What needs a person: passwords due for a change, check-outs past their end, deactivated
// accounts whose checklist is not done, sub-districts owing a new key. The text names the first
// few of each; --json streams every one.
struct Attention {
    Sample rotation_due;
    std::int64_t overdue_count = 0;
    std::vector<CheckoutInfo> overdue; // the first few of them
    Sample checklists;
    Sample key_rotation_owed;            // units whose revoked custodians still hold the key
    std::vector<ApprovalInfo> approvals; // requests under dual control waiting for a second person
    policy::TimeZone zone;
};

Result<Attention> gather_attention(Session& vault, std::int64_t now_us) {
    Attention a;
    a.rotation_due.count = BRANKAS_TRY(count_accounts_owing_rotation(vault));
    BRANKAS_TRY(for_each_account_owing_rotation(vault, sample_size, a.rotation_due.keeper()));
    a.overdue_count = BRANKAS_TRY(count_overdue_checkouts(vault, now_us));
    BRANKAS_TRY(for_each_overdue_checkout(vault, now_us, sample_size, [&a](const CheckoutInfo& c) -> Status {
        a.overdue.push_back(c);
        return {};
    }));
    a.checklists.count = BRANKAS_TRY(count_incomplete_checklists(vault));
    BRANKAS_TRY(for_each_incomplete_checklist(vault, sample_size, a.checklists.keeper()));
    a.key_rotation_owed.count = BRANKAS_TRY(count_units_owing_rotation(vault));
    BRANKAS_TRY(for_each_unit_owing_rotation(vault, sample_size, a.key_rotation_owed.keeper()));
    a.approvals = BRANKAS_TRY(list_approvals(vault, WhichApprovals::waiting));
    a.zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
    return a;
}

// "a, b, c and 7 more": the first few of `count` items.
std::string some_of(std::span<const std::string> items, std::int64_t count) {
    std::string out;
    const std::size_t shown = std::min(items.size(), sample_size);
    for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + for_terminal(items[i]);
    if (count > static_cast<std::int64_t>(shown)) out += fill(tr(" and %s more"), {std::to_string(count - static_cast<std::int64_t>(shown))});
    return out;
}
std::string some_of(const Sample& sample) { return some_of(sample.first, sample.count); }

// "admin's passphrase reset at event 42, 2029-07-01 10:00 WIB"
std::string recovery_action_sentence(const RecoveryActionRecord& a, const policy::TimeZone& zone) {
    return fill(a.action == "recovery.reset" ? tr("%1$s's passphrase reset at event %2$s, %3$s") : tr("%1$s enrolled as admin at event %2$s, %3$s"),
                {for_terminal(a.target), std::to_string(a.seq), format_zoned(a.time_us, zone)});
}

class StatusCommand final : public VaultCommand {
public:
    po::options_description options() override { return po::options_description(tr("Options for status")); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run_in_vault(Context& ctx, Session& vault) override {
        VaultStatus s = BRANKAS_TRY(vault_status(vault));
        const std::int64_t now_us = ctx.clock.now_us();
        Attention attention = BRANKAS_TRY(gather_attention(vault, now_us));
        const std::vector<SlotCheck> slots = BRANKAS_TRY(check_slots(vault));
        if (ctx.options.json) {
            return print_json(ctx, vault, s, attention, slots, now_us);
        }
        const BlockLabels label{tr_noop("Vault"),    tr_noop("Institution"),  tr_noop("Vault id"), tr_noop("Store"),
                                tr_noop("Log"),      tr_noop("Head"),         tr_noop("Checkpoint"), tr_noop("Recovery"),
                                tr_noop("RECOVERY"), tr_noop("Rotation due"), tr_noop("Overdue"),  tr_noop("Checklists"),
                                tr_noop("Approval"), tr_noop("Unit keys")};
        ctx.out << label(tr_noop("Vault")) << for_terminal(vault.paths().dir.string()) << "\n"
                << label(tr_noop("Institution")) << for_terminal(s.institution) << "\n"
                << label(tr_noop("Vault id")) << to_hex(s.vault_id) << "\n"
                << label(tr_noop("Store"))
                << fill(tr("schema %1$s, SQLCipher %2$s, key generation %3$s"),
                        {std::to_string(s.schema_version), s.cipher_version, std::to_string(s.store_generation)})
                << "\n"
                << label(tr_noop("Log"))
                << fill(trn("%1$s event, last at %2$s", "%1$s events, last at %2$s", static_cast<unsigned long>(s.events)),
                        {std::to_string(s.events), format_zoned_seconds(s.last_event_us, attention.zone)})
                << "\n"
                << label(tr_noop("Head")) << to_hex(s.head) << "\n";
        if (s.last_checkpoint_seq)
            ctx.out << label(tr_noop("Checkpoint"))
                    << fill(tr("last taken at event %1$s by %2$s"), {std::to_string(*s.last_checkpoint_seq), for_terminal(s.last_checkpoint_signer)})
                    << "\n";
        else
            ctx.out << label(tr_noop("Checkpoint")) << tr("none taken yet (brankas audit checkpoint --out FILE)") << "\n";

        if (s.recovery)
            ctx.out << label(tr_noop("Recovery"))
                    << fill(tr("%1$s of %2$s shares, split %3$s by %4$s"),
                            {std::to_string(s.recovery->threshold), std::to_string(s.recovery->shares), format_zoned(s.recovery->split_us, attention.zone),
                             for_terminal(s.recovery->split_by)})
                    << (s.recovery->status == "active" ? std::string() : fill(tr(" (recovery principal %s)"), {s.recovery->status})) << "\n";
        else
            ctx.out << label(tr_noop("Recovery")) << tr("no shares (brankas recovery split --shares N --threshold K --out-dir DIR)") << "\n";
        if (s.last_recovery_action)
            ctx.out << label(tr_noop("RECOVERY"))
                    << fill(tr("last recovery action: %s"), {recovery_action_sentence(*s.last_recovery_action, attention.zone)}) << "\n";
        for (const SlotCheck& c : slots)
            if (auto line = faces::slot_problem(c, for_terminal(c.principal), [](const char* id) { return tr(id); })) ctx.out << *line << "\n";

        if (attention.rotation_due.count != 0)
            ctx.out << label(tr_noop("Rotation due"))
                    << fill(tr("%1$s: %2$s (brankas rotate REF)"), {std::to_string(attention.rotation_due.count), some_of(attention.rotation_due)})
                    << "\n";
        for (const auto& c : attention.overdue)
            ctx.out << label(tr_noop("Overdue"))
                    << fill(tr("%1$s checked out by %2$s until %3$s (brankas enforce expires it)"),
                            {for_terminal(c.ref), c.holder, format_zoned(c.until_us, attention.zone)})
                    << "\n";
        if (const std::int64_t more = attention.overdue_count - static_cast<std::int64_t>(attention.overdue.size()); more > 0)
            ctx.out << label(tr_noop("Overdue"))
                    << fill(trn("and %s more overdue check-out (brankas checkouts lists every open one)",
                                "and %s more overdue check-outs (brankas checkouts lists every open one)", static_cast<unsigned long>(more)),
                            {std::to_string(more)})
                    << "\n";
        if (attention.checklists.count != 0)
            ctx.out << label(tr_noop("Checklists"))
                    << fill(trn("%1$s deactivated account with steps left: %2$s (brankas account checklist REF)",
                                "%1$s deactivated accounts with steps left: %2$s (brankas account checklist REF)",
                                static_cast<unsigned long>(attention.checklists.count)),
                            {std::to_string(attention.checklists.count), some_of(attention.checklists)})
                    << "\n";
        for (const auto& a : attention.approvals)
            ctx.out << label(tr_noop("Approval"))
                    << (a.ref.empty()
                            ? fill(trn("request %1$s by %2$s: %3$s, %4$s of %5$s approval, until %6$s (brankas approve %1$s --reason TEXT)",
                                       "request %1$s by %2$s: %3$s, %4$s of %5$s approvals, until %6$s (brankas approve %1$s --reason TEXT)",
                                       static_cast<unsigned long>(a.needed)),
                                   {std::to_string(a.row.id), for_terminal(a.row.requester), tr(policy::dual_action_description(a.row.asked.action).data()),
                                    std::to_string(a.row.granted_by.size()), std::to_string(a.needed), format_zoned(a.row.expires_us, attention.zone)})
                            : fill(trn("request %1$s by %2$s: %3$s of %4$s, %5$s of %6$s approval, until %7$s (brankas approve %1$s --reason TEXT)",
                                       "request %1$s by %2$s: %3$s of %4$s, %5$s of %6$s approvals, until %7$s (brankas approve %1$s --reason TEXT)",
                                       static_cast<unsigned long>(a.needed)),
                                   {std::to_string(a.row.id), for_terminal(a.row.requester), tr(policy::dual_action_description(a.row.asked.action).data()),
                                    for_terminal(a.ref), std::to_string(a.row.granted_by.size()), std::to_string(a.needed),
                                    format_zoned(a.row.expires_us, attention.zone)}))
                    << "\n";
        if (attention.key_rotation_owed.count != 0)
            ctx.out << label(tr_noop("Unit keys"))
                    << fill(tr("%s: a revoked custodian still holds the key (brankas unit rotate CODE --reason TEXT)"),
                            {some_of(attention.key_rotation_owed)})
                    << "\n";
        ctx.out << "\n";
        BRANKAS_TRY(print_table_in_two_passes(ctx.out, {tr("USER"), tr("ROLE"), tr("STATUS"), tr("UNLOCKS WITH"), tr("KEY DERIVATION")},
                                              [&](const RowSink& sink) {
                                                  return for_each_principal(vault, [&](const PrincipalInfo& p) -> Status {
                                                      sink({p.name, p.role, p.status,
                                                            p.slot ? std::string(tr(slot_kind_name(p.slot->kind).data())) : "-",
                                                            p.slot ? slot_derivation(*p.slot) : "-"});
                                                      return {};
                                                  });
                                              }));
        return {};
    }

private:
    static const char* slot_state_name(SlotState s) {
        switch (s) {
        case SlotState::intact: return "intact";
        case SlotState::damaged: return "damaged";
        case SlotState::missing: return "missing";
        case SlotState::unrecorded: return "unrecorded";
        }
        return "unrecorded";
    }
    static nlohmann::json approvals_json(const Attention& a) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : a.approvals)
            j.push_back({{"id", r.row.id}, {"for", policy::dual_action_name(r.row.asked.action)}, {"account", r.ref}, {"requester", r.row.requester},
                         {"approvals", r.row.granted_by.size()}, {"needed", r.needed}, {"until", iso_utc(r.row.expires_us)}});
        return j;
    }
    // Each ref handed over, as an element of the array being written.
    static std::function<Status(std::string_view)> element_of(JsonArrayStream& array) {
        return [&array](std::string_view ref) -> Status {
            array.element(nlohmann::json(ref));
            return {};
        };
    }
    static Status print_json(Context& ctx, Session& vault, const VaultStatus& s, const Attention& attention,
                             const std::vector<SlotCheck>& slots, std::int64_t now_us) {
        nlohmann::json users = nlohmann::json::array();
        BRANKAS_TRY(for_each_principal(vault, [&](const PrincipalInfo& p) -> Status {
            nlohmann::json u{{"name", p.name}, {"role", p.role}, {"status", p.status}};
            if (p.slot && p.slot->kdf == SlotKdf::key_file) {
                u["slot"] = {{"kind", slot_kind_name(p.slot->kind)}, {"kdf", {{"algorithm", "none"}, {"profile", "key file"}}}};
            } else if (p.slot) {
                auto profile = kdf_profile_of(p.slot->limits);
                u["slot"] = {{"kind", slot_kind_name(p.slot->kind)},
                             {"kdf", {{"algorithm", "argon2id13"},
                                      {"profile", profile ? kdf_profile_name(*profile) : "custom"},
                                      {"opslimit", p.slot->limits.opslimit},
                                      {"memlimit", p.slot->limits.memlimit}}}};
            }
            users.push_back(std::move(u));
            return {};
        }));
        nlohmann::json j{{"vault", vault.paths().dir.string()},
                         {"institution", s.institution},
                         {"vault_id", to_hex(s.vault_id)},
                         {"schema_version", s.schema_version},
                         {"store_generation", s.store_generation},
                         {"cipher_version", s.cipher_version},
                         {"events", s.events},
                         {"head", to_hex(s.head)},
                         {"last_event", iso_utc(s.last_event_us)},
                         {"last_checkpoint", s.last_checkpoint_seq ? nlohmann::json(*s.last_checkpoint_seq) : nlohmann::json()},
                         {"users", users},
                         // Streamed below, each read as it is written: after a national term, tens
                         // of thousands of accounts and thousands of check-outs and sub-districts.
                         {"rotation_due", nullptr},
                         {"overdue_checkouts", nullptr},
                         {"incomplete_checklists", nullptr},
                         {"key_rotation_owed", nullptr},
                         {"pending_approvals", approvals_json(attention)}};
        nlohmann::json slot_states = nlohmann::json::object();
        for (const SlotCheck& c : slots) slot_states[c.principal] = slot_state_name(c.state);
        j["slots"] = std::move(slot_states);
        if (s.recovery)
            j["recovery"] = {{"shares", s.recovery->shares}, {"threshold", s.recovery->threshold},
                             {"split", iso_utc(s.recovery->split_us)}, {"split_by", s.recovery->split_by}, {"status", s.recovery->status}};
        else
            j["recovery"] = nullptr;
        if (s.last_recovery_action)
            j["last_recovery_action"] = {{"seq", s.last_recovery_action->seq}, {"time", iso_utc(s.last_recovery_action->time_us)},
                                         {"action", s.last_recovery_action->action}, {"target", s.last_recovery_action->target}};
        else
            j["last_recovery_action"] = nullptr;
        return write_json_object(
            ctx.out, j,
            {{"incomplete_checklists", [&](JsonArrayStream& array) { return for_each_incomplete_checklist(vault, std::nullopt, element_of(array)); }},
             {"rotation_due", [&](JsonArrayStream& array) { return for_each_account_owing_rotation(vault, std::nullopt, element_of(array)); }},
             {"overdue_checkouts",
              [&](JsonArrayStream& array) {
                  return for_each_overdue_checkout(vault, now_us, std::nullopt, [&array](const CheckoutInfo& c) -> Status {
                      array.element({{"account", c.ref}, {"holder", c.holder}, {"until", iso_utc(c.until_us)}});
                      return {};
                  });
              }},
             {"key_rotation_owed", [&](JsonArrayStream& array) { return for_each_unit_owing_rotation(vault, std::nullopt, element_of(array)); }}});
    }
};

} // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

} // namespace brankas::cli
