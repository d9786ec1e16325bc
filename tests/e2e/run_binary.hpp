// Runs the real brankas binary as a user would: its own session (so it has no controlling
// terminal and can never prompt), a small explicit environment, captured stdout and stderr.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace brankas::e2e {

struct Outcome {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    std::string out, err;
    long peak_rss_kib = 0; // the child's peak resident memory (wait4's ru_maxrss)
};

using Env = std::map<std::string, std::string>;

// The brankas these tests drive, and whether it was built with the sanitizers. By default the one
// built beside this program, with its build's sanitizers; BRANKAS_E2E_BINARY (a path) and
// BRANKAS_E2E_SANITIZED (1 or 0) in this program's environment name another: the sanitizer
// build runs the normal build's program of these tests on its own binary (tests/CMakeLists.txt).
const std::string& brankas_binary();
bool binary_sanitized();

// The arguments and the environment as execve and posix_spawn take them: the strings, and the
// null-terminated arrays of pointers into them (made before a fork: the child only reads them).
struct ExecStrings {
    ExecStrings(std::vector<std::string> argv, const Env& env);
    ExecStrings(const ExecStrings&) = delete;
    ExecStrings& operator=(const ExecStrings&) = delete;
    std::vector<std::string> argv_strings, env_strings;
    std::vector<char*> argv, env;
};

// `program` defaults to the brankas binary; `prefix` (e.g. faketime and its arguments) is
// placed before it.
Outcome run(const std::vector<std::string>& args, const Env& env, const std::vector<std::string>& prefix = {});
Outcome run_program(const std::vector<std::string>& argv, const Env& env);

// One step of a conversation on a terminal: wait until the terminal shows `prompt` (after what
// the step before waited for) with its echo off, as brankas has it when it reads a secret, then
// type `line` and Enter; a `line` of "\x04" alone is Ctrl-D, the end of input.
struct Typed {
    std::string prompt;
    std::string line;
};

// Runs brankas with a pseudo-terminal as its controlling terminal (and standard input), typing
// `steps` in turn; stdout and stderr are captured apart, as by run(). What brankas wrote on the
// terminal itself (its prompts) is in `terminal`. Each step's prompt must come within 30 seconds
// of the step before (the first, of the start), and brankas must end within 30 seconds of the
// last step; otherwise brankas is killed and the test fails. A test calls has_pseudo_terminal()
// first, and skips without one.
struct TerminalOutcome : Outcome {
    std::string terminal;
};
// Whether a pseudo-terminal can be opened (not in a container without /dev/pts, say).
bool has_pseudo_terminal();
TerminalOutcome run_on_terminal(const std::vector<std::string>& args, const Env& env, const std::vector<Typed>& steps);

// The number of lines in s (a final line without '\n' counts).
std::size_t line_count(const std::string& s);

} // namespace brankas::e2e
