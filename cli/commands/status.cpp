#include "cli/commands/commands.hpp"
#include "cli/commands/kdf_description.hpp"
#include "faces/dates.hpp"
#include "vault/audit/vault_status.hpp"
#include "cli/output.hpp"
#include "vault/slot_integrity.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

std::string_view slot_kind_name(SlotKind kind) {
    switch (kind) {
    case SlotKind::passphrase: return "passphrase";
    case SlotKind::keyfile: return "key file";
    case SlotKind::recovery: return "recovery shares";
    case SlotKind::enrollment: return "enrollment code";
    }
    return "unknown";
}

std::string slot_derivation(const SlotInfo& slot) {
    if (slot.kind == SlotKind::recovery) return "none (the random 32-byte key its shares recover)";
    if (slot.kdf == SlotKdf::key_file) return "none (a random 32-byte key file)";
    return describe_kdf(slot.limits);
}

// What needs a person: passwords due for a change, check-outs past their end, deactivated
// accounts whose checklist is not done.
struct Attention {
    std::vector<std::string> rotation_due;
    std::vector<CheckoutInfo> overdue;
    std::vector<ChecklistInfo> checklists;
    std::vector<std::string> key_rotation_owed; // units whose revoked custodians still hold the key
    policy::TimeZone zone;
};

Result<Attention> gather_attention(Session& vault, std::int64_t now_us) {
    Attention a;
    a.rotation_due = BRANKAS_TRY(accounts_owing_rotation(vault));
    for (auto& c : BRANKAS_TRY(list_checkouts(vault, WhichCheckouts::open)))
        if (c.until_us <= now_us) a.overdue.push_back(std::move(c));
    a.checklists = BRANKAS_TRY(incomplete_checklists(vault));
    a.key_rotation_owed = BRANKAS_TRY(units_owing_rotation(vault));
    a.zone = BRANKAS_TRY(policy_state(vault)).policy.time_zone;
    return a;
}

// "a, b, c and 7 more"
std::string some_of(const std::vector<std::string>& items, std::size_t shown = 8) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < shown; ++i) out += (i ? ", " : "") + for_terminal(items[i]);
    if (items.size() > shown) out += " and " + std::to_string(items.size() - shown) + " more";
    return out;
}

// "admin's passphrase reset at event 42, 2029-07-01 10:00 WIB"
std::string recovery_action_sentence(const RecoveryActionRecord& a) {
    std::string what = a.action == "recovery.reset" ? for_terminal(a.target) + "'s passphrase reset"
                                                    : for_terminal(a.target) + " enrolled as admin";
    return what + " at event " + std::to_string(a.seq) + ", " + local_time(a.time_us);
}

class StatusCommand final : public Command {
public:
    po::options_description options() override { return po::options_description("Options for status"); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Session vault = BRANKAS_TRY(ctx.open_vault());
        VaultStatus s = BRANKAS_TRY(vault_status(vault));
        Attention attention = BRANKAS_TRY(gather_attention(vault, ctx.clock.now_us()));
        const std::vector<SlotCheck> slots = BRANKAS_TRY(check_slots(vault));
        if (ctx.options.json) {
            print_json(ctx, vault, s, attention, slots);
            return {};
        }
        ctx.out << "Vault        " << for_terminal(vault.paths().dir.string()) << "\n"
                << "Institution  " << for_terminal(s.institution) << "\n"
                << "Vault id     " << to_hex(s.vault_id) << "\n"
                << "Store        schema " << s.schema_version << ", SQLCipher " << s.cipher_version << ", key generation "
                << s.store_generation << "\n"
                << "Log          " << s.events << (s.events == 1 ? " event" : " events") << ", last at "
                << local_time(s.last_event_us) << "\n"
                << "Head         " << to_hex(s.head) << "\n";
        if (s.last_checkpoint_seq)
            ctx.out << "Checkpoint   last taken at event " << *s.last_checkpoint_seq << " by " << for_terminal(s.last_checkpoint_signer) << "\n";
        else
            ctx.out << "Checkpoint   none taken yet (brankas audit checkpoint --out FILE)\n";

        if (s.recovery)
            ctx.out << "Recovery     " << s.recovery->threshold << " of " << s.recovery->shares << " shares, split "
                    << local_time(s.recovery->split_us) << " by " << for_terminal(s.recovery->split_by)
                    << (s.recovery->status == "active" ? "" : " (recovery principal " + s.recovery->status + ")") << "\n";
        else
            ctx.out << "Recovery     no shares (brankas recovery split --shares N --threshold K --out-dir DIR)\n";
        if (s.last_recovery_action)
            ctx.out << "RECOVERY     last recovery action: " << recovery_action_sentence(*s.last_recovery_action) << "\n";
        for (const SlotCheck& c : slots)
            if (auto line = slot_problem(c)) ctx.out << *line << "\n";

        std::vector<std::vector<std::string>> rows;
        for (const auto& p : s.principals)
            rows.push_back({p.name, p.role, p.status, p.slot ? std::string(slot_kind_name(p.slot->kind)) : "-",
                            p.slot ? slot_derivation(*p.slot) : "-"});
        if (!attention.rotation_due.empty())
            ctx.out << "Rotation due " << attention.rotation_due.size() << ": " << some_of(attention.rotation_due)
                    << " (brankas rotate REF)\n";
        for (const auto& c : attention.overdue)
            ctx.out << "Overdue      " << for_terminal(c.ref) << " checked out by " << c.holder << " until " << format_zoned(c.until_us, attention.zone)
                    << " (brankas enforce expires it)\n";
        if (!attention.checklists.empty()) {
            std::vector<std::string> refs;
            for (const auto& c : attention.checklists) refs.push_back(c.account.ref());
            ctx.out << "Checklists   " << refs.size() << " deactivated account" << (refs.size() == 1 ? "" : "s")
                    << " with steps left: " << some_of(refs) << " (brankas account checklist REF)\n";
        }
        if (!attention.key_rotation_owed.empty())
            ctx.out << "Unit keys    " << some_of(attention.key_rotation_owed)
                    << ": a revoked custodian still holds the key (brankas unit rotate CODE --reason TEXT)\n";
        ctx.out << "\n";
        print_table(ctx.out, {"USER", "ROLE", "STATUS", "UNLOCKS WITH", "KEY DERIVATION"}, rows);
        return {};
    }

private:
    // A line for a slot that is not the one the log recorded (nothing for one that is, or for
    // one the log holds no hash of).
    static std::optional<std::string> slot_problem(const SlotCheck& c) {
        const bool recovery = c.principal == recovery_principal;
        const std::string whose = recovery ? std::string("the recovery slot") : "the slot of " + for_terminal(c.principal);
        if (c.state == SlotState::damaged)
            return "DAMAGED SLOT " + whose + " is not the one " +
                   (c.recorded_seq != 0 ? "event " + std::to_string(c.recorded_seq) : std::string("the log")) + " wrote: " +
                   (recovery ? "the shares cannot open it (run `brankas recovery split` again while the vault opens)"
                             : "it cannot be unlocked (restore the keyring from a backup, or disable the user and add them again)");
        if (c.state == SlotState::missing)
            return "MISSING SLOT " + whose + " is not in the keyring: nobody can unlock as " + for_terminal(c.principal);
        return std::nullopt;
    }
    static const char* slot_state_name(SlotState s) {
        switch (s) {
        case SlotState::intact: return "intact";
        case SlotState::damaged: return "damaged";
        case SlotState::missing: return "missing";
        case SlotState::unrecorded: return "unrecorded";
        }
        return "unrecorded";
    }
    static nlohmann::json overdue_json(const Attention& a) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& c : a.overdue) j.push_back({{"account", c.ref}, {"holder", c.holder}, {"until", iso_utc(c.until_us)}});
        return j;
    }
    static nlohmann::json checklist_refs(const Attention& a) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& c : a.checklists) j.push_back(c.account.ref());
        return j;
    }
    static void print_json(Context& ctx, const Session& vault, const VaultStatus& s, const Attention& attention,
                           const std::vector<SlotCheck>& slots) {
        nlohmann::json users = nlohmann::json::array();
        for (const auto& p : s.principals) {
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
        }
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
                         {"rotation_due", attention.rotation_due},
                         {"overdue_checkouts", overdue_json(attention)},
                         {"incomplete_checklists", checklist_refs(attention)},
                         {"key_rotation_owed", attention.key_rotation_owed}};
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
        ctx.out << json_text(j) << '\n';
    }
};

} // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

} // namespace brankas::cli
