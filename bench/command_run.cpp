#include "command_run.hpp"

#include "samples.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>

namespace brankas::bench {

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// argv/envp for posix_spawn: pointers into strings that outlive the call.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

} // namespace

CommandRun run_command(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                       const std::filesystem::path& stderr_file) {
    // Files, not pipes: nothing needs draining while the command runs, so the parent does
    // nothing between the spawn and the wait that could add to the figure.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);

    std::vector<char*> c_argv = c_strings(argv);
    std::vector<char*> c_env = c_strings(environment);
    CommandRun run;
    Stopwatch watch;
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv.at(0).c_str(), &actions, &attr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    int status = 0;
    struct rusage usage {};
    while (::wait4(pid, &status, 0, &usage) < 0)
        if (errno != EINTR) throw std::runtime_error("cannot wait for " + argv[0] + ": " + std::strerror(errno));
    run.milliseconds = watch.milliseconds();
    auto ms_of = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
    run.cpu_milliseconds = ms_of(usage.ru_utime) + ms_of(usage.ru_stime);
    run.peak_kib = static_cast<double>(usage.ru_maxrss);
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    run.err = read_text(stderr_file);
    return run;
}

} // namespace brankas::bench
