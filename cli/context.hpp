// What every command runs with: the streams, the passphrase source, the clock and the global
// options. A test builds one with string streams and a fixed clock and reads exactly what a
// user would see.
#pragma once

#include "cli/passphrase_input.hpp"
#include "i18n/translate.hpp"
#include "vault/clock.hpp"
#include "vault/vault.hpp"

#include <boost/program_options.hpp>

#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace brankas::cli {

// Every command speaks through the catalogue (i18n/translate.hpp).
using i18n::fill;
using i18n::tr;
using i18n::tr_noop;
using i18n::trn;

// Where a global setting came from: the command line says what this run is to do, the
// environment what runs do unless told otherwise.
enum class GivenBy { environment, command_line };

struct GlobalOptions {
    std::optional<std::filesystem::path> vault;
    std::optional<std::string> user;
    std::optional<std::filesystem::path> passphrase_file;
    GivenBy passphrase_file_given_by = GivenBy::environment; // --passphrase-file beside --keyfile is refused
    std::optional<std::filesystem::path> keyfile; // unlock with this key file (the enforcer)
    bool json = false;
    bool allow_test_kdf = false; // from the environment only: the suite's fast, worthless KDF
    bool err_is_terminal = false; // whether a progress bar may be drawn on stderr
};

class Context {
public:
    Context(std::ostream& out_stream, std::ostream& err_stream, PassphraseInput& input, const Clock& time,
            GlobalOptions global)
        : out(out_stream), err(err_stream), passphrases(input), clock(time), options(std::move(global)) {}

    std::ostream& out;
    std::ostream& err;
    PassphraseInput& passphrases;
    const Clock& clock;
    GlobalOptions options;

    [[nodiscard]] Result<std::filesystem::path> vault_dir() const;
    // The vault directory of a vault that should exist: refused when others may write it,
    // with a warning when they may read it (check_vault_directory).
    [[nodiscard]] Result<std::filesystem::path> existing_vault_dir() const;
    [[nodiscard]] Result<std::string> user_name() const;
    // Refuses a file or directory a command writes (`what` is its option, e.g. "--out") inside
    // the vault's own directory: there it could replace the store or the keyring, and it would
    // travel with every copy of the vault (a recovery share, the enforcer's key).
    [[nodiscard]] Status refuse_inside_vault(const std::filesystem::path& target, std::string_view what) const;
    void warn(std::string_view message) const;
};

// One class per command: setup() parses and validates its arguments and does no I/O;
// run() does the work through the vault API and returns the exit status. A command that works
// in the vault derives from VaultCommand (cli/vault_command.hpp), which unlocks it.
class Command {
public:
    virtual ~Command() = default;
    // Options and positionals of this command, for parsing and for --help.
    [[nodiscard]] virtual boost::program_options::options_description options() = 0;
    [[nodiscard]] virtual boost::program_options::positional_options_description positionals() { return {}; }
    [[nodiscard]] virtual Status setup(const boost::program_options::variables_map& args) = 0;
    [[nodiscard]] virtual Status run(Context& context) = 0;
    // The options whose empty value means something ("" removes a field); any other option given
    // with an empty value is refused before setup().
    [[nodiscard]] virtual std::vector<std::string> options_that_may_be_empty() const { return {}; }
};

// The positionals of a command whose first words are its arguments, one word each, in order:
// positional_words({"code", "name"}) for `unit add CODE NAME`.
[[nodiscard]] boost::program_options::positional_options_description positional_words(std::initializer_list<const char*> names);

} // namespace brankas::cli
