#include "e2e/run_binary.hpp"

#include <cerrno>
#include <fcntl.h>
#include <cstring>
#include <mutex>
#include <poll.h>
#include <set>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
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

std::size_t line_count(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        if (c == '\n') ++n;
    if (!s.empty() && s.back() != '\n') ++n;
    return n;
}

} // namespace brankas::e2e
