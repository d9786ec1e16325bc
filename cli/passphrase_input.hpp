// Where passphrases come from: a file (first line, newline stripped) named by
// --passphrase-file or BRANKAS_PASSPHRASE_FILE, or the terminal with echo off. Never argv,
// never a plain environment variable. Always into secure memory.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace brankas::cli {

class PassphraseInput {
public:
    virtual ~PassphraseInput() = default;
    // The passphrase of an existing slot.
    [[nodiscard]] virtual Result<SecretBytes> existing(std::string_view user) = 0;
    // A new passphrase: typed twice on a terminal; read once from a file (not one that begins
    // with a byte order mark: read_new_passphrase_file).
    [[nodiscard]] virtual Result<SecretBytes> new_passphrase(std::string_view user) = 0;
    // A password to store, typed twice on the terminal (a passphrase file is for the user's
    // own passphrase, never for what they store).
    [[nodiscard]] virtual Result<SecretBytes> new_secret(std::string_view what) = 0;
};

class FileOrTerminalInput final : public PassphraseInput {
public:
    // A passphrase file that others may read is used, with a warning on `warnings` (once).
    explicit FileOrTerminalInput(std::optional<std::filesystem::path> file, std::ostream* warnings = nullptr)
        : file_(std::move(file)), warnings_(warnings) {}
    [[nodiscard]] Result<SecretBytes> existing(std::string_view user) override;
    [[nodiscard]] Result<SecretBytes> new_passphrase(std::string_view user) override;
    [[nodiscard]] Result<SecretBytes> new_secret(std::string_view what) override;

private:
    // Warns on the first read of the file if others may read it; true on that first read.
    bool warn_once_if_exposed();
    std::optional<std::filesystem::path> file_;
    std::ostream* warnings_;
    bool warned_ = false;
};

// A sentence for a file holding a secret that others may read ("... (mode 0644); make it
// private: chmod 600 FILE"), or nullopt when only its owner may.
[[nodiscard]] std::optional<std::string> exposed_file_warning(const std::filesystem::path& path, std::string_view what);

inline constexpr std::size_t max_passphrase_bytes = 1024;

// What a line read from a file or the terminal holds, so that what is said about it names it:
// "cannot open the password file F", "no password given and there is no terminal to ask on".
enum class LineSecret { passphrase, password, enrollment_code, share_line };

// The first line of `path`, without its line ending.
[[nodiscard]] Result<SecretBytes> read_first_line(const std::filesystem::path& path, LineSecret what);
// A new passphrase from the first line of `path`; a file that begins with a byte order mark is
// refused (a usage error), for the mark would become part of the passphrase.
[[nodiscard]] Result<SecretBytes> read_new_passphrase_file(const std::filesystem::path& path);
// What a file to read may be: anything that reads (a pipe from another program, for a TOTP
// URI), or only a regular file (an import: a FIFO opened without a writer reads as empty).
enum class FileKind { any, regular };
// A whole small file (a TOTP URI, recovery codes, notes) into secure memory; at most `max` bytes.
[[nodiscard]] Result<SecretBytes> read_secret_file(const std::filesystem::path& path, std::size_t max,
                                                   FileKind kind = FileKind::any);
// A key file: exactly 32 bytes, a regular file that neither group nor others may read.
[[nodiscard]] Result<SecretBytes> read_key_file(const std::filesystem::path& path);
// Prompts on /dev/tty with echo off; restores the terminal on every path out, signals included.
[[nodiscard]] Result<SecretBytes> read_from_terminal(std::string_view prompt, LineSecret what);
// The same for a prompt that asks again after an empty line: the line typed (empty when nothing
// was), or nullopt at the end of input (Ctrl-D at the start of a line), the way to stop.
[[nodiscard]] Result<std::optional<SecretBytes>> read_line_or_end_from_terminal(std::string_view prompt, LineSecret what);

} // namespace brankas::cli
