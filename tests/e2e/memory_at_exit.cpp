#include "e2e/memory_at_exit.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

namespace brankas::e2e {

namespace {

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Counts `needle` in every readable, writable mapping of `pid` (the heap, the stacks, the data
// of every library, anonymous memory); false when /proc/PID/mem cannot be read.
bool count_copies(pid_t pid, const std::string& needle, ExitScan& scan) {
    if (needle.empty()) {
        scan.why_not = "there was nothing to look for (the output held no password)";
        return false;
    }
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    int mem = ::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (!maps || mem < 0) {
        scan.why_not = std::string("cannot read the memory of the process: ") + std::strerror(errno);
        if (mem >= 0) ::close(mem);
        return false;
    }
    std::string line;
    std::vector<char> buffer(1 << 20);
    while (std::getline(maps, line)) {
        std::istringstream fields(line);
        std::string range, perms;
        fields >> range >> perms;
        if (perms.size() < 2 || perms[0] != 'r' || perms[1] != 'w') continue;
        auto dash = range.find('-');
        std::uint64_t start = std::stoull(range.substr(0, dash), nullptr, 16);
        std::uint64_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
        // In chunks, each searched after the last needle.size() - 1 bytes of the one before:
        // too few to hold a copy on their own, so a copy across the boundary counts once.
        std::vector<char> window;
        for (std::uint64_t at = start; at < end;) {
            std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), end - at));
            ssize_t n = ::pread(mem, buffer.data(), want, static_cast<off_t>(at));
            if (n <= 0) break; // a part that cannot be read (a guard page)
            scan.bytes_read += static_cast<std::size_t>(n);
            at += static_cast<std::uint64_t>(n);
            window.insert(window.end(), buffer.begin(), buffer.begin() + n);
            for (auto it = window.begin(); (it = std::search(it, window.end(), needle.begin(), needle.end())) != window.end(); ++it)
                ++scan.copies;
            window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(std::min(window.size(), needle.size() - 1)));
        }
    }
    ::close(mem);
    return true;
}

} // namespace

ExitScan scan_memory_at_exit(const std::vector<std::string>& args, const Env& env,
                             const std::function<std::string(const std::string& out)>& needle) {
    ExitScan scan;
    char dir_template[] = "/tmp/brankas-scan-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::string dir = dir_template, out_path = dir + "/out", err_path = dir + "/err";

    // Everything the child needs is made before fork: it runs only async-signal-safe calls.
    std::vector<std::string> argv{brankas_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ExecStrings exec(argv, env);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setsid();
        int in = ::open("/dev/null", O_RDONLY);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
        if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) ::_exit(126);
        ::execve(exec.argv[0], exec.argv.data(), exec.env.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0); // stopped at its execve
    if (WIFSTOPPED(status)) {
        ::ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
        ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
        for (;;) {
            if (::waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) break;
            int signal = WSTOPSIG(status);
            if (signal == SIGTRAP && (status >> 16) == PTRACE_EVENT_EXIT) {
                scan.scanned = count_copies(pid, needle(read_whole(out_path)), scan);
                signal = 0;
            } else if (signal == SIGTRAP) {
                signal = 0;
            }
            ::ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal)));
        }
    }
    if (WIFEXITED(status)) scan.outcome.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) scan.outcome.signal = WTERMSIG(status);
    scan.outcome.out = read_whole(out_path);
    scan.outcome.err = read_whole(err_path);
    ::unlink(out_path.c_str());
    ::unlink(err_path.c_str());
    ::rmdir(dir.c_str());
    return scan;
}

} // namespace brankas::e2e
