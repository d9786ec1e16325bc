// Runs the real brankas binary as a user would and times the whole command: start, unlock,
// work, exit. Its own session (no controlling terminal, so it can never prompt) and a small
// explicit environment.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace brankas::bench {

struct CommandRun {
    int exit_code = -1; // -1 when killed by a signal
    double milliseconds = 0;     // wall time, spawn to exit
    double cpu_milliseconds = 0; // user + system time of the command: what the machine's load does not change
    double peak_kib = 0;         // the command's largest resident set (getrusage's ru_maxrss)
    std::string err;    // what it wrote to stderr (stdout, which may hold a password, is discarded)
};

// `stderr_file` receives the command's stderr; it is read back and left in place.
[[nodiscard]] CommandRun run_command(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                                     const std::filesystem::path& stderr_file);

} // namespace brankas::bench
