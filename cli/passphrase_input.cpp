#include "cli/passphrase_input.hpp"

#include "i18n/translate.hpp"
#include "vault/encoding.hpp"
#include "vault/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <iterator>
#include <ostream>
#include <termios.h>
#include <unistd.h>

namespace brankas::cli {

using i18n::fill;
using i18n::tr;
using i18n::tr_noop;

namespace {

// The terminal state to restore if a signal arrives while echo is off.
int g_tty_fd = -1;
struct termios g_saved {};
volatile std::sig_atomic_t g_echo_off = 0;

constexpr int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restore_terminal_and_reraise(int sig) {
    if (g_echo_off) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Turns echo off for its lifetime. A fatal signal restores the terminal before the process
// dies; stopping (Ctrl-Z) is ignored while echo is off, since a stopped process cannot
// restore it and the shell would be left typing blind. Earlier handlers come back afterwards.
class EchoOff {
public:
    explicit EchoOff(int fd) {
        if (tcgetattr(fd, &g_saved) != 0) return;
        g_tty_fd = fd;
        struct sigaction restore {};
        restore.sa_handler = restore_terminal_and_reraise;
        sigemptyset(&restore.sa_mask);
        for (std::size_t i = 0; i < std::size(fatal_signals); ++i) sigaction(fatal_signals[i], &restore, &previous_[i]);
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGTSTP, &ignore, &previous_tstp_);
        installed_ = true;
        struct termios quiet = g_saved;
        quiet.c_lflag &= static_cast<tcflag_t>(~(ECHO | ECHONL));
        quiet.c_lflag |= ICANON;
        if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) g_echo_off = 1;
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    ~EchoOff() {
        if (g_echo_off) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved);
        g_echo_off = 0;
        if (!installed_) return;
        for (std::size_t i = 0; i < std::size(fatal_signals); ++i) sigaction(fatal_signals[i], &previous_[i], nullptr);
        sigaction(SIGTSTP, &previous_tstp_, nullptr);
    }

private:
    struct sigaction previous_[std::size(fatal_signals)] {};
    struct sigaction previous_tstp_ {};
    bool installed_ = false;
};

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        ssize_t n = ::write(fd, s.data(), s.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        s.remove_prefix(static_cast<std::size_t>(n));
    }
}

// The sentences about a line of each kind, whole (not "the " + what), so each reads right in every
// language.
struct LineWords {
    const char* file;             // "the password file %s": a source of the sentences below
    const char* cannot_open;      // "cannot open the password file %1$s: %2$s"
    const char* cannot_read;      // "cannot read the password from %1$s: %2$s"
    const char* too_long;         // "the password from %1$s is longer than %2$s bytes"
    const char* empty;            // "the password from %s is empty"
    const char* no_terminal;      // "no password given and there is no terminal to ask on"
    const char* no_terminal_hint; // where else it may come from
};

LineWords words_of(LineSecret what) {
    switch (what) {
    case LineSecret::password:
        return {tr_noop("the password file %s"), tr_noop("cannot open the password file %1$s: %2$s"),
                tr_noop("cannot read the password from %1$s: %2$s"), tr_noop("the password from %1$s is longer than %2$s bytes"),
                tr_noop("the password from %s is empty"), tr_noop("no password given and there is no terminal to ask on"),
                tr_noop("use --from-file FILE or --generate")};
    case LineSecret::enrollment_code:
        return {tr_noop("the enrollment code file %s"), tr_noop("cannot open the enrollment code file %1$s: %2$s"),
                tr_noop("cannot read the enrollment code from %1$s: %2$s"), tr_noop("the enrollment code from %1$s is longer than %2$s bytes"),
                tr_noop("the enrollment code from %s is empty"), tr_noop("no enrollment code given and there is no terminal to ask on"),
                tr_noop("use --code-file FILE")};
    case LineSecret::share_line:
        return {tr_noop("the share file %s"), tr_noop("cannot open the share file %1$s: %2$s"),
                tr_noop("cannot read the share line from %1$s: %2$s"), tr_noop("the share line from %1$s is longer than %2$s bytes"),
                tr_noop("the share line from %s is empty"), tr_noop("no share file was given and there is no terminal to type the shares on"),
                tr_noop("give each share with --share-file FILE")};
    case LineSecret::passphrase: break;
    }
    return {tr_noop("the passphrase file %s"), tr_noop("cannot open the passphrase file %1$s: %2$s"),
            tr_noop("cannot read the passphrase from %1$s: %2$s"), tr_noop("the passphrase from %1$s is longer than %2$s bytes"),
            tr_noop("the passphrase from %s is empty"), tr_noop("no passphrase given and there is no terminal to ask on"),
            tr_noop("use --passphrase-file FILE or set BRANKAS_PASSPHRASE_FILE")};
}

bool starts_with_byte_order_mark(ByteView line) { return without_bom(line).size() != line.size(); }

// Reads up to the first newline into secure memory, byte by byte so nothing past the line
// is consumed (the same descriptor may be read again for a confirmation). Nothing at all before
// the end of input is nullopt; an empty line, an empty buffer.
Result<std::optional<SecretBytes>> read_line_or_end(int fd, std::string_view source, const LineWords& words) {
    SecretBytes buffer(max_passphrase_bytes + 1);
    std::size_t len = 0;
    for (;;) {
        std::uint8_t c = 0;
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorCode::io, fill(tr(words.cannot_read), {source, std::strerror(errno)}));
        if (n == 0 && len == 0) return std::nullopt;
        if (n == 0 || c == '\n') break;
        if (len == max_passphrase_bytes)
            return fail(ErrorCode::usage, fill(tr(words.too_long), {source, std::to_string(max_passphrase_bytes)}));
        buffer.data()[len++] = c;
    }
    if (len > 0 && buffer.data()[len - 1] == '\r') --len;
    buffer.truncate(len);
    return buffer;
}

Result<SecretBytes> read_line(int fd, std::string_view source, const LineWords& words) {
    std::optional<SecretBytes> line = BRANKAS_TRY(read_line_or_end(fd, source, words));
    if (!line || line->empty()) return fail(ErrorCode::usage, fill(tr(words.empty), {source}));
    return std::move(*line);
}

// `read` on the terminal, with echo off, after `prompt`.
template <typename Read>
auto on_terminal(std::string_view prompt, const LineWords& words, Read read) -> decltype(read(0)) {
    UniqueFd tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (tty.get() < 0) return fail(ErrorCode::usage, tr(words.no_terminal), tr(words.no_terminal_hint));
    write_all(tty.get(), prompt);
    auto line = [&] {
        EchoOff quiet(tty.get());
        return read(tty.get());
    }();
    write_all(tty.get(), "\n");
    return line;
}

} // namespace

Result<SecretBytes> read_first_line(const std::filesystem::path& path, LineSecret what) {
    const LineWords words = words_of(what);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return fail(ErrorCode::io, fill(tr(words.cannot_open), {path.string(), std::strerror(errno)}));
    const std::string source = fill(tr(words.file), {path.string()});
    std::optional<SecretBytes> line = BRANKAS_TRY(read_line_or_end(fd.get(), source, words));
    // Windows Notepad begins a UTF-8 file with a byte order mark (EF BB BF, U+FEFF), which no one
    // typed. An enrollment code is ASCII, and a password to store with an invisible character in
    // front would fail wherever it is typed: both are read without it. A passphrase file keeps
    // it: a passphrase set from such a file before holds it, and would no longer open the vault
    // (a new passphrase is not set from such a file: read_new_passphrase_file).
    if (line && (what == LineSecret::enrollment_code || what == LineSecret::password) && starts_with_byte_order_mark(line->view())) {
        SecretBytes rest = SecretBytes::copy_of(without_bom(line->view()));
        line = std::move(rest);
    }
    if (!line || line->empty()) return fail(ErrorCode::usage, fill(tr(words.empty), {source}));
    return std::move(*line);
}

Result<SecretBytes> read_from_terminal(std::string_view prompt, LineSecret what) {
    const LineWords words = words_of(what);
    return on_terminal(prompt, words, [&](int fd) { return read_line(fd, tr("the terminal"), words); });
}

Result<std::optional<SecretBytes>> read_line_or_end_from_terminal(std::string_view prompt, LineSecret what) {
    const LineWords words = words_of(what);
    return on_terminal(prompt, words, [&](int fd) { return read_line_or_end(fd, tr("the terminal"), words); });
}

std::optional<std::string> exposed_file_warning(const std::filesystem::path& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return std::nullopt;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fill(tr("%1$s %2$s may be read by others (mode %3$s); make it private: chmod 600 %4$s"), {what, path.string(), mode, shell_word(path.string())});
}

Result<SecretBytes> read_new_passphrase_file(const std::filesystem::path& path) {
    SecretBytes passphrase = BRANKAS_TRY(read_first_line(path, LineSecret::passphrase));
    // Set from the file, the mark would be part of the passphrase, and the file saved again
    // without it (or the passphrase typed) would not open the vault. Stripping it quietly would
    // instead leave a file that is not the passphrase: refused, before anything is written.
    if (starts_with_byte_order_mark(passphrase.view()))
        return fail(ErrorCode::usage,
                    fill(tr("the new passphrase file %s begins with a byte order mark (U+FEFF, as Notepad writes), which would become "
                            "part of the passphrase; nothing was changed"),
                         {path.string()}),
                    tr("save the file as UTF-8 without BOM, and run the command again"));
    return passphrase;
}

bool FileOrTerminalInput::warn_once_if_exposed() {
    // Like ssh with a key, but a warning rather than a refusal: scripts that worked go on
    // working, and are told. (The enforcer's key file, which opens the vault on its own, is
    // refused: read_key_file.)
    if (warnings_ == nullptr || warned_) return false;
    if (auto warning = exposed_file_warning(*file_, tr("the passphrase file")))
        *warnings_ << fill(tr("brankas: warning: %s"), {*warning}) << '\n';
    warned_ = true;
    return true;
}

Result<SecretBytes> FileOrTerminalInput::existing(std::string_view user) {
    if (!file_) return read_from_terminal(fill(tr("Passphrase for %s: "), {user}), LineSecret::passphrase);
    const bool first = warn_once_if_exposed();
    SecretBytes passphrase = BRANKAS_TRY(read_first_line(*file_, LineSecret::passphrase));
    // Kept, not stripped: a passphrase set from such a file before holds the mark (read_first_line
    // says why). Saving the file again without it would lock the person out, so the way out is a
    // new passphrase from a file without the mark.
    if (first && starts_with_byte_order_mark(passphrase.view()))
        *warnings_ << fill(tr("brankas: warning: the passphrase file %s begins with a byte order mark (U+FEFF, as Notepad writes), "
                              "which is part of this passphrase: do not save the file again without it. To be rid of it, run "
                              "`brankas user passwd --new-passphrase-file NEW` with NEW saved as UTF-8 without BOM, then use NEW"),
                           {file_->string()})
                   << '\n';
    return passphrase;
}

namespace {

// The three sentences whole (not "Repeat the " + what), so each reads right in every language.
Result<SecretBytes> typed_twice(LineSecret what, const std::string& prompt, const char* repeat, const char* differ) {
    SecretBytes first = BRANKAS_TRY(read_from_terminal(prompt, what));
    SecretBytes again = BRANKAS_TRY(read_from_terminal(repeat, what));
    if (!first.equals(again.view())) return fail(ErrorCode::usage, differ);
    return first;
}

} // namespace

Result<SecretBytes> FileOrTerminalInput::new_passphrase(std::string_view user) {
    if (file_) {
        warn_once_if_exposed();
        return read_new_passphrase_file(*file_);
    }
    return typed_twice(LineSecret::passphrase, fill(tr("New passphrase for %s: "), {user}), tr("Repeat the passphrase: "), tr("the two passphrases differ"));
}

Result<SecretBytes> FileOrTerminalInput::new_secret(std::string_view what) {
    return typed_twice(LineSecret::password, fill(tr("New password for %s: "), {what}), tr("Repeat the password: "), tr("the two passwords differ"));
}

namespace {

std::string_view kind_of_file(mode_t mode) {
    if (S_ISFIFO(mode)) return tr("a FIFO");
    if (S_ISDIR(mode)) return tr("a directory");
    if (S_ISSOCK(mode)) return tr("a socket");
    if (S_ISCHR(mode) || S_ISBLK(mode)) return tr("a device");
    return tr("not a regular file");
}

} // namespace

Result<SecretBytes> read_secret_file(const std::filesystem::path& path, std::size_t max, FileKind kind) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return fail(ErrorCode::io, fill(tr("cannot open %1$s: %2$s"), {path.string(), std::strerror(errno)}));
    // Secure memory is scarce: a regular file gets a buffer of its own size (one byte more, to
    // see it grow past `max`), anything else the largest one allowed.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::io, fill(tr("cannot read %1$s: %2$s"), {path.string(), std::strerror(errno)}));
    if (kind == FileKind::regular && !S_ISREG(st.st_mode))
        return fail(ErrorCode::usage, fill(tr("%1$s is not a regular file (it is %2$s)"), {path.string(), kind_of_file(st.st_mode)}),
                    tr("save the data to a file first, and give that file"));
    std::size_t capacity = max + 1;
    if (S_ISREG(st.st_mode)) capacity = std::min(capacity, static_cast<std::size_t>(st.st_size) + 1);
    SecretBytes buffer(capacity);
    std::size_t len = 0;
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data() + len, buffer.size() - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorCode::io, fill(tr("cannot read %1$s: %2$s"), {path.string(), std::strerror(errno)}));
        if (n == 0) break;
        len += static_cast<std::size_t>(n);
        if (len > max) return fail(ErrorCode::usage, fill(tr("%1$s is larger than %2$s bytes"), {path.string(), std::to_string(max)}));
        if (len == buffer.size()) {
            // It grew while being read: carry on in a larger buffer.
            SecretBytes larger(std::min(max + 1, buffer.size() * 2));
            std::memcpy(larger.data(), buffer.data(), len);
            buffer = std::move(larger);
        }
    }
    buffer.truncate(len);
    return buffer;
}

Result<SecretBytes> read_key_file(const std::filesystem::path& path) {
    const std::string where = fill(tr("the key file %s"), {path.string()});
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return fail(ErrorCode::io, fill(tr("cannot open %1$s: %2$s"), {where, std::strerror(errno)}));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::io, fill(tr("cannot read %1$s: %2$s"), {where, std::strerror(errno)}));
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::usage, fill(tr("%s is not a regular file"), {where}));
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return fail(ErrorCode::usage, fill(tr("%1$s may be read by others (mode %2$s)"), {where, mode}),
                    fill(tr("make it private: chmod 600 %s"), {shell_word(path.string())}));
    }
    if (st.st_size != 32) return fail(ErrorCode::usage, fill(tr("%s does not hold exactly 32 bytes"), {where}));
    SecretBytes key(32);
    std::size_t len = 0;
    while (len < key.size()) {
        ssize_t n = ::read(fd.get(), key.data() + len, key.size() - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail(ErrorCode::io, fill(tr("cannot read %s"), {where}));
        len += static_cast<std::size_t>(n);
    }
    return key;
}

} // namespace brankas::cli
