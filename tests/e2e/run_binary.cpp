#include "e2e/run_binary.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <cstring>
#include <mutex>
#include <poll.h>
#include <set>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace brankas::e2e {

Outcome run_program(const std::vector<std::string>& argv, const Env& env) {
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) posix_spawn_file_actions_addclose(&actions, fd);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);

    std::vector<char*> c_argv;
    for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
    c_argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> c_env;
    for (auto& e : env_strings) c_env.push_back(e.data());
    c_env.push_back(nullptr);

    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (rc != 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }

    Outcome o;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&o.out, &o.err};
    int open_fds = 2;
    while (open_fds > 0) {
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) sinks[i]->append(buf, static_cast<std::size_t>(n));
            else {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    o.peak_rss_kib = usage.ru_maxrss;
    if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    return o;
}

#if defined(BRANKAS_BINARY_SANITIZED)
namespace {

// The command a run of brankas names: its first two words after the global options, e.g.
// "account list" or "checkout fb-kec-1".
std::string command_of(const std::vector<std::string>& args) {
    std::string command;
    int words = 0;
    for (std::size_t i = 0; i < args.size() && words < 2; ++i) {
        const std::string& a = args[i];
        if (a == "--vault" || a == "--user" || a == "--passphrase-file" || a == "--keyfile") {
            ++i; // and its value
            continue;
        }
        if (a.starts_with("-")) continue;
        command += (words++ ? " " : "") + a;
    }
    return command;
}

// LeakSanitizer scans a sanitized command's memory at its exit. A test runs the same command
// many times over (an account added twenty times, `status` after each step), so each command
// is leak-checked the first time a test process runs it and not again (the sanitizer tests:
// 280 -> 261 CPU-s). The web tests' commands and server, the unit tests and the fuzz targets keep
// it in full (the same rule in the web tests' harness gained nothing measurable).
bool first_run_of(const std::string& command) {
    static std::mutex mutex;
    static std::set<std::string> seen;
    std::lock_guard lock(mutex);
    return seen.insert(command).second;
}

} // namespace
#endif

Outcome run(const std::vector<std::string>& args, const Env& env, const std::vector<std::string>& prefix) {
    std::vector<std::string> argv = prefix;
    argv.push_back(BRANKAS_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
#if defined(BRANKAS_BINARY_SANITIZED)
    auto asan = env.find("ASAN_OPTIONS");
    if (asan != env.end() && !first_run_of(command_of(args))) {
        Env without_leak_check = env;
        without_leak_check["ASAN_OPTIONS"] = asan->second + (asan->second.empty() ? "" : ":") + "detect_leaks=0";
        return run_program(argv, without_leak_check);
    }
#endif
    return run_program(argv, env);
}

TerminalOutcome run_on_terminal(const std::vector<std::string>& args, const Env& env, const std::vector<Typed>& steps) {
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) throw std::runtime_error("no pseudo-terminal");
    const std::string slave_name = ::ptsname(master);
    // Held open here as well, so that the terminal never hangs up on this side between the
    // fork and the child's opening it, nor after the child's end while its output is read.
    const int held_slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (held_slave < 0) throw std::runtime_error("cannot open the pseudo-terminal");
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> argv{BRANKAS_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
    c_argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> c_env;
    for (auto& e : env_strings) c_env.push_back(e.data());
    c_env.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // A session of its own whose controlling terminal is the pseudo-terminal's other end.
        ::setsid();
        const int slave = ::open(slave_name.c_str(), O_RDWR);
        if (slave < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0) ::_exit(127);
        ::dup2(slave, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        for (int fd : {slave, out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
            if (fd > 2) ::close(fd);
        ::execve(c_argv[0], c_argv.data(), c_env.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);

    TerminalOutcome o;
    std::size_t step = 0;
    std::size_t seen = 0; // where the next step's prompt is looked for in o.terminal
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {master, POLLIN, 0}};
    std::string* sinks[3] = {&o.out, &o.err, &o.terminal};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            ::close(held_slave);
            ::close(master);
            throw std::runtime_error("brankas did not finish on the terminal; it showed: " + o.terminal + "\nstderr: " + o.err);
        }
        if (::poll(fds, 3, 50) < 0 && errno != EINTR) break;
        for (int i = 0; i < 3; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else {
                // The terminal stays open for what follows (its other end closed: EIO).
                if (i < 2) ::close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
        if (step == steps.size()) continue;
        const std::size_t at = o.terminal.find(steps[step].prompt, seen);
        struct termios mode {};
        // On Linux the master's settings are the terminal's: typing before the echo is off would
        // be flushed by brankas turning it off.
        if (at == std::string::npos || ::tcgetattr(master, &mode) != 0 || (mode.c_lflag & ECHO) != 0) continue;
        const std::string typed = steps[step].line == "\x04" ? steps[step].line : steps[step].line + "\n";
        if (::write(master, typed.data(), typed.size()) != static_cast<ssize_t>(typed.size())) throw std::runtime_error("cannot type");
        seen = at + steps[step].prompt.size();
        ++step;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(held_slave);
    ::close(master);
    if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    if (step < steps.size()) throw std::runtime_error("brankas ended before the prompt \"" + steps[step].prompt + "\"; stderr: " + o.err);
    return o;
}

std::size_t line_count(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        if (c == '\n') ++n;
    if (!s.empty() && s.back() != '\n') ++n;
    return n;
}

} // namespace brankas::e2e
