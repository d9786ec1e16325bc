#include "cli/commands/secret_input.hpp"

#include "cli/option_numbers.hpp"
#include "vault/secrets/totp.hpp"

namespace brankas::cli {

namespace po = boost::program_options;

namespace {
constexpr std::size_t max_totp_file = 4096;
constexpr std::size_t max_text_file = 4096; // recovery codes, notes
} // namespace

po::options_description SecretOptions::options() {
    po::options_description o(tr("Where the password comes from (default for secret set: typed twice)"));
    o.add_options()
        ("generate", po::bool_switch(&generate_), tr("generate a random password"))
        ("length", po::value<std::string>(&length_text_)->default_value("20"), tr("length of a generated password (8 to 128)"))
        ("no-lower", po::bool_switch(&no_lower_), tr("generated: no lower-case letters"))
        ("no-upper", po::bool_switch(&no_upper_), tr("generated: no upper-case letters"))
        ("no-digits", po::bool_switch(&no_digits_), tr("generated: no digits"))
        ("no-symbols", po::bool_switch(&no_symbols_), tr("generated: no symbols"))
        ("from-file", po::value<std::string>(&from_file_), tr("read the password from the first line of this file"))
        ("totp-file", po::value<std::string>(&totp_file_), tr("file with the TOTP seed: an otpauth:// URI or base32"))
        ("recovery-file", po::value<std::string>(&recovery_file_), tr("file with the platform's recovery codes"))
        ("notes-file", po::value<std::string>(&notes_file_), tr("file with notes kept with the password"))
        ("reason", po::value<std::string>(&reason_), tr("why the password is set (kept in the history)"));
    return o;
}

Status SecretOptions::setup(const po::variables_map& vm, SecretSourceRule rule) {
    bool from_file = vm.count("from-file") > 0;
    bool generator_options = !vm["length"].defaulted() || no_lower_ || no_upper_ || no_digits_ || no_symbols_;
    if (generate_ && from_file) return fail(ErrorCode::usage, tr("--generate and --from-file exclude each other"));
    if (generator_options && !generate_)
        return fail(ErrorCode::usage, tr("--length and --no-* describe a generated password"), tr("add --generate"));
    const std::optional<std::uint64_t> length = parse_count(length_text_);
    if (generate_ && (!length || *length < min_generated_length || *length > max_generated_length))
        return fail(ErrorCode::usage, fill(tr("--length must be between %1$s and %2$s"),
                                           {std::to_string(min_generated_length), std::to_string(max_generated_length)}));
    length_ = static_cast<std::size_t>(length.value_or(0));
    rules_.length = length_;
    rules_.classes = 0;
    if (!no_lower_) rules_.classes |= static_cast<std::uint8_t>(CharClass::lower);
    if (!no_upper_) rules_.classes |= static_cast<std::uint8_t>(CharClass::upper);
    if (!no_digits_) rules_.classes |= static_cast<std::uint8_t>(CharClass::digits);
    if (!no_symbols_) rules_.classes |= static_cast<std::uint8_t>(CharClass::symbols);
    if (generate_ && rules_.classes == 0) return fail(ErrorCode::usage, tr("every character class is excluded"));
    wanted_ = rule == SecretSourceRule::required || generate_ || from_file || vm.count("totp-file") ||
              vm.count("recovery-file") || vm.count("notes-file");
    if (rule == SecretSourceRule::optional && vm.count("reason") && !wanted_)
        return fail(ErrorCode::usage, tr("--reason goes with a password"), tr("add --generate or --from-file"));
    return {};
}

Result<SecretInput> SecretOptions::read(Context& ctx, const std::string& what) const {
    SecretInput in;
    in.reason = reason_;
    if (!totp_file_.empty()) {
        SecretBytes text = BRANKAS_TRY(read_secret_file(totp_file_, max_totp_file));
        in.totp = BRANKAS_TRY(parse_totp_seed(text.view()));
    }
    if (!recovery_file_.empty()) in.recovery_codes = BRANKAS_TRY(read_secret_file(recovery_file_, max_text_file));
    if (!notes_file_.empty()) in.notes = BRANKAS_TRY(read_secret_file(notes_file_, max_text_file));
    if (generate_) in.password = BRANKAS_TRY(generate_password(rules_));
    else if (!from_file_.empty()) in.password = BRANKAS_TRY(read_first_line(from_file_, LineSecret::password));
    else in.password = BRANKAS_TRY(ctx.passphrases.new_secret(what));
    // Before anything is written: account add would otherwise add the account and then fail.
    BRANKAS_TRY(check_password_text(in.password.text()));
    return in;
}

std::string SecretOptions::describe() const {
    if (generate_) return fill(tr("a generated %s-character password"), {std::to_string(length_)});
    if (!from_file_.empty()) return fill(tr("the password from %s"), {from_file_});
    return tr("the typed password");
}

} // namespace brankas::cli
