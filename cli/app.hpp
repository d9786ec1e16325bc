// The whole command line as a function, so tests can run any command in-process with their
// own streams, passphrase source and clock.
#pragma once

#include "cli/commands/commands.hpp"
#include "cli/passphrase_input.hpp"
#include "vault/clock.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace brankas::cli {

struct Environment {
    std::optional<std::string> vault;           // BRANKAS_VAULT
    std::optional<std::string> user;            // BRANKAS_USER
    std::optional<std::string> passphrase_file; // BRANKAS_PASSPHRASE_FILE
    bool allow_test_kdf = false;                // BRANKAS_ALLOW_TEST_KDF=1 (the test suite only)
    bool err_is_terminal = false;               // stderr is a terminal: progress bars may be drawn there
};

// `args` excludes the program name. `passphrases` may be null: then the file named by the
// options/environment, or the terminal, is used. `more_commands` are offered beside the
// command table, by a program that has faces of its own to add (the binary's `serve`, which
// cli/ cannot name without including web/). Returns the exit code.
int run(const std::vector<std::string>& args, const Environment& env, std::ostream& out, std::ostream& err,
        const Clock& clock, PassphraseInput* passphrases = nullptr, std::span<const CommandEntry> more_commands = {});

} // namespace brankas::cli
