#include "e2e/run_binary.hpp"

#include <algorithm>
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
#include <utility>

namespace brankas::e2e {

const std::string& brankas_binary() {
    static const std::string binary = [] {
        const char* named = std::getenv("BRANKAS_E2E_BINARY");
        return std::string(named && *named ? named : BRANKAS_BINARY);
    }();
    return binary;
}

bool binary_sanitized() {
    static const bool sanitized = [] {
        if (const char* named = std::getenv("BRANKAS_E2E_SANITIZED"); named && *named) {
            if (std::strcmp(named, "1") != 0 && std::strcmp(named, "0") != 0)
                throw std::runtime_error("BRANKAS_E2E_SANITIZED must be 1 or 0");
            return std::strcmp(named, "1") == 0;
        }
#if defined(BRANKAS_BINARY_SANITIZED)
        return true;
#else
        return false;
#endif
    }();
    return sanitized;
}

ExecStrings::ExecStrings(std::vector<std::string> args, const Env& environment) : argv_strings(std::move(args)) {
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (const auto& [k, v] : environment) env_strings.push_back(k + "=" + v);
    for (auto& e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);
}

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

    ExecStrings exec(argv, env);

    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, exec.argv.data(), exec.env.data());
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
// 280 -> 261 CPU-s). The web tests' server, the unit tests and the fuzz targets keep it in full;
// the commands the web tests run to set a vault up are not leak-checked (tests/web/harness.py).
bool first_run_of(const std::string& command) {
    static std::mutex mutex;
    static std::set<std::string> seen;
    std::lock_guard lock(mutex);
    return seen.insert(command).second;
}

} // namespace

Outcome run(const std::vector<std::string>& args, const Env& env, const std::vector<std::string>& prefix) {
    std::vector<std::string> argv = prefix;
    argv.push_back(brankas_binary());
    argv.insert(argv.end(), args.begin(), args.end());
    auto asan = env.find("ASAN_OPTIONS");
    if (binary_sanitized() && asan != env.end() && !first_run_of(command_of(args))) {
        Env without_leak_check = env;
        without_leak_check["ASAN_OPTIONS"] = asan->second + (asan->second.empty() ? "" : ":") + "detect_leaks=0";
        return run_program(argv, without_leak_check);
    }
    return run_program(argv, env);
}

namespace {

// A descriptor closed on every path out, an exception's included.
class OwnedFd {
public:
    explicit OwnedFd(int fd = -1) : fd_(fd) {}
    OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    OwnedFd& operator=(OwnedFd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~OwnedFd() { reset(); }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

// A pseudo-terminal's two ends: the master, and the slave held open on this side as well, so
// that the terminal never hangs up between the fork and the child's opening it, nor after the
// child's end while its output is read. Both invalid when the system has none.
struct PseudoTerminal {
    OwnedFd master, held_slave;
    std::string slave_name;
};

PseudoTerminal open_pseudo_terminal() {
    PseudoTerminal pty;
    pty.master = OwnedFd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (pty.master.get() < 0 || ::grantpt(pty.master.get()) != 0 || ::unlockpt(pty.master.get()) != 0) {
        pty.master.reset();
        return pty;
    }
    if (const char* name = ::ptsname(pty.master.get())) {
        pty.slave_name = name;
        pty.held_slave = OwnedFd(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    }
    if (pty.held_slave.get() < 0) pty.master.reset();
    return pty;
}

// The child, killed and reaped unless it was waited for: a test that fails halfway leaves no
// process behind.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {}
    }
    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
        pid_ = 0;
        return status;
    }

private:
    pid_t pid_;
};

constexpr auto step_time = std::chrono::seconds(30);

} // namespace

bool has_pseudo_terminal() { return open_pseudo_terminal().master.get() >= 0; }

TerminalOutcome run_on_terminal(const std::vector<std::string>& args, const Env& env, const std::vector<Typed>& steps) {
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    PseudoTerminal pty = open_pseudo_terminal();
    if (pty.master.get() < 0) throw std::runtime_error("no pseudo-terminal (check has_pseudo_terminal() first)");
    const int master = pty.master.get();
    int out_fds[2], err_fds[2];
    if (::pipe2(out_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    OwnedFd out_read(out_fds[0]), out_write(out_fds[1]);
    if (::pipe2(err_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    OwnedFd err_read(err_fds[0]), err_write(err_fds[1]);
    std::vector<std::string> argv{brankas_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ExecStrings exec(argv, env);

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // A session of its own whose controlling terminal is the pseudo-terminal's other end.
        // Every descriptor here closes at exec but the three the child is given.
        ::setsid();
        const int slave = ::open(pty.slave_name.c_str(), O_RDWR | O_CLOEXEC);
        if (slave < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0) ::_exit(127);
        ::dup2(slave, 0);
        ::dup2(out_write.get(), 1);
        ::dup2(err_write.get(), 2);
        for (int fd = 0; fd <= 2; ++fd) ::fcntl(fd, F_SETFD, 0); // a dup2 onto itself keeps close-on-exec
        ::execve(exec.argv[0], exec.argv.data(), exec.env.data());
        ::_exit(127);
    }
    Child child(pid);
    out_write.reset();
    err_write.reset();

    TerminalOutcome o;
    std::size_t step = 0;
    std::size_t seen = 0; // where the next step's prompt is looked for in o.terminal
    // Each step's prompt has step_time from the step before (the first, from the start), and
    // brankas as long again from the last step to its end.
    auto deadline = std::chrono::steady_clock::now() + step_time;
    OwnedFd* readers[2] = {&out_read, &err_read};
    bool terminal_open = true;
    std::string* sinks[3] = {&o.out, &o.err, &o.terminal};
    while (out_read.get() >= 0 || err_read.get() >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            throw std::runtime_error((step < steps.size() ? "the prompt \"" + steps[step].prompt + "\" did not come"
                                                          : std::string("brankas did not end after the last step")) +
                                     " within 30 seconds; it showed: " + o.terminal + "\nstderr: " + o.err);
        // Short waits: the echo going off is no output, and is looked for between them.
        pollfd fds[3] = {{out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}, {terminal_open ? master : -1, POLLIN, 0}};
        const int ready = ::poll(fds, 3, static_cast<int>(std::min<long long>(left.count(), 50)));
        if (ready < 0 && errno == EINTR) continue; // revents hold nothing: wait again, for what is left
        if (ready < 0) throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
        for (int i = 0; i < 3; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) sinks[i]->append(buf, static_cast<std::size_t>(n));
            else if (n < 0 && errno == EINTR) continue;
            // The end of a pipe; or the terminal has nothing more to give (it stays open for what
            // follows, but is no longer polled: a hung-up end would be reported each time round).
            else if (i < 2) readers[i]->reset();
            else terminal_open = false;
        }
        if (step == steps.size()) continue;
        const std::size_t at = o.terminal.find(steps[step].prompt, seen);
        struct termios mode {};
        // On Linux the master's settings are the terminal's: typing before the echo is off would
        // be flushed by brankas turning it off.
        if (at == std::string::npos || ::tcgetattr(master, &mode) != 0 || (mode.c_lflag & ECHO) != 0) continue;
        const std::string typed = steps[step].line == "\x04" ? steps[step].line : steps[step].line + "\n";
        if (::write(master, typed.data(), typed.size()) != static_cast<ssize_t>(typed.size()))
            throw std::runtime_error("cannot type on the terminal: " + std::string(std::strerror(errno)));
        seen = at + steps[step].prompt.size();
        ++step;
        deadline = std::chrono::steady_clock::now() + step_time;
    }
    const int status = child.wait();
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
