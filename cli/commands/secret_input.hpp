// The options that say where a new secret version comes from, shared by `secret set` and
// `account add`: generated, read from files, or typed twice on the terminal. Never argv.
#pragma once

#include "cli/context.hpp"
#include "vault/secrets/password_generator.hpp"
#include "vault/secrets/secrets.hpp"

#include <boost/program_options.hpp>

#include <optional>
#include <string>

namespace brankas::cli {

enum class SecretSourceRule {
    optional, // nothing given: no secret (account add)
    required, // nothing given: type the password (secret set)
};

class SecretOptions {
public:
    [[nodiscard]] boost::program_options::options_description options();
    [[nodiscard]] Status setup(const boost::program_options::variables_map& vm, SecretSourceRule rule);
    [[nodiscard]] bool given() const noexcept { return wanted_; }
    // Reads or generates everything; `what` names the account in a prompt.
    [[nodiscard]] Result<SecretInput> read(Context& ctx, const std::string& what) const;
    // "a generated 20-character password", for the confirmation line.
    [[nodiscard]] std::string describe() const;

private:
    bool generate_ = false;
    bool no_lower_ = false, no_upper_ = false, no_digits_ = false, no_symbols_ = false;
    std::string length_text_; // read by parse_count: Boost would wrap a negative number around
    std::size_t length_ = 20;
    std::string from_file_, totp_file_, recovery_file_, notes_file_, reason_;
    PasswordRules rules_;
    bool wanted_ = false;
};

} // namespace brankas::cli
