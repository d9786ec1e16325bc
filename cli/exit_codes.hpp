// Exit codes, one table: documented in `brankas --help` and README.md.
#pragma once

#include "vault/error.hpp"

#include <span>
#include <string_view>

namespace brankas::cli {

enum class ExitCode : int {
    ok = 0,
    internal = 1,
    usage = 2,
    no_vault = 3,
    vault_exists = 4,
    no_such_user = 5,
    wrong_passphrase = 6,
    keyring_unreadable = 7,
    store_corrupt = 8,
    verification_failed = 9,
    denied = 10,
    weak_passphrase = 11,
    clock_backwards = 12,
    io = 13,
    busy = 14,
    unsupported = 15,
    not_found = 16,
    conflict = 17,
    awaiting_approval = 18,
};

struct ExitCodeDoc {
    ExitCode code;
    std::string_view meaning; // a literal marked with tr_noop, shown through tr()
};

[[nodiscard]] ExitCode exit_code_for(ErrorCode code) noexcept;
[[nodiscard]] std::span<const ExitCodeDoc> exit_code_table() noexcept;

} // namespace brankas::cli
