// `brankas serve`: a command of the binary rather than of cli/, which must not include web/.
#pragma once

#include "cli/commands/commands.hpp"

#include <span>

namespace brankas::app {

// The commands the binary adds to the command line's own table.
[[nodiscard]] std::span<const cli::CommandEntry> more_commands();

} // namespace brankas::app
