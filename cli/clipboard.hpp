// --clip: the password goes to the desktop clipboard (wl-copy on Wayland, xclip on X11) through
// a pipe, never argv, and is cleared after 45 seconds unless something else was copied since.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"

#include <string>

namespace brankas::cli {

inline constexpr int clipboard_clear_seconds = 45;

struct ClipboardTool {
    std::string copy;  // the program that sets the clipboard from stdin
    std::string paste; // the program that prints it (to see whether it still holds ours)
    bool wayland = false;
};

// Found on PATH for the session there is (WAYLAND_DISPLAY or DISPLAY); an error with a hint
// when there is none, before anything is checked out.
[[nodiscard]] Result<ClipboardTool> find_clipboard();

// Copies `secret`, then leaves a background process that clears it after the delay. That
// process is a fresh brankas (this binary, started again with clipboard_clearer_argument) that
// receives only the password's hash, on a pipe: no unlocked key lives on in it.
[[nodiscard]] Status copy_to_clipboard(const ClipboardTool& tool, const SecretBytes& secret);

// The argument that starts brankas as the clearer (it is not a command: nothing else is parsed).
inline constexpr const char* clipboard_clearer_argument = "--internal-clipboard-clearer";
// The clearer's whole life: reads the 32-byte hash from stdin, detaches, waits, and clears the
// clipboard if it still holds what has that hash. Returns the process exit code.
int run_clipboard_clearer();

} // namespace brankas::cli
