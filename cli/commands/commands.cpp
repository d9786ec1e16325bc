#include "cli/commands/commands.hpp"

#include <array>

namespace brankas::cli {

std::span<const CommandEntry> command_table() {
    static constexpr std::array<CommandEntry, 5> table{{
        {"init", "create a new vault and its first admin", &make_init_command},
        {"status", "show the vault, its log head and its users", &make_status_command},
        {"audit log", "list the events of the audit log", &make_audit_log_command},
        {"audit checkpoint", "write a signed checkpoint of the log head to keep outside the vault", &make_audit_checkpoint_command},
        {"audit verify", "verify the whole history (chain, signatures, replay, checkpoint)", &make_audit_verify_command},
    }};
    return table;
}

} // namespace brankas::cli
