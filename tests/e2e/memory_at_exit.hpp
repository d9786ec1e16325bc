// Runs a program under ptrace and stops it as it exits (PTRACE_EVENT_EXIT: after its atexit
// handlers, destructors and the last flush of stdio, before the kernel takes its memory down),
// then counts the copies of a byte string left in its writable memory. Reading the memory of
// brankas, which makes itself non-dumpable, needs CAP_SYS_PTRACE (root, in CI); without it
// the scan reports that it could not look.
#pragma once

#include "e2e/run_binary.hpp"

#include <functional>
#include <string>
#include <vector>

namespace brankas::e2e {

struct ExitScan {
    bool scanned = false;   // the memory was read
    std::string why_not;    // when it was not
    std::size_t copies = 0; // of the needle, in every writable mapping
    std::size_t bytes_read = 0;
    Outcome outcome;        // exit code and what the program wrote
};

// `needle` is given what the program wrote to stdout by the time it exits (the needle may be
// a password the program generated and printed).
ExitScan scan_memory_at_exit(const std::vector<std::string>& args, const Env& env,
                             const std::function<std::string(const std::string& out)>& needle);

} // namespace brankas::e2e
