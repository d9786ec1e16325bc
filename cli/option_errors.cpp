#include "cli/option_errors.hpp"

#include "i18n/translate.hpp"

namespace brankas::cli {

namespace po = boost::program_options;
using i18n::fill;
using i18n::tr;

namespace {

// The value the person gave, which the library keeps only inside its English sentence
// ("the argument ('abc') for option '--days' is invalid"); empty when it is not there.
std::string given_value(const po::error& e) {
    const std::string what = e.what();
    const auto open = what.find("('");
    if (open == std::string::npos) return {};
    const auto close = what.find("')", open + 2);
    if (close == std::string::npos) return {};
    return what.substr(open + 2, close - open - 2);
}

} // namespace

std::string option_error_text(const po::error& e) {
    if (const auto* x = dynamic_cast<const po::too_many_positional_options_error*>(&e); x != nullptr)
        return tr("too many positional options have been specified on the command line");
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
    if (named == nullptr) return e.what();
    // Both as the person typed them: echoed within a bound (i18n::echo).
    const std::string option = i18n::echo(named->get_option_name());
    if (dynamic_cast<const po::unknown_option*>(&e) != nullptr) return fill(tr("unrecognised option '%s'"), {option});
    if (dynamic_cast<const po::ambiguous_option*>(&e) != nullptr) return fill(tr("option '%s' is ambiguous"), {option});
    if (dynamic_cast<const po::multiple_occurrences*>(&e) != nullptr)
        return fill(tr("option '%s' cannot be specified more than once"), {option});
    if (dynamic_cast<const po::required_option*>(&e) != nullptr) return fill(tr("the option '%s' is required but missing"), {option});
    if (const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&e); syntax != nullptr) {
        switch (syntax->kind()) {
        case po::invalid_syntax::missing_parameter: return fill(tr("the required argument for option '%s' is missing"), {option});
        case po::invalid_syntax::extra_parameter: return fill(tr("option '%s' does not take any arguments"), {option});
        default: return fill(tr("the option '%s' is not written the way brankas reads options"), {option});
        }
    }
    if (const auto* invalid = dynamic_cast<const po::validation_error*>(&e); invalid != nullptr) {
        switch (invalid->kind()) {
        case po::validation_error::multiple_values_not_allowed: return fill(tr("option '%s' only takes a single argument"), {option});
        case po::validation_error::at_least_one_value_required: return fill(tr("option '%s' requires at least one argument"), {option});
        case po::validation_error::invalid_option_value:
        case po::validation_error::invalid_bool_value: {
            const std::string value = i18n::echo(given_value(e));
            if (value.empty()) return fill(tr("the argument for option '%s' is invalid"), {option});
            return fill(tr("the argument ('%1$s') for option '%2$s' is invalid"), {value, option});
        }
        default: return fill(tr("the argument for option '%s' is invalid"), {option});
        }
    }
    return e.what();
}

} // namespace brankas::cli
