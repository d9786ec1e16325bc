// brankas: the command line and the browser face. Hardens the process before anything secret
// exists, then hands the arguments to cli::run, with the commands only this binary can offer
// (`serve`, which needs web/ as well as cli/).
#include "app/serve_command.hpp"
#include "cli/app.hpp"
#include "cli/clipboard.hpp"
#include "i18n/translate.hpp"
#include "vault/crypto/primitives.hpp"

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

void harden_process() {
    // No core dumps: RLIMIT_CORE=0 alone is ignored when cores are piped to systemd-coredump,
    // so also make the process non-dumpable (which also keeps other users' ptrace out).
    struct rlimit no_core {0, 0};
    using brankas::i18n::fill;
    using brankas::i18n::tr;
    auto warn = [](const char* message) {
        std::cerr << fill(tr("brankas: warning: %s"), {fill(tr(message), {std::strerror(errno)})}) << "\n";
    };
    if (setrlimit(RLIMIT_CORE, &no_core) != 0) warn(brankas::i18n::tr_noop("cannot turn off core dumps: %s"));
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) warn(brankas::i18n::tr_noop("cannot mark the process non-dumpable: %s"));
    // Every file the vault creates is private to its owner.
    umask(077);
}

// The catalogue the build tree compiled when this is the build tree's own binary (the tests run
// it there), the installed catalogue otherwise. The path of the running program is compared,
// not its inode: a link to the installed binary placed at the build path changes nothing.
std::filesystem::path catalogue_dir() {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec && self == std::filesystem::weakly_canonical(BRANKAS_BUILD_BINARY, ec) && !ec)
        return BRANKAS_BUILD_LOCALEDIR;
    return BRANKAS_LOCALEDIR;
}

// Messages follow the person's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext
// reads them). Only LC_MESSAGES is taken from the environment: numbers, dates and character
// classes stay those of the C locale, so no machine output can change with the language.
void choose_language() {
    std::setlocale(LC_MESSAGES, "");
    brankas::i18n::use_catalogue(catalogue_dir());
}

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

} // namespace

int main(int argc, char** argv) {
    choose_language(); // first, so that the hardening's warnings are in the reader's language
    harden_process();
    try {
        if (auto ok = brankas::initialize_crypto(); !ok) {
            std::cerr << brankas::i18n::fill(brankas::i18n::tr("brankas: error: %s"), {brankas::i18n::tr(ok.error().message_id.data())}) << "\n";
            return 1;
        }
        if (argc == 2 && std::strcmp(argv[1], brankas::cli::clipboard_clearer_argument) == 0)
            return brankas::cli::run_clipboard_clearer();
        std::vector<std::string> args(argv + 1, argv + argc);
        brankas::cli::Environment environment{env("BRANKAS_VAULT"), env("BRANKAS_USER"), env("BRANKAS_PASSPHRASE_FILE"),
                                              env("BRANKAS_ALLOW_TEST_KDF") == "1", ::isatty(STDERR_FILENO) == 1};
        brankas::SystemClock clock;
        return brankas::cli::run(args, environment, std::cout, std::cerr, clock, nullptr, brankas::app::more_commands());
    } catch (const std::bad_alloc&) {
        std::cerr << brankas::i18n::tr("brankas: error: out of memory (secure memory may be limited by RLIMIT_MEMLOCK)") << "\n";
    } catch (const std::exception& e) {
        std::cerr << brankas::i18n::fill(brankas::i18n::tr("brankas: error: internal error: %s"), {e.what()}) << "\n";
    }
    return 1;
}
