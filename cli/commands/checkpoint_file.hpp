// A checkpoint file named on the command line (`audit verify --checkpoint/--since`,
// `backup verify --checkpoint`), read within its bound and parsed.
#pragma once

#include "vault/error.hpp"
#include "vault/log/checkpoint.hpp"

#include <string>

namespace brankas::cli {

// A file over max_checkpoint_file is bad input (usage), with the limit said; one that cannot be
// read is an I/O failure.
[[nodiscard]] Result<Checkpoint> read_checkpoint_file(const std::string& file);

} // namespace brankas::cli
