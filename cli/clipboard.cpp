#include "cli/clipboard.hpp"

#include "i18n/translate.hpp"
#include "vault/crypto/primitives.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace brankas::cli {

namespace {

std::string on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::string candidate = dir + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

std::vector<std::string> copy_args(const ClipboardTool& t) {
    if (t.wayland) return {t.copy};
    return {t.copy, "-selection", "clipboard", "-in"};
}

std::vector<std::string> paste_args(const ClipboardTool& t) {
    if (t.wayland) return {t.paste, "--no-newline"};
    return {t.copy, "-selection", "clipboard", "-out"};
}

[[noreturn]] void exec(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

// Runs `args` with `input` on its stdin; waits for it (xclip and wl-copy fork a server of
// their own to hold the selection, and the first process exits).
bool run_with_input(const std::vector<std::string>& args, ByteView input) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
        ::dup2(fds[0], 0);
        ::close(fds[0]);
        ::close(fds[1]);
        int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, 1);
        exec(args);
    }
    ::close(fds[0]);
    std::size_t done = 0;
    while (done < input.size()) {
        ssize_t n = ::write(fds[1], input.data() + done, input.size() - done);
        if (n <= 0 && errno != EINTR) break;
        if (n > 0) done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return done == input.size() && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The BLAKE2b of what the clipboard holds now (empty hash if it cannot be read).
Hash clipboard_hash(const ClipboardTool& tool) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    pid_t pid = ::fork();
    if (pid < 0) return {};
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        exec(paste_args(tool));
    }
    ::close(fds[1]);
    Hasher hasher;
    // What is read may be the password: it goes through secure memory only.
    SecretBytes buf(4096);
    ssize_t n;
    while ((n = ::read(fds[0], buf.data(), buf.size())) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) hasher.update(ByteView(buf.data(), static_cast<std::size_t>(n)));
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return hasher.finish();
}

} // namespace

Result<ClipboardTool> find_clipboard() {
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    const char* x11 = std::getenv("DISPLAY");
    if (wayland && *wayland) {
        ClipboardTool t{on_path("wl-copy"), on_path("wl-paste"), true};
        if (!t.copy.empty() && !t.paste.empty()) return t;
    }
    if (x11 && *x11) {
        ClipboardTool t{on_path("xclip"), {}, false};
        if (!t.copy.empty()) return t;
    }
    return fail(ErrorCode::usage, i18n::tr("--clip needs a desktop session with wl-copy (Wayland) or xclip (X11)"),
                i18n::tr("install wl-clipboard or xclip, or leave out --clip to print the password"));
}

Status copy_to_clipboard(const ClipboardTool& tool, const SecretBytes& secret) {
    // A clipboard tool that dies early must not kill us with SIGPIPE after the check-out committed.
    std::signal(SIGPIPE, SIG_IGN);
    if (!run_with_input(copy_args(tool), secret.view()))
        return fail(ErrorCode::io, i18n::tr("the password could not be copied to the clipboard"));
    Hash copied = blake2b_256(secret.view());
    // The clearer is this binary started afresh (exec replaces the forked copy of this process,
    // and with it every unlocked key); it gets the hash on its stdin.
    int fds[2];
    if (::pipe(fds) != 0) return fail(ErrorCode::io, i18n::tr("cannot start the process that clears the clipboard; clear it yourself"));
    pid_t pid = ::fork();
    if (pid < 0) return fail(ErrorCode::io, i18n::tr("cannot start the process that clears the clipboard; clear it yourself"));
    if (pid == 0) {
        ::dup2(fds[0], 0);
        ::close(fds[0]);
        ::close(fds[1]);
        exec({"/proc/self/exe", clipboard_clearer_argument});
    }
    ::close(fds[0]);
    ssize_t written;
    while ((written = ::write(fds[1], copied.data(), copied.size())) < 0 && errno == EINTR) {}
    ::close(fds[1]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (written != static_cast<ssize_t>(copied.size()) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorCode::io, i18n::tr("the process that clears the clipboard did not start; clear it yourself"));
    return {};
}

int run_clipboard_clearer() {
    Hash copied{};
    std::size_t got = 0;
    while (got < copied.size()) {
        ssize_t n = ::read(0, copied.data() + got, copied.size() - got);
        if (n == 0 || (n < 0 && errno != EINTR)) return 1;
        if (n > 0) got += static_cast<std::size_t>(n);
    }
    auto tool = find_clipboard();
    if (!tool) return 1;
    std::signal(SIGPIPE, SIG_IGN);
    // Detach: the command that started us returns at once; the grandchild waits and clears.
    pid_t pid = ::fork();
    if (pid < 0) return 1;
    if (pid > 0) return 0;
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
    }
    ::sleep(clipboard_clear_seconds);
    if (clipboard_hash(*tool) == copied) {
        std::uint8_t nothing = 0;
        run_with_input(copy_args(*tool), ByteView(&nothing, 0));
    }
    ::_exit(0);
}

} // namespace brankas::cli
