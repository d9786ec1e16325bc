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

// Copies `secret`, then leaves a background process that clears it after the delay.
[[nodiscard]] Status copy_to_clipboard(const ClipboardTool& tool, const SecretBytes& secret);

} // namespace brankas::cli
