#include "cli/commands/commands.hpp"
#include "cli/commands/kdf_description.hpp"
#include "cli/output.hpp"

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
    if (slot.kdf == SlotKdf::key_file) return "none (a random 32-byte key file)";
    return describe_kdf(slot.limits);
}

class StatusCommand final : public Command {
public:
    po::options_description options() override { return po::options_description("Options for status"); }
    Status setup(const po::variables_map&) override { return {}; }

    Status run(Context& ctx) override {
        Vault vault = BRANKAS_TRY(ctx.open_vault());
        VaultStatus s = BRANKAS_TRY(vault.status());
        if (ctx.options.json) {
            print_json(ctx, vault, s);
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

        std::vector<std::vector<std::string>> rows;
        for (const auto& p : s.principals)
            rows.push_back({p.name, p.role, p.status, p.slot ? std::string(slot_kind_name(p.slot->kind)) : "-",
                            p.slot ? slot_derivation(*p.slot) : "-"});
        ctx.out << "\n";
        print_table(ctx.out, {"USER", "ROLE", "STATUS", "UNLOCKS WITH", "KEY DERIVATION"}, rows);
        return {};
    }

private:
    static void print_json(Context& ctx, const Vault& vault, const VaultStatus& s) {
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
                         {"users", users}};
        ctx.out << json_text(j) << '\n';
    }
};

} // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

} // namespace brankas::cli
